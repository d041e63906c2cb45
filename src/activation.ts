/**
 * The nonlinearities a neuron can apply to its weighted sum, on graph
 * {@linkcode Value}s (for training) and on plain numbers (for the graph-free
 * `MLP.predict`). Both forms give the same number, bit for bit.
 *
 * @module
 */

import type { Value } from "./engine.ts";
import { reluForward, sigmoidForward, tanhForward } from "./ops.ts";

/**
 * The nonlinearity a neuron applies to its weighted sum: `"relu"`
 * (`max(0, z)`), `"tanh"`, `"sigmoid"` (`1 / (1 + e^-z)`) or `"linear"` (none).
 */
export type Activation = "relu" | "tanh" | "sigmoid" | "linear";

/**
 * Every {@linkcode Activation}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACTIVATIONS } from "./activation.ts";
 * assert.ok(ACTIVATIONS.includes("tanh"));
 * ```
 */
export const ACTIVATIONS: readonly Activation[] = Object.freeze([
  "relu",
  "tanh",
  "sigmoid",
  "linear",
]);

/**
 * The activation as a graph node on top of `z` (no node for `"linear"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { activateValue } from "./activation.ts";
 * assert.equal(activateValue("relu", new Value(-2)).data, 0);
 * ```
 */
export function activateValue(activation: Activation, z: Value): Value {
  switch (activation) {
    case "relu":
      return z.relu();
    case "tanh":
      return z.tanh();
    case "sigmoid":
      return z.sigmoid();
    case "linear":
      return z;
  }
}

/**
 * The activation over a plain number. It must give exactly what the
 * matching {@linkcode Value} method gives, so that `MLP.predict` equals
 * `MLP.forward` bit for bit (tests check this).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { activate, activateValue } from "./activation.ts";
 * assert.equal(activate("sigmoid", 0.5), activateValue("sigmoid", new Value(0.5)).data);
 * ```
 */
export function activate(activation: Activation, z: number): number {
  switch (activation) {
    // The op table's kernels, which the Value methods use too.
    case "relu":
      return reluForward(z);
    case "tanh":
      return tanhForward(z);
    case "sigmoid":
      return sigmoidForward(z);
    case "linear":
      return z;
  }
}
