/**
 * How a neuron's initial weights are drawn: micrograd's `U(-1, 1)`, or the
 * Xavier/Glorot and He/Kaiming schemes that scale the spread to the layer
 * sizes. Biases always start at 0 and draw nothing.
 *
 * @module
 */

import type { Rng } from "./random.ts";

/**
 * How initial weights are drawn (biases always start at 0, as in micrograd):
 *
 * - `"uniform"`: micrograd's `U(-1, 1)`, whatever the layer size.
 * - `"xavier"`: Glorot uniform, `U(-a, a)` with `a = sqrt(6 / (fanIn + fanOut))`,
 *   which keeps the variance of activations roughly constant through tanh
 *   and sigmoid layers.
 * - `"he"`: He/Kaiming normal, `N(0, sqrt(2 / fanIn))`, the same idea for
 *   relu layers (relu zeroes half of its inputs, hence the factor 2).
 */
export type Initialization = "uniform" | "xavier" | "he";

/**
 * Every {@linkcode Initialization}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INITIALIZATIONS } from "./initialization.ts";
 * assert.deepEqual(INITIALIZATIONS, ["uniform", "xavier", "he"]);
 * ```
 */
export const INITIALIZATIONS: readonly Initialization[] = Object.freeze([
  "uniform",
  "xavier",
  "he",
]);

/**
 * Draw one initial weight of a neuron with `fanIn` inputs in a layer of
 * `fanOut` neurons (see {@linkcode Initialization}), advancing `rng`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "./random.ts";
 * import { drawWeight } from "./initialization.ts";
 * const weight = drawWeight(new Rng(1), "xavier", 2, 16);
 * assert.ok(Math.abs(weight) <= Math.sqrt(6 / (2 + 16)));
 * ```
 */
export function drawWeight(
  rng: Rng,
  init: Initialization,
  fanIn: number,
  fanOut: number,
): number {
  switch (init) {
    case "uniform":
      return rng.uniform(-1, 1);
    case "xavier": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniform(-limit, limit);
    }
    case "he":
      return rng.normal(0, Math.sqrt(2 / fanIn));
  }
}
