/**
 * When a run ends: a {@linkcode StopRule} (after a number of steps, by
 * default the schedule's length, as micrograd's demo stops at 100; at a
 * target training loss; at a target train or test accuracy; or never) and
 * {@linkcode stopReason}, which says in words why a run stops now, or
 * `null` while it goes on. The CLI and the playground's worker share them,
 * so a run ends at the same step whichever runs it.
 *
 * The targets read the whole-set numbers of `Trainer.report()` (the same
 * parameters for every point, not a batch's), so a rule with a target
 * needs one; a rule of steps alone needs only the step count.
 *
 * @module
 */

import {
  checkInteger,
  checkNumber,
  checkOptions,
  failField,
} from "./checks.ts";

/**
 * When a run stops. Every condition given counts, and the first one met
 * stops the run; `{}` never stops. A page with one choice at a time makes
 * its rule with {@linkcode stopRuleFromMode}.
 */
export interface StopRule {
  /**
   * Stop once this many steps are taken: a positive integer, or
   * `"schedule"` for the schedule's length (`config.steps`). Absent or
   * `null`: no step limit.
   */
  steps?: number | "schedule" | null;
  /** Stop once the data loss over the whole training set is at most this (finite, >= 0). */
  loss?: number | null;
  /**
   * Stop once the accuracy over the whole training set is at least this
   * (at most 1); for a regression, its R².
   */
  accuracy?: number | null;
  /**
   * Stop once the test set's accuracy (a regression's R²) is at least this
   * (at most 1); never met without a test set.
   */
  testAccuracy?: number | null;
}

/** What a {@linkcode StopRule} reads of a run's scores. */
export interface StopScores {
  /** The mean data loss. */
  loss: number;
  /** Share classified right; NaN for a regression. */
  accuracy: number;
  /** A regression's R² (`null` for a classification). */
  r2: number | null;
}

/**
 * Where a run stands, for {@linkcode stopReason}: a `Trainer.report()`
 * is one; a rule of steps alone needs only `step` (and `scheduleSteps` for
 * `"schedule"`).
 */
export interface StopProgress {
  /** Steps taken so far (`Trainer.stepCount`). */
  step: number;
  /** The schedule's length, `config.steps`: what `steps: "schedule"` means. */
  scheduleSteps?: number;
  /** The whole training set's numbers with the current parameters. */
  train?: StopScores | null;
  /** The test set's numbers, or `null` without one. */
  test?: StopScores | null;
}

/**
 * One condition at a time, as the playground's menu offers them: `"steps"`
 * (the value is the step count, the schedule's length when absent),
 * `"loss"`, `"accuracy"` (training set), `"testAccuracy"` or `"never"`.
 */
export type StopMode = "steps" | "loss" | "accuracy" | "testAccuracy" | "never";

/**
 * Every {@linkcode StopMode}, in menu order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { STOP_MODES } from "./stop.ts";
 * assert.deepEqual(STOP_MODES, ["steps", "loss", "accuracy", "testAccuracy", "never"]);
 * ```
 */
export const STOP_MODES: readonly StopMode[] = Object.freeze([
  "steps",
  "loss",
  "accuracy",
  "testAccuracy",
  "never",
]);

/**
 * The default: stop when the schedule ends (`config.steps`), as
 * micrograd's demo does at step 100.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_STOP_RULE, stopReason } from "./stop.ts";
 * assert.equal(
 *   stopReason(DEFAULT_STOP_RULE, { step: 100, scheduleSteps: 100 }),
 *   "stopped at step 100: the schedule ended",
 * );
 * ```
 */
export const DEFAULT_STOP_RULE: Readonly<StopRule> = Object.freeze({
  steps: "schedule",
});

const STOP_KEYS = ["steps", "loss", "accuracy", "testAccuracy"] as const;
/** A target accuracy or R²: finite, at most 1 (an R² may be negative). */
const TARGET_BOUNDS = { max: 1 } as const;

/**
 * Check a {@linkcode StopRule}, naming the field at fault.
 *
 * @param rule What was given.
 * @param where The caller, for the messages.
 * @returns The rule.
 * @throws {FieldTypeError} / {FieldRangeError} for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkStopRule } from "./stop.ts";
 * assert.deepEqual(checkStopRule({ loss: 0.05 }), { loss: 0.05 });
 * assert.throws(() => checkStopRule({ accuracy: 95 }), { field: "accuracy" });
 * assert.throws(() => checkStopRule({ step: 10 }), /did you mean "steps"/);
 * ```
 */
export function checkStopRule(
  rule: unknown,
  where: string = "checkStopRule",
): StopRule {
  const checked = checkOptions(rule, where, STOP_KEYS, "rule") as StopRule;
  const { steps, loss, accuracy, testAccuracy } = checked;
  if (steps !== undefined && steps !== null && steps !== "schedule") {
    if (typeof steps !== "number") {
      failField(
        "type",
        where,
        "steps",
        'a positive integer, "schedule" or null',
        steps,
      );
    }
    checkInteger(steps, where, "steps", 1, Number.MAX_SAFE_INTEGER);
  }
  if (loss !== undefined && loss !== null) {
    checkNumber(loss, where, "loss", { min: 0 });
  }
  for (
    const [field, value] of [["accuracy", accuracy], [
      "testAccuracy",
      testAccuracy,
    ]] as const
  ) {
    if (value !== undefined && value !== null) {
      checkNumber(value, where, field, TARGET_BOUNDS);
    }
  }
  return checked;
}

/**
 * The rule of one menu choice: `"steps"` with the step count (`null` or
 * absent: the schedule's length), `"loss"`, `"accuracy"` or
 * `"testAccuracy"` with the target, `"never"`.
 *
 * @param mode The choice.
 * @param value Its number (required for a target).
 * @returns The rule, checked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopRuleFromMode } from "./stop.ts";
 * assert.deepEqual(stopRuleFromMode("steps"), { steps: "schedule" });
 * assert.deepEqual(stopRuleFromMode("steps", 500), { steps: 500 });
 * assert.deepEqual(stopRuleFromMode("accuracy", 0.95), { accuracy: 0.95 });
 * assert.deepEqual(stopRuleFromMode("never"), {});
 * assert.throws(() => stopRuleFromMode("loss"), { field: "loss" });
 * ```
 */
export function stopRuleFromMode(
  mode: StopMode,
  value?: number | null,
): StopRule {
  const where = "stopRuleFromMode";
  if (!STOP_MODES.includes(mode)) {
    failField(
      "range",
      where,
      "mode",
      `one of ${STOP_MODES.map((m) => `"${m}"`).join(", ")}`,
      mode,
    );
  }
  if (mode === "never") return {};
  if (mode === "steps") {
    return checkStopRule({ steps: value ?? "schedule" }, where);
  }
  if (value === undefined || value === null) {
    failField("type", where, mode, "a target number", value);
  }
  return checkStopRule({ [mode]: value }, where);
}

/**
 * Whether a rule reads the whole-set scores (a loss or accuracy target),
 * so its caller must pass a `Trainer.report()` rather than the step count
 * alone. A rule of steps alone is cheap to check after every step.
 *
 * @param rule The rule.
 * @returns `true` when it has a target.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopRuleNeedsScores } from "./stop.ts";
 * assert.equal(stopRuleNeedsScores({ steps: "schedule" }), false);
 * assert.equal(stopRuleNeedsScores({ steps: 100, loss: 0.1 }), true);
 * ```
 */
export function stopRuleNeedsScores(rule: StopRule): boolean {
  return [rule.loss, rule.accuracy, rule.testAccuracy].some((target) =>
    target !== undefined && target !== null
  );
}

/** A number in a reason: 4 significant digits are plenty to read. */
function shown(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** Accuracy, or a regression's R²: what the accuracy targets compare. */
function accuracyOf(scores: StopScores): { name: string; value: number } {
  return scores.r2 === null
    ? { name: "accuracy", value: scores.accuracy }
    : { name: "R²", value: scores.r2 };
}

/**
 * Why the run stops now, or `null` while it goes on: the first condition
 * of `rule` that `progress` meets, in words, e.g. `"stopped at step 100:
 * the schedule ended"` or `"stopped at step 37: the training loss 0.0493
 * reached the target 0.05"`. The targets are checked before the step
 * limit; a target whose numbers `progress` lacks (or that are NaN) is not
 * met.
 *
 * A condition, once met, stays met (step 101 is past 100 too): a page
 * that lets Play continue past a stop stops checking the rule until the
 * rule or the run changes.
 *
 * @param rule When to stop (see {@linkcode StopRule}).
 * @param progress The step count, and the scores the targets read.
 * @returns The reason, or `null`.
 * @throws {FieldRangeError} for a bad rule, or `steps: "schedule"` without
 *   `progress.scheduleSteps`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopReason } from "./stop.ts";
 * const rule = { steps: 200, accuracy: 0.95 };
 * const train = { loss: 0.2, accuracy: 0.96, r2: null };
 * assert.equal(stopReason(rule, { step: 50 }), null);
 * assert.equal(
 *   stopReason(rule, { step: 50, train }),
 *   "stopped at step 50: the training accuracy 0.96 reached the target 0.95",
 * );
 * assert.equal(
 *   stopReason(rule, { step: 200 }),
 *   "stopped at step 200: the step limit 200 was reached",
 * );
 * assert.equal(stopReason({}, { step: 1e6 }), null); // never
 * ```
 */
export function stopReason(
  rule: StopRule,
  progress: StopProgress,
): string | null {
  const where = "stopReason";
  const { steps, loss, accuracy, testAccuracy } = checkStopRule(rule, where);
  const step = checkInteger(
    progress?.step,
    where,
    "progress.step",
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const at = `stopped at step ${step}: `;
  const train = progress.train ?? null;
  const test = progress.test ?? null;
  if (loss !== undefined && loss !== null && train !== null) {
    if (train.loss <= loss) {
      return `${at}the training loss ${shown(train.loss)} reached the target ${
        shown(loss)
      }`;
    }
  }
  for (
    const [target, scores, set] of [
      [accuracy, train, "training"],
      [testAccuracy, test, "test"],
    ] as const
  ) {
    if (target === undefined || target === null || scores === null) continue;
    const { name, value } = accuracyOf(scores);
    if (value >= target) {
      return `${at}the ${set} ${name} ${shown(value)} reached the target ${
        shown(target)
      }`;
    }
  }
  if (steps === undefined || steps === null) return null;
  if (steps === "schedule") {
    const length = progress.scheduleSteps;
    if (length === undefined) {
      failField(
        "range",
        where,
        "progress.scheduleSteps",
        'the schedule\'s length (config.steps), for steps: "schedule"',
        length,
      );
    }
    return step >= length ? `${at}the schedule ended` : null;
  }
  if (step < steps) return null;
  return progress.scheduleSteps === steps
    ? `${at}the schedule ended`
    : `${at}the step limit ${steps} was reached`;
}
