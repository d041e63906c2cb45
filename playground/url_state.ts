/**
 * Every playground setting lives in the URL hash (`#dataset=moons&points=100…`)
 * so that a link reproduces a run. Parsing never throws: each field that is
 * missing, unknown or malformed falls back to its default on its own, and the
 * result is always a configuration the library accepts. Values from the URL
 * are only ever turned into numbers, booleans or one of a fixed list of
 * names, never into markup. The lists of names (datasets, activations, …)
 * are the library's own, so the URL accepts exactly what the library does;
 * the menus in `index.html` order and label them (a test checks they match).
 *
 * @module
 */

import { ACTIVATIONS } from "../src/activation.ts";
import {
  DEFAULT_CONFIG,
  OPTIMIZER_NAMES,
  type TrainConfig,
  validateConfig,
} from "../src/config.ts";
import { DATASET_NAMES, MULTICLASS_DATASETS } from "../src/data.ts";
import { INITIALIZATIONS } from "../src/initialization.ts";
import { LOSS_NAMES } from "../src/loss.ts";
import { SCHEDULE_NAMES } from "../src/schedule.ts";

/** Training speed: a target number of steps per second, or as fast as possible. */
export type Speed = number | "max";

/** The speeds offered in the speed control (steps per second). */
export const SPEEDS: readonly Speed[] = [1, 3, 10, 30, 100, "max"];

/** How the decision grid is coloured. */
export type GridMode = "soft" | "hard";

/** Everything the URL hash stores: the training configuration plus view options. */
export interface PlaygroundSettings {
  config: TrainConfig;
  speed: Speed;
  logScale: boolean;
  gridMode: GridMode;
  /** Which view (tab) is shown, e.g. `"training"`; unknown ids show the training view. */
  view: string;
}

/** Bounds the controls allow; the URL is held to the same bounds. */
export const LIMITS = {
  points: { min: 10, max: 1000 },
  noise: { min: 0, max: 1 },
  classes: { min: 2, max: 6 },
  testFraction: { min: 0, max: 0.9 },
  layers: { min: 0, max: 8 },
  neurons: { min: 1, max: 32 },
  learningRate: { min: 1e-6, max: 100 },
  steps: { min: 1, max: 1_000_000 },
  l2: { min: 0, max: 10 },
  batchSize: { min: 1, max: 1000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

/** What a view id may look like (it is only compared, never displayed). */
const VIEW_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** Datasets whose number of classes the user can choose; the others have 2. */
export { MULTICLASS_DATASETS };

/**
 * The settings the playground opens with: micrograd's demo (moons, 100
 * points, 2-16-16-1 relu, hinge loss, SGD with the linear decay), with a
 * fifth of the points held out so the test curves have something to show.
 */
export function defaultSettings(): PlaygroundSettings {
  return {
    config: {
      ...DEFAULT_CONFIG,
      hidden: [...DEFAULT_CONFIG.hidden],
      testFraction: 0.2,
    },
    speed: "max",
    logScale: false,
    gridMode: "soft",
    view: "training",
  };
}

/**
 * A number from a URL field or a form control, or `undefined` if it is empty,
 * not a number, outside `[min, max]`, or not an integer where one is needed.
 */
export function parseNumber(
  text: string | null,
  { min, max }: { readonly min: number; readonly max: number },
  integer: boolean,
): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  if (integer && !Number.isInteger(value)) return undefined;
  if (value < min || value > max) return undefined;
  return value;
}

function parseChoice<T extends string>(
  text: string | null,
  choices: readonly T[],
): T | undefined {
  return (choices as readonly string[]).includes(text ?? "")
    ? text as T
    : undefined;
}

function parseBoolean(text: string | null): boolean | undefined {
  if (text === "1" || text === "true") return true;
  if (text === "0" || text === "false") return false;
  return undefined;
}

/** `"16,16"` → `[16, 16]`; `""` → `[]` (no hidden layer); anything else invalid → undefined. */
export function parseHidden(text: string | null): number[] | undefined {
  if (text === null) return undefined;
  if (text.trim() === "") return [];
  const parts = text.split(",");
  if (parts.length > LIMITS.layers.max) return undefined;
  const sizes: number[] = [];
  for (const part of parts) {
    const size = parseNumber(part, LIMITS.neurons, true);
    if (size === undefined) return undefined;
    sizes.push(size);
  }
  return sizes;
}

function parseSpeed(text: string | null): Speed | undefined {
  if (text === "max") return "max";
  const value = parseNumber(text, { min: 0, max: Infinity }, false);
  return SPEEDS.includes(value as number) ? value : undefined;
}

/**
 * Make settings consistent across fields: two-class datasets have 2
 * classes, more than 2 classes need a loss with one output per class, and a
 * minibatch cannot be larger than the data. Returns a new object.
 */
export function normalizeSettings(
  settings: PlaygroundSettings,
): PlaygroundSettings {
  const config = { ...settings.config, hidden: [...settings.config.hidden] };
  if (!MULTICLASS_DATASETS.includes(config.dataset)) config.classes = 2;
  if (
    config.classes > 2 &&
    (config.loss === "hinge" || config.loss === "logistic")
  ) {
    config.loss = "crossEntropy";
  }
  // The Trainer treats a batch at least as large as the training set as the
  // full batch; say so in the settings too, so the control shows it.
  const trainSize = config.points -
    Math.round(config.points * config.testFraction);
  if (config.batchSize !== null && config.batchSize >= trainSize) {
    config.batchSize = null;
  }
  return { ...settings, config };
}

/**
 * Read settings from a URL hash (with or without the leading `#`). Never
 * throws: anything unusable falls back to the default for that field, and if
 * the library still rejects the combination, to the defaults altogether.
 */
export function parseHash(hash: string): PlaygroundSettings {
  const defaults = defaultSettings();
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(String(hash).replace(/^#/, ""));
  } catch {
    return defaults;
  }
  const get = (key: string): string | null => params.get(key);
  const d = defaults.config;
  const config: TrainConfig = {
    ...d,
    dataset: parseChoice(get("dataset"), DATASET_NAMES) ?? d.dataset,
    points: parseNumber(get("points"), LIMITS.points, true) ??
      d.points,
    noise: parseNumber(get("noise"), LIMITS.noise, false) ??
      d.noise,
    classes: parseNumber(get("classes"), LIMITS.classes, true) ??
      d.classes,
    dataSeed: parseNumber(get("dataSeed"), LIMITS.seed, true) ??
      d.dataSeed,
    testFraction:
      parseNumber(get("testFraction"), LIMITS.testFraction, false) ??
        d.testFraction,
    hidden: parseHidden(get("hidden")) ?? d.hidden,
    activation: parseChoice(get("activation"), ACTIVATIONS) ?? d.activation,
    init: parseChoice(get("init"), INITIALIZATIONS) ?? d.init,
    loss: parseChoice(get("loss"), LOSS_NAMES) ?? d.loss,
    optimizer: parseChoice(get("optimizer"), OPTIMIZER_NAMES) ?? d.optimizer,
    learningRate:
      parseNumber(get("learningRate"), LIMITS.learningRate, false) ??
        d.learningRate,
    schedule: parseChoice(get("schedule"), SCHEDULE_NAMES) ?? d.schedule,
    steps: parseNumber(get("steps"), LIMITS.steps, true) ??
      d.steps,
    l2: parseNumber(get("l2"), LIMITS.l2, false) ?? d.l2,
    batchSize: get("batchSize") === "full"
      ? null
      : parseNumber(get("batchSize"), LIMITS.batchSize, true) ??
        d.batchSize,
    seed: parseNumber(get("seed"), LIMITS.seed, true) ??
      d.seed,
    compile: parseBoolean(get("compile")) ?? d.compile,
  };
  const gridText = get("grid");
  const settings = normalizeSettings({
    config,
    speed: parseSpeed(get("speed")) ?? defaults.speed,
    logScale: parseBoolean(get("logScale")) ?? defaults.logScale,
    gridMode: gridText === "hard" || gridText === "soft"
      ? gridText
      : defaults.gridMode,
    view: VIEW_ID.test(get("view") ?? "")
      ? get("view") as string
      : defaults.view,
  });
  try {
    settings.config = validateConfig(settings.config);
    return settings;
  } catch {
    return defaults;
  }
}

/** Write settings as a URL hash (starting with `#`); `parseHash` reads it back exactly. */
export function formatHash(settings: PlaygroundSettings): string {
  const c = settings.config;
  const params = new URLSearchParams();
  params.set("dataset", c.dataset);
  params.set("points", String(c.points));
  params.set("noise", String(c.noise));
  params.set("classes", String(c.classes));
  params.set("dataSeed", String(c.dataSeed));
  params.set("testFraction", String(c.testFraction));
  params.set("hidden", c.hidden.join(","));
  params.set("activation", c.activation);
  params.set("init", c.init);
  params.set("loss", c.loss);
  params.set("optimizer", c.optimizer);
  params.set("learningRate", String(c.learningRate));
  params.set("schedule", c.schedule);
  params.set("steps", String(c.steps));
  params.set("l2", String(c.l2));
  params.set("batchSize", c.batchSize === null ? "full" : String(c.batchSize));
  params.set("seed", String(c.seed));
  params.set("compile", c.compile ? "1" : "0");
  params.set("speed", String(settings.speed));
  params.set("logScale", settings.logScale ? "1" : "0");
  params.set("grid", settings.gridMode);
  if (settings.view !== "training") params.set("view", settings.view);
  // URLSearchParams encodes "," as %2C; keep layer lists readable.
  return "#" + params.toString().replaceAll("%2C", ",");
}
