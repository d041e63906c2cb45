/**
 * The loss/accuracy history behind the loss chart. A long run would make the
 * chart redraw ever more points each frame, so the history keeps at most
 * `capacity` points: when full it drops every other point and from then on
 * records only every `stride`-th step (doubling each time). The latest step
 * is always shown, so the curve's end tracks the numbers.
 *
 * @module
 */

import type { StepStats } from "../src/train.ts";

/** Columns in uPlot's aligned-data layout: steps, then one column per series. */
export type HistoryColumns = [
  steps: number[],
  trainLoss: (number | null)[],
  testLoss: (number | null)[],
  trainAccuracy: (number | null)[],
  testAccuracy: (number | null)[],
];

/** A decimating record of training statistics. */
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
    const [steps, trainLoss, testLoss, trainAccuracy, testAccuracy] =
      this.#columns;
    steps.push(stats.step);
    trainLoss.push(finiteOrNull(stats.loss));
    testLoss.push(finiteOrNull(stats.testLoss));
    trainAccuracy.push(finiteOrNull(stats.trainAccuracy));
    testAccuracy.push(finiteOrNull(stats.testAccuracy));
    if (steps.length >= this.capacity) this.#halve();
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
    if (latest !== null && latest.step > lastStep) {
      data[0].push(latest.step);
      data[1].push(finiteOrNull(latest.loss));
      data[2].push(finiteOrNull(latest.testLoss));
      data[3].push(finiteOrNull(latest.trainAccuracy));
      data[4].push(finiteOrNull(latest.testAccuracy));
    }
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

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function positiveOrNull(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}
