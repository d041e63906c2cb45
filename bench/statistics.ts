/**
 * Small summaries of measured samples for the benchmarks, and their
 * markdown table.
 *
 * @module
 */

/**
 * The median of `values` (the mean of the middle two for an even count);
 * `NaN` for none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { median } from "./statistics.ts";
 * assert.equal(median([5, 1, 3]), 3);
 * assert.equal(median([4, 1, 3, 2]), 2.5);
 * assert.ok(Number.isNaN(median([])));
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The largest gap between consecutive times, the window's own `start` and
 * `end` included as the first and last times (so a window without any
 * time inside has the whole window as its gap).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { longestGap } from "./statistics.ts";
 * assert.equal(longestGap([10, 16, 40], 0, 50), 24);
 * assert.equal(longestGap([], 0, 50), 50);
 * ```
 */
export function longestGap(
  times: readonly number[],
  start: number,
  end: number,
): number {
  let longest = 0;
  let previous = start;
  for (const time of [...times, end]) {
    longest = Math.max(longest, time - previous);
    previous = time;
  }
  return longest;
}

/**
 * A markdown table: the header row, the separator (columns from
 * `rightFrom` on right-aligned, for numbers) and one line per row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markdownTable } from "./statistics.ts";
 * assert.equal(
 *   markdownTable(["name", "ms"], [["demo", "12"]], 1),
 *   "| name | ms |\n| --- | ---: |\n| demo | 12 |",
 * );
 * ```
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightFrom: number,
): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const separator = header.map((_cell, i) => i < rightFrom ? "---" : "---:");
  return [line(header), line(separator), ...rows.map(line)].join("\n");
}
