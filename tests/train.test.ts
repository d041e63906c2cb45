import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_CONFIG,
  type TrainConfig,
  validateConfig,
} from "../src/config.ts";
import { DivergenceError, type StepStats, Trainer } from "../src/train.ts";
import { encodeTargets, l2Penalty, lossFromTargets } from "../src/loss.ts";
import { Value } from "../src/engine.ts";
import { MLP } from "../src/nn.ts";
import { learningRateAt } from "../src/schedule.ts";

/** Run `steps` steps and return their stats. */
function run(trainer: Trainer, steps: number): StepStats[] {
  const stats: StepStats[] = [];
  for (let k = 0; k < steps; k++) stats.push(trainer.step());
  return stats;
}

/** Stats without the wall time, which differs from run to run. */
function withoutTime(stats: StepStats[]): Omit<StepStats, "milliseconds">[] {
  return stats.map(({ milliseconds: _, ...rest }) => rest);
}

describe("micrograd's demo, reproduced by the defaults", () => {
  test("the defaults are micrograd's demo.ipynb settings", () => {
    assert.equal(DEFAULT_CONFIG.dataset, "moons");
    assert.equal(DEFAULT_CONFIG.points, 100);
    assert.equal(DEFAULT_CONFIG.noise, 0.1);
    assert.deepEqual(DEFAULT_CONFIG.hidden, [16, 16]);
    assert.equal(DEFAULT_CONFIG.activation, "relu");
    assert.equal(DEFAULT_CONFIG.init, "uniform");
    assert.equal(DEFAULT_CONFIG.loss, "hinge");
    assert.equal(DEFAULT_CONFIG.l2, 1e-4);
    assert.equal(DEFAULT_CONFIG.optimizer, "sgd");
    assert.equal(DEFAULT_CONFIG.learningRate, 1.0);
    assert.equal(DEFAULT_CONFIG.schedule, "linear");
    assert.equal(DEFAULT_CONFIG.steps, 100);
    assert.equal(DEFAULT_CONFIG.batchSize, null);
    assert.equal(DEFAULT_CONFIG.testFraction, 0);
  });

  test("new Trainer() reaches train accuracy 1.0 within 100 steps, like micrograd", () => {
    const trainer = new Trainer();
    assert.deepEqual(trainer.model.sizes, [16, 16, 1]);
    assert.equal(trainer.outputs, 1);
    const stats = run(trainer, 100);
    const last = stats[99];
    assert.equal(last.step, 100);
    assert.equal(last.trainAccuracy, 1);
    // micrograd ends at loss 0.011; ours (other random weights) ends close.
    assert.ok(last.loss < 0.03, `final loss ${last.loss}`);
    assert.ok(stats[0].loss > 10 * last.loss, "the loss fell");
    const firstPerfect = stats.findIndex((s) => s.trainAccuracy === 1);
    assert.ok(
      firstPerfect >= 0 && firstPerfect < 80,
      `first 100% at ${firstPerfect}`,
    );
    // micrograd's learning rate 1.0 - 0.9·k/100, k counted from 0
    assert.equal(stats[0].learningRate, 1);
    assert.equal(stats[50].learningRate, 1.0 - 0.9 * 50 / 100);
    // 2·16 + 16 + 16·16 + 16 + 16 + 1 = 337 parameters; 100 points.
    assert.ok(last.nodes > 5000 && last.nodes < 65481, `${last.nodes} nodes`);
    assert.equal(last.compiled, true);
    assert.equal(last.testLoss, null);
    assert.equal(last.testAccuracy, null);
  });

  test("same config, same numbers, twice; another seed, other numbers", () => {
    const a = run(new Trainer({ steps: 10 }), 10);
    const b = run(new Trainer({ steps: 10 }), 10);
    assert.deepEqual(withoutTime(a), withoutTime(b));
    const c = run(new Trainer({ steps: 10, seed: 7 }), 10);
    assert.notEqual(c[9].loss, a[9].loss);
  });
});

describe("one step", () => {
  test("loss = data loss + L2 penalty, and the penalty is l2·Σp²", () => {
    const trainer = new Trainer({ l2: 0.01 });
    const before = trainer.model.parameters().reduce(
      (s, p) => s + p.data * p.data,
      0,
    );
    const stats = trainer.step();
    assert.ok(Math.abs(stats.regularizationLoss - 0.01 * before) < 1e-12);
    assert.ok(
      Math.abs(stats.loss - (stats.dataLoss + stats.regularizationLoss)) <
        1e-15,
    );
  });

  test("l2 = 0: no penalty and a smaller graph", () => {
    const plain = new Trainer({ l2: 0 }).step();
    const regularized = new Trainer().step();
    assert.equal(plain.regularizationLoss, 0);
    assert.equal(plain.loss, plain.dataLoss);
    assert.ok(plain.nodes < regularized.nodes);
  });

  test("steps count from 1; stepping past config.steps keeps the final rate", () => {
    const trainer = new Trainer({ steps: 3 });
    assert.equal(trainer.stepCount, 0);
    const stats = run(trainer, 5);
    assert.deepEqual(stats.map((s) => s.step), [1, 2, 3, 4, 5]);
    assert.equal(trainer.stepCount, 5);
    assert.equal(stats[2].learningRate, 1.0 - 0.9 * 2 / 3);
    assert.ok(Math.abs(stats[4].learningRate - 0.1) < 1e-15);
  });

  test("the update is plain SGD: p -= rate·grad", () => {
    const trainer = new Trainer({ schedule: "constant", learningRate: 0.5 });
    const parameters = trainer.model.parameters();
    const before = parameters.map((p) => p.data);
    trainer.step();
    for (let i = 0; i < parameters.length; i++) {
      assert.equal(parameters[i].data, before[i] - 0.5 * parameters[i].grad);
    }
  });
});

describe("the compiled tape gives the same numbers as a new graph every step", () => {
  for (
    const config of [
      { steps: 15 },
      { steps: 15, batchSize: 16, testFraction: 0.25 },
      {
        steps: 15,
        dataset: "blobs",
        classes: 4,
        points: 60,
        hidden: [8],
        activation: "tanh",
        optimizer: "adam",
        learningRate: 0.05,
        batchSize: 20,
      },
      { steps: 15, loss: "logistic", optimizer: "momentum", learningRate: 0.1 },
    ] as Partial<TrainConfig>[]
  ) {
    test(JSON.stringify(config), () => {
      const compiled = run(new Trainer({ ...config, compile: true }), 15);
      const rebuilt = run(new Trainer({ ...config, compile: false }), 15);
      for (let k = 0; k < 15; k++) {
        assert.equal(compiled[k].compiled, true);
        assert.equal(rebuilt[k].compiled, false);
        assert.equal(compiled[k].nodes, rebuilt[k].nodes);
        assert.ok(
          Math.abs(compiled[k].loss - rebuilt[k].loss) < 1e-9,
          `step ${k + 1}`,
        );
        assert.equal(compiled[k].trainAccuracy, rebuilt[k].trainAccuracy);
        assert.equal(
          compiled[k].testLoss === null,
          rebuilt[k].testLoss === null,
        );
        if (compiled[k].testLoss !== null) {
          assert.ok(
            Math.abs(compiled[k].testLoss! - rebuilt[k].testLoss!) < 1e-9,
          );
        }
      }
    });
  }
});

describe("minibatches", () => {
  test("a fixed-size batch drawn with the seed: a smaller graph, and it learns", () => {
    const full = new Trainer().step();
    const trainer = new Trainer({
      batchSize: 10,
      steps: 150,
      learningRate: 0.3,
    });
    const stats = run(trainer, 150);
    assert.ok(
      stats[0].nodes < full.nodes / 5,
      `${stats[0].nodes} vs ${full.nodes}`,
    );
    assert.ok(stats.every((s) => s.nodes === stats[0].nodes));
    // accuracy is measured on each batch of 10, so it moves in steps of 0.1
    assert.ok(
      stats.every((s) =>
        Math.abs(s.trainAccuracy * 10 - Math.round(s.trainAccuracy * 10)) < 1e-9
      ),
    );
    const mean = (xs: StepStats[]) =>
      xs.reduce((sum, s) => sum + s.dataLoss, 0) / xs.length;
    assert.ok(mean(stats.slice(-20)) < mean(stats.slice(0, 20)) / 2);
  });

  test("a batch at least as large as the training set means full batch", () => {
    const trainer = new Trainer({ batchSize: 500 });
    assert.equal(trainer.config.batchSize, null);
    assert.equal(trainer.step().nodes, new Trainer().step().nodes);
  });
});

describe("datasets and losses", () => {
  test("more than two classes: one output per class and cross-entropy", () => {
    const trainer = new Trainer({
      dataset: "spiral",
      classes: 3,
      points: 90,
      noise: 0.05,
      loss: "hinge",
      optimizer: "adam",
      learningRate: 0.05,
      schedule: "constant",
      steps: 200,
    });
    assert.equal(trainer.config.loss, "crossEntropy");
    assert.equal(trainer.outputs, 3);
    assert.deepEqual(trainer.model.sizes, [16, 16, 3]);
    const stats = run(trainer, 200);
    assert.ok(
      stats[0].dataLoss > 1,
      `starts near ln 3 or above: ${stats[0].dataLoss}`,
    );
    assert.ok(
      stats[199].trainAccuracy >= 0.95,
      `accuracy ${stats[199].trainAccuracy}`,
    );
  });

  test("binary datasets have 2 classes whatever config.classes says", () => {
    const trainer = new Trainer({ dataset: "circles", classes: 5 });
    assert.equal(trainer.config.classes, 2);
    assert.equal(trainer.train.classes, 2);
    assert.equal(trainer.outputs, 1);
  });

  test("cross-entropy on two classes uses two outputs", () => {
    const trainer = new Trainer({ loss: "crossEntropy" });
    assert.equal(trainer.outputs, 2);
    assert.ok(Number.isFinite(trainer.step().loss));
  });

  for (const loss of ["logistic", "mse"] as const) {
    test(`${loss} loss learns the moons`, () => {
      const trainer = new Trainer({
        loss,
        learningRate: 0.1,
        optimizer: "momentum",
        steps: 60,
      });
      const stats = run(trainer, 60);
      assert.ok(stats[59].dataLoss < stats[0].dataLoss / 2);
      assert.ok(
        stats[59].trainAccuracy >= 0.85,
        `accuracy ${stats[59].trainAccuracy}`,
      );
    });
  }

  test("the test set is held out, and its loss is the training loss's definition", () => {
    const trainer = new Trainer({ testFraction: 0.3, steps: 20 });
    assert.equal(trainer.test.x.length, 30);
    assert.equal(trainer.train.x.length, 70);
    run(trainer, 5);
    // evaluate what step 6 will report, by building the Value graph directly
    const scores = trainer.test.x.map((point) => trainer.model.forward(point));
    const targets = encodeTargets("hinge", trainer.test.y, 1).map((row) =>
      row.map((t) => new Value(t))
    );
    const expected = lossFromTargets("hinge", scores, targets).data;
    const stats = trainer.step();
    assert.ok(Math.abs(stats.testLoss! - expected) < 1e-12);
    const right = scores.filter((s, i) =>
      (s[0].data > 0 ? 1 : 0) === trainer.test.y[i]
    );
    assert.equal(stats.testAccuracy, right.length / scores.length);
  });

  test("evaluate(dataset) reports loss and accuracy of any points without training", () => {
    const trainer = new Trainer({ testFraction: 0.3, steps: 20 });
    run(trainer, 5);
    const parameters = trainer.model.parameters().map((p) => p.data);
    const evaluated = trainer.evaluate(trainer.test)!;
    assert.deepEqual(trainer.model.parameters().map((p) => p.data), parameters);
    const stats = trainer.step(); // reports the test set before its update
    assert.equal(evaluated.loss, stats.testLoss);
    assert.equal(evaluated.accuracy, stats.testAccuracy);
    assert.equal(trainer.evaluate({ x: [], y: [], classes: 2 }), null);
  });
});

describe("divergence", () => {
  test("a huge learning rate stops training with an error naming the step and the rate", () => {
    const trainer = new Trainer({ learningRate: 1e6, schedule: "constant" });
    let error: unknown = null;
    let finiteSteps = 0;
    try {
      for (let k = 0; k < 100; k++) {
        trainer.step();
        finiteSteps++;
      }
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof DivergenceError, `got ${error}`);
    assert.equal(error.step, finiteSteps + 1);
    assert.ok(!Number.isFinite(error.value));
    assert.match(error.hint, /lower the learning rate, currently 1000000/);
    assert.match(error.message, new RegExp(`diverged at step ${error.step}`));
    // never silently continued: the trainer refuses further steps
    assert.throws(() => trainer.step(), DivergenceError);
    assert.equal(trainer.stepCount, finiteSteps);
    // the model keeps the last finite weights
    assert.ok(trainer.model.parameters().every((p) => Number.isFinite(p.data)));
  });
});

describe("evaluateGrid and dataBounds", () => {
  test("row-major, row 0 at yMin, each cell evaluated at its centre", () => {
    const trainer = new Trainer();
    run(trainer, 5);
    const bounds = { xMin: -2, xMax: 2, yMin: -1, yMax: 3 };
    const grid = trainer.evaluateGrid(bounds, 4);
    assert.equal(grid.length, 16);
    // row 1 (y = -1 + 1.5·1 = 0.5), column 3 (x = -2 + 3.5·1 = 1.5)
    assert.equal(grid[1 * 4 + 3], trainer.model.predict([1.5, 0.5])[0]);
    assert.equal(grid[0], trainer.model.predict([-1.5, -0.5])[0]);
    assert.equal(grid[15], trainer.model.predict([1.5, 2.5])[0]);
  });

  test("several outputs are interleaved per cell", () => {
    const trainer = new Trainer({ dataset: "blobs", classes: 3, points: 30 });
    const grid = trainer.evaluateGrid(
      { xMin: 0, xMax: 1, yMin: 0, yMax: 1 },
      2,
    );
    assert.equal(grid.length, 2 * 2 * 3);
    const expected = trainer.model.predict([0.25, 0.75]); // row 1, column 0
    assert.deepEqual([...grid.subarray(6, 9)], expected);
  });

  test("bad bounds or resolution are rejected", () => {
    const trainer = new Trainer();
    const ok = { xMin: 0, xMax: 1, yMin: 0, yMax: 1 };
    assert.throws(
      () => trainer.evaluateGrid(ok, 0),
      /resolution must be an integer from 1 to 4096, got the number 0/,
    );
    assert.throws(() => trainer.evaluateGrid(ok, 2.5), RangeError);
    assert.throws(
      () => trainer.evaluateGrid({ ...ok, xMax: -1 }, 8),
      /xMin < xMax/,
    );
    assert.throws(
      () => trainer.evaluateGrid({ ...ok, yMin: NaN }, 8),
      /bounds.yMin must be a finite number/,
    );
    assert.throws(() => trainer.evaluateGrid(null as never, 8), TypeError);
  });

  test("dataBounds holds every point, with the margin around", () => {
    const trainer = new Trainer({ testFraction: 0.2 });
    const tight = trainer.dataBounds(0);
    const all = [...trainer.train.x, ...trainer.test.x];
    assert.ok(
      all.every(([x, y]) =>
        x >= tight.xMin && x <= tight.xMax && y >= tight.yMin && y <= tight.yMax
      ),
    );
    assert.ok(
      all.some(([x]) => x === tight.xMin) &&
        all.some(([, y]) => y === tight.yMax),
    );
    const loose = trainer.dataBounds(0.5);
    assert.equal(loose.xMin, tight.xMin - 0.5);
    assert.equal(loose.yMax, tight.yMax + 0.5);
    assert.ok(
      Math.abs(trainer.dataBounds().xMax - (tight.xMax + 0.25)) < 1e-15,
    );
    assert.throws(() => trainer.dataBounds(-1), RangeError);
  });
});

describe("validateConfig", () => {
  test("fills every missing field from the defaults and returns a fresh object", () => {
    const config = validateConfig({ steps: 5, hidden: [4] });
    assert.equal(config.steps, 5);
    assert.deepEqual(config.hidden, [4]);
    assert.equal(config.dataset, "moons");
    assert.deepEqual(validateConfig(undefined), {
      ...DEFAULT_CONFIG,
      hidden: [16, 16],
    });
    assert.deepEqual(validateConfig({ noise: undefined }).noise, 0.1);
    assert.deepEqual(validateConfig({ hidden: [] }).hidden, []);
  });

  test("unknown fields are rejected with the allowed list and a suggestion", () => {
    assert.throws(() => validateConfig({ learning_rate: 0.1 }), {
      name: "RangeError",
      message:
        /unknown field "learning_rate" \(did you mean "learningRate"\?\); allowed fields are dataset, points, noise, classes, dataSeed, testFraction, features, hidden, activation, init, loss, optimizer, learningRate, schedule, steps, l2, l1, batchSize, seed, compile/,
    });
    assert.throws(
      () => validateConfig({ epochs: 3 }),
      /unknown field "epochs"; allowed fields/,
    );
  });

  test("a config that is not an object", () => {
    assert.throws(() => validateConfig(null), TypeError);
    assert.throws(() => validateConfig([1, 2]), /config must be an object/);
    assert.throws(() => validateConfig("moons"), TypeError);
  });

  const cases: [Record<string, unknown>, "TypeError" | "RangeError", RegExp][] =
    [
      [
        { dataset: "swiss" },
        "RangeError",
        /dataset must be one of "moons", "circles", "xor", "spiral", "blobs", "plane" or "gaussians", got a string \("swiss"\)/,
      ],
      [{ dataset: 3 }, "TypeError", /dataset must be one of/],
      [
        { points: 1 },
        "RangeError",
        /points must be an integer from 2 to 100000, got the number 1/,
      ],
      [{ points: "100" }, "TypeError", /points must be an integer/],
      [
        { points: 3, dataset: "spiral", classes: 4 },
        "RangeError",
        /points must be at least classes \(4\)/,
      ],
      [{ noise: -1 }, "RangeError", /noise must be a finite number >= 0/],
      [{ noise: Infinity }, "RangeError", /noise/],
      [
        { classes: 11 },
        "RangeError",
        /classes must be an integer from 2 to 10/,
      ],
      [{ dataSeed: 0.5 }, "RangeError", /dataSeed must be a safe integer/],
      [
        { testFraction: 1 },
        "RangeError",
        /testFraction must be a number in \[0, 1\)/,
      ],
      [
        { hidden: 16 },
        "TypeError",
        /hidden must be an array of at most 32 layer sizes/,
      ],
      [
        { hidden: [16, 0] },
        "RangeError",
        /hidden\[1\] must be an integer from 1 to 1024, got the number 0/,
      ],
      [{ hidden: [16, "8"] }, "TypeError", /hidden\[1\]/],
      [
        { activation: "gelu" },
        "RangeError",
        /activation must be one of "relu", "tanh", "sigmoid" or "linear"/,
      ],
      [
        { init: "zeros" },
        "RangeError",
        /init must be one of "uniform", "xavier" or "he"/,
      ],
      [
        { loss: "softmax" },
        "RangeError",
        /loss must be one of "hinge", "mse", "logistic" or "crossEntropy"/,
      ],
      [
        { optimizer: "rmsprop" },
        "RangeError",
        /optimizer must be one of "sgd", "momentum" or "adam"/,
      ],
      [
        { learningRate: 0 },
        "RangeError",
        /learningRate must be a finite number > 0, got the number 0/,
      ],
      [{ learningRate: NaN }, "RangeError", /learningRate/],
      [
        { schedule: "exp" },
        "RangeError",
        /schedule must be one of "constant", "linear", "cosine" or "step"/,
      ],
      [{ steps: 0 }, "RangeError", /steps must be an integer from 1/],
      [{ l2: -0.1 }, "RangeError", /l2 must be a finite number >= 0/],
      [{ batchSize: 0 }, "RangeError", /batchSize must be an integer from 1/],
      [{ batchSize: "all" }, "TypeError", /batchSize/],
      [{ seed: 1e300 }, "RangeError", /seed must be a safe integer/],
      [
        { compile: "yes" },
        "TypeError",
        /compile must be true or false, got a string \("yes"\)/,
      ],
    ];
  for (const [input, name, message] of cases) {
    const shown = Object.entries(input).map(([key, value]) =>
      `${key}: ${
        typeof value === "number" ? String(value) : JSON.stringify(value)
      }`
    ).join(", ");
    test(`{ ${shown} } -> ${name}`, () => {
      assert.throws(() => validateConfig(input), { name, message });
      // the Trainer validates the same way
      assert.throws(() => new Trainer(input as Partial<TrainConfig>), {
        name,
        message,
      });
    });
  }
});

describe("the two step engines", () => {
  for (
    const config of [
      { steps: 12 },
      { steps: 12, batchSize: 16, testFraction: 0.25, optimizer: "adam" },
      {
        steps: 12,
        dataset: "spiral",
        classes: 3,
        points: 45,
        hidden: [6, 5],
        activation: "sigmoid",
        optimizer: "momentum",
        learningRate: 0.2,
        batchSize: 9,
        l2: 0,
      },
    ] as Partial<TrainConfig>[]
  ) {
    test(`identical stats, bit for bit: ${JSON.stringify(config)}`, () => {
      const strip = (stats: StepStats[]) =>
        withoutTime(stats).map(({ compiled: _, ...rest }) => rest);
      const tape = new Trainer({ ...config, compile: true });
      const value = new Trainer({ ...config, compile: false });
      assert.deepEqual(strip(run(tape, 12)), strip(run(value, 12)));
      assert.deepEqual(
        tape.model.parameters().map((p) => [p.data, p.grad]),
        value.model.parameters().map((p) => [p.data, p.grad]),
      );
    });
  }
});

describe("gradients(): the full-batch gradient without disturbing training", () => {
  /** The full-batch loss built by hand on a copy of the trainer's weights. */
  function handBuilt(trainer: Trainer): { grads: number[]; loss: number } {
    const copy = MLP.fromJSON(trainer.model.toJSON());
    const { loss, l2 } = trainer.config;
    const scores = trainer.train.x.map((point) => copy.forward(point));
    const targets = encodeTargets(loss, trainer.train.y, trainer.outputs)
      .map((row) => row.map((t) => new Value(t)));
    const dataLoss = lossFromTargets(loss, scores, targets);
    const total = l2 > 0
      ? dataLoss.add(l2Penalty(copy.parameters(), l2))
      : dataLoss;
    total.backward();
    return { grads: copy.parameters().map((p) => p.grad), loss: total.data };
  }

  for (
    const config of [
      { batchSize: 10, testFraction: 0.2 },
      { batchSize: 10, compile: false, optimizer: "momentum" },
      {
        dataset: "blobs",
        classes: 3,
        points: 40,
        hidden: [5],
        optimizer: "adam",
        learningRate: 0.05,
        l2: 0,
      },
    ] as Partial<TrainConfig>[]
  ) {
    test(
      `equals loss.backward() on a copy of the weights: ${
        JSON.stringify(config)
      }`,
      () => {
        const trainer = new Trainer(config);
        run(trainer, 3);
        const expected = handBuilt(trainer);
        const result = trainer.gradients();
        assert.ok(result.gradients instanceof Float64Array);
        assert.deepEqual([...result.gradients], expected.grads);
        assert.equal(result.loss, expected.loss);
        assert.equal(
          result.loss,
          result.dataLoss + result.regularizationLoss,
        );
      },
    );

    test(
      `a run calling it between steps is bit-identical: ${
        JSON.stringify(config)
      }`,
      () => {
        const plain = new Trainer(config);
        const probed = new Trainer(config);
        const plainStats: StepStats[] = [];
        const probedStats: StepStats[] = [];
        for (let k = 0; k < 6; k++) {
          plainStats.push(plain.step());
          const grads = probed.model.parameters().map((p) => p.grad);
          probed.gradients();
          // the parameters' grads are put back, -0 included
          assert.deepEqual(probed.model.parameters().map((p) => p.grad), grads);
          probedStats.push(probed.step());
        }
        assert.equal(probed.stepCount, 6);
        assert.deepEqual(withoutTime(probedStats), withoutTime(plainStats));
        assert.deepEqual(
          probed.model.parameters().map((p) => [p.data, p.grad]),
          plain.model.parameters().map((p) => [p.data, p.grad]),
        );
      },
    );
  }

  test("with full batches it is what the next step computes", () => {
    const trainer = new Trainer({ l2: 0.01 });
    run(trainer, 2);
    const { gradients, loss, regularizationLoss } = trainer.gradients();
    const stats = trainer.step();
    assert.equal(stats.loss, loss);
    assert.equal(stats.regularizationLoss, regularizationLoss);
    // the step's update is p -= rate·grad, with the grads it just computed
    assert.deepEqual(
      [...gradients],
      trainer.model.parameters().map((p) => p.grad),
    );
  });
});

describe("evaluate refuses data that is not points and labels", () => {
  const trainer = new Trainer({ dataset: "spiral", classes: 3, points: 30 });
  const cases: [unknown, string, string][] = [
    [null, "FieldTypeError", "dataset"],
    [undefined, "FieldTypeError", "dataset"],
    [{ x: 1, y: [] }, "FieldTypeError", "x"],
    [{ x: [], y: "0" }, "FieldTypeError", "y"],
    [{ x: [[0, 1]], y: [] }, "FieldTypeError", "y"],
    [{ x: [[0, 1], [2]], y: [0, 1] }, "FieldRangeError", "x[1]"],
    [{ x: [[0, 1], 2], y: [0, 1] }, "FieldTypeError", "x[1]"],
    [{ x: [[0, NaN]], y: [0] }, "FieldRangeError", "x[0][1]"],
    [{ x: [[Infinity, 0]], y: [0] }, "FieldRangeError", "x[0][0]"],
    [{ x: [["0", 0]], y: [0] }, "FieldTypeError", "x[0][0]"],
    [{ x: [[0, 0], [1, 1]], y: [0, 1.5] }, "FieldRangeError", "y[1]"],
    [{ x: [[0, 0]], y: [3] }, "FieldRangeError", "y[0]"],
    [{ x: [[0, 0]], y: [-1] }, "FieldRangeError", "y[0]"],
    [{ x: [[0, 0]], y: [NaN] }, "FieldRangeError", "y[0]"],
  ];
  for (const [dataset, name, field] of cases) {
    test(`${JSON.stringify(dataset) ?? "undefined"} -> ${name} on ${field}`, () => {
      assert.throws(() => trainer.evaluate(dataset as never), (error) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, name);
        assert.equal((error as { field?: string }).field, field);
        assert.match(error.message, /^Trainer\.evaluate: /);
        return true;
      });
    });
  }

  test("the messages name the index and what is allowed", () => {
    assert.throws(() => trainer.evaluate(null as never), {
      message:
        "Trainer.evaluate: dataset must be a Dataset { x, y, classes }, got null",
    });
    assert.throws(() => trainer.evaluate({ x: [[0, 0]], y: [3], classes: 3 }), {
      message:
        "Trainer.evaluate: y[0] must be a class index (an integer from 0 to 2), got the number 3",
    });
  });

  test("good data from elsewhere is evaluated", () => {
    const result = trainer.evaluate({
      x: [[0, 0], [1, 1]],
      y: [2, 0],
      classes: 3,
    });
    assert.ok(result !== null && Number.isFinite(result.loss));
  });
});

describe("divergence hints name the likely cause", () => {
  for (const compile of [true, false]) {
    test(`a NaN weight is named, not the learning rate (compile: ${compile})`, () => {
      const trainer = new Trainer({ compile });
      trainer.step();
      // layer 1 (16 neurons of 16 weights and a bias), neuron 2, bias
      trainer.model.layers[1].neurons[2].bias.data = NaN;
      const k = trainer.model.parameters().indexOf(
        trainer.model.layers[1].neurons[2].bias,
      );
      assert.equal(k, 48 + 2 * 17 + 16);
      assert.throws(() => trainer.step(), (error) => {
        assert.ok(error instanceof DivergenceError);
        assert.equal(error.kind, "weight");
        assert.equal(error.step, 2);
        assert.match(
          error.hint,
          new RegExp(`parameter ${k} \\(layer 1, neuron 2, bias\\) is NaN`),
        );
        assert.doesNotMatch(error.hint, /learning rate/);
        assert.match(error.anomaly!, /leaf/);
        return true;
      });
    });

    test(`a non-finite training point is named (compile: ${compile})`, () => {
      const trainer = new Trainer({ compile });
      trainer.train.x[7][1] = Infinity;
      assert.throws(() => trainer.step(), (error) => {
        assert.ok(error instanceof DivergenceError);
        assert.equal(error.kind, "data");
        assert.match(error.hint, /training point 7 is not finite/);
        return true;
      });
    });
  }

  test("a learning rate too large is blamed only when every input was finite", () => {
    const trainer = new Trainer({ learningRate: 1e6, schedule: "constant" });
    assert.throws(() => run(trainer, 100), (error) => {
      assert.ok(error instanceof DivergenceError);
      assert.equal(error.kind, "learningRate");
      assert.equal(error.hint, "lower the learning rate, currently 1000000");
      assert.ok(error.anomaly !== null, "findAnomaly says where");
      return true;
    });
  });

  test("the hint gives the rate the step used, and Adam's usual rate", () => {
    const trainer = new Trainer({
      learningRate: 1e300,
      schedule: "linear",
      optimizer: "adam",
    });
    assert.throws(() => run(trainer, 100), (error) => {
      assert.ok(error instanceof DivergenceError);
      assert.equal(error.kind, "learningRate");
      // The rate of the last update, the counter's step (error.step - 1).
      assert.ok(error.step >= 2);
      const used = learningRateAt("linear", 1e300, error.step - 2, 100);
      assert.equal(error.learningRate, used);
      const schedule = used === 1e300
        ? ""
        : `the linear schedule's rate at step ${
          error.step - 1
        }, from learningRate 1e+300; `;
      assert.equal(
        error.hint,
        `lower the learning rate, currently ${used} (${schedule}Adam usually wants about 0.01)`,
      );
      return true;
    });
  });
});

describe("divergence names the step, the rate it used, and keeps the hint apart", () => {
  test("step is the failing step: the counter (stepCount) is one less; the rate is the schedule's", () => {
    const trainer = new Trainer({ learningRate: 1e5, schedule: "linear" });
    const stats: StepStats[] = [];
    assert.throws(() => {
      for (let k = 0; k < 100; k++) stats.push(trainer.step());
    }, (error) => {
      assert.ok(error instanceof DivergenceError);
      const last = stats.at(-1)?.step ?? 0;
      // The numbering of StepStats.step: the step that would have come next.
      assert.equal(error.step, last + 1);
      assert.equal(trainer.stepCount, error.step - 1);
      // The rate of the last update (the counter's step), which made the
      // weights that overflowed; the first step's own at step 1.
      assert.equal(
        error.learningRate,
        learningRateAt("linear", 1e5, Math.max(0, error.step - 2), 100),
      );
      assert.ok(error.hint.includes(`currently ${error.learningRate} `));
      assert.equal(
        error.summary,
        `training diverged at step ${error.step}: the loss became ${error.value}`,
      );
      assert.equal(error.message, `${error.summary}; ${error.hint}`);
      assert.doesNotMatch(error.summary, /learning rate/);
      return true;
    });
  });

  test("a bad point or weight still says the rate the step used", () => {
    const trainer = new Trainer({ points: 20 });
    trainer.step();
    trainer.model.layers[0].neurons[3].weights[1].data = NaN;
    assert.throws(() => trainer.step(), (error) => {
      assert.ok(error instanceof DivergenceError);
      assert.equal(error.kind, "weight");
      assert.equal(error.step, 2);
      // The rate of the last update, step 1's.
      assert.equal(error.learningRate, learningRateAt("linear", 1, 0, 100));
      return true;
    });
  });
});

describe("new Trainer(config, { model })", () => {
  test("a model of the right shape is trained in place, like the trainer's own", () => {
    const own = new Trainer({ steps: 10 });
    const model = MLP.fromJSON(own.model.toJSON());
    const given = new Trainer({ steps: 10 }, { model });
    assert.equal(given.model, model);
    assert.deepEqual(withoutTime(run(given, 10)), withoutTime(run(own, 10)));
    assert.deepEqual(
      model.parameters().map((p) => p.data),
      own.model.parameters().map((p) => p.data),
    );
  });

  test("anything else is refused, naming the option", () => {
    const model = new MLP(2, [16, 16, 1]);
    assert.throws(() => new Trainer({}, { model: {} as never }), {
      name: "FieldTypeError",
      field: "options.model",
    });
    assert.throws(() => new Trainer({ hidden: [8] }, { model }), {
      name: "FieldRangeError",
      field: "options.model",
      message:
        /must be an MLP 2-8-1 with relu hidden layers .*got an MLP 2-16-16-1/,
    });
    assert.throws(() => new Trainer({ activation: "tanh" }, { model }), {
      field: "options.model",
    });
    assert.throws(
      () => new Trainer({ dataset: "spiral", classes: 3 }, { model }),
      { field: "options.model", message: /2-16-16-3/ },
    );
    assert.throws(() => new Trainer({}, { modle: model } as never), {
      name: "FieldRangeError",
      field: "modle",
    });
    assert.throws(() => new Trainer({}, new Map() as never), {
      name: "FieldTypeError",
      field: "options",
    });
  });
});
