/**
 * The graph explorer: type a small program, see its computation graph, run
 * the forward and backward passes (all at once or one node at a time), nudge
 * a leaf to check a gradient numerically, and export what is drawn.
 *
 * `mountExplorer(container)` builds the whole view inside `container` with
 * DOM APIs only (user text is only ever assigned to `textContent` or form
 * values). Stable ids for tests: `expr`, `expr-error`, `forward`, `backward`,
 * `step-backward`, `graph-view`, `collapse`, `accumulate`, `buggy-engine`,
 * `layout-direction`, `anomaly`; every value box carries `data-label`,
 * `data-data` and `data-grad`. Above the graph, the guided lessons
 * (`lessons_view.ts`: `lessons`, `lesson-check`, `lesson-result`, …;
 * `lesson=N` in the address); below the controls, the program in PyTorch
 * (`pytorch_panel.ts`: `pytorch-code`, `pytorch-copy`).
 *
 * Every action acts on the program as it is in the box at that moment: a
 * pending re-parse (typing waits for a pause) is done first. Parsing and
 * building the graph are linear in the program's length and the value
 * limit is checked before any layout; a big graph is laid out and drawn in
 * slices of a few milliseconds, so the page never freezes.
 *
 * @module
 */

import { findAnomaly } from "../../src/anomaly.ts";
import { topologicalOrder, type Value } from "../../src/engine.ts";
import { toDot } from "../../src/graph.ts";
import { nodeNames } from "../../src/graph_format.ts";
import { collapseNeurons } from "./collapse.ts";
import { mountDerivativeView } from "./derivative.ts";
import {
  button,
  checkbox,
  download,
  html,
  labelledInput,
  liveRegion,
} from "./dom.ts";
import { CHARACTER_WIDTH, fittedViewHeight, GraphDrawing } from "./drawing.ts";
import { formatShortNumber } from "./format.ts";
import { recomputeData } from "./forward.ts";
import {
  type ExplorerHashState,
  readExplorerHash,
  writeExplorerHash,
} from "./hash.ts";
import {
  type GraphLayout,
  type LayoutDirection,
  layoutGraph,
  type LayoutOptions,
  layoutSteps,
} from "./layout.ts";
import type { ProgressStorage, TrainingSummary } from "./lessons.ts";
import { type LessonsPanel, mountLessons } from "./lessons_view.ts";
import { TrainingFollower } from "./live.ts";
import { nudgeLeaf } from "./nudge.ts";
import {
  evaluateProgram,
  FUNCTION_NAMES,
  ParseError,
  parseProgram,
  type Program,
} from "./parser.ts";
import {
  PRESETS,
  TRAINING_EXAMPLE_PRESET_ID,
  type TrainingExample,
  trainingExampleGraph,
} from "./presets.ts";
import { mountPytorchPanel } from "./pytorch_panel.ts";
import { CancelledError, runSliced } from "./slicing.ts";
import { formatProgramNumber, replaceAssignedNumber } from "./source_edit.ts";
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
  /**
   * The training view's progress reports, so the training example can
   * follow training live: subscribe `listener` (called with each report's
   * `running`, or `undefined` for a new run) and return an unsubscribe
   * function. Without it the example is rebuilt only on request.
   */
  trainingReports?: (
    listener: (running: boolean | undefined) => void,
  ) => () => void;
  /** Milliseconds between the last keystroke and re-parsing. Default 200. */
  parseDelay?: number;
  /**
   * Keep the program (or the example) in the page address, so a reload or
   * a link shows it again; `initialHash` is the address's hash as the page
   * opened (other parts of the page may rewrite it before the explorer is
   * mounted). Default: not kept.
   */
  address?: { initialHash: string };
  /** What the guided lessons need from the rest of the page. */
  lessons?: {
    /** The moons demo in the training view (default `#view=training`). */
    moonsLink?: string;
    /** The training view's state, for the last lesson. */
    training?: () => TrainingSummary | null;
    /** Where the passed lessons are kept (default: none). */
    storage?: ProgressStorage | null;
  };
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
  /** Put the explorer's keys back into the address (after another part rewrote it). */
  writeAddress(): void;
  /** Show the program or example of an address hash (after the visitor edited it). */
  readAddress(hash: string): void;
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
.explorer .explorer-options { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; font-size: 0.9em; }
.explorer .explorer-check { font-weight: 400; white-space: nowrap; }
.explorer .anomaly { color: #c92a2a; font-size: 0.9em; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.explorer .anomaly:empty { display: none; }
.explorer .pytorch-panel summary { font-weight: 600; font-size: 0.9em; cursor: pointer; }
.explorer .pytorch-code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; background: #f8f9fa; border: 1px solid #e9ecef; border-radius: 4px; padding: 6px; margin: 6px 0 0; overflow-x: auto; max-height: 24em; overflow-y: auto; }
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

/** Up to this many values a graph is laid out and drawn at once (a few ms). */
const IMMEDIATE_LAYOUT_VALUES = 300;

/** Narrower graph views than this grow top to bottom in the "auto" direction. */
const NARROW_VIEW = 560;

/** How long the address waits after the last change before it is rewritten (ms). */
const ADDRESS_DELAY = 300;

/** What the box shows while the training example is drawn. */
const TRAINING_EXAMPLE_TEXT =
  "# One training example through the current MLP: this graph is built\n" +
  "# from the network's weights, not from a program. Type a program here\n" +
  "# (or pick an example) to replace it.\n";

/** What the box shows while a graph drawn by a lesson is shown. */
const LESSON_GRAPH_TEXT =
  "# A graph drawn by the lesson (not from a program). Type a program\n" +
  "# here (or pick an example) to replace it.\n";

/** The graph the actions act on, and where it came from. */
interface ExplorerGraph {
  output: Value;
  /** Topological order, inputs first. */
  order: Value[];
  names: Map<Value, string>;
  /** Labelled leaves (every leaf when none is labelled): what can be nudged. */
  leaves: Value[];
  /** The program it was built from; null for a training example. */
  program: Program | null;
  caption: string;
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
  const [sampleLabel, sampleInput] = labelledInput(
    document,
    "point-index",
    "Training point #",
    { type: "number", min: "0", step: "1", value: "0" },
  );
  sampleInput.style.width = "6em";
  const sampleRefresh = button(document, "explorer-refresh", "Refresh", {
    title: "Rebuild with the current weights",
  });
  const [followLabel, followBox] = checkbox(
    document,
    "follow-training",
    "Follow training",
    "While the training view trains, redraw this point's graph with the current weights (about twice a second)",
  );
  followBox.checked = true;
  sampleRow.append(sampleLabel, sampleInput, sampleRefresh, followLabel);

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
    `One assignment per line (or separated by ;), like y = tanh(w*x + b). Numbers, earlier names, + - * / ** ( ) and ${
      FUNCTION_NAMES.join(", ")
    }; # starts a comment. Each name is assigned once; the last one is the output.`,
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
  const engineOptions = html(document, "div", { class: "explorer-options" });
  const [accumulateLabel, accumulateBox] = checkbox(
    document,
    "accumulate",
    "accumulate (don't zero grads)",
    "Backward adds to the leaves' grads, as PyTorch's does: press it twice and they double",
  );
  const [buggyLabel, buggyBox] = checkbox(
    document,
    "buggy-engine",
    "buggy engine (= instead of +=)",
    "The lecture's bug: each contribution replaces the grad instead of adding to it, so b = a + a gives a.grad = 1",
  );
  engineOptions.append(accumulateLabel, buggyLabel);
  const stepStatus = liveRegion(document, "div", "step-status", "step-status");
  const formula = html(document, "pre", {
    id: "step-formula",
    class: "step-formula",
  });
  const anomalyArea = liveRegion(document, "p", "anomaly", "anomaly");

  const nudgeSet = html(document, "fieldset", { id: "nudge-panel" });
  nudgeSet.appendChild(html(document, "legend", {}, "Nudge a leaf"));
  const nudgeRow = html(document, "div", { class: "explorer-row" });
  const nudgeLeafLabel = html(document, "label", { for: "nudge-leaf" }, "Leaf");
  const nudgeSelect = html(document, "select", { id: "nudge-leaf" });
  nudgeRow.append(nudgeLeafLabel, nudgeSelect);
  const nudgeSliderRow = html(document, "div", { class: "explorer-row" });
  const [nudgeSliderLabel, nudgeSlider] = labelledInput(
    document,
    "nudge",
    "h",
    { ...NUDGE_RANGE, value: "0.001" },
  );
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
    title: "Add h to the leaf (in the program too) and recompute the graph",
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
  passesColumn.append(buttons, engineOptions, stepStatus, formula, anomalyArea);
  controls.append(programColumn, passesColumn, nudgeSet);

  const canvas = html(document, "div", { class: "explorer-canvas" });
  const tools = html(document, "div", { class: "explorer-view-tools" });
  const zoomIn = button(document, "zoom-in", "+", { "aria-label": "Zoom in" });
  const zoomOut = button(document, "zoom-out", "−", {
    "aria-label": "Zoom out",
  });
  const zoomFit = button(document, "zoom-fit", "Fit");
  const [collapseLabel, collapseBox] = checkbox(
    document,
    "collapse",
    "collapse",
    "Draw each neuron as one box, relu(w·x+b), its weights and bias inside",
  );
  const directionSelect = html(document, "select", {
    id: "layout-direction",
    "aria-label": "Layout direction",
  });
  for (
    const [value, text] of [
      ["auto", "auto"],
      ["right", "left to right"],
      ["down", "top to bottom"],
    ]
  ) {
    directionSelect.appendChild(html(document, "option", { value }, text));
  }
  const caption = html(document, "span", {
    id: "graph-caption",
    class: "explorer-caption",
  });
  tools.append(
    zoomIn,
    zoomOut,
    zoomFit,
    collapseLabel,
    directionSelect,
    caption,
    exportRow,
  );
  const drawing = new GraphDrawing(document, {
    onLeafClick: (leaf) => selectLeaf(leaf),
  });
  drawing.svg.id = "graph-view";
  // The frame sets the drawing's height and lets the user drag it taller.
  const frame = html(document, "div", { class: "graph-frame" });
  frame.appendChild(drawing.svg);
  canvas.append(tools, frame);
  root.append(canvas, controls);
  const pytorch = mountPytorchPanel(document, () => flush());
  root.append(pytorch.element);
  const derivative = mountDerivativeView(document);
  root.append(derivative.element);
  container.appendChild(root);

  const view = document.defaultView;
  const lessons: LessonsPanel = mountLessons(document, {
    choosePreset: (id) => choosePreset(id),
    explorerState: () => {
      const shown = flush();
      const grads: Record<string, number> = {};
      for (const value of shown?.order ?? []) {
        if (value.label) grads[value.label] = value.grad;
      }
      return {
        source: textarea.value,
        backwardRan: shown !== null && backwardRan,
        buggy: buggyBox.checked,
        grads,
      };
    },
    derivativeState: () => derivative.state(),
    showDerivative: () => {
      derivative.reset(0.5);
      derivative.resized();
    },
    showPytorch: () => {
      flush();
      pytorch.open();
    },
    showGraph: (output, captionText) => {
      uncollapseAfterTrainingExample();
      generation++;
      if (parseTimer !== null) clearTimeout(parseTimer);
      parseTimer = null;
      textarea.value = LESSON_GRAPH_TEXT;
      textDirty = false;
      presetSelect.value = "";
      sampleRow.hidden = true;
      setGraph(output, null, captionText, true);
      scheduleAddress();
      updateFollowing();
    },
    lessonChanged: () => scheduleAddress(),
    training: options.lessons?.training ?? (() => null),
    moonsLink: options.lessons?.moonsLink ?? "#view=training",
    storage: options.lessons?.storage ?? null,
  });
  root.insertBefore(lessons.element, canvas);

  // ---- State ----
  /** The graph the view's height is fitted to (not changed by typing). */
  let sizedFor: GraphLayout | null = null;
  /** The inline height this code last gave the frame ("" at first). */
  let frameHeight = "";
  /** Once the user drags the frame's height, it is theirs to keep. */
  let userSizedFrame = false;
  /** What the actions act on; null while the program in the box is wrong. */
  let graph: ExplorerGraph | null = null;
  let stepper: BackwardStepper | null = null;
  let selectedLeaf: Value | null = null;
  /** Whether grads were computed (Backward, or Step backward to the end). */
  let backwardRan = false;
  let parseTimer: ReturnType<typeof setTimeout> | null = null;
  /** The box was edited since it was last parsed. */
  let textDirty = false;
  /** Bumped for every new graph request, so a slow training example cannot overwrite a newer graph. */
  let generation = 0;
  /** Bumped for every layout, so a sliced one that is overtaken stops. */
  let layoutRun = 0;
  /** The direction the drawn layout grows in. */
  let drawnDirection: LayoutDirection = "right";
  let addressTimer: ReturnType<typeof setTimeout> | null = null;
  /** `collapse` was checked by the training example, not by the user. */
  let autoCollapsed = false;
  /** What the caption says after the graph's own caption (the collapse). */
  let captionSuffix = "";
  /** Redraws the training example while the training view trains. */
  const follower = new TrainingFollower({
    refresh: refreshTrainingExample,
    onLiveChange: (live) => {
      drawing.svg.dataset.live = String(live);
    },
  });
  drawing.svg.dataset.live = "false";
  const unsubscribeReports = options.trainingReports?.((running) =>
    follower.report(running)
  );

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

  /** The program in the box does not make a graph: nothing to act on. */
  function refuse(error: unknown): void {
    showError(error);
    pytorch.show("error");
    graph = null;
    stepper = null;
    layoutRun++;
    drawing.setStale(true);
    drawing.svg.removeAttribute("aria-busy");
    updateButtons();
  }

  /**
   * Make `output` the graph the actions act on, and draw it. With
   * `sizeView` the graph view's height is fitted to it; typing passes
   * false, so the program box below the view stays put while the user
   * types in it.
   */
  function setGraph(
    output: Value,
    program: Program | null,
    captionText: string,
    sizeView: boolean,
  ): void {
    const order = topologicalOrder(output);
    const names = nodeNames(order);
    let leaves = order.filter((value) => value.op === "" && value.label !== "");
    if (leaves.length === 0) leaves = order.filter((value) => value.op === "");
    const previousLeaf = selectedLeaf?.label ?? "";
    graph = { output, order, names, leaves, program, caption: captionText };
    pytorch.show(program);
    stepper = null;
    backwardRan = false;
    clearError();
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
    const keep = previousLeaf
      ? leaves.find((leaf) => leaf.label === previousLeaf)
      : undefined;
    selectLeaf(keep ?? leaves[0] ?? null);
    stepStatus.textContent =
      `${order.length} values. Forward has run; press Backward or Step backward.`;
    formula.textContent = "";
    updateButtons();
    updateAnomaly();
    startLayout(sizeView);
  }

  function currentDirection(): LayoutDirection {
    const chosen = directionSelect.value;
    if (chosen === "right" || chosen === "down") return chosen;
    const width = frame.clientWidth;
    return width > 0 && width < NARROW_VIEW ? "down" : "right";
  }

  /**
   * Lay out and draw the current graph: at once when it is small, else in
   * slices (the old drawing is dimmed meanwhile). A newer layout stops an
   * older one.
   */
  function startLayout(sizeView: boolean): void {
    const shown = graph;
    if (!shown) return;
    const run = ++layoutRun;
    const collapsed = collapseBox.checked
      ? collapseNeurons(shown.output)
      : null;
    const folded = collapsed && collapsed.neurons > 0 ? collapsed : null;
    const layoutRoot = folded?.root ?? shown.output;
    const size = folded ? folded.realOf.size : shown.order.length;
    const layoutOptions: LayoutOptions = {
      characterWidth: CHARACTER_WIDTH,
      direction: currentDirection(),
      symbols: folded?.symbols,
    };
    const finish = (layout: GraphLayout): void => {
      drawnDirection = layout.direction;
      drawing.svg.removeAttribute("aria-busy");
      if (sizeView) {
        sizedFor = layout;
        sizeFrame();
      }
      drawing.fit();
      drawing.select(selectedLeaf);
      drawing.markAnomaly(currentAnomaly);
      captionSuffix = folded ? ` (${folded.neurons} neurons collapsed)` : "";
      caption.textContent = shown.caption + captionSuffix;
    };
    if (size <= IMMEDIATE_LAYOUT_VALUES) {
      const layout = layoutGraph(layoutRoot, layoutOptions);
      drawing.draw(layout, folded?.realOf, folded?.ownerOf);
      finish(layout);
      return;
    }
    drawing.setStale(true);
    drawing.svg.setAttribute("aria-busy", "true");
    caption.textContent = `Laying out ${size} values…`;
    const cancelled = (): boolean => run !== layoutRun;
    runSliced(layoutSteps(layoutRoot, layoutOptions), cancelled)
      .then(async (layout) => {
        await runSliced(
          drawing.drawSteps(layout, folded?.realOf, folded?.ownerOf),
          cancelled,
        );
        finish(layout);
      })
      .catch((error) => {
        if (error instanceof CancelledError) return;
        refuse(error);
      });
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

  /** Parse the program in the box now and act on it; `sizeView` as for {@linkcode setGraph}. */
  function parseNow(sizeView: boolean): void {
    if (parseTimer !== null) clearTimeout(parseTimer);
    parseTimer = null;
    textDirty = false;
    generation++;
    updateFollowing(); // a program is not the training example
    let program: Program;
    try {
      program = parseProgram(textarea.value);
    } catch (error) {
      refuse(error);
      return;
    }
    // The limit first, from the parse alone: nothing is built, let alone
    // laid out, for a graph too big to draw.
    if (program.valueCount > MAXIMUM_VALUES) {
      refuse(
        new Error(
          `this program makes more than ${MAXIMUM_VALUES} values (${program.valueCount}); the explorer draws at most that many`,
        ),
      );
      return;
    }
    let evaluated;
    try {
      evaluated = evaluateProgram(program);
    } catch (error) {
      refuse(error);
      return;
    }
    setGraph(
      evaluated.output,
      evaluated.program,
      `Output: ${evaluated.output.label}`,
      sizeView,
    );
  }

  /**
   * Bring the graph up to date with the box before an action: a pending
   * re-parse is done now. Returns the graph to act on, or null (the error
   * is shown).
   */
  function flush(): ExplorerGraph | null {
    if (parseTimer !== null || textDirty) parseNow(false);
    return graph;
  }

  function scheduleParse(): void {
    textDirty = true;
    uncollapseAfterTrainingExample();
    if (parseTimer !== null) clearTimeout(parseTimer);
    parseTimer = setTimeout(() => {
      parseNow(false);
      scheduleAddress();
    }, parseDelay);
    if (presetSelect.value !== "") {
      presetSelect.value = "";
      sampleRow.hidden = true;
    }
    updateFollowing();
  }

  async function showTrainingExample(): Promise<void> {
    const provider = options.trainingExample;
    if (!provider) return;
    const request = ++generation;
    if (parseTimer !== null) clearTimeout(parseTimer);
    parseTimer = null;
    // The box says what is drawn, so no earlier program is left in it.
    textarea.value = TRAINING_EXAMPLE_TEXT;
    textDirty = false;
    clearError();
    const index = Math.max(0, Math.floor(Number(sampleInput.value) || 0));
    caption.textContent = "Building the graph of one training example…";
    try {
      const example = await provider(index);
      if (request !== generation) return;
      if (!example) {
        refuse(
          new Error(
            "No trained model is available yet: open the training view first.",
          ),
        );
        return;
      }
      const output = trainingExampleGraph(example);
      if (request !== generation) return;
      if (example.index !== undefined) {
        sampleInput.value = String(example.index);
      }
      setGraph(output, null, trainingExampleCaption(example), true);
      scheduleAddress();
      updateFollowing();
    } catch (error) {
      if (request !== generation) return;
      refuse(error);
    }
  }

  /** Whether the drawn graph is the training example and follows training. */
  function following(): boolean {
    return options.trainingReports !== undefined && followBox.checked &&
      presetSelect.value === TRAINING_EXAMPLE_PRESET_ID &&
      textarea.value === TRAINING_EXAMPLE_TEXT && !textDirty;
  }

  /** Start or stop following after the preset, the box or the checkbox changed. */
  function updateFollowing(): void {
    follower.setEnabled(following());
  }

  /**
   * The training example with the current weights (a live refresh): when
   * the network has the same shape, the drawn values take the new numbers
   * in place (zoom, selection and collapse stay; grads are recomputed if
   * Backward had run), else the graph is rebuilt. False while a
   * step-by-step backward pass is in progress: the graph holds still
   * for it, and the refresh is tried again later.
   */
  async function refreshTrainingExample(): Promise<boolean> {
    const provider = options.trainingExample;
    if (!provider || !following()) return true;
    if (stepper && stepper.position > 0 && !stepper.done) return false;
    const request = generation;
    const index = Math.max(0, Math.floor(Number(sampleInput.value) || 0));
    const example = await provider(index);
    if (request !== generation || !following() || !example) return true;
    if (stepper && stepper.position > 0 && !stepper.done) return false;
    const output = trainingExampleGraph(example);
    const order = topologicalOrder(output);
    const shown = graph;
    const captionText = trainingExampleCaption(example);
    if (!shown || shown.program !== null || !sameShape(shown.order, order)) {
      setGraph(output, null, captionText, false);
      return true;
    }
    for (const [i, value] of order.entries()) shown.order[i].data = value.data;
    if (backwardRan) {
      // The grads of the new numbers, as the last pass computed them.
      clearGrads(shown);
      backwardPass(shown);
      backwardRan = true;
    } else {
      clearGrads(shown);
    }
    shown.caption = captionText;
    caption.textContent = captionText + captionSuffix;
    drawing.refresh();
    updateButtons();
    updateNudge();
    updateAnomaly();
    return true;
  }

  function updateButtons(): void {
    const total = graph?.order.length ?? 0;
    if (!stepper || stepper.position === 0) {
      stepButton.textContent = "Step backward";
    } else if (stepper.done) {
      stepButton.textContent = "Step backward (restart)";
    } else {
      stepButton.textContent = `Step backward (${stepper.position}/${total})`;
    }
  }

  function outputName(): string {
    return graph ? graph.names.get(graph.output) ?? "output" : "output";
  }

  let currentAnomaly: Value | null = null;

  /** Say where a NaN or infinity was born, and why (findAnomaly). */
  function updateAnomaly(): void {
    const anomaly = graph ? findAnomaly(graph.output) : null;
    currentAnomaly = anomaly?.node ?? null;
    drawing.markAnomaly(currentAnomaly);
    if (!anomaly || !graph) {
      anomalyArea.textContent = "";
      delete anomalyArea.dataset.node;
      return;
    }
    const name = graph.names.get(anomaly.node) ?? "?";
    const value = anomaly.node[anomaly.field];
    anomalyArea.textContent = `${name}.${anomaly.field} is ${value}: ${
      anomaly.message.replace(/ at node #\d+( \(label [^)]*\))?/, ` at ${name}`)
    }. Everything computed from it is ${value} too.`;
    anomalyArea.dataset.node = name;
  }

  /** Every grad to 0 and no step in progress. */
  function clearGrads(shown: ExplorerGraph): void {
    for (const value of shown.order) value.grad = 0;
    stepper = null;
    backwardRan = false;
  }

  /** The drawing, the buttons, the nudge and the anomaly after grads or data changed. */
  function afterPass(): void {
    drawing.refresh();
    updateButtons();
    updateNudge();
    updateAnomaly();
  }

  function forward(): void {
    const shown = flush();
    if (!shown) return;
    recomputeData(shown.order);
    const keep = accumulateBox.checked;
    if (!keep) clearGrads(shown);
    stepper = null;
    drawing.highlight(null);
    stepStatus.textContent =
      `Forward pass: ${shown.order.length} values computed from the leaves, inputs first.${
        keep ? " Grads kept (accumulate is on)." : " Grads cleared."
      }`;
    formula.textContent = `${outputName()}.data = ${shown.output.data}`;
    afterPass();
  }

  /** Every grad at once, with the engine chosen (the buggy one or the library's). */
  function backwardPass(shown: ExplorerGraph): void {
    if (buggyBox.checked) {
      new BackwardStepper(shown.output, { buggy: true }).finish();
    } else {
      shown.output.backward();
    }
  }

  function backward(): void {
    const shown = flush();
    if (!shown) return;
    const accumulate = accumulateBox.checked;
    const buggy = buggyBox.checked;
    // Zeroed first unless accumulating, so pressing Backward twice shows
    // the same grads; with accumulate the leaves add up, as in PyTorch
    // (the library's backward() accumulates into leaves).
    if (!accumulate) clearGrads(shown);
    backwardPass(shown);
    stepper = null;
    backwardRan = true;
    drawing.highlight(null);
    stepStatus.textContent = `Backward pass${
      buggy ? " (buggy engine: = instead of +=)" : ""
    }: d ${outputName()} / d(every value), all ${shown.order.length} nodes in reverse topological order.${
      accumulate && !buggy
        ? " Leaf grads accumulate (added to what they held)."
        : ""
    }`;
    formula.textContent = shown.leaves
      .map((leaf) =>
        `d ${outputName()} / d ${shown.names.get(leaf)} = ${
          formatShortNumber(leaf.grad)
        }`
      )
      .join("\n");
    afterPass();
  }

  function stepBackward(): void {
    const shown = flush();
    if (!shown) return;
    if (!stepper || stepper.done) {
      stepper = new BackwardStepper(shown.output, { buggy: buggyBox.checked });
      backwardRan = false;
    }
    const step = stepper.step();
    if (!step) return;
    drawing.refresh();
    drawing.highlight(step);
    const name = shown.names.get(step.node) ?? "?";
    const where = drawing.isHidden(step.node)
      ? " (inside the lit neuron box)"
      : "";
    stepStatus.textContent = `Step ${
      step.index + 1
    } of ${stepper.total}: ${name}${where}${
      stepper.done
        ? " — done: every grad is filled in, as backward() would."
        : ""
    }`;
    formula.textContent = step.formulas.join("\n");
    formula.dataset.node = step.node.label;
    if (stepper.done) {
      backwardRan = true;
      updateNudge();
      updateAnomaly();
    }
    updateButtons();
  }

  function zeroGrads(): void {
    const shown = flush();
    if (!shown) return;
    clearGrads(shown);
    drawing.highlight(null);
    stepStatus.textContent = "Every grad set to 0.";
    formula.textContent = "";
    afterPass();
  }

  function nudgeH(): number {
    const h = Number(nudgeSlider.value);
    return Number.isFinite(h) ? h : 0;
  }

  function selectLeaf(leaf: Value | null): void {
    selectedLeaf = leaf;
    drawing.select(leaf);
    const index = leaf && graph ? graph.leaves.indexOf(leaf) : -1;
    if (index >= 0) nudgeSelect.value = String(index);
    updateNudge();
  }

  function updateNudge(): void {
    const h = nudgeH();
    nudgeValue.textContent = String(h);
    nudgeApply.disabled = !graph || !selectedLeaf || h === 0;
    delete nudgeReadout.dataset.gradient;
    if (!graph || !selectedLeaf) {
      nudgeReadout.textContent = "No leaf to nudge.";
      delete nudgeReadout.dataset.slope;
      return;
    }
    const leafName = graph.names.get(selectedLeaf) ?? "x";
    const out = outputName();
    const result = nudgeLeaf(graph.output, selectedLeaf, h);
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
    ];
    if (backwardRan) {
      // The grad the graph holds: with accumulate or the buggy engine it
      // differs from the slope, which is the point of those toggles.
      const gradient = selectedLeaf.grad;
      lines.push(`autograd ${leafName}.grad = ${formatShortNumber(gradient)}`);
      nudgeReadout.dataset.gradient = String(gradient);
    } else {
      lines.push("autograd: press Backward to compare with the slope");
    }
    nudgeReadout.textContent = lines.join("\n");
    nudgeReadout.dataset.slope = String(result.slope);
  }

  function applyNudge(): void {
    const shown = flush();
    if (!shown || !selectedLeaf) return;
    const leaf = selectedLeaf;
    const h = nudgeH();
    const name = shown.names.get(leaf) ?? "the leaf";
    const next = leaf.data + h;
    const source = shown.program && leaf.label
      ? replaceAssignedNumber(shown.program, leaf.label, next)
      : null;
    if (source !== null) {
      // The program says the new number too: the box and the graph agree.
      textarea.value = source;
      presetSelect.value = "";
      parseNow(false);
      scheduleAddress();
      stepStatus.textContent =
        `${name} nudged by ${h}: the program now says ${leaf.label} = ${
          formatProgramNumber(next)
        }; graph rebuilt, grads cleared.`;
      return;
    }
    leaf.data = next;
    forward();
    stepStatus.textContent =
      `${name} nudged by ${h}; forward pass rerun, grads cleared.`;
  }

  // ---- The address ----

  function addressState(): ExplorerHashState {
    const lesson = lessons.current() ?? undefined;
    const preset = presetSelect.value;
    if (preset === TRAINING_EXAMPLE_PRESET_ID) {
      return {
        preset,
        point: Math.max(0, Math.floor(Number(sampleInput.value) || 0)),
        lesson,
      };
    }
    const known = PRESETS.find((candidate) => candidate.id === preset);
    if (known && known.source === textarea.value) return { preset, lesson };
    // A graph a lesson drew is not a program: the lesson stands for it.
    if (textarea.value === LESSON_GRAPH_TEXT) return { lesson };
    return { program: textarea.value, lesson };
  }

  function writeAddress(): void {
    if (addressTimer !== null) clearTimeout(addressTimer);
    addressTimer = null;
    if (!options.address || !view) return;
    const hash = writeExplorerHash(view.location.hash, addressState());
    if (hash !== view.location.hash) {
      view.history.replaceState(
        view.history.state,
        "",
        hash === "" ? view.location.pathname + view.location.search : hash,
      );
    }
  }

  function scheduleAddress(): void {
    if (!options.address) return;
    if (addressTimer !== null) clearTimeout(addressTimer);
    addressTimer = setTimeout(writeAddress, ADDRESS_DELAY);
  }

  /** Show what an address asks for; false when it asks for nothing. */
  function readAddress(hash: string): boolean {
    const state = readExplorerHash(hash);
    if (state.lesson !== undefined && state.lesson !== lessons.current()) {
      // The lesson's own program, unless the address says which.
      const bare = state.program === undefined && state.preset === undefined;
      lessons.open(state.lesson, bare);
      if (bare && graph && lessons.current() === state.lesson) return true;
    }
    if (
      state.preset === TRAINING_EXAMPLE_PRESET_ID && options.trainingExample
    ) {
      presetSelect.value = TRAINING_EXAMPLE_PRESET_ID;
      sampleRow.hidden = false;
      sampleInput.value = String(state.point ?? 0);
      collapseForTrainingExample();
      void showTrainingExample();
      return true;
    }
    const preset = PRESETS.find((candidate) => candidate.id === state.preset);
    if (state.program !== undefined) {
      if (state.program === textarea.value && graph) return true;
      textarea.value = state.program;
      presetSelect.value = preset && preset.source === state.program
        ? preset.id
        : "";
      sampleRow.hidden = true;
      parseNow(true);
      return true;
    }
    if (preset) {
      choosePreset(preset.id);
      return true;
    }
    return false;
  }

  /** Collapse neurons for a training example, unless the user chose already. */
  function collapseForTrainingExample(): void {
    if (collapseBox.checked) return;
    // Hundreds of values: one box per neuron reads better at first.
    collapseBox.checked = true;
    autoCollapsed = true;
  }

  /** Leaving the training example: undo the collapse it turned on. */
  function uncollapseAfterTrainingExample(): void {
    if (!autoCollapsed) return;
    collapseBox.checked = false;
    autoCollapsed = false;
  }

  function choosePreset(id: string): void {
    sampleRow.hidden = id !== TRAINING_EXAMPLE_PRESET_ID;
    if (id === TRAINING_EXAMPLE_PRESET_ID) {
      presetSelect.value = id;
      collapseForTrainingExample();
      void showTrainingExample();
      return;
    }
    uncollapseAfterTrainingExample();
    const preset = PRESETS.find((candidate) => candidate.id === id);
    if (!preset) {
      updateFollowing();
      return;
    }
    textarea.value = preset.source;
    parseNow(true);
    presetSelect.value = id;
    scheduleAddress();
    updateFollowing();
  }

  // ---- Wiring ----
  listen(textarea, "input", scheduleParse);
  listen(presetSelect, "change", () => choosePreset(presetSelect.value));
  listen(sampleInput, "change", () => void showTrainingExample());
  listen(sampleRefresh, "click", () => void showTrainingExample());
  listen(followBox, "change", updateFollowing);
  listen(forwardButton, "click", forward);
  listen(backwardButton, "click", backward);
  listen(stepButton, "click", stepBackward);
  listen(zeroButton, "click", zeroGrads);
  listen(buggyBox, "change", () => {
    // A step in progress was planned with the other engine.
    stepper = null;
    updateButtons();
  });
  listen(
    nudgeSelect,
    "change",
    () => {
      if (!flush()) return;
      selectLeaf(graph?.leaves[Number(nudgeSelect.value)] ?? null);
    },
  );
  listen(nudgeSlider, "input", () => {
    flush();
    updateNudge();
  });
  listen(nudgeApply, "click", applyNudge);
  listen(zoomIn, "click", () => drawing.zoom(1.25));
  listen(zoomOut, "click", () => drawing.zoom(0.8));
  listen(zoomFit, "click", () => drawing.fit());
  listen(collapseBox, "change", () => {
    autoCollapsed = false;
    if (flush()) startLayout(true);
  });
  listen(directionSelect, "change", () => {
    if (flush()) startLayout(true);
  });
  listen(exportDot, "click", () => {
    const shown = flush();
    if (shown) {
      download(document, "graph.dot", "text/vnd.graphviz", toDot(shown.output));
    }
  });
  listen(exportSvg, "click", () => {
    // The drawing of the text as it is now: laid out at once if needed.
    const shown = flush();
    if (shown) {
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
      view.requestAnimationFrame(() => {
        // Crossing the narrow-screen width turns an "auto" layout.
        if (graph && currentDirection() !== drawnDirection) startLayout(true);
        else sizeFrame();
      });
    });
    resizeObserver.observe(frame);
  }

  if (
    !(options.address && options.source === undefined &&
      readAddress(options.address.initialHash))
  ) {
    const initial = options.source ?? PRESETS[0].source;
    textarea.value = initial;
    parseNow(true);
    if (options.source === undefined) presetSelect.value = PRESETS[0].id;
  }

  return {
    element: root,
    setSource(source: string): void {
      uncollapseAfterTrainingExample();
      textarea.value = source;
      presetSelect.value = "";
      sampleRow.hidden = true;
      parseNow(true);
      scheduleAddress();
      updateFollowing();
    },
    get root(): Value | null {
      return flush()?.output ?? null;
    },
    fit(): void {
      sizeFrame();
      drawing.fit();
      derivative.resized();
    },
    writeAddress,
    readAddress(hash: string): void {
      readAddress(hash);
    },
    destroy(): void {
      if (parseTimer !== null) clearTimeout(parseTimer);
      if (addressTimer !== null) clearTimeout(addressTimer);
      generation++;
      layoutRun++;
      resizeObserver?.disconnect();
      follower.stop();
      unsubscribeReports?.();
      derivative.destroy();
      for (const cleanup of cleanups) cleanup();
      root.remove();
    },
  };
}

/** The caption of a training example's graph. */
function trainingExampleCaption(example: TrainingExample): string {
  const where = example.index !== undefined
    ? ` #${example.index}${example.count ? ` of ${example.count}` : ""}`
    : "";
  return `Loss (${example.loss}) of training point${where} (${
    example.point.map((x) => formatShortNumber(x)).join(", ")
  }), class ${example.label}, through the current weights`;
}

/**
 * Whether two graphs in topological order are built alike (the same
 * operations, labels and wiring), so one can take the other's numbers.
 */
function sameShape(a: readonly Value[], b: readonly Value[]): boolean {
  if (a.length !== b.length) return false;
  const index = new Map<Value, number>();
  a.forEach((value, i) => index.set(value, i));
  const other = new Map<Value, number>();
  b.forEach((value, i) => other.set(value, i));
  return a.every((value, i) => {
    const twin = b[i];
    return value.op === twin.op && value.label === twin.label &&
      value.constant === twin.constant &&
      value.inputs.length === twin.inputs.length &&
      value.inputs.every((input, j) =>
        index.get(input) === other.get(twin.inputs[j])
      );
  });
}
