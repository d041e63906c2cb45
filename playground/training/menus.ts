/**
 * The entries of the training form's menus (`<select>`s), in the order and
 * with the words the page shows them; `index.html` leaves the menus empty
 * and {@linkcode fillMenus} writes them at start-up. The names of a config
 * field's menu are the `ui` choices of its row of the library's config
 * schema (so the menu offers exactly what the library and the URL accept);
 * only the words and the order are this file's.
 *
 * @module
 */

import {
  CONFIG_SCHEMA,
  type ConfigField,
  formatConfigField,
} from "../../src/config.ts";
import { SPEEDS } from "../shared/settings.ts";

/** One menu entry: the value the form reads, and its text. */
export type MenuEntry = readonly [value: string, label: string];

/**
 * The words for each name of a choice field, in the order the menu lists
 * them (most useful first). A name the library adds later still appears,
 * after these, under its own name.
 */
const CHOICE_LABELS: Readonly<
  Record<string, Readonly<Record<string, string>>>
> = {
  dataset: {
    moons: "Moons",
    circles: "Circles",
    xor: "XOR",
    spiral: "Spiral",
    blobs: "Blobs",
    plane: "Plane (regression)",
    gaussians: "Gaussians (regression)",
  },
  activation: {
    relu: "ReLU",
    tanh: "Tanh",
    sigmoid: "Sigmoid",
    linear: "Linear",
  },
  init: {
    uniform: "Uniform ±1 (micrograd)",
    xavier: "Xavier",
    he: "He",
  },
  loss: {
    hinge: "Hinge (max-margin)",
    logistic: "Logistic (binary cross-entropy)",
    mse: "Mean squared error",
    crossEntropy: "Softmax cross-entropy",
  },
  optimizer: {
    sgd: "SGD",
    momentum: "SGD with momentum",
    adam: "Adam",
  },
  schedule: {
    constant: "Constant",
    linear: "Linear decay (micrograd)",
    cosine: "Cosine",
    step: "Step decay",
  },
};

/** The menu of a choice field: the schema's names, in the labels' order. */
function choiceMenu(row: ConfigField): MenuEntry[] {
  const labels = CHOICE_LABELS[row.key] ?? {};
  const order = Object.keys(labels);
  const rank = (name: string) => {
    const index = order.indexOf(name);
    return index < 0 ? order.length : index;
  };
  return [...(row.ui.choices ?? [])]
    .sort((a, b) => rank(a) - rank(b))
    .map((name): MenuEntry => [name, labels[name] ?? name]);
}

/** Suggested values of a numeric field offered as a menu. */
function valueMenu<K extends "l2" | "l1" | "batchSize">(
  key: K,
  values: readonly (number | null)[],
  label: (value: number | null) => string,
): MenuEntry[] {
  return values.map((value): MenuEntry => [
    formatConfigField(key, value as never),
    label(value),
  ]);
}

/**
 * Every menu of the form by its element id (a config field's control is
 * named after its CLI flag: `batchSize` is `#batch-size`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MENUS } from "./menus.ts";
 * assert.deepEqual(MENUS.dataset[0], ["moons", "Moons"]);
 * assert.deepEqual(MENUS.speed.at(-1), ["max", "As fast as possible"]);
 * assert.deepEqual(MENUS["batch-size"][0], ["full", "Full batch"]);
 * assert.deepEqual(MENUS.l2[2], ["0.0001", "0.0001"]);
 * ```
 */
export const MENUS: Readonly<Record<string, readonly MenuEntry[]>> = {
  speed: SPEEDS.map((speed): MenuEntry =>
    speed === "max"
      ? ["max", "As fast as possible"]
      : [String(speed), `${speed} step${speed === 1 ? "" : "s"}/s`]
  ),
  ...Object.fromEntries(
    CONFIG_SCHEMA.filter((row) => row.kind === "choice").map((row) => [
      row.flag,
      choiceMenu(row),
    ]),
  ),
  l2: valueMenu(
    "l2",
    [0, 0.00001, 0.0001, 0.001, 0.01, 0.1],
    (value) => String(value),
  ),
  l1: valueMenu(
    "l1",
    [0, 0.00001, 0.0001, 0.001, 0.01, 0.1],
    (value) => String(value),
  ),
  "stop-mode": [
    ["steps", "After N steps"],
    ["loss", "At a training loss"],
    ["accuracy", "At a training accuracy"],
    ["testAccuracy", "At a test accuracy"],
    ["never", "Never"],
  ],
  "batch-size": valueMenu(
    "batchSize",
    [null, 1, 4, 8, 16, 32, 64],
    (value) => value === null ? "Full batch" : String(value),
  ),
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
