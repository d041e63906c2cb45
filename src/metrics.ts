/**
 * How well a regression fits: {@linkcode r2Score} (the coefficient of
 * determination) and {@linkcode meanAbsoluteError}, what the `Trainer`
 * reports for the regression datasets in place of accuracy. Both compare
 * one prediction per sample with its real-valued target.
 *
 * @module
 */

import { checkNumber, failField, FieldRangeError } from "./checks.ts";

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
