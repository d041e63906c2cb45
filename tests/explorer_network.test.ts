/**
 * What the training view's network diagram shows, computed in the training
 * worker (`playground/worker/neuron_grid.ts`): each neuron's output over the
 * plane, and the gradient of the training loss for every weight.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Value } from "../src/engine.ts";
import { MLP } from "../src/nn.ts";
import {
  encodeTargets,
  l2Penalty,
  lossFromTargets,
  type LossName,
} from "../src/loss.ts";
import { makeMoons } from "../src/data.ts";
import { Trainer } from "../src/train.ts";
import {
  neuronGrids,
  trainingGradients,
} from "../playground/worker/neuron_grid.ts";

const close = (a: number, b: number, tolerance = 1e-12) =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

describe("neuronGrids", () => {
  test("the output layer's grid is the model's prediction at each cell's center", () => {
    const model = new MLP(2, [5, 4, 1], { seed: 11, activation: "tanh" });
    const bounds = { xMin: -2, xMax: 3, yMin: -1, yMax: 1 };
    const resolution = 7;
    const grids = neuronGrids(model, bounds, resolution);
    // Cell centers, computed as Trainer.evaluateGrid does.
    const cellWidth = (bounds.xMax - bounds.xMin) / resolution;
    const cellHeight = (bounds.yMax - bounds.yMin) / resolution;
    for (let row = 0; row < resolution; row++) {
      for (let column = 0; column < resolution; column++) {
        const x = bounds.xMin + (column + 0.5) * cellWidth;
        const y = bounds.yMin + (row + 0.5) * cellHeight;
        const [expected] = model.predict([x, y]);
        const cell = row * resolution + column;
        assert.ok(
          close(grids.layers[2][0][cell], expected),
          `cell ${row},${column}`,
        );
        assert.equal(grids.inputs[0][cell], x);
        assert.equal(grids.inputs[1][cell], y);
      }
    }
  });

  test("the output layer is bit for bit the trainer's decision grid", () => {
    const trainer = new Trainer({ hidden: [6, 5], activation: "relu" });
    const bounds = trainer.dataBounds();
    const grids = neuronGrids(trainer.model, bounds, 9);
    assert.deepEqual(
      [...grids.layers[2][0]],
      [...trainer.evaluateGrid(bounds, 9)],
    );
  });

  test("a hidden neuron's grid is its activation of its weighted inputs", () => {
    for (const activation of ["relu", "tanh", "sigmoid", "linear"] as const) {
      const model = new MLP(2, [3, 1], { seed: 5, activation });
      const grids = neuronGrids(
        model,
        { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
        4,
      );
      const neuron = model.layers[0].neurons[2];
      const x = grids.inputs[0][5], y = grids.inputs[1][5];
      const [output] = [neuron.forward([new Value(x), new Value(y)])];
      assert.ok(close(grids.layers[0][2][5], output.data), activation);
      assert.equal(grids.activations[0], activation);
      assert.equal(grids.activations[1], "linear");
    }
  });

  test("only a model of the plane (2 inputs) can be drawn this way", () => {
    const model = new MLP(3, [2, 1], { seed: 1 });
    assert.throws(
      () => neuronGrids(model, { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2),
      RangeError,
    );
  });
});

describe("trainingGradients", () => {
  /** The gradient from one graph of the whole batch, as the trainer builds it. */
  function fullBatchGradients(
    model: MLP,
    x: number[][],
    y: number[],
    loss: LossName,
    l2: number,
  ) {
    const outputs = model.sizes[model.sizes.length - 1];
    const targets = encodeTargets(loss, y, outputs).map((row) =>
      row.map((t) => new Value(t))
    );
    const scores = x.map((point) => model.forward(point));
    let total = lossFromTargets(loss, scores, targets);
    if (l2 > 0) total = total.add(l2Penalty(model.parameters(), l2));
    model.zeroGrad();
    total.backward();
    return { loss: total.data, grads: model.parameters().map((p) => p.grad) };
  }

  for (
    const loss of ["hinge", "mse", "logistic", "crossEntropy"] as LossName[]
  ) {
    test(`one point at a time gives the full-batch gradient (${loss}, with L2)`, () => {
      const classes = loss === "crossEntropy" ? 3 : 2;
      const data = makeMoons(24, { noise: 0.1, seed: 3 });
      const labels = data.y.map((label, i) =>
        classes === 3 ? (label + i) % 3 : label
      );
      const model = new MLP(2, [6, classes === 3 ? 3 : 1], { seed: 9 });
      const json = model.toJSON();
      const expected = fullBatchGradients(model, data.x, labels, loss, 1e-3);
      const result = trainingGradients(
        json,
        { x: data.x, y: labels, classes },
        loss,
        1e-3,
      );
      const flat = result.layers.flatMap((layer) =>
        layer.flatMap((neuron) => [...neuron.weights, neuron.bias])
      );
      assert.equal(flat.length, expected.grads.length);
      flat.forEach((g, i) =>
        assert.ok(
          close(g, expected.grads[i], 1e-9),
          `parameter ${i}: ${g} vs ${expected.grads[i]}`,
        )
      );
      assert.ok(close(result.loss, expected.loss, 1e-9));
    });
  }

  test("the weights it is given are not changed", () => {
    const json = new MLP(2, [3, 1], { seed: 2 }).toJSON();
    const copy = JSON.parse(JSON.stringify(json));
    trainingGradients(json, { x: [[0, 1]], y: [1], classes: 2 }, "hinge", 0.1);
    assert.deepEqual(json, copy);
  });
});
