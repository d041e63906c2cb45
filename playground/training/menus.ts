/**
 * The entries of the training form's menus (`<select>`s), in the order and
 * with the words the page shows them; `index.html` leaves the menus empty
 * and {@linkcode fillMenus} writes them at start-up. The names are the
 * library's (a test checks every menu offers exactly the names it accepts).
 *
 * @module
 */

import { SPEEDS } from "../shared/settings.ts";

/** One menu entry: the value the form reads, and its text. */
export type MenuEntry = readonly [value: string, label: string];

/**
 * Every menu of the form by its element id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MENUS } from "./menus.ts";
 * assert.deepEqual(MENUS.dataset[0], ["moons", "Moons"]);
 * assert.deepEqual(MENUS.speed.at(-1), ["max", "As fast as possible"]);
 * assert.deepEqual(MENUS["batch-size"][0], ["full", "Full batch"]);
 * ```
 */
export const MENUS: Readonly<Record<string, readonly MenuEntry[]>> = {
  speed: SPEEDS.map((speed): MenuEntry =>
    speed === "max"
      ? ["max", "As fast as possible"]
      : [String(speed), `${speed} step${speed === 1 ? "" : "s"}/s`]
  ),
  dataset: [
    ["moons", "Moons"],
    ["circles", "Circles"],
    ["xor", "XOR"],
    ["spiral", "Spiral"],
    ["blobs", "Blobs"],
  ],
  activation: [
    ["relu", "ReLU"],
    ["tanh", "Tanh"],
    ["sigmoid", "Sigmoid"],
    ["linear", "Linear"],
  ],
  init: [
    ["uniform", "Uniform ±1 (micrograd)"],
    ["xavier", "Xavier"],
    ["he", "He"],
  ],
  loss: [
    ["hinge", "Hinge (max-margin)"],
    ["logistic", "Logistic (binary cross-entropy)"],
    ["mse", "Mean squared error"],
    ["crossEntropy", "Softmax cross-entropy"],
  ],
  optimizer: [
    ["sgd", "SGD"],
    ["momentum", "SGD with momentum"],
    ["adam", "Adam"],
  ],
  schedule: [
    ["constant", "Constant"],
    ["linear", "Linear decay (micrograd)"],
    ["cosine", "Cosine"],
    ["step", "Step decay"],
  ],
  l2: ["0", "0.00001", "0.0001", "0.001", "0.01", "0.1"].map((
    value,
  ): MenuEntry => [value, value]),
  "batch-size": [
    ["full", "Full batch"],
    ...[1, 4, 8, 16, 32, 64].map((size): MenuEntry => [
      String(size),
      String(size),
    ]),
  ],
};

/** Write every menu's entries into its `<select>` (text only). DOM only. */
export function fillMenus(document: Document): void {
  for (const [id, entries] of Object.entries(MENUS)) {
    const select = document.getElementById(id);
    if (!(select instanceof HTMLSelectElement)) {
      throw new Error(`playground: the page has no menu #${id}`);
    }
    select.replaceChildren(
      ...entries.map(([value, label]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = label;
        return option;
      }),
    );
  }
}
