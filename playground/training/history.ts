/**
 * The loss/accuracy history behind the loss chart. A long run would make the
 * chart redraw ever more points each frame, so the history keeps at most
 * `capacity` points: when full it drops every other point and from then on
 * records only every `stride`-th step (doubling each time). The latest step
 * is always shown, so the curve's end tracks the numbers. For a regression
 * the accuracy columns hold R².
 *
 * @module
 */

import type { StepStats } from "../../src/train.ts";

/** Columns in uPlot's aligned-data layout: steps, then one column per series. */
export type HistoryColumns = [
  steps: number[],
  trainLoss: (number | null)[],
  testLoss: (number | null)[],
  trainAccuracy: (number | null)[],
  testAccuracy: (number | null)[],
];

/**
 * A decimating record of training statistics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LossHistory } from "./history.ts";
 * const history = new LossHistory(4);
 * for (let step = 1; step <= 5; step++) {
 *   history.add({ step, loss: 1 / step, testLoss: null, trainAccuracy: 0.5, testAccuracy: null } as never);
 * }
 * assert.equal(history.stride, 2); // full at 4 points: every other step from then on
 * assert.deepEqual(history.columns().steps, [2, 4, 5]); // and the latest
 * ```
 */
export class LossHistory {
  readonly capacity: number;
  #stride = 1;
  #columns: HistoryColumns = [[], [], [], [], []];
  /** The newest step, kept apart when decimation would skip it. */
  #latest: StepStats | null = null;

  constructor(capacity = 1500) {
    if (!Number.isInteger(capacity) || capacity < 4) {
      throw new RangeError(
        `LossHistory: capacity must be an integer >= 4, got ${capacity}`,
      );
    }
    this.capacity = capacity;
  }

  /** Every how many steps a point is kept (1 until the history first fills). */
  get stride(): number {
    return this.#stride;
  }

  /** Drop everything (a reset). */
  clear(): void {
    this.#stride = 1;
    this.#columns = [[], [], [], [], []];
    this.#latest = null;
  }

  /** Record one step's statistics. */
  add(stats: StepStats): void {
    this.#latest = stats;
    if (stats.step % this.#stride !== 0) return;
    append(this.#columns, stats);
    if (this.length >= this.capacity) this.#halve();
  }

  #halve(): void {
    this.#stride *= 2;
    this.#columns = this.#columns.map((column) =>
      (column as (number | null)[]).filter((_, index) =>
        (this.#columns[0][index] % this.#stride) === 0
      )
    ) as HistoryColumns;
  }

  /** Number of points recorded (the chart may add the latest step). */
  get length(): number {
    return this.#columns[0].length;
  }

  /**
   * The columns to plot. With `logScale`, losses that are not positive
   * (a hinge loss of exactly 0) become gaps instead of breaking the log axis.
   */
  columns(logScale = false): {
    steps: number[];
    data: HistoryColumns;
  } {
    let data = this.#columns.map((column) => [...column]) as HistoryColumns;
    const latest = this.#latest;
    const lastStep = data[0].length > 0 ? data[0][data[0].length - 1] : -1;
    if (latest !== null && latest.step > lastStep) append(data, latest);
    if (logScale) {
      data = [
        data[0],
        data[1].map(positiveOrNull),
        data[2].map(positiveOrNull),
        data[3],
        data[4],
      ];
    }
    return { steps: data[0], data };
  }
}

/** One step's row at the end of the columns. */
function append(columns: HistoryColumns, stats: StepStats): void {
  columns[0].push(stats.step);
  // The data loss: the test loss's definition (the penalty is apart).
  columns[1].push(finiteOrNull(stats.dataLoss ?? stats.loss));
  columns[2].push(finiteOrNull(stats.testLoss));
  // A regression has no accuracy: its R² takes the accuracy's place.
  columns[3].push(finiteOrNull(stats.r2 ?? stats.trainAccuracy));
  columns[4].push(finiteOrNull(stats.testR2 ?? stats.testAccuracy));
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function positiveOrNull(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}
