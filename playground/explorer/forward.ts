/**
 * Re-running the forward pass of a graph that already exists: after a leaf's
 * data changes (a nudge), every node downstream must be recomputed. The
 * engine computes `data` only when a node is built, so this replays each
 * node's operation through the op table (`src/ops.ts`), whose forward rules
 * the engine's methods use too — the numbers are exactly the ones a fresh
 * build would give (same formulas, same rounding).
 *
 * @module
 */

import { topologicalOrder, Value } from "../../src/engine.ts";
import { OPERATIONS } from "../../src/ops.ts";

/**
 * Apply `node`'s operation to `inputs` with the engine, building a new node
 * (it has the same `op` and `constant` as `node`; a leaf is copied). Generic
 * over the op table: a new operation needs nothing here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "../../src/engine.ts";
 * import { applyOperation } from "./forward.ts";
 * const y = new Value(1).add(2);
 * assert.equal(applyOperation(y, [new Value(10), new Value(20)]).data, 30);
 * ```
 */
export function applyOperation(node: Value, inputs: readonly Value[]): Value {
  if (node.op === "") return new Value(node.data, node.label);
  return Value.fromOperation(node.op, inputs, node.constant);
}

/**
 * Recompute `data` of every operation node in `order` (a topological order,
 * inputs first) from its inputs' current data. Leaves keep their data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topologicalOrder, Value } from "../../src/engine.ts";
import { OPERATIONS } from "../../src/ops.ts";
 * import { recomputeData } from "./forward.ts";
 * const x = new Value(2, "x");
 * const y = x.mul(x);
 * x.data = 3;
 * recomputeData(topologicalOrder(y));
 * assert.equal(y.data, 9);
 * ```
 */
export function recomputeData(order: readonly Value[]): void {
  for (const node of order) {
    if (node.op === "") continue;
    // The op table's forward rule: what the engine's method computes.
    const inputs = node.inputs.map((input) => input.data);
    node.data = OPERATIONS[node.op].forward(inputs, node.constant);
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
 * import assert from "node:assert/strict";
 * import { Value } from "../../src/engine.ts";
 * import { cloneGraph } from "./forward.ts";
 * const x = new Value(3, "x");
 * const y = x.mul(x);
 * const copy = cloneGraph(y);
 * copy.get(y)?.backward();
 * assert.equal(copy.get(x)?.grad, 6);
 * assert.equal(x.grad, 0);
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
