/**
 * What the training view's network diagram shows, computed in the training
 * worker's session (`playground/worker/session.ts`) with the library: each
 * neuron's output over the plane (`evaluateGrid` with `{ neurons: true }`)
 * and the gradient of the training loss for every weight
 * (`Trainer.gradients`).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Value } from "../src/engine.ts";
import { gridCellCenters } from "../src/grid.ts";
import type { TrainConfig } from "../src/config.ts";
import {
  type SessionHost,
  TrainingSession,
} from "../playground/worker/session.ts";

/** A host with real time but no worker. */
const host: SessionHost = {
  now: () => performance.now(),
  yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
  sleep: (milliseconds) =>
    new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

function sessionWith(config: Partial<TrainConfig>): TrainingSession {
  const session = new TrainingSession(host);
  session.reset(config);
  return session;
}

describe("neuronGrids (the diagram's heatmaps)", () => {
  test("the inputs are the library's cell centres; the output layer is the decision grid, bit for bit", () => {
    const session = sessionWith({ hidden: [5, 4], activation: "tanh" });
    const grids = session.neuronGrids(7);
    const [xs, ys] = gridCellCenters(grids.bounds, 7);
    assert.deepEqual([...grids.inputs[0]], [...xs]);
    assert.deepEqual([...grids.inputs[1]], [...ys]);
    assert.deepEqual(
      [...grids.layers[2][0]],
      [...session.trainer.evaluateGrid(grids.bounds, 7)],
    );
    for (let cell = 0; cell < 49; cell++) {
      const [expected] = session.trainer.model.predict([xs[cell], ys[cell]]);
      assert.equal(grids.layers[2][0][cell], expected, `cell ${cell}`);
    }
  });

  test("a hidden neuron's grid is its activation of its weighted inputs", () => {
    for (const activation of ["relu", "tanh", "sigmoid", "linear"] as const) {
      const session = sessionWith({ hidden: [3], activation, seed: 5 });
      const grids = session.neuronGrids(4);
      const neuron = session.trainer.model.layers[0].neurons[2];
      const x = grids.inputs[0][5], y = grids.inputs[1][5];
      const output = neuron.forward([new Value(x), new Value(y)]);
      assert.equal(grids.layers[0][2][5], output.data, activation);
      assert.deepEqual(grids.activations, [activation, "linear"]);
    }
  });

  test("several outputs: one grid per output neuron", () => {
    const session = sessionWith({ dataset: "spiral", classes: 3, hidden: [4] });
    const grids = session.neuronGrids(5);
    assert.equal(grids.layers[1].length, 3);
    const decision = session.trainer.evaluateGrid(grids.bounds, 5);
    for (let cell = 0; cell < 25; cell++) {
      for (let o = 0; o < 3; o++) {
        assert.equal(grids.layers[1][o][cell], decision[cell * 3 + o]);
      }
    }
  });
});

describe("parameterGradients (a link's gradient)", () => {
  for (const loss of ["hinge", "mse", "logistic", "crossEntropy"] as const) {
    test(`is the trainer's full-batch gradient, shaped by neuron (${loss}, with L2)`, async () => {
      const session = sessionWith({
        loss,
        hidden: [6],
        l2: 1e-3,
        points: 24,
        ...(loss === "crossEntropy" ? { dataset: "spiral", classes: 3 } : {}),
      });
      await session.step();
      const result = session.parameterGradients();
      const expected = session.trainer.gradients();
      const flat = result.gradients.layers.flatMap((layer) =>
        layer.flatMap((neuron) => [...neuron.weights, neuron.bias])
      );
      assert.deepEqual(flat, [...expected.gradients]);
      assert.equal(result.gradients.loss, expected.loss);
      assert.equal(result.trainPoints, session.trainer.train.x.length);
      assert.deepEqual(result.model, session.modelJson());
    });
  }

  test("asking for gradients does not disturb training", async () => {
    const config = { hidden: [4], optimizer: "adam" as const, batchSize: 8 };
    const asked = sessionWith(config);
    const quiet = sessionWith(config);
    for (let step = 0; step < 5; step++) {
      asked.parameterGradients();
      await asked.step();
      await quiet.step();
    }
    assert.deepEqual(asked.modelJson(), quiet.modelJson());
  });
});
