/**
 * The lecture's numerical check of a gradient: nudge one input by a small
 * `h`, run the forward pass again and compare the slope of the output,
 * `(f(x + h) - f(x)) / h`, with the gradient autograd computed.
 *
 * @module
 */

import type { Value } from "../../src/engine.ts";
import { cloneGraph, recomputeData } from "./forward.ts";
import { topologicalOrder } from "../../src/engine.ts";

/** What nudging a leaf by `h` does to the output. */
export interface NudgeResult {
  /** The leaf's data before the nudge. */
  before: number;
  /** The leaf's data after (`before + h`). */
  after: number;
  /** The output at `before`. */
  outputBefore: number;
  /** The output at `after`. */
  outputAfter: number;
  /** `(outputAfter - outputBefore) / h` (NaN for h = 0). */
  slope: number;
  /** d(output)/d(leaf) by backpropagation, at `before`. */
  gradient: number;
}

/**
 * Nudge `leaf` by `h` in a copy of `root`'s graph (the graph itself, its
 * data and grads are not touched) and report both slopes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildGraph } from "./parser.ts";
 * import { nudgeLeaf } from "./nudge.ts";
 * const { output, values } = buildGraph("a = 2; b = -3; c = 10; d = a*b + c");
 * const result = nudgeLeaf(output, values.get("a")!, 0.001);
 * assert.equal(result.slope.toFixed(3), "-3.000");
 * assert.equal(result.gradient, -3);
 * ```
 */
export function nudgeLeaf(root: Value, leaf: Value, h: number): NudgeResult {
  if (leaf.op !== "") {
    throw new RangeError(
      `nudgeLeaf: leaf must be a leaf (a value with no inputs), got the result of '${leaf.op}'`,
    );
  }
  if (typeof h !== "number" || !Number.isFinite(h)) {
    throw new RangeError(`nudgeLeaf: h must be a finite number, got ${h}`);
  }
  const copies = cloneGraph(root);
  const leafCopy = copies.get(leaf);
  const rootCopy = copies.get(root) as Value;
  if (!leafCopy) {
    throw new RangeError(
      `nudgeLeaf: ${leaf.label || "the leaf"} is not part of the graph`,
    );
  }
  rootCopy.backward();
  const gradient = leafCopy.grad;
  const before = leafCopy.data;
  const outputBefore = rootCopy.data;
  leafCopy.data = before + h;
  recomputeData(topologicalOrder(rootCopy));
  const outputAfter = rootCopy.data;
  return {
    before,
    after: leafCopy.data,
    outputBefore,
    outputAfter,
    slope: h === 0 ? NaN : (outputAfter - outputBefore) / h,
    gradient,
  };
}
