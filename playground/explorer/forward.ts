/**
 * Re-running the forward pass of a graph that already exists: after a leaf's
 * data changes (a nudge), every node downstream must be recomputed. The
 * engine computes `data` only when a node is built, so this replays each
 * node's operation through the engine's own methods — the numbers are
 * exactly the ones a fresh build would give (same formulas, same rounding).
 *
 * @module
 */

import { topologicalOrder, Value } from "../../src/engine.ts";

/**
 * Apply `node`'s operation to `inputs` with the engine's methods, building a
 * new node (it has the same `op` and `constant` as `node`).
 *
 * @example
 * ```ts
 * import { Value } from "../../src/engine.ts";
 * import { applyOperation } from "./forward.ts";
 * const y = new Value(1).add(2);
 * console.log(applyOperation(y, [new Value(10), new Value(20)]).data); // 30
 * ```
 */
export function applyOperation(node: Value, inputs: readonly Value[]): Value {
  const [a, b] = inputs;
  switch (node.op) {
    case "":
      return new Value(node.data, node.label);
    case "+":
      return a.add(b);
    case "-":
      return a.sub(b);
    case "*":
      return a.mul(b);
    case "/":
      return a.div(b);
    case "**":
      return inputs.length === 1 ? a.pow(node.constant) : a.pow(b);
    case "neg":
      return a.neg();
    case "exp":
      return a.exp();
    case "log":
      return a.log();
    case "tanh":
      return a.tanh();
    case "relu":
      return a.relu();
    case "sigmoid":
      return a.sigmoid();
    case "sum":
      return Value.sum(inputs);
    case "dot":
      return Value.dot(
        inputs.slice(0, node.constant),
        inputs.slice(node.constant),
      );
    case "logsumexp":
      return Value.logSumExp(inputs);
  }
}

/**
 * Recompute `data` of every operation node in `order` (a topological order,
 * inputs first) from its inputs' current data. Leaves keep their data.
 *
 * @example
 * ```ts
 * import { topologicalOrder, Value } from "../../src/engine.ts";
 * import { recomputeData } from "./forward.ts";
 * const x = new Value(2, "x");
 * const y = x.mul(x);
 * x.data = 3;
 * recomputeData(topologicalOrder(y));
 * console.log(y.data); // 9
 * ```
 */
export function recomputeData(order: readonly Value[]): void {
  for (const node of order) {
    if (node.op === "") continue;
    // Fresh leaves as operands, so the result node is garbage right away.
    const inputs = node.inputs.map((input) => new Value(input.data));
    node.data = applyOperation(node, inputs).data;
  }
}

/**
 * Build an independent copy of the graph under `root` (same structure,
 * labels and data, grads zero). Returns the copy of every node, keyed by the
 * original, so a caller can run `backward()` or change data on the copy
 * without touching what is on screen.
 *
 * @example
 * ```ts
 * import { Value } from "../../src/engine.ts";
 * import { cloneGraph } from "./forward.ts";
 * const x = new Value(3, "x");
 * const y = x.mul(x);
 * const copy = cloneGraph(y);
 * copy.get(y)?.backward();
 * console.log(copy.get(x)?.grad, x.grad); // 6 0
 * ```
 */
export function cloneGraph(root: Value): Map<Value, Value> {
  const copies = new Map<Value, Value>();
  for (const node of topologicalOrder(root)) {
    const inputs = node.inputs.map((input) => copies.get(input) as Value);
    const copy = applyOperation(node, inputs);
    copy.label = node.label;
    copies.set(node, copy);
  }
  return copies;
}
