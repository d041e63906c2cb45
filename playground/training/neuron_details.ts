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
 * full-batch gradients. A typed coordinate must be a number of size at most
 * `POINT_LIMIT` (1e6, where every feature is still far from overflow); an
 * empty, non-numeric or larger one is refused (`aria-invalid` and a note in
 * the status line), and the formula stays the last valid point's.
 *
 * The panel fits the diagram's narrow column (about 194 px, or a phone):
 * each parameter takes two rows of the table, its name and editor (sized to
 * its value) above, its input, gradient, `m` and `v` below in short number
 * formats (the exact values in each cell's `title` and `data-value`).
 *
 * Hooks for tests: the panel has `id="neuron-details"` and
 * `data-neuron="LAYER:INDEX"`; the formula `data-formula` (with the exact
 * output in `data-output`); each editor is an `input` with
 * `data-weight="LAYER:NEURON:INPUT"` (`INPUT` = `b` for the bias); the
 * gradient, `m` and `v` cells `data-gradient`, `data-m`, `data-v` with the
 * same key (the exact value in `data-value`); the point's inputs
 * `data-point="x"` and `data-point="y"`; the status line `.edit-status`.
 *
 * @module
 */

import { formatShortNumber } from "../shared/format.ts";
import type { TrainingContext } from "../shared/views.ts";
import type { NeuronDetails, PerParameter } from "../worker/protocol.ts";
import {
  formatCell,
  inputNames,
  neuronFormula,
  neuronName,
  parseTyped,
  readCoordinate,
} from "./neuron_formula.ts";

/** Least time between two refreshes while training runs (ms). */
const REFRESH_INTERVAL = 400;

/** Least time between two formulas for a point moving under the pointer (ms). */
const HOVER_INTERVAL = 40;

/** The panel's look; the network diagram adds it to its own style sheet. */
export const NEURON_DETAILS_STYLE = `
#neuron-details { font-size: 11px; color: #344054; border-top: 1px solid #d0d5dd; margin-top: 4px; padding-top: 4px; font-variant-numeric: tabular-nums; min-width: 0; }
#neuron-details[hidden] { display: none; }
#neuron-details .details-head { display: flex; justify-content: space-between; align-items: baseline; gap: 4px; }
#neuron-details .details-head strong { font-size: 12px; min-width: 0; overflow-wrap: anywhere; }
#neuron-details .formula { font-family: ui-monospace, monospace; overflow-wrap: anywhere; margin: 3px 0; }
#neuron-details .plugged { font-family: ui-monospace, monospace; overflow-wrap: anywhere; color: #667085; }
#neuron-details .point { display: flex; flex-wrap: wrap; gap: 2px 6px; align-items: center; margin: 3px 0; }
#neuron-details .point label { white-space: nowrap; max-width: 100%; }
#neuron-details input { box-sizing: border-box; max-width: 100%; min-width: 0; font: inherit; font-size: 10px; font-variant-numeric: tabular-nums; padding: 1px 3px; }
#neuron-details .point input { max-width: calc(100% - 1.5em); }
#neuron-details table { border-collapse: collapse; width: 100%; table-layout: fixed; }
#neuron-details th, #neuron-details td { padding: 1px 2px; text-align: right; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 10px; }
#neuron-details thead th { color: #667085; font-weight: normal; }
#neuron-details tbody + tbody th { border-top: 1px solid #eaecf0; }
#neuron-details th.parameter { text-align: left; font-weight: 600; padding-top: 2px; white-space: normal; }
#neuron-details th.parameter .name { display: inline-block; min-width: 3.5em; margin-right: 4px; }
#neuron-details th.parameter input { font-weight: normal; }
#neuron-details abbr { text-decoration: none; }
#neuron-details input[aria-invalid="true"] { outline: 2px solid #d92d20; }
#neuron-details .edit-status { min-height: 1.3em; overflow-wrap: anywhere; }
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

/**
 * One parameter of the table (a weight or the bias): two rows, its name
 * and editor above, its numbers below.
 */
interface Row {
  key: string;
  input: number | "bias";
  /** The cell holding the name and the editor (spans every column). */
  head: HTMLTableCellElement;
  editor: HTMLInputElement;
  value: HTMLTableCellElement;
  gradient: HTMLTableCellElement;
  m: HTMLTableCellElement;
  v: HTMLTableCellElement;
}

/**
 * Size a text field to its text (and never beyond its cell: the CSS caps
 * it at 100%), so a value is never cut off and a short one takes no room.
 */
function fitToText(input: HTMLInputElement): void {
  const characters = Math.max(4, Math.min(24, input.value.length));
  input.style.width = `calc(${characters + 1}ch + 8px)`;
}

/** Show `value` in a table cell, short; the exact number in its title and `data-value`. */
function writeCell(cell: HTMLTableCellElement, value: number): void {
  const exact = String(value);
  if (cell.dataset.value === exact) return;
  cell.textContent = formatCell(value);
  cell.title = exact;
  cell.dataset.value = exact;
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
  /** The point the formula on screen is for. */
  let shownPoint: [number, number] = point;
  /** The status line's note about a refused coordinate ("" when none). */
  let pointRefusal = "";
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

  /** The panel's structure for one neuron (numbers come with `fill`). */
  function build(details: NeuronDetails): void {
    const { layer, neuron } = details;
    panel.replaceChildren();
    panel.dataset.neuron = `${layer}:${neuron}`;
    pointRefusal = "";
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
      // Text, not number: what was typed stays visible when it is refused.
      input.type = "text";
      input.inputMode = "decimal";
      input.value = String(value);
      input.dataset.point = axis;
      input.setAttribute("aria-label", `The point's ${axis}`);
      fitToText(input);
      input.addEventListener("input", () => fitToText(input));
      input.addEventListener("change", () => typedPoint(axis, input));
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Escape") return;
        input.value = String(shownPoint[axis === "x" ? 0 : 1]);
        input.removeAttribute("aria-invalid");
        fitToText(input);
        clearPointRefusal();
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

    // Two rows a parameter (its name and editor, then its numbers under
    // four short columns) so the table fits the diagram's narrow column.
    const table = document.createElement("table");
    table.setAttribute("aria-label", "Weights and bias");
    const header = table.createTHead().insertRow();
    momentCells = [];
    const headers: [string, string][] = [
      [
        "input",
        "The input the weight multiplies, at the point (1 for the bias)",
      ],
      ["grad", "d loss / d parameter: the full-batch training loss's gradient"],
      ["m", "Adam's running mean of the gradient"],
      ["v", "Adam's running mean of the squared gradient"],
    ];
    for (const [text, meaning] of headers) {
      const th = document.createElement("th");
      th.scope = "col";
      const abbr = document.createElement("abbr");
      abbr.title = meaning;
      abbr.textContent = text;
      th.appendChild(abbr);
      if (text === "m" || text === "v") momentCells.push(th);
      header.appendChild(th);
    }
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
      const group = table.createTBody();
      const key = `${layer}:${neuron}:${input === "bias" ? "b" : input}`;
      const name = input === "bias" ? "bias" : `w·${names[input]}`;
      const nameCell = document.createElement("th");
      nameCell.scope = "rowgroup";
      nameCell.className = "parameter";
      nameCell.colSpan = headers.length;
      const label = document.createElement("span");
      label.className = "name";
      label.textContent = name;
      const editor = document.createElement("input");
      editor.type = "text";
      editor.inputMode = "decimal";
      editor.dataset.weight = key;
      editor.setAttribute(
        "aria-label",
        `${name} of neuron ${layer}:${neuron}: type a value, then Enter`,
      );
      editor.addEventListener("input", () => fitToText(editor));
      editor.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          void apply(layer, neuron, input, editor);
        } else if (event.key === "Escape") {
          editor.value = editor.dataset.current ?? editor.value;
          editor.removeAttribute("aria-invalid");
          fitToText(editor);
        }
      });
      nameCell.append(label, editor);
      group.insertRow().appendChild(nameCell);
      const numbers = group.insertRow();
      const cell = (): HTMLTableCellElement => {
        const td = document.createElement("td");
        numbers.appendChild(td);
        return td;
      };
      const value = cell();
      const gradient = cell();
      gradient.dataset.gradient = key;
      const m = cell();
      m.dataset.m = key;
      const v = cell();
      v.dataset.v = key;
      momentCells.push(m, v);
      return { key, input, head: nameCell, editor, value, gradient, m, v };
    });
    status = document.createElement("div");
    status.className = "edit-status";
    status.setAttribute("aria-live", "polite");
    panel.append(head, where, formula, plugged, table, status);
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
      row.head.colSpan = moments === null ? 2 : 4;
      const value = entry(details.parameters, row.input);
      writeCell(
        row.value,
        row.input === "bias" ? 1 : details.inputs[row.input],
      );
      row.editor.dataset.current = String(value);
      // Never overwrite what someone is typing.
      if (document.activeElement !== row.editor) {
        row.editor.value = String(value);
        fitToText(row.editor);
      }
      // A hover's details have no gradients: the last ones stay.
      if (gradients !== null) {
        writeCell(row.gradient, entry(gradients, row.input));
      }
      if (moments) {
        writeCell(row.m, entry(moments.m, row.input));
        writeCell(row.v, entry(moments.v, row.input));
      }
    }
    const moved = details.point[0] !== shownPoint[0] ||
      details.point[1] !== shownPoint[1];
    shownPoint = details.point;
    if (pointInputs) {
      for (const [axis, input] of Object.entries(pointInputs)) {
        // Never overwrite what someone is typing; a refused text stays
        // (to be corrected) until the point moves.
        const refused = input.getAttribute("aria-invalid") === "true";
        if (refused ? !moved : document.activeElement === input) continue;
        input.value = String(details.point[axis === "x" ? 0 : 1]);
        input.removeAttribute("aria-invalid");
        fitToText(input);
      }
    }
    if (moved) clearPointRefusal();
  }

  /**
   * Use the coordinate typed for `axis`, or refuse it (an empty field, not
   * a number, or beyond ±`POINT_LIMIT`): the field is marked
   * invalid and the status line says why, and that the formula is still
   * the last valid point's.
   */
  function typedPoint(axis: "x" | "y", input: HTMLInputElement): void {
    const read = readCoordinate(input.value, axis);
    if ("refused" in read) {
      input.setAttribute("aria-invalid", "true");
      pointRefusal = `${read.refused} The formula is still for (${
        formatShortNumber(shownPoint[0])
      }, ${formatShortNumber(shownPoint[1])}).`;
      if (status) status.textContent = pointRefusal;
      return;
    }
    input.removeAttribute("aria-invalid");
    const other = pointInputs?.[axis === "x" ? "y" : "x"];
    if (other?.getAttribute("aria-invalid") !== "true") clearPointRefusal();
    point = axis === "x" ? [read.value, point[1]] : [point[0], read.value];
    void fetchNow();
  }

  /** Take the point's refusal note off the status line (if it is there). */
  function clearPointRefusal(): void {
    if (status && pointRefusal !== "" && status.textContent === pointRefusal) {
      status.textContent = "";
    }
    pointRefusal = "";
  }

  async function apply(
    layer: number,
    neuron: number,
    input: number | "bias",
    editor: HTMLInputElement,
  ): Promise<void> {
    const value = parseTyped(editor.value);
    const name = input === "bias" ? "bias" : `weight ${input}`;
    if (value === null) {
      editor.setAttribute("aria-invalid", "true");
      if (status) status.textContent = `Type a number for the ${name}.`;
      return;
    }
    editor.removeAttribute("aria-invalid");
    try {
      await training.worker().setParameter(layer, neuron, input, value);
      editor.value = String(value);
      fitToText(editor);
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
