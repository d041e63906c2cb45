/**
 * The loss chart: training and test loss over steps on the left axis
 * (linear or log), training and test accuracy on the right axis (0 to 1).
 * uPlot redraws thousands of points in about a millisecond, and the history
 * it plots is capped (see `history.ts`), so live updates stay smooth.
 *
 * @module
 */

import uPlot from "uplot";
import {
  formatAccuracy,
  formatCount,
  formatLoss,
  formatTick,
} from "../shared/format.ts";
import { watchChart } from "./chart_frame.ts";
import type { HistoryColumns } from "./history.ts";

const HEIGHT = 190;

const COLORS = {
  trainLoss: "#0877bd",
  testLoss: "#f59322",
  trainAccuracy: "#2ea043",
  testAccuracy: "#8250df",
};

/**
 * A series of the chart: its line and the legend's number, written by
 * `format` (at the cursor, or the latest value while the cursor is away).
 */
function series(
  label: string,
  format: (value: number | null) => string,
  look: Partial<uPlot.Series> = {},
): uPlot.Series {
  return {
    label,
    ...look,
    value: (u, v, index, row) => format(shown(u, v, index, row)),
  };
}

/** A uPlot chart of loss and accuracy against the step. */
export class LossChart {
  readonly #container: HTMLElement;
  #plot: uPlot;
  #logScale: boolean;
  #data: HistoryColumns = [[], [], [], [], []];
  #width = 0;
  #resizeObserver: ResizeObserver;
  #regression = false;
  /** The steps the x-axis spans (`null`: the data's own extent). */
  #xRange: [number, number] | null = null;

  constructor(container: HTMLElement, logScale: boolean) {
    this.#container = container;
    this.#logScale = logScale;
    this.#plot = this.#create();
    this.#resizeObserver = watchChart(
      container,
      "Chart of training and test loss and accuracy over the training steps",
      () => this.resize(),
    );
  }

  get logScale(): boolean {
    return this.#logScale;
  }

  #currentWidth(): number {
    const width = Math.floor(this.#container.clientWidth);
    return Math.max(240, width > 0 ? width : 480);
  }

  #create(): uPlot {
    this.#width = this.#currentWidth();
    const [loss, score] = this.#regression ? ["MSE", "R²"] : ["loss", "acc."];
    const options: uPlot.Options = {
      width: this.#width,
      height: HEIGHT,
      cursor: { drag: { x: true, y: false } },
      scales: {
        // The run's extent when known (the chart does not squash the
        // start of a run that goes on; the axis reaches its stop).
        x: {
          time: false,
          range: (_u, min, max) => this.#xRange ?? [min, max],
        },
        loss: this.#logScale
          ? { distr: 3, log: 10 }
          : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max : 1] },
        accuracy: { auto: false, range: [0, 1] },
      },
      axes: [
        { label: "step", labelSize: 18, size: 30 },
        {
          scale: "loss",
          label: this.#regression ? "MSE" : "loss",
          labelSize: 18,
          size: 48,
          values: (_u, ticks) => ticks.map(formatTick),
        },
        {
          scale: "accuracy",
          side: 1,
          label: this.#regression ? "R²" : "accuracy",
          labelSize: 18,
          size: 52,
          grid: { show: false },
        },
      ],
      series: [
        series("step", formatCount),
        series(`train ${loss}`, formatLoss, {
          scale: "loss",
          stroke: COLORS.trainLoss,
          width: 2,
        }),
        series(`test ${loss}`, formatLoss, {
          scale: "loss",
          stroke: COLORS.testLoss,
          width: 2,
        }),
        series(`train ${score}`, formatAccuracy, {
          scale: "accuracy",
          stroke: COLORS.trainAccuracy,
          width: 1.5,
          dash: [6, 3],
        }),
        series(`test ${score}`, formatAccuracy, {
          scale: "accuracy",
          stroke: COLORS.testAccuracy,
          width: 1.5,
          dash: [2, 3],
        }),
      ],
    };
    return new uPlot(options, this.#data, this.#container);
  }

  /**
   * Plot these columns (see `LossHistory.columns`), the x-axis spanning
   * `xRange` (the steps of the run, or of the window shown) when given.
   */
  setData(data: HistoryColumns, xRange: [number, number] | null = null): void {
    this.#data = data;
    this.#xRange = xRange;
    this.#plot.setData(data, true);
  }

  /**
   * Name the series for a regression (MSE and R²) or a classification
   * (loss and accuracy); rebuilds the chart when that changes.
   */
  setRegression(regression: boolean): void {
    if (regression === this.#regression) return;
    this.#regression = regression;
    this.#plot.destroy();
    this.#plot = this.#create();
  }

  /** Switch the loss axis between linear and logarithmic (rebuilds the chart). */
  setLogScale(logScale: boolean, data: HistoryColumns): void {
    if (logScale === this.#logScale) return;
    this.#logScale = logScale;
    this.#data = data;
    this.#plot.destroy();
    this.#plot = this.#create();
  }

  /** Follow the container's width. */
  resize(): void {
    const width = this.#currentWidth();
    if (width === this.#width) return;
    this.#width = width;
    this.#plot.setSize({ width, height: HEIGHT });
  }

  destroy(): void {
    this.#resizeObserver.disconnect();
    this.#plot.destroy();
  }
}

/**
 * The legend's number for a series: at the cursor while it is over the
 * chart, otherwise the latest one (uPlot would show a dash).
 */
function shown(
  u: uPlot,
  value: number | null,
  series: number,
  index: number | null,
): number | null {
  if (index !== null && index !== undefined) return value;
  const column = u.data[series] as (number | null | undefined)[] | undefined;
  if (!column) return null;
  for (let i = column.length - 1; i >= 0; i--) {
    const candidate = column[i];
    if (candidate !== null && candidate !== undefined) return candidate;
  }
  return null;
}
