/**
 * The lecture's first section in the page: the derivative as a slope. A
 * one-variable program (by default `f(x) = 3x² − 4x + 5`) is plotted with
 * uPlot; x can be dragged on the plot or typed, h set with a slider, and the
 * secant `(f(x+h) − f(x)) / h` is drawn and printed beside the exact
 * derivative that `backward()` computes (at x = 3: 14).
 *
 * Stable ids: `derivative-view`, `derivative-expr`, `derivative-x`,
 * `derivative-h`, `secant-slope` and `exact-slope` (each number also in
 * `data-value`).
 *
 * @module
 */

import uPlot from "uplot";
import { html, labelledInput, liveRegion } from "./dom.ts";
import { formatShortNumber } from "./format.ts";
import {
  DEFAULT_FUNCTION,
  type OneVariableFunction,
  oneVariableFunction,
} from "./one_variable.ts";
import type { DerivativeState } from "./lessons.ts";
import { ParseError } from "./parser.ts";

/** Points on the plotted curve. */
const SAMPLES = 201;
/** The plot shows x ± this much around where the program puts x. */
const HALF_WIDTH = 5;
const HEIGHT = 240;

/** A mounted derivative view. */
export interface DerivativeView {
  /** Its root element (`id="derivative-view"`). */
  element: HTMLElement;
  /** Size the plot to its container (e.g. after its tab was shown). */
  resized(): void;
  /** x, h and both slopes as shown; null while the function is wrong. */
  state(): DerivativeState | null;
  /**
   * Back to the lecture's function at x = 3 with `h` (the lessons start
   * from a big step, to shrink), and scrolled into view.
   */
  reset(h: number): void;
  /** Stop listening and drop the plot. */
  destroy(): void;
}

const STYLE = `
.derivative-view .derivative-plot { min-height: ${HEIGHT}px; }
.derivative-view .derivative-plot .u-over { cursor: ew-resize; }
.derivative-view .derivative-numbers { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.derivative-view textarea { min-height: 3.5em; }
`;

/**
 * Build the derivative view (not yet in the document: append `element`).
 *
 * @example
 * ```ts ignore
 * const derivative = mountDerivativeView(document);
 * container.append(derivative.element);
 * derivative.resized();
 * ```
 */
export function mountDerivativeView(document: Document): DerivativeView {
  const element = html(document, "fieldset", {
    id: "derivative-view",
    class: "derivative-view",
  });
  const style = html(document, "style");
  style.textContent = STYLE;
  element.append(
    style,
    html(
      document,
      "legend",
      {},
      "The derivative as a slope: (f(x+h) − f(x)) / h",
    ),
  );
  const help = html(
    document,
    "p",
    { class: "step-status" },
    "A function of one variable, in the same language. Drag on the plot to move x; as h shrinks the secant's slope approaches the exact derivative that backward() computes.",
  );
  const exprLabel = html(
    document,
    "label",
    { for: "derivative-expr" },
    "Function",
  );
  const textarea = html(document, "textarea", {
    id: "derivative-expr",
    spellcheck: "false",
    rows: "2",
  });
  textarea.value = DEFAULT_FUNCTION;
  const error = liveRegion(
    document,
    "div",
    "derivative-error",
    "expr-error",
  );
  const row = html(document, "div", { class: "explorer-row" });
  const [xLabel, xInput] = labelledInput(document, "derivative-x", "x", {
    type: "number",
    step: "0.1",
    value: "3",
  });
  xInput.style.width = "7em";
  const [hLabel, hInput] = labelledInput(document, "derivative-h", "h", {
    type: "range",
    min: "0.0001",
    max: "2",
    step: "0.0001",
    value: "0.001",
  });
  const hValue = html(document, "output", { for: "derivative-h" }, "0.001");
  row.append(xLabel, xInput, hLabel, hInput, hValue);
  const numbers = html(document, "div", { class: "derivative-numbers" });
  const secantText = html(document, "span", {}, "secant ");
  const secant = html(document, "span", { id: "secant-slope" });
  secantText.append(secant);
  const exactText = html(document, "span", {}, "backward() ");
  const exact = html(document, "span", { id: "exact-slope" });
  exactText.append(exact);
  const valueText = html(document, "span", { id: "derivative-value" });
  numbers.append(valueText, secantText, exactText);
  numbers.setAttribute("aria-live", "polite");
  const plotBox = html(document, "div", { class: "derivative-plot" });
  element.append(help, exprLabel, textarea, error, row, numbers, plotBox);

  let f: OneVariableFunction | null = null;
  let plot: uPlot | null = null;
  let xs: number[] = [];
  let curve: number[] = [];
  let plotWidth = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const h = (): number => {
    const value = Number(hInput.value);
    return Number.isFinite(value) && value !== 0 ? value : 0.001;
  };
  const x = (): number => {
    const value = Number(xInput.value);
    return Number.isFinite(value) ? value : 0;
  };

  /** The plotted columns: the curve, the secant line, the tangent line. */
  function columns(): uPlot.AlignedData {
    if (!f) return [[], [], [], []];
    const x0 = x(), step = h();
    const y0 = f.at(x0);
    const secantSlope = (f.at(x0 + step) - y0) / step;
    const exactSlope = f.slope(x0);
    f.at(x0);
    // The lines are drawn only near x, so the curve stays readable.
    const near = (value: number): boolean =>
      Math.abs(value - x0) <= Math.max(1.5, 2 * Math.abs(step));
    return [
      xs,
      curve,
      xs.map((value) => near(value) ? y0 + secantSlope * (value - x0) : null),
      xs.map((value) => near(value) ? y0 + exactSlope * (value - x0) : null),
    ] as uPlot.AlignedData;
  }

  function update(): void {
    if (!f) return;
    const x0 = x(), step = h();
    hValue.textContent = String(step);
    const y0 = f.at(x0);
    const y1 = f.at(x0 + step);
    const secantSlope = (y1 - y0) / step;
    const exactSlope = f.slope(x0);
    f.at(x0);
    valueText.textContent = `f(${formatShortNumber(x0)}) = ${
      formatShortNumber(y0)
    }`;
    secant.textContent = formatShortNumber(secantSlope);
    secant.dataset.value = String(secantSlope);
    exact.textContent = formatShortNumber(exactSlope);
    exact.dataset.value = String(exactSlope);
    plot?.setData(columns());
  }

  function samplesAround(center: number): void {
    if (!f) return;
    xs = Array.from(
      { length: SAMPLES },
      (_, i) => center - HALF_WIDTH + (2 * HALF_WIDTH * i) / (SAMPLES - 1),
    );
    curve = xs.map((value) => (f as OneVariableFunction).at(value));
  }

  function rebuild(): void {
    timer = null;
    try {
      f = oneVariableFunction(textarea.value);
    } catch (problem) {
      f = null;
      error.textContent = problem instanceof ParseError
        ? `Line ${problem.line}, column ${problem.column}: ${problem.reason}`
        : problem instanceof Error
        ? problem.message
        : String(problem);
      return;
    }
    error.textContent = "";
    xInput.value = String(f.start);
    samplesAround(f.start);
    update();
  }

  function createPlot(): void {
    const width = Math.floor(plotBox.clientWidth);
    if (width === 0) return; // hidden: made when shown
    plot?.destroy();
    plotWidth = width;
    plot = new uPlot(
      {
        width,
        height: HEIGHT,
        cursor: { drag: { x: false, y: false } },
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ label: "x", labelSize: 18, size: 30 }, { size: 48 }],
        series: [
          {},
          { label: "f(x)", stroke: "#0877bd", width: 2 },
          { label: "secant", stroke: "#e8590c", width: 2 },
          { label: "backward()", stroke: "#2ea043", width: 1.5, dash: [6, 3] },
        ],
      },
      columns(),
      plotBox,
    );
    // Dragging on the plot moves x.
    let dragging = false;
    const moveTo = (event: PointerEvent): void => {
      if (!plot || !f) return;
      const value = plot.posToVal(event.offsetX, "x");
      if (!Number.isFinite(value)) return;
      xInput.value = String(Math.round(value * 100) / 100);
      update();
    };
    plot.over.addEventListener("pointerdown", (event) => {
      dragging = true;
      plot?.over.setPointerCapture(event.pointerId);
      moveTo(event);
    });
    plot.over.addEventListener("pointermove", (event) => {
      if (dragging) moveTo(event);
    });
    const stop = (): void => {
      dragging = false;
    };
    plot.over.addEventListener("pointerup", stop);
    plot.over.addEventListener("pointercancel", stop);
  }

  textarea.addEventListener("input", () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(rebuild, 200);
  });
  xInput.addEventListener("input", () => {
    if (timer !== null) rebuild(); // the function as typed, first
    update();
  });
  hInput.addEventListener("input", () => {
    if (timer !== null) rebuild();
    update();
  });

  rebuild();
  return {
    element,
    resized(): void {
      const width = Math.floor(plotBox.clientWidth);
      if (width === 0) return;
      if (!plot) createPlot();
      else if (width !== plotWidth) {
        plotWidth = width;
        plot.setSize({ width, height: HEIGHT });
      }
    },
    state(): DerivativeState | null {
      if (timer !== null) rebuild();
      if (!f) return null;
      return {
        x: x(),
        h: h(),
        secant: Number(secant.dataset.value),
        exact: Number(exact.dataset.value),
      };
    },
    reset(step: number): void {
      if (timer !== null) clearTimeout(timer);
      textarea.value = DEFAULT_FUNCTION;
      hInput.value = String(step);
      rebuild();
      element.scrollIntoView?.({ block: "nearest" });
    },
    destroy(): void {
      if (timer !== null) clearTimeout(timer);
      plot?.destroy();
      plot = null;
    },
  };
}
