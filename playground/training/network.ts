/**
 * The live network diagram in the training view: the current MLP as columns
 * of neurons joined by links whose colour shows the weight's sign (blue
 * positive, orange negative) and whose thickness shows its size. Each neuron
 * is a small heatmap of its own output over the plane; hovering one (or
 * focusing it) shows that heatmap over the main decision grid (through the
 * {@linkcode GridOverlay} the training view hands over: the diagram never
 * touches the chart's DOM); clicking a link shows its weight and the
 * gradient of the training loss for it.
 *
 * Everything is computed in the training worker (`neuronGrids` and
 * `parameterGradients`, typed arrays transferred, not copied); the page only
 * paints. While training runs the diagram refreshes at most eight times a
 * second, and only while it is on screen. A link's SVG attributes are
 * written only when its quantised look (sign and one of a few thickness
 * levels) changes, so a settled network costs no DOM writes at all.
 *
 * Every heatmap is drawn into ONE canvas under the neurons (an atlas, as
 * large as the diagram): each changed canvas costs the browser a few
 * milliseconds on the main thread to hand to the compositor (headless
 * Chromium without a GPU: ~3-4 ms each, so a refresh of 50 neuron canvases
 * in one frame took 130 ms), while the atlas costs that once a frame. A
 * neuron's grid is painted into a small scratch canvas (not in the page)
 * and scaled into its square of the atlas. The neurons themselves are
 * elements above the atlas (their border, hover ring, focus, clicks).
 *
 * The first column is the input features (`x`, `y`, or the chosen ones such
 * as `x²`), each a heatmap of the feature over the plane. Each neuron's
 * bias is a small square at its lower left corner, coloured as the links
 * are (by sign, and by size relative to the other biases).
 *
 * Clicking a neuron (or a link) opens its `neuron-details` panel
 * (`neuron_details.ts`): its formula with the numbers plugged in, its
 * weights, bias, gradients and Adam's moments, each weight editable.
 *
 * The keyboard: the diagram is one tab stop (a roving tabindex: only the
 * neuron or link last focused is in the tab order); the arrow keys move
 * between neurons and links (`network_keys.ts`), Enter opens the details
 * (on a link, with its weight's editor focused), Escape closes them. Space
 * is left to the page (Play/Pause), as everywhere outside text fields.
 *
 * Hooks for tests: the diagram has `id="network"`, each hidden neuron (an
 * element over its heatmap) `data-neuron="LAYER:INDEX"`, each input
 * feature's `data-input="INDEX"` and `data-feature="NAME"`, each output's
 * `data-output="INDEX"`, each link `data-link="LAYER:NEURON:INPUT"`, each
 * bias square `data-bias="LAYER:NEURON"` (with its value in `data-value`).
 * The heatmaps are the canvas `#network-heatmaps`: a neuron's is the square
 * of it under the neuron element's content box (inside its 1px border).
 *
 * @module
 */

import type { MLPJson } from "../../src/model_json.ts";
import { cssColor, divergingColor } from "../shared/colormap.ts";
import { formatShortNumber } from "../shared/format.ts";
import { divergingColorer, paintCanvas } from "../shared/heatmap.ts";
import type { TrainingContext } from "../shared/views.ts";
import type { NeuronGridsSnapshot } from "../worker/protocol.ts";
import type { GridOverlay } from "./grid_chart.ts";
import { type FrameRun, runInFrames } from "./frame_budget.ts";
import { type DiagramItem, moveFocus } from "./network_keys.ts";
import { mountNeuronDetails, NEURON_DETAILS_STYLE } from "./neuron_details.ts";
import { inputNames } from "./neuron_formula.ts";

const SVG = "http://www.w3.org/2000/svg";
/** Cells per side of a neuron's small heatmap. */
const SMALL_RESOLUTION = 20;
/** Cells per side while a neuron is shown in the main grid. */
const LARGE_RESOLUTION = 64;
/**
 * Least time between two refreshes (ms): eight a second look live, and the
 * page's share (painting ~35 tiny heatmaps) stays around a millisecond each.
 * A big network waits longer: see `REFRESH_SHARE`.
 */
const UPDATE_INTERVAL = 125;
/**
 * A refresh of a big network is spread over several frames; the next one
 * waits this many times as long as the last took, so the diagram keeps at
 * most about a 1/REFRESH_SHARE share of the frames.
 */
const REFRESH_SHARE = 4;
/**
 * What one frame may write: each link's class change costs 1, each
 * heatmap `HEATMAP_COST`. The browser's style, layout and paint after the
 * frame grow with the writes in it; ~8,000 links in one frame took 200 ms.
 * A heatmap is script time only (painted into the atlas, which the
 * browser hands over once a frame however many changed): the frame's
 * milliseconds bound those.
 */
const FRAME_BUDGET = { units: 400, milliseconds: 6 };
const HEATMAP_COST = 1;
/** Building a link (two SVG lines, a title, listeners), in the same units. */
const LINK_BUILD_COST = 2;
/** Building a neuron's element and its bias square. */
const NEURON_BUILD_COST = 4;
/**
 * The atlas's pixels per CSS pixel: the screen's (sharp on a high-density
 * screen), at most 2, and at most `ATLAS_PIXELS` in all.
 */
const MAX_ATLAS_SCALE = 2;
const ATLAS_PIXELS = 4_000_000;
/** Thickness levels of a link (0 = thinnest); more would only add DOM writes. */
const LINK_LEVELS = 6;

const POSITIVE = cssColor(divergingColor(1));
const NEGATIVE = cssColor(divergingColor(-1));

/** One CSS class per (sign, level): changing a link's look is one attribute write. */
function linkLevelRules(): string {
  const rules: string[] = [];
  for (let level = 0; level <= LINK_LEVELS; level++) {
    const t = level / LINK_LEVELS;
    const look = `stroke-width: ${
      (0.4 + 2.8 * t).toFixed(2)
    }; stroke-opacity: ${(0.2 + 0.8 * t).toFixed(2)}`;
    rules.push(`#network .link.p${level} { stroke: ${POSITIVE}; ${look}; }`);
    rules.push(`#network .link.n${level} { stroke: ${NEGATIVE}; ${look}; }`);
    const fill = `opacity: ${(0.25 + 0.75 * t).toFixed(2)}`;
    rules.push(
      `#network .bias.p${level} { background: ${POSITIVE}; ${fill}; }`,
    );
    rules.push(
      `#network .bias.n${level} { background: ${NEGATIVE}; ${fill}; }`,
    );
  }
  return rules.join("\n");
}

const STYLE = `
#network { position: relative; margin: 6px 0 4px; }
/* Each gap's SVG covers the whole diagram: only its hit lines take the pointer, or the topmost gap would hide every other gap's links. */
#network svg { position: absolute; left: 0; top: 0; overflow: visible; will-change: transform; pointer-events: none; }
#network .link-hit { stroke: transparent; stroke-width: 7; cursor: pointer; pointer-events: stroke; }
#network .link { pointer-events: none; stroke: #98a2b3; stroke-width: 0.4; stroke-opacity: 0.2; }
${linkLevelRules()}
#network .link.selected { stroke: #111; stroke-opacity: 1; stroke-dasharray: 3 2; }
#network .link.focused { stroke: #1c7ed6; stroke-opacity: 1; stroke-width: 3; }
#network .link-hit:focus { outline: none; }
#network:focus-within { outline: 1px dashed #98a2b3; outline-offset: 2px; }
#network .bias { position: absolute; border: 1px solid #667085; pointer-events: none; background: #fff; }
#network-heatmaps { position: absolute; left: 0; top: 0; pointer-events: none; }
#network .neuron { position: absolute; border: 1px solid #98a2b3; border-radius: 2px; }
#network .neuron:focus-visible, #network .neuron.hovered { outline: 2px solid #1c7ed6; outline-offset: 1px; }
#network .column-label { position: absolute; font-size: 10px; color: #667085; transform: translateX(-50%); white-space: nowrap; }
#network-info { font-size: 11px; min-height: 2.6em; color: #344054; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
`;

/** Map a neuron's output to the diverging colour scale's [-1, 1]. */
function colorPosition(value: number, activation: string): number {
  if (activation === "sigmoid") return 2 * value - 1;
  if (activation === "tanh") return value;
  return Math.tanh(value); // relu and linear are unbounded: squash softly
}

/** How a neuron's values map to colours: a feature by its largest size. */
function positionFor(
  snapshot: NeuronGridsSnapshot,
  layer: number,
  index: number,
): (value: number) => number {
  if (layer < 0) {
    const values = snapshot.features[index] ?? [];
    let extent = 0;
    for (const value of values) {
      if (Math.abs(value) > extent) extent = Math.abs(value);
    }
    const scale = extent > 0 ? extent : 1;
    return (value) => value / scale;
  }
  const activation = snapshot.activations[layer];
  return (value) => colorPosition(value, activation);
}

/** Neuron `index` of `layer` over the plane (layer -1: the input features). */
function valuesOf(
  snapshot: NeuronGridsSnapshot,
  layer: number,
  index: number,
): Float64Array | undefined {
  return layer < 0 ? snapshot.features[index] : snapshot.layers[layer]?.[index];
}

/** How input feature `index` reads (`x²`), from the snapshot's names. */
function featureLabel(names: readonly string[], index: number): string {
  return inputNames(0, index + 1, names)[index];
}

/**
 * The size every `values` is measured against: the 95th percentile of
 * their sizes (not the largest: one runaway weight would make every other
 * link invisible).
 */
function robustScale(values: number[]): number {
  const sizes = values.map(Math.abs).sort((a, b) => a - b);
  return Math.max(
    1e-12,
    sizes[Math.min(sizes.length - 1, Math.floor(sizes.length * 0.95))] ?? 1,
  );
}

/**
 * A link's look as a class name: its sign and its size relative to `scale`
 * in one of `LINK_LEVELS + 1` steps.
 */
function linkClass(weight: number, scale: number): string {
  const t = Math.min(1, Math.abs(weight) / scale);
  const level = t === t ? Math.round(t * LINK_LEVELS) : 0;
  return `${weight >= 0 ? "p" : "n"}${level}`;
}

/** `" + L2"`, `" + L1 + L2"` or nothing: the penalties in the loss. */
function penaltyNames(config: { l1: number; l2: number }): string {
  return (config.l1 > 0 ? " + L1" : "") + (config.l2 > 0 ? " + L2" : "");
}

/** What decides the diagram's layout: the sizes and the features. */
function architectureKey(json: MLPJson, names: readonly string[]): string {
  return JSON.stringify([json.nin, json.sizes, names]);
}

/** Control over a mounted diagram. */
export interface NetworkDiagram {
  /** The diagram element (`#network`). */
  readonly element: HTMLElement;
  /** Fetch the neurons' grids and redraw soon (throttled). */
  update(): void;
  /**
   * The point hovered on the decision grid (plane coordinates): the
   * neuron-details formula is computed there.
   */
  showPoint(point: readonly [number, number]): void;
  /** Remove it and its listeners. */
  destroy(): void;
}

interface Geometry {
  size: number;
  centers: { x: number; y: number }[][];
  width: number;
  height: number;
}

interface Link {
  key: string;
  line: SVGLineElement;
  /** The transparent, wider line that takes clicks and focus. */
  hit: SVGLineElement;
  /** The level class last written (`""` before the first). */
  look: string;
}

/** A neuron (or input feature) and its square of the heatmap atlas. */
interface Neuron {
  element: HTMLElement;
  /** -1 for the input features. */
  layer: number;
  index: number;
  /** Its heatmap's place in the atlas (pixels). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A neuron's bias square and the level class last written. */
interface Bias {
  square: HTMLElement;
  look: string;
  /** The value last written to `data-value`. */
  value: number;
}

/**
 * Build the diagram into `container` (the training view's network slot)
 * and keep it in step with `training`; a hovered neuron is shown through
 * `overlay` (the decision grid's). DOM only.
 */
export function mountNetworkDiagram(
  container: HTMLElement,
  training: TrainingContext,
  overlay: GridOverlay,
): NetworkDiagram {
  const document = container.ownerDocument;
  const style = document.createElement("style");
  style.textContent = STYLE + NEURON_DETAILS_STYLE;
  const root = document.createElement("div");
  root.id = "network";
  root.setAttribute("role", "group");
  root.setAttribute(
    "aria-label",
    "The network: each neuron's output over the plane, links coloured by weight",
  );
  const info = document.createElement("div");
  info.id = "network-info";
  info.setAttribute("aria-live", "polite");
  info.textContent =
    "Hover a neuron to see it in the decision grid; click a link for its weight and gradient.";
  container.append(style, root, info);
  const details = mountNeuronDetails(container, training, () => update());

  /** The newest grids drawn (and the run they belong to). */
  let latest: NeuronGridsSnapshot | null = null;
  let latestRun = -1;
  let architecture = "";
  let geometry: Geometry | null = null;
  /** Every neuron's element and heatmap square, inputs first. */
  let neurons: Neuron[] = [];
  /** The one canvas every heatmap is drawn into (see the module doc). */
  let atlas: CanvasRenderingContext2D | null = null;
  /** Where a heatmap is painted before it is scaled into the atlas. */
  const scratch = document.createElement("canvas");
  /** Links in the order of `MLPJson.layers` (layer, neuron, input). */
  let linkList: Link[] = [];
  let linkByKey = new Map<string, Link>();
  /** Bias squares in the order of `MLPJson.layers` (layer, neuron). */
  let biasList: Bias[] = [];
  /** Neuron elements by `COLUMN:INDEX` (column 0 = the inputs). */
  let neuronByKey = new Map<string, HTMLElement>();
  /** The one element in the tab order (roving tabindex). */
  let tabStop: HTMLElement | SVGElement | null = null;
  /** What the input heatmaps were last painted for (they change rarely). */
  let inputsPainted = "";
  let selectedLink: string | null = null;
  let hovered: { layer: number; index: number } | null = null;
  let dirty = true;
  let fetching = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFetch = -Infinity;
  /** Time the last refresh took from its first frame to its last (ms). */
  let lastCost = 0;
  /** The refresh being written, frame by frame. */
  let writing: FrameRun | null = null;
  let destroyed = false;
  let gradientRequest = 0;
  /**
   * Whether the diagram is on screen (the training tab shown and scrolled
   * into view), from an IntersectionObserver: no layout is forced to ask.
   */
  let onScreen = true;

  /** Lay out columns: inputs, each hidden layer, the outputs. */
  function computeGeometry(json: MLPJson): Geometry {
    const counts = [json.nin, ...json.sizes];
    const columns = counts.length;
    const width = Math.max(160, Math.floor(container.clientWidth || 196));
    const tallest = Math.max(...counts);
    const size = Math.max(
      9,
      Math.min(
        30,
        Math.floor((width - 8) / (columns * 1.6)),
        Math.floor(420 / (tallest * 1.25)),
      ),
    );
    const pitch = Math.round(size * 1.25);
    const top = 14;
    const height = top + tallest * pitch + 4;
    const step = columns > 1 ? (width - size - 4) / (columns - 1) : 0;
    const centers = counts.map((count, column) => {
      const x = 2 + size / 2 + column * step;
      const offset = top + ((tallest - count) * pitch) / 2 + pitch / 2;
      return Array.from(
        { length: count },
        (_, j) => ({ x, y: offset + j * pitch }),
      );
    });
    return { size, centers, width, height };
  }

  /**
   * Build the diagram's elements for `json`, yielding the cost of each
   * link and neuron written: at 8 × 32 that is ~7,300 links (two lines
   * each) and 260 neurons, far more than one frame's work. `architecture`
   * is set once all is built, so a build cut short by a newer refresh is
   * started again from scratch.
   */
  function* buildSteps(
    json: MLPJson,
    names: readonly string[],
  ): Generator<number> {
    architecture = "";
    geometry = computeGeometry(json);
    const { size, centers, width, height } = geometry;
    root.replaceChildren();
    root.style.height = `${height}px`;
    linkList = [];
    linkByKey = new Map();
    biasList = [];
    neuronByKey = new Map();
    tabStop = null;
    neurons = [];
    atlas = null;
    inputsPainted = "";
    selectedLink = null;
    const hidden = json.sizes.length - 1;
    // Column labels: x, hidden layers, output.
    centers.forEach((column, c) => {
      const label = document.createElement("span");
      label.className = "column-label";
      label.style.left = `${column[0].x}px`;
      label.style.top = "0px";
      label.textContent = c === 0
        ? "features"
        : c <= hidden
        ? `L${c - 1}`
        : "out";
      root.appendChild(label);
    });
    for (let l = 0; l < json.layers.length; l++) {
      // One SVG per gap between columns, each its own compositing layer:
      // a change to a gap's links repaints those (about 1,000 at 8 × 32),
      // not all 7,000, which made each frame's commit grow past 100 ms.
      const gap = document.createElementNS(SVG, "svg");
      gap.setAttribute("class", "links");
      gap.setAttribute("width", String(width));
      gap.setAttribute("height", String(height));
      const lineLayer = document.createElementNS(SVG, "g");
      const hitLayer = document.createElementNS(SVG, "g");
      gap.append(lineLayer, hitLayer);
      root.insertBefore(gap, root.firstChild);
      const neurons = json.layers[l];
      for (let j = 0; j < neurons.length; j++) {
        const to = centers[l + 1][j];
        for (let i = 0; i < neurons[j].weights.length; i++) {
          const from = centers[l][i];
          const key = `${l}:${j}:${i}`;
          const attributes: Record<string, string> = {
            x1: String(from.x + size / 2),
            y1: String(from.y),
            x2: String(to.x - size / 2),
            y2: String(to.y),
          };
          const line = document.createElementNS(SVG, "line");
          const hit = document.createElementNS(SVG, "line");
          for (const [name, value] of Object.entries(attributes)) {
            line.setAttribute(name, value);
            hit.setAttribute(name, value);
          }
          line.setAttribute("class", "link");
          line.setAttribute("data-link", key);
          hit.setAttribute("class", "link-hit");
          hit.setAttribute("data-link", key);
          const title = document.createElementNS(SVG, "title");
          title.textContent = `Weight from ${
            l === 0 ? `input ${featureLabel(names, i)}` : `L${l - 1}:${i}`
          } to ${
            l === hidden ? `output ${j}` : `L${l}:${j}`
          } (click for its gradient)`;
          hit.appendChild(title);
          hit.setAttribute("tabindex", "-1");
          hit.setAttribute("role", "button");
          hit.setAttribute(
            "aria-label",
            `Weight ${key}: Enter to edit it, arrows to move`,
          );
          hit.addEventListener("click", () => {
            void selectLink(l, j, i);
            void details.open(l, j, i);
          });
          hit.addEventListener("focus", () => {
            line.classList.add("focused");
            makeTabStop(hit);
          });
          hit.addEventListener("blur", () => line.classList.remove("focused"));
          lineLayer.appendChild(line);
          hitLayer.appendChild(hit);
          const link = { key, line, hit, look: "" };
          linkList.push(link);
          linkByKey.set(key, link);
          yield LINK_BUILD_COST;
        }
      }
    }
    // The heatmaps' canvas, above the links and below the neurons.
    const canvas = document.createElement("canvas");
    canvas.id = "network-heatmaps";
    const scale = Math.min(
      MAX_ATLAS_SCALE,
      globalThis.devicePixelRatio || 1,
      Math.sqrt(ATLAS_PIXELS / (width * height)),
    );
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    root.appendChild(canvas);
    atlas = canvas.getContext("2d");
    // As a browser stretches a small canvas: smoothly.
    if (atlas) atlas.imageSmoothingEnabled = true;
    // Neurons: inputs (layer -1), hidden neurons, outputs.
    for (let c = 0; c < centers.length; c++) {
      for (let j = 0; j < centers[c].length; j++) {
        const center = centers[c][j];
        const element = document.createElement("div");
        element.className = "neuron";
        const left = center.x - size / 2;
        const top = center.y - size / 2;
        element.style.left = `${left}px`;
        element.style.top = `${top}px`;
        element.style.width = `${size}px`;
        element.style.height = `${size}px`;
        const layer = c - 1;
        let name: string;
        if (c === 0) {
          element.dataset.input = String(j);
          element.dataset.feature = names[j] ?? "";
          name = `Input ${featureLabel(names, j)}`;
        } else if (c <= hidden) {
          element.dataset.neuron = `${layer}:${j}`;
          name = `Neuron ${layer}:${j}`;
        } else {
          element.dataset.output = String(j);
          name = `Output ${j}`;
        }
        element.tabIndex = -1;
        element.setAttribute("role", c === 0 ? "img" : "button");
        element.setAttribute(
          "aria-label",
          `${name}: its output over the plane${
            c === 0 ? "" : "; Enter for its formula"
          }`,
        );
        element.title = `${name}: hover to show it in the decision grid${
          c === 0 ? "" : ", click for its formula and weights"
        }`;
        neuronByKey.set(`${c}:${j}`, element);
        if (c > 0) {
          element.style.cursor = "pointer";
          element.addEventListener("click", () => void details.open(layer, j));
          const square = document.createElement("div");
          const side = Math.max(4, Math.round(size / 3.5));
          square.className = "bias";
          square.dataset.bias = `${layer}:${j}`;
          square.style.width = `${side}px`;
          square.style.height = `${side}px`;
          square.style.left = `${left - side / 2}px`;
          square.style.top = `${top + size - side / 2}px`;
          biasList.push({ square, look: "", value: NaN });
        }
        const enter = () => {
          hovered = { layer, index: j };
          element.classList.add("hovered");
          showOverlay();
          // Fetch the larger grid for the main plot (even while paused).
          update();
        };
        const leave = () => {
          if (hovered?.layer === layer && hovered.index === j) hovered = null;
          element.classList.remove("hovered");
          showOverlay();
        };
        element.addEventListener("pointerenter", enter);
        element.addEventListener("pointerleave", leave);
        element.addEventListener("focus", () => {
          makeTabStop(element);
          enter();
        });
        element.addEventListener("blur", leave);
        root.appendChild(element);
        // Its heatmap fills the element's content box (inside the 1px
        // border; every box is border-box).
        const x = Math.round((left + 1) * scale);
        const y = Math.round((top + 1) * scale);
        const neuron = {
          element,
          layer,
          index: j,
          x,
          y,
          width: Math.round((left + size - 1) * scale) - x,
          height: Math.round((top + size - 1) * scale) - y,
        };
        neurons.push(neuron);
        yield NEURON_BUILD_COST;
      }
    }
    // Above the neurons they sit on.
    for (const { square } of biasList) root.appendChild(square);
    // The first hidden neuron (or the first input) takes the tab stop.
    makeTabStop(neuronByKey.get("1:0") ?? neuronByKey.get("0:0") ?? null);
    architecture = architectureKey(json, names);
  }

  /** Put `element` (and only it) in the tab order. */
  function makeTabStop(element: HTMLElement | SVGElement | null): void {
    if (element === tabStop) return;
    tabStop?.setAttribute("tabindex", "-1");
    tabStop = element;
    element?.setAttribute("tabindex", "0");
  }

  /** What a focused element of the diagram is, for the arrow keys. */
  function itemOf(target: EventTarget | null): DiagramItem | null {
    if (!(target instanceof Element)) return null;
    const link = target.getAttribute("data-link");
    if (link !== null && target.classList.contains("link-hit")) {
      const [layer, neuron, input] = link.split(":").map(Number);
      return { kind: "link", layer, neuron, input, fan: linkFan };
    }
    for (const { element, layer, index } of neurons) {
      if (element === target) {
        return { kind: "neuron", column: layer + 1, index };
      }
    }
    return null;
  }

  /** Which end of a link ↑/↓ keep (the end it was entered from). */
  let linkFan: "source" | "target" = "source";

  function elementOf(item: DiagramItem): HTMLElement | SVGElement | null {
    if (item.kind === "neuron") {
      return neuronByKey.get(`${item.column}:${item.index}`) ?? null;
    }
    return linkByKey.get(`${item.layer}:${item.neuron}:${item.input}`)?.hit ??
      null;
  }

  root.addEventListener("keydown", (event) => {
    const item = itemOf(event.target);
    if (item === null) return;
    // Enter only: Space is the page's Play/Pause shortcut whatever has
    // focus (outside text fields), so it must pass through untouched.
    if (event.key === "Enter") {
      event.preventDefault();
      if (item.kind === "link") {
        void selectLink(item.layer, item.neuron, item.input);
        void details.open(item.layer, item.neuron, item.input);
      } else if (item.column > 0) {
        void details.open(item.column - 1, item.index);
      }
      return;
    }
    if (event.key === "Escape") {
      details.close();
      return;
    }
    const counts = latest ? [latest.model.nin, ...latest.model.sizes] : null;
    if (counts === null) return;
    const next = moveFocus(item, event.key, counts);
    if (next === null) return;
    event.preventDefault();
    if (next.kind === "link") linkFan = next.fan;
    const element = elementOf(next);
    if (element) {
      makeTabStop(element);
      element.focus();
    }
  });

  /**
   * Draw `snapshot`, a frame's budget at a time (a big network's ~8,000
   * links in one frame froze the page for 200 ms); a
   * refresh still being written is dropped for the newer one. Settles when
   * all is written (`false`: replaced or destroyed first).
   */
  function render(snapshot: NeuronGridsSnapshot): Promise<boolean> {
    writing?.cancel();
    const json = snapshot.model;
    const steps = architectureKey(json, snapshot.featureNames) === architecture
      ? renderSteps(snapshot)
      : (function* () {
        yield* buildSteps(json, snapshot.featureNames);
        yield* renderSteps(snapshot);
      })();
    latest = snapshot;
    const run = runInFrames(steps, FRAME_BUDGET);
    writing = run;
    return run.done.then((finished) => {
      if (writing === run) writing = null;
      if (finished && hovered) showOverlay();
      return finished && !destroyed;
    });
  }

  /**
   * The writes of one refresh, each yielding its cost: heatmaps, then
   * links, then biases.
   */
  function* renderSteps(snapshot: NeuronGridsSnapshot): Generator<number> {
    const { resolution } = snapshot;
    const inputsKey = JSON.stringify([snapshot.bounds, snapshot.featureNames]);
    for (const neuron of neurons) {
      const { layer, index } = neuron;
      // x and y over the plane change only with the data's bounds.
      if (layer < 0 && inputsKey === inputsPainted) continue;
      const values = valuesOf(snapshot, layer, index);
      if (!values || !atlas) continue;
      paintCanvas(
        scratch,
        SMALL_RESOLUTION,
        resolution,
        divergingColorer(values, positionFor(snapshot, layer, index)),
      );
      atlas.drawImage(scratch, neuron.x, neuron.y, neuron.width, neuron.height);
      yield HEATMAP_COST;
    }
    inputsPainted = inputsKey;
    yield* linkSteps(snapshot.model);
  }

  /**
   * Links: colour by sign, thickness and opacity by size relative to the
   * 95th percentile of the sizes (not the largest: one runaway weight would
   * make every other link invisible). Only links whose level changed are
   * written: DOM writes, and the SVG repaint they cause, are the costly part.
   */
  function* linkSteps(json: MLPJson): Generator<number> {
    const neurons = json.layers.flat();
    const scale = robustScale(neurons.flatMap((neuron) => neuron.weights));
    let k = 0;
    for (const neurons of json.layers) {
      for (const neuron of neurons) {
        for (const w of neuron.weights) {
          const link = linkList[k++];
          if (!link) break;
          const look = linkClass(w, scale);
          if (look === link.look) continue;
          link.look = look;
          link.line.setAttribute(
            "class",
            `link ${look}${link.key === selectedLink ? " selected" : ""}`,
          );
          yield 1;
        }
      }
    }
    renderBiases(neurons.map((neuron) => neuron.bias));
    yield neurons.length / 8;
  }

  /** Bias squares: as the links, against the biases' own scale. */
  function renderBiases(values: number[]): void {
    const scale = robustScale(values);
    values.forEach((value, k) => {
      const bias = biasList[k];
      if (!bias) return;
      if (bias.value !== value) {
        bias.value = value;
        bias.square.dataset.value = String(value);
      }
      const look = linkClass(value, scale);
      if (look === bias.look) return;
      bias.look = look;
      bias.square.className = `bias ${look}`;
    });
  }

  /** Show the hovered neuron's heatmap over the main decision grid. */
  function showOverlay(): void {
    const snapshot = latest;
    if (!hovered || !snapshot) {
      overlay.hide();
      return;
    }
    const { layer, index } = hovered;
    const values = valuesOf(snapshot, layer, index);
    if (!values) return;
    const activation = layer < 0 ? "linear" : snapshot.activations[layer];
    overlay.show(
      snapshot.resolution,
      divergingColorer(values, positionFor(snapshot, layer, index)),
      layer < 0
        ? `input ${featureLabel(snapshot.featureNames, index)}`
        : layer === snapshot.layers.length - 1
        ? `output ${index} (${activation})`
        : `neuron ${layer}:${index} (${activation})`,
    );
  }

  async function selectLink(
    layer: number,
    neuron: number,
    input: number,
  ): Promise<void> {
    const key = `${layer}:${neuron}:${input}`;
    if (selectedLink) {
      linkByKey.get(selectedLink)?.line.classList.remove("selected");
    }
    selectedLink = key;
    linkByKey.get(key)?.line.classList.add("selected");
    const request = ++gradientRequest;
    const hidden = (latest?.model.layers.length ?? 1) - 1;
    const from = layer === 0
      ? featureLabel(latest?.featureNames ?? [], input)
      : `L${layer - 1}:${input}`;
    const to = layer === hidden ? `output ${neuron}` : `L${layer}:${neuron}`;
    const name = `L${layer}.N${neuron}.w${input}`;
    info.textContent = `${name} (${from} → ${to}): computing its gradient…`;
    try {
      // The worker asks the library (Trainer.gradients: the full-batch
      // loss graph, backpropagated); the page only shows the two numbers.
      const result = await training.worker().parameterGradients();
      if (request !== gradientRequest || destroyed) return;
      const weight = result.model.layers[layer]?.[neuron]?.weights[input];
      const gradient = result.gradients.layers[layer]?.[neuron]
        ?.weights[input];
      if (weight === undefined || gradient === undefined) {
        info.textContent =
          `${name}: the network changed; click a link of the new one.`;
        return;
      }
      info.textContent = `${name} (${from} → ${to}): weight ${
        formatShortNumber(weight)
      }, gradient ${
        formatShortNumber(gradient)
      } (d loss / d weight, full batch of ${result.trainPoints} points${
        penaltyNames(training.config())
      }, step ${result.stepCount})`;
      info.dataset.weight = String(weight);
      info.dataset.gradient = String(gradient);
    } catch (error) {
      if (request !== gradientRequest) return;
      info.textContent = `Could not compute the gradient: ${
        error instanceof Error ? error.message : String(error)
      }`;
    }
  }

  function schedule(): void {
    if (destroyed || fetching || timer !== null) return;
    const interval = Math.max(UPDATE_INTERVAL, REFRESH_SHARE * lastCost);
    const wait = Math.max(0, lastFetch + interval - performance.now());
    timer = setTimeout(fetchNow, wait);
  }

  async function fetchNow(): Promise<void> {
    timer = null;
    if (!dirty || destroyed) return;
    if (!onScreen) return; // stays dirty; drawn when it comes into view
    dirty = false;
    fetching = true;
    lastFetch = performance.now();
    try {
      const resolution = hovered ? LARGE_RESOLUTION : SMALL_RESOLUTION;
      const snapshot = await training.worker().neuronGrids(resolution);
      // A reply from a run that has since been replaced is dropped.
      if (!destroyed && snapshot.run >= latestRun) {
        latestRun = snapshot.run;
        const start = performance.now();
        if (await render(snapshot)) details.refresh();
        lastCost = performance.now() - start;
      }
    } catch {
      // The worker restarted or is busy resetting; the next report retries.
      dirty = true;
    } finally {
      fetching = false;
      if (dirty) schedule();
    }
  }

  function update(): void {
    dirty = true;
    schedule();
  }

  const unsubscribeRun = training.onRun((snapshot) => {
    latestRun = Math.max(latestRun, snapshot.run);
    update();
  });
  const unsubscribeProgress = training.onProgress(() => update());
  let resizeObserver: ResizeObserver | null = null;
  if ("ResizeObserver" in globalThis) {
    let lastWidth = container.clientWidth;
    resizeObserver = new ResizeObserver(() => {
      const width = container.clientWidth;
      if (width === lastWidth || width === 0 || !latest) return;
      lastWidth = width;
      architecture = ""; // rebuild at the new size
      void render(latest);
    });
    resizeObserver.observe(container);
  }
  let intersectionObserver: IntersectionObserver | null = null;
  if ("IntersectionObserver" in globalThis) {
    intersectionObserver = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      onScreen = entry.isIntersecting;
      if (onScreen && dirty) schedule();
    });
    // The slot, not the diagram: it has a height (the info line) even
    // before the first grids arrive.
    intersectionObserver.observe(container);
  }
  update();

  return {
    element: root,
    update,
    showPoint: (point) => details.showPoint(point),
    destroy(): void {
      destroyed = true;
      if (timer !== null) clearTimeout(timer);
      writing?.cancel();
      unsubscribeRun();
      unsubscribeProgress();
      resizeObserver?.disconnect();
      intersectionObserver?.disconnect();
      overlay.hide();
      details.destroy();
      style.remove();
      root.remove();
      info.remove();
    },
  };
}
