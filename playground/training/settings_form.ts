/**
 * The training form: writing {@linkcode PlaygroundSettings} into the
 * controls of `index.html` and reading them back. Choices the library would
 * override (a one-output loss for three classes, classes on a two-class
 * dataset) are disabled by asking the library's rules (`isEffective`), and
 * the architecture line shows the output count `resolveConfig` gives.
 * DOM only; the settings model is `shared/settings.ts`.
 *
 * @module
 */

import type { TrainConfig } from "../../src/config.ts";
import {
  isEffective,
  LIMITS,
  outputCount,
  parseNumber,
  type PlaygroundSettings,
  type Speed,
} from "../shared/settings.ts";
import { element } from "./dom.ts";

/** The sliders, each with the `<output>` that shows its value. */
const SLIDERS: readonly {
  id: string;
  format: (value: number) => string;
}[] = [
  { id: "points", format: String },
  { id: "noise", format: (value) => value.toFixed(2) },
  {
    id: "test-fraction",
    format: (value) => `${Math.round(value * 100)}%`,
  },
];

/**
 * Show a slider's value next to it (`#ID-value`); `id` may be any control's
 * (others are ignored), so the "input" listener can pass whatever moved.
 */
export function showSliderValue(id: string, value: number): void {
  const slider = SLIDERS.find((candidate) => candidate.id === id);
  if (slider) element(`${id}-value`).textContent = slider.format(value);
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

/** Write every control from `settings`. */
export function writeForm(settings: PlaygroundSettings): void {
  const { config, speed, logScale, gridMode } = settings;
  const set = (id: string, value: string | number) =>
    element<HTMLInputElement | HTMLSelectElement>(id).value = String(value);
  set("dataset", config.dataset);
  set("classes", config.classes);
  element<HTMLInputElement>("classes").disabled = !isEffective(
    config,
    "classes",
    LIMITS.classes.max,
  );
  set("points", config.points);
  set("noise", config.noise);
  set("test-fraction", config.testFraction);
  showSliderValue("points", config.points);
  showSliderValue("noise", config.noise);
  showSliderValue("test-fraction", config.testFraction);
  set("data-seed", config.dataSeed);
  set("activation", config.activation);
  set("init", config.init);
  set("seed", config.seed);
  const loss = element<HTMLSelectElement>("loss");
  loss.value = config.loss;
  for (const option of loss.options) {
    option.disabled = !isEffective(
      config,
      "loss",
      option.value as TrainConfig["loss"],
    );
  }
  set("optimizer", config.optimizer);
  set("learning-rate", config.learningRate);
  set("schedule", config.schedule);
  set("steps", config.steps);
  selectValue(element<HTMLSelectElement>("l2"), String(config.l2));
  selectValue(
    element<HTMLSelectElement>("batch-size"),
    config.batchSize === null ? "full" : String(config.batchSize),
  );
  element<HTMLInputElement>("compile").checked = config.compile;
  set("speed", String(speed));
  element<HTMLInputElement>("log-scale").checked = logScale;
  element<HTMLInputElement>("grid-hard").checked = gridMode === "hard";
  writeLayers(config);
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
function writeLayers(config: TrainConfig): void {
  const { hidden } = config;
  // The Trainer's rule (resolveConfig), not a copy of it.
  const outputs = outputCount(config);
  element("architecture").textContent = [
    "2",
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
    const count = document.createElement("span");
    count.className = "neuron-count";
    count.textContent = String(size);
    count.setAttribute("aria-label", `${size} neurons in layer ${index + 1}`);
    item.append(
      name,
      layerButton(index, -1, size <= LIMITS.neurons.min),
      count,
      layerButton(index, 1, size >= LIMITS.neurons.max),
    );
    return item;
  });
  element("layers").replaceChildren(...items);
}

/**
 * The settings the controls describe now (before normalising); a number
 * field that is empty or out of range keeps the value `current` has.
 */
export function readForm(current: PlaygroundSettings): PlaygroundSettings {
  const config: TrainConfig = {
    ...current.config,
    hidden: [...current.config.hidden],
  };
  const text = (id: string) =>
    element<HTMLInputElement | HTMLSelectElement>(id).value;
  const number = (
    id: string,
    limits: { min: number; max: number },
    integer: boolean,
    fallback: number,
  ) => parseNumber(text(id), limits, integer) ?? fallback;
  config.dataset = text("dataset") as TrainConfig["dataset"];
  config.classes = number("classes", LIMITS.classes, true, config.classes);
  config.points = number("points", LIMITS.points, true, config.points);
  config.noise = number("noise", LIMITS.noise, false, config.noise);
  config.testFraction = number(
    "test-fraction",
    LIMITS.testFraction,
    false,
    config.testFraction,
  );
  config.dataSeed = number("data-seed", LIMITS.seed, true, config.dataSeed);
  config.activation = text("activation") as TrainConfig["activation"];
  config.init = text("init") as TrainConfig["init"];
  config.seed = number("seed", LIMITS.seed, true, config.seed);
  config.loss = text("loss") as TrainConfig["loss"];
  config.optimizer = text("optimizer") as TrainConfig["optimizer"];
  config.learningRate = number(
    "learning-rate",
    LIMITS.learningRate,
    false,
    config.learningRate,
  );
  config.schedule = text("schedule") as TrainConfig["schedule"];
  config.steps = number("steps", LIMITS.steps, true, config.steps);
  config.l2 = Number(text("l2"));
  const batch = text("batch-size");
  config.batchSize = batch === "full" ? null : Number(batch);
  config.compile = element<HTMLInputElement>("compile").checked;
  const speedText = text("speed");
  const speed: Speed = speedText === "max" ? "max" : Number(speedText);
  return {
    config,
    speed,
    logScale: element<HTMLInputElement>("log-scale").checked,
    gridMode: element<HTMLInputElement>("grid-hard").checked ? "hard" : "soft",
    view: current.view,
  };
}
