/**
 * The playground's settings model: what a page state is
 * ({@linkcode PlaygroundSettings}: the training configuration plus the view
 * options), what it opens with, the bounds the controls allow, and how a
 * state is made consistent. The fields, their defaults and the controls'
 * narrower bounds are the library's config schema (`CONFIG_SCHEMA` in
 * `src/config.ts`, its `ui` column); every derived rule (two-class datasets,
 * one output per class, the effective batch size) is the library's
 * `resolveConfig`; nothing here restates one. How settings are written into
 * the URL is `url_hash.ts`; how the form shows them is
 * `training/settings_form.ts`.
 *
 * @module
 */

import {
  CONFIG_SCHEMA,
  configField,
  type ConfigNote,
  type DataShape,
  describeResolution,
  isConfigError,
  parseConfigField,
  resolveConfig,
  type TrainConfig,
  validateConfig,
} from "../../src/config.ts";
import { isFieldError } from "../../src/checks.ts";
import {
  STOP_MODES,
  type StopMode,
  type StopRule,
  stopRuleFromMode,
} from "../../src/stop.ts";

/** Training speed: a target number of steps per second, or as fast as possible. */
export type Speed = number | "max";

/** The speeds offered in the speed control (steps per second). */
export const SPEEDS: readonly Speed[] = [1, 3, 10, 30, 100, "max"];

/** How the decision grid is coloured. */
export type GridMode = "soft" | "hard";

/**
 * When a run stops on its own (the library's `stopRuleFromMode`): `mode`
 * is a `StopMode` the page offers, `value` its number (`null` for `steps`
 * means the schedule's length; ignored for `never`).
 */
export interface StopSetting {
  mode: StopMode;
  value: number | null;
}

/** The loss chart's "last N steps" window: the steps it may show. */
export const CHART_WINDOW = { min: 10, max: 1_000_000 } as const;

/**
 * A window typed or linked as text: a whole number of steps within
 * {@linkcode CHART_WINDOW}, `null` for an empty text (the whole run), or
 * `undefined` when the text is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chartWindowOf } from "./settings.ts";
 * assert.equal(chartWindowOf("200"), 200);
 * assert.equal(chartWindowOf(" "), null);
 * for (const bad of ["5", "-3", "2.5", "1e8", "abc"]) assert.equal(chartWindowOf(bad), undefined);
 * ```
 */
export function chartWindowOf(text: string): number | null | undefined {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isInteger(value) && value >= CHART_WINDOW.min &&
      value <= CHART_WINDOW.max
    ? value
    : undefined;
}

/**
 * Controls a classroom link may hide (`hide=` in the URL): the config
 * fields by their key, the three settings panels, and the page's own
 * controls.
 */
export const HIDEABLE: readonly string[] = [
  ...CONFIG_SCHEMA.map((row) => row.key),
  "data",
  "network",
  "training",
  "speed",
  "stop",
  "save",
  "export",
];

/** Everything the page keeps (and the URL hash stores). */
export interface PlaygroundSettings {
  config: TrainConfig;
  speed: Speed;
  logScale: boolean;
  gridMode: GridMode;
  /** Whether the decision grid shows the test points. */
  showTest: boolean;
  /** Which view (tab) is shown, e.g. `"training"`; unknown ids show the training view. */
  view: string;
  /** When training stops on its own. */
  stop: StopSetting;
  /** The loss chart shows only the last this many steps (`null`: the whole run). */
  chartWindow: number | null;
  /** Controls hidden by a classroom link (names from {@linkcode HIDEABLE}). */
  hide: string[];
}

/** An inclusive range of numbers. */
export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Where the playground's defaults differ from the library's: a fifth of the
 * points held out, so the test curves have something to show.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PLAYGROUND_DEFAULTS } from "./settings.ts";
 * assert.deepEqual(PLAYGROUND_DEFAULTS, { testFraction: 0.2 });
 * ```
 */
export const PLAYGROUND_DEFAULTS: Readonly<Partial<TrainConfig>> = Object
  .freeze({ testFraction: 0.2 });

/** A `ui` range of the schema as inclusive bounds (open ends are infinite). */
function uiBounds(key: keyof TrainConfig): Bounds {
  const range = configField(key).ui.range ?? {};
  return { min: range.min ?? -Infinity, max: range.max ?? Infinity };
}

/**
 * The bounds the controls allow (and the URL is held to), read from the
 * `ui` column of the library's config schema: one entry per field with a
 * range, keyed by the config key, plus `layers` (how many hidden layers)
 * and `neurons` (the size of each). They are narrower than the library's
 * (a page must stay responsive).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LIMITS } from "./settings.ts";
 * assert.deepEqual(LIMITS.points, { min: 10, max: 1000 });
 * assert.deepEqual(LIMITS.layers, { min: 0, max: 8 });
 * assert.deepEqual(LIMITS.neurons, { min: 1, max: 32 });
 * ```
 */
export const LIMITS:
  & Readonly<Record<string, Bounds>>
  & { readonly layers: Bounds; readonly neurons: Bounds } = Object.freeze({
    ...Object.fromEntries(
      CONFIG_SCHEMA.filter((row) => row.ui.range !== undefined).map((
        row,
      ) => [row.key, uiBounds(row.key)]),
    ),
    layers: { min: 0, max: Infinity, ...configField("hidden").ui.layers },
    neurons: uiBounds("hidden"),
  });

/**
 * The settings the playground opens with: micrograd's demo (moons, 100
 * points, 2-16-16-1 relu, hinge loss, SGD with the linear decay), with
 * {@linkcode PLAYGROUND_DEFAULTS} applied.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultSettings } from "./settings.ts";
 * const settings = defaultSettings();
 * assert.equal(settings.config.dataset, "moons");
 * assert.deepEqual(settings.config.hidden, [16, 16]);
 * assert.equal(settings.config.testFraction, 0.2);
 * assert.equal(settings.view, "training");
 * assert.deepEqual(settings.stop, { mode: "steps", value: null }); // the schedule's length
 * ```
 */
export function defaultSettings(): PlaygroundSettings {
  return {
    config: validateConfig(PLAYGROUND_DEFAULTS),
    // About 3 s for the demo's 100 steps: the boundary can be watched bending.
    speed: 30,
    logScale: false,
    gridMode: "soft",
    showTest: true,
    view: "training",
    stop: { mode: "steps", value: null },
    chartWindow: null,
    hide: [],
  };
}

/** Longest piece of a refused text quoted back to the visitor. */
const QUOTE_LENGTH = 40;

/**
 * Why the text `text` for config field `key` was not used (from a link or
 * a form control), in words for the visitor: what the field accepts (the
 * schema's `ui` limits) and the value used instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainRejected } from "./settings.ts";
 * assert.equal(
 *   explainRejected("learningRate", "fast", 1),
 *   'learningRate "fast" was not used: it must be a number in [0.000001, 100]; using 1.',
 * );
 * ```
 */
export function explainRejected<K extends keyof TrainConfig>(
  key: K,
  text: string,
  used: TrainConfig[K],
): string {
  const quoted = text.length > QUOTE_LENGTH
    ? `${text.slice(0, QUOTE_LENGTH)}…`
    : text;
  let why = "it does not fit with the other settings";
  try {
    parseConfigField(key, text, { ui: true });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    why = `it must be ${error.allowed}`;
  }
  const shown = Array.isArray(used) ? `[${used.join(", ")}]` : String(used);
  return `${key} ${
    JSON.stringify(quoted)
  } was not used: ${why}; using ${shown}.`;
}

/**
 * What the library's derived rules (`describeResolution`) change in
 * `config`, one sentence per field, for the visitor; none when the library
 * refuses the config (the worker reports why when it is run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { explainResolution } from "./settings.ts";
 * assert.deepEqual(explainResolution({ ...DEFAULT_CONFIG, classes: 3 }), [
 *   "classes 3 runs as 2: the moons dataset always has 2 classes.",
 * ]);
 * assert.deepEqual(explainResolution(DEFAULT_CONFIG), []);
 * ```
 */
export function explainResolution(config: TrainConfig): string[] {
  let notes: ConfigNote[];
  try {
    notes = describeResolution(config);
  } catch (error) {
    if (isConfigError(error)) return [];
    throw error;
  }
  const show = (value: unknown) => value === null ? "full" : String(value);
  return notes.map((note) =>
    `${note.field} ${show(note.given)} runs as ${
      show(note.effective)
    }: ${note.reason}.`
  );
}

/**
 * The configuration the Trainer would run, without the sizes
 * `resolveConfig` adds; `null` if the library refuses it.
 */
function effectiveConfig(config: TrainConfig): TrainConfig | null {
  try {
    const { trainSize: _t, testSize: _s, outputs: _o, ...effective } =
      resolveConfig(config);
    return effective;
  } catch {
    return null;
  }
}

/**
 * Make settings consistent across fields with the library's own rules
 * (`resolveConfig`): two-class datasets have 2 classes, more than 2 classes
 * train with cross-entropy, and a batch at least as large as the training
 * set is the full batch. A configuration the library refuses is returned
 * unchanged (the worker reports why when it is run). Returns a new object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultSettings, normalizeSettings } from "./settings.ts";
 * const settings = defaultSettings();
 * settings.config = { ...settings.config, dataset: "spiral", classes: 3, loss: "mse" };
 * assert.equal(normalizeSettings(settings).config.loss, "crossEntropy");
 * settings.config = { ...settings.config, dataset: "moons", batchSize: 80 };
 * const moons = normalizeSettings(settings).config;
 * assert.equal(moons.classes, 2);
 * assert.equal(moons.batchSize, null); // 80 of 80 training points: full batch
 * ```
 */
export function normalizeSettings(
  settings: PlaygroundSettings,
): PlaygroundSettings {
  const config = effectiveConfig(settings.config) ??
    { ...settings.config, hidden: [...settings.config.hidden] };
  return { ...settings, config };
}

/**
 * Whether setting `field` to `value` would survive the library's rules
 * (the form disables the choices `resolveConfig` would override, e.g. a
 * one-output loss for three classes). True when the library refuses the
 * whole combination (that is reported, not disabled).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { isEffective } from "./settings.ts";
 * const spiral = { ...DEFAULT_CONFIG, dataset: "spiral" as const, classes: 3 };
 * assert.equal(isEffective(spiral, "loss", "hinge"), false);
 * assert.equal(isEffective(spiral, "loss", "crossEntropy"), true);
 * assert.equal(isEffective(DEFAULT_CONFIG, "classes", 3), false); // moons
 * ```
 */
export function isEffective<K extends keyof TrainConfig>(
  config: TrainConfig,
  field: K,
  value: TrainConfig[K],
): boolean {
  const effective = effectiveConfig({ ...config, [field]: value });
  // A combination the library refuses outright is not ruled out here: the
  // worker says why when it is run.
  return effective === null || effective[field] === value;
}

/**
 * Why the Trainer would refuse to train `config` on your own points of shape
 * `data` (`points`: their training points; the worker trains on those with
 * no split of its own), in words for the page, or `null` when it would
 * train. Today's one refusal: too many points for the network in a full
 * batch (one step's graph must stay within the library's size budget).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { dataRefusal } from "./settings.ts";
 * const shape = { task: "classification" as const, points: 8000, classes: 3 };
 * assert.equal(dataRefusal(DEFAULT_CONFIG, shape), null);
 * const deep = { ...DEFAULT_CONFIG, hidden: [32, 32, 32, 32, 32, 32, 32, 32] };
 * assert.match(dataRefusal(deep, shape)!, /^8000 training points are too many for this network: at most \d+/);
 * assert.equal(dataRefusal(deep, { ...shape, points: 2000 }), null);
 * ```
 */
export function dataRefusal(
  config: TrainConfig,
  data: DataShape,
): string | null {
  try {
    resolveConfig({ ...config, testFraction: 0 }, data);
    return null;
  } catch (error) {
    if (isFieldError(error) && error.field === "points") {
      return `${data.points} training points are too many for this network: ${error.allowed}`;
    }
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The number of model outputs the Trainer builds for `config` (one per
 * class for cross-entropy, else one), from `resolveConfig`, on the data of
 * shape `data` when given (your own points); `null` if the library refuses
 * the configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { outputCount } from "./settings.ts";
 * assert.equal(outputCount(DEFAULT_CONFIG), 1);
 * assert.equal(outputCount({ ...DEFAULT_CONFIG, dataset: "blobs", classes: 4 }), 4);
 * assert.equal(outputCount(DEFAULT_CONFIG, { task: "classification", points: 9, classes: 3 }), 3);
 * ```
 */
export function outputCount(
  config: TrainConfig,
  data?: DataShape,
): number | null {
  try {
    return resolveConfig(config, data).outputs;
  } catch {
    return null;
  }
}

/**
 * Whether two configurations are the same, field by field (whatever order
 * their keys were written in).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { sameConfig } from "./settings.ts";
 * const copy = { ...DEFAULT_CONFIG, hidden: [...DEFAULT_CONFIG.hidden] };
 * assert.equal(sameConfig(DEFAULT_CONFIG, copy), true);
 * assert.equal(sameConfig(DEFAULT_CONFIG, { ...copy, hidden: [16] }), false);
 * ```
 */
export function sameConfig(a: TrainConfig, b: TrainConfig): boolean {
  const keys = Object.keys(a) as (keyof TrainConfig)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = a[key], y = b[key];
    return Array.isArray(x) && Array.isArray(y)
      ? x.length === y.length && x.every((value, i) => value === y[i])
      : x === y;
  });
}

/**
 * The library's stop rule for a page's stop setting
 * (`stopRuleFromMode`), or `null` when the library refuses it (a target
 * out of range, or missing for a mode that needs one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopRuleOf } from "./settings.ts";
 * assert.deepEqual(stopRuleOf({ mode: "steps", value: null }), { steps: "schedule" });
 * assert.deepEqual(stopRuleOf({ mode: "loss", value: 0.05 }), { loss: 0.05 });
 * assert.deepEqual(stopRuleOf({ mode: "never", value: 3 }), {});
 * assert.equal(stopRuleOf({ mode: "accuracy", value: 2 }), null);
 * assert.equal(stopRuleOf({ mode: "loss", value: null }), null);
 * ```
 */
export function stopRuleOf(stop: StopSetting): StopRule | null {
  if (!STOP_MODES.includes(stop.mode)) return null;
  try {
    return stopRuleFromMode(stop.mode, stop.value);
  } catch {
    return null;
  }
}
