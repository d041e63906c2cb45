/**
 * Finding where a NaN or an infinity was born in a computation graph, in the
 * spirit of PyTorch's `detect_anomaly`, but after the fact and pointing at
 * the node, its operation and its inputs.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import { topologicalOrder, Value } from "./engine.ts";
import { nonFiniteHint, type Operation, OPERATIONS } from "./ops.ts";

/** A non-finite number found by {@linkcode findAnomaly}. */
export interface Anomaly {
  /** The node whose data or grad is NaN or ±Infinity. */
  node: Value;
  /** Its position in `topologicalOrder(root)` (the ids of `traceGraph`). */
  index: number;
  /** Whether the forward value (`"data"`) or the gradient (`"grad"`) is bad. */
  field: "data" | "grad";
  /** The node's operation (`""` for a leaf). */
  op: Operation;
  /** The data of the node's inputs, in order (empty for a leaf). */
  inputs: number[];
  /** A sentence saying what happened and the likely cause. */
  message: string;
}

/** The operation's readable name from the op table (`"leaf"` for a leaf). */
function operationName(op: Operation): string {
  return op === "" ? "leaf" : OPERATIONS[op].name;
}

/** How many input values a message lists before eliding the rest. */
const SHOWN_INPUTS = 6;

function listNumbers(values: readonly number[]): string {
  const shown = values.slice(0, SHOWN_INPUTS).map(String).join(", ");
  return values.length > SHOWN_INPUTS
    ? `${shown}, ... (${values.length} inputs)`
    : shown;
}

/** `", exponent 0.5"` for a power with a number exponent, else `""`. */
function exponentText(node: Value): string {
  return node.op !== "" && OPERATIONS[node.op].constant === "exponent" &&
      node.inputs.length === 1
    ? `, exponent ${node.constant}`
    : "";
}

function describeNode(node: Value, index: number): string {
  return `node #${index}${node.label ? ` (label ${node.label})` : ""}`;
}

/** The likely cause of a non-finite result from finite inputs (op table). */
function dataHint(node: Value, inputs: readonly number[]): string {
  if (node.op === "") return "";
  const step = {
    inputs,
    out: node.data,
    grad: node.grad,
    constant: node.constant,
  };
  return nonFiniteHint(node.op, step);
}

/**
 * Find where a NaN or ±Infinity first appears in the graph behind `root`:
 * `null` if every data and grad is finite.
 *
 * Data is checked first, in forward (topological) order. A non-finite value
 * spreads to everything computed from it, so the *first* non-finite node in
 * forward order is where it was born: all its inputs come earlier and are
 * finite (or it is a leaf that was given a non-finite number). Reporting it
 * rather than the root points at the cause, not a symptom.
 *
 * Grads are checked next, in backward order (root first), the order in which
 * `backward()` computes them: a node's grad is a sum over the nodes that use
 * it, which come before it in that order. So the first non-finite grad found
 * is one whose users all have finite grads: the local derivative of one of
 * its users blew up there (the derivative of `log` at 0, of `x ** 0.5` at 0,
 * a division by 0), even though every data was finite.
 *
 * @param root the value whose graph to inspect (usually the loss, after
 * `backward()`)
 * @returns the first anomaly, or `null`
 * @throws {TypeError} if `root` is not a `Value`
 *
 * @example Where did the NaN come from?
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { findAnomaly } from "./anomaly.ts";
 * const x = new Value(-1, "x");
 * const l = x.log();
 * l.label = "l";
 * const loss = l.mul(2).tanh();
 * const anomaly = findAnomaly(loss);
 * assert.equal(anomaly?.node, l);
 * assert.equal(anomaly?.field, "data");
 * assert.equal(
 *   anomaly?.message,
 *   "log of -1 gave NaN at node #1 (label l): the logarithm of a negative number is NaN",
 * );
 * ```
 */
export function findAnomaly(root: Value): Anomaly | null {
  if (!(root instanceof Value)) {
    throw new TypeError(
      `findAnomaly: expected a Value as root, got ${describeArgument(root)}`,
    );
  }
  const order = topologicalOrder(root);

  for (let index = 0; index < order.length; index++) {
    const node = order[index];
    if (Number.isFinite(node.data)) continue;
    const inputs = node.inputs.map((input) => input.data);
    const where = describeNode(node, index);
    let message: string;
    if (node.op === "") {
      message = `leaf ${where} holds ${node.data}: it was created with ` +
        "(or later given) a non-finite number";
    } else {
      const exponent = exponentText(node);
      message = `${operationName(node.op)} of ${listNumbers(inputs)}${
        exponent ? ` (${exponent.slice(2)})` : ""
      } gave ${node.data} at ${where}: ${dataHint(node, inputs)}`;
    }
    return { node, index, field: "data", op: node.op, inputs, message };
  }

  for (let index = order.length - 1; index >= 0; index--) {
    const node = order[index];
    if (Number.isFinite(node.grad)) continue;
    const inputs = node.inputs.map((input) => input.data);
    const where = describeNode(node, index);
    let message: string;
    if (index === order.length - 1) {
      message = `the grad of the root ${where} is ${node.grad}: ` +
        "it was set to a non-finite number (backward() seeds it with 1)";
    } else {
      const users: string[] = [];
      for (let later = index + 1; later < order.length; later++) {
        const user = order[later];
        if (user.inputs.includes(node)) {
          users.push(
            `${operationName(user.op)} at ${describeNode(user, later)} ` +
              `(inputs ${listNumbers(user.inputs.map((input) => input.data))}${
                exponentText(user)
              })`,
          );
        }
      }
      message = `the grad of ${where} is ${node.grad} although every node ` +
        `using it has a finite grad: the local derivative of ${
          users.join(" or ")
        } is not finite there` +
        (node.op === "" ? " (or the leaf's grad was non-finite already)" : "");
    }
    return { node, index, field: "grad", op: node.op, inputs, message };
  }
  return null;
}
