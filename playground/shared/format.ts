/**
 * The playground's number formatters, one definition each, used by the
 * numbers row (whose text is always a plain number or "–"), the loss
 * chart's legend and axis, the network diagram and the graph explorer's
 * formulas alike. (The explorer's fixed-width box numbers and node names
 * are `explorer/format.ts`.)
 *
 * @module
 */

/** What a missing number is shown as. */
export const MISSING = "–";

/**
 * A loss: four decimals, or three significant digits in exponent form when
 * it is huge (>= 1000) or tiny (< 0.0001); a missing one is a dash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatLoss } from "./format.ts";
 * assert.equal(formatLoss(0.123456), "0.1235");
 * assert.equal(formatLoss(0), "0.0000");
 * assert.equal(formatLoss(12345), "1.235e+4");
 * assert.equal(formatLoss(0.00001234), "1.234e-5");
 * assert.equal(formatLoss(NaN), "NaN");
 * assert.equal(formatLoss(null), "–");
 * ```
 */
export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined) return MISSING;
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 || (value !== 0 && Math.abs(value) < 0.0001)
    ? value.toExponential(3)
    : value.toFixed(4);
}

/**
 * An accuracy (a number from 0 to 1), three decimals; a missing one is a dash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAccuracy } from "./format.ts";
 * assert.equal(formatAccuracy(0.97), "0.970");
 * assert.equal(formatAccuracy(undefined), "–");
 * ```
 */
export function formatAccuracy(value: number | null | undefined): string {
  return value === null || value === undefined ? MISSING : value.toFixed(3);
}

/**
 * A step number (or any count) as plain digits; a missing one is a dash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCount } from "./format.ts";
 * assert.equal(formatCount(150), "150");
 * assert.equal(formatCount(null), "–");
 * ```
 */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? MISSING : String(value);
}

/**
 * Steps per second: whole numbers from 100 up, one decimal below.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRate } from "./format.ts";
 * assert.equal(formatRate(1234.5), "1235");
 * assert.equal(formatRate(9.87), "9.9");
 * assert.equal(formatRate(0), "0.0");
 * ```
 */
export function formatRate(perSecond: number): string {
  return perSecond >= 100
    ? String(Math.round(perSecond))
    : perSecond.toFixed(1);
}

/**
 * A tick of the loss axis: short (one significant digit in exponent form
 * beyond 1000 or below 0.001, else at most three significant digits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTick } from "./format.ts";
 * assert.equal(formatTick(0.25), "0.25");
 * assert.equal(formatTick(0.0001), "1e-4");
 * assert.equal(formatTick(0), "0");
 * assert.equal(formatTick(null), "");
 * ```
 */
export function formatTick(value: number | null): string {
  if (value === null) return "";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  return magnitude >= 1000 || magnitude < 0.001
    ? value.toExponential(0)
    : String(+value.toPrecision(3));
}

// A number for a formula (`-3`, `0.5`, `0.7071`): the library's, so the
// explorer, the network diagram and toSvg write numbers alike.
export { formatShortNumber } from "../../src/graph_format.ts";
