/**
 * The URL codec: settings in the page address (`#dataset=moons&points=100…`)
 * so that a link reproduces a run. The training config part is the
 * library's: `configFromParams` and `configToParams` of `src/config.ts`
 * read and write every field by its schema row (its URL key, its text
 * format, the playground's `ui` limits), so a field added to the schema is
 * in the URL too. Only the view options (speed, log scale, grid mode,
 * whether test points show, the tab) are this file's own.
 *
 * {@linkcode readHash} never throws: each field that is missing, unknown or
 * malformed falls back to its default on its own, and the result is always
 * a configuration the library accepts, with the library's derived rules
 * (`resolveConfig`) applied; it also says in words what it did not use.
 * Values from the URL are only ever turned into numbers, booleans or one of
 * a fixed list of names, never into markup.
 *
 * @module
 */

import { listOf, suggestKey } from "../../src/checks.ts";
import {
  CONFIG_SCHEMA,
  configField,
  configFromParams,
  configToParams,
  type TrainConfig,
} from "../../src/config.ts";
import { STOP_MODES, type StopMode } from "../../src/stop.ts";
import {
  CHART_WINDOW,
  chartWindowOf,
  defaultSettings,
  explainRejected,
  explainResolution,
  type GridMode,
  HIDEABLE,
  normalizeSettings,
  PLAYGROUND_DEFAULTS,
  type PlaygroundSettings,
  type Speed,
  SPEEDS,
  stopRuleOf,
  type StopSetting,
} from "./settings.ts";

/** What a view id may look like (it is only compared, never displayed). */
const VIEW_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** The URL key of the grid mode (older links have it, so it stays). */
const GRID_KEY = "grid";

function parseBoolean(text: string | null): boolean | undefined {
  if (text === "1" || text === "true") return true;
  if (text === "0" || text === "false") return false;
  return undefined;
}

function parseSpeed(text: string | null): Speed | undefined {
  if (text === "max") return "max";
  if (text === null || text.trim() === "") return undefined;
  return SPEEDS.find((speed) => speed === Number(text));
}

/** The stop setting of a link (`stop=`, `stopValue=`), and a note if refused. */
function parseStop(
  mode: string | null,
  value: string | null,
  fallback: StopSetting,
): { stop: StopSetting; note: string | null } {
  if (mode === null && value === null) return { stop: fallback, note: null };
  const known = STOP_MODES.find((m) => m === mode) ?? fallback.mode;
  const text = (value ?? "").trim();
  const stop: StopSetting = {
    mode: known as StopMode,
    value: text === "" ? null : Number(text),
  };
  if (
    (mode === null || known === mode) && stopRuleOf(stop) !== null &&
    (stop.value === null || Number.isFinite(stop.value))
  ) {
    return { stop, note: null };
  }
  return {
    stop: fallback,
    note: `stop "${String(mode).slice(0, 40)}" with stopValue "${
      text.slice(0, 40)
    }" was not used: the stop modes are ${
      STOP_MODES.join(", ")
    }, with a target for loss and the accuracies; stopping after the schedule.`,
  };
}

/**
 * The chart's window (steps, within {@linkcode CHART_WINDOW}), or `null`
 * for the whole run; a value out of bounds is not used and says so.
 */
function parseWindow(
  text: string | null,
): { window: number | null; note: string | null } {
  if (text === null || text === "") return { window: null, note: null };
  const window = chartWindowOf(text);
  return window === undefined
    ? {
      window: null,
      note: `window "${
        text.slice(0, 40)
      }" was not used: it must be a whole number of steps from ${CHART_WINDOW.min} to ${CHART_WINDOW.max}; showing the whole run.`,
    }
    : { window, note: null };
}

/** The controls a classroom link hides (the known names, in order), and a note naming any unknown one. */
function parseHide(
  text: string | null,
): { hide: string[]; note: string | null } {
  if (text === null) return { hide: [], note: null };
  const asked = text.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = asked.filter((name) => !HIDEABLE.includes(name));
  if (unknown.length === 0) {
    return {
      hide: HIDEABLE.filter((name) => asked.includes(name)),
      note: null,
    };
  }
  const guesses = unknown.map((name) => suggestKey(name, HIDEABLE))
    .filter((name): name is string => name !== undefined);
  const named = unknown.map((name) => `"${name.slice(0, 40)}"`).join(", ");
  const verb = unknown.length === 1 ? "is" : "are";
  const guess = guesses.length > 0 ? ` (did you mean ${listOf(guesses)}?)` : "";
  return {
    hide: HIDEABLE.filter((name) => asked.includes(name)),
    note:
      `hide ${named} ${verb} not a control that can be hidden${guess}; a link can hide ${
        HIDEABLE.join(", ")
      }.`,
  };
}

function parseGridMode(text: string | null): GridMode | undefined {
  return text === "hard" || text === "soft" ? text : undefined;
}

/** What {@linkcode readHash} read: the settings and what it did not use. */
export interface HashReading {
  /** The settings, consistent and accepted by the library. */
  settings: PlaygroundSettings;
  /**
   * One sentence per field of the link that was not used as written: a
   * malformed or out-of-range value (replaced by its default), or a value
   * the library's rules run differently (e.g. `classes` on moons).
   */
  notes: string[];
}

/**
 * Read settings from a URL hash (with or without the leading `#`), saying
 * what was not used. Never throws: anything unusable falls back to the
 * default for that field alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHash } from "./url_hash.ts";
 * const { settings, notes } = readHash("#points=50&learningRate=fast");
 * assert.equal(settings.config.points, 50);
 * assert.equal(settings.config.learningRate, 1);
 * assert.deepEqual(notes, [
 *   'learningRate "fast" was not used: it must be a number in [0.000001, 100]; using 1.',
 * ]);
 * ```
 */
export function readHash(hash: string): HashReading {
  const defaults = defaultSettings();
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(String(hash).replace(/^#/, ""));
  } catch {
    return { settings: defaults, notes: [] };
  }
  const get = (key: string): string | null => params.get(key);
  const { config, rejected } = configFromParams(get, {
    ui: true,
    defaults: PLAYGROUND_DEFAULTS,
  });
  const notes = rejected.map((key) =>
    explainRejected(key, get(configField(key).urlKey) ?? "", config[key])
  );
  notes.push(...explainResolution(config));
  const view = get("view") ?? "";
  const { stop, note } = parseStop(
    get("stop"),
    get("stopValue"),
    defaults.stop,
  );
  if (note !== null) notes.push(note);
  const window = parseWindow(get("window"));
  if (window.note !== null) notes.push(window.note);
  const hide = parseHide(get("hide"));
  if (hide.note !== null) notes.push(hide.note);
  const settings = normalizeSettings({
    config,
    speed: parseSpeed(get("speed")) ?? defaults.speed,
    logScale: parseBoolean(get("logScale")) ?? defaults.logScale,
    gridMode: parseGridMode(get(GRID_KEY)) ?? defaults.gridMode,
    showTest: parseBoolean(get("showTest")) ?? defaults.showTest,
    view: VIEW_ID.test(view) ? view : defaults.view,
    stop,
    chartWindow: window.window,
    hide: hide.hide,
  });
  return { settings, notes };
}

/**
 * Read settings from a URL hash (with or without the leading `#`): the
 * settings of {@linkcode readHash}, without its notes.
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
  return readHash(hash).settings;
}

/**
 * Write settings as a URL hash (starting with `#`): the config in schema
 * order by each field's URL key, then the view options;
 * {@linkcode parseHash} reads it back exactly.
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
  const params = new URLSearchParams(
    configToParams(settings.config as Readonly<TrainConfig>),
  );
  params.set("speed", String(settings.speed));
  params.set("logScale", settings.logScale ? "1" : "0");
  params.set(GRID_KEY, settings.gridMode);
  params.set("showTest", settings.showTest ? "1" : "0");
  if (settings.view !== "training") params.set("view", settings.view);
  params.set("stop", settings.stop.mode);
  params.set("stopValue", settings.stop.value?.toString() ?? "");
  if (settings.chartWindow !== null) {
    params.set("window", String(settings.chartWindow));
  }
  if (settings.hide.length > 0) params.set("hide", settings.hide.join(","));
  // URLSearchParams encodes "," as %2C; keep layer lists readable.
  return "#" + params.toString().replaceAll("%2C", ",");
}

/** The hash keys that are the training view's own (besides the config's). */
const TRAINING_KEYS: readonly string[] = [
  "speed",
  "logScale",
  GRID_KEY,
  "showTest",
  "view",
  "stop",
  "stopValue",
  "window",
  "hide",
  "data",
];

/**
 * Whether a hash key is the training view's: a config field's URL key, a
 * view option, or `data` (your own points). Others (the explorer's
 * `program`, `preset`, `point`, `lesson`) belong to other views.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTrainingKey } from "./url_hash.ts";
 * assert.equal(isTrainingKey("learningRate"), true);
 * assert.equal(isTrainingKey("stop"), true);
 * assert.equal(isTrainingKey("program"), false);
 * ```
 */
export function isTrainingKey(key: string): boolean {
  return TRAINING_KEYS.includes(key) ||
    CONFIG_SCHEMA.some((row) => row.urlKey === key);
}

/**
 * The address `current` with the training view's keys replaced by those of
 * `training` (a hash from {@linkcode formatHash}, maybe with `data=`): the
 * training keys first, then every key of other views as it was.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeHash } from "./url_hash.ts";
 * assert.equal(
 *   mergeHash("#points=50&program=a*b&lesson=2", "#points=60&speed=max"),
 *   "#points=60&speed=max&program=a*b&lesson=2",
 * );
 * assert.equal(mergeHash("", "#points=60"), "#points=60");
 * ```
 */
export function mergeHash(current: string, training: string): string {
  const kept = String(current).replace(/^#/, "").split("&").filter((part) => {
    if (part === "") return false;
    const key = part.split("=")[0];
    let decoded = key;
    try {
      decoded = decodeURIComponent(key);
    } catch {
      // A malformed key is not ours: keep it as it is.
    }
    return !isTrainingKey(decoded);
  });
  return kept.length === 0 ? training : `${training}&${kept.join("&")}`;
}
