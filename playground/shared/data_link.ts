/**
 * Your own points in a link: {@linkcode encodeUserData} packs a
 * {@linkcode UserData} into a short URL-safe text (the hash's `data=`),
 * {@linkcode decodeUserData} unpacks it. Up to {@linkcode MAX_LINK_POINTS}
 * points travel in the link; more are kept in the browser's local storage
 * (the page says so).
 *
 * The format (version 1), little-endian, then base64url without padding: a
 * header (version, task, classes, point count, the rectangle as four
 * doubles, and for the coordinates, and a regression's targets, a power of
 * ten and an integer offset), then per point its two coordinates as 16-bit
 * steps (`x = (offset + q) / 10^e`), its class as a byte or its target as
 * 16-bit steps, then one bit per point for its test side. Five bytes a
 * point for a classification: 1,000 points are about 6,700 characters.
 *
 * The steps are as fine as the points' spread allows (a thousandth for the
 * usual data, where a clicked point is already rounded to a thousandth), so
 * the page stores the decoded points ({@linkcode linkable}) and a link
 * reproduces the very run.
 *
 * @module
 */

import { datasetFromPoints } from "../../src/data.ts";
import type { GridBounds } from "../../src/grid.ts";
import type { UserData } from "./user_data.ts";

/** The most points a link carries. */
export const MAX_LINK_POINTS = 1000;

const VERSION = 1;
/** Finest step: 10^-6 (a thousandth of a thousandth). */
const FINEST = 6;
const STEPS = 0xffff;

/** The power of ten whose steps cover `values` in 16 bits, and the offset. */
function quantizer(values: readonly number[]): { e: number; offset: number } {
  if (values.length === 0) return { e: 0, offset: 0 };
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  for (let e = FINEST; e > -300; e--) {
    const lo = Math.round(scaleUp(min, e));
    const hi = Math.round(scaleUp(max, e));
    if (hi - lo <= STEPS && Math.abs(lo) < 2 ** 31) return { e, offset: lo };
  }
  return { e: -300, offset: 0 };
}

/** `v · 10^e`, exactly as the decoder divides back. */
function scaleUp(v: number, e: number): number {
  return e >= 0 ? v * 10 ** e : v / 10 ** -e;
}

/** `k / 10^e`. */
function scaleDown(k: number, e: number): number {
  return e >= 0 ? k / 10 ** e : k * 10 ** -e;
}

/** Bytes as base64url without padding. */
function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

/** base64url (padded or not) as bytes; throws on other characters. */
function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*=*$/.test(text)) {
    throw new RangeError("the data is not base64url text");
  }
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Pack your points into the text of a link's `data=` (URL-safe, no
 * escaping needed). Coordinates and targets become steps as fine as their
 * spread allows; see {@linkcode linkable}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUserData, encodeUserData } from "./data_link.ts";
 * const data = {
 *   task: "classification" as const, classes: 3,
 *   x: [[0.5, -0.25], [1.125, 0]], y: [2, 0], test: [false, true],
 *   bounds: { xMin: -1, xMax: 2, yMin: -1, yMax: 1 },
 * };
 * const text = encodeUserData(data);
 * assert.match(text, /^[\w-]+$/);
 * assert.deepEqual(decodeUserData(text), data);
 * ```
 */
export function encodeUserData(data: UserData): string {
  const n = data.x.length;
  const regression = data.task === "regression";
  const xs = quantizer(data.x.map((p) => p[0]));
  const ys = quantizer(data.x.map((p) => p[1]));
  const ts = regression ? quantizer(data.y) : { e: 0, offset: 0 };
  const header = 1 + 1 + 1 + 4 + 32 + 3 * 5;
  const perPoint = regression ? 6 : 5;
  const bytes = new Uint8Array(header + n * perPoint + Math.ceil(n / 8));
  const view = new DataView(bytes.buffer);
  let at = 0;
  view.setUint8(at++, VERSION);
  view.setUint8(at++, regression ? 1 : 0);
  view.setUint8(at++, regression ? 0 : data.classes);
  view.setUint32(at, n, true);
  at += 4;
  const { xMin, xMax, yMin, yMax } = data.bounds;
  for (const v of [xMin, xMax, yMin, yMax]) {
    view.setFloat64(at, v, true);
    at += 8;
  }
  for (const q of [xs, ys, ts]) {
    view.setInt8(at++, q.e);
    view.setInt32(at, q.offset, true);
    at += 4;
  }
  const step = (v: number, q: { e: number; offset: number }) =>
    Math.min(STEPS, Math.max(0, Math.round(scaleUp(v, q.e)) - q.offset));
  for (let i = 0; i < n; i++) {
    view.setUint16(at, step(data.x[i][0], xs), true);
    view.setUint16(at + 2, step(data.x[i][1], ys), true);
    at += 4;
    if (regression) {
      view.setUint16(at, step(data.y[i], ts), true);
      at += 2;
    } else {
      view.setUint8(at++, data.y[i]);
    }
  }
  for (let i = 0; i < n; i++) {
    if (data.test[i]) bytes[at + (i >> 3)] |= 1 << (i & 7);
  }
  return toBase64Url(bytes);
}

/**
 * Unpack the text of a link's `data=`. Throws a `RangeError` saying what is
 * wrong when the text is not such data (cut short, another version, a
 * class beyond the classes, a rectangle without area).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUserData } from "./data_link.ts";
 * assert.throws(() => decodeUserData("AQ"), RangeError);
 * assert.throws(() => decodeUserData("<script>"), RangeError);
 * ```
 */
export function decodeUserData(text: string): UserData {
  const bytes = fromBase64Url(text);
  const view = new DataView(bytes.buffer);
  const header = 1 + 1 + 1 + 4 + 32 + 3 * 5;
  if (bytes.length < header) throw new RangeError("the data is cut short");
  let at = 0;
  if (view.getUint8(at++) !== VERSION) {
    throw new RangeError("the data is of an unknown version");
  }
  const regression = view.getUint8(at++) === 1;
  const classes = view.getUint8(at++);
  const n = view.getUint32(at, true);
  at += 4;
  const corners: number[] = [];
  for (let k = 0; k < 4; k++) {
    corners.push(view.getFloat64(at, true));
    at += 8;
  }
  const [xMin, xMax, yMin, yMax] = corners;
  if (
    !corners.every(Number.isFinite) || !(xMin < xMax) || !(yMin < yMax)
  ) {
    throw new RangeError("the data's rectangle has no area");
  }
  const quantizers: { e: number; offset: number }[] = [];
  for (let k = 0; k < 3; k++) {
    quantizers.push({
      e: view.getInt8(at),
      offset: view.getInt32(at + 1, true),
    });
    at += 5;
  }
  const [xs, ys, ts] = quantizers;
  const perPoint = regression ? 6 : 5;
  if (bytes.length !== header + n * perPoint + Math.ceil(n / 8)) {
    throw new RangeError("the data's length does not match its points");
  }
  if (!regression && (classes < 2 || classes > 10)) {
    throw new RangeError("the data's classes are not 2 to 10");
  }
  const x: number[][] = [], y: number[] = [], test: boolean[] = [];
  const value = (q: number, s: { e: number; offset: number }) =>
    scaleDown(s.offset + q, s.e) + 0;
  for (let i = 0; i < n; i++) {
    x.push([
      value(view.getUint16(at, true), xs),
      value(view.getUint16(at + 2, true), ys),
    ]);
    at += 4;
    if (regression) {
      y.push(value(view.getUint16(at, true), ts));
      at += 2;
    } else {
      const label = view.getUint8(at++);
      if (label >= classes) {
        throw new RangeError(`point ${i}'s class ${label} is not a class`);
      }
      y.push(label);
    }
  }
  for (let i = 0; i < n; i++) {
    test.push((bytes[at + (i >> 3)] & (1 << (i & 7))) !== 0);
  }
  const bounds: GridBounds = { xMin, xMax, yMin, yMax };
  return {
    task: regression ? "regression" : "classification",
    classes: regression ? 0 : classes,
    x,
    y,
    test,
    bounds,
  };
}

/**
 * The points as a link carries them (decoded after encoding): what the
 * page keeps, so that the run before and after a reload is the same. Data
 * of more than {@linkcode MAX_LINK_POINTS} points is returned as it is (it
 * is kept in local storage exactly). Class names are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkable } from "./data_link.ts";
 * const data = {
 *   task: "classification" as const, classes: 2,
 *   x: [[0.1234567, 0], [0.5, 1]], y: [0, 1], test: [false, false],
 *   bounds: { xMin: -1, xMax: 2, yMin: -1, yMax: 2 },
 * };
 * assert.deepEqual(linkable(data).x, [[0.12346, 0], [0.5, 1]]);
 * ```
 */
export function linkable(data: UserData): UserData {
  if (data.x.length > MAX_LINK_POINTS) return data;
  const decoded = decodeUserData(encodeUserData(data));
  if (data.classNames !== undefined) decoded.classNames = [...data.classNames];
  return decoded;
}

/** The local-storage key of points too many for a link. */
export const STORAGE_KEY = "micrograd-playground-data";

/** The hash's `data=` value that says "in local storage". */
export const IN_STORAGE = "local";

/** Where points too many for a link are kept (the page's `localStorage`). */
export interface DataStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The page's local storage, or `null` where there is none or it is
 * disabled (reading it may throw then).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageStorage } from "./data_link.ts";
 * const storage = pageStorage();
 * assert.ok(storage === null || typeof storage.getItem === "function");
 * ```
 */
export function pageStorage(): DataStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Check stored points (JSON from local storage, so possibly anything). */
function checkStored(value: unknown): UserData {
  const data = value as UserData;
  if (
    typeof value !== "object" || value === null ||
    (data.task !== "classification" && data.task !== "regression")
  ) {
    throw new RangeError("the stored data is not points");
  }
  const checked = datasetFromPoints(
    data.x,
    data.y,
    data.task === "regression"
      ? { task: "regression" }
      : { classes: data.classes },
  );
  const { xMin, xMax, yMin, yMax } = data.bounds ?? {};
  const corners = [xMin, xMax, yMin, yMax];
  if (
    !corners.every((v) => typeof v === "number" && Number.isFinite(v)) ||
    !(xMin < xMax) || !(yMin < yMax) || !Array.isArray(data.test) ||
    data.test.length !== checked.x.length
  ) {
    throw new RangeError("the stored data has no rectangle or split");
  }
  const stored: UserData = {
    task: data.task,
    classes: checked.classes,
    x: checked.x,
    y: checked.y,
    test: data.test.map((side) => side === true),
    bounds: { xMin, xMax, yMin, yMax },
  };
  if (Array.isArray(data.classNames)) {
    stored.classNames = data.classNames.map(String);
  }
  return stored;
}

/**
 * The `data=` value for your points (`null` for none: the generator's), and
 * whether they are kept in `storage` instead of the link (more than
 * {@linkcode MAX_LINK_POINTS}). Writes or clears the stored copy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IN_STORAGE, writeLinkData } from "./data_link.ts";
 * const stored = new Map<string, string>();
 * const storage = {
 *   getItem: (key: string) => stored.get(key) ?? null,
 *   setItem: (key: string, value: string) => void stored.set(key, value),
 *   removeItem: (key: string) => void stored.delete(key),
 * };
 * assert.deepEqual(writeLinkData(null, storage), { value: null, stored: false });
 * const many = {
 *   task: "classification" as const, classes: 2,
 *   x: Array.from({ length: 1001 }, (_, i) => [i / 1000, 0]),
 *   y: Array.from({ length: 1001 }, () => 0), test: Array.from({ length: 1001 }, () => false),
 *   bounds: { xMin: -1, xMax: 2, yMin: -1, yMax: 1 },
 * };
 * assert.deepEqual(writeLinkData(many, storage), { value: IN_STORAGE, stored: true });
 * assert.equal(stored.size, 1);
 * ```
 */
export function writeLinkData(
  data: UserData | null,
  storage: DataStorage | null,
): { value: string | null; stored: boolean } {
  if (data === null || data.x.length <= MAX_LINK_POINTS) {
    try {
      storage?.removeItem(STORAGE_KEY);
    } catch {
      // Storage may be disabled; nothing was kept there then.
    }
    return {
      value: data === null ? null : encodeUserData(data),
      stored: false,
    };
  }
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(data));
  } catch {
    // Full or disabled: the points live until the page is closed.
  }
  return { value: IN_STORAGE, stored: true };
}

/**
 * Your points from a link's `data=` value (`null` when it has none), or from
 * `storage` when the value says they are kept there. Never throws: points
 * that cannot be read give `null` and a note saying why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeUserData, readLinkData } from "./data_link.ts";
 * const data = {
 *   task: "classification" as const, classes: 2,
 *   x: [[0.5, 0.5]], y: [1], test: [false],
 *   bounds: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
 * };
 * assert.deepEqual(readLinkData(encodeUserData(data), null), { data, notes: [] });
 * assert.deepEqual(readLinkData(null, null), { data: null, notes: [] });
 * assert.match(readLinkData("!!", null).notes[0], /could not be read/);
 * assert.match(readLinkData("local", null).notes[0], /this browser/);
 * ```
 */
export function readLinkData(
  value: string | null,
  storage: DataStorage | null,
): { data: UserData | null; notes: string[] } {
  if (value === null) return { data: null, notes: [] };
  if (value === IN_STORAGE) {
    let text: string | null = null;
    try {
      text = storage?.getItem(STORAGE_KEY) ?? null;
    } catch {
      text = null;
    }
    if (text === null) {
      return {
        data: null,
        notes: [
          "The link's points (more than 1000) were kept in the browser that made it, not in this browser; showing the generated data.",
        ],
      };
    }
    try {
      return { data: checkStored(JSON.parse(text)), notes: [] };
    } catch (error) {
      return {
        data: null,
        notes: [
          `The points kept in this browser could not be read (${
            error instanceof Error ? error.message : String(error)
          }); showing the generated data.`,
        ],
      };
    }
  }
  try {
    return { data: decodeUserData(value), notes: [] };
  } catch (error) {
    return {
      data: null,
      notes: [
        `The link's points could not be read (${
          error instanceof Error ? error.message : String(error)
        }); showing the generated data.`,
      ],
    };
  }
}
