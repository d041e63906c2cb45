/**
 * Input features, regression, L1 and datasets of your own, through the
 * whole library: the feature transform and its gradients are the same on
 * the tape as in the Value engine, bit for bit; the default features add
 * nothing; saved models keep their features; R², mean absolute error and
 * the penalties match hand computations.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { estimateCost, resolveConfig } from "../src/config.ts";
import { datasetFromPoints, makeDataset } from "../src/data.ts";
import { Value } from "../src/engine.ts";
import {
  FEATURE_NAMES,
  type FeatureName,
  featureNodes,
  featureValues,
} from "../src/features.ts";
import { evaluateGrid, gridCellCenters } from "../src/grid.ts";
import { l1Penalty, l2Penalty } from "../src/loss.ts";
import { meanAbsoluteError, r2Score } from "../src/metrics.ts";
import { MLP } from "../src/nn.ts";
import { type StepStats, Trainer } from "../src/train.ts";
import { TapeEngine, ValueEngine } from "../src/step_engine.ts";

/** Stats without the wall time, which differs between runs. */
function numbers(
  stats: StepStats,
): Omit<StepStats, "milliseconds" | "compiled"> {
  const { milliseconds: _m, compiled: _c, ...rest } = stats;
  return rest;
}

/** Train two trainers side by side and compare every step and weight. */
function assertSameRuns(a: Trainer, b: Trainer, steps: number): void {
  for (let k = 0; k < steps; k++) {
    assert.deepEqual(numbers(a.step()), numbers(b.step()), `step ${k + 1}`);
  }
  assert.deepEqual(
    a.model.parameters().map((p) => p.data),
    b.model.parameters().map((p) => p.data),
  );
}

describe("the feature transform", () => {
  test("numbers and graph nodes agree, bit for bit, for every feature", () => {
    for (const [x, y] of [[0.3, -1.7], [0, -0], [2.5, 1e5], [-3.14159, 7]]) {
      const nodes = featureNodes(new Value(x), new Value(y), FEATURE_NAMES);
      assert.deepEqual(
        nodes.map((n) => n.data),
        featureValues(x, y, FEATURE_NAMES),
      );
    }
  });

  test("gradients flow into x and y as calculus says", () => {
    const x = new Value(0.8), y = new Value(-1.7);
    Value.sum(featureNodes(x, y, FEATURE_NAMES)).backward();
    // d/dx (x + y + x² + y² + xy + sin x + sin y) = 1 + 2x + y + cos x
    assert.ok(Math.abs(x.grad - (1 + 1.6 - 1.7 + Math.cos(0.8))) < 1e-15);
    assert.ok(Math.abs(y.grad - (1 - 3.4 + 0.8 + Math.cos(-1.7))) < 1e-15);
  });

  test('["x", "y"] is the identity: the same leaves, no node', () => {
    const x = new Value(1), y = new Value(2);
    const [a, b] = featureNodes(x, y, ["x", "y"]);
    assert.ok(a === x && b === y);
  });

  test("an MLP with features: forward, predict and activations agree", () => {
    const features: FeatureName[] = ["x2", "y2", "xy", "sinx", "siny"];
    const model = new MLP(5, [4, 1], { features, seed: 3 });
    assert.equal(model.inputSize, 2);
    for (const point of [[0.5, -0.25], [1.5, 2]]) {
      const [score] = model.forward(point);
      assert.equal(score.data, model.predict(point)[0]);
      const direct = new MLP(5, [4, 1], { seed: 3 });
      assert.deepEqual(
        model.predict(point),
        direct.predict(featureValues(point[0], point[1], features)),
      );
    }
    assert.throws(() => model.predict([1, 2, 3, 4, 5]), { field: "x" });
    assert.throws(() => new MLP(2, [1], { features: ["x2"] }), {
      field: "nin",
    });
    assert.throws(() => new MLP(1, [1], { features: ["z" as never] }), {
      field: "features[0]",
    });
  });

  test("the grid evaluates through the features; neuron grids show each feature", () => {
    const features: FeatureName[] = ["y", "sinx", "xy"];
    const model = new MLP(3, [2, 1], { features, seed: 4 });
    const bounds = { xMin: -2, xMax: 2, yMin: -1, yMax: 1 };
    const grid = evaluateGrid(model, bounds, 5);
    const [xs, ys] = gridCellCenters(bounds, 5);
    for (let cell = 0; cell < 25; cell++) {
      assert.equal(grid[cell], model.predict([xs[cell], ys[cell]])[0]);
    }
    const neurons = evaluateGrid(model, bounds, 5, { neurons: true });
    assert.deepEqual(neurons.featureNames, features);
    for (let cell = 0; cell < 25; cell++) {
      assert.deepEqual(
        neurons.features.map((f) => f[cell]),
        featureValues(xs[cell], ys[cell], features),
      );
    }
    assert.throws(() => evaluateGrid(new MLP(3, [1]), bounds, 2), {
      field: "model",
    });
  });
});

describe("training with features: the tape is the Value engine, bit for bit", () => {
  for (
    const features of [
      ["x", "y", "x2", "y2", "xy", "sinx", "siny"],
      ["sinx", "y2"],
      ["y", "x"],
    ] as FeatureName[][]
  ) {
    test(features.join(","), () => {
      const config = {
        dataset: "circles" as const,
        features,
        hidden: [6],
        batchSize: 20,
        l1: 1e-3,
        testFraction: 0.2,
      };
      const tape = new Trainer({ ...config, compile: true });
      const value = new Trainer({ ...config, compile: false });
      assertSameRuns(tape, value, 8);
    });
  }

  test("the step's gradient through the features matches the engines' problem", () => {
    const model = new MLP(3, [3, 1], { features: ["xy", "sinx", "x2"] });
    const problem = {
      model,
      parameters: model.parameters(),
      loss: "mse" as const,
      l2: 1e-3,
      l1: 1e-2,
      points: [[0.5, -1], [2, 0.25], [-1, -1]],
      targets: [[0.3], [-1.2], [2]],
    };
    const gradients = (engine: TapeEngine | ValueEngine): number[] => {
      for (const p of problem.parameters) p.grad = 0;
      engine.forward([2, 0]);
      engine.backward();
      return problem.parameters.map((p) => p.grad);
    };
    const tape = new TapeEngine(problem);
    gradients(tape); // records
    assert.deepEqual(gradients(tape), gradients(new ValueEngine(problem)));
  });
});

describe("the default features add nothing", () => {
  test("micrograd's demo: same numbers and node counts as a model without features", () => {
    for (const compile of [true, false]) {
      const withFeatures = new Trainer({ compile });
      assert.deepEqual(withFeatures.model.features, ["x", "y"]);
      const plain = new Trainer({ compile }, {
        model: new MLP(2, [16, 16, 1], { seed: 1337 }),
      });
      assert.equal(plain.model.features, null);
      assertSameRuns(withFeatures, plain, 5);
      assert.equal(withFeatures.step().nodes, plain.step().nodes);
    }
  });

  test("the demo's graph has the same node count as before features existed", () => {
    assert.equal(new Trainer().step().nodes, 10_745);
  });
});

describe("saved models keep their features", () => {
  test("toJSON writes them, fromJSON reads them back, predictions equal", () => {
    const trainer = new Trainer({ features: ["x2", "y2"], hidden: [] });
    trainer.step();
    const json = JSON.parse(JSON.stringify(trainer.model));
    assert.deepEqual(json.features, ["x2", "y2"]);
    const copy = MLP.fromJSON(json);
    assert.deepEqual(copy.features, ["x2", "y2"]);
    assert.deepEqual(
      copy.predict([0.3, 0.4]),
      trainer.model.predict([0.3, 0.4]),
    );
    assert.deepEqual(copy.clone().features, ["x2", "y2"]);
    // it continues training with the same features, and only with them
    new Trainer({ features: ["x2", "y2"], hidden: [] }, { model: copy });
    assert.throws(
      () => new Trainer({ features: ["x", "y"], hidden: [] }, { model: copy }),
      {
        name: "FieldRangeError",
        field: "options.model",
        message: /must be an MLP 2-1 .* got an MLP \[x2,y2\]-1/,
      },
    );
    assert.throws(
      () =>
        new Trainer({ features: ["y2", "x2"], hidden: [] }, { model: copy }),
      { field: "options.model" },
    );
  });

  test("a file without features is a model of raw inputs: x, y for two", () => {
    const old = new MLP(2, [4, 1]).toJSON();
    assert.equal("features" in old, false);
    const model = MLP.fromJSON(old);
    assert.equal(model.features, null);
    assert.deepEqual(model.pointFeatures, ["x", "y"]);
    new Trainer({ hidden: [4] }, { model });
    assert.throws(
      () => new Trainer({ hidden: [4], features: ["x", "y", "xy"] }, { model }),
      { field: "options.model" },
    );
  });

  test("a features list that does not fit the file is refused", () => {
    const json = new MLP(2, [1], { features: ["x", "sinx"] }).toJSON();
    assert.throws(() => MLP.fromJSON({ ...json, features: ["x"] }), {
      name: "FieldRangeError",
      field: "json.features",
      message:
        "MLP.fromJSON: json.features must list json.nin (2) features, one per input, got 1",
    });
    assert.throws(() => MLP.fromJSON({ ...json, features: ["x", "x"] }), {
      field: "json.features",
    });
    assert.throws(() => MLP.fromJSON({ ...json, features: "x,y" }), {
      name: "FieldTypeError",
    });
  });
});

describe("the lesson: circles are separable with x² and y² and no hidden layer", () => {
  test("test accuracy >= 0.95", () => {
    const trainer = new Trainer({
      dataset: "circles",
      points: 200,
      testFraction: 0.2,
      features: ["x2", "y2"],
      hidden: [],
      loss: "logistic",
      steps: 300,
      learningRate: 0.5,
    });
    let stats = trainer.step();
    while (trainer.stepCount < 300) stats = trainer.step();
    assert.ok(
      stats.testAccuracy! >= 0.95,
      `test accuracy ${stats.testAccuracy}`,
    );
  });
});

describe("regression", () => {
  test("R² and mean absolute error against hand computations", () => {
    // targets 1, 2, 3, 6 (mean 3): total 4 + 1 + 0 + 9 = 14
    const targets = [1, 2, 3, 6];
    const predictions = [1.5, 2, 2, 5];
    // residuals 0.25 + 0 + 1 + 1 = 2.25
    assert.equal(r2Score(predictions, targets), 1 - 2.25 / 14);
    assert.equal(meanAbsoluteError(predictions, targets), 2.5 / 4);
    assert.equal(r2Score([2, 2], [2, 2]), 1);
    assert.equal(r2Score([2, 3], [2, 2]), 0);
    assert.ok(Number.isNaN(r2Score([NaN, 1], [0, 1])));
    assert.throws(() => r2Score([], []), RangeError);
    assert.throws(() => r2Score([1], [1, 2]), { field: "targets" });
  });

  test("plane: mse on one output, R² and MAE in the stats, accuracy NaN", () => {
    const trainer = new Trainer({
      dataset: "plane",
      testFraction: 0.25,
      hidden: [8],
      optimizer: "adam",
      learningRate: 0.02,
      steps: 200,
    });
    assert.equal(trainer.task, "regression");
    assert.equal(trainer.config.loss, "mse");
    assert.equal(trainer.outputs, 1);
    const first = trainer.step();
    assert.ok(Number.isNaN(first.trainAccuracy));
    assert.ok(Number.isNaN(first.testAccuracy!));
    // the loss is the mean squared error, by hand
    let stats = first;
    while (trainer.stepCount < 200) stats = trainer.step();
    const predictions = trainer.train.x.map((p) => trainer.model.predict(p)[0]);
    const evaluation = trainer.evaluate(trainer.train)!;
    const mse = predictions.reduce(
      (sum, p, i) => sum + (p - trainer.train.y[i]) ** 2,
      0,
    ) / predictions.length;
    assert.ok(Math.abs(evaluation.loss - mse) < 1e-12);
    assert.equal(evaluation.r2, r2Score(predictions, trainer.train.y));
    assert.equal(
      evaluation.meanAbsoluteError,
      meanAbsoluteError(predictions, trainer.train.y),
    );
    assert.ok(stats.testR2! > 0.9, `test R² ${stats.testR2}`);
    assert.equal(typeof stats.testMeanAbsoluteError, "number");
    // classification stats say null
    const moons = new Trainer().step();
    assert.equal(moons.r2, null);
    assert.equal(moons.meanAbsoluteError, null);
  });

  test("gaussians: tape and Value engine agree", () => {
    const config = {
      dataset: "gaussians" as const,
      hidden: [5],
      batchSize: 16,
    };
    assertSameRuns(
      new Trainer({ ...config, compile: true }),
      new Trainer({ ...config, compile: false }),
      6,
    );
  });

  test("evaluate refuses data of the other task", () => {
    const trainer = new Trainer({ dataset: "plane" });
    assert.throws(() => trainer.evaluate(makeDataset("moons")), {
      field: "dataset.task",
    });
  });
});

describe("L1 regularization", () => {
  test("the penalty is l1·Σ|p| plus l2·Σp², added to the data loss", () => {
    const trainer = new Trainer({ l1: 0.01, l2: 1e-3, hidden: [4] });
    const parameters = trainer.model.parameters();
    const expected = l2Penalty(parameters, 1e-3).data +
      l1Penalty(parameters, 0.01).data;
    const stats = trainer.step();
    assert.equal(stats.regularizationLoss, expected);
    assert.equal(stats.loss, stats.dataLoss + expected);
  });

  test("its gradient at a zero weight is 0, as PyTorch's abs", () => {
    const w = [new Value(0), new Value(-0.5), new Value(2)];
    l1Penalty(w, 0.1).backward();
    assert.deepEqual(w.map((p) => p.grad), [0, -0.1, 0.1]);
  });

  test("l1 = 0 adds no node", () => {
    assert.equal(
      new Trainer({ l1: 0 }).step().nodes,
      new Trainer().step().nodes,
    );
    assert.equal(
      new Trainer({ l1: 0.1 }).step().nodes,
      // an abs per parameter, the sum, the strength leaf, its product, the add
      new Trainer().step().nodes + 337 + 4,
    );
  });
});

describe("datasets of your own in the Trainer", () => {
  test("the data's points and classes replace the config's", () => {
    const data = datasetFromPoints(
      [[0, 0], [1, 1], [0, 1], [1, 0], [0.5, 0.5]],
      [0, 1, 2, 2, 1],
      { classNames: ["a", "b", "c"] },
    );
    const trainer = new Trainer({ testFraction: 0.2 }, { data });
    assert.equal(trainer.data, data);
    assert.equal(trainer.config.points, 5);
    assert.equal(trainer.config.classes, 3);
    assert.equal(trainer.config.loss, "crossEntropy");
    assert.equal(trainer.train.x.length + trainer.test.x.length, 5);
    assert.deepEqual(trainer.train.classNames, ["a", "b", "c"]);
    trainer.step();
  });

  test("regression data trains a regression whatever the dataset says", () => {
    const data = datasetFromPoints([[0, 0], [1, 1]], [0.5, -0.5], {
      task: "regression",
    });
    const trainer = new Trainer({ dataset: "moons" }, { data });
    assert.equal(trainer.task, "regression");
    assert.equal(typeof trainer.step().r2, "number");
  });

  test("bad data is refused", () => {
    assert.throws(
      () => new Trainer({}, { data: { x: [], y: [], classes: 2 } }),
      {
        field: "options.data",
      },
    );
    assert.throws(
      () => new Trainer({}, { data: { x: [[0, NaN]], y: [0], classes: 2 } }),
      { field: "x[0][1]" },
    );
  });
});

describe("datasetFromPoints refuses bad rows, naming them", () => {
  const cases: [string, () => unknown, string, string][] = [
    [
      "a ragged row",
      () => datasetFromPoints([[0, 0], [1, 2, 3]], [0, 1]),
      "FieldRangeError",
      "points[1]",
    ],
    [
      "a NaN",
      () => datasetFromPoints([[0, NaN]], [0]),
      "FieldRangeError",
      "points[0][1]",
    ],
    [
      "a string",
      () => datasetFromPoints([[0, "1" as never]], [0]),
      "FieldTypeError",
      "points[0][1]",
    ],
    [
      "labels of another length",
      () => datasetFromPoints([[0, 0]], [0, 1]),
      "FieldRangeError",
      "labels",
    ],
    [
      "a fractional class",
      () => datasetFromPoints([[0, 0]], [0.5]),
      "FieldRangeError",
      "labels[0]",
    ],
    [
      "a negative class",
      () => datasetFromPoints([[0, 0]], [-1]),
      "FieldRangeError",
      "labels[0]",
    ],
    [
      "an eleventh class",
      () => datasetFromPoints([[0, 0]], [10]),
      "FieldRangeError",
      "labels[0]",
    ],
    [
      "a label beyond classes",
      () => datasetFromPoints([[0, 0], [1, 1]], [0, 3], { classes: 3 }),
      "FieldRangeError",
      "labels[1]",
    ],
    [
      "names of another count",
      () => datasetFromPoints([[0, 0]], [0], { classes: 3, classNames: ["a"] }),
      "FieldRangeError",
      "classNames",
    ],
    [
      "a repeated name",
      () => datasetFromPoints([[0, 0]], [0], { classNames: ["a", "a"] }),
      "FieldRangeError",
      "classNames[1]",
    ],
    [
      "an infinite target",
      () => datasetFromPoints([[0, 0]], [Infinity], { task: "regression" }),
      "FieldRangeError",
      "labels[0]",
    ],
    [
      "classes for a regression",
      () =>
        datasetFromPoints([[0, 0]], [1], { task: "regression", classes: 2 }),
      "FieldRangeError",
      "classes",
    ],
    [
      "an unknown option",
      () => datasetFromPoints([], [], { clases: 2 } as never),
      "FieldRangeError",
      "clases",
    ],
  ];
  for (const [name, make, type, field] of cases) {
    test(name, () => assert.throws(make, { name: type, field }));
  }

  test("nothing is shared with the arguments", () => {
    const points = [[0, 0], [1, 1]];
    const labels = [0, 1];
    const data = datasetFromPoints(points, labels);
    points[0][0] = 9;
    labels[0] = 1;
    assert.deepEqual(data, { x: [[0, 0], [1, 1]], y: [0, 1], classes: 2 });
  });
});

describe("the config's budget counts the features and L1", () => {
  for (
    const config of [
      { features: FEATURE_NAMES as FeatureName[], hidden: [8, 8] },
      { features: ["sinx"] as FeatureName[], hidden: [] },
      { features: ["x2", "y2"] as FeatureName[], l1: 0.01, hidden: [4] },
    ]
  ) {
    test(JSON.stringify(config), () => {
      const resolved = resolveConfig(config);
      const cost = estimateCost(resolved);
      const nodes = new Trainer(config).step().nodes;
      assert.ok(
        cost.nodes >= nodes && cost.nodes <= 2 * nodes,
        `${cost.nodes} vs ${nodes}`,
      );
      assert.equal(
        cost.parameters,
        new Trainer(config).model.parameters().length,
      );
    });
  }
});
