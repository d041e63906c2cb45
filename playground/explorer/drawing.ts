/**
 * The explorer's SVG drawing of a graph: value boxes, operation nodes and
 * arrows placed by {@linkcode layoutGraph}, numbers kept up to date as data
 * and grads change, the current backward step highlighted, pan and zoom.
 *
 * Everything is built with `createElementNS` and `textContent`; no text ever
 * goes through HTML parsing. Each value box is a `<g class="value">` with
 * `data-label` (its label), `data-data` and `data-grad` (full-precision
 * numbers as text) and `data-key` (`v<i>`, its topological index).
 *
 * @module
 */

import type { Value } from "../../src/engine.ts";
import { formatBoxNumber } from "./format.ts";
import {
  edgePath,
  type GraphLayout,
  type LayoutEdge,
  type LayoutNode,
  valueBoxGeometry,
} from "./layout.ts";
import { runToEnd } from "./slicing.ts";
import type { BackwardStep } from "./stepper.ts";

const SVG = "http://www.w3.org/2000/svg";

/** Monospace character width the layout assumes for 12px text. */
export const CHARACTER_WIDTH = 7.2;

/** The smallest and largest zoom (1 = the layout's natural size). */
const MINIMUM_SCALE = 0.02;
const MAXIMUM_SCALE = 4;
/**
 * Fit enlarges a small graph at most this much: a three-box graph fills the
 * view without turning into a poster.
 */
export const MAXIMUM_FIT_SCALE = 2.5;
/** Space Fit leaves between the graph and each edge of the view. */
const FIT_MARGIN = 12;
/** A sliced drawing pauses after this many edges, or this many nodes. */
const EDGES_PER_SLICE = 300;
const NODES_PER_SLICE = 120;
/** Drawings of more nodes start without texts (see `drawSteps`). */
const DETAILED_NODES = 1200;
/** Texts are added to a big drawing once zoomed in to this scale. */
const READABLE_SCALE = 0.35;

/**
 * How tall a view `viewWidth` pixels wide should be to show a graph of
 * natural size `graph` the way {@linkcode GraphDrawing.fit} will draw it:
 * at the scale that fills the width (at most {@linkcode MAXIMUM_FIT_SCALE}),
 * plus Fit's margins, kept between `minimum` and `maximum` pixels.
 *
 * A wide, short graph (the lecture's neuron) then gets a short view and
 * leaves the page to the controls; a tall one (an MLP's loss) gets up to
 * `maximum` and is shrunk to fit that.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fittedViewHeight } from "./drawing.ts";
 * // 1272 x 204 in a 1246-pixel-wide view: drawn at 0.96x, 220 px tall.
 * const height = fittedViewHeight({ width: 1272, height: 204 }, 1246, {
 *   minimum: 240,
 *   maximum: 576,
 * });
 * assert.equal(height, 240); // the minimum
 * ```
 */
export function fittedViewHeight(
  graph: { readonly width: number; readonly height: number },
  viewWidth: number,
  limits: { readonly minimum: number; readonly maximum: number },
): number {
  const maximum = Math.max(limits.minimum, limits.maximum);
  if (!(graph.width > 0) || !(graph.height > 0) || !(viewWidth > 0)) {
    return limits.minimum;
  }
  const scale = Math.max(
    MINIMUM_SCALE,
    Math.min(MAXIMUM_FIT_SCALE, (viewWidth - 2 * FIT_MARGIN) / graph.width),
  );
  const height = Math.ceil(graph.height * scale + 2 * FIT_MARGIN);
  return Math.min(maximum, Math.max(limits.minimum, height));
}

/** The drawing's own style sheet; part of the SVG, so an export looks the same. */
const STYLE = `
.edge { fill: none; stroke: #98a2b3; stroke-width: 1.3; }
.edge.active { stroke: #e8590c; stroke-width: 2.4; }
.edge-count { font-size: 10px; fill: #667085; }
.value .box { fill: #ffffff; stroke: #475467; stroke-width: 1.2; }
.value .divider { stroke: #98a2b3; stroke-width: 1; }
.value.leaf .box { fill: #f5f8ff; }
.value.leaf { cursor: pointer; }
.value.output .box { stroke: #027a48; stroke-width: 2.4; }
.value.updated .box { fill: #fff4e5; stroke: #e8590c; }
.value.current .box { fill: #ffe8cc; stroke: #d9480f; stroke-width: 3; }
.value.selected .box { stroke: #1c7ed6; stroke-width: 3; }
.value.nonfinite .number { fill: #c92a2a; }
.value.anomaly .box { stroke: #c92a2a; stroke-width: 3; stroke-dasharray: 5 3; }
.viewport.stale { opacity: 0.35; }
text { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; fill: #1d2939; }
.value .name { font-weight: 700; }
.value .name.anonymous { font-weight: 400; font-style: italic; fill: #667085; }
.value .grad { fill: #862e9c; }
.op .shape { fill: #eef1f5; stroke: #667085; stroke-width: 1.2; }
.op.current .shape { fill: #ffd8a8; stroke: #d9480f; stroke-width: 2.4; }
.op text { font-weight: 700; }
.background { fill: #fcfcfd; }
`;

/** The elements showing one value, and what they show now. */
interface ValueView {
  value: Value;
  group: SVGGElement;
  /** The box's texts: null while a big drawing shows boxes only. */
  data: SVGTextElement | null;
  grad: SVGTextElement | null;
  /** Where the box is and how it is divided (to add its texts later). */
  node: LayoutNode;
  title: SVGTitleElement;
  name: string;
  shownData: number;
  shownGrad: number;
}

let instances = 0;

function svgElement<K extends keyof SVGElementTagNameMap>(
  document: Document,
  tag: K,
  attributes: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  parent?.appendChild(element);
  return element;
}

/**
 * A `<text>` in `parent` at (x, y), vertically centred on y; horizontally
 * centred too with `centred`, else starting at x.
 */
function svgText(
  document: Document,
  parent: Element,
  x: number,
  y: number,
  centred: boolean,
  className = "",
): SVGTextElement {
  const attributes: Record<string, string | number> = className
    ? { class: className, x, y }
    : { x, y };
  if (centred) attributes["text-anchor"] = "middle";
  attributes["dominant-baseline"] = "central";
  return svgElement(document, "text", attributes, parent);
}

/**
 * Draws graphs into an `<svg>` and keeps the drawing in step with the
 * values' numbers.
 *
 * @example
 * ```ts ignore
 * const drawing = new GraphDrawing(document, { onLeafClick: (leaf) => {} });
 * container.appendChild(drawing.svg);
 * drawing.draw(layoutGraph(root));
 * root.backward();
 * drawing.refresh(); // the grads appear
 * ```
 */
export class GraphDrawing {
  /** The drawing element (`id="graph-view"` is set by the explorer). */
  readonly svg: SVGSVGElement;
  readonly #document: Document;
  readonly #viewport: SVGGElement;
  readonly #arrowId: string;
  readonly #onLeafClick: (leaf: Value) => void;
  #layout: GraphLayout | null = null;
  #values = new Map<Value, ValueView>();
  /** Hidden value → the neuron head whose box hides it (collapsed view). */
  #ownerOf: ReadonlyMap<Value, Value> | null = null;
  #operations = new Map<Value, SVGGElement>();
  #edgesInto = new Map<Value, SVGPathElement[]>();
  #highlighted: Element[] = [];
  #selected: Value | null = null;
  #anomaly: Value | null = null;
  /** Operation nodes of a big drawing still without their text. */
  #textless: [SVGGElement, LayoutNode][] = [];
  #scale = 1;
  #x = 0;
  #y = 0;
  /** Until the user pans or zooms, the view keeps fitting the graph. */
  #autoFit = true;
  #drawings = 0;

  /** Make an empty drawing; `onLeafClick` is called when a leaf is clicked. */
  constructor(
    document: Document,
    options: { onLeafClick?: (leaf: Value) => void } = {},
  ) {
    this.#document = document;
    this.#onLeafClick = options.onLeafClick ?? (() => {});
    this.#arrowId = `explorer-arrow-${++instances}`;
    this.svg = svgElement(document, "svg", {
      xmlns: SVG,
      role: "img",
      "aria-label": "Computation graph",
      class: "explorer-graph",
    });
    const style = svgElement(document, "style", {}, this.svg);
    style.textContent = STYLE;
    const definitions = svgElement(document, "defs", {}, this.svg);
    const marker = svgElement(document, "marker", {
      id: this.#arrowId,
      viewBox: "0 0 10 10",
      refX: 10,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: "auto",
      markerUnits: "userSpaceOnUse",
    }, definitions);
    svgElement(document, "path", {
      d: "M0,0 L10,5 L0,10 z",
      fill: "#667085",
    }, marker);
    svgElement(document, "rect", {
      class: "background",
      x: 0,
      y: 0,
      width: "100%",
      height: "100%",
    }, this.svg);
    this.#viewport = svgElement(document, "g", { class: "viewport" }, this.svg);
    this.#installPanAndZoom();
  }

  /** The layout currently drawn. */
  get layout(): GraphLayout | null {
    return this.#layout;
  }

  /**
   * Replace the drawing with `layout` (numbers as the values hold them now).
   * With `realOf` (a collapsed view), each drawn value shows the numbers of
   * the value it maps to, and highlights, selections and clicks speak of
   * that real value; `ownerOf` names the box that hides each hidden value,
   * which a step of `backward()` at a hidden value highlights instead.
   */
  draw(
    layout: GraphLayout,
    realOf?: ReadonlyMap<Value, Value>,
    ownerOf?: ReadonlyMap<Value, Value>,
  ): void {
    runToEnd(this.drawSteps(layout, realOf, ownerOf));
  }

  /** The box a value is drawn in: its own, or the neuron box hiding it. */
  #viewOf(value: Value): ValueView | undefined {
    const own = this.#values.get(value);
    if (own) return own;
    const owner = this.#ownerOf?.get(value);
    return owner ? this.#values.get(owner) : undefined;
  }

  /** Whether `value` is hidden inside a collapsed neuron's box. */
  isHidden(value: Value): boolean {
    return !this.#values.has(value) && (this.#ownerOf?.has(value) ?? false);
  }

  /** Remove the drawing (e.g. while a new one is being laid out). */
  clear(): void {
    this.#layout = null;
    this.#textless = [];
    this.#values.clear();
    this.#ownerOf = null;
    this.#operations.clear();
    this.#edgesInto.clear();
    this.#highlighted = [];
    this.#selected = null;
    this.#anomaly = null;
    this.#viewport.replaceChildren();
  }

  /** Dim the drawing: it no longer shows the program in the box. */
  setStale(stale: boolean): void {
    this.#viewport.classList.toggle("stale", stale);
  }

  /** Mark the value where a NaN or infinity was born (null: none). */
  markAnomaly(value: Value | null): void {
    if (this.#anomaly) {
      this.#values.get(this.#anomaly)?.group.classList.remove("anomaly");
    }
    this.#anomaly = value;
    if (value) this.#values.get(value)?.group.classList.add("anomaly");
  }

  /**
   * {@linkcode GraphDrawing.draw} as a generator that pauses every few
   * hundred elements, so a big graph can be drawn in slices.
   */
  *drawSteps(
    layout: GraphLayout,
    realOf?: ReadonlyMap<Value, Value>,
    ownerOf?: ReadonlyMap<Value, Value>,
  ): Generator<void, void, void> {
    const document = this.#document;
    this.clear();
    this.#ownerOf = ownerOf ?? null;
    this.setStale(false);
    this.#layout = layout;
    const real = (value: Value): Value => realOf?.get(value) ?? value;
    const edgeLayer = svgElement(
      document,
      "g",
      { class: "edges" },
      this.#viewport,
    );
    const nodeLayer = svgElement(
      document,
      "g",
      { class: "nodes" },
      this.#viewport,
    );
    // Each slice's elements go in a group of their own: the browser then
    // re-measures one small group per slice, not the whole growing layer.
    const chunk = (layer: SVGGElement): SVGGElement =>
      svgElement(document, "g", {}, layer);
    let edgeGroup = chunk(edgeLayer);
    let work = 0;
    for (const edge of layout.edges) {
      this.#drawEdge(edge, edgeGroup, layout.direction, real);
      if (++work % EDGES_PER_SLICE === 0) {
        yield;
        edgeGroup = chunk(edgeLayer);
      }
    }
    const root = real(layout.order[layout.order.length - 1]);
    // A big drawing starts with boxes only: thousands of texts cost the
    // browser hundreds of milliseconds to lay out, and at the size that
    // fits the view they would be unreadable anyway. They are added when
    // the user zooms in far enough to read them.
    const detailed = layout.nodes.length <= DETAILED_NODES;
    this.#textless = [];
    let nodeGroup = chunk(nodeLayer);
    work = 0;
    for (const node of layout.nodes) {
      if (++work % NODES_PER_SLICE === 0) {
        yield;
        nodeGroup = chunk(nodeLayer);
      }
      if (node.kind === "op") {
        const group = svgElement(document, "g", {
          class: "op",
          "data-key": node.key,
          "data-op": node.value.op,
          transform: `translate(${node.x},${node.y})`,
        }, nodeGroup);
        svgElement(document, "ellipse", {
          class: "shape",
          cx: node.width / 2,
          cy: node.height / 2,
          rx: node.width / 2,
          ry: node.height / 2,
        }, group);
        if (detailed) this.#operationText(group, node);
        else this.#textless.push([group, node]);
        this.#operations.set(real(node.value), group);
        continue;
      }
      const value = real(node.value);
      const geometry = valueBoxGeometry(node.text, CHARACTER_WIDTH);
      const classes = ["value"];
      if (value.op === "") classes.push("leaf");
      if (value === root) classes.push("output");
      const group = svgElement(document, "g", {
        class: classes.join(" "),
        "data-key": node.key,
        "data-label": value.label,
        transform: `translate(${node.x},${node.y})`,
      }, nodeGroup);
      const title = svgElement(document, "title", {}, group);
      svgElement(document, "rect", {
        class: "box",
        width: geometry.width,
        height: geometry.height,
        rx: 4,
      }, group);
      svgElement(document, "line", {
        class: "divider",
        x1: geometry.labelWidth,
        y1: 0,
        x2: geometry.labelWidth,
        y2: geometry.height,
      }, group);
      const view: ValueView = {
        value,
        group,
        data: null,
        grad: null,
        node,
        title,
        name: node.text,
        shownData: NaN,
        shownGrad: NaN,
      };
      if (detailed) this.#valueTexts(view);
      this.#values.set(value, view);
      // Numbers written as each box is made: rewriting them all at the end
      // would re-lay out every text of a big drawing in one go.
      this.#show(view, true);
    }
    yield;
    // Values changed while the drawing was being made in slices.
    this.refresh();
    // A counter of drawings, so a test can tell a new graph from the last.
    this.svg.setAttribute("data-graph", String(++this.#drawings));
    this.svg.setAttribute("data-direction", layout.direction);
    this.svg.setAttribute(
      "aria-label",
      `Computation graph of ${
        root.label || "the output"
      }: ${layout.order.length} ${
        realOf ? "boxes (neurons collapsed)" : "values"
      }`,
    );
    this.#autoFit = true;
    this.fit();
  }

  #drawEdge(
    edge: LayoutEdge,
    parent: SVGGElement,
    direction: GraphLayout["direction"],
    real: (value: Value) => Value,
  ): void {
    const path = svgElement(this.#document, "path", {
      class: "edge",
      d: edgePath(edge.points, direction),
      "marker-end": `url(#${this.#arrowId})`,
    }, parent);
    if (edge.to.kind === "op") {
      const to = real(edge.to.value);
      const list = this.#edgesInto.get(to) ?? [];
      list.push(path);
      this.#edgesInto.set(to, list);
    }
    if (edge.count > 1) {
      // x*x: one arrow, marked with how many times the value is used.
      const end = edge.points[edge.points.length - 1];
      const label = svgElement(this.#document, "text", {
        class: "edge-count",
        x: end.x - 18,
        y: end.y - 6,
      }, parent);
      label.textContent = `×${edge.count}`;
    }
  }

  /**
   * Bring every box's data and grad (text and `data-` attributes) up to date
   * with its value; only what changed is touched.
   */
  refresh(force = false): void {
    for (const view of this.#values.values()) this.#show(view, force);
  }

  /** Bring one box up to date (see {@linkcode GraphDrawing.refresh}). */
  #show(view: ValueView, force: boolean): void {
    {
      const { value } = view;
      const changedData = !Object.is(value.data, view.shownData);
      const changedGrad = !Object.is(value.grad, view.shownGrad);
      if (!force && !changedData && !changedGrad) return;
      if (force || changedData) {
        view.shownData = value.data;
        view.group.setAttribute("data-data", String(value.data));
        if (view.data) {
          view.data.textContent = `data ${formatBoxNumber(value.data)}`;
        }
      }
      if (force || changedGrad) {
        view.shownGrad = value.grad;
        view.group.setAttribute("data-grad", String(value.grad));
        if (view.grad) {
          view.grad.textContent = `grad ${formatBoxNumber(value.grad)}`;
        }
      }
      view.title.textContent =
        `${view.name}: data = ${value.data}, grad = ${value.grad}`;
      const finite = Number.isFinite(value.data) && Number.isFinite(value.grad);
      view.group.classList.toggle("nonfinite", !finite);
    }
  }

  /** Highlight the node of `step` and the inputs it updated (null: none). */
  highlight(step: BackwardStep | null): void {
    for (const element of this.#highlighted) {
      element.classList.remove("current", "updated", "active");
    }
    this.#highlighted = [];
    if (!step) return;
    const mark = (element: Element | undefined, name: string): void => {
      if (!element) return;
      element.classList.add(name);
      this.#highlighted.push(element);
    };
    for (const update of step.updates) {
      mark(this.#viewOf(update.input)?.group, "updated");
    }
    // In the collapsed view a hidden step lights up the box that hides it.
    const view = this.#viewOf(step.node);
    mark(view?.group, "current");
    mark(this.#operations.get(step.node), "current");
    for (const path of this.#edgesInto.get(step.node) ?? []) {
      mark(path, "active");
    }
    if (view && !this.#autoFit) this.#reveal(view.group);
  }

  /** Mark `leaf` as the one being nudged (null: none). */
  select(leaf: Value | null): void {
    if (this.#selected) {
      this.#values.get(this.#selected)?.group.classList.remove("selected");
    }
    this.#selected = leaf;
    if (leaf) this.#values.get(leaf)?.group.classList.add("selected");
  }

  /** Scroll a node into view if it is outside (for stepping through big graphs). */
  #reveal(group: SVGGElement): void {
    const layout = this.#layout;
    if (!layout) return;
    const node = layout.nodes.find((n) =>
      n.key === group.getAttribute("data-key")
    );
    const { width, height } = this.svg.getBoundingClientRect();
    if (!node || width === 0) return;
    const left = node.x * this.#scale + this.#x;
    const top = node.y * this.#scale + this.#y;
    const right = left + node.width * this.#scale;
    const bottom = top + node.height * this.#scale;
    if (left >= 0 && top >= 0 && right <= width && bottom <= height) return;
    this.#x = width / 2 - (node.x + node.width / 2) * this.#scale;
    this.#y = height / 2 - (node.y + node.height / 2) * this.#scale;
    this.#apply();
  }

  /**
   * Show the whole graph as large as the view allows, centred: zoomed in
   * (up to {@linkcode MAXIMUM_FIT_SCALE}) when it is small, out when it is
   * large. The view then keeps fitting it as its size changes, until the
   * user pans or zooms.
   */
  fit(): void {
    const layout = this.#layout;
    if (!layout) return;
    const { width, height } = this.svg.getBoundingClientRect();
    if (width === 0 || height === 0) return; // hidden: fit when shown
    const scale = Math.max(
      MINIMUM_SCALE,
      Math.min(
        MAXIMUM_FIT_SCALE,
        (width - 2 * FIT_MARGIN) / layout.width,
        (height - 2 * FIT_MARGIN) / layout.height,
      ),
    );
    this.#scale = scale;
    this.#x = (width - layout.width * scale) / 2;
    // A huge graph at the smallest scale starts at its top, not its middle.
    this.#y = Math.max(0, (height - layout.height * scale) / 2);
    this.#autoFit = true;
    this.#apply();
  }

  /** Refit after the drawing's size changed, unless the user moved the view. */
  resized(): void {
    if (this.#autoFit) this.fit();
  }

  /** Zoom by `factor` around the middle of the view. */
  zoom(factor: number): void {
    const { width, height } = this.svg.getBoundingClientRect();
    this.#zoomAround(width / 2, height / 2, factor);
  }

  #zoomAround(x: number, y: number, factor: number): void {
    const scale = Math.min(
      MAXIMUM_SCALE,
      Math.max(MINIMUM_SCALE, this.#scale * factor),
    );
    const applied = scale / this.#scale;
    this.#x = x - (x - this.#x) * applied;
    this.#y = y - (y - this.#y) * applied;
    this.#scale = scale;
    this.#autoFit = false;
    this.#apply();
  }

  /** The text of an operation node. */
  #operationText(group: SVGGElement, node: LayoutNode): void {
    const text = svgText(
      this.#document,
      group,
      node.width / 2,
      node.height / 2,
      true,
    );
    text.textContent = node.text;
  }

  /** The name, data and grad texts of a value box. */
  #valueTexts(view: ValueView): void {
    const document = this.#document;
    const { group, node } = view;
    const geometry = valueBoxGeometry(node.text, CHARACTER_WIDTH);
    const name = svgText(
      document,
      group,
      geometry.labelWidth / 2,
      geometry.height / 2,
      true,
      view.value.label ? "name" : "name anonymous",
    );
    name.textContent = node.text;
    const numbersX = geometry.labelWidth + 7;
    view.data = svgText(
      document,
      group,
      numbersX,
      geometry.height * 0.3,
      false,
      "number data",
    );
    view.grad = svgText(
      document,
      group,
      numbersX,
      geometry.height * 0.72,
      false,
      "number grad",
    );
    view.data.textContent = `data ${formatBoxNumber(view.shownData)}`;
    view.grad.textContent = `grad ${formatBoxNumber(view.shownGrad)}`;
  }

  /** Whether the drawing shows its texts (a big one starts without). */
  get detailed(): boolean {
    return this.#textless.length === 0;
  }

  /** Add the texts a big drawing left out (once zoomed in to read them). */
  #addTexts(): void {
    for (const [group, node] of this.#textless) {
      this.#operationText(group, node);
    }
    this.#textless = [];
    for (const view of this.#values.values()) {
      if (!view.data) this.#valueTexts(view);
    }
  }

  #apply(): void {
    if (this.#textless.length > 0 && this.#scale >= READABLE_SCALE) {
      this.#addTexts();
    }
    this.#viewport.setAttribute(
      "transform",
      `translate(${this.#x.toFixed(2)},${this.#y.toFixed(2)}) scale(${
        this.#scale.toFixed(4)
      })`,
    );
  }

  #installPanAndZoom(): void {
    const svg = this.svg;
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rectangle = svg.getBoundingClientRect();
      // Pinch gestures arrive as wheel events with ctrlKey; both zoom.
      const factor = Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015));
      this.#zoomAround(
        event.clientX - rectangle.left,
        event.clientY - rectangle.top,
        factor,
      );
    }, { passive: false });
    let drag: {
      id: number;
      startX: number;
      startY: number;
      x: number;
      y: number;
      moved: boolean;
      target: EventTarget | null;
    } | null = null;
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      drag = {
        id: event.pointerId,
        startX: event.clientX,
        startY: event.clientY,
        x: this.#x,
        y: this.#y,
        moved: false,
        target: event.target,
      };
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag || drag.id !== event.pointerId) return;
      const dx = event.clientX - drag.startX, dy = event.clientY - drag.startY;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) {
        drag.moved = true;
        svg.setPointerCapture(event.pointerId);
        svg.classList.add("panning");
      }
      this.#x = drag.x + dx;
      this.#y = drag.y + dy;
      this.#autoFit = false;
      this.#apply();
    });
    const end = (event: PointerEvent): void => {
      if (!drag || drag.id !== event.pointerId) return;
      const { moved, target } = drag;
      drag = null;
      svg.classList.remove("panning");
      if (moved || event.type === "pointercancel") return;
      const group = target instanceof Element
        ? target.closest("g.value.leaf")
        : null;
      if (!group) return;
      for (const view of this.#values.values()) {
        if (view.group === group) this.#onLeafClick(view.value);
      }
    };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
  }

  /**
   * The drawing as a standalone SVG document (whole graph at natural size,
   * its style sheet inside).
   */
  exportSvg(): string {
    const layout = this.#layout;
    const copy = this.svg.cloneNode(true) as SVGSVGElement;
    const width = Math.ceil(layout?.width ?? 100);
    const height = Math.ceil(layout?.height ?? 100);
    copy.setAttribute("width", String(width));
    copy.setAttribute("height", String(height));
    copy.setAttribute("viewBox", `0 0 ${width} ${height}`);
    copy.removeAttribute("id");
    copy.removeAttribute("class");
    copy.querySelector(".viewport")?.removeAttribute("transform");
    for (
      const element of copy.querySelectorAll(
        ".current, .updated, .active, .selected",
      )
    ) {
      element.classList.remove("current", "updated", "active", "selected");
    }
    const serializer = new XMLSerializer();
    return `<?xml version="1.0" encoding="UTF-8"?>\n${
      serializer.serializeToString(copy)
    }\n`;
  }
}
