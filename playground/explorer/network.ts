/**
 * The live network diagram in the training view: the current MLP as columns
 * of neurons joined by links whose colour shows the weight's sign (blue
 * positive, orange negative) and whose thickness shows its size. Each neuron
 * is a small heatmap of its own output over the plane; hovering one (or
 * focusing it) paints that heatmap into the main decision grid; clicking a
 * link shows its weight and the gradient of the training loss for it.
 *
 * The weights come from the worker (`modelJson()`), at most ten times a
 * second while training reports progress; the heatmaps are computed here
 * from them (small networks: a millisecond or two).
 *
 * Hooks for tests: the diagram has `id="network"`, each hidden neuron's
 * heatmap (a canvas) `data-neuron="LAYER:INDEX"`, each link `data-link="LAYER:NEURON:INPUT"`.
 *
 * @module
 */

import type { MLPJson } from "../../src/nn.ts";
import { classColor, cssColor, divergingColor } from "../colormap.ts";
import type { TrainingContext } from "../views.ts";
import { formatShortNumber } from "./format.ts";
import {
  boundsOfData,
  type NeuronGrids,
  neuronGrids,
  type PlaneBounds,
  trainingGradients,
} from "./neuron_grid.ts";

const SVG = "http://www.w3.org/2000/svg";
/** Cells per side of a neuron's small heatmap. */
const SMALL_RESOLUTION = 20;
/** Cells per side when a neuron is shown in the main grid. */
const LARGE_RESOLUTION = 64;
/** Least time between two weight fetches (ms): ten updates a second. */
const UPDATE_INTERVAL = 100;

const STYLE = `
#network { position: relative; margin: 6px 0 4px; }
#network svg { position: absolute; left: 0; top: 0; overflow: visible; }
#network .link-hit { stroke: transparent; stroke-width: 7; cursor: pointer; pointer-events: stroke; }
#network .link { pointer-events: none; }
#network .link.selected { stroke: #111 !important; stroke-opacity: 1 !important; stroke-dasharray: 3 2; }
#network canvas { position: absolute; border: 1px solid #98a2b3; border-radius: 2px; image-rendering: auto; background: #fff; }
#network canvas:focus-visible, #network canvas.hovered { outline: 2px solid #1c7ed6; outline-offset: 1px; }
#network .column-label { position: absolute; font-size: 10px; color: #667085; transform: translateX(-50%); white-space: nowrap; }
#network-info { font-size: 11px; min-height: 2.6em; color: #344054; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.network-overlay { position: absolute; left: 0; top: 0; width: 100%; height: 100%; pointer-events: none; }
.network-overlay-caption { position: absolute; left: 6px; top: 4px; font-size: 11px; background: rgba(255,255,255,0.85); padding: 1px 5px; border-radius: 3px; pointer-events: none; }
`;

/** Map a neuron's output to the diverging colour scale's [-1, 1]. */
function colorPosition(value: number, activation: string): number {
  if (activation === "sigmoid") return 2 * value - 1;
  if (activation === "tanh") return value;
  return Math.tanh(value); // relu and linear are unbounded: squash softly
}

/** Levels of the colour lookup table (t from -1 to 1). */
const COLOR_LEVELS = 256;
/** The diverging colour scale as a table: `COLOR_TABLE[3k..3k+2]` for level k. */
const COLOR_TABLE = (() => {
  const table = new Uint8ClampedArray(COLOR_LEVELS * 3);
  for (let k = 0; k < COLOR_LEVELS; k++) {
    const [r, g, b] = divergingColor((k / (COLOR_LEVELS - 1)) * 2 - 1);
    table[3 * k] = r;
    table[3 * k + 1] = g;
    table[3 * k + 2] = b;
  }
  return table;
})();

/** Reused pixel buffers, one per canvas (painting runs ten times a second). */
const images = new WeakMap<HTMLCanvasElement, ImageData>();

/** Paint a grid (row 0 at the bottom) into a canvas `resolution` pixels wide. */
function paint(
  canvas: HTMLCanvasElement,
  values: Float64Array,
  resolution: number,
  position: (value: number) => number,
): void {
  if (canvas.width !== resolution) {
    canvas.width = resolution;
    canvas.height = resolution;
  }
  const context = canvas.getContext("2d");
  if (!context) return;
  let image = images.get(canvas);
  if (!image || image.width !== resolution) {
    image = context.createImageData(resolution, resolution);
    images.set(canvas, image);
  }
  const pixels = image.data;
  const top = COLOR_LEVELS - 1;
  for (let row = 0; row < resolution; row++) {
    const y = resolution - 1 - row; // canvas rows go down, the plane's go up
    for (let column = 0; column < resolution; column++) {
      const t = position(values[row * resolution + column]);
      const clamped = t > 1 ? 1 : t < -1 ? -1 : t === t ? t : 0; // NaN -> 0
      const level = Math.round(((clamped + 1) / 2) * top);
      const offset = (y * resolution + column) * 4;
      pixels[offset] = COLOR_TABLE[3 * level];
      pixels[offset + 1] = COLOR_TABLE[3 * level + 1];
      pixels[offset + 2] = COLOR_TABLE[3 * level + 2];
      pixels[offset + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
}

const POSITIVE = cssColor(divergingColor(1));
const NEGATIVE = cssColor(divergingColor(-1));

function setIfChanged(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** Control over a mounted diagram. */
export interface NetworkDiagram {
  /** The diagram element (`#network`). */
  readonly element: HTMLElement;
  /** Fetch the weights and redraw soon (throttled). */
  update(): void;
  /** Remove it and its listeners. */
  destroy(): void;
}

interface Geometry {
  size: number;
  centers: { x: number; y: number }[][];
  width: number;
  height: number;
}

/**
 * Build the diagram into `container` (normally the training view's network
 * slot) and keep it in step with training.
 */
export function mountNetworkDiagram(
  container: HTMLElement,
  training: TrainingContext,
): NetworkDiagram {
  const document = container.ownerDocument;
  const style = document.createElement("style");
  style.textContent = STYLE;
  const root = document.createElement("div");
  root.id = "network";
  root.setAttribute("role", "group");
  root.setAttribute(
    "aria-label",
    "The network: each neuron's output over the plane, links coloured by weight",
  );
  const links = document.createElementNS(SVG, "svg");
  root.appendChild(links);
  const info = document.createElement("div");
  info.id = "network-info";
  info.setAttribute("aria-live", "polite");
  info.textContent =
    "Hover a neuron to see it in the decision grid; click a link for its weight and gradient.";
  container.append(style, root, info);

  let model: MLPJson | null = null;
  let grids: NeuronGrids | null = null;
  let bounds: PlaneBounds | null = null;
  let architecture = "";
  let geometry: Geometry | null = null;
  let canvases: { canvas: HTMLCanvasElement; layer: number; index: number }[] =
    [];
  let linkElements = new Map<string, SVGLineElement>();
  let selectedLink: string | null = null;
  let hovered: { layer: number; index: number } | null = null;
  let overlay: { canvas: HTMLCanvasElement; caption: HTMLElement } | null =
    null;
  let stepCount = 0;
  let dirty = true;
  let fetching = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFetch = -Infinity;
  let destroyed = false;
  let gradientRequest = 0;

  const visible = (): boolean => root.offsetParent !== null;

  function currentBounds(): PlaneBounds {
    if (bounds) return bounds;
    const { train, test } = training.data();
    return boundsOfData(train, test);
  }

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

  function build(json: MLPJson): void {
    architecture = JSON.stringify([json.nin, json.sizes]);
    geometry = computeGeometry(json);
    const { size, centers, width, height } = geometry;
    root.replaceChildren(links);
    root.style.height = `${height}px`;
    links.setAttribute("width", String(width));
    links.setAttribute("height", String(height));
    links.replaceChildren();
    linkElements = new Map();
    canvases = [];
    selectedLink = null;
    const hidden = json.sizes.length - 1;
    // Column labels: x, hidden layers, output.
    centers.forEach((column, c) => {
      const label = document.createElement("span");
      label.className = "column-label";
      label.style.left = `${column[0].x}px`;
      label.style.top = "0px";
      label.textContent = c === 0 ? "input" : c <= hidden ? `L${c - 1}` : "out";
      root.appendChild(label);
    });
    const lineLayer = document.createElementNS(SVG, "g");
    const hitLayer = document.createElementNS(SVG, "g");
    links.append(lineLayer, hitLayer);
    json.layers.forEach((neurons, l) => {
      neurons.forEach((neuron, j) => {
        const to = centers[l + 1][j];
        neuron.weights.forEach((_, i) => {
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
            l === 0 ? `input x${i}` : `L${l - 1}:${i}`
          } to ${
            l === hidden ? `output ${j}` : `L${l}:${j}`
          } (click for its gradient)`;
          hit.appendChild(title);
          hit.addEventListener("click", () => void selectLink(l, j, i));
          lineLayer.appendChild(line);
          hitLayer.appendChild(hit);
          linkElements.set(key, line);
        });
      });
    });
    // Heatmaps: inputs (layer -1), hidden neurons, outputs.
    centers.forEach((column, c) => {
      column.forEach((center, j) => {
        const canvas = document.createElement("canvas");
        canvas.width = SMALL_RESOLUTION;
        canvas.height = SMALL_RESOLUTION;
        canvas.style.left = `${center.x - size / 2}px`;
        canvas.style.top = `${center.y - size / 2}px`;
        canvas.style.width = `${size}px`;
        canvas.style.height = `${size}px`;
        const layer = c - 1;
        let name: string;
        if (c === 0) {
          canvas.dataset.input = String(j);
          name = `Input x${j}`;
        } else if (c <= hidden) {
          canvas.dataset.neuron = `${layer}:${j}`;
          name = `Neuron ${layer}:${j}`;
        } else {
          canvas.dataset.output = String(j);
          name = `Output ${j}`;
        }
        canvas.tabIndex = 0;
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", `${name}: its output over the plane`);
        canvas.title = `${name}: hover to show it in the decision grid`;
        const enter = () => {
          hovered = { layer, index: j };
          canvas.classList.add("hovered");
          showOverlay();
        };
        const leave = () => {
          if (hovered?.layer === layer && hovered.index === j) hovered = null;
          canvas.classList.remove("hovered");
          showOverlay();
        };
        canvas.addEventListener("pointerenter", enter);
        canvas.addEventListener("pointerleave", leave);
        canvas.addEventListener("focus", enter);
        canvas.addEventListener("blur", leave);
        root.appendChild(canvas);
        canvases.push({ canvas, layer, index: j });
      });
    });
  }

  function render(json: MLPJson): void {
    if (JSON.stringify([json.nin, json.sizes]) !== architecture) build(json);
    model = json;
    if (json.nin !== 2) return;
    grids = neuronGrids(json, currentBounds(), SMALL_RESOLUTION);
    for (const { canvas, layer, index } of canvases) {
      if (layer < 0) {
        const extent = Math.max(
          Math.abs(grids.bounds.xMin),
          Math.abs(grids.bounds.xMax),
          Math.abs(grids.bounds.yMin),
          Math.abs(grids.bounds.yMax),
        );
        paint(canvas, grids.inputs[index], SMALL_RESOLUTION, (v) => v / extent);
        continue;
      }
      const activation = grids.activations[layer];
      paint(
        canvas,
        grids.layers[layer][index],
        SMALL_RESOLUTION,
        (v) => colorPosition(v, activation),
      );
    }
    // Links: colour by sign, thickness and opacity by size relative to the
    // 95th percentile of the sizes (not the largest: one runaway weight
    // would make every other link invisible).
    const sizes: number[] = [];
    for (const neurons of json.layers) {
      for (const neuron of neurons) {
        for (const w of neuron.weights) sizes.push(Math.abs(w));
      }
    }
    sizes.sort((a, b) => a - b);
    const scale = Math.max(
      1e-12,
      sizes[Math.min(sizes.length - 1, Math.floor(sizes.length * 0.95))] ?? 1,
    );
    json.layers.forEach((neurons, l) => {
      neurons.forEach((neuron, j) => {
        neuron.weights.forEach((w, i) => {
          const line = linkElements.get(`${l}:${j}:${i}`);
          if (!line) return;
          const t = Math.min(1, Math.abs(w) / scale);
          // Only what changed is written: DOM writes are the costly part.
          setIfChanged(line, "stroke", w >= 0 ? POSITIVE : NEGATIVE);
          setIfChanged(line, "stroke-width", (0.4 + 2.8 * t).toFixed(1));
          setIfChanged(line, "stroke-opacity", (0.2 + 0.8 * t).toFixed(2));
        });
      });
    });
    if (hovered) showOverlay();
  }

  /** Paint the hovered neuron's heatmap over the main decision grid. */
  function showOverlay(): void {
    const plotArea = document.querySelector<HTMLElement>("#grid-chart .u-over");
    if (!plotArea) return;
    if (!hovered || !model || model.nin !== 2) {
      if (overlay) {
        // style, not the hidden attribute: page CSS may set canvas display.
        overlay.canvas.style.display = "none";
        overlay.caption.style.display = "none";
      }
      return;
    }
    if (!overlay || overlay.canvas.parentElement !== plotArea) {
      const canvas = document.createElement("canvas");
      canvas.className = "network-overlay";
      canvas.id = "network-overlay";
      const caption = document.createElement("div");
      caption.className = "network-overlay-caption";
      plotArea.append(canvas, caption);
      overlay = { canvas, caption };
    }
    const large = neuronGrids(model, currentBounds(), LARGE_RESOLUTION);
    const { layer, index } = hovered;
    const values = layer < 0 ? large.inputs[index] : large.layers[layer][index];
    const activation = layer < 0 ? "linear" : large.activations[layer];
    const extent = Math.max(
      ...[
        large.bounds.xMin,
        large.bounds.xMax,
        large.bounds.yMin,
        large.bounds.yMax,
      ].map(Math.abs),
    );
    const image = document.createElement("canvas");
    paint(
      image,
      values,
      LARGE_RESOLUTION,
      layer < 0 ? (v) => v / extent : (v) => colorPosition(v, activation),
    );
    const { canvas, caption } = overlay;
    const ratio = globalThis.devicePixelRatio || 1;
    const width = plotArea.clientWidth, height = plotArea.clientHeight;
    canvas.width = Math.max(1, Math.round(width * ratio));
    canvas.height = Math.max(1, Math.round(height * ratio));
    const context = canvas.getContext("2d");
    if (!context) return;
    context.imageSmoothingEnabled = true;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    // The data on top, as in the decision grid: train filled, test outlined.
    const b = large.bounds;
    const { train, test } = training.data();
    const toX = (x: number) =>
      ((x - b.xMin) / (b.xMax - b.xMin)) * canvas.width;
    const toY = (y: number) =>
      (1 - (y - b.yMin) / (b.yMax - b.yMin)) * canvas.height;
    const radius = 3.2 * ratio;
    for (const [data, filled] of [[train, true], [test, false]] as const) {
      data.x.forEach(([x, y], k) => {
        context.beginPath();
        context.arc(toX(x), toY(y), radius, 0, 2 * Math.PI);
        const color = cssColor(classColor(data.y[k]));
        if (filled) {
          context.fillStyle = color;
          context.fill();
          context.strokeStyle = "rgba(255,255,255,0.9)";
          context.lineWidth = ratio;
        } else {
          context.strokeStyle = color;
          context.lineWidth = 1.6 * ratio;
        }
        context.stroke();
      });
    }
    canvas.style.display = "block";
    caption.style.display = "block";
    caption.textContent = layer < 0
      ? `input x${index}`
      : layer === model.layers.length - 1
      ? `output ${index} (${activation})`
      : `neuron ${layer}:${index} (${activation})`;
  }

  async function selectLink(
    layer: number,
    neuron: number,
    input: number,
  ): Promise<void> {
    const key = `${layer}:${neuron}:${input}`;
    if (selectedLink) {
      linkElements.get(selectedLink)?.classList.remove("selected");
    }
    selectedLink = key;
    linkElements.get(key)?.classList.add("selected");
    const request = ++gradientRequest;
    const hidden = (model?.layers.length ?? 1) - 1;
    const from = layer === 0 ? `x${input}` : `L${layer - 1}:${input}`;
    const to = layer === hidden ? `output ${neuron}` : `L${layer}:${neuron}`;
    const name = `L${layer}.N${neuron}.w${input}`;
    info.textContent = `${name} (${from} → ${to}): computing its gradient…`;
    try {
      const json = await training.worker().modelJson();
      if (request !== gradientRequest || destroyed) return;
      const config = training.config();
      const { train } = training.data();
      const gradients = trainingGradients(json, train, config.loss, config.l2);
      const weight = json.layers[layer][neuron].weights[input];
      const gradient = gradients.layers[layer][neuron].weights[input];
      info.textContent = `${name} (${from} → ${to}): weight ${
        formatShortNumber(weight)
      }, gradient ${
        formatShortNumber(gradient)
      } (d loss / d weight, full batch of ${train.x.length} points${
        config.l2 > 0 ? " + L2" : ""
      }, step ${stepCount})`;
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
    const wait = Math.max(0, lastFetch + UPDATE_INTERVAL - performance.now());
    timer = setTimeout(fetchNow, wait);
  }

  async function fetchNow(): Promise<void> {
    timer = null;
    if (!dirty || destroyed) return;
    if (!visible()) return; // stays dirty; update() runs when shown again
    dirty = false;
    fetching = true;
    lastFetch = performance.now();
    try {
      const json = await training.worker().modelJson();
      if (!destroyed) render(json);
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
    bounds = snapshot.grid.bounds;
    stepCount = snapshot.stepCount;
    update();
  });
  const unsubscribeProgress = training.onProgress((report) => {
    if (report.grid) bounds = report.grid.bounds;
    stepCount = report.stepCount;
    update();
  });
  let resizeObserver: ResizeObserver | null = null;
  if ("ResizeObserver" in globalThis) {
    let lastWidth = container.clientWidth;
    resizeObserver = new ResizeObserver(() => {
      if (container.clientWidth === lastWidth || !model) return;
      lastWidth = container.clientWidth;
      architecture = ""; // rebuild at the new size
      render(model);
    });
    resizeObserver.observe(container);
  }
  update();

  return {
    element: root,
    update,
    destroy(): void {
      destroyed = true;
      if (timer !== null) clearTimeout(timer);
      unsubscribeRun();
      unsubscribeProgress();
      resizeObserver?.disconnect();
      overlay?.canvas.remove();
      overlay?.caption.remove();
      style.remove();
      root.remove();
      info.remove();
    },
  };
}
