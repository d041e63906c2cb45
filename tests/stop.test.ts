import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  checkStopRule,
  DEFAULT_STOP_RULE,
  STOP_MODES,
  stopReason,
  type StopRule,
  stopRuleFromMode,
  stopRuleNeedsScores,
} from "../src/stop.ts";
import { Trainer } from "../src/train.ts";

/** Step until the rule says stop (at most `limit` steps); the reason, or null. */
function runUntil(
  trainer: Trainer,
  rule: StopRule,
  limit = 5000,
): string | null {
  const progress = () =>
    stopRuleNeedsScores(rule)
      ? trainer.report()
      : { step: trainer.stepCount, scheduleSteps: trainer.config.steps };
  let reason = stopReason(rule, progress());
  while (reason === null && trainer.stepCount < limit) {
    trainer.step();
    reason = stopReason(rule, progress());
  }
  return reason;
}

describe("stop rules", () => {
  test("micrograd's demo stops at step 100: the schedule ended", () => {
    const trainer = new Trainer();
    assert.equal(
      runUntil(trainer, DEFAULT_STOP_RULE),
      "stopped at step 100: the schedule ended",
    );
    assert.equal(trainer.stepCount, 100);
    // The whole-set report reads the same.
    assert.equal(
      stopReason(DEFAULT_STOP_RULE, trainer.report()),
      "stopped at step 100: the schedule ended",
    );
  });

  test("a step count of its own, or the schedule's length given as a number", () => {
    const trainer = new Trainer({ steps: 50 });
    assert.equal(
      runUntil(trainer, { steps: 20 }),
      "stopped at step 20: the step limit 20 was reached",
    );
    assert.equal(
      stopReason({ steps: 50 }, { step: 50, scheduleSteps: 50 }),
      "stopped at step 50: the schedule ended",
    );
  });

  test("a target loss stops at the first report at or under it", () => {
    const trainer = new Trainer();
    const reason = runUntil(trainer, { loss: 0.1 });
    const report = trainer.report();
    assert.ok(report.train.loss <= 0.1);
    assert.match(
      reason!,
      new RegExp(
        `^stopped at step ${trainer.stepCount}: the training loss [0-9.e-]+ reached the target 0\\.1$`,
      ),
    );
    // One step earlier it was above the target.
    const again = new Trainer();
    for (let k = 1; k < trainer.stepCount; k++) again.step();
    assert.ok(again.report().train.loss > 0.1);
  });

  test("a target train accuracy, on the whole training set", () => {
    const trainer = new Trainer({ batchSize: 10 });
    const reason = runUntil(trainer, { accuracy: 0.9 });
    assert.ok(trainer.report().train.accuracy >= 0.9);
    assert.match(
      reason!,
      /: the training accuracy [0-9.]+ reached the target 0\.9$/,
    );
  });

  test("a target test accuracy; never met without a test set", () => {
    const trainer = new Trainer({ testFraction: 0.3 });
    const reason = runUntil(trainer, { testAccuracy: 0.85 });
    assert.ok(trainer.report().test!.accuracy >= 0.85);
    assert.match(
      reason!,
      /: the test accuracy [0-9.]+ reached the target 0\.85$/,
    );
    const alone = new Trainer();
    assert.equal(runUntil(alone, { testAccuracy: 0.5 }, 30), null);
  });

  test("a regression's accuracy target is its R²", () => {
    const trainer = new Trainer({
      dataset: "plane",
      optimizer: "adam",
      learningRate: 0.05,
    });
    const reason = runUntil(trainer, { accuracy: 0.5 }, 500);
    assert.match(reason!, /: the training R² [0-9.]+ reached the target 0\.5$/);
  });

  test("targets come before the step limit; never stops without a condition", () => {
    const train = { loss: 0.01, accuracy: 1, r2: null };
    assert.match(
      stopReason({ steps: 10, loss: 0.05 }, { step: 10, train })!,
      /the training loss/,
    );
    assert.equal(stopReason({}, { step: 1e9, train }), null);
    assert.equal(stopReason(stopRuleFromMode("never"), { step: 1e9 }), null);
    // A target without its numbers is not met.
    assert.equal(stopReason({ loss: 1 }, { step: 3 }), null);
    assert.equal(
      stopReason({ accuracy: 0.5 }, {
        step: 3,
        train: { loss: NaN, accuracy: NaN, r2: null },
      }),
      null,
    );
  });

  test("menu modes make rules", () => {
    assert.deepEqual([...STOP_MODES], [
      "steps",
      "loss",
      "accuracy",
      "testAccuracy",
      "never",
    ]);
    assert.deepEqual(stopRuleFromMode("steps", null), { steps: "schedule" });
    assert.deepEqual(stopRuleFromMode("loss", 0.05), { loss: 0.05 });
    assert.deepEqual(stopRuleFromMode("testAccuracy", 0.9), {
      testAccuracy: 0.9,
    });
    assert.throws(() => stopRuleFromMode("later" as never), { field: "mode" });
    assert.throws(() => stopRuleFromMode("accuracy"), { field: "accuracy" });
    assert.throws(() => stopRuleFromMode("steps", 2.5), { field: "steps" });
  });

  test("bad rules and progress are refused, naming the field", () => {
    assert.throws(() => checkStopRule({ steps: 0 }), { field: "steps" });
    assert.throws(() => checkStopRule({ steps: "100" }), {
      name: "FieldTypeError",
      field: "steps",
    });
    assert.throws(() => checkStopRule({ loss: -1 }), { field: "loss" });
    assert.throws(() => checkStopRule({ testAccuracy: 2 }), {
      field: "testAccuracy",
    });
    assert.throws(() => checkStopRule([]), TypeError);
    assert.throws(() => stopReason({ steps: "schedule" }, { step: 4 }), {
      field: "progress.scheduleSteps",
    });
    assert.throws(() => stopReason({}, { step: -1 }), {
      field: "progress.step",
    });
    assert.equal(stopRuleNeedsScores({}), false);
    assert.equal(stopRuleNeedsScores({ testAccuracy: 0.5 }), true);
  });
});
