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

import {
  configField,
  configFromParams,
  configToParams,
  type TrainConfig,
} from "../../src/config.ts";
import {
  defaultSettings,
  explainRejected,
  explainResolution,
  type GridMode,
  normalizeSettings,
  PLAYGROUND_DEFAULTS,
  type PlaygroundSettings,
  type Speed,
  SPEEDS,
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
  const settings = normalizeSettings({
    config,
    speed: parseSpeed(get("speed")) ?? defaults.speed,
    logScale: parseBoolean(get("logScale")) ?? defaults.logScale,
    gridMode: parseGridMode(get(GRID_KEY)) ?? defaults.gridMode,
    showTest: parseBoolean(get("showTest")) ?? defaults.showTest,
    view: VIEW_ID.test(view) ? view : defaults.view,
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
  // URLSearchParams encodes "," as %2C; keep layer lists readable.
  return "#" + params.toString().replaceAll("%2C", ",");
}
