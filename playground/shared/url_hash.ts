/**
 * The URL codec: settings in the page address (`#dataset=moons&points=100…`)
 * so that a link reproduces a run. {@linkcode parseHash} never throws: each
 * field that is missing, unknown or malformed falls back to its default on
 * its own, and the result is always a configuration the library accepts.
 * Values from the URL are only ever turned into numbers, booleans or one of
 * a fixed list of names, never into markup. The lists of names (datasets,
 * activations, …) are the library's own, so the URL accepts exactly what the
 * library does. What the settings are, their bounds and how they are made
 * consistent is `settings.ts`.
 *
 * @module
 */

import { ACTIVATIONS } from "../../src/activation.ts";
import {
  OPTIMIZER_NAMES,
  type TrainConfig,
  validateConfig,
} from "../../src/config.ts";
import { DATASET_NAMES } from "../../src/data.ts";
import { INITIALIZATIONS } from "../../src/initialization.ts";
import { LOSS_NAMES } from "../../src/loss.ts";
import { SCHEDULE_NAMES } from "../../src/schedule.ts";
import {
  defaultSettings,
  LIMITS,
  normalizeSettings,
  parseNumber,
  type PlaygroundSettings,
  type Speed,
  SPEEDS,
} from "./settings.ts";

/** What a view id may look like (it is only compared, never displayed). */
const VIEW_ID = /^[a-z][a-z0-9-]{0,31}$/;

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

/**
 * `"16,16"` → `[16, 16]`; `""` → `[]` (no hidden layer); anything else
 * invalid (a size or a layer count outside {@linkcode LIMITS}) → undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHidden } from "./url_hash.ts";
 * assert.deepEqual(parseHidden("16,16"), [16, 16]);
 * assert.deepEqual(parseHidden(""), []);
 * assert.equal(parseHidden("4,x"), undefined);
 * ```
 */
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
 * Read settings from a URL hash (with or without the leading `#`). Never
 * throws: anything unusable falls back to the default for that field, and if
 * the library still rejects the combination, to the defaults altogether.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHash } from "./url_hash.ts";
 * const settings = parseHash("#dataset=circles&points=abc&hidden=8,4");
 * assert.equal(settings.config.dataset, "circles");
 * assert.equal(settings.config.points, 100); // "abc": the default
 * assert.deepEqual(settings.config.hidden, [8, 4]);
 * ```
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

/**
 * Write settings as a URL hash (starting with `#`); {@linkcode parseHash}
 * reads it back exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultSettings } from "./settings.ts";
 * import { formatHash, parseHash } from "./url_hash.ts";
 * const hash = formatHash(defaultSettings());
 * assert.match(hash, /^#dataset=moons&points=100&/);
 * assert.deepEqual(parseHash(hash), defaultSettings());
 * ```
 */
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
