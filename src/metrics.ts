/**
 * How well a model does beyond one number. For a regression,
 * {@linkcode r2Score} (the coefficient of determination) and
 * {@linkcode meanAbsoluteError}, what the `Trainer` reports for the
 * regression datasets in place of accuracy: both compare one prediction per
 * sample with its real-valued target. For a classifier,
 * {@linkcode confusionMatrix}: which class each class was taken for.
 *
 * @module
 */

import {
  checkInteger,
  checkNumber,
  failField,
  FieldRangeError,
} from "./checks.ts";
import { checkLabels } from "./data.ts";
import { predictClass } from "./loss.ts";

/** Check two arrays of numbers of the same, non-zero length. */
function checkPairs(
  predictions: unknown,
  targets: unknown,
  where: string,
): void {
  for (
    const [field, value] of [["predictions", predictions], [
      "targets",
      targets,
    ]] as const
  ) {
    if (!Array.isArray(value)) {
      failField("type", where, field, "an array of numbers", value);
    }
  }
  const p = predictions as unknown[], t = targets as unknown[];
  if (p.length === 0 || p.length !== t.length) {
    throw new FieldRangeError(
      `${where}: predictions and targets must be non-empty and of the same length, got ${p.length} predictions and ${t.length} targets`,
      { field: "targets", allowed: `an array of ${p.length} numbers` },
    );
  }
  for (let i = 0; i < t.length; i++) {
    checkNumber(t[i], where, `targets[${i}]`);
    // A prediction may be NaN or infinite (a diverged model): the score
    // then says so instead of throwing.
    if (typeof p[i] !== "number") {
      failField("type", where, `predictions[${i}]`, "a number", p[i]);
    }
  }
}

/**
 * The coefficient of determination `R² = 1 - Σ(t - p)² / Σ(t - t̄)²`: 1 for
 * a perfect fit, 0 for predicting the mean, negative for worse. When the
 * targets are all equal (`Σ(t - t̄)² = 0`) it is 1 for a perfect fit and 0
 * otherwise, as scikit-learn's `r2_score` does.
 *
 * @param predictions One prediction per sample.
 * @param targets One finite target per sample (at least one).
 * @returns R², NaN when a prediction is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { r2Score } from "./metrics.ts";
 * assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
 * assert.equal(r2Score([2, 2, 2], [1, 2, 3]), 0);
 * // residuals 0.5, -0.5, 0: 1 - 0.5 / 2
 * assert.equal(r2Score([0.5, 2.5, 3], [1, 2, 3]), 0.75);
 * ```
 */
export function r2Score(
  predictions: readonly number[],
  targets: readonly number[],
): number {
  checkPairs(predictions, targets, "r2Score");
  let mean = 0;
  for (const t of targets) mean += t;
  mean /= targets.length;
  let residual = 0, total = 0;
  for (let i = 0; i < targets.length; i++) {
    const r = targets[i] - predictions[i];
    const d = targets[i] - mean;
    residual += r * r;
    total += d * d;
  }
  if (total === 0) {
    if (Number.isNaN(residual)) return NaN;
    return residual === 0 ? 1 : 0;
  }
  return 1 - residual / total;
}

/**
 * The mean absolute error `Σ|t - p| / n`, in the targets' units.
 *
 * @param predictions One prediction per sample.
 * @param targets One finite target per sample (at least one).
 * @returns The mean of the absolute differences.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanAbsoluteError } from "./metrics.ts";
 * assert.equal(meanAbsoluteError([0.5, 2.5, 3], [1, 2, 3]), 1 / 3);
 * assert.throws(() => meanAbsoluteError([1], [NaN]), { field: "targets[0]" });
 * ```
 */
export function meanAbsoluteError(
  predictions: readonly number[],
  targets: readonly number[],
): number {
  checkPairs(predictions, targets, "meanAbsoluteError");
  let total = 0;
  for (let i = 0; i < targets.length; i++) {
    total += Math.abs(targets[i] - predictions[i]);
  }
  return total / targets.length;
}

/**
 * The counts of a {@linkcode confusionMatrix}: how often each class was
 * predicted as each class.
 */
export interface ConfusionMatrix {
  /** Number of classes `k`. */
  classes: number;
  /**
   * `counts[actual][predicted]`: the samples of class `actual` predicted as
   * class `predicted` (`k × k`; the diagonal holds the right answers).
   */
  counts: number[][];
  /**
   * `unclassified[actual]`: the samples of class `actual` whose scores were
   * not all finite (a diverged model), which predict no class; they are in
   * no cell of `counts`.
   */
  unclassified: number[];
  /** Every sample counted: the sum of `counts` and `unclassified`. */
  total: number;
}

/**
 * The `k × k` confusion matrix of a classifier's scores: rows are the actual
 * classes, columns the predicted ones (by {@linkcode predictClass}: with
 * one output, class 1 for a positive score; with `k`, the largest). A
 * sample whose scores are not finite predicts no class and is counted in
 * `unclassified` instead. The diagonal's sum over `total` is the accuracy.
 *
 * @param scores The model's outputs per sample (e.g. `model.predict(x)`):
 *   one output, or one per class.
 * @param labels The actual class of each sample, an integer from 0 to `classes - 1`.
 * @param classes The number of classes, 2 to 10.
 * @returns The counts.
 * @throws {FieldTypeError} / {FieldRangeError} naming the argument at fault.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { confusionMatrix } from "./metrics.ts";
 * const matrix = confusionMatrix([[0.5], [-1], [2], [NaN]], [1, 1, 0, 0], 2);
 * assert.deepEqual(matrix.counts, [[0, 1], [1, 1]]); // row: actual, column: predicted
 * assert.deepEqual(matrix.unclassified, [1, 0]); // the NaN score
 * assert.equal(matrix.total, 4);
 * const three = confusionMatrix([[0, 1, 0], [3, 1, 2]], [1, 2], 3);
 * assert.deepEqual(three.counts, [[0, 0, 0], [0, 1, 0], [1, 0, 0]]);
 * ```
 */
export function confusionMatrix(
  scores: readonly (readonly number[])[],
  labels: readonly number[],
  classes: number,
): ConfusionMatrix {
  const where = "confusionMatrix";
  checkInteger(classes, where, "classes", 2, 10);
  if (!Array.isArray(scores)) {
    failField("type", where, "scores", "an array of score arrays", scores);
  }
  checkLabels(labels, where, "labels", classes);
  if (labels.length !== scores.length) {
    throw new FieldRangeError(
      `${where}: scores and labels must be of the same length, got ${scores.length} scores and ${labels.length} labels`,
      { field: "labels", allowed: `an array of ${scores.length} labels` },
    );
  }
  const allowed = `an array of 1 or ${classes} numbers`;
  for (let i = 0; i < scores.length; i++) {
    const row: unknown = scores[i];
    if (!Array.isArray(row)) {
      failField("type", where, `scores[${i}]`, allowed, row);
    }
    if (row.length !== 1 && row.length !== classes) {
      failField("range", where, `scores[${i}]`, allowed, row);
    }
    for (let j = 0; j < row.length; j++) {
      // NaN and infinities are allowed: they predict no class.
      if (typeof row[j] !== "number") {
        failField("type", where, `scores[${i}][${j}]`, "a number", row[j]);
      }
    }
  }
  const counts = Array.from(
    { length: classes },
    () => new Array<number>(classes).fill(0),
  );
  const unclassified = new Array<number>(classes).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const predicted = predictClass(scores[i]);
    if (predicted < 0) unclassified[labels[i]]++;
    else counts[labels[i]][predicted]++;
  }
  return { classes, counts, unclassified, total: scores.length };
}
