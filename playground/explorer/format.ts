/**
 * How the explorer writes numbers and names nodes: fixed-width numbers for
 * the boxes (so a box never changes size when its data changes), short ones
 * for formulas, and a readable name for every node, labelled or not.
 *
 * @module
 */

import type { Value } from "../../src/engine.ts";
import { operationLabel, OPERATIONS } from "../../src/ops.ts";
import { formatShortNumber } from "../shared/format.ts";

// The formula numbers are the playground's one short format (also the
// network diagram's); re-exported so the explorer's modules keep one import.
export { formatShortNumber };

/**
 * A number for a value box, at most 10 characters: 4 decimals like
 * micrograd's drawings (`0.7071`, `-1.5000`), exponent form when it would
 * not fit or would round to zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBoxNumber } from "./format.ts";
 * assert.equal(formatBoxNumber(0.70710678), "0.7071");
 * assert.equal(formatBoxNumber(-1.5), "-1.5000");
 * assert.equal(formatBoxNumber(1e12), "1.00e+12");
 * assert.equal(formatBoxNumber(1e-7), "1.00e-7");
 * ```
 */
export function formatBoxNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  const text = x.toFixed(4);
  if (text.length > 10 || (magnitude !== 0 && magnitude < 5e-5)) {
    return x.toExponential(2);
  }
  // "-0.0000" for a tiny negative number reads as a sign error; drop the sign.
  return text === "-0.0000" ? "0.0000" : text;
}

/** Longer synthesized names are replaced by `#index`. */
const MAXIMUM_NAME_LENGTH = 20;

/**
 * Names for every node of a graph, for formulas: a node's label if it has
 * one, the number itself for an unlabelled leaf (a constant), and for an
 * unlabelled operation a short expression of its inputs' names, like
 * `(x1*w1)`, or `#7` (its position in `order`) when that gets long.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topologicalOrder, Value } from "../../src/engine.ts";
 * import { nodeNames } from "./format.ts";
 * const x = new Value(2, "x"), w = new Value(-3, "w");
 * const y = x.mul(w).add(1);
 * y.label = "y";
 * const names = nodeNames(topologicalOrder(y));
 * assert.equal(names.get(y.inputs[0]), "(x*w)");
 * assert.equal(names.get(y.inputs[1]), "1");
 * ```
 */
export function nodeNames(order: readonly Value[]): Map<Value, string> {
  const names = new Map<Value, string>();
  order.forEach((node, index) => {
    if (node.label) {
      names.set(node, node.label);
      return;
    }
    if (node.op === "") {
      names.set(node, formatShortNumber(node.data));
      return;
    }
    const inputNames = node.inputs.map((input) => names.get(input) ?? "?");
    // Written as the op table says it is written: a + b, -a, tanh(a).
    const { symbol, notation } = OPERATIONS[node.op];
    let name: string;
    if (notation === "infix" && node.inputs.length === 2) {
      name = `(${inputNames[0]}${symbol}${inputNames[1]})`;
    } else if (notation === "infix") {
      // a number operand kept as the constant: x**2
      name = `(${inputNames[0]}${symbol}${formatShortNumber(node.constant)})`;
    } else if (notation === "prefix") {
      name = `(${symbol}${inputNames[0]})`;
    } else if (node.inputs.length === 1) {
      name = `${symbol}(${inputNames[0]})`;
    } else {
      name = `${symbol}#${index}`;
    }
    names.set(node, name.length > MAXIMUM_NAME_LENGTH ? `#${index}` : name);
  });
  return names;
}

/**
 * The symbol drawn in an operation's node: `+`, `*`, `**2`, `tanh`, ...
 * (the op table's label, with the exponent written short).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "../../src/engine.ts";
 * import { operationSymbol } from "./format.ts";
 * assert.equal(operationSymbol(new Value(3).pow(2)), "**2");
 * assert.equal(operationSymbol(new Value(1).neg()), "-x");
 * ```
 */
export function operationSymbol(node: Value): string {
  return operationLabel(
    node.op,
    node.inputs.length,
    node.constant,
    formatShortNumber,
  );
}
