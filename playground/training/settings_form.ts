/**
 * The training form: writing {@linkcode PlaygroundSettings} into the
 * controls of `index.html` and reading them back. Every config control is
 * read and written through its row of the library's config schema
 * (`CONFIG_SCHEMA` in `src/config.ts`): a control's id is the field's CLI
 * flag (`learningRate` is `#learning-rate`), its text is the schema's
 * (`formatConfigField`, and `parseConfigField` with the `ui` limits), and
 * its `min`/`max`/`step` come from the `ui` column
 * ({@linkcode setControlLimits}). The hidden layers are the layer list
 * instead of a control; the input features are a group of checkboxes
 * (`#features`, one `data-feature` box per name) read and written as the
 * schema's text (`"x,y,x2"`). Choices the library would override (a one-output
 * loss for three classes, classes on a two-class dataset) are disabled by
 * asking the library's rules (`isEffective`), and the architecture line
 * shows the output count `resolveConfig` gives.
 *
 * {@linkcode formValues} and {@linkcode configFromForm} are the form's
 * codec without a page (tested directly); the rest is DOM only. The
 * settings model is `shared/settings.ts`.
 *
 * @module
 */

import {
  CONFIG_SCHEMA,
  type ConfigField,
  type DataShape,
  DEFAULT_CONFIG,
  formatConfigField,
  isConfigError,
  parseConfigField,
  type TrainConfig,
} from "../../src/config.ts";
import {
  CHART_WINDOW,
  chartWindowOf,
  explainRejected,
  isEffective,
  LIMITS,
  outputCount,
  type PlaygroundSettings,
  type Speed,
  stopRuleOf,
  type StopSetting,
} from "../shared/settings.ts";
import type { StopMode } from "../../src/stop.ts";
import { datasetTask } from "../../src/data.ts";
import { element } from "./dom.ts";
import {
  FEATURE_LABELS,
  FEATURE_NAMES,
  type FeatureName,
} from "../../src/features.ts";

/**
 * The sliders, by control id: how each shows its value in the `<output>`
 * next to it, and how finely it drags (presentation only: the bounds are
 * the schema's).
 */
const SLIDERS: Readonly<
  Record<string, { format: (value: number) => string; step: number }>
> = {
  points: { format: String, step: 10 },
  noise: { format: (value) => value.toFixed(2), step: 0.01 },
  "test-fraction": {
    format: (value) => `${Math.round(value * 100)}%`,
    step: 0.05,
  },
};

/** What a control holds: its text, or whether a checkbox is ticked. */
export type ControlValue = string | boolean;

/** The config rows that have a control (all but `hidden`, the layer list). */
const CONTROLLED: readonly ConfigField[] = CONFIG_SCHEMA.filter((row) =>
  row.kind !== "layers"
);

/**
 * What each config control shows for `config`, by control id (the field's
 * CLI flag): the schema's text, or a boolean for a checkbox.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { formValues } from "./settings_form.ts";
 * const values = formValues(DEFAULT_CONFIG);
 * assert.equal(values.get("learning-rate"), "1");
 * assert.equal(values.get("batch-size"), "full");
 * assert.equal(values.get("compile"), true);
 * assert.equal(values.has("hidden"), false); // the layer list
 * ```
 */
export function formValues(config: TrainConfig): Map<string, ControlValue> {
  return new Map(
    CONTROLLED.map((row) => [
      row.flag,
      row.kind === "boolean"
        ? config[row.key] as boolean
        : formatConfigField(row.key, config[row.key]),
    ]),
  );
}

/**
 * A config from what the controls hold (`values`, by control id), read
 * with the schema and the `ui` limits: a control missing from `values`
 * keeps `current`'s value, and so does text the schema refuses, with a
 * sentence why in `notes`. Never throws on the text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { configFromForm } from "./settings_form.ts";
 * const values = new Map([["learning-rate", "0.05"], ["steps", "1e9"]]);
 * const { config, notes } = configFromForm(DEFAULT_CONFIG, values);
 * assert.equal(config.learningRate, 0.05);
 * assert.equal(config.steps, 100);
 * assert.deepEqual(notes, [
 *   'steps "1e9" was not used: it must be an integer from 1 to 1000000; using 100.',
 * ]);
 * // A regression dataset picked at micrograd's rate of 1 learns at 0.1.
 * const plane = configFromForm(DEFAULT_CONFIG, new Map([["dataset", "plane"]]));
 * assert.equal(plane.config.learningRate, 0.1);
 * assert.match(plane.notes[0], /^learning rate 0.1 for a regression/);
 * const back = configFromForm(plane.config, new Map([["dataset", "moons"]]));
 * assert.equal(back.config.learningRate, 1);
 * ```
 */
export function configFromForm(
  current: TrainConfig,
  values: ReadonlyMap<string, ControlValue>,
): { config: TrainConfig; notes: string[] } {
  const config: Record<string, unknown> = {
    ...current,
    hidden: [...current.hidden],
  };
  const notes: string[] = [];
  for (const row of CONTROLLED) {
    const value = values.get(row.flag);
    if (value === undefined) continue;
    const text = typeof value === "boolean" ? (value ? "1" : "0") : value;
    try {
      config[row.key] = parseConfigField(row.key, text, { ui: true });
    } catch (error) {
      if (!isConfigError(error)) throw error;
      notes.push(explainRejected(row.key, text, current[row.key]));
    }
  }
  const read = config as unknown as TrainConfig;
  // micrograd's learning rate, 1, collapses a regression's MSE to a
  // constant within a few steps: picking a regression dataset with it
  // (and no other rate typed) takes the rate that learns, and says so.
  if (
    datasetTask(read.dataset) === "regression" &&
    datasetTask(current.dataset) === "classification" &&
    read.learningRate === DEFAULT_CONFIG.learningRate &&
    current.learningRate === DEFAULT_CONFIG.learningRate
  ) {
    read.learningRate = REGRESSION_LEARNING_RATE;
    notes.push(
      `learning rate ${REGRESSION_LEARNING_RATE} for a regression: at ${DEFAULT_CONFIG.learningRate} its MSE collapses the model to a constant.`,
    );
  } else if (
    // And back: a classification picked at the regression's rate returns
    // to micrograd's.
    datasetTask(read.dataset) === "classification" &&
    datasetTask(current.dataset) === "regression" &&
    read.learningRate === REGRESSION_LEARNING_RATE &&
    current.learningRate === REGRESSION_LEARNING_RATE
  ) {
    read.learningRate = DEFAULT_CONFIG.learningRate;
    notes.push(
      `learning rate ${DEFAULT_CONFIG.learningRate} again for a classification (micrograd's).`,
    );
  }
  return { config: read, notes };
}

/** The learning rate a regression dataset is picked with (see configFromForm). */
export const REGRESSION_LEARNING_RATE = 0.1;

/** The id of the features' group of checkboxes (the `features` row's flag). */
const FEATURES_ID = "features";

/** The feature checkboxes, in `FEATURE_NAMES` order. */
function featureBoxes(): HTMLInputElement[] {
  return [
    ...element(FEATURES_ID).querySelectorAll<HTMLInputElement>(
      "input[data-feature]",
    ),
  ];
}

/**
 * Write one checkbox per input feature into `#features` (`data-feature` is
 * the schema's name, the label the feature as it reads, e.g. `x²`). Call
 * once, before {@linkcode writeForm}. DOM only.
 */
export function fillFeatures(): void {
  const items = FEATURE_NAMES.map((name) => {
    const label = document.createElement("label");
    label.className = "feature";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.feature = name;
    box.name = "features";
    box.value = name;
    const text = document.createElement("span");
    text.textContent = FEATURE_LABELS[name];
    label.append(box, text);
    return label;
  });
  element(FEATURES_ID).replaceChildren(...items);
}

/** Tick the boxes of the features in `text` (the schema's `"x,y"`). */
function writeFeatures(text: string): void {
  const chosen = new Set(text.split(","));
  for (const box of featureBoxes()) {
    box.checked = chosen.has(box.dataset.feature ?? "");
  }
}

/**
 * The features the boxes hold as the schema's text, or `null` when they are
 * the `current` ones (whose order, e.g. from a link, is then kept). A new
 * choice lists the features in `FEATURE_NAMES` order.
 */
function readFeatures(current: readonly FeatureName[]): string | null {
  const ticked = featureBoxes().filter((box) => box.checked).map((box) =>
    box.dataset.feature ?? ""
  );
  const same = ticked.length === current.length &&
    current.every((name) => ticked.includes(name));
  return same ? null : ticked.join(",");
}

/** A config field's control (an input or a select). */
type Control = HTMLInputElement | HTMLSelectElement;

/** The control whose id is `id` (a config field's CLI flag). */
function control(id: string): Control {
  return element<Control>(id);
}

/** Whether a control is a checkbox (it holds a boolean, not text). */
function isCheckbox(target: Control): boolean {
  return target instanceof HTMLInputElement && target.type === "checkbox";
}

/**
 * Show a slider's value next to it (`#ID-value`); `id` may be any control's
 * (others are ignored), so the "input" listener can pass whatever moved.
 */
export function showSliderValue(id: string, value: number): void {
  const slider = SLIDERS[id];
  if (slider) element(`${id}-value`).textContent = slider.format(value);
}

/**
 * Give every number control the `min`, `max` and `step` of the schema's
 * `ui` column (integers step by 1, other numbers by any amount; a slider
 * drags by its own step). Call once, before {@linkcode writeForm}.
 */
export function setControlLimits(): void {
  for (const row of CONTROLLED) {
    const target = control(row.flag);
    const range = row.ui.range;
    if (!(target instanceof HTMLInputElement) || range === undefined) continue;
    if (range.min !== undefined) target.min = String(range.min);
    if (range.max !== undefined) target.max = String(range.max);
    target.step = String(
      SLIDERS[target.id]?.step ?? (range.integer ? 1 : "any"),
    );
  }
}

/** Ensure a select offers `value` (a number from the URL not in the list). */
function selectValue(select: HTMLSelectElement, value: string): void {
  if (![...select.options].some((option) => option.value === value)) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value; // a formatted number, set as text
    select.append(option);
  }
  select.value = value;
}

/**
 * Write every control from `settings`; `data` is the shape of your own
 * points when the run trains on them (their training points, which the
 * worker trains on with no split of its own: the architecture line's
 * outputs).
 */
export function writeForm(
  settings: PlaygroundSettings,
  data?: DataShape,
): void {
  const { config, speed, logScale, gridMode } = settings;
  for (const [id, value] of formValues(config)) {
    if (id === FEATURES_ID) {
      writeFeatures(value as string);
      continue;
    }
    const target = control(id);
    if (isCheckbox(target)) {
      (target as HTMLInputElement).checked = value as boolean;
      continue;
    }
    if (target instanceof HTMLSelectElement) {
      selectValue(target, value as string);
    } else target.value = value as string;
    // What the control holds now (a slider rounds to its step): while it
    // still holds this, readForm keeps the exact setting.
    target.dataset.written = target.value;
    showSliderValue(id, Number(value));
  }
  element<HTMLInputElement>("classes").disabled = !isEffective(
    config,
    "classes",
    LIMITS.classes.max,
  );
  for (const option of element<HTMLSelectElement>("loss").options) {
    option.disabled = !isEffective(
      config,
      "loss",
      option.value as TrainConfig["loss"],
    );
  }
  element<HTMLSelectElement>("speed").value = String(speed);
  element<HTMLInputElement>("log-scale").checked = logScale;
  element<HTMLInputElement>("grid-hard").checked = gridMode === "hard";
  element<HTMLInputElement>("show-test").checked = settings.showTest;
  writeStop(settings.stop);
  element<HTMLInputElement>("chart-window").value =
    settings.chartWindow === null ? "" : String(settings.chartWindow);
  writeLayers(config, data);
}

/** The stop controls: the mode, and its value (the schedule's by default). */
function writeStop(stop: StopSetting): void {
  element<HTMLSelectElement>("stop-mode").value = stop.mode;
  const value = element<HTMLInputElement>("stop-value");
  value.value = stop.value === null ? "" : String(stop.value);
  value.hidden = stop.mode === "never";
  value.placeholder = stop.mode === "steps" ? "schedule" : "target";
  value.setAttribute(
    "aria-label",
    stop.mode === "steps"
      ? "Stop after this many steps (empty: the schedule's length)"
      : stop.mode === "loss"
      ? "Stop at this training loss"
      : "Stop at this accuracy (0 to 1)",
  );
}

/** The stop setting the controls hold; a refused value keeps `current`'s. */
function readStop(current: StopSetting, notes: string[]): StopSetting {
  const mode = element<HTMLSelectElement>("stop-mode").value as StopMode;
  const text = element<HTMLInputElement>("stop-value").value.trim();
  const value = text === "" ? null : Number(text);
  if (mode !== current.mode && value === current.value) {
    // A new mode: the old mode's number means something else.
    return mode === "steps" || mode === "never"
      ? { mode, value: null }
      : { mode, value: mode === "loss" ? 0.01 : 1 };
  }
  const stop = { mode, value };
  if (stopRuleOf(stop) !== null) return stop;
  notes.push(
    `stop value "${
      text.slice(0, 40)
    }" was not used: it must be a whole number of steps, a loss of at least 0, or an accuracy of at most 1.`,
  );
  return current;
}

/** The chart's window: a whole number of steps, or `null` for the whole run. */
function readChartWindow(
  current: number | null,
  notes: string[],
): number | null {
  const input = element<HTMLInputElement>("chart-window");
  const window = chartWindowOf(input.value);
  if (window !== undefined) return window;
  notes.push(
    `Last "${
      input.value.slice(0, 40)
    }" steps was not used: it must be a whole number from ${CHART_WINDOW.min} to ${CHART_WINDOW.max}, or empty for the whole run; ${
      current === null ? "showing the whole run" : `keeping ${current}`
    }.`,
  );
  input.value = current === null ? "" : String(current);
  return current;
}

/** A −/+ button of layer `index` (its click is handled on the list). */
function layerButton(
  index: number,
  change: -1 | 1,
  disabled: boolean,
): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = change < 0 ? "−" : "+";
  button.dataset.layer = String(index);
  button.dataset.change = String(change);
  button.setAttribute(
    "aria-label",
    `${change < 0 ? "Fewer" : "More"} neurons in layer ${index + 1}`,
  );
  button.disabled = disabled;
  return button;
}

/** The architecture line and the list of hidden layers with their buttons. */
function writeLayers(config: TrainConfig, data?: DataShape): void {
  const { hidden } = config;
  // The Trainer's rule (resolveConfig), not a copy of it.
  const outputs = outputCount(
    data === undefined ? config : { ...config, testFraction: 0 },
    data,
  );
  element("architecture").textContent = [
    String(config.features.length),
    ...hidden.map(String),
    outputs === null ? "?" : String(outputs),
  ].join(" → ");
  element("layer-count").textContent = `${hidden.length} hidden layer${
    hidden.length === 1 ? "" : "s"
  }`;
  element<HTMLButtonElement>("add-layer").disabled =
    hidden.length >= LIMITS.layers.max;
  element<HTMLButtonElement>("remove-layer").disabled =
    hidden.length <= LIMITS.layers.min;
  const items: HTMLElement[] = hidden.map((size, index) => {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.className = "layer-name";
    name.textContent = `Layer ${index + 1}`;
    // Typed, not only clicked: 1 to 32 neurons.
    const count = document.createElement("input");
    count.type = "number";
    count.className = "neuron-count";
    count.min = String(LIMITS.neurons.min);
    count.max = String(LIMITS.neurons.max);
    count.step = "1";
    count.value = String(size);
    count.dataset.layer = String(index);
    count.setAttribute("aria-label", `Neurons in layer ${index + 1}`);
    item.append(
      name,
      layerButton(index, -1, size <= LIMITS.neurons.min),
      count,
      layerButton(index, 1, size >= LIMITS.neurons.max),
    );
    return item;
  });
  // The list is rebuilt: the control that had the keyboard gets it back
  // (Enter on "+" twice adds two neurons; Tab out of a typed count lands
  // on the next control), or its count when that button is now disabled.
  const list = element("layers");
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && list.contains(active)
    ? { layer: active.dataset.layer, change: active.dataset.change }
    : null;
  list.replaceChildren(...items);
  if (focused === null) return;
  const selector = focused.change === undefined
    ? `input[data-layer="${focused.layer}"]`
    : `button[data-layer="${focused.layer}"][data-change="${focused.change}"]`;
  const again = list.querySelector<HTMLElement>(selector);
  if (again !== null && !(again as HTMLButtonElement).disabled) again.focus();
  else {
    list.querySelector<HTMLElement>(`input[data-layer="${focused.layer}"]`)
      ?.focus();
  }
}

/** What {@linkcode readForm} read: the settings and what it did not use. */
export interface FormReading {
  /** The settings the controls describe (before normalising). */
  settings: PlaygroundSettings;
  /** One sentence per control whose text was refused (it kept its value). */
  notes: string[];
}

/**
 * The settings the controls describe now (before normalising), read by
 * {@linkcode configFromForm}: refused text keeps the value `current` has
 * and says why in `notes`. A control still holding what
 * {@linkcode writeForm} wrote keeps the exact value (a slider may show it
 * rounded to its step).
 */
export function readForm(current: PlaygroundSettings): FormReading {
  const values = new Map<string, ControlValue>();
  for (const row of CONTROLLED) {
    if (row.flag === FEATURES_ID) {
      const text = readFeatures(current.config.features);
      if (text !== null) values.set(row.flag, text);
      continue;
    }
    const target = control(row.flag);
    if (isCheckbox(target)) {
      values.set(row.flag, (target as HTMLInputElement).checked);
    } else if (target.value !== target.dataset.written) {
      values.set(row.flag, target.value);
    }
  }
  const { config, notes } = configFromForm(current.config, values);
  const speedText = element<HTMLSelectElement>("speed").value;
  const speed: Speed = speedText === "max" ? "max" : Number(speedText);
  return {
    settings: {
      config,
      speed,
      logScale: element<HTMLInputElement>("log-scale").checked,
      gridMode: element<HTMLInputElement>("grid-hard").checked
        ? "hard"
        : "soft",
      showTest: element<HTMLInputElement>("show-test").checked,
      view: current.view,
      stop: readStop(current.stop, notes),
      chartWindow: readChartWindow(current.chartWindow, notes),
      hide: current.hide,
    },
    notes,
  };
}
