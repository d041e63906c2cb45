/**
 * What the network diagram shows, computed in the training worker (see
 * `TrainingSession.neuronGrids` and `TrainingSession.parameterGradients`)
 * so the page only draws: every neuron's output over a grid of the plane
 * (the small heatmaps, TF Playground's best feature) and the gradient of
 * the training loss with respect to every weight (shown when a link is
 * clicked).
 *
 * The grids are the library's plain-number forward pass
 * (`MLP.activations`, no graph is built): a 2-16-16-1 MLP on a 20x20 grid
 * is about 130 000 multiply-adds.
 *
 * @module
 */

import { Value } from "../../src/engine.ts";
import type { Dataset } from "../../src/data.ts";
import {
  encodeTargets,
  l2Penalty,
  lossFromTargets,
  type LossName,
} from "../../src/loss.ts";
import type { Activation } from "../../src/activation.ts";
import type { MLPJson } from "../../src/model_json.ts";
import { MLP } from "../../src/nn.ts";
import type { GridBounds } from "../../src/train.ts";

/** Every neuron's output over a `resolution` x `resolution` grid. */
export interface NeuronGrids {
  /** Cells per side. */
  resolution: number;
  /** The rectangle covered; cell (row, column) has its center at
   * `xMin + (column + 0.5) * width / resolution`, `yMin + (row + 0.5) * height / resolution`
   * (row 0 at the bottom, as in `Trainer.evaluateGrid`). */
  bounds: GridBounds;
  /** `inputs[i]`: input i over the grid (row-major). */
  inputs: Float64Array[];
  /** `layers[l][j]`: neuron j of layer l over the grid (after its activation). */
  layers: Float64Array[][];
  /** The activation of each layer. */
  activations: Activation[];
}

/**
 * The centres of `resolution` equal cells from `min` to `max`, computed as
 * `Trainer.evaluateGrid` does (so the numbers match bit for bit).
 */
function axisCentres(min: number, max: number, resolution: number): number[] {
  const width = (max - min) / resolution;
  return Array.from({ length: resolution }, (_, i) => min + (i + 0.5) * width);
}

/**
 * Each neuron's output over a grid of the plane, for a model with 2 inputs:
 * the model's own `MLP.activations` at each cell's centre (the centres of
 * `Trainer.evaluateGrid`), so the output layer is the decision grid exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "../../src/nn.ts";
 * import { neuronGrids } from "./neuron_grid.ts";
 * const model = new MLP(2, [3, 1], { seed: 1 });
 * const bounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
 * const grids = neuronGrids(model, bounds, 4);
 * assert.deepEqual(grids.layers.map((layer) => layer.length), [3, 1]);
 * assert.equal(grids.layers[0][0].length, 16);
 * assert.equal(grids.inputs[0][0], -0.75); // the first cell's centre
 * assert.deepEqual(grids.activations, ["relu", "linear"]);
 * ```
 */
export function neuronGrids(
  model: MLP,
  bounds: GridBounds,
  resolution: number,
): NeuronGrids {
  if (model.nin !== 2) {
    throw new RangeError(
      `neuronGrids: the model must have 2 inputs (a point of the plane), got ${model.nin}`,
    );
  }
  const cells = resolution * resolution;
  const inputs = [new Float64Array(cells), new Float64Array(cells)];
  const layers = model.layers.map((layer) =>
    layer.neurons.map(() => new Float64Array(cells))
  );
  const xs = axisCentres(bounds.xMin, bounds.xMax, resolution);
  const ys = axisCentres(bounds.yMin, bounds.yMax, resolution);
  const point = [0, 0];
  for (let cell = 0; cell < cells; cell++) {
    point[0] = inputs[0][cell] = xs[cell % resolution];
    point[1] = inputs[1][cell] = ys[Math.floor(cell / resolution)];
    const outputs = model.activations(point);
    for (let l = 0; l < layers.length; l++) {
      for (let j = 0; j < layers[l].length; j++) {
        layers[l][j][cell] = outputs[l][j];
      }
    }
  }
  const activations = model.layers.map((_, l) =>
    l === model.layers.length - 1 ? model.outputActivation : model.activation
  );
  return { resolution, bounds, inputs, layers, activations };
}

/** The gradient for each parameter, shaped like `MLPJson.layers`. */
export interface ParameterGradients {
  /** `layers[l][j]`: neuron j of layer l. */
  layers: { weights: number[]; bias: number }[][];
  /** The loss the gradients are of (data loss + L2 penalty). */
  loss: number;
}

/**
 * The gradient of the full-batch training loss (mean data loss over every
 * training point, plus the L2 penalty) with respect to every weight and
 * bias. Built one point at a time — each point's loss divided by the number
 * of points, backpropagated into the same parameters (grads add up) — so
 * memory stays at one point's graph however large the dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "../../src/nn.ts";
 * import { trainingGradients } from "./neuron_grid.ts";
 * const model = new MLP(2, [3, 1], { seed: 1 });
 * const data = { x: [[0.5, 1], [-1, 0]], y: [1, 0], classes: 2 };
 * const gradients = trainingGradients(model.toJSON(), data, "hinge", 0);
 * assert.equal(gradients.layers[1][0].weights.length, 3);
 * assert.ok(gradients.loss >= 0);
 * ```
 */
export function trainingGradients(
  json: MLPJson,
  train: Dataset,
  loss: LossName,
  l2: number,
): ParameterGradients {
  const model = MLP.fromJSON(json);
  const outputs = model.sizes[model.sizes.length - 1];
  const count = train.x.length;
  let total = 0;
  if (count > 0) {
    const targets = encodeTargets(loss, train.y, outputs);
    for (let i = 0; i < count; i++) {
      const scores = model.forward(train.x[i]);
      const target = targets[i].map((t) => new Value(t));
      const share = lossFromTargets(loss, [scores], [target]).mul(1 / count);
      total += share.data;
      share.backward(); // parameters are leaves: their grads add up
    }
  }
  if (l2 > 0) {
    const penalty = l2Penalty(model.parameters(), l2);
    total += penalty.data;
    penalty.backward();
  }
  return {
    loss: total,
    layers: model.layers.map((layer) =>
      layer.neurons.map((neuron) => ({
        weights: neuron.weights.map((weight) => weight.grad),
        bias: neuron.bias.grad,
      }))
    ),
  };
}
