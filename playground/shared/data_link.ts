/**
 * Your own points in a link: {@linkcode encodeUserData} packs a
 * {@linkcode UserData} into a short URL-safe text (the hash's `data=`),
 * {@linkcode decodeUserData} unpacks it, exactly: every coordinate, target,
 * test side and class name comes back bit for bit. Up to
 * {@linkcode MAX_LINK_POINTS} points travel in the link; more (or class
 * names too long for the format) are kept in the browser's local storage
 * under an id derived from the points, and the link says `data=local-<id>`
 * (the page says the link no longer carries them).
 *
 * ## Version 2 (written today)
 *
 * Little-endian bytes, then base64url without padding:
 *
 * 1. a header of 40 bytes: the version (2), the task (0 classification,
 *    1 regression), the classes (0 for a regression), the point count
 *    (uint32), the rectangle (`xMin, xMax, yMin, yMax` as float64) and a
 *    flags byte: 1 class names follow, 2 the x coordinates are 16-bit steps,
 *    4 the y coordinates are, 8 a regression's targets are;
 * 2. for each column marked as steps, its power of ten `e` (int8) and
 *    integer offset (int32): a step `q` is the value `(offset + q) / 10^e`;
 * 3. with flag 1, the class names: their count (a byte, at most the
 *    classes: a one-class CSV names one of two classes), then each as a
 *    length byte and that many bytes of UTF-8. A name longer than 255
 *    bytes (or not well-formed UTF-16) is not carried: such data goes to
 *    local storage;
 * 4. per point its x, its y (each 2 bytes as a step or 8 as a float64),
 *    then its class (a byte) or its target (2 or 8 bytes);
 * 5. one bit per point for its test side (bit `i % 8` of byte `i / 8`).
 *
 * A column is written as 16-bit steps only when that is exactly lossless:
 * every value decodes back to the very same float64 (so points clicked on
 * the grid, rounded to a thousandth, take 5 bytes a point and 1,000 of them
 * about 6,700 characters), else as float64 values (17 bytes a point for a
 * classification: 1,000 points about 22,700 characters). So
 * {@linkcode linkable} is the identity: the page keeps your points as they
 * are, and a link reproduces the very run.
 *
 * ## Version 1 (read, no longer written)
 *
 * The header above without the flags byte, then three quantizers (x, y,
 * targets; always present), then per point x and y as 16-bit steps and the
 * class as a byte or the target as a step, then the test bits. Its steps
 * were as fine as the spread allowed, which rounded (0.22991773… became
 * 0.2299) and let one far point collapse the others; such links still open
 * exactly as they did.
 *
 * ## Local storage
 *
 * Points that a link does not carry are kept under
 * `micrograd-playground-data-<id>`, where `<id>` is 8 hex digits of a 32-bit
 * FNV-1a hash of the points (their numbers' float64 bytes and the class
 * names), and the link says `data=local-<id>`: two tabs with different
 * points keep both. The stored text is JSON (the browser writes it natively,
 * fast enough for 10,000 points on the page's main thread, and it reads
 * every finite number back exactly), or the version-2 text for data with a
 * -0, which JSON would turn into 0. At most {@linkcode MAX_STORED_DATASETS} are
 * kept (the index `micrograd-playground-data-index` lists them, oldest
 * written first; the oldest is dropped). Old links' `data=local` still
 * reads the single key of before ({@linkcode STORAGE_KEY}). Storage that
 * is full or disabled never makes these functions throw.
 *
 * @module
 */

import {
  datasetFromPoints,
  MAX_DATASET_CLASSES,
  MAX_DATASET_POINTS,
} from "../../src/data.ts";
import { isPlainObject } from "../../src/checks.ts";
import { MAX_UPLOAD_POINTS, type UserData } from "./user_data.ts";

/**
 * The most points a link carries; more are kept in local storage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_LINK_POINTS } from "./data_link.ts";
 * assert.equal(MAX_LINK_POINTS, 1000);
 * ```
 */
export const MAX_LINK_POINTS = 1000;

/**
 * The longest `data=` a link carries, in characters; longer goes to local
 * storage. 1,000 points never reach it today (at most about 35,700
 * characters: a regression of float64 values with ten 255-byte class
 * names); it bounds a link's length whatever the format becomes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_LINK_LENGTH } from "./data_link.ts";
 * assert.equal(MAX_LINK_LENGTH, 40_000);
 * ```
 */
export const MAX_LINK_LENGTH = 40_000;

/**
 * The most datasets local storage keeps (the least recently written is
 * dropped when another is written).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_STORED_DATASETS } from "./data_link.ts";
 * assert.equal(MAX_STORED_DATASETS, 4);
 * ```
 */
export const MAX_STORED_DATASETS = 4;

const VERSION = 2;
/** Finest step: 10^-6 (a thousandth of a thousandth). */
const FINEST = 6;
const STEPS = 0xffff;
const HEADER_V2 = 1 + 1 + 1 + 4 + 32 + 1;
/** Flags of version 2. */
const NAMES = 1, X_STEPS = 2, Y_STEPS = 4, T_STEPS = 8;
/** The longest class name (in UTF-8 bytes) a length byte allows. */
const MAX_NAME_BYTES = 255;

/** Values `(offset + q) / 10^e` for 16-bit steps `q`. */
interface Quantizer {
  e: number;
  offset: number;
}

/** How a column's values are written: steps, float64, or a class byte. */
type Encoding = Quantizer | "float64" | "byte";

/** The power of ten whose steps cover `values` in 16 bits, and the offset. */
function quantizer(values: readonly number[]): Quantizer {
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

/** The value of step `q` (never -0: version 1 decoded so). */
function stepValue(q: number, s: Quantizer): number {
  const k = s.offset + q;
  return (s.e >= 0 ? k / 10 ** s.e : k * 10 ** -s.e) + 0;
}

/** The step of `v` (a finite number within the quantizer's 16 bits). */
function stepOf(v: number, s: Quantizer): number {
  return Math.round(scaleUp(v, s.e)) - s.offset;
}

/**
 * Steps for `values` when every one decodes back to the very same float64
 * (`-0` and non-finite values never do); float64 otherwise. The finest
 * power of ten that covers the spread is the only candidate: a value
 * exact at a coarser step is exact at a finer one.
 */
function losslessEncoding(values: readonly number[]): Encoding {
  const s = quantizer(values);
  for (const v of values) {
    const q = stepOf(v, s);
    if (!(q >= 0 && q <= STEPS) || !Object.is(stepValue(q, s), v)) {
      return "float64";
    }
  }
  return s;
}

/** Bytes of an encoding's value. */
function sizeOf(encoding: Encoding): number {
  return encoding === "byte" ? 1 : encoding === "float64" ? 8 : 2;
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
  let binary: string;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    throw new RangeError("the data is not base64url text");
  }
  // A loop: Uint8Array.from(binary, f) takes ten times as long.
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Little-endian values written in order into bytes of a known size. */
class Writer {
  readonly bytes: Uint8Array;
  #view: DataView;
  at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }
  u8(v: number): void {
    this.#view.setUint8(this.at++, v);
  }
  i8(v: number): void {
    this.#view.setInt8(this.at++, v);
  }
  u16(v: number): void {
    this.#view.setUint16(this.at, v, true);
    this.at += 2;
  }
  i32(v: number): void {
    this.#view.setInt32(this.at, v, true);
    this.at += 4;
  }
  u32(v: number): void {
    this.#view.setUint32(this.at, v, true);
    this.at += 4;
  }
  f64(v: number): void {
    this.#view.setFloat64(this.at, v, true);
    this.at += 8;
  }
  raw(bytes: Uint8Array): void {
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }
  value(v: number, encoding: Encoding): void {
    if (encoding === "byte") this.u8(v);
    else if (encoding === "float64") this.f64(v);
    else this.u16(stepOf(v, encoding));
  }
}

/** Little-endian values read in order; reading past the end throws. */
class Reader {
  readonly bytes: Uint8Array;
  #view: DataView;
  at = 0;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  get left(): number {
    return this.bytes.length - this.at;
  }
  #take(size: number): number {
    if (size > this.left) throw new RangeError("the data is cut short");
    this.at += size;
    return this.at - size;
  }
  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }
  i8(): number {
    return this.#view.getInt8(this.#take(1));
  }
  u16(): number {
    return this.#view.getUint16(this.#take(2), true);
  }
  i32(): number {
    return this.#view.getInt32(this.#take(4), true);
  }
  u32(): number {
    return this.#view.getUint32(this.#take(4), true);
  }
  f64(): number {
    return this.#view.getFloat64(this.#take(8), true);
  }
  raw(size: number): Uint8Array {
    const at = this.#take(size);
    return this.bytes.subarray(at, at + size);
  }
  value(encoding: Encoding): number {
    if (encoding === "byte") return this.u8();
    if (encoding === "float64") return this.f64();
    return stepValue(this.u16(), encoding);
  }
}

/**
 * Check points from outside (a decoded link, stored JSON: possibly
 * anything) and copy them: finite coordinates, labels of the classes (2 to
 * 10) or finite targets, a boolean side per point, a rectangle with area,
 * and class names (classification only) that are distinct, non-empty and
 * at most one per class. Throws a `RangeError` (or a field error) saying
 * what is wrong.
 */
function checkPoints(value: unknown): UserData {
  const data = value as Partial<UserData>;
  if (
    !isPlainObject(value) ||
    (data.task !== "classification" && data.task !== "regression")
  ) {
    throw new RangeError("the data is not points");
  }
  const regression = data.task === "regression";
  const classes = data.classes;
  if (
    regression ? classes !== 0 : !(Number.isInteger(classes) &&
      classes! >= 2 && classes! <= MAX_DATASET_CLASSES)
  ) {
    throw new RangeError(
      regression
        ? "the data is a regression with classes"
        : `the data's classes are not 2 to ${MAX_DATASET_CLASSES}`,
    );
  }
  let checked;
  try {
    checked = datasetFromPoints(
      data.x!,
      data.y!,
      regression ? { task: "regression" } : { classes },
    );
  } catch (error) {
    // "datasetFromPoints: points[3][0] must be ...": name the row only.
    throw new RangeError(
      String((error as Error).message).replace(/^datasetFromPoints: /, ""),
    );
  }
  const { xMin, xMax, yMin, yMax } = data.bounds ?? {};
  const corners = [xMin, xMax, yMin, yMax];
  if (
    !corners.every((v) => typeof v === "number" && Number.isFinite(v)) ||
    !(xMin! < xMax!) || !(yMin! < yMax!)
  ) {
    throw new RangeError("the data's rectangle has no area");
  }
  if (
    !Array.isArray(data.test) || data.test.length !== checked.x.length ||
    !data.test.every((side) => typeof side === "boolean")
  ) {
    throw new RangeError("the data's test sides are not one per point");
  }
  const points: UserData = {
    task: data.task!,
    classes: classes!,
    x: checked.x,
    y: checked.y,
    test: [...data.test],
    bounds: { xMin: xMin!, xMax: xMax!, yMin: yMin!, yMax: yMax! },
  };
  if (data.classNames !== undefined) {
    const names = data.classNames;
    if (
      regression || !Array.isArray(names) || names.length > classes! ||
      !names.every((name, i) =>
        typeof name === "string" && name !== "" && names.indexOf(name) === i
      )
    ) {
      throw new RangeError(
        "the data's class names are not distinct names, at most one per class",
      );
    }
    points.classNames = [...names];
  }
  return points;
}

/** A class name's UTF-8 bytes, when a length byte carries it exactly. */
function nameBytes(name: string): Uint8Array | null {
  const bytes = new TextEncoder().encode(name);
  // A lone surrogate becomes U+FFFD: not the same name.
  if (bytes.length > MAX_NAME_BYTES) return null;
  return new TextDecoder().decode(bytes) === name ? bytes : null;
}

/**
 * Pack your points into the text of a link's `data=` (URL-safe, no
 * escaping needed), exactly: {@linkcode decodeUserData} gives back equal
 * data, every number bit for bit. Coordinates and targets take 2 bytes
 * where that is lossless, else 8 (see the module doc). Throws a
 * `RangeError` for points that are not valid data (as
 * {@linkcode decodeUserData} would refuse them) or whose class names the
 * format cannot carry (longer than 255 bytes of UTF-8, or with a lone
 * surrogate): {@linkcode writeLinkData} keeps such points in local storage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUserData, encodeUserData } from "./data_link.ts";
 * const data = {
 *   task: "classification" as const, classes: 3, classNames: ["cat", "dög", "a,\"b\""],
 *   x: [[0.22991773564538395, -0.25], [100000, 0]], y: [2, 0], test: [false, true],
 *   bounds: { xMin: -1, xMax: 2, yMin: -1, yMax: 1 },
 * };
 * const text = encodeUserData(data);
 * assert.match(text, /^[\w-]+$/);
 * assert.deepEqual(decodeUserData(text), data);
 * assert.throws(
 *   () => encodeUserData({ ...data, classNames: ["x".repeat(256)] }),
 *   RangeError,
 * );
 * ```
 */
export function encodeUserData(data: UserData): string {
  checkPoints(data);
  const n = data.x.length;
  const regression = data.task === "regression";
  const columns: Encoding[] = [
    losslessEncoding(data.x.map((p) => p[0])),
    losslessEncoding(data.x.map((p) => p[1])),
    regression ? losslessEncoding(data.y) : "byte",
  ];
  const names: Uint8Array[] = [];
  for (const name of data.classNames ?? []) {
    const bytes = nameBytes(name);
    if (bytes === null) {
      throw new RangeError(
        `the class name ${
          JSON.stringify(name.slice(0, 20))
        }… is not carried by a link (longer than ${MAX_NAME_BYTES} bytes, or not well-formed)`,
      );
    }
    names.push(bytes);
  }
  const stepped = columns.filter((c) => typeof c === "object") as Quantizer[];
  let flags = data.classNames === undefined ? 0 : NAMES;
  [X_STEPS, Y_STEPS, T_STEPS].forEach((flag, k) => {
    if (typeof columns[k] === "object") flags |= flag;
  });
  const perPoint = columns.reduce((sum, c) => sum + sizeOf(c), 0);
  const w = new Writer(
    HEADER_V2 + 5 * stepped.length +
      (flags & NAMES ? 1 + names.reduce((s, b) => s + 1 + b.length, 0) : 0) +
      n * perPoint + Math.ceil(n / 8),
  );
  w.u8(VERSION);
  w.u8(regression ? 1 : 0);
  w.u8(data.classes);
  w.u32(n);
  const { xMin, xMax, yMin, yMax } = data.bounds;
  for (const v of [xMin, xMax, yMin, yMax]) w.f64(v);
  w.u8(flags);
  for (const s of stepped) {
    w.i8(s.e);
    w.i32(s.offset);
  }
  if (flags & NAMES) {
    w.u8(names.length);
    for (const bytes of names) {
      w.u8(bytes.length);
      w.raw(bytes);
    }
  }
  for (let i = 0; i < n; i++) {
    w.value(data.x[i][0], columns[0]);
    w.value(data.x[i][1], columns[1]);
    w.value(data.y[i], columns[2]);
  }
  for (let i = 0; i < n; i++) {
    if (data.test[i]) w.bytes[w.at + (i >> 3)] |= 1 << (i & 7);
  }
  return toBase64Url(w.bytes);
}

/**
 * Unpack the text of a link's `data=`, version 2 or 1 (see the module
 * doc). Throws a `RangeError` saying what is wrong when the text is not
 * such data (cut short or too long, another version, a class beyond the
 * classes, a rectangle without area, a non-finite value, more than the
 * page's upload cap of 10,000 points).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUserData } from "./data_link.ts";
 * assert.throws(() => decodeUserData("AQ"), RangeError);
 * assert.throws(() => decodeUserData("<script>"), RangeError);
 * // A version-1 link, as the page wrote them before.
 * const v1 = "AQADAgAAAAAAAAAAAPC_AAAAAAAAAEAAAAAAAADwvwAAAAAAAPA_BVDDAAAFWJ7__wAAAAAAAAAAAAIk9KhhAAI";
 * assert.deepEqual(decodeUserData(v1).x, [[0.5, -0.25], [1.125, 0]]);
 * ```
 */
export function decodeUserData(text: string): UserData {
  return decodeText(text, MAX_UPLOAD_POINTS);
}

/** {@linkcode decodeUserData} refusing more than `maxPoints` points. */
function decodeText(text: string, maxPoints: number): UserData {
  const r = new Reader(fromBase64Url(text));
  const version = r.u8();
  if (version !== 1 && version !== VERSION) {
    throw new RangeError("the data is of an unknown version");
  }
  const task = r.u8();
  if (version === VERSION && task > 1) {
    throw new RangeError(
      "the data's task is neither classification nor regression",
    );
  }
  const regression = task === 1;
  const classes = r.u8();
  const n = r.u32();
  const corners = [r.f64(), r.f64(), r.f64(), r.f64()];
  const [xMin, xMax, yMin, yMax] = corners;
  if (!corners.every(Number.isFinite) || !(xMin < xMax) || !(yMin < yMax)) {
    throw new RangeError("the data's rectangle has no area");
  }
  if (n > maxPoints) {
    throw new RangeError(
      `the data has ${n} points; the playground takes at most ${maxPoints}`,
    );
  }
  // Version 1: every column in steps, three quantizers, no names.
  const flags = version === 1 ? X_STEPS | Y_STEPS | T_STEPS : r.u8();
  if (
    version === VERSION &&
    flags & ~(NAMES | X_STEPS | Y_STEPS | (regression ? T_STEPS : 0))
  ) {
    throw new RangeError("the data has flags of an unknown meaning");
  }
  const column = (flag: number): Encoding =>
    flags & flag ? { e: r.i8(), offset: r.i32() } : "float64";
  const columns = [column(X_STEPS), column(Y_STEPS), column(T_STEPS)];
  if (!regression) columns[2] = "byte";
  let classNames: string[] | undefined;
  if (flags & NAMES) {
    classNames = [];
    const count = r.u8();
    const utf8 = new TextDecoder("utf-8", { fatal: true });
    for (let k = 0; k < count; k++) {
      try {
        classNames.push(utf8.decode(r.raw(r.u8())));
      } catch (error) {
        if (error instanceof RangeError) throw error;
        throw new RangeError(`the data's class name ${k + 1} is not UTF-8`);
      }
    }
  }
  const perPoint = columns.reduce((sum, c) => sum + sizeOf(c), 0);
  if (r.left !== n * perPoint + Math.ceil(n / 8)) {
    throw new RangeError("the data's length does not match its points");
  }
  if (!regression && (classes < 2 || classes > MAX_DATASET_CLASSES)) {
    throw new RangeError(
      `the data's classes are not 2 to ${MAX_DATASET_CLASSES}`,
    );
  }
  const x: number[][] = [], y: number[] = [], test: boolean[] = [];
  for (let i = 0; i < n; i++) {
    x.push([r.value(columns[0]), r.value(columns[1])]);
    const label = r.value(columns[2]);
    if (!regression && label >= classes) {
      throw new RangeError(`point ${i}'s class ${label} is not a class`);
    }
    y.push(label);
  }
  for (let i = 0; i < n; i++) {
    test.push((r.bytes[r.at + (i >> 3)] & (1 << (i & 7))) !== 0);
  }
  const data: UserData = {
    task: regression ? "regression" : "classification",
    classes: regression ? 0 : classes,
    x,
    y,
    test,
    bounds: { xMin, xMax, yMin, yMax },
  };
  if (classNames !== undefined) data.classNames = classNames;
  return checkPoints(data);
}

/**
 * The points as a link carries them: since version 2 of the format, the
 * very points (a copy), whatever their precision, count or names. Kept so
 * that the page's "keep what the link carries" step stays explicit.
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
 * assert.deepEqual(linkable(data), data);
 * assert.notEqual(linkable(data).x, data.x);
 * ```
 */
export function linkable(data: UserData): UserData {
  const copy: UserData = {
    ...data,
    x: data.x.map((point) => [...point]),
    y: [...data.y],
    test: [...data.test],
    bounds: { ...data.bounds },
  };
  if (data.classNames !== undefined) copy.classNames = [...data.classNames];
  return copy;
}

/**
 * The local-storage key of before (one dataset for every tab), which old
 * links' `data=local` ({@linkcode IN_STORAGE}) still read; the prefix of
 * today's keys `micrograd-playground-data-<id>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { STORAGE_KEY } from "./data_link.ts";
 * assert.equal(STORAGE_KEY, "micrograd-playground-data");
 * ```
 */
export const STORAGE_KEY = "micrograd-playground-data";

/**
 * The hash's `data=` value of old links whose points were kept in local
 * storage (under {@linkcode STORAGE_KEY}); today's are `local-<id>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IN_STORAGE } from "./data_link.ts";
 * assert.equal(IN_STORAGE, "local");
 * ```
 */
export const IN_STORAGE = "local";

/** The key listing the stored datasets' ids, oldest written first. */
const INDEX_KEY = `${STORAGE_KEY}-index`;

/** The key of a stored dataset. */
function storageKey(id: string): string {
  return `${STORAGE_KEY}-${id}`;
}

/**
 * 8 hex digits of a 32-bit FNV-1a hash of the points: the float64 bytes of
 * every number (the task as 0 or 1, the classes, the rectangle, each
 * point's x, y, label and side), then the class names' UTF-16 units. Read
 * from the numbers, not from a text: a millisecond for 10,000 points, so
 * the link's value is known before the points are encoded and stored.
 */
function contentId(data: UserData): string {
  const number = new Float64Array(1);
  const bytes = new Uint8Array(number.buffer);
  let hash = 0x811c9dc5;
  const add = (value: number) => {
    number[0] = value;
    for (let k = 0; k < 8; k++) hash = Math.imul(hash ^ bytes[k], 0x01000193);
  };
  add(data.task === "regression" ? 1 : 0);
  add(data.classes);
  const { xMin, xMax, yMin, yMax } = data.bounds;
  [xMin, xMax, yMin, yMax].forEach(add);
  add(data.x.length);
  for (let i = 0; i < data.x.length; i++) {
    add(data.x[i][0]);
    add(data.x[i][1]);
    add(data.y[i]);
    add(data.test[i] ? 1 : 0);
  }
  for (const name of data.classNames ?? []) {
    add(name.length);
    for (let i = 0; i < name.length; i++) {
      hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
    }
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Where points too many for a link are kept (the page's `localStorage`). */
export interface DataStorage {
  /** The text kept under `key`, or `null`. */
  getItem(key: string): string | null;
  /** Keep `value` under `key` (may throw when full or disabled). */
  setItem(key: string, value: string): void;
  /** Drop what is kept under `key`. */
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

/**
 * The text kept in storage: JSON, which the browser writes natively in a
 * few milliseconds for 10,000 points (the version-2 encoder, in script,
 * took 40-80 ms cold on the page's main thread) and which reads every
 * finite number back exactly, except that it turns -0 into 0: data with a
 * -0 is kept as version-2 text instead.
 */
function storedText(data: UserData): string {
  const negativeZero =
    data.x.some(([x, y]) => Object.is(x, -0) || Object.is(y, -0)) ||
    data.y.some((v) => Object.is(v, -0));
  if (negativeZero) {
    try {
      return encodeUserData(data);
    } catch {
      // Names the format cannot carry: JSON below (the -0 becomes 0).
    }
  }
  return JSON.stringify(data);
}

/** Stored text (version-2 text, or JSON as written before) as points. */
function readStored(text: string): UserData {
  return text.startsWith("{")
    ? checkPoints(JSON.parse(text))
    : decodeText(text, MAX_DATASET_POINTS);
}

/** The stored datasets' ids, oldest written first (garbage: none). */
function storedIds(storage: DataStorage): string[] {
  try {
    const ids: unknown = JSON.parse(storage.getItem(INDEX_KEY) ?? "[]");
    return Array.isArray(ids)
      ? ids.filter((id) => typeof id === "string" && /^[0-9a-f]{8}$/.test(id))
      : [];
  } catch {
    return [];
  }
}

/**
 * Keep `text` under `id`, the newest of at most
 * {@linkcode MAX_STORED_DATASETS}; the oldest are dropped, also to make
 * room when storage is full. Never throws: a dataset that does not fit
 * stays with the page until it is closed.
 */
function keepStored(storage: DataStorage, id: string, text: string): void {
  const ids = storedIds(storage).filter((other) => other !== id);
  const drop = (other: string) => {
    try {
      storage.removeItem(storageKey(other));
    } catch {
      // Disabled storage: nothing was kept there.
    }
  };
  let kept = false;
  for (;;) {
    try {
      storage.setItem(storageKey(id), text);
      kept = true;
      break;
    } catch {
      if (ids.length === 0) break;
      drop(ids.shift()!);
    }
  }
  if (kept) ids.push(id);
  while (ids.length > MAX_STORED_DATASETS) drop(ids.shift()!);
  try {
    storage.setItem(INDEX_KEY, JSON.stringify(ids));
  } catch {
    // Full or disabled: the datasets kept are still readable by their links.
  }
}

/**
 * The `data=` value for your points (`null` for none: the generator's), and
 * whether they are kept in `storage` instead of the link: more than
 * {@linkcode MAX_LINK_POINTS} points, class names the format cannot carry,
 * or a text longer than {@linkcode MAX_LINK_LENGTH}. Those are written to
 * `storage` under an id derived from the points (the same id whatever
 * `storage` is, `null` included), and the value is `local-<id>`; at most
 * {@linkcode MAX_STORED_DATASETS} datasets are kept, the least recently
 * written dropped. Storage that is full or disabled is passed over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLinkData, writeLinkData } from "./data_link.ts";
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
 * const { value, stored: inStorage } = writeLinkData(many, storage);
 * assert.match(value!, /^local-[0-9a-f]{8}$/);
 * assert.equal(inStorage, true);
 * assert.deepEqual(readLinkData(value, storage), { data: many, notes: [] });
 * assert.equal(writeLinkData(many, null).value, value);
 * ```
 */
export function writeLinkData(
  data: UserData | null,
  storage: DataStorage | null,
): { value: string | null; stored: boolean } {
  if (data === null) return { value: null, stored: false };
  if (data.x.length <= MAX_LINK_POINTS) {
    try {
      const text = encodeUserData(data);
      if (text.length <= MAX_LINK_LENGTH) return { value: text, stored: false };
    } catch {
      // Names the format cannot carry: kept in storage below.
    }
  }
  const id = contentId(data);
  if (storage !== null) keepStored(storage, id, storedText(data));
  return { value: `${IN_STORAGE}-${id}`, stored: true };
}

/** The message of anything thrown. */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Your points from a link's `data=` value (`null` when it has none), or from
 * `storage` when the value says they are kept there (`local-<id>`, or old
 * links' `local`). Never throws: points that cannot be read (garbled or cut
 * short, more than 10,000 in a link, not in this browser's storage) give
 * `null` and a note saying why.
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
 * assert.match(readLinkData("local-0123abcd", null).notes[0], /this browser/);
 * ```
 */
export function readLinkData(
  value: string | null,
  storage: DataStorage | null,
): { data: UserData | null; notes: string[] } {
  if (value === null) return { data: null, notes: [] };
  const id = /^local-([0-9a-f]{8})$/.exec(value)?.[1];
  if (value === IN_STORAGE || id !== undefined) {
    let text: string | null = null;
    try {
      text = storage?.getItem(
        id === undefined ? STORAGE_KEY : storageKey(id),
      ) ?? null;
    } catch {
      text = null;
    }
    if (text === null) {
      return {
        data: null,
        notes: [
          `The link's points (too many for a link) were kept in the browser that made it, not in this browser, or were dropped since (it keeps the last ${MAX_STORED_DATASETS} such datasets); showing the generated data.`,
        ],
      };
    }
    try {
      return { data: readStored(text), notes: [] };
    } catch (error) {
      return {
        data: null,
        notes: [
          `The points kept in this browser could not be read (${
            reason(error)
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
          reason(error)
        }); showing the generated data.`,
      ],
    };
  }
}
