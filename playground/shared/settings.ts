/**
 * The playground's settings model: what a page state is
 * ({@linkcode PlaygroundSettings}: the training configuration plus the view
 * options), what it opens with, the bounds the controls allow, and how a
 * state is made consistent. Every derived rule (two-class datasets, one
 * output per class, the effective batch size) is the library's
 * `resolveConfig`; nothing here restates one. How settings are written into
 * the URL is `url_hash.ts`; how the form shows them is
 * `training/settings_form.ts`.
 *
 * @module
 */

import {
  DEFAULT_CONFIG,
  resolveConfig,
  type TrainConfig,
} from "../../src/config.ts";

/** Training speed: a target number of steps per second, or as fast as possible. */
export type Speed = number | "max";

/** The speeds offered in the speed control (steps per second). */
export const SPEEDS: readonly Speed[] = [1, 3, 10, 30, 100, "max"];

/** How the decision grid is coloured. */
export type GridMode = "soft" | "hard";

/** Everything the page keeps (and the URL hash stores). */
export interface PlaygroundSettings {
  config: TrainConfig;
  speed: Speed;
  logScale: boolean;
  gridMode: GridMode;
  /** Which view (tab) is shown, e.g. `"training"`; unknown ids show the training view. */
  view: string;
}

/** An inclusive range of numbers. */
export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Bounds the controls allow; the URL is held to the same bounds. They are
 * narrower than the library's (a page must stay responsive).
 */
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
} as const satisfies Record<string, Bounds>;

/**
 * The settings the playground opens with: micrograd's demo (moons, 100
 * points, 2-16-16-1 relu, hinge loss, SGD with the linear decay), with a
 * fifth of the points held out so the test curves have something to show.
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
 * ```
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
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LIMITS, parseNumber } from "./settings.ts";
 * assert.equal(parseNumber("200", LIMITS.points, true), 200);
 * assert.equal(parseNumber("2.5", LIMITS.points, true), undefined);
 * assert.equal(parseNumber("5", LIMITS.points, true), undefined);
 * assert.equal(parseNumber(" ", LIMITS.noise, false), undefined);
 * ```
 */
export function parseNumber(
  text: string | null,
  { min, max }: Bounds,
  integer: boolean,
): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  if (integer && !Number.isInteger(value)) return undefined;
  if (value < min || value > max) return undefined;
  return value;
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
 * The number of model outputs the Trainer builds for `config` (one per
 * class for cross-entropy, else one), from `resolveConfig`; `null` if the
 * library refuses the configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "../../src/config.ts";
 * import { outputCount } from "./settings.ts";
 * assert.equal(outputCount(DEFAULT_CONFIG), 1);
 * assert.equal(outputCount({ ...DEFAULT_CONFIG, dataset: "blobs", classes: 4 }), 4);
 * ```
 */
export function outputCount(config: TrainConfig): number | null {
  try {
    return resolveConfig(config).outputs;
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
