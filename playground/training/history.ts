/**
 * The loss/accuracy history behind the loss chart: the run's whole-set
 * numbers (the worker's `Trainer.report()`: the training set's and the test
 * set's data loss and accuracy, or R² for a regression) at the steps they
 * were measured, so the chart says what the numbers above it say. A step's
 * own batch numbers are not plotted: with a small batch they jump from 0 to
 * 1 and would not be the training set's.
 *
 * A long run would make the chart redraw ever more points each frame, so the
 * history keeps at most `capacity` points: when full it drops every other
 * point and from then on keeps a point only once `stride` steps have passed
 * since the last kept one (the stride doubles each time). The latest
 * measurement is always shown, so the curve's end tracks the numbers.
 *
 * @module
 */

import type { TrainingReport } from "../../src/train.ts";

/** Columns in uPlot's aligned-data layout: steps, then one column per series. */
export type HistoryColumns = [
  steps: number[],
  trainLoss: (number | null)[],
  testLoss: (number | null)[],
  trainAccuracy: (number | null)[],
  testAccuracy: (number | null)[],
];

/** One measurement: what the chart plots at a step. */
export interface HistoryPoint {
  /** Updates of the parameters the numbers were measured with. */
  step: number;
  /** The training set's data loss (no penalty: the test loss's definition). */
  trainLoss: number | null;
  testLoss: number | null;
  /** Accuracy on the training set, or a regression's R². */
  trainScore: number | null;
  testScore: number | null;
}

/**
 * The history's point for a whole-set report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Trainer } from "../../src/train.ts";
 * import { measuredPoint } from "./history.ts";
 * const trainer = new Trainer({ testFraction: 0.2 });
 * trainer.step();
 * const report = trainer.report();
 * const point = measuredPoint(report);
 * assert.equal(point.step, 1);
 * assert.equal(point.trainLoss, report.train.loss);
 * assert.equal(point.testScore, report.test!.accuracy);
 * ```
 */
export function measuredPoint(report: TrainingReport): HistoryPoint {
  const { train, test } = report;
  return {
    step: report.step,
    trainLoss: finiteOrNull(train.loss),
    testLoss: finiteOrNull(test?.loss ?? null),
    // A regression has no accuracy: its R² takes the accuracy's place.
    trainScore: finiteOrNull(train.r2 ?? train.accuracy),
    testScore: finiteOrNull(test === null ? null : test.r2 ?? test.accuracy),
  };
}

/**
 * A decimating record of whole-set measurements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LossHistory } from "./history.ts";
 * const history = new LossHistory(4);
 * for (let step = 1; step <= 5; step++) {
 *   history.add({ step, trainLoss: 1 / step, testLoss: null, trainScore: 0.5, testScore: null });
 * }
 * assert.equal(history.stride, 2); // full at 4 points: half of them dropped
 * assert.deepEqual(history.columns().steps, [1, 3, 4, 5]); // and the latest
 * ```
 */
export class LossHistory {
  readonly capacity: number;
  #stride = 1;
  #columns: HistoryColumns = [[], [], [], [], []];
  /** The newest point, kept apart when decimation would skip it. */
  #latest: HistoryPoint | null = null;

  constructor(capacity = 1500) {
    if (!Number.isInteger(capacity) || capacity < 4) {
      throw new RangeError(
        `LossHistory: capacity must be an integer >= 4, got ${capacity}`,
      );
    }
    this.capacity = capacity;
  }

  /** The fewest steps between two kept points (1 until the history first fills). */
  get stride(): number {
    return this.#stride;
  }

  /** Drop everything (a reset). */
  clear(): void {
    this.#stride = 1;
    this.#columns = [[], [], [], [], []];
    this.#latest = null;
  }

  /**
   * Record one measurement. A later one of the same step (after a Pause,
   * the full report follows the counter) replaces it; an older one is
   * ignored.
   */
  add(point: HistoryPoint): void {
    const steps = this.#columns[0];
    const last = steps.length > 0 ? steps[steps.length - 1] : -Infinity;
    if (this.#latest !== null && point.step < this.#latest.step) return;
    this.#latest = point;
    if (point.step === last) {
      for (const column of this.#columns) column.pop();
    } else if (point.step - last < this.#stride) {
      return;
    }
    append(this.#columns, point);
    if (this.length >= this.capacity) this.#halve();
  }

  /** Keep every other point (the first and the last stay). */
  #halve(): void {
    const count = this.length;
    const keep = (index: number) => index % 2 === 0 || index === count - 1;
    this.#columns = this.#columns.map((column) =>
      (column as (number | null)[]).filter((_, index) => keep(index))
    ) as HistoryColumns;
    this.#stride *= 2;
  }

  /** Number of points recorded (the chart may add the latest). */
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

/** One point's row at the end of the columns. */
function append(columns: HistoryColumns, point: HistoryPoint): void {
  columns[0].push(point.step);
  columns[1].push(finiteOrNull(point.trainLoss));
  columns[2].push(finiteOrNull(point.testLoss));
  columns[3].push(finiteOrNull(point.trainScore));
  columns[4].push(finiteOrNull(point.testScore));
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function positiveOrNull(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}
