/**
 * Toy two-dimensional datasets for classification: the moons of micrograd's
 * demo, circles, XOR, spirals and blobs, plus a seeded train/test split.
 *
 * Every generator takes a seed and draws all its randomness from
 * {@linkcode Rng} and all its trigonometry from the portable functions, so the
 * same seed gives bit-identical points in Deno, Bun, Node and browsers.
 * Labels are class indices `0..classes-1` (the scikit-learn convention).
 *
 * The generators share one recipe, the one scikit-learn's `make_moons` uses:
 * lay the clean points out class by class, shuffle them with the seeded
 * generator, then add gaussian noise of standard deviation `noise` to each
 * coordinate. The noise is drawn even when `noise` is 0, so changing only the
 * noise moves the points but keeps their order and shapes.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import { portableCos, portableSin } from "./portable_math.ts";
import { Rng } from "./random.ts";

/**
 * A labelled set of points in the plane: `x[i]` is the point `[x, y]` and
 * `y[i]` its class index in `0..classes-1`.
 *
 * @example
 * ```ts
 * import { type Dataset, makeMoons } from "./data.ts";
 * const data: Dataset = makeMoons(10, { noise: 0.1, seed: 1 });
 * console.log(data.x.length, data.y.length, data.classes); // 10 10 2
 * ```
 */
export interface Dataset {
  /** The points, each `[x, y]`. */
  x: number[][];
  /** The class index of each point, `0..classes-1`. */
  y: number[];
  /** How many classes the labels come from. */
  classes: number;
}

/** The names {@linkcode makeDataset} understands. */
export type DatasetName = "moons" | "circles" | "xor" | "spiral" | "blobs";

/**
 * Every dataset name, in the order a menu should list them.
 *
 * @example
 * ```ts
 * import { DATASET_NAMES } from "./data.ts";
 * console.log(DATASET_NAMES.join(", ")); // moons, circles, xor, spiral, blobs
 * ```
 */
export const DATASET_NAMES: readonly DatasetName[] = Object.freeze([
  "moons",
  "circles",
  "xor",
  "spiral",
  "blobs",
]);

/**
 * The datasets whose number of classes can be chosen (`classes` option);
 * the others always have two.
 *
 * @example
 * ```ts
 * import { MULTICLASS_DATASETS } from "./data.ts";
 * console.log(MULTICLASS_DATASETS.includes("spiral")); // true
 * ```
 */
export const MULTICLASS_DATASETS: readonly DatasetName[] = Object.freeze([
  "spiral",
  "blobs",
]);

/** The most points a generator will make (a guard against typos like 1e9). */
const MAX_POINTS = 1_000_000;
/** The most classes the multi-class generators make. */
const MAX_CLASSES = 10;

/** Options shared by every generator. */
export interface NoiseOptions {
  /** Standard deviation of the gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Seed of the random generator (default 0). */
  seed?: number;
}

/** Options of {@linkcode makeCircles}. */
export interface CirclesOptions extends NoiseOptions {
  /** Radius of the inner circle relative to the outer one, in [0, 1) (default 0.5). */
  factor?: number;
}

/** Options of the multi-class generators {@linkcode makeSpiral} and {@linkcode makeBlobs}. */
export interface MultiClassOptions extends NoiseOptions {
  /** Number of classes, an integer from 2 to 10 (default 3). */
  classes?: number;
}

/** Options of {@linkcode makeDataset}. */
export interface DatasetOptions {
  /** Number of points (default 100). */
  points?: number;
  /** Standard deviation of the gaussian noise (default 0.1). */
  noise?: number;
  /**
   * Number of classes for `spiral` and `blobs` (default 3). Moons, circles
   * and XOR always have 2 classes and ignore it (it is still validated).
   */
  classes?: number;
  /** Seed of the random generator (default 0). */
  seed?: number;
}

// ---------------------------------------------------------------------------
// Validation

function checkOptionsObject(where: string, options: unknown): void {
  if (
    options !== undefined &&
    (options === null || typeof options !== "object" || Array.isArray(options))
  ) {
    throw new TypeError(
      `${where}: options must be an object, got ${describeArgument(options)}`,
    );
  }
}

function checkPoints(where: string, n: unknown, minimum: number): number {
  if (typeof n !== "number") {
    throw new TypeError(
      `${where}: n must be an integer number of points, got ${
        describeArgument(n)
      }`,
    );
  }
  if (!Number.isInteger(n) || n < minimum || n > MAX_POINTS) {
    throw new RangeError(
      `${where}: n must be an integer from ${minimum} to ${MAX_POINTS}, got ${
        describeArgument(n)
      }`,
    );
  }
  return n;
}

function checkNoise(where: string, noise: unknown): number {
  if (noise === undefined) return 0;
  if (typeof noise !== "number") {
    throw new TypeError(
      `${where}: noise must be a number (a standard deviation), got ${
        describeArgument(noise)
      }`,
    );
  }
  if (!Number.isFinite(noise) || noise < 0) {
    throw new RangeError(
      `${where}: noise must be a finite number >= 0, got ${
        describeArgument(noise)
      }`,
    );
  }
  return noise;
}

function checkSeed(where: string, seed: unknown): number {
  if (seed === undefined) return 0;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new TypeError(
      `${where}: seed must be a safe integer, got ${describeArgument(seed)}`,
    );
  }
  return seed;
}

function checkClasses(where: string, classes: unknown): number {
  if (classes === undefined) return 3;
  if (typeof classes !== "number") {
    throw new TypeError(
      `${where}: classes must be an integer, got ${describeArgument(classes)}`,
    );
  }
  if (!Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES) {
    throw new RangeError(
      `${where}: classes must be an integer from 2 to ${MAX_CLASSES}, got ${
        describeArgument(classes)
      }`,
    );
  }
  return classes;
}

// ---------------------------------------------------------------------------
// Shared pieces

/** `count` evenly spaced numbers from `start` to `stop`, like numpy's `linspace`. */
function linspace(
  start: number,
  stop: number,
  count: number,
  endpoint: boolean,
): number[] {
  const values: number[] = [];
  const divisions = endpoint ? count - 1 : count;
  // numpy computes start + i * step; with one point it returns [start].
  const step = divisions > 0 ? (stop - start) / divisions : 0;
  for (let i = 0; i < count; i++) values.push(start + i * step);
  if (endpoint && count > 1) values[count - 1] = stop;
  return values;
}

/** How many of `n` points go to each of `classes` classes (as even as possible). */
function classSizes(n: number, classes: number): number[] {
  const sizes: number[] = [];
  for (let c = 0; c < classes; c++) {
    sizes.push(Math.floor(n / classes) + (c < n % classes ? 1 : 0));
  }
  return sizes;
}

/**
 * The common last steps: shuffle points and labels together, then add
 * gaussian noise to every coordinate (x then y, point by point, as numpy's
 * `normal(size=(n, 2))` fills its array).
 */
function shuffleAndAddNoise(
  points: number[][],
  labels: number[],
  classes: number,
  noise: number,
  rng: Rng,
): Dataset {
  const order = rng.shuffle(points.map((_, i) => i));
  const x: number[][] = [];
  const y: number[] = [];
  for (const i of order) {
    const [px, py] = points[i];
    // Always draw, so that noise = 0 and noise > 0 share the same order.
    const dx = rng.normal(0, 1);
    const dy = rng.normal(0, 1);
    x.push([px + noise * dx, py + noise * dy]);
    y.push(labels[i]);
  }
  return { x, y, classes };
}

// ---------------------------------------------------------------------------
// Generators

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: class 0 is
 * the upper half circle `(cos t, sin t)`, class 1 the lower one
 * `(1 - cos t, 0.5 - sin t)`, with `t` evenly spaced over [0, π]; class 0 gets
 * `floor(n / 2)` points and class 1 the rest. This is micrograd's demo data.
 *
 * @param n Number of points, an integer >= 2.
 * @param options `noise` (standard deviation, default 0) and `seed` (default 0).
 *
 * @example
 * ```ts
 * import { makeMoons } from "./data.ts";
 * const { x, y } = makeMoons(100, { noise: 0.1, seed: 42 });
 * console.log(x.length, y.filter((label) => label === 1).length); // 100 50
 * ```
 */
export function makeMoons(n: number, options: NoiseOptions = {}): Dataset {
  const where = "makeMoons";
  checkOptionsObject(where, options);
  checkPoints(where, n, 2);
  const noise = checkNoise(where, options?.noise);
  const rng = new Rng(checkSeed(where, options?.seed));
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[][] = [];
  const labels: number[] = [];
  for (const t of linspace(0, Math.PI, outer, true)) {
    points.push([portableCos(t), portableSin(t)]);
    labels.push(0);
  }
  for (const t of linspace(0, Math.PI, inner, true)) {
    points.push([1 - portableCos(t), 1 - portableSin(t) - 0.5]);
    labels.push(1);
  }
  return shuffleAndAddNoise(points, labels, 2, noise, rng);
}

/**
 * A small circle inside a large one, as scikit-learn's `make_circles`:
 * class 0 on the unit circle, class 1 on a circle of radius `factor`, the
 * angles evenly spaced over [0, 2π) (no repeated point at 2π); class 0 gets
 * `floor(n / 2)` points and class 1 the rest.
 *
 * @param n Number of points, an integer >= 2.
 * @param options `noise` (default 0), `factor` in [0, 1) (default 0.5), `seed` (default 0).
 *
 * @example
 * ```ts
 * import { makeCircles } from "./data.ts";
 * const { x } = makeCircles(4, { noise: 0, factor: 0.5 });
 * const radii = x.map(([a, b]) => Math.hypot(a, b).toFixed(3)).sort();
 * console.log(radii.join(" ")); // 0.500 0.500 1.000 1.000
 * ```
 */
export function makeCircles(n: number, options: CirclesOptions = {}): Dataset {
  const where = "makeCircles";
  checkOptionsObject(where, options);
  checkPoints(where, n, 2);
  const noise = checkNoise(where, options?.noise);
  const factor = options?.factor ?? 0.5;
  if (typeof factor !== "number") {
    throw new TypeError(
      `${where}: factor must be a number, got ${describeArgument(factor)}`,
    );
  }
  if (!(factor >= 0 && factor < 1)) {
    throw new RangeError(
      `${where}: factor must be in [0, 1) (the inner circle's radius), got ${
        describeArgument(factor)
      }`,
    );
  }
  const rng = new Rng(checkSeed(where, options?.seed));
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[][] = [];
  const labels: number[] = [];
  for (const t of linspace(0, 2 * Math.PI, outer, false)) {
    points.push([portableCos(t), portableSin(t)]);
    labels.push(0);
  }
  for (const t of linspace(0, 2 * Math.PI, inner, false)) {
    points.push([portableCos(t) * factor, portableSin(t) * factor]);
    labels.push(1);
  }
  return shuffleAndAddNoise(points, labels, 2, noise, rng);
}

/**
 * The XOR pattern: points uniform in the square [-1, 1]², class 1 where
 * exactly one coordinate is positive (the signs differ, `x·y < 0`), class 0
 * where they agree. The classes are balanced exactly: point i is given class
 * `i mod 2` and, if its quadrant disagrees, its y coordinate is mirrored
 * (which keeps each class uniform over its two quadrants).
 *
 * @param n Number of points, an integer >= 2.
 * @param options `noise` (default 0) and `seed` (default 0).
 *
 * @example
 * ```ts
 * import { makeXor } from "./data.ts";
 * const { x, y } = makeXor(50, { noise: 0, seed: 3 });
 * console.log(x.every(([a, b], i) => (a * b < 0 ? 1 : 0) === y[i])); // true
 * ```
 */
export function makeXor(n: number, options: NoiseOptions = {}): Dataset {
  const where = "makeXor";
  checkOptionsObject(where, options);
  checkPoints(where, n, 2);
  const noise = checkNoise(where, options?.noise);
  const rng = new Rng(checkSeed(where, options?.seed));
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const a = rng.uniform(-1, 1);
    let b = rng.uniform(-1, 1);
    if ((a * b < 0 ? 1 : 0) !== label) b = -b;
    points.push([a, b]);
    labels.push(label);
  }
  return shuffleAndAddNoise(points, labels, 2, noise, rng);
}

/**
 * Interleaved spiral arms, one per class, in the style of the CS231n
 * notes: arm j starts at angle `2πj / classes` and winds 4 radians while its
 * radius grows evenly to 1; the point at radius r on arm j is
 * `(r·sin t, r·cos t)`. The radius starts one step above 0 so that no two
 * classes share a point at the centre. Classes get `n / classes` points each
 * (the first ones one more when it does not divide).
 *
 * @param n Number of points, an integer >= classes.
 * @param options `classes` 2..10 (default 3), `noise` (default 0), `seed` (default 0).
 *
 * @example
 * ```ts
 * import { makeSpiral } from "./data.ts";
 * const data = makeSpiral(90, { classes: 3, noise: 0.05, seed: 1 });
 * console.log(data.classes, data.y.filter((label) => label === 2).length); // 3 30
 * ```
 */
export function makeSpiral(
  n: number,
  options: MultiClassOptions = {},
): Dataset {
  const where = "makeSpiral";
  checkOptionsObject(where, options);
  const classes = checkClasses(where, options?.classes);
  checkPoints(where, n, classes);
  const noise = checkNoise(where, options?.noise);
  const rng = new Rng(checkSeed(where, options?.seed));
  const points: number[][] = [];
  const labels: number[] = [];
  const sizes = classSizes(n, classes);
  for (let c = 0; c < classes; c++) {
    const start = (2 * Math.PI * c) / classes;
    const count = sizes[c];
    for (let i = 0; i < count; i++) {
      const radius = (i + 1) / count;
      const angle = start + 4 * radius;
      points.push([radius * portableSin(angle), radius * portableCos(angle)]);
      labels.push(c);
    }
  }
  return shuffleAndAddNoise(points, labels, classes, noise, rng);
}

/**
 * Gaussian blobs: `classes` centres drawn uniformly in [-1, 1]² by the seed,
 * kept apart by at least `1.6 / √classes` (rejection sampling, so the
 * classes do not sit on top of each other), and points scattered around their
 * class's centre with standard deviation `noise` per coordinate.
 *
 * @param n Number of points, an integer >= classes.
 * @param options `classes` 2..10 (default 3), `noise` (default 0), `seed` (default 0).
 *
 * @example
 * ```ts
 * import { makeBlobs } from "./data.ts";
 * const data = makeBlobs(60, { classes: 4, noise: 0.1, seed: 2 });
 * console.log(data.classes, new Set(data.y).size); // 4 4
 * ```
 */
export function makeBlobs(n: number, options: MultiClassOptions = {}): Dataset {
  const where = "makeBlobs";
  checkOptionsObject(where, options);
  const classes = checkClasses(where, options?.classes);
  checkPoints(where, n, classes);
  const noise = checkNoise(where, options?.noise);
  const rng = new Rng(checkSeed(where, options?.seed));
  const centres: number[][] = [];
  let separation = 1.6 / Math.sqrt(classes);
  while (centres.length < classes) {
    let placed = false;
    for (let attempt = 0; attempt < 1000 && !placed; attempt++) {
      const candidate = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
      if (
        // Squared distances by multiplication: exact, so every engine agrees.
        centres.every((c) => {
          const dx = c[0] - candidate[0], dy = c[1] - candidate[1];
          return dx * dx + dy * dy >= separation * separation;
        })
      ) {
        centres.push(candidate);
        placed = true;
      }
    }
    // Unlucky earlier centres can leave no room; ask for a little less.
    if (!placed) separation *= 0.9;
  }
  const points: number[][] = [];
  const labels: number[] = [];
  const sizes = classSizes(n, classes);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < sizes[c]; i++) {
      points.push([centres[c][0], centres[c][1]]);
      labels.push(c);
    }
  }
  return shuffleAndAddNoise(points, labels, classes, noise, rng);
}

/**
 * Make a dataset by name, as the trainer, the CLI and the playground do.
 *
 * @param name One of `"moons"`, `"circles"`, `"xor"`, `"spiral"`, `"blobs"`.
 * @param options `points` (default 100), `noise` (default 0.1), `classes`
 *   (spiral and blobs only, default 3), `seed` (default 0).
 *
 * @example
 * ```ts
 * import { makeDataset } from "./data.ts";
 * const data = makeDataset("spiral", { points: 60, classes: 3, seed: 5 });
 * console.log(data.x.length, data.classes); // 60 3
 * ```
 */
export function makeDataset(
  name: DatasetName,
  options: DatasetOptions = {},
): Dataset {
  const where = "makeDataset";
  checkOptionsObject(where, options);
  const points = options?.points ?? 100;
  const noise = options?.noise ?? 0.1;
  const seed = options?.seed ?? 0;
  const classes = checkClasses(where, options?.classes);
  switch (name) {
    case "moons":
      return makeMoons(points, { noise, seed });
    case "circles":
      return makeCircles(points, { noise, seed });
    case "xor":
      return makeXor(points, { noise, seed });
    case "spiral":
      return makeSpiral(points, { noise, seed, classes });
    case "blobs":
      return makeBlobs(points, { noise, seed, classes });
    default:
      throw new RangeError(
        `${where}: unknown dataset ${describeArgument(name)}; expected one of ${
          DATASET_NAMES.map((known) => `"${known}"`).join(", ")
        }`,
      );
  }
}

/**
 * The size of the test set {@linkcode trainTestSplit} makes from `points`
 * points: a `testFraction` share, rounded, always leaving one training point.
 *
 * @param points Points in the whole dataset.
 * @param testFraction The share to hold out, in [0, 1).
 * @returns How many points go to the test set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testSetSize } from "./data.ts";
 * assert.equal(testSetSize(100, 0.2), 20);
 * assert.equal(testSetSize(2, 0.9), 1);
 * ```
 */
export function testSetSize(points: number, testFraction: number): number {
  return Math.min(Math.round(points * testFraction), Math.max(points - 1, 0));
}

/**
 * Split a dataset into a training and a test part, at random but seeded.
 * `round(n · testFraction)` points go to the test set (at most n - 1, so
 * training always keeps a point); both parts keep the dataset's order. A
 * fraction of 0 gives a copy of the whole dataset as `train` and an empty
 * `test`.
 *
 * @param data The dataset to split (not modified).
 * @param testFraction The share of points held out, in [0, 1).
 * @param seed Seed of the random choice of test points.
 *
 * @example
 * ```ts
 * import { makeMoons, trainTestSplit } from "./data.ts";
 * const { train, test } = trainTestSplit(makeMoons(100, { seed: 1 }), 0.2, 7);
 * console.log(train.x.length, test.x.length); // 80 20
 * ```
 */
export function trainTestSplit(
  data: Dataset,
  testFraction: number,
  seed: number,
): { train: Dataset; test: Dataset } {
  const where = "trainTestSplit";
  if (
    data === null || typeof data !== "object" || !Array.isArray(data.x) ||
    !Array.isArray(data.y) || data.x.length !== data.y.length
  ) {
    throw new TypeError(
      `${where}: data must be a Dataset { x, y, classes } with as many labels as points, got ${
        describeArgument(data)
      }`,
    );
  }
  if (typeof testFraction !== "number") {
    throw new TypeError(
      `${where}: testFraction must be a number, got ${
        describeArgument(testFraction)
      }`,
    );
  }
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(
      `${where}: testFraction must be in [0, 1), got ${
        describeArgument(testFraction)
      }`,
    );
  }
  const rng = new Rng(checkSeed(where, seed));
  const n = data.x.length;
  const testCount = testSetSize(n, testFraction);
  const isTest = new Array<boolean>(n).fill(false);
  const order = rng.shuffle(data.x.map((_, i) => i));
  for (let i = 0; i < testCount; i++) isTest[order[i]] = true;
  const train: Dataset = { x: [], y: [], classes: data.classes };
  const test: Dataset = { x: [], y: [], classes: data.classes };
  for (let i = 0; i < n; i++) {
    const part = isTest[i] ? test : train;
    part.x.push([...data.x[i]]);
    part.y.push(data.y[i]);
  }
  return { train, test };
}
