/**
 * The decision grid: the plane coloured by the model's output, with the data
 * points on top, drawn inside a uPlot plot so the axes, the scales and
 * resizing come from uPlot. The grid itself is a small canvas (one pixel per
 * cell) in uPlot's `under` layer, which uPlot keeps exactly over the plot
 * area (the scales are pinned to the grid's bounds); CSS stretches it,
 * smoothly in soft mode and with crisp cells in hard mode. So a new grid
 * while training is one 64x64 `putImageData` and the browser scales it off
 * the main thread; uPlot's own canvas (axes and points, drawn in the `draw`
 * hook) is redrawn only when the data or the size change. An overlay (see
 * {@linkcode GridOverlay}) is a second canvas in the same layer.
 *
 * For a regression the plane shows the predicted value and the points their
 * target, on one diverging scale (symmetric about 0, as wide as the largest
 * target). The plot also takes edits ({@linkcode GridEdit}): a click, a
 * drag, an alt-click or a right-click at a pixel becomes the plane
 * coordinates under the cursor; a press on a point drags that point (a
 * ghost follows the pointer; dropping it is a `"move"`); what they do is the
 * page's business. The pointer's position over the plot is reported too
 * ({@linkcode DecisionGridChart.onHover}: the neuron details compute their
 * formula there). The rectangle shown is in the container's `data-bounds`
 * (JSON), for tests.
 *
 * @module
 */

import uPlot from "uplot";
import type { Dataset } from "../../src/data.ts";
import type { LossName } from "../../src/loss.ts";
import {
  classColor,
  cssColor,
  divergingColor,
  type Rgb,
} from "../shared/colormap.ts";
import {
  type CellColorer,
  decisionColorer,
  divergingColorer,
  paintCanvas,
} from "../shared/heatmap.ts";
import type { GridMode } from "../shared/settings.ts";
import type { GridBounds, GridSnapshot } from "../worker/protocol.ts";
import { watchChart } from "./chart_frame.ts";

/**
 * Another heatmap over the plot area, in place of the decision grid's
 * colours while it is shown (the network diagram shows a hovered neuron
 * here). The data points stay on top.
 */
export interface GridOverlay {
  /** Show a grid of `cells` a side, coloured by `color`, with a caption. */
  show(cells: number, color: CellColorer, caption: string): void;
  /** Back to the decision grid. */
  hide(): void;
}

/**
 * An edit asked for on the plot, at plane coordinates: `"add"` a point
 * (`next`: of the class after the selected one, a shift-click), `"paint"`
 * one more while dragging, `"remove"` the point at `from` (the nearest
 * point drawn, for an alt-click or a right-click), `"move"` the point at
 * `from` (exactly its coordinates) to `x, y` (a press on a point, dragged
 * and dropped).
 */
export interface GridEdit {
  kind: "add" | "paint" | "remove" | "move";
  x: number;
  y: number;
  next: boolean;
  /** For `"move"` and `"remove"`: where the point is (its coordinates). */
  from?: [number, number];
}

/** A point being dragged: where it was, where it is, how it is drawn. */
interface Drag {
  pointer: number;
  from: [number, number];
  to: [number, number];
  /** Pixels (CSS) where the press was, to tell a click from a drag. */
  start: { left: number; top: number };
  color: string;
  test: boolean;
  /** Whether the pointer has moved far enough to be a drag. */
  dragging: boolean;
}

/** Above this many points they are drawn as small squares (see `#drawManyPoints`). */
const MANY_POINTS = 2000;

/** Pixels a drag moves before it paints another point. */
const PAINT_SPACING = 14;

/** A press this close (CSS pixels) to a point's centre grabs the point. */
const GRAB_PIXELS = 6;

/** An alt-click or right-click this close (CSS pixels) removes a point. */
const REMOVE_PIXELS = 20;

/** Pixels a grabbed point must move to be a drag (less is a click). */
const DRAG_THRESHOLD = 3;

/**
 * The half-width of a regression's colour scale: the largest target size
 * (1 when there is none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { targetScale } from "./grid_chart.ts";
 * assert.equal(targetScale([0.5, -1.25], [0.25]), 1.25);
 * assert.equal(targetScale([], []), 1);
 * ```
 */
export function targetScale(
  train: readonly number[],
  test: readonly number[],
): number {
  let scale = 0;
  for (const t of [...train, ...test]) {
    if (Math.abs(t) > scale) scale = Math.abs(t);
  }
  return scale > 0 && Number.isFinite(scale) ? scale : 1;
}

/** Pixels (CSS) reserved for the axes below and left of the plot. */
const AXIS_SIZE = 34;

/** A uPlot chart showing a decision grid and a dataset. */
export class DecisionGridChart {
  readonly #container: HTMLElement;
  readonly #plot: uPlot;
  readonly #image: HTMLCanvasElement;
  #bounds: GridBounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  #grid: GridSnapshot | null = null;
  #loss: LossName = "hinge";
  #mode: GridMode = "soft";
  #train: Dataset = { x: [], y: [], classes: 2 };
  #test: Dataset = { x: [], y: [], classes: 2 };
  #width = 0;
  #resizeObserver: ResizeObserver;
  #overlay: { heatmap: HTMLCanvasElement; caption: HTMLElement } | null = null;
  #regression = false;
  #scale = 1;
  #showTest = true;
  #editListener: ((edit: GridEdit) => void) | null = null;
  #hoverListener: ((point: [number, number]) => void) | null = null;
  #drag: Drag | null = null;
  /** The pixels and canvas {@linkcode #drawManyPoints} reuses. */
  #manyImage: ImageData | null = null;
  #manyCanvas: HTMLCanvasElement | null = null;
  #dragFrame = 0;

  constructor(container: HTMLElement) {
    this.#container = container;
    this.#image = document.createElement("canvas");
    this.#image.className = "grid-image";
    this.#image.width = 1;
    this.#image.height = 1;
    const size = this.#size();
    this.#width = size.width;
    this.#plot = new uPlot(
      {
        width: size.width,
        height: size.height,
        legend: { show: false },
        cursor: { show: false, drag: { x: false, y: false, setScale: false } },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: {
            time: false,
            range: () => [this.#bounds.xMin, this.#bounds.xMax],
          },
          y: { range: () => [this.#bounds.yMin, this.#bounds.yMax] },
        },
        axes: [
          { grid: { show: false }, size: AXIS_SIZE, ticks: { size: 4 } },
          { grid: { show: false }, size: AXIS_SIZE + 10, ticks: { size: 4 } },
        ],
        series: [
          {},
          // A series is required; the points are drawn by the hook below.
          {
            label: "points",
            stroke: "transparent",
            points: { show: false },
            paths: () => null,
          },
        ],
        hooks: {
          draw: [(u) => {
            this.#drawPoints(u);
            this.#drawDrag(u);
          }],
        },
      },
      this.#data(),
      container,
    );
    this.#plot.under.append(this.#image);
    this.#listenForEdits(this.#plot.over);
    this.#applyMode();
    this.#resizeObserver = watchChart(
      container,
      "Decision grid: the plane coloured by the model's prediction, with the data points",
      () => this.resize(),
    );
  }

  /** The overlay over the plot area (hook for tests: `#network-overlay`). */
  readonly overlay: GridOverlay = {
    show: (cells, color, caption) => {
      if (this.#overlay === null) {
        // One pixel per cell, stretched smoothly by CSS over the plot area
        // (whose scales are pinned to the grid's bounds), under uPlot's
        // canvas so the points stay on top; the caption above everything.
        const heatmap = document.createElement("canvas");
        heatmap.className = "network-overlay";
        heatmap.id = "network-overlay";
        const caption = document.createElement("div");
        caption.className = "network-overlay-caption";
        this.#plot.under.append(heatmap);
        this.#plot.over.append(caption);
        this.#overlay = { heatmap, caption };
      }
      const { heatmap, caption: label } = this.#overlay;
      paintCanvas(heatmap, cells, cells, color);
      label.textContent = caption;
      // style, not the hidden attribute: page CSS sets canvas display.
      heatmap.style.display = "block";
      label.style.display = "block";
    },
    hide: () => {
      if (this.#overlay === null) return;
      this.#overlay.heatmap.style.display = "none";
      this.#overlay.caption.style.display = "none";
    },
  };

  /** The canvas uPlot draws on: axes and points (for tests and screenshots). */
  get canvas(): HTMLCanvasElement {
    return this.#plot.ctx.canvas;
  }

  /** The grid image under it, one pixel per cell. */
  get image(): HTMLCanvasElement {
    return this.#image;
  }

  /**
   * The chart's size: as wide as the container allows (up to 560 px), and
   * as tall as keeps one unit of x as long as one unit of y, so circles look
   * round (within limits, so a flat dataset still gets a usable plot).
   */
  #size(): { width: number; height: number } {
    const available = Math.floor(this.#container.clientWidth);
    const width = Math.max(220, Math.min(available > 0 ? available : 480, 560));
    const { xMin, xMax, yMin, yMax } = this.#bounds;
    const ratio = Math.min(1, Math.max(0.5, (yMax - yMin) / (xMax - xMin)));
    const plotWidth = width - AXIS_SIZE - 22;
    return { width, height: Math.round(plotWidth * ratio + AXIS_SIZE + 12) };
  }

  #data(): uPlot.AlignedData {
    // The one series spans the bounds (it draws nothing) so that uPlot has
    // data for both scales; the range functions then pin them to the bounds.
    return [[this.#bounds.xMin, this.#bounds.xMax], [
      this.#bounds.yMin,
      this.#bounds.yMax,
    ]];
  }

  /** Follow the container's width (the plot stays square). */
  resize(force = false): void {
    const size = this.#size();
    if (!force && size.width === this.#width) return;
    this.#width = size.width;
    if (size.width !== this.#plot.width || size.height !== this.#plot.height) {
      this.#plot.setSize(size);
    }
  }

  /** Show a new dataset over a new rectangle of the plane. */
  setData(train: Dataset, test: Dataset, bounds: GridBounds): void {
    this.#train = train;
    this.#test = test;
    this.#regression = train.task === "regression";
    this.#scale = targetScale(train.y, test.y);
    this.#bounds = { ...bounds };
    this.#container.dataset.bounds = JSON.stringify(this.#bounds);
    this.resize(true);
    this.#plot.setData(this.#data(), true);
    this.#paint();
  }

  /** The half-width of the regression colour scale (see {@linkcode targetScale}). */
  get scale(): number {
    return this.#scale;
  }

  /** Show or hide the test points. */
  setShowTest(show: boolean): void {
    if (show === this.#showTest) return;
    this.#showTest = show;
    this.#plot.redraw(false, false);
  }

  /** Receive the edits asked for on the plot (one listener). */
  onEdit(listener: (edit: GridEdit) => void): void {
    this.#editListener = listener;
  }

  /**
   * Receive the plane coordinates under the pointer as it moves over the
   * plot (or drags a point), one listener.
   */
  onHover(listener: (point: [number, number]) => void): void {
    this.#hoverListener = listener;
  }

  /**
   * The point drawn nearest to pixel `(left, top)` (CSS pixels in the plot
   * area) within `reach` pixels, or `null`. Hidden test points are not
   * drawn, so they are not found.
   */
  #pointAt(
    left: number,
    top: number,
    reach = GRAB_PIXELS,
  ): Omit<Drag, "pointer" | "start"> | null {
    const u = this.#plot;
    let best: Omit<Drag, "pointer" | "start"> | null = null;
    let bestDistance = reach * reach;
    const sets: [Dataset, boolean][] = [[this.#train, false]];
    if (this.#showTest) sets.push([this.#test, true]);
    for (const [data, test] of sets) {
      for (let i = 0; i < data.x.length; i++) {
        const [x, y] = data.x[i];
        const dx = u.valToPos(x, "x") - left, dy = u.valToPos(y, "y") - top;
        const distance = dx * dx + dy * dy;
        if (distance > bestDistance) continue;
        bestDistance = distance;
        const color = this.#regression
          ? divergingColor(data.y[i] / this.#scale)
          : classColor(data.y[i]);
        best = {
          from: [x, y],
          to: [x, y],
          color: cssColor(color),
          test,
          dragging: false,
        };
      }
    }
    return best;
  }

  /** Redraw the points (and the ghost of a dragged one) in the next frame. */
  #redrawSoon(): void {
    if (this.#dragFrame !== 0) return;
    this.#dragFrame = requestAnimationFrame(() => {
      this.#dragFrame = 0;
      this.#plot.redraw(false, false);
    });
  }

  /**
   * Pointer events on the plot area: a press adds (or with alt, or the
   * right button, removes); a drag paints a point every few pixels; a press
   * on a point grabs it, and dropping it elsewhere moves it (released where
   * it was pressed, it is an ordinary click: a point is added).
   */
  #listenForEdits(over: HTMLElement): void {
    over.style.cursor = "crosshair";
    let painting: { pointer: number; x: number; y: number } | null = null;
    const at = (event: PointerEvent) => {
      const box = over.getBoundingClientRect();
      const left = event.clientX - box.left, top = event.clientY - box.top;
      return {
        left,
        top,
        x: this.#plot.posToVal(left, "x"),
        y: this.#plot.posToVal(top, "y"),
      };
    };
    const inside = (left: number, top: number): boolean => {
      const { width, height } = over.getBoundingClientRect();
      return left >= 0 && top >= 0 && left <= width && top <= height;
    };
    const emit = (
      kind: GridEdit["kind"],
      x: number,
      y: number,
      next = false,
      from?: [number, number],
    ) =>
      this.#editListener?.(
        from === undefined ? { kind, x, y, next } : { kind, x, y, next, from },
      );
    over.addEventListener("contextmenu", (event) => event.preventDefault());
    over.addEventListener("pointerdown", (event) => {
      if (this.#editListener === null) return;
      // A field typed in just before commits its text first, as a click
      // anywhere else would (preventDefault below keeps the focus there).
      const active = over.ownerDocument.activeElement;
      if (
        active instanceof HTMLElement &&
        active.matches("input, select, textarea")
      ) active.blur();
      const point = at(event);
      if (event.button === 2 || (event.button === 0 && event.altKey)) {
        event.preventDefault();
        // The nearest point drawn (never a hidden test point).
        const nearest = this.#pointAt(point.left, point.top, REMOVE_PIXELS);
        if (nearest !== null) {
          emit("remove", point.x, point.y, false, nearest.from);
        }
        return;
      }
      if (event.button !== 0) return;
      event.preventDefault();
      over.setPointerCapture?.(event.pointerId);
      const grabbed = event.shiftKey
        ? null
        : this.#pointAt(point.left, point.top);
      if (grabbed !== null) {
        this.#drag = {
          ...grabbed,
          pointer: event.pointerId,
          start: { left: point.left, top: point.top },
        };
        over.style.cursor = "grabbing";
        return;
      }
      painting = { pointer: event.pointerId, x: point.left, y: point.top };
      emit("add", point.x, point.y, event.shiftKey);
    });
    over.addEventListener("pointermove", (event) => {
      const point = at(event);
      const drag = this.#drag;
      if (drag !== null && event.pointerId === drag.pointer) {
        const moved = Math.hypot(
          point.left - drag.start.left,
          point.top - drag.start.top,
        );
        if (!drag.dragging && moved < DRAG_THRESHOLD) return;
        drag.dragging = true;
        if (!inside(point.left, point.top)) return;
        drag.to = [point.x, point.y];
        this.#redrawSoon();
        this.#hoverListener?.([point.x, point.y]);
        return;
      }
      if (painting === null || event.pointerId !== painting.pointer) {
        if (inside(point.left, point.top)) {
          over.style.cursor = this.#pointAt(point.left, point.top) === null
            ? "crosshair"
            : "grab";
          this.#hoverListener?.([point.x, point.y]);
        }
        return;
      }
      const moved = Math.hypot(point.left - painting.x, point.top - painting.y);
      if (moved < PAINT_SPACING) return;
      if (!inside(point.left, point.top)) return;
      painting = { ...painting, x: point.left, y: point.top };
      emit("paint", point.x, point.y, event.shiftKey);
    });
    const stop = (event: PointerEvent) => {
      if (painting?.pointer === event.pointerId) painting = null;
      const drag = this.#drag;
      if (drag === null || drag.pointer !== event.pointerId) return;
      this.#drag = null;
      over.style.cursor = "crosshair";
      this.#redrawSoon();
      if (event.type === "pointercancel") return;
      if (drag.dragging) {
        emit("move", drag.to[0], drag.to[1], false, drag.from);
      } else {
        // Pressed and released on a point: a click, which adds one.
        const point = at(event);
        emit("add", point.x, point.y, false);
      }
    };
    over.addEventListener("pointerup", stop);
    over.addEventListener("pointercancel", stop);
  }

  /** The ghost of a dragged point: a line from where it was, a ring where it is. */
  #drawDrag(u: uPlot): void {
    const drag = this.#drag;
    if (drag === null || !drag.dragging) return;
    const context = u.ctx;
    const ratio = uPlot.pxRatio;
    const fromX = u.valToPos(drag.from[0], "x", true);
    const fromY = u.valToPos(drag.from[1], "y", true);
    const toX = u.valToPos(drag.to[0], "x", true);
    const toY = u.valToPos(drag.to[1], "y", true);
    context.save();
    context.setLineDash([4 * ratio, 3 * ratio]);
    context.lineWidth = 1.5 * ratio;
    context.strokeStyle = "rgba(30, 30, 30, 0.8)";
    context.beginPath();
    context.moveTo(fromX, fromY);
    context.lineTo(toX, toY);
    context.stroke();
    context.setLineDash([]);
    context.beginPath();
    context.arc(toX, toY, 5 * ratio, 0, 2 * Math.PI);
    context.fillStyle = drag.test ? "rgba(255, 255, 255, 0.6)" : drag.color;
    context.fill();
    context.lineWidth = 2 * ratio;
    context.strokeStyle = drag.test ? drag.color : "rgba(30, 30, 30, 0.9)";
    context.stroke();
    context.restore();
  }

  /** Show the model's outputs (repaints the grid image). */
  setGrid(grid: GridSnapshot, loss: LossName): void {
    this.#grid = grid;
    this.#loss = loss;
    this.#paint();
    // Same bounds (the usual case while training): the image is all that
    // changes; uPlot's canvas keeps its axes and points.
    if (!sameBounds(grid.bounds, this.#bounds)) {
      this.#bounds = { ...grid.bounds };
      this.resize(true);
      this.#plot.setData(this.#data(), true);
    }
  }

  /** Soft (belief shaded) or hard (class regions) colouring. */
  setMode(mode: GridMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    this.#applyMode();
    this.#paint();
  }

  #applyMode(): void {
    // Soft mode blends neighbouring cells; hard mode keeps crisp cells.
    this.#image.style.imageRendering = this.#mode === "soft"
      ? "auto"
      : "pixelated";
  }

  destroy(): void {
    if (this.#dragFrame !== 0) cancelAnimationFrame(this.#dragFrame);
    this.#resizeObserver.disconnect();
    this.#plot.destroy();
  }

  #paint(): void {
    const grid = this.#grid;
    if (grid === null) return;
    const scale = this.#scale;
    paintCanvas(
      this.#image,
      grid.resolution,
      grid.resolution,
      this.#regression && grid.outputs === 1
        ? divergingColorer(grid.values, (value) => value / scale)
        : decisionColorer(grid.values, grid.outputs, this.#loss, this.#mode),
    );
  }

  #drawPoints(u: uPlot): void {
    const context = u.ctx;
    const ratio = uPlot.pxRatio;
    const radius = 3.5 * ratio;
    context.save();
    context.beginPath();
    context.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    context.clip();
    if (this.#regression) {
      this.#drawTargets(u, radius);
      context.restore();
      return;
    }
    const classes = Math.max(this.#train.classes, this.#test.classes, 2);
    if (this.#train.x.length + this.#test.x.length > MANY_POINTS) {
      this.#drawManyPoints(u);
      context.restore();
      return;
    }
    for (let label = 0; label < classes; label++) {
      const color = cssColor(classColor(label));
      // Training points: filled, with a white rim to stand out on the grid.
      const filled = this.#pointsPath(u, this.#train, label, radius);
      context.fillStyle = color;
      context.fill(filled);
      context.lineWidth = 1 * ratio;
      context.strokeStyle = "rgba(255, 255, 255, 0.9)";
      context.stroke(filled);
      if (!this.#showTest) continue;
      // Test points: outlined rings in the class colour.
      const ring = this.#pointsPath(u, this.#test, label, radius);
      context.lineWidth = 3 * ratio;
      context.strokeStyle = "rgba(30, 30, 30, 0.85)";
      context.stroke(ring);
      context.lineWidth = 1.6 * ratio;
      context.strokeStyle = color;
      context.stroke(ring);
    }
    context.restore();
  }

  /**
   * Many points (thousands, from a file): small squares without rims (test
   * points hollow), written straight into pixels and put on the plot in one
   * `drawImage`. Drawn as 10,000 path squares they cost little to record
   * but 30–40 ms of rasterising in the compositor's commit, on the main
   * thread; a bitmap costs a copy.
   */
  #drawManyPoints(u: uPlot): void {
    const ratio = uPlot.pxRatio;
    const left = Math.round(u.bbox.left), top = Math.round(u.bbox.top);
    const width = Math.max(1, Math.round(u.bbox.width));
    const height = Math.max(1, Math.round(u.bbox.height));
    let image = this.#manyImage;
    if (image === null || image.width !== width || image.height !== height) {
      image = new ImageData(width, height);
      this.#manyImage = image;
    } else {
      image.data.fill(0);
    }
    const pixels = image.data;
    const size = Math.max(2, Math.round(3 * ratio));
    const square = (x: number, y: number, rgb: Rgb, hollow: boolean) => {
      const x0 = Math.round(x - left - size / 2);
      const y0 = Math.round(y - top - size / 2);
      for (let dy = 0; dy < size; dy++) {
        const py = y0 + dy;
        if (py < 0 || py >= height) continue;
        const edgeRow = dy === 0 || dy === size - 1;
        for (let dx = 0; dx < size; dx++) {
          if (hollow && !edgeRow && dx !== 0 && dx !== size - 1) continue;
          const px = x0 + dx;
          if (px < 0 || px >= width) continue;
          const at = (py * width + px) * 4;
          pixels[at] = rgb[0];
          pixels[at + 1] = rgb[1];
          pixels[at + 2] = rgb[2];
          pixels[at + 3] = 255;
        }
      }
    };
    const sets: [Dataset, boolean][] = [[this.#train, false]];
    if (this.#showTest) sets.push([this.#test, true]);
    for (const [data, hollow] of sets) {
      for (let i = 0; i < data.x.length; i++) {
        square(
          u.valToPos(data.x[i][0], "x", true),
          u.valToPos(data.x[i][1], "y", true),
          classColor(data.y[i]),
          hollow,
        );
      }
    }
    const canvas = this.#manyCanvas ??= document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.getContext("2d")!.putImageData(image, 0, 0);
    u.ctx.drawImage(canvas, left, top);
  }

  /**
   * A regression's points, each in the colour of its target on the grid's
   * scale: training points filled with a dark rim (a target near 0 is
   * white), test points as rings.
   */
  #drawTargets(u: uPlot, radius: number): void {
    const context = u.ctx;
    const ratio = uPlot.pxRatio;
    const parts: [Dataset, boolean][] = [[this.#train, false]];
    if (this.#showTest) parts.push([this.#test, true]);
    for (const [data, test] of parts) {
      for (let i = 0; i < data.x.length; i++) {
        const x = u.valToPos(data.x[i][0], "x", true);
        const y = u.valToPos(data.x[i][1], "y", true);
        const color = cssColor(divergingColor(data.y[i] / this.#scale));
        context.beginPath();
        context.arc(x, y, radius, 0, 2 * Math.PI);
        if (test) {
          context.lineWidth = 3 * ratio;
          context.strokeStyle = "rgba(30, 30, 30, 0.85)";
          context.stroke();
          context.lineWidth = 1.6 * ratio;
          context.strokeStyle = color;
          context.stroke();
        } else {
          context.fillStyle = color;
          context.fill();
          context.lineWidth = 1 * ratio;
          context.strokeStyle = "rgba(30, 30, 30, 0.8)";
          context.stroke();
        }
      }
    }
  }

  #pointsPath(u: uPlot, data: Dataset, label: number, radius: number): Path2D {
    const path = new Path2D();
    for (let i = 0; i < data.x.length; i++) {
      if (data.y[i] !== label) continue;
      const x = u.valToPos(data.x[i][0], "x", true);
      const y = u.valToPos(data.x[i][1], "y", true);
      path.moveTo(x + radius, y);
      path.arc(x, y, radius, 0, 2 * Math.PI);
    }
    return path;
  }
}

function sameBounds(a: GridBounds, b: GridBounds): boolean {
  return a.xMin === b.xMin && a.xMax === b.xMax && a.yMin === b.yMin &&
    a.yMax === b.yMax;
}
