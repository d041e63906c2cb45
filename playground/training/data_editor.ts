/**
 * Editing the points on the decision grid: the class picker
 * (`#class-picker`, a button `data-class="K"` per class in the class
 * colours, or per target value for a regression; the keys 1–9 pick), and
 * what an edit of the grid does: a click adds a point of the selected class
 * where it was clicked, a shift-click one of the next class, a drag paints
 * several, an alt-click or a right-click removes the nearest point, and a
 * point pressed and dragged moves (keeping its class and side). The
 * first edit turns the generated points into your own (each keeping its
 * train/test side). The training view does the rest: it pauses, keeps the
 * points (URL, storage) and starts a new run on them. DOM only.
 *
 * @module
 */

import type { Task } from "../../src/data.ts";
import { classColor, cssColor, divergingColor } from "../shared/colormap.ts";
import { formatShortNumber } from "../shared/format.ts";
import {
  addPoint,
  movePoint,
  nearestPoint,
  pointIndex,
  removePoint,
  type UserData,
} from "../shared/user_data.ts";
import { element } from "./dom.ts";
import type { GridEdit } from "./grid_chart.ts";

/** The targets a regression's picker offers (the toy data's range). */
export const PICKER_TARGETS: readonly number[] = [-1, -0.5, 0, 0.5, 1];

/** The most classes the picker offers (the keys 1–9). */
const MAX_PICKER_CLASSES = 9;

/** What the editor needs from the training view. */
export interface DataEditorHost {
  /** The points to edit: your own, or the current run's; `null` before a run. */
  editable(): UserData | null;
  /** The data seed and test share new points are split with. */
  split(): { seed: number; testFraction: number };
  /** Use these points from now on (a new run, paused). */
  setData(data: UserData): void;
}

/** The class picker and the edits of the grid. */
export class DataEditor {
  readonly #host: DataEditorHost;
  #selected = 0;
  #task: Task = "classification";
  #choices = 2;
  /** The class names the picker was drawn with (JSON), to redraw on a change. */
  #names = "null";

  constructor(host: DataEditorHost) {
    this.#host = host;
    element("class-picker").addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest("button");
      if (button?.dataset.class !== undefined) {
        this.select(Number(button.dataset.class));
      }
    });
  }

  /** The selected class index (or target index for a regression). */
  get selected(): number {
    return this.#selected;
  }

  /**
   * Show the picker for data of `task` with `classes` classes: one button
   * per class and one for a new class (up to nine), or one per target.
   */
  show(task: Task, classes: number, classNames?: readonly string[]): void {
    const regression = task === "regression";
    const choices = regression
      ? PICKER_TARGETS.length
      : Math.min(MAX_PICKER_CLASSES, Math.max(2, classes) + 1);
    const names = JSON.stringify(classNames ?? null);
    if (
      task === this.#task && choices === this.#choices &&
      names === this.#names &&
      element("class-picker").childElementCount === choices
    ) return;
    this.#task = task;
    this.#choices = choices;
    this.#names = names;
    if (this.#selected >= choices) this.#selected = 0;
    const buttons = Array.from({ length: choices }, (_, k) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.class = String(k);
      const swatch = document.createElement("span");
      swatch.className = "picker-swatch";
      swatch.setAttribute("aria-hidden", "true");
      let name: string;
      if (regression) {
        const target = PICKER_TARGETS[k];
        button.dataset.target = String(target);
        swatch.style.background = cssColor(divergingColor(target));
        name = `target ${formatShortNumber(target)}`;
        button.append(swatch, formatShortNumber(target));
      } else {
        swatch.style.background = cssColor(classColor(k));
        name = classNames?.[k] ?? `class ${k}`;
        button.append(swatch, String(k + 1));
      }
      button.title = `Click the grid to add a point of ${name} (key ${k + 1})`;
      button.setAttribute("aria-label", `Add points of ${name}`);
      return button;
    });
    element("class-picker").replaceChildren(...buttons);
    this.#markSelected();
  }

  /** Select choice `index` (ignored when the picker has no such button). */
  select(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.#choices) {
      return;
    }
    this.#selected = index;
    this.#markSelected();
  }

  #markSelected(): void {
    for (const button of element("class-picker").querySelectorAll("button")) {
      button.setAttribute(
        "aria-pressed",
        String(Number(button.dataset.class) === this.#selected),
      );
    }
  }

  /** Apply an edit of the grid to the points (see the module doc). */
  edit(edit: GridEdit): void {
    const data = this.#host.editable();
    if (data === null || !Number.isFinite(edit.x) || !Number.isFinite(edit.y)) {
      return;
    }
    if (edit.kind === "remove") {
      const index = edit.from === undefined
        ? nearestPoint(data, edit.x, edit.y)
        : pointIndex(data, edit.from[0], edit.from[1]);
      if (index >= 0) this.#host.setData(removePoint(data, index));
      return;
    }
    if (edit.kind === "move") {
      const [fromX, fromY] = edit.from ?? [NaN, NaN];
      const index = pointIndex(data, fromX, fromY);
      if (index >= 0) {
        this.#host.setData(movePoint(data, index, edit.x, edit.y));
      }
      return;
    }
    // The next existing class (or target), wrapping round to the first:
    // after the last class, or the new-class button, comes class 0.
    const existing = data.task === "regression"
      ? PICKER_TARGETS.length
      : Math.max(2, Math.min(data.classes, MAX_PICKER_CLASSES));
    const choice = edit.next
      ? (this.#selected + 1 >= existing ? 0 : this.#selected + 1)
      : this.#selected;
    const label = data.task === "regression" ? PICKER_TARGETS[choice] : choice;
    const { seed, testFraction } = this.#host.split();
    this.#host.setData(
      addPoint(data, edit.x, edit.y, label, seed, testFraction),
    );
  }
}
