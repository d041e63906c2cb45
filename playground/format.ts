/**
 * How numbers are written in the numbers row (the text content of
 * `#train-loss`, `#train-acc`, … is always a plain number or "–").
 *
 * @module
 */

/** Format a loss for the numbers row. */
export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 || (value !== 0 && Math.abs(value) < 0.0001)
    ? value.toExponential(3)
    : value.toFixed(4);
}

/** Format an accuracy (a number from 0 to 1) for the numbers row. */
export function formatAccuracy(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : value.toFixed(3);
}
