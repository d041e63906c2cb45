/**
 * The graph explorer: type a small program, see its computation graph, run
 * the forward and backward passes (all at once or one node at a time), nudge
 * a leaf to check a gradient numerically, and export what is drawn.
 *
 * `mountExplorer(container)` builds the whole view inside `container` with
 * DOM APIs only (user text is only ever assigned to `textContent` or form
 * values). Stable ids for tests: `expr`, `expr-error`, `forward`, `backward`,
 * `step-backward`, `graph-view`; every value box carries `data-label`,
 * `data-data` and `data-grad`.
 *
 * @module
 */

import type { Value } from "../../src/engine.ts";
import { toDot } from "../../src/graph.ts";
import { CHARACTER_WIDTH, fittedViewHeight, GraphDrawing } from "./drawing.ts";
import { formatShortNumber } from "./format.ts";
import { recomputeData } from "./forward.ts";
import { type GraphLayout, layoutGraph } from "./layout.ts";
import { nudgeLeaf } from "./nudge.ts";
import { buildGraph, ParseError } from "./parser.ts";
import {
  PRESETS,
  TRAINING_EXAMPLE_PRESET_ID,
  type TrainingExample,
  trainingExampleGraph,
} from "./presets.ts";
import { BackwardStepper } from "./stepper.ts";

/** How the explorer is set up. */
export interface ExplorerOptions {
  /** The program shown first (default: the neuron preset). */
  source?: string;
  /**
   * Supplies "one training example through the current MLP": the current
   * weights and sample `index` of the training set (the explorer clamps
   * nothing; the provider wraps or clamps). Without it that preset is not
   * offered. May return null when no model is available.
   */
  trainingExample?: (
    index: number,
  ) => TrainingExample | null | Promise<TrainingExample | null>;
  /** Milliseconds between the last keystroke and re-parsing. Default 200. */
  parseDelay?: number;
}

/** Control over a mounted explorer. */
export interface ExplorerHandle {
  /** The explorer's root element (inside the container). */
  readonly element: HTMLElement;
  /** Put a program in the box and draw it (errors show as usual). */
  setSource(source: string): void;
  /** The output value of what is drawn now. */
  readonly root: Value | null;
  /** Refit the drawing, e.g. after its tab became visible. */
  fit(): void;
  /** Remove the view and its listeners. */
  destroy(): void;
}

/**
 * The explorer's page styles, scoped under `.explorer`.
 *
 * The graph gets the page's full width on top: graphs are wide and short
 * (the lecture's neuron is about 1270 x 200 at natural size), so a column of
 * controls beside it would shrink it for nothing. Its height is a fixed share
 * of the window, not sized to the graph, so the program box below it does
 * not jump while the user types; the frame can be dragged taller for big
 * graphs. The controls sit below in as many columns as fit (one on a phone).
 */
const STYLE = `
.explorer [hidden] { display: none !important; }
.explorer { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.explorer label { font-weight: 600; font-size: 0.9em; }
.explorer textarea { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; width: 100%; box-sizing: border-box; resize: vertical; min-height: 12em; tab-size: 2; }
.explorer textarea[aria-invalid="true"] { outline: 2px solid #e03131; }
.explorer .expr-error { color: #c92a2a; font-size: 0.9em; min-height: 1.2em; }
.explorer .expr-error pre { margin: 4px 0 0; padding: 4px 6px; background: #fff5f5; border-radius: 4px; overflow-x: auto; font-size: 12px; }
.explorer .explorer-buttons, .explorer .explorer-export, .explorer .explorer-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.explorer .explorer-row select { flex: 1 1 12em; min-width: 0; max-width: 100%; }
.explorer .explorer-row input[type="range"] { flex: 1 1 8em; min-width: 0; }
.explorer .step-status { font-size: 0.85em; color: #475467; min-height: 1.2em; margin: 0; }
.explorer .step-formula { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; background: #f8f9fa; border: 1px solid #e9ecef; border-radius: 4px; padding: 6px; min-height: 3.6em; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 16em; overflow-y: auto; margin: 0; }
.explorer fieldset { border: 1px solid #dee2e6; border-radius: 6px; padding: 6px 8px 8px; margin: 0; display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.explorer legend { font-weight: 600; font-size: 0.9em; }
.explorer .nudge-readout { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.explorer .explorer-canvas { position: relative; min-width: 0; }
.explorer .explorer-view-tools { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; flex-wrap: wrap; }
.explorer .explorer-caption { font-size: 0.85em; color: #475467; flex: 1 1 12em; min-width: 0; overflow-wrap: anywhere; }
.explorer .graph-frame { height: clamp(280px, 46vh, 720px); min-height: 200px; resize: vertical; overflow: hidden; border: 1px solid #dee2e6; border-radius: 6px; }
.explorer svg.explorer-graph { display: block; width: 100%; height: 100%; touch-action: none; cursor: grab; user-select: none; }
.explorer svg.explorer-graph.panning { cursor: grabbing; }
.explorer .explorer-controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 270px), 1fr)); gap: 12px 16px; align-items: start; }
.explorer .explorer-column { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
`;

/** The graph view is never shorter than this (pixels)... */
const VIEW_MINIMUM_HEIGHT = 240;
/** ...nor, when sized to its graph, taller than this share of the window... */
const VIEW_MAXIMUM_WINDOW_SHARE = 0.72;
/** ...or this many pixels. */
const VIEW_MAXIMUM_HEIGHT = 760;

/** The nudge slider: h from -1 to 1 in steps of 0.001. */
const NUDGE_RANGE = { type: "range", min: "-1", max: "1", step: "0.001" };

/** Graphs beyond this many values are refused (drawing would stall the page). */
const MAXIMUM_VALUES = 5000;

function html<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  attributes: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  if (text) element.textContent = text;
  return element;
}

/** A `<button type="button">` with an id, its text and any other attributes. */
function button(
  document: Document,
  id: string,
  text: string,
  attributes: Record<string, string> = {},
): HTMLButtonElement {
  return html(document, "button", { id, type: "button", ...attributes }, text);
}

/** An element whose changes are announced politely (`aria-live`). */
function liveRegion<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  id: string,
  className: string,
): HTMLElementTagNameMap[K] {
  return html(document, tag, { id, class: className, "aria-live": "polite" });
}

/** Offer `text` as a file download. */
function download(
  document: Document,
  filename: string,
  type: string,
  text: string,
): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = html(document, "a", { href: url, download: filename });
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Build the explorer inside `container` and show the first program.
 *
 * @example
 * ```ts ignore
 * import { mountExplorer } from "./view.ts";
 * const explorer = mountExplorer(document.getElementById("explorer-view")!, {
 *   trainingExample: async (index) => ({ model, point: data.x[index], label: data.y[index], loss: "hinge" }),
 * });
 * explorer.setSource("a = 2; b = -3; c = a*b");
 * ```
 */
export function mountExplorer(
  container: HTMLElement,
  options: ExplorerOptions = {},
): ExplorerHandle {
  const document = container.ownerDocument;
  const parseDelay = options.parseDelay ?? 200;
  const cleanups: (() => void)[] = [];
  const listen = <K extends keyof HTMLElementEventMap>(
    target: HTMLElement | Window,
    type: K,
    handler: (event: HTMLElementEventMap[K]) => void,
  ): void => {
    target.addEventListener(type, handler as EventListener);
    cleanups.push(() =>
      target.removeEventListener(type, handler as EventListener)
    );
  };

  // ---- Elements ----
  const root = html(document, "div", { class: "explorer" });
  const style = html(document, "style");
  style.textContent = STYLE;
  root.appendChild(style);

  const presetRow = html(document, "div", { class: "explorer-row" });
  const presetLabel = html(
    document,
    "label",
    { for: "explorer-preset" },
    "Example",
  );
  const presetSelect = html(document, "select", { id: "explorer-preset" });
  presetSelect.appendChild(
    html(document, "option", { value: "" }, "Your program"),
  );
  for (const preset of PRESETS) {
    presetSelect.appendChild(
      html(document, "option", { value: preset.id }, preset.title),
    );
  }
  if (options.trainingExample) {
    presetSelect.appendChild(
      html(
        document,
        "option",
        { value: TRAINING_EXAMPLE_PRESET_ID },
        "One training example through the current MLP",
      ),
    );
  }
  presetRow.append(presetLabel, presetSelect);

  const sampleRow = html(document, "div", { class: "explorer-row" });
  sampleRow.hidden = true;
  const sampleLabel = html(
    document,
    "label",
    { for: "explorer-sample" },
    "Training point #",
  );
  const sampleInput = html(document, "input", {
    id: "explorer-sample",
    type: "number",
    min: "0",
    step: "1",
    value: "0",
  });
  sampleInput.style.width = "6em";
  const sampleRefresh = button(document, "explorer-refresh", "Refresh", {
    title: "Rebuild with the current weights",
  });
  sampleRow.append(sampleLabel, sampleInput, sampleRefresh);

  const exprLabel = html(document, "label", { for: "expr" }, "Program");
  const textarea = html(document, "textarea", {
    id: "expr",
    spellcheck: "false",
    autocomplete: "off",
    autocapitalize: "off",
    rows: "14",
    "aria-describedby": "expr-error expr-help",
  });
  const help = html(
    document,
    "p",
    { id: "expr-help", class: "step-status" },
    "One assignment per line (or separated by ;), like y = tanh(w*x + b). Numbers, earlier names, + - * / ** ( ) and tanh, exp, log, relu, sigmoid; # starts a comment. Each name is assigned once; the last one is the output.",
  );
  const errorArea = liveRegion(document, "div", "expr-error", "expr-error");
  errorArea.setAttribute("role", "status");

  const buttons = html(document, "div", {
    class: "explorer-buttons",
    role: "toolbar",
    "aria-label": "Passes",
  });
  const forwardButton = button(document, "forward", "Forward", {
    title: "Recompute every value's data from the leaves",
  });
  const backwardButton = button(document, "backward", "Backward", {
    title: "Fill in every grad at once (output.backward())",
  });
  const stepButton = button(document, "step-backward", "Step backward", {
    title: "Apply the chain rule at one node",
  });
  const zeroButton = button(document, "zero-grad", "Zero grads", {
    title: "Set every grad to 0",
  });
  buttons.append(forwardButton, backwardButton, stepButton, zeroButton);
  const stepStatus = liveRegion(document, "div", "step-status", "step-status");
  const formula = html(document, "pre", {
    id: "step-formula",
    class: "step-formula",
  });

  const nudgeSet = html(document, "fieldset", { id: "nudge-panel" });
  nudgeSet.appendChild(html(document, "legend", {}, "Nudge a leaf"));
  const nudgeRow = html(document, "div", { class: "explorer-row" });
  const nudgeLeafLabel = html(document, "label", { for: "nudge-leaf" }, "Leaf");
  const nudgeSelect = html(document, "select", { id: "nudge-leaf" });
  nudgeRow.append(nudgeLeafLabel, nudgeSelect);
  const nudgeSliderRow = html(document, "div", { class: "explorer-row" });
  const nudgeSliderLabel = html(document, "label", { for: "nudge" }, "h");
  const nudgeSlider = html(document, "input", {
    id: "nudge",
    ...NUDGE_RANGE,
    value: "0.001",
  });
  const nudgeValue = html(
    document,
    "output",
    { id: "nudge-h", for: "nudge" },
    "0.001",
  );
  nudgeSliderRow.append(nudgeSliderLabel, nudgeSlider, nudgeValue);
  const nudgeReadout = liveRegion(
    document,
    "pre",
    "nudge-readout",
    "nudge-readout",
  );
  const nudgeApply = button(document, "nudge-apply", "Apply the nudge", {
    title: "Add h to the leaf and recompute the graph",
  });
  nudgeSet.append(nudgeRow, nudgeSliderRow, nudgeReadout, nudgeApply);

  const exportRow = html(document, "div", { class: "explorer-export" });
  const exportDot = button(document, "export-dot", "Download DOT");
  const exportSvg = button(document, "export-svg", "Download SVG");
  exportRow.append(exportDot, exportSvg);

  // Below the graph, in columns: the program, the passes, the nudge.
  const controls = html(document, "div", { class: "explorer-controls" });
  const programColumn = html(document, "div", {
    class: "explorer-column explorer-program",
  });
  programColumn.append(
    presetRow,
    sampleRow,
    exprLabel,
    textarea,
    errorArea,
    help,
  );
  const passesColumn = html(document, "div", {
    class: "explorer-column explorer-passes",
  });
  passesColumn.append(buttons, stepStatus, formula);
  controls.append(programColumn, passesColumn, nudgeSet);

  const canvas = html(document, "div", { class: "explorer-canvas" });
  const tools = html(document, "div", { class: "explorer-view-tools" });
  const zoomIn = button(document, "zoom-in", "+", { "aria-label": "Zoom in" });
  const zoomOut = button(document, "zoom-out", "−", {
    "aria-label": "Zoom out",
  });
  const zoomFit = button(document, "zoom-fit", "Fit");
  const caption = html(document, "span", {
    id: "graph-caption",
    class: "explorer-caption",
  });
  tools.append(zoomIn, zoomOut, zoomFit, caption, exportRow);
  const drawing = new GraphDrawing(document, {
    onLeafClick: (leaf) => selectLeaf(leaf),
  });
  drawing.svg.id = "graph-view";
  // The frame sets the drawing's height and lets the user drag it taller.
  const frame = html(document, "div", { class: "graph-frame" });
  frame.appendChild(drawing.svg);
  canvas.append(tools, frame);
  root.append(canvas, controls);
  container.appendChild(root);

  const view = document.defaultView;

  // ---- State ----
  /** The graph the view's height is fitted to (not changed by typing). */
  let sizedFor: GraphLayout | null = null;
  /** The inline height this code last gave the frame ("" at first). */
  let frameHeight = "";
  /** Once the user drags the frame's height, it is theirs to keep. */
  let userSizedFrame = false;
  let current: Value | null = null;
  let order: Value[] = [];
  let names = new Map<Value, string>();
  let stepper: BackwardStepper | null = null;
  let leaves: Value[] = [];
  let selectedLeaf: Value | null = null;
  let parseTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped for every new graph request, so a slow training example cannot overwrite a newer graph. */
  let generation = 0;

  function showError(error: unknown): void {
    errorArea.replaceChildren();
    textarea.setAttribute("aria-invalid", "true");
    if (error instanceof ParseError) {
      errorArea.appendChild(
        html(
          document,
          "div",
          { class: "expr-error-message" },
          `Line ${error.line}, column ${error.column}: ${error.reason}`,
        ),
      );
      // Tabs kept as tabs so the caret lines up under the same column.
      const caret =
        error.lineText.slice(0, error.column - 1).replace(/[^\t]/g, " ") +
        "^".repeat(
          Math.max(
            1,
            Math.min(error.length, error.lineText.length - error.column + 1),
          ),
        );
      errorArea.appendChild(
        html(document, "pre", {}, `${error.lineText}\n${caret}`),
      );
    } else {
      const message = error instanceof Error ? error.message : String(error);
      errorArea.appendChild(
        html(document, "div", { class: "expr-error-message" }, message),
      );
    }
    errorArea.dataset.line = error instanceof ParseError
      ? String(error.line)
      : "";
    errorArea.dataset.column = error instanceof ParseError
      ? String(error.column)
      : "";
  }

  function clearError(): void {
    errorArea.replaceChildren();
    textarea.removeAttribute("aria-invalid");
    delete errorArea.dataset.line;
    delete errorArea.dataset.column;
  }

  /**
   * Draw a new graph; the output is `output`, the caption says what it is.
   * With `sizeView` the graph view's height is fitted to this graph; typing
   * passes false, so the program box below the view stays put while the
   * user types in it.
   */
  function show(output: Value, captionText: string, sizeView: boolean): void {
    const layout = layoutGraph(output, { characterWidth: CHARACTER_WIDTH });
    if (sizeView) {
      sizedFor = layout;
      sizeFrame();
    }
    current = output;
    order = layout.order;
    names = layout.names;
    stepper = null;
    for (const value of order) value.grad = 0;
    drawing.draw(layout);
    caption.textContent = captionText;
    leaves = order.filter((value) => value.op === "" && value.label !== "");
    if (leaves.length === 0) leaves = order.filter((value) => value.op === "");
    nudgeSelect.replaceChildren();
    for (const [index, leaf] of leaves.entries()) {
      nudgeSelect.appendChild(
        html(
          document,
          "option",
          { value: String(index) },
          names.get(leaf) ?? "?",
        ),
      );
    }
    selectedLeaf = null;
    selectLeaf(leaves[0] ?? null);
    stepStatus.textContent =
      `${order.length} values. Forward has run; press Backward or Step backward.`;
    formula.textContent = "";
    updateStepButton();
  }

  /**
   * Fit the graph view's height to `sizedFor` at the frame's current width
   * (see {@linkcode fittedViewHeight}). Nothing while the view is hidden or
   * after the user has dragged the frame to a height of their own.
   */
  function sizeFrame(): void {
    if (userSizedFrame || !sizedFor) return;
    if (frame.style.height !== frameHeight) {
      // The only other writer of the inline height is the resize grip.
      userSizedFrame = true;
      return;
    }
    const width = frame.clientWidth;
    if (width === 0) return; // hidden: sized when shown
    const borders = frame.offsetHeight - frame.clientHeight;
    const windowHeight = view?.innerHeight ?? 0;
    const maximum = Math.min(
      VIEW_MAXIMUM_HEIGHT,
      Math.max(VIEW_MINIMUM_HEIGHT, windowHeight * VIEW_MAXIMUM_WINDOW_SHARE),
    );
    const height = fittedViewHeight(sizedFor, width, {
      minimum: VIEW_MINIMUM_HEIGHT,
      maximum: Math.floor(maximum),
    }) + borders;
    if (`${height}px` === frameHeight) return;
    frameHeight = `${height}px`;
    frame.style.height = frameHeight;
  }

  function countValues(output: Value): number {
    // Cheap bound before layout: stop counting past the limit.
    const seen = new Set<Value>([output]);
    const stack = [output];
    while (stack.length > 0 && seen.size <= MAXIMUM_VALUES) {
      const node = stack.pop() as Value;
      for (const input of node.inputs) {
        if (!seen.has(input)) {
          seen.add(input);
          stack.push(input);
        }
      }
    }
    return seen.size;
  }

  /** Parse the program and draw it; `sizeView` as for {@linkcode show}. */
  function parseAndShow(sizeView: boolean): void {
    parseTimer = null;
    generation++;
    const source = textarea.value;
    let output: Value;
    try {
      output = buildGraph(source).output;
    } catch (error) {
      showError(error);
      return;
    }
    const count = countValues(output);
    if (count > MAXIMUM_VALUES) {
      showError(
        new Error(
          `this program makes more than ${MAXIMUM_VALUES} values; the explorer draws at most that many`,
        ),
      );
      return;
    }
    clearError();
    show(output, `Output: ${output.label}`, sizeView);
  }

  function scheduleParse(): void {
    if (parseTimer !== null) clearTimeout(parseTimer);
    parseTimer = setTimeout(() => parseAndShow(false), parseDelay);
    if (presetSelect.value !== "") {
      presetSelect.value = "";
      sampleRow.hidden = true;
    }
  }

  async function showTrainingExample(): Promise<void> {
    const provider = options.trainingExample;
    if (!provider) return;
    const request = ++generation;
    const index = Math.max(0, Math.floor(Number(sampleInput.value) || 0));
    caption.textContent = "Building the graph of one training example…";
    try {
      const example = await provider(index);
      if (request !== generation) return;
      if (!example) {
        showError(
          new Error(
            "No trained model is available yet: open the training view first.",
          ),
        );
        return;
      }
      const output = trainingExampleGraph(example);
      if (request !== generation) return;
      clearError();
      const where = example.index !== undefined
        ? ` #${example.index}${example.count ? ` of ${example.count}` : ""}`
        : "";
      if (example.index !== undefined) {
        sampleInput.value = String(example.index);
      }
      show(
        output,
        `Loss (${example.loss}) of training point${where} (${
          example.point.map((x) => formatShortNumber(x)).join(", ")
        }), class ${example.label}, through the current weights`,
        true,
      );
    } catch (error) {
      if (request !== generation) return;
      showError(error);
    }
  }

  function updateStepButton(): void {
    const total = order.length;
    if (!stepper || stepper.position === 0) {
      stepButton.textContent = "Step backward";
    } else if (stepper.done) {
      stepButton.textContent = "Step backward (restart)";
    } else {
      stepButton.textContent = `Step backward (${stepper.position}/${total})`;
    }
    const disabled = current === null;
    forwardButton.disabled = disabled;
    backwardButton.disabled = disabled;
    stepButton.disabled = disabled;
  }

  function outputName(): string {
    return current ? names.get(current) ?? "output" : "output";
  }

  function forward(): void {
    if (!current) return;
    recomputeData(order);
    for (const value of order) value.grad = 0;
    stepper = null;
    drawing.highlight(null);
    drawing.refresh();
    stepStatus.textContent =
      `Forward pass: ${order.length} values computed from the leaves, inputs first. Grads cleared.`;
    formula.textContent = `${outputName()}.data = ${current.data}`;
    updateStepButton();
    updateNudge();
  }

  function backward(): void {
    if (!current) return;
    // Zero first, so pressing Backward twice shows the same grads (the
    // library's backward() accumulates into leaves, like PyTorch).
    for (const value of order) value.grad = 0;
    current.backward();
    stepper = null;
    drawing.highlight(null);
    drawing.refresh();
    stepStatus.textContent =
      `Backward pass: d ${outputName()} / d(every value), all ${order.length} nodes in reverse topological order.`;
    formula.textContent = leaves
      .map((leaf) =>
        `d ${outputName()} / d ${names.get(leaf)} = ${
          formatShortNumber(leaf.grad)
        }`
      )
      .join("\n");
    updateStepButton();
    updateNudge();
  }

  function stepBackward(): void {
    if (!current) return;
    if (!stepper || stepper.done) stepper = new BackwardStepper(current);
    const step = stepper.step();
    if (!step) return;
    drawing.refresh();
    drawing.highlight(step);
    const name = names.get(step.node) ?? "?";
    stepStatus.textContent = `Step ${
      step.index + 1
    } of ${stepper.total}: ${name}${
      stepper.done
        ? " — done: every grad is filled in, as backward() would."
        : ""
    }`;
    formula.textContent = step.formulas.join("\n");
    formula.dataset.node = step.node.label;
    updateStepButton();
    if (stepper.done) updateNudge();
  }

  function zeroGrads(): void {
    for (const value of order) value.grad = 0;
    stepper = null;
    drawing.highlight(null);
    drawing.refresh();
    stepStatus.textContent = "Every grad set to 0.";
    formula.textContent = "";
    updateStepButton();
  }

  function nudgeH(): number {
    const h = Number(nudgeSlider.value);
    return Number.isFinite(h) ? h : 0;
  }

  function selectLeaf(leaf: Value | null): void {
    selectedLeaf = leaf;
    drawing.select(leaf);
    const index = leaf ? leaves.indexOf(leaf) : -1;
    if (index >= 0) nudgeSelect.value = String(index);
    updateNudge();
  }

  function updateNudge(): void {
    const h = nudgeH();
    nudgeValue.textContent = String(h);
    nudgeApply.disabled = !current || !selectedLeaf || h === 0;
    if (!current || !selectedLeaf) {
      nudgeReadout.textContent = "No leaf to nudge.";
      return;
    }
    const leafName = names.get(selectedLeaf) ?? "x";
    const out = outputName();
    const result = nudgeLeaf(current, selectedLeaf, h);
    const lines = [
      `${leafName}: ${formatShortNumber(result.before)} → ${
        formatShortNumber(result.after)
      }`,
      `${out}: ${formatShortNumber(result.outputBefore)} → ${
        formatShortNumber(result.outputAfter)
      }`,
      h === 0
        ? "move the slider: h = 0 gives no slope"
        : `slope (${out}(${leafName}+h) - ${out}(${leafName})) / h = ${
          formatShortNumber(result.slope)
        }`,
      `autograd d${out}/d${leafName} = ${formatShortNumber(result.gradient)}`,
    ];
    nudgeReadout.textContent = lines.join("\n");
    nudgeReadout.dataset.slope = String(result.slope);
    nudgeReadout.dataset.gradient = String(result.gradient);
  }

  function applyNudge(): void {
    if (!current || !selectedLeaf) return;
    selectedLeaf.data += nudgeH();
    forward();
    stepStatus.textContent = `${
      names.get(selectedLeaf)
    } nudged by ${nudgeH()}; forward pass rerun, grads cleared.`;
  }

  // ---- Wiring ----
  listen(textarea, "input", scheduleParse);
  listen(presetSelect, "change", () => {
    const id = presetSelect.value;
    sampleRow.hidden = id !== TRAINING_EXAMPLE_PRESET_ID;
    if (id === TRAINING_EXAMPLE_PRESET_ID) {
      void showTrainingExample();
      return;
    }
    const preset = PRESETS.find((candidate) => candidate.id === id);
    if (!preset) return;
    textarea.value = preset.source;
    if (parseTimer !== null) clearTimeout(parseTimer);
    parseAndShow(true);
    presetSelect.value = id;
  });
  listen(sampleInput, "change", () => void showTrainingExample());
  listen(sampleRefresh, "click", () => void showTrainingExample());
  listen(forwardButton, "click", forward);
  listen(backwardButton, "click", backward);
  listen(stepButton, "click", stepBackward);
  listen(zeroButton, "click", zeroGrads);
  listen(
    nudgeSelect,
    "change",
    () => selectLeaf(leaves[Number(nudgeSelect.value)] ?? null),
  );
  listen(nudgeSlider, "input", updateNudge);
  listen(nudgeApply, "click", applyNudge);
  listen(zoomIn, "click", () => drawing.zoom(1.25));
  listen(zoomOut, "click", () => drawing.zoom(0.8));
  listen(zoomFit, "click", () => drawing.fit());
  listen(exportDot, "click", () => {
    if (current) {
      download(document, "graph.dot", "text/vnd.graphviz", toDot(current));
    }
  });
  listen(exportSvg, "click", () => {
    if (current) {
      download(document, "graph.svg", "image/svg+xml", drawing.exportSvg());
    }
  });
  let resizeObserver: ResizeObserver | null = null;
  if (view && "ResizeObserver" in view) {
    let sizedWidth = -1;
    resizeObserver = new view.ResizeObserver(() => {
      drawing.resized();
      // A new width changes the height the graph needs (it is drawn larger
      // or smaller). Sized on the next frame: changing an observed
      // element's size inside the callback is a ResizeObserver loop error.
      const width = frame.clientWidth;
      if (width === sizedWidth) return;
      sizedWidth = width;
      view.requestAnimationFrame(() => sizeFrame());
    });
    resizeObserver.observe(frame);
  }

  const initial = options.source ?? PRESETS[0].source;
  textarea.value = initial;
  parseAndShow(true);
  if (options.source === undefined) presetSelect.value = PRESETS[0].id;

  return {
    element: root,
    setSource(source: string): void {
      textarea.value = source;
      presetSelect.value = "";
      sampleRow.hidden = true;
      if (parseTimer !== null) clearTimeout(parseTimer);
      parseAndShow(true);
    },
    get root(): Value | null {
      return current;
    },
    fit(): void {
      sizeFrame();
      drawing.fit();
    },
    destroy(): void {
      if (parseTimer !== null) clearTimeout(parseTimer);
      generation++;
      resizeObserver?.disconnect();
      for (const cleanup of cleanups) cleanup();
      root.remove();
    },
  };
}
