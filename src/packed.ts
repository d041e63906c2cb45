/**
 * A model's parameters copied into flat arrays, for evaluating many points
 * in a row: the decision grid (64 × 64 cells), a whole training or test
 * set. `MLP.activations` reads every weight through its `Value` object,
 * which is right for one point but pointer-chasing for thousands; a
 * {@linkcode PackedModel} reads each weight from a `Float64Array` and
 * allocates nothing per point, about three times faster on a deep network.
 *
 * The numbers are exactly `MLP.activations`'s, bit for bit: the same
 * features, the same order of additions (0, then `w[i]·x[i]` left to right,
 * then the bias) and the same activation kernels. A pack is a snapshot:
 * pack again after the parameters change.
 *
 * @module
 */

import { activate, type Activation } from "./activation.ts";
import {
  type FeatureName,
  featureValues,
  isIdentityFeatures,
} from "./features.ts";
import type { MLP } from "./nn.ts";

/**
 * A snapshot of an MLP's weights, biases and activations in flat arrays.
 *
 * @example Same numbers as the model, for many points
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { PackedModel } from "./packed.ts";
 * const model = new MLP(2, [8, 8, 1], { seed: 3 });
 * const packed = new PackedModel(model);
 * for (const point of [[0.5, -1], [2, 0.25], [-3, 3]]) {
 *   assert.deepEqual(Array.from(packed.run(point)), model.predict(point));
 * }
 * ```
 */
export class PackedModel {
  /** Per layer, the weights row by row: neuron `j`'s start at `j * inputs`. */
  readonly #weights: Float64Array[];
  readonly #biases: Float64Array[];
  readonly #activations: Activation[][];
  /** The features to compute from a point, or `null` to read it as is. */
  readonly #features: readonly FeatureName[] | null;
  /** What `run` writes each layer's outputs into (reused point to point). */
  readonly #outputs: Float64Array[];
  /** The first layer's input (the point, or its features). */
  readonly #input: Float64Array;

  /**
   * Copy `model`'s parameters now.
   *
   * @param model The network; later changes to it are not seen.
   */
  constructor(model: MLP) {
    this.#weights = [];
    this.#biases = [];
    this.#activations = [];
    this.#outputs = [];
    for (const layer of model.layers) {
      const neurons = layer.neurons;
      const inputs = neurons[0].weights.length;
      const weights = new Float64Array(neurons.length * inputs);
      const biases = new Float64Array(neurons.length);
      neurons.forEach((neuron, j) => {
        neuron.weights.forEach((w, i) => weights[j * inputs + i] = w.data);
        biases[j] = neuron.bias.data;
      });
      this.#weights.push(weights);
      this.#biases.push(biases);
      this.#activations.push(neurons.map((neuron) => neuron.activation));
      this.#outputs.push(new Float64Array(neurons.length));
    }
    this.#input = new Float64Array(model.nin);
    this.#features = model.features === null ||
        isIdentityFeatures(model.features)
      ? null
      : model.features;
  }

  /**
   * Run one input through the network, as `MLP.activations(input)` does
   * (without its argument checks: `input` must have the model's input
   * size). Every layer's outputs land in arrays owned by the pack, which the
   * next call overwrites: copy what you keep.
   *
   * @param input The model's input (a point `[x, y]` when it has features).
   * @returns The last layer's outputs (the model's scores).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * import { PackedModel } from "./packed.ts";
   * const model = new MLP(1, [1], { features: ["x2"], seed: 1 });
   * const packed = new PackedModel(model);
   * assert.deepEqual(Array.from(packed.run([3, 0])), model.predict([3, 0]));
   * ```
   */
  run(input: ArrayLike<number>): Float64Array {
    // Always a Float64Array in the inner loop: one shape for V8 to compile.
    const first = this.#input;
    if (this.#features === null) {
      for (let i = 0; i < first.length; i++) first[i] = input[i];
    } else {
      const values = featureValues(input[0], input[1], this.#features);
      for (let i = 0; i < first.length; i++) first[i] = values[i];
    }
    let x = first;
    const weights = this.#weights;
    const outputs = this.#outputs;
    for (let l = 0; l < weights.length; l++) {
      const w = weights[l];
      const b = this.#biases[l];
      const activations = this.#activations[l];
      const out = outputs[l];
      const inputs = x.length;
      for (let j = 0; j < out.length; j++) {
        const row = j * inputs;
        let total = 0;
        for (let i = 0; i < inputs; i++) total += w[row + i] * x[i];
        out[j] = activate(activations[j], total + b[j]);
      }
      x = out;
    }
    return outputs[outputs.length - 1];
  }

  /**
   * Each layer's outputs from the last {@linkcode PackedModel.run}, input
   * side first (the arrays the pack reuses).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * import { PackedModel } from "./packed.ts";
   * const model = new MLP(2, [4, 1], { seed: 2 });
   * const packed = new PackedModel(model);
   * packed.run([1, -1]);
   * assert.deepEqual(packed.layers.map((layer) => Array.from(layer)), model.activations([1, -1]));
   * ```
   */
  get layers(): readonly Float64Array[] {
    return this.#outputs;
  }
}

/**
 * The model's scores for every point: `points.map((p) => model.predict(p))`
 * with one pack (points are not checked: the callers' sets are).
 *
 * @param model The network.
 * @param points Inputs of the model's input size.
 * @returns One array of scores per point.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { predictAll } from "./packed.ts";
 * const model = new MLP(2, [3, 2], { seed: 5 });
 * const points = [[0, 1], [1, 0], [-2, 2]];
 * assert.deepEqual(predictAll(model, points), points.map((p) => model.predict(p)));
 * ```
 */
export function predictAll(
  model: MLP,
  points: readonly (readonly number[])[],
): number[][] {
  const packed = new PackedModel(model);
  return points.map((point) => Array.from(packed.run(point)));
}
