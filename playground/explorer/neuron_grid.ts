/**
 * What the network diagram shows, computed in the training worker (see
 * `TrainingSession.neuronGrids` and `TrainingSession.parameterGradients`)
 * so the page only draws: every neuron's output over a grid of the plane
 * (the small heatmaps, TF Playground's best feature) and the gradient of
 * the training loss with respect to every weight (shown when a link is
 * clicked).
 *
 * The grids are plain-number forward passes over `MLPJson` (no graph is
 * built): a 2-16-16-1 MLP on a 20x20 grid is about 130 000 multiply-adds.
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
// The activation MLP.predict applies, so the grids equal its outputs exactly.
import { activate, type Activation } from "../../src/activation.ts";
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
 * Each neuron's output over a grid of the plane, for a model with 2 inputs.
 *
 * @example
 * ```ts
 * import { MLP } from "../../src/nn.ts";
import type { GridBounds } from "../../src/train.ts";
 * import { neuronGrids } from "./neuron_grid.ts";
 * const model = new MLP(2, [3, 1], { seed: 1 });
 * const grids = neuronGrids(model.toJSON(), { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }, 4);
 * console.log(grids.layers.length, grids.layers[0].length, grids.layers[0][0].length); // 2 3 16
 * ```
 */
export function neuronGrids(
  model: MLPJson,
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
  const cellWidth = (bounds.xMax - bounds.xMin) / resolution;
  const cellHeight = (bounds.yMax - bounds.yMin) / resolution;
  for (let row = 0; row < resolution; row++) {
    for (let column = 0; column < resolution; column++) {
      inputs[0][row * resolution + column] = bounds.xMin +
        (column + 0.5) * cellWidth;
      inputs[1][row * resolution + column] = bounds.yMin +
        (row + 0.5) * cellHeight;
    }
  }
  const activations = model.layers.map((_, l) =>
    l === model.layers.length - 1 ? model.outputActivation : model.activation
  );
  const layers: Float64Array[][] = [];
  let previous = inputs;
  model.layers.forEach((neurons, l) => {
    const outputs = neurons.map((neuron) => {
      const grid = new Float64Array(cells);
      const weights = neuron.weights;
      for (let cell = 0; cell < cells; cell++) {
        // The order of MLP.predict (the weighted sum from 0, left to right,
        // then the bias), so the output layer equals Trainer.evaluateGrid
        // bit for bit.
        let sum = 0;
        for (let i = 0; i < weights.length; i++) {
          sum += weights[i] * previous[i][cell];
        }
        grid[cell] = activate(activations[l], sum + neuron.bias);
      }
      return grid;
    });
    layers.push(outputs);
    previous = outputs;
  });
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
 * import { MLP } from "../../src/nn.ts";
import type { GridBounds } from "../../src/train.ts";
 * import { trainingGradients } from "./neuron_grid.ts";
 * const model = new MLP(2, [3, 1], { seed: 1 });
 * const data = { x: [[0.5, 1], [-1, 0]], y: [1, 0], classes: 2 };
 * const gradients = trainingGradients(model.toJSON(), data, "hinge", 0);
 * console.log(gradients.layers[1][0].weights.length); // 3
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
