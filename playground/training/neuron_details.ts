/**
 * The network diagram's `neuron-details` panel: after a click on a neuron
 * (or Enter on it), its formula with the numbers plugged in for a chosen
 * point of the plane, e.g. `relu(0.41·x + -1.2·y + 0.33) = 0.89`, and a
 * small table of its weights and bias with their gradients (and Adam's
 * `m` and `v` while Adam runs). Each weight and the bias can be typed in:
 * Enter applies it to the running model (`setParameter` in the worker), so
 * the next step, the compiled tape and the decision grid all use it.
 *
 * The numbers are the library's, computed in the worker
 * (`neuronDetails`): the printed output is `MLP.activations` at the point.
 * The point is the one last hovered on the decision grid (the page passes
 * it to {@linkcode NeuronDetailsPanel.showPoint}), or typed in (x and y);
 * it starts at the first training point. While the point moves under the
 * pointer only the formula is recomputed (one forward pass), not the
 * full-batch gradients.
 *
 * Hooks for tests: the panel has `id="neuron-details"` and
 * `data-neuron="LAYER:INDEX"`; the formula `data-formula` (with the exact
 * output in `data-output`); each editor is an `input` with
 * `data-weight="LAYER:NEURON:INPUT"` (`INPUT` = `b` for the bias); the
 * gradient, `m` and `v` cells `data-gradient`, `data-m`, `data-v` with the
 * same key; the point's inputs `data-point="x"` and `data-point="y"`.
 *
 * @module
 */

import { formatShortNumber } from "../shared/format.ts";
import type { TrainingContext } from "../shared/views.ts";
import type { NeuronDetails, PerParameter } from "../worker/protocol.ts";
import { inputNames, neuronFormula, neuronName } from "./neuron_formula.ts";

/** Least time between two refreshes while training runs (ms). */
const REFRESH_INTERVAL = 400;

/** Least time between two formulas for a point moving under the pointer (ms). */
const HOVER_INTERVAL = 40;

/** The panel's look; the network diagram adds it to its own style sheet. */
export const NEURON_DETAILS_STYLE = `
#neuron-details { font-size: 11px; color: #344054; border-top: 1px solid #d0d5dd; margin-top: 4px; padding-top: 4px; font-variant-numeric: tabular-nums; }
#neuron-details[hidden] { display: none; }
#neuron-details .details-head { display: flex; justify-content: space-between; align-items: baseline; gap: 4px; }
#neuron-details .details-head strong { font-size: 12px; }
#neuron-details .formula { font-family: ui-monospace, monospace; overflow-wrap: anywhere; margin: 3px 0; }
#neuron-details .plugged { font-family: ui-monospace, monospace; overflow-wrap: anywhere; color: #667085; }
#neuron-details .point { display: flex; gap: 4px; align-items: center; margin: 3px 0; }
#neuron-details .point input { width: 4.5em; font-size: 11px; }
#neuron-details .table-wrap { overflow-x: auto; }
#neuron-details table { border-collapse: collapse; width: 100%; }
#neuron-details th, #neuron-details td { padding: 1px 3px; text-align: right; white-space: nowrap; }
#neuron-details th:first-child, #neuron-details td:first-child { text-align: left; }
#neuron-details td input { width: 5.5em; font-size: 10px; text-align: right; }
#neuron-details input[aria-invalid="true"] { outline: 2px solid #d92d20; }
#neuron-details .edit-status { min-height: 1.3em; }
`;

/** Control over the mounted panel. */
export interface NeuronDetailsPanel {
  /** The panel (`#neuron-details`). */
  readonly element: HTMLElement;
  /**
   * Show neuron `neuron` of layer `layer`; with `focus`, put the keyboard
   * in that weight's (or the bias's) editor.
   */
  open(layer: number, neuron: number, focus?: number | "bias"): Promise<void>;
  /** Fetch the numbers again soon (throttled; only while open). */
  refresh(): void;
  /**
   * Use `point` (the plane coordinates hovered on the decision grid) for the
   * formula from now on; while open, its numbers follow within a frame or two.
   */
  showPoint(point: readonly [number, number]): void;
  /** Hide it. */
  close(): void;
  /** Remove it and its listeners. */
  destroy(): void;
}

/** One row of the table: a weight or the bias, and its cells. */
interface Row {
  key: string;
  input: number | "bias";
  editor: HTMLInputElement;
  value: HTMLTableCellElement;
  gradient: HTMLTableCellElement;
  m: HTMLTableCellElement;
  v: HTMLTableCellElement;
}

/** Pick row `k` of a per-parameter list (the bias after the weights). */
function entry(values: PerParameter, input: number | "bias"): number {
  return input === "bias" ? values.bias : values.weights[input];
}

/**
 * Build the panel into `container` (under the network diagram). `edited`
 * is called after a weight was set, so the diagram redraws.
 */
export function mountNeuronDetails(
  container: HTMLElement,
  training: TrainingContext,
  edited: () => void,
): NeuronDetailsPanel {
  const document = container.ownerDocument;
  const panel = document.createElement("section");
  panel.id = "neuron-details";
  panel.hidden = true;
  panel.setAttribute("aria-label", "The selected neuron's arithmetic");
  container.append(panel);

  let selected: { layer: number; neuron: number } | null = null;
  let rows: Row[] = [];
  let formula: HTMLElement | null = null;
  let plugged: HTMLElement | null = null;
  let status: HTMLElement | null = null;
  let pointInputs: { x: HTMLInputElement; y: HTMLInputElement } | null = null;
  let momentCells: HTMLElement[] = [];
  let point: [number, number] = firstPoint();
  let request = 0;
  let fetching = false;
  let dirty = false;
  /** The point moved since the last fetch (only the formula is due). */
  let moved = false;
  let lastFetch = -Infinity;
  /** When the last fetch with gradients started. */
  let lastFull = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** When `timer` fires. */
  let timerDue = Infinity;

  function firstPoint(): [number, number] {
    const first = training.data().train.x[0];
    return first ? [first[0], first[1]] : [0, 0];
  }

  function cell(row: HTMLTableRowElement, text = ""): HTMLTableCellElement {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  /** The panel's structure for one neuron (numbers come with `fill`). */
  function build(details: NeuronDetails): void {
    const { layer, neuron } = details;
    panel.replaceChildren();
    panel.dataset.neuron = `${layer}:${neuron}`;
    const head = document.createElement("div");
    head.className = "details-head";
    const title = document.createElement("strong");
    title.dataset.title = "";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close the neuron's details");
    close.addEventListener("click", () => panel_.close());
    head.append(title, close);

    const where = document.createElement("div");
    where.className = "point";
    where.append("at point");
    const makePoint = (axis: "x" | "y", value: number): HTMLInputElement => {
      const input = document.createElement("input");
      input.type = "number";
      input.step = "any";
      input.value = String(value);
      input.dataset.point = axis;
      input.setAttribute("aria-label", `The point's ${axis}`);
      input.addEventListener("change", () => {
        const next = Number(input.value);
        if (input.value.trim() === "" || !Number.isFinite(next)) {
          input.setAttribute("aria-invalid", "true");
          return;
        }
        input.removeAttribute("aria-invalid");
        point = axis === "x" ? [next, point[1]] : [point[0], next];
        void fetchNow();
      });
      const label = document.createElement("label");
      label.append(`${axis} `, input);
      where.appendChild(label);
      return input;
    };
    pointInputs = {
      x: makePoint("x", point[0]),
      y: makePoint("y", point[1]),
    };

    formula = document.createElement("div");
    formula.className = "formula";
    formula.dataset.formula = "";
    plugged = document.createElement("div");
    plugged.className = "plugged";

    const table = document.createElement("table");
    const header = table.createTHead().insertRow();
    momentCells = [];
    for (const text of ["", "input", "value", "gradient", "m", "v"]) {
      const th = document.createElement("th");
      th.textContent = text;
      th.scope = "col";
      if (text === "m" || text === "v") momentCells.push(th);
      header.appendChild(th);
    }
    const body = table.createTBody();
    const names = inputNames(
      layer,
      details.parameters.weights.length,
      details.featureNames,
    );
    const inputs: (number | "bias")[] = [
      ...details.parameters.weights.map((_, i) => i),
      "bias",
    ];
    rows = inputs.map((input) => {
      const row = body.insertRow();
      const key = `${layer}:${neuron}:${input === "bias" ? "b" : input}`;
      const name = input === "bias" ? "bias" : `w·${names[input]}`;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      row.appendChild(th);
      const value = cell(row);
      const editorCell = cell(row);
      const editor = document.createElement("input");
      editor.type = "text";
      editor.inputMode = "decimal";
      editor.dataset.weight = key;
      editor.setAttribute(
        "aria-label",
        `${name} of neuron ${layer}:${neuron}: type a value, then Enter`,
      );
      editor.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          void apply(layer, neuron, input, editor);
        } else if (event.key === "Escape") {
          editor.value = editor.dataset.current ?? editor.value;
          editor.removeAttribute("aria-invalid");
        }
      });
      editorCell.appendChild(editor);
      const gradient = cell(row);
      gradient.dataset.gradient = key;
      const m = cell(row);
      m.dataset.m = key;
      const v = cell(row);
      v.dataset.v = key;
      momentCells.push(m, v);
      return { key, input, editor, value, gradient, m, v };
    });
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.appendChild(table);
    status = document.createElement("div");
    status.className = "edit-status";
    status.setAttribute("aria-live", "polite");
    panel.append(head, where, formula, plugged, wrap, status);
  }

  /** Write the numbers of `details` into the built panel. */
  function fill(details: NeuronDetails): void {
    const { layer, neuron } = details;
    const title = panel.querySelector<HTMLElement>("[data-title]");
    if (title) {
      title.textContent = `Neuron ${
        neuronName(layer, neuron, details.layerCount)
      } (${details.activation}), step ${details.stepCount}`;
    }
    const names = inputNames(
      layer,
      details.parameters.weights.length,
      details.featureNames,
    );
    const parts = neuronFormula({
      activation: details.activation,
      names,
      inputs: details.inputs,
      weights: details.parameters.weights,
      bias: details.parameters.bias,
      output: details.output,
    });
    if (formula) {
      formula.textContent = parts.symbolic;
      formula.dataset.output = String(details.output);
    }
    if (plugged) {
      plugged.textContent = `at (${formatShortNumber(details.point[0])}, ${
        formatShortNumber(details.point[1])
      }): ${parts.plugged}`;
    }
    const moments = details.moments;
    for (const element of momentCells) element.hidden = moments === null;
    const gradients = details.gradients;
    for (const row of rows) {
      const value = entry(details.parameters, row.input);
      row.value.textContent = row.input === "bias"
        ? "1"
        : formatShortNumber(details.inputs[row.input]);
      row.editor.dataset.current = String(value);
      // Never overwrite what someone is typing.
      if (document.activeElement !== row.editor) {
        row.editor.value = String(value);
      }
      // A hover's details have no gradients: the last ones stay.
      if (gradients !== null) {
        const gradient = entry(gradients, row.input);
        row.gradient.textContent = formatShortNumber(gradient);
        row.gradient.dataset.value = String(gradient);
      }
      if (moments) {
        const m = entry(moments.m, row.input);
        const v = entry(moments.v, row.input);
        row.m.textContent = formatShortNumber(m);
        row.m.dataset.value = String(m);
        row.v.textContent = formatShortNumber(v);
        row.v.dataset.value = String(v);
      }
    }
    if (pointInputs && document.activeElement !== pointInputs.x) {
      pointInputs.x.value = String(details.point[0]);
    }
    if (pointInputs && document.activeElement !== pointInputs.y) {
      pointInputs.y.value = String(details.point[1]);
    }
  }

  async function apply(
    layer: number,
    neuron: number,
    input: number | "bias",
    editor: HTMLInputElement,
  ): Promise<void> {
    const text = editor.value.trim().replace(/^−/, "-");
    const value = Number(text);
    const name = input === "bias" ? "bias" : `weight ${input}`;
    if (text === "" || !Number.isFinite(value)) {
      editor.setAttribute("aria-invalid", "true");
      if (status) status.textContent = `Type a number for the ${name}.`;
      return;
    }
    editor.removeAttribute("aria-invalid");
    try {
      await training.worker().setParameter(layer, neuron, input, value);
      editor.value = String(value);
      if (status) {
        status.textContent = `Set the ${name} of ${layer}:${neuron} to ${
          formatShortNumber(value)
        }; the next step starts from it.`;
      }
      edited();
      await fetchNow();
    } catch (error) {
      if (status) {
        status.textContent = `Could not set it: ${
          error instanceof Error ? error.message : String(error)
        }`;
      }
    }
  }

  /**
   * Fetch and show the selected neuron's numbers at `point`; `withGradients`
   * false for a moved point (the formula only; the table keeps its
   * gradients).
   */
  async function fetchNow(withGradients = true): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    timerDue = Infinity;
    if (selected === null) return;
    const { layer, neuron } = selected;
    const mine = ++request;
    // A full fetch (or the first, which builds the table) answers both.
    const full = withGradients || rows.length === 0;
    if (full) {
      dirty = false;
      lastFull = performance.now();
    }
    moved = false;
    fetching = true;
    lastFetch = performance.now();
    try {
      const details = await training.worker().neuronDetails(
        layer,
        neuron,
        point,
        full,
      );
      if (mine !== request || selected === null) return;
      if (panel.dataset.neuron !== `${layer}:${neuron}` || rows.length === 0) {
        build(details);
      }
      fill(details);
    } catch {
      // The network changed under it (a new run): close.
      if (mine === request) panel_.close();
    } finally {
      fetching = false;
      if (dirty || moved) schedule();
    }
  }

  /**
   * Fetch when due: the formula soon after the point moved, the gradients
   * (which cost a full-batch backward pass) at most every 400 ms.
   */
  function schedule(): void {
    if (selected === null || fetching) return;
    const due = Math.min(
      moved ? lastFetch + HOVER_INTERVAL : Infinity,
      dirty ? lastFull + REFRESH_INTERVAL : Infinity,
    );
    if (due === Infinity) return;
    if (timer !== null) {
      if (timerDue <= due) return;
      clearTimeout(timer);
    }
    timerDue = due;
    timer = setTimeout(() => {
      timer = null;
      timerDue = Infinity;
      void fetchNow(dirty && performance.now() >= lastFull + REFRESH_INTERVAL);
    }, Math.max(0, due - performance.now()));
  }

  const unsubscribeRun = training.onRun(() => {
    point = firstPoint();
    panel_.close();
  });

  const panel_: NeuronDetailsPanel = {
    element: panel,
    async open(layer, neuron, focus): Promise<void> {
      if (
        selected?.layer !== layer || selected.neuron !== neuron
      ) {
        rows = [];
        delete panel.dataset.neuron;
      }
      selected = { layer, neuron };
      panel.hidden = false;
      await fetchNow();
      if (focus !== undefined) {
        const key = `${layer}:${neuron}:${focus === "bias" ? "b" : focus}`;
        const row = rows.find((r) => r.key === key);
        row?.editor.focus();
        row?.editor.select();
      }
    },
    refresh(): void {
      if (selected === null) return;
      dirty = true;
      schedule();
    },
    showPoint(next): void {
      if (!Number.isFinite(next[0]) || !Number.isFinite(next[1])) return;
      point = [next[0], next[1]];
      if (selected === null) return;
      moved = true;
      schedule();
    },
    close(): void {
      selected = null;
      request++;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      timerDue = Infinity;
      panel.hidden = true;
      rows = [];
      delete panel.dataset.neuron;
      panel.replaceChildren();
    },
    destroy(): void {
      panel_.close();
      unsubscribeRun();
      panel.remove();
    },
  };
  return panel_;
}
