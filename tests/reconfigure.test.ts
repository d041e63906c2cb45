import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { resolveConfig, type TrainConfig } from "../src/config.ts";
import { datasetFromPoints, makeMoons } from "../src/data.ts";
import { encodeTargets, l2Penalty } from "../src/loss.ts";
import { configChanges, NewRunRequiredError } from "../src/live_changes.ts";
import { Adam } from "../src/optim.ts";
import { learningRateAt } from "../src/schedule.ts";
import { buildStepGraph } from "../src/step_engine.ts";
import { DivergenceError, type StepStats, Trainer } from "../src/train.ts";

/** Run `steps` steps and return their stats. */
function run(trainer: Trainer, steps: number): StepStats[] {
  const stats: StepStats[] = [];
  for (let k = 0; k < steps; k++) stats.push(trainer.step());
  return stats;
}

/** Stats without the wall time, which differs from run to run. */
function timeless(stats: StepStats[]): Omit<StepStats, "milliseconds">[] {
  return stats.map(({ milliseconds: _, ...rest }) => rest);
}

/** The model's parameters, as numbers. */
function weights(trainer: Trainer): number[] {
  return trainer.model.parameters().map((p) => p.data);
}

const SMALL: Partial<TrainConfig> = {
  points: 60,
  hidden: [8, 8],
  testFraction: 0.2,
};

describe("reconfigure: the same values change nothing", () => {
  for (const config of [{}, { ...SMALL, batchSize: 10, optimizer: "adam" }]) {
    test(`bit for bit the run without the call: ${JSON.stringify(config)}`, () => {
      const plain = new Trainer(config as Partial<TrainConfig>);
      const touched = new Trainer(config as Partial<TrainConfig>);
      const expected = run(plain, 12);
      const first = run(touched, 6);
      const whole = touched.reconfigure({ ...touched.config });
      assert.deepEqual(whole.changed, []);
      assert.equal(whole.optimizerReset, false);
      const again = touched.reconfigure({
        learningRate: touched.config.learningRate,
        classes: 7, // the moons always have 2: no effective change
      });
      assert.deepEqual(again.changed, []);
      assert.deepEqual(
        timeless([...first, ...run(touched, 6)]),
        timeless(expected),
      );
      assert.deepEqual(weights(touched), weights(plain));
    });
  }

  test("the compile switch mid-run: the same numbers, the other engine", () => {
    const config = { ...SMALL, batchSize: 16, l1: 1e-3 };
    const plain = new Trainer(config);
    const switched = new Trainer(config);
    const expected = run(plain, 10);
    const first = run(switched, 4);
    assert.deepEqual(switched.reconfigure({ compile: false }), {
      changed: ["compile"],
      optimizerReset: false,
      config: switched.config,
    });
    const middle = run(switched, 3);
    assert.ok(middle.every((stats) => !stats.compiled));
    switched.reconfigure({ compile: true });
    const last = run(switched, 3);
    assert.ok(last.every((stats) => stats.compiled));
    const strip = (stats: StepStats[]) =>
      timeless(stats).map(({ compiled: _, ...rest }) => rest);
    assert.deepEqual(strip([...first, ...middle, ...last]), strip(expected));
    assert.deepEqual(weights(switched), weights(plain));
  });
});

describe("reconfigure: the learning rate, the schedule and the optimiser", () => {
  test("Adam's moments survive a learning-rate change: a hand-driven Adam agrees bit for bit", () => {
    const config = {
      ...SMALL,
      testFraction: 0,
      optimizer: "adam" as const,
      learningRate: 0.05,
      schedule: "constant" as const,
      compile: false,
    };
    const trainer = new Trainer(config);
    // The same initial model, trained by hand with one Adam throughout.
    const hand = new Trainer(config);
    const parameters = hand.model.parameters();
    const adam = new Adam(parameters, { learningRate: 0.05 });
    const problem = {
      model: hand.model,
      parameters,
      points: hand.train.x,
      targets: encodeTargets("hinge", hand.train.y, 1),
      loss: "hinge" as const,
      l2: config.l2 ?? 1e-4,
    };
    const everyPoint = hand.train.x.map((_, i) => i);
    const handStep = (rate: number): void => {
      adam.zeroGrad();
      buildStepGraph(problem, everyPoint).total.backward();
      adam.step(rate);
    };
    run(trainer, 5);
    for (let k = 0; k < 5; k++) handStep(0.05);
    assert.deepEqual(trainer.reconfigure({ learningRate: 0.01 }), {
      changed: ["learningRate"],
      optimizerReset: false,
      config: trainer.config,
    });
    const after = run(trainer, 5);
    for (let k = 0; k < 5; k++) handStep(0.01);
    assert.ok(after.every((stats) => stats.learningRate === 0.01));
    assert.deepEqual(weights(trainer), parameters.map((p) => p.data));

    // A fresh Adam at the change would have given other weights.
    const fresh = new Trainer(config);
    run(fresh, 5);
    fresh.reconfigure({ optimizer: "sgd" });
    fresh.reconfigure({ optimizer: "adam", learningRate: 0.01 });
    run(fresh, 5);
    assert.notDeepEqual(weights(fresh), weights(trainer));
  });

  test("a new rate or schedule length goes on from the current step of the schedule", () => {
    const trainer = new Trainer({ ...SMALL, steps: 100 });
    run(trainer, 10);
    trainer.reconfigure({ learningRate: 0.5 });
    assert.equal(
      trainer.step().learningRate,
      learningRateAt("linear", 0.5, 10, 100),
    );
    const changed = trainer.reconfigure({ steps: 400, schedule: "cosine" });
    assert.deepEqual(changed.changed, ["schedule", "steps"]);
    const stats = trainer.step();
    assert.equal(stats.step, 12);
    assert.equal(stats.learningRate, learningRateAt("cosine", 0.5, 11, 400));
    assert.equal(trainer.report().scheduleSteps, 400);
  });

  test("switching optimiser starts fresh state and says so", () => {
    const trainer = new Trainer({
      ...SMALL,
      optimizer: "adam",
      learningRate: 0.02,
      schedule: "constant",
      l2: 0,
    });
    run(trainer, 5);
    const result = trainer.reconfigure({ optimizer: "momentum" });
    assert.deepEqual(result.changed, ["optimizer"]);
    assert.equal(result.optimizerReset, true);
    assert.equal(trainer.config.optimizer, "momentum");
    // Momentum from a zero velocity: the first update is p - rate·grad.
    const before = weights(trainer);
    trainer.step();
    trainer.model.parameters().forEach((p, k) =>
      assert.equal(p.data, before[k] - 0.02 * p.grad, `parameter ${k}`)
    );
  });
});

describe("reconfigure: the loss, the penalties and the batch", () => {
  test("L2 and L1 apply at the next step", () => {
    const trainer = new Trainer(SMALL);
    run(trainer, 3);
    trainer.reconfigure({ l2: 0.01 });
    const parameters = trainer.model.parameters();
    const penalty = l2Penalty(parameters, 0.01).data;
    const stats = trainer.step();
    assert.equal(stats.regularizationLoss, penalty);
    assert.equal(stats.loss, stats.dataLoss + penalty);
    const withPenalty = stats.nodes;
    trainer.reconfigure({ l2: 0, l1: 0 });
    const none = trainer.step();
    assert.equal(none.regularizationLoss, 0);
    assert.equal(none.loss, none.dataLoss);
    assert.ok(none.nodes < withPenalty, "no penalty node any more");
    trainer.reconfigure({ l1: 0.001 });
    assert.ok(trainer.step().regularizationLoss > 0);
  });

  test("the batch size changes at the next step; back to full batch, the step is the whole set", () => {
    const trainer = new Trainer(SMALL);
    const trainSize = trainer.train.x.length;
    assert.equal(trainer.step().batchSize, trainSize);
    trainer.reconfigure({ batchSize: 5 });
    assert.equal(trainer.config.batchSize, 5);
    const small = run(trainer, 3);
    assert.ok(small.every((stats) => stats.batchSize === 5));
    assert.ok(small[2].nodes < run(new Trainer(SMALL), 1)[0].nodes);
    trainer.reconfigure({ batchSize: null });
    const report = trainer.report();
    const full = trainer.step();
    assert.equal(full.batchSize, trainSize);
    assert.equal(full.dataLoss, report.train.loss);
    assert.equal(full.trainAccuracy, report.train.accuracy);
    // A batch at least the training set is the full batch: no change.
    assert.deepEqual(trainer.reconfigure({ batchSize: 1000 }).changed, []);
  });

  test("a loss with the same outputs is live; one with more outputs needs a new run", () => {
    const trainer = new Trainer(SMALL);
    run(trainer, 3);
    assert.deepEqual(trainer.reconfigure({ loss: "logistic" }).changed, [
      "loss",
    ]);
    assert.equal(trainer.config.loss, "logistic");
    const report = trainer.report();
    const stats = trainer.step();
    // Train and test targets are encoded for the new loss: the step's
    // numbers are the whole-set report's (full batch), the test loss
    // evaluate's.
    assert.equal(stats.dataLoss, report.train.loss);
    assert.equal(stats.testLoss, report.test!.loss);
    const fresh = new Trainer({ ...SMALL, loss: "logistic" });
    fresh.model.parameters().forEach((p, k) => {
      p.data = trainer.model.parameters()[k].data;
    });
    assert.equal(fresh.report().train.loss, trainer.report().train.loss);
    assert.throws(() => trainer.reconfigure({ loss: "crossEntropy" }), {
      name: "NewRunRequiredError",
      field: "loss",
      reason: "the architecture changed",
    });
  });
});

describe("reconfigure refuses what needs a new run", () => {
  const cases: [Partial<TrainConfig>, string][] = [
    [{ dataset: "circles" }, "the data changed"],
    [{ points: 80 }, "the data changed"],
    [{ noise: 0.2 }, "the data changed"],
    [{ dataSeed: 1 }, "the data changed"],
    [{ testFraction: 0.5 }, "the data changed"],
    [{ features: ["x", "y", "x2"] }, "the input features changed"],
    [{ hidden: [8] }, "the architecture changed"],
    [{ activation: "tanh" }, "the architecture changed"],
    [{ init: "he" }, "the initialization changed"],
    [{ seed: 1 }, "the seed changed"],
  ];
  for (const [changes, reason] of cases) {
    const field = Object.keys(changes)[0];
    test(`${field}: NewRunRequiredError naming it, and nothing changes`, () => {
      const plain = new Trainer(SMALL);
      const refused = new Trainer(SMALL);
      const expected = run(plain, 6);
      const first = run(refused, 3);
      assert.throws(
        () => refused.reconfigure({ learningRate: 0.3, ...changes }),
        (error) => {
          assert.ok(error instanceof NewRunRequiredError);
          assert.ok(error instanceof RangeError);
          assert.equal(error.field, field);
          assert.deepEqual(error.fields, [field]);
          assert.equal(error.reason, reason);
          assert.match(error.message, /^Trainer\.reconfigure: /);
          return true;
        },
      );
      assert.equal(refused.config.learningRate, 1, "the rate was not applied");
      assert.deepEqual(
        timeless([...first, ...run(refused, 3)]),
        timeless(expected),
      );
    });
  }

  test("unknown keys and bad values are refused, naming the field", () => {
    const trainer = new Trainer();
    assert.throws(
      () => trainer.reconfigure({ lr: 0.1 } as never),
      /did you mean "learningRate"/,
    );
    assert.throws(() => trainer.reconfigure({ learningRate: -1 }), {
      field: "learningRate",
    });
    assert.throws(() => trainer.reconfigure(null as never), TypeError);
    assert.equal(trainer.config.learningRate, 1);
  });

  test("configChanges lists every difference and the new-run causes", () => {
    const before = resolveConfig({});
    const after = resolveConfig({ learningRate: 0.1, hidden: [4], seed: 3 });
    assert.deepEqual(configChanges(before, after), {
      changed: ["hidden", "learningRate", "seed"],
      newRun: [
        { field: "hidden", reason: "the architecture changed" },
        { field: "seed", reason: "the seed changed" },
      ],
    });
  });
});

describe("reconfigure on a trainer of your own data or after a divergence", () => {
  test("data of your own keeps its shape", () => {
    const moons = makeMoons(30, { seed: 4 });
    const data = datasetFromPoints(moons.x.slice(0, 1), moons.y.slice(0, 1));
    const trainer = new Trainer({ hidden: [4] }, { data });
    trainer.step();
    assert.deepEqual(trainer.reconfigure({ learningRate: 0.2 }).changed, [
      "learningRate",
    ]);
    assert.equal(
      trainer.step().learningRate,
      learningRateAt("linear", 0.2, 1, 100),
    );
  });

  test("a change clears a divergence: the next step is tried again", () => {
    const trainer = new Trainer({
      learningRate: 1e6,
      schedule: "constant",
      points: 40,
    });
    let error: unknown = null;
    try {
      run(trainer, 100);
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof DivergenceError);
    const completed = trainer.stepCount;
    assert.equal(error.step, completed + 1);
    assert.throws(() => trainer.step(), (again) => again === error);
    // Nothing changed: still refused with the same error.
    trainer.reconfigure({ learningRate: 1e6 });
    assert.throws(() => trainer.step(), (again) => again === error);
    trainer.reconfigure({ learningRate: 1e-9 });
    // Tried anew at the new rate (these weights have blown up, so it
    // diverges again: the cure is then a new run).
    assert.throws(() => trainer.step(), (retry) => {
      assert.ok(retry instanceof DivergenceError && retry !== error);
      assert.equal(retry.step, completed + 1);
      assert.equal(retry.learningRate, 1e-9);
      return true;
    });
    assert.equal(trainer.stepCount, completed);
  });
});
