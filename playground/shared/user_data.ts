/**
 * Points of your own: the dataset the visitor edits on the decision grid
 * (click to add, alt-click to remove), uploads as CSV or opens from a link.
 * A {@linkcode UserData} is the points, their labels (class indices, or
 * targets for a regression), the rectangle of the plane they are shown on,
 * and each point's side of the train/test split.
 *
 * The split of your own points is stable: a point's side is decided once,
 * from a hash of its coordinates and the data seed
 * ({@linkcode isTestPoint}), so adding or removing other points never moves
 * it from train to test or back (the library's `trainTestSplit` draws a new
 * split whenever the number of points changes). Generated points turned
 * into your own keep the side the run gave them.
 *
 * Pure functions on plain data (no DOM): the page, the worker and the
 * tests share them.
 *
 * @module
 */

import type { DataShape } from "../../src/config.ts";
import type { Dataset, Task } from "../../src/data.ts";
import { dataBounds, type GridBounds } from "../../src/grid.ts";

/** Your own points, with their split and the rectangle they are shown on. */
export interface UserData {
  /** `"classification"` (labels are class indices) or `"regression"` (targets). */
  task: Task;
  /** Classes the labels come from (at least 2); 0 for a regression. */
  classes: number;
  /** The name of each class, when a CSV file named them. */
  classNames?: string[];
  /** The points, each `[x, y]`. */
  x: number[][];
  /** The class index, or the target, of each point. */
  y: number[];
  /** Whether each point is held out for testing. */
  test: boolean[];
  /** The rectangle of the plane the grid shows. */
  bounds: GridBounds;
}

/** The most points a file may bring (the page trains on them live). */
export const MAX_UPLOAD_POINTS = 10_000;

/** Decimal places a clicked coordinate keeps (far finer than a grid cell). */
export const CLICK_DECIMALS = 3;

/**
 * A coordinate of a clicked point, rounded to {@linkcode CLICK_DECIMALS}
 * places (so a link carries it exactly).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { roundCoordinate } from "./user_data.ts";
 * assert.equal(roundCoordinate(0.123456), 0.123);
 * assert.equal(roundCoordinate(-1.0005), -1);
 * ```
 */
export function roundCoordinate(value: number): number {
  const scale = 10 ** CLICK_DECIMALS;
  return Math.round(value * scale) / scale + 0; // no -0
}

/** A 32-bit mix of an integer into `hash` (murmur3's finaliser steps). */
function mix(hash: number, value: number): number {
  let h = Math.imul(hash ^ (value | 0), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * Whether the point `(x, y)` is a test point of data seeded `seed` with a
 * `testFraction` share held out: a hash of the point's coordinates (at
 * {@linkcode CLICK_DECIMALS} places) and the seed, uniform in [0, 1),
 * below the fraction. The same point always lands on the same side, and a
 * larger fraction only moves points from train to test.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTestPoint } from "./user_data.ts";
 * assert.equal(isTestPoint(0.5, 0.25, 1, 0), false);
 * assert.equal(isTestPoint(0.5, 0.25, 1, 0.2), isTestPoint(0.5, 0.25, 1, 0.2));
 * let test = 0;
 * for (let i = 0; i < 1000; i++) if (isTestPoint(i / 100, -i / 70, 3, 0.2)) test++;
 * assert.ok(test > 150 && test < 250, `${test} of 1000`);
 * ```
 */
export function isTestPoint(
  x: number,
  y: number,
  seed: number,
  testFraction: number,
): boolean {
  const scale = 10 ** CLICK_DECIMALS;
  let h = mix(0x2545f491, seed % 0x100000000);
  h = mix(h, Math.floor(seed / 0x100000000));
  h = mix(h, Math.round(x * scale) % 0x100000000);
  h = mix(h, Math.round(y * scale) % 0x100000000);
  return (h >>> 0) / 0x100000000 < testFraction;
}

/**
 * The rectangle to show a dataset on: its points with a margin of a tenth of
 * their larger extent (at least 0.25 for the unit-sized toy data).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { boundsFor } from "./user_data.ts";
 * assert.deepEqual(boundsFor([[0, 0], [1, 1]]), { xMin: -0.25, xMax: 1.25, yMin: -0.25, yMax: 1.25 });
 * assert.deepEqual(boundsFor([]), { xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 });
 * ```
 */
export function boundsFor(points: readonly (readonly number[])[]): GridBounds {
  if (points.length === 0) {
    return { xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 };
  }
  const tight = dataBounds(points, 0);
  const extent = Math.max(tight.xMax - tight.xMin, tight.yMax - tight.yMin);
  return dataBounds(points, Math.max(0.25, extent / 10));
}

/**
 * The points of a run made editable: its training points, then its test
 * points, each keeping its side; shown on `bounds`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRun } from "./user_data.ts";
 * const bounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
 * const data = fromRun(
 *   { x: [[0, 0]], y: [1], classes: 2 },
 *   { x: [[0.5, 0.5]], y: [0], classes: 2 },
 *   bounds,
 * );
 * assert.deepEqual(data.test, [false, true]);
 * assert.equal(data.classes, 2);
 * ```
 */
export function fromRun(
  train: Dataset,
  test: Dataset,
  bounds: GridBounds,
): UserData {
  return userData(
    train,
    [...train.x, ...test.x],
    [...train.y, ...test.y],
    [...train.x.map(() => false), ...test.x.map(() => true)],
    bounds,
  );
}

/**
 * A dataset (e.g. a parsed CSV file) as your own points: each point's side
 * from {@linkcode isTestPoint}, the rectangle from {@linkcode boundsFor}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromDataset } from "./user_data.ts";
 * const data = fromDataset({ x: [[0, 0], [2, 1]], y: [0, 2], classes: 3 }, 0, 0);
 * assert.deepEqual(data.test, [false, false]);
 * assert.equal(data.classes, 3);
 * assert.equal(data.bounds.xMax, 2.25);
 * ```
 */
export function fromDataset(
  dataset: Dataset,
  seed: number,
  testFraction: number,
): UserData {
  return userData(
    dataset,
    dataset.x,
    dataset.y,
    dataset.x.map(([x, y]) => isTestPoint(x, y, seed, testFraction)),
    boundsFor(dataset.x),
  );
}

/** Points (copied) with `like`'s task, classes and class names. */
function userData(
  like: Dataset,
  x: readonly (readonly number[])[],
  y: readonly number[],
  test: boolean[],
  bounds: GridBounds,
): UserData {
  const task: Task = like.task === "regression"
    ? "regression"
    : "classification";
  const data: UserData = {
    task,
    classes: task === "regression" ? 0 : Math.max(2, like.classes),
    x: x.map(([px, py]) => [px, py]),
    y: [...y],
    test,
    bounds: { ...bounds },
  };
  if (like.classNames !== undefined && task === "classification") {
    data.classNames = [...like.classNames];
  }
  return data;
}

/**
 * `data` with one more point `(x, y)` labelled `label` (rounded to
 * {@linkcode CLICK_DECIMALS} places; its side from {@linkcode isTestPoint}).
 * A class beyond the current ones adds classes. `data` is not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData } from "./user_data.ts";
 * const one = addPoint(emptyData("classification"), 0.12345, -0.5, 2, 0, 0);
 * assert.deepEqual(one.x, [[0.123, -0.5]]);
 * assert.equal(one.classes, 3);
 * ```
 */
export function addPoint(
  data: UserData,
  x: number,
  y: number,
  label: number,
  seed: number,
  testFraction: number,
): UserData {
  const px = roundCoordinate(x), py = roundCoordinate(y);
  return {
    ...data,
    classes: data.task === "regression" ? 0 : Math.max(data.classes, label + 1),
    x: [...data.x, [px, py]],
    y: [...data.y, label],
    test: [...data.test, isTestPoint(px, py, seed, testFraction)],
  };
}

/**
 * The index of the point nearest `(x, y)` within `reach` (a share of the
 * rectangle's width and height, so it means the same on screen whatever the
 * data's units), or -1 when none is that close.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, nearestPoint } from "./user_data.ts";
 * let data = emptyData("classification");
 * data = addPoint(data, 0, 0, 0, 0, 0);
 * data = addPoint(data, 1, 1, 1, 0, 0);
 * assert.equal(nearestPoint(data, 0.9, 0.95), 1);
 * assert.equal(nearestPoint(data, -1.4, 1.4), -1);
 * ```
 */
export function nearestPoint(
  data: UserData,
  x: number,
  y: number,
  reach = 0.05,
): number {
  const { xMin, xMax, yMin, yMax } = data.bounds;
  const width = xMax - xMin, height = yMax - yMin;
  let best = -1, bestDistance = reach * reach;
  for (let i = 0; i < data.x.length; i++) {
    const dx = (data.x[i][0] - x) / width;
    const dy = (data.x[i][1] - y) / height;
    const distance = dx * dx + dy * dy;
    if (distance <= bestDistance) {
      best = i;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * `data` without point `index`; the others keep their sides.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, removePoint } from "./user_data.ts";
 * const two = addPoint(addPoint(emptyData("classification"), 0, 0, 0, 0, 0), 1, 1, 1, 0, 0);
 * assert.deepEqual(removePoint(two, 0).x, [[1, 1]]);
 * ```
 */
export function removePoint(data: UserData, index: number): UserData {
  const keep = (_: unknown, i: number) => i !== index;
  return {
    ...data,
    x: data.x.filter(keep),
    y: data.y.filter(keep),
    test: data.test.filter(keep),
  };
}

/**
 * `data` with point `index` moved to `(x, y)` (rounded to
 * {@linkcode CLICK_DECIMALS} places): it keeps its label and its train/test
 * side, so dragging a point across the boundary changes only where it is.
 * `data` is not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, movePoint } from "./user_data.ts";
 * const one = addPoint(emptyData("classification"), 0, 0, 1, 0, 0.5);
 * const moved = movePoint(one, 0, 0.50004, -2);
 * assert.deepEqual(moved.x, [[0.5, -2]]);
 * assert.deepEqual(moved.y, one.y);
 * assert.deepEqual(moved.test, one.test);
 * assert.deepEqual(one.x, [[0, 0]]);
 * ```
 */
export function movePoint(
  data: UserData,
  index: number,
  x: number,
  y: number,
): UserData {
  const moved = [roundCoordinate(x), roundCoordinate(y)];
  return {
    ...data,
    x: data.x.map((point, i) => i === index ? moved : point),
    y: [...data.y],
    test: [...data.test],
  };
}

/**
 * The index of the point exactly at `(x, y)` (the first, if several), or
 * -1: how a point grabbed on the grid is found again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, pointIndex } from "./user_data.ts";
 * const data = addPoint(addPoint(emptyData("classification"), 0, 0, 0, 0, 0), 1, 2, 1, 0, 0);
 * assert.equal(pointIndex(data, 1, 2), 1);
 * assert.equal(pointIndex(data, 1, 2.001), -1);
 * ```
 */
export function pointIndex(data: UserData, x: number, y: number): number {
  return data.x.findIndex(([px, py]) => px === x && py === y);
}

/**
 * No points at all (after "Clear"), for a task, on the rectangle `bounds`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyData } from "./user_data.ts";
 * assert.equal(emptyData("classification").x.length, 0);
 * assert.equal(emptyData("regression").classes, 0);
 * ```
 */
export function emptyData(
  task: Task,
  bounds: GridBounds = boundsFor([]),
): UserData {
  return {
    task,
    classes: task === "regression" ? 0 : 2,
    x: [],
    y: [],
    test: [],
    bounds: { ...bounds },
  };
}

/**
 * Every point's side drawn again from {@linkcode isTestPoint} (the data seed
 * or the test share changed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, resplit } from "./user_data.ts";
 * const one = addPoint(emptyData("classification"), 0, 0, 0, 0, 0);
 * assert.deepEqual(resplit(one, 0, 0).test, [false]);
 * ```
 */
export function resplit(
  data: UserData,
  seed: number,
  testFraction: number,
): UserData {
  return {
    ...data,
    test: data.x.map(([x, y]) => isTestPoint(x, y, seed, testFraction)),
  };
}

/**
 * The points as a library `Dataset` (no split), e.g. for `toCsv`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, toDataset } from "./user_data.ts";
 * const one = addPoint(emptyData("regression"), 0, 0, 0.5, 0, 0);
 * assert.deepEqual(toDataset(one), { x: [[0, 0]], y: [0.5], classes: 0, task: "regression" });
 * ```
 */
export function toDataset(data: UserData): Dataset {
  const dataset: Dataset = {
    x: data.x.map(([x, y]) => [x, y]),
    y: [...data.y],
    classes: data.classes,
  };
  if (data.task === "regression") dataset.task = "regression";
  if (
    data.classNames !== undefined && data.classNames.length === data.classes
  ) {
    dataset.classNames = [...data.classNames];
  }
  return dataset;
}

/**
 * The training and test points (the test points those marked so), with at
 * least one training point: when every point is marked test, the first one
 * trains. Empty data gives two empty sets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, splitData } from "./user_data.ts";
 * const one = addPoint(emptyData("classification"), 0, 0, 1, 0, 0.99);
 * const { train, test } = splitData({ ...one, test: [true] });
 * assert.deepEqual([train.x.length, test.x.length], [1, 0]);
 * ```
 */
export function splitData(data: UserData): { train: Dataset; test: Dataset } {
  const whole = toDataset(data);
  const empty = (): Dataset => ({ ...whole, x: [], y: [] });
  const train = empty(), test = empty();
  const everyTest = data.test.every(Boolean);
  for (let i = 0; i < data.x.length; i++) {
    const part = data.test[i] && !(everyTest && i === 0) ? test : train;
    part.x.push([...data.x[i]]);
    part.y.push(data.y[i]);
  }
  return { train, test };
}

/**
 * What the Trainer is asked to train on for `data`: its task, its classes
 * and its training points ({@linkcode splitData}'s training side, which the
 * worker trains on with no split of its own), for the library's checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPoint, emptyData, trainingShape } from "./user_data.ts";
 * let data = addPoint(emptyData("classification"), 0, 0, 2, 0, 0);
 * data = { ...data, test: [false] };
 * assert.deepEqual(trainingShape(data), { task: "classification", points: 1, classes: 3 });
 * ```
 */
export function trainingShape(data: UserData): DataShape {
  const everyTest = data.test.length > 0 && data.test.every(Boolean);
  // splitData keeps the first point for training when all are test points.
  const points = everyTest ? 1 : data.test.filter((side) => !side).length;
  return { task: data.task, points, classes: data.classes };
}
