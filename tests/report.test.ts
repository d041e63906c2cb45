import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { TrainConfig } from "../src/config.ts";
import { accuracy, l1Penalty, l2Penalty, predictClass } from "../src/loss.ts";
import { confusionMatrix } from "../src/metrics.ts";
import { MLP } from "../src/nn.ts";
import { type StepStats, Trainer } from "../src/train.ts";

/** Run `steps` steps and return their stats. */
function run(trainer: Trainer, steps: number): StepStats[] {
  const stats: StepStats[] = [];
  for (let k = 0; k < steps; k++) stats.push(trainer.step());
  return stats;
}

describe("report(): the whole training set, measured like the test set", () => {
  for (const compile of [true, false]) {
    test(`full batch: the report before a step is that step's numbers, bit for bit (compile: ${compile})`, () => {
      const trainer = new Trainer({ compile, testFraction: 0.2, l1: 1e-3 });
      for (let k = 0; k < 5; k++) {
        const report = trainer.report();
        const stats = trainer.step();
        assert.equal(report.step, stats.step - 1);
        assert.equal(report.train.loss, stats.dataLoss);
        assert.equal(report.train.accuracy, stats.trainAccuracy);
        assert.equal(report.regularizationLoss, stats.regularizationLoss);
        assert.equal(report.loss, stats.loss);
        assert.equal(report.test!.loss, stats.testLoss);
        assert.equal(report.test!.accuracy, stats.testAccuracy);
        assert.equal(report.learningRate, stats.learningRate);
        assert.equal(stats.batchSize, trainer.train.x.length);
      }
    });
  }

  test("batch size 1: the train numbers are an independent evaluation of the same weights", () => {
    const trainer = new Trainer({ batchSize: 1, testFraction: 0.5 });
    const stats = run(trainer, 30);
    assert.ok(stats.every((s) => s.batchSize === 1));
    const report = trainer.report();
    // Evaluate a copy of the weights, as "Save weights" would give them.
    const copy = MLP.fromJSON(trainer.model.toJSON());
    const scores = trainer.train.x.map((point) => copy.predict(point));
    assert.equal(report.train.accuracy, accuracy(scores, trainer.train.y));
    // The train loss is the test loss's definition: data of the same
    // points as a dataset of their own give the same number.
    const asData = {
      x: trainer.train.x.map((p) => [...p]),
      y: [...trainer.train.y],
      classes: 2,
    };
    assert.equal(report.train.loss, trainer.evaluate(asData)!.loss);
    const parameters = trainer.model.parameters();
    assert.equal(report.regularizationLoss, l2Penalty(parameters, 1e-4).data);
  });

  test("the penalty is apart from the data loss, L2 and L1 alike", () => {
    const trainer = new Trainer({ l2: 0.01, l1: 0.001, points: 40 });
    run(trainer, 3);
    const report = trainer.report();
    const parameters = trainer.model.parameters();
    assert.equal(
      report.regularizationLoss,
      l2Penalty(parameters, 0.01).add(l1Penalty(parameters, 0.001)).data,
    );
    assert.equal(report.loss, report.train.loss + report.regularizationLoss);
    assert.deepEqual(report.train, trainer.evaluate(trainer.train));
  });

  test("a report disturbs nothing: runs with and without are the same", () => {
    const config: Partial<TrainConfig> = { batchSize: 7, testFraction: 0.3 };
    const plain = new Trainer(config);
    const watched = new Trainer(config);
    const expected = run(plain, 8).map(({ milliseconds: _, ...rest }) => rest);
    const got: typeof expected = [];
    for (let k = 0; k < 8; k++) {
      watched.report();
      watched.confusionMatrices();
      const { milliseconds: _, ...rest } = watched.step();
      got.push(rest);
    }
    assert.deepEqual(got, expected);
  });

  test("a regression reports R² and MAE, and no confusion matrix", () => {
    const trainer = new Trainer({
      dataset: "plane",
      testFraction: 0.25,
      batchSize: 10,
    });
    run(trainer, 5);
    const report = trainer.report();
    assert.equal(report.confusion, null);
    assert.equal(trainer.confusionMatrices(), null);
    assert.ok(Number.isNaN(report.train.accuracy));
    assert.equal(typeof report.train.r2, "number");
    assert.deepEqual(report.train, trainer.evaluate(trainer.train));
    assert.deepEqual(report.test, trainer.evaluate(trainer.test));
  });

  test("without a test set, the report has none", () => {
    const report = new Trainer().report();
    assert.equal(report.test, null);
    assert.equal(report.confusion!.test, null);
    assert.equal(report.step, 0);
    assert.equal(report.scheduleSteps, 100);
  });
});

describe("confusion matrices", () => {
  test("they sum to the set sizes; the diagonal is the accuracy", () => {
    const trainer = new Trainer({
      dataset: "spiral",
      classes: 3,
      testFraction: 0.3,
      points: 90,
    });
    run(trainer, 10);
    const report = trainer.report();
    const { train, test } = report.confusion!;
    assert.deepEqual(trainer.confusionMatrices(), report.confusion);
    for (
      const [matrix, set, evaluation] of [
        [train, trainer.train, report.train],
        [test!, trainer.test, report.test!],
      ] as const
    ) {
      assert.equal(matrix.classes, 3);
      const cells = matrix.counts.flat().reduce((a, b) => a + b, 0);
      assert.equal(cells, set.x.length);
      assert.equal(matrix.total, set.x.length);
      assert.deepEqual(matrix.unclassified, [0, 0, 0]);
      for (let c = 0; c < 3; c++) {
        const actual = set.y.filter((label) => label === c).length;
        assert.equal(
          matrix.counts[c].reduce((a, b) => a + b, 0),
          actual,
          `row ${c} holds the points of class ${c}`,
        );
      }
      const diagonal = matrix.counts[0][0] + matrix.counts[1][1] +
        matrix.counts[2][2];
      assert.equal(diagonal / matrix.total, evaluation.accuracy);
    }
  });

  test("each cell counts predictClass's answers", () => {
    const trainer = new Trainer({ testFraction: 0.2 });
    run(trainer, 20);
    const { train } = trainer.confusionMatrices()!;
    const expected = [[0, 0], [0, 0]];
    trainer.train.x.forEach((point, i) => {
      expected[trainer.train.y[i]][
        predictClass(trainer.model.predict(point))
      ]++;
    });
    assert.deepEqual(train.counts, expected);
  });

  test("a diverged model's points predict no class", () => {
    const trainer = new Trainer({ points: 20 });
    trainer.model.layers[2].neurons[0].bias.data = NaN;
    const { train } = trainer.confusionMatrices()!;
    assert.deepEqual(train.counts, [[0, 0], [0, 0]]);
    const ones = trainer.train.y.filter((label) => label === 1).length;
    assert.deepEqual(train.unclassified, [20 - ones, ones]);
    assert.equal(train.total, 20);
  });

  test("confusionMatrix refuses what is not scores and labels", () => {
    assert.throws(() => confusionMatrix([[1]], [0], 1), { field: "classes" });
    assert.throws(() => confusionMatrix([[1]], [2], 2), { field: "labels[0]" });
    assert.throws(() => confusionMatrix([[1], [2]], [0], 2), {
      field: "labels",
    });
    assert.throws(() => confusionMatrix([[1, 2]], [0], 3), {
      field: "scores[0]",
    });
    assert.throws(() => confusionMatrix([["1"]] as never, [0], 2), {
      field: "scores[0][0]",
    });
    assert.throws(() => confusionMatrix("no" as never, [], 2), TypeError);
    assert.deepEqual(confusionMatrix([], [], 2), {
      classes: 2,
      counts: [[0, 0], [0, 0]],
      unclassified: [0, 0],
      total: 0,
    });
  });
});
