/**
 * Toy two-dimensional datasets: for classification the moons of micrograd's
 * demo, circles, XOR, spirals and blobs; for regression TensorFlow
 * Playground's plane and multi-gaussian; datasets from your own points
 * ({@linkcode datasetFromPoints}); and a seeded train/test split.
 *
 * Every generator takes a seed and draws all its randomness from
 * {@linkcode Rng} and all its trigonometry from the portable functions, so the
 * same seed gives bit-identical points in Deno, Bun, Node and browsers.
 * Labels are class indices `0..classes-1` (the scikit-learn convention), or
 * real-valued targets for regression.
 *
 * The generators share one recipe, the one scikit-learn's `make_moons` uses:
 * lay the clean points out class by class, shuffle them with the seeded
 * generator, then add gaussian noise of standard deviation `noise` to each
 * coordinate. The noise is drawn even when `noise` is 0, so changing only the
 * noise moves the points but keeps their order and shapes.
 *
 * @module
 */

import {
  checkInteger,
  checkName,
  checkNumber,
  checkOptions,
  checkSeed,
  failField,
  FieldRangeError,
  FieldTypeError,
} from "./checks.ts";
import { portableCos, portableSin } from "./portable_math.ts";
import { Rng } from "./random.ts";

/** What a dataset's labels are: class indices, or real-valued targets. */
export type Task = "classification" | "regression";

/**
 * A labelled set of points in the plane: `x[i]` is the point `[x, y]` and
 * `y[i]` its class index in `0..classes-1` (classification, the default) or
 * its real-valued target (`task: "regression"`, where `classes` is 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Dataset, makeMoons } from "./data.ts";
 * const data: Dataset = makeMoons(10, { noise: 0.1, seed: 1 });
 * assert.equal(data.x.length, 10);
 * assert.equal(data.y.length, 10);
 * assert.equal(data.classes, 2);
 * ```
 */
export interface Dataset {
  /** The points, each `[x, y]`. */
  x: number[][];
  /** The class index of each point, `0..classes-1`; the target for regression. */
  y: number[];
  /** How many classes the labels come from (0 for regression). */
  classes: number;
  /** `"regression"` for real-valued targets; absent (or `"classification"`) for class indices. */
  task?: Task;
  /** The name of each class, by index (for legends), when the data came with names. */
  classNames?: string[];
}

/** The names {@linkcode makeDataset} understands. */
export type DatasetName =
  | "moons"
  | "circles"
  | "xor"
  | "spiral"
  | "blobs"
  | "plane"
  | "gaussians";

/**
 * Every dataset name, in the order a menu should list them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DATASET_NAMES } from "./data.ts";
 * assert.equal(DATASET_NAMES.join(", "), "moons, circles, xor, spiral, blobs, plane, gaussians");
 * ```
 */
export const DATASET_NAMES: readonly DatasetName[] = Object.freeze([
  "moons",
  "circles",
  "xor",
  "spiral",
  "blobs",
  "plane",
  "gaussians",
]);

/**
 * The regression datasets: each point's label is a real-valued target.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { REGRESSION_DATASETS } from "./data.ts";
 * assert.deepEqual(REGRESSION_DATASETS, ["plane", "gaussians"]);
 * ```
 */
export const REGRESSION_DATASETS: readonly DatasetName[] = Object.freeze([
  "plane",
  "gaussians",
]);

/**
 * The task of a named dataset, or of a {@linkcode Dataset}.
 *
 * @param data A dataset name or a dataset.
 * @returns `"regression"` or `"classification"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetTask, makePlane } from "./data.ts";
 * assert.equal(datasetTask("plane"), "regression");
 * assert.equal(datasetTask("moons"), "classification");
 * assert.equal(datasetTask(makePlane(10)), "regression");
 * ```
 */
export function datasetTask(data: DatasetName | Dataset): Task {
  if (typeof data === "string") {
    return REGRESSION_DATASETS.includes(data) ? "regression" : "classification";
  }
  return data.task === "regression" ? "regression" : "classification";
}

/**
 * The datasets whose number of classes can be chosen (`classes` option);
 * the others always have two.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MULTICLASS_DATASETS } from "./data.ts";
 * assert.ok(MULTICLASS_DATASETS.includes("spiral"));
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

/**
 * The largest `noise` (standard deviation) a generator accepts. A normal
 * draw here is at most about 6.7 in size (Box–Muller from 32-bit uniforms),
 * so every coordinate stays finite with a wide margin, and the products a
 * model forms from the points stay far from overflow; a noise a million times
 * the size of the shapes is all noise anyway.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeMoons, MAX_NOISE } from "./data.ts";
 * assert.equal(MAX_NOISE, 1e6);
 * assert.throws(() => makeMoons(10, { noise: 1e308 }), {
 *   name: "FieldRangeError",
 *   message: "makeMoons: noise must be a number in [0, 1000000], got the number 1e+308",
 * });
 * ```
 */
export const MAX_NOISE = 1e6;

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

/** The option names of the two-class generators. */
const NOISE_OPTIONS = ["noise", "seed"];
/** The option names of {@linkcode makeCircles}. */
const CIRCLES_OPTIONS = ["noise", "seed", "factor"];
/** The option names of the multi-class generators. */
const MULTICLASS_OPTIONS = ["noise", "seed", "classes"];
/** The option names of {@linkcode makeDataset}. */
const DATASET_OPTIONS = ["points", "noise", "classes", "seed"];

/** A generator's checked arguments. */
interface Recipe {
  /** The options object, checked to hold only known keys. */
  options: Record<string, unknown>;
  /** Number of classes: 2, or the `classes` option of a multi-class generator. */
  classes: number;
  /** Standard deviation of the noise. */
  noise: number;
  /** The generator seeded from the `seed` option. */
  rng: Rng;
}

/**
 * Check what every generator takes: the options object (no unknown keys;
 * scikit-learn's `n_samples`, `random_state` get ours suggested), `classes`
 * when `known` lists it (2 to 10, default 3; otherwise 2), `n` (from 2, or
 * from `classes`, to 1,000,000), `noise` (0 to {@linkcode MAX_NOISE}, default
 * 0) and `seed` (a safe integer, default 0).
 */
function checkRecipe(
  where: string,
  n: unknown,
  options: unknown,
  known: readonly string[],
): Recipe {
  const given = checkOptions(options, where, known);
  const classes = known.includes("classes")
    ? checkInteger(given.classes ?? 3, where, "classes", 2, MAX_CLASSES)
    : 2;
  checkInteger(n, where, "n", classes, MAX_POINTS);
  const noise = checkNumber(given.noise ?? 0, where, "noise", {
    min: 0,
    max: MAX_NOISE,
  });
  const rng = new Rng(checkSeed(given.seed ?? 0, where, "seed"));
  return { options: given, classes, noise, rng };
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
 * import assert from "node:assert/strict";
 * import { makeMoons } from "./data.ts";
 * const { x, y } = makeMoons(100, { noise: 0.1, seed: 42 });
 * assert.equal(x.length, 100);
 * assert.equal(y.filter((label) => label === 1).length, 50);
 * ```
 */
export function makeMoons(n: number, options: NoiseOptions = {}): Dataset {
  const { noise, rng } = checkRecipe("makeMoons", n, options, NOISE_OPTIONS);
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
 * import assert from "node:assert/strict";
 * import { makeCircles } from "./data.ts";
 * const { x } = makeCircles(4, { noise: 0, factor: 0.5 });
 * const radii = x.map(([a, b]) => Math.hypot(a, b).toFixed(3)).sort();
 * assert.equal(radii.join(" "), "0.500 0.500 1.000 1.000");
 * ```
 */
export function makeCircles(n: number, options: CirclesOptions = {}): Dataset {
  const where = "makeCircles";
  const { noise, rng, options: given } = checkRecipe(
    where,
    n,
    options,
    CIRCLES_OPTIONS,
  );
  const factor = checkNumber(
    given.factor ?? 0.5,
    where,
    "factor",
    { min: 0, max: 1, maxExclusive: true },
    "a number in [0, 1) (the inner circle's radius)",
  );
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
 * import assert from "node:assert/strict";
 * import { makeXor } from "./data.ts";
 * const { x, y } = makeXor(50, { noise: 0, seed: 3 });
 * assert.ok(x.every(([a, b], i) => (a * b < 0 ? 1 : 0) === y[i]));
 * ```
 */
export function makeXor(n: number, options: NoiseOptions = {}): Dataset {
  const { noise, rng } = checkRecipe("makeXor", n, options, NOISE_OPTIONS);
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
 * import assert from "node:assert/strict";
 * import { makeSpiral } from "./data.ts";
 * const data = makeSpiral(90, { classes: 3, noise: 0.05, seed: 1 });
 * assert.equal(data.classes, 3);
 * assert.equal(data.y.filter((label) => label === 2).length, 30);
 * ```
 */
export function makeSpiral(
  n: number,
  options: MultiClassOptions = {},
): Dataset {
  const { classes, noise, rng } = checkRecipe(
    "makeSpiral",
    n,
    options,
    MULTICLASS_OPTIONS,
  );
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
 * import assert from "node:assert/strict";
 * import { makeBlobs } from "./data.ts";
 * const data = makeBlobs(60, { classes: 4, noise: 0.1, seed: 2 });
 * assert.equal(data.classes, 4);
 * assert.equal(new Set(data.y).size, 4);
 * ```
 */
export function makeBlobs(n: number, options: MultiClassOptions = {}): Dataset {
  const { classes, noise, rng } = checkRecipe(
    "makeBlobs",
    n,
    options,
    MULTICLASS_OPTIONS,
  );
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
 * The points of a regression generator: uniform in the square [-1, 1]²
 * (TensorFlow Playground's [-6, 6]² scaled by 1/6, like {@linkcode makeXor}),
 * each labelled with `target` at the point moved by gaussian noise of
 * standard deviation `noise` (as TF labels a noisy copy of the point and
 * draws the point itself).
 */
function regressionPoints(
  n: number,
  noise: number,
  rng: Rng,
  target: (x: number, y: number) => number,
): Dataset {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const px = rng.uniform(-1, 1);
    const py = rng.uniform(-1, 1);
    // Always draw, so that noise = 0 and noise > 0 share the same points.
    const dx = rng.normal(0, 1);
    const dy = rng.normal(0, 1);
    x.push([px, py]);
    y.push(target(px + noise * dx, py + noise * dy));
  }
  return { x, y, classes: 0, task: "regression" };
}

/**
 * TensorFlow Playground's "plane" regression: points uniform in [-1, 1]²
 * with the target `0.6·(x + y)` (TF's `(x + y) / 10` on its [-6, 6]²), so
 * targets lie in [-1.2, 1.2]; the noise moves the point the target is
 * measured at (see {@linkcode regressionPoints}).
 *
 * @param n Number of points, an integer >= 2.
 * @param options `noise` (default 0) and `seed` (default 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makePlane } from "./data.ts";
 * const data = makePlane(20, { seed: 4 });
 * assert.equal(data.task, "regression");
 * assert.ok(data.x.every(([a, b], i) => Math.abs(data.y[i] - 0.6 * (a + b)) < 1e-12));
 * ```
 */
export function makePlane(n: number, options: NoiseOptions = {}): Dataset {
  const { noise, rng } = checkRecipe("makePlane", n, options, NOISE_OPTIONS);
  return regressionPoints(n, noise, rng, (x, y) => 0.6 * (x + y));
}

/** TF's six gaussians, scaled by 1/6: centre x, centre y, sign. */
const GAUSSIANS: readonly (readonly [number, number, number])[] = [
  [-4 / 6, 2.5 / 6, 1],
  [0, 2.5 / 6, -1],
  [4 / 6, 2.5 / 6, 1],
  [-4 / 6, -2.5 / 6, -1],
  [0, -2.5 / 6, 1],
  [4 / 6, -2.5 / 6, -1],
];

/**
 * TensorFlow Playground's "multi gaussian" regression: six bumps in a 3 × 2
 * grid, alternately +1 and -1 at their centres and falling linearly to 0 at
 * distance 1/3 (TF's 2 on its [-6, 6]²); a point takes the bump of largest
 * size. Points are uniform in [-1, 1]²; the noise moves the point the target
 * is measured at.
 *
 * @param n Number of points, an integer >= 2.
 * @param options `noise` (default 0) and `seed` (default 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGaussians } from "./data.ts";
 * const data = makeGaussians(200, { seed: 1 });
 * assert.ok(data.y.every((t) => t >= -1 && t <= 1));
 * assert.ok(data.y.some((t) => t > 0.5) && data.y.some((t) => t < -0.5));
 * ```
 */
export function makeGaussians(
  n: number,
  options: NoiseOptions = {},
): Dataset {
  const { noise, rng } = checkRecipe(
    "makeGaussians",
    n,
    options,
    NOISE_OPTIONS,
  );
  return regressionPoints(n, noise, rng, (x, y) => {
    let target = 0;
    for (const [cx, cy, sign] of GAUSSIANS) {
      const dx = x - cx, dy = y - cy;
      // Math.sqrt is exact (correctly rounded) in every engine; hypot is not.
      const size = Math.max(0, 1 - 3 * Math.sqrt(dx * dx + dy * dy));
      if (size > Math.abs(target)) target = sign * size;
    }
    return target;
  });
}

/**
 * Make a dataset by name, as the trainer, the CLI and the playground do.
 *
 * @param name One of {@linkcode DATASET_NAMES}: `"moons"`, `"circles"`,
 *   `"xor"`, `"spiral"`, `"blobs"`, or the regressions `"plane"` and
 *   `"gaussians"`.
 * @param options `points` (default 100), `noise` (default 0.1), `classes`
 *   (spiral and blobs only, default 3), `seed` (default 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeDataset } from "./data.ts";
 * const data = makeDataset("spiral", { points: 60, classes: 3, seed: 5 });
 * assert.equal(data.x.length, 60);
 * assert.equal(data.classes, 3);
 * ```
 */
export function makeDataset(
  name: DatasetName,
  options: DatasetOptions = {},
): Dataset {
  const where = "makeDataset";
  checkName(name, where, "name", DATASET_NAMES);
  const given = checkOptions(options, where, DATASET_OPTIONS);
  // Checked here too, so that a bad value is named as makeDataset's option
  // (`points`), not as the generator's argument (`n`).
  const classes = checkInteger(
    given.classes ?? 3,
    where,
    "classes",
    2,
    MAX_CLASSES,
  );
  const minimum = MULTICLASS_DATASETS.includes(name) ? classes : 2;
  const points = checkInteger(
    given.points ?? 100,
    where,
    "points",
    minimum,
    MAX_POINTS,
  );
  const noise = checkNumber(given.noise ?? 0.1, where, "noise", {
    min: 0,
    max: MAX_NOISE,
  });
  const seed = checkSeed(given.seed ?? 0, where, "seed");
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
    case "plane":
      return makePlane(points, { noise, seed });
    case "gaussians":
      return makeGaussians(points, { noise, seed });
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
 * `test`. The dataset is checked first ({@linkcode checkDataset}): a point
 * that is not two finite numbers or a label that is not a class index is
 * refused, naming it (`x[3][1]`, `y[17]`).
 *
 * @param data The dataset to split (not modified).
 * @param testFraction The share of points held out, in [0, 1).
 * @param seed Seed of the random choice of test points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeMoons, trainTestSplit } from "./data.ts";
 * const { train, test } = trainTestSplit(makeMoons(100, { seed: 1 }), 0.2, 7);
 * assert.equal(train.x.length, 80);
 * assert.equal(test.x.length, 20);
 * const broken = { x: [[0, 0], [1, NaN]], y: [0, 1], classes: 2 };
 * assert.throws(() => trainTestSplit(broken, 0.5, 7), {
 *   name: "FieldRangeError",
 *   message: "trainTestSplit: x[1][1] must be a finite number, got the number NaN",
 * });
 * ```
 */
export function trainTestSplit(
  data: Dataset,
  testFraction: number,
  seed: number,
): { train: Dataset; test: Dataset } {
  const where = "trainTestSplit";
  checkDataset(data, where);
  checkNumber(testFraction, where, "testFraction", {
    min: 0,
    max: 1,
    maxExclusive: true,
  });
  const rng = new Rng(checkSeed(seed, where, "seed"));
  const n = data.x.length;
  const testCount = testSetSize(n, testFraction);
  const isTest = new Array<boolean>(n).fill(false);
  const order = rng.shuffle(data.x.map((_, i) => i));
  for (let i = 0; i < testCount; i++) isTest[order[i]] = true;
  const train = emptyLike(data);
  const test = emptyLike(data);
  for (let i = 0; i < n; i++) {
    const part = isTest[i] ? test : train;
    part.x.push([...data.x[i]]);
    part.y.push(data.y[i]);
  }
  return { train, test };
}

/** A dataset with no points and `data`'s classes, task and class names. */
function emptyLike(data: Dataset): Dataset {
  const empty: Dataset = { x: [], y: [], classes: data.classes };
  if (data.task !== undefined) empty.task = data.task;
  if (data.classNames !== undefined) empty.classNames = [...data.classNames];
  return empty;
}

/**
 * Check that `labels` are class indices: integers from 0 to `classes - 1`.
 * A label that is not a number is a `FieldTypeError`, one that is NaN,
 * infinite, fractional or out of range a `FieldRangeError`; both name it as
 * `field[i]` (e.g. `y[17]`, `labels[3]`).
 *
 * @param labels What was passed.
 * @param where The function, e.g. `"accuracy"`.
 * @param field The argument's name, e.g. `"labels"`.
 * @param classes The number of classes.
 * @returns `labels`, typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLabels } from "./data.ts";
 * assert.deepEqual(checkLabels([0, 2, 1], "accuracy", "labels", 3), [0, 2, 1]);
 * assert.throws(() => checkLabels([0, 3], "accuracy", "labels", 3), {
 *   name: "FieldRangeError",
 *   message: "accuracy: labels[1] must be a class index (an integer from 0 to 2), got the number 3",
 * });
 * ```
 */
export function checkLabels(
  labels: unknown,
  where: string,
  field: string,
  classes: number,
): number[] {
  if (!Array.isArray(labels)) {
    failField("type", where, field, "an array of class indices", labels);
  }
  const allowed = `a class index (an integer from 0 to ${classes - 1})`;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (typeof label !== "number") {
      failField("type", where, `${field}[${i}]`, allowed, label);
    }
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      failField("range", where, `${field}[${i}]`, allowed, label);
    }
  }
  return labels;
}

/** Every {@linkcode Task}. */
const TASKS: readonly Task[] = ["classification", "regression"];

/**
 * Check a point of the plane: an array of exactly two finite numbers.
 * Errors name `field` (a wrong type or length) or `field[0]`/`field[1]`
 * (a coordinate that is not a finite number).
 *
 * @param value What was passed.
 * @param where The function, e.g. `"Trainer.evaluate"`.
 * @param field The argument and index, e.g. `"dataset.x[3]"`.
 * @returns The point.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPlanePoint } from "./data.ts";
 * assert.deepEqual(checkPlanePoint([0.5, -1], "f", "x[0]"), [0.5, -1]);
 * assert.throws(() => checkPlanePoint([0.5], "f", "x[0]"), { field: "x[0]" });
 * assert.throws(() => checkPlanePoint([0.5, NaN], "f", "x[0]"), { field: "x[0][1]" });
 * ```
 */
export function checkPlanePoint(
  value: unknown,
  where: string,
  field: string,
): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    failField(
      Array.isArray(value) ? "range" : "type",
      where,
      field,
      "a point [x, y] of two finite numbers",
      value,
    );
  }
  checkNumber(value[0], where, `${field}[0]`);
  checkNumber(value[1], where, `${field}[1]`);
  return value as unknown as readonly [number, number];
}

/** Check real-valued targets: finite numbers, named `field[i]`. */
function checkTargets(targets: unknown[], where: string, field: string): void {
  for (let i = 0; i < targets.length; i++) {
    checkNumber(
      targets[i],
      where,
      `${field}[${i}]`,
      {},
      "a finite number (a regression target)",
    );
  }
}

/**
 * Check a {@linkcode Dataset} before it is split, trained on or evaluated:
 * `x` and `y` are arrays of the same length, every point is two finite
 * numbers, and every label is a class index below `classes` (by default the
 * dataset's own `classes`, which must then be a positive integer) or, for a
 * regression dataset (`task: "regression"`), a finite number; `classNames`,
 * when present on a classification dataset, is one distinct, non-empty name
 * per class. The error names what is wrong and where (`x[3][1]`, `y[17]`,
 * `classNames[1]`; a hole of a sparse array too), so bad data is refused
 * instead of becoming a NaN loss or a silently miscounted accuracy. An empty
 * dataset passes.
 *
 * @param dataset What was passed.
 * @param where The function, e.g. `"Trainer.evaluate"`.
 * @param classes The number of classes the labels must fit; default `dataset.classes` (ignored for regression).
 * @returns `dataset`, typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDataset, makeMoons } from "./data.ts";
 * const data = makeMoons(10, { seed: 1 });
 * assert.equal(checkDataset(data, "evaluate"), data);
 * assert.throws(() => checkDataset({ ...data, y: [...data.y.slice(1), 5] }, "evaluate"), {
 *   name: "FieldRangeError",
 *   message: "evaluate: y[9] must be a class index (an integer from 0 to 1), got the number 5",
 * });
 * assert.throws(() => checkDataset(null, "evaluate"), { name: "FieldTypeError" });
 * const regression = { x: [[0, 0]], y: [NaN], classes: 0, task: "regression" as const };
 * assert.throws(() => checkDataset(regression, "evaluate"), { field: "y[0]" });
 * assert.throws(() => checkDataset({ ...data, classNames: ["a", "a"] }, "evaluate"), {
 *   field: "classNames[1]",
 * });
 * ```
 */
export function checkDataset(
  dataset: unknown,
  where: string,
  classes?: number,
): Dataset {
  if (dataset === null || typeof dataset !== "object") {
    failField("type", where, "dataset", "a Dataset { x, y, classes }", dataset);
  }
  const record = dataset as Record<string, unknown>;
  const { x, y } = record;
  const task = record.task === undefined
    ? "classification"
    : checkName(record.task, where, "task", TASKS);
  if (!Array.isArray(x)) {
    failField("type", where, "x", "an array of points [x, y]", x);
  }
  const labels = task === "regression"
    ? "an array of targets (finite numbers)"
    : "an array of class indices";
  if (!Array.isArray(y)) failField("type", where, "y", labels, y);
  if (x.length !== y.length) {
    throw new FieldTypeError(
      `${where}: y must hold one label per point of x (${x.length}), got ${y.length} labels`,
      { field: "y", allowed: `${labels} of length ${x.length}` },
    );
  }
  checkNoHoles(x, where, "x", "a point [x, y] of two finite numbers");
  for (let i = 0; i < x.length; i++) checkPlanePoint(x[i], where, `x[${i}]`);
  if (task === "regression") {
    checkNoHoles(y, where, "y", "a finite number (a regression target)");
    checkTargets(y, where, "y");
    return dataset as Dataset;
  }
  const k = classes ?? checkNumber(
    record.classes,
    where,
    "classes",
    { min: 1, integer: true },
    "a positive integer",
  );
  checkNoHoles(y, where, "y", `a class index (an integer from 0 to ${k - 1})`);
  checkLabels(y, where, "y", k);
  if (record.classNames !== undefined) {
    const names = checkClassNames(record.classNames, where);
    // The names belong to the dataset's own classes (`k` may be a caller's).
    const own = typeof record.classes === "number" ? record.classes : k;
    checkClassCount(names, own, where);
  }
  return dataset as Dataset;
}

/** Options of {@linkcode datasetFromPoints}. */
export interface PointsDatasetOptions {
  /** `"classification"` (default: labels are class indices) or `"regression"` (real targets). */
  task?: Task;
  /**
   * Classification: how many classes, 1 to 10; default the number of
   * `classNames`, else the largest label + 1 (at least 2).
   */
  classes?: number;
  /** Classification: a distinct, non-empty name for each class, by index (for legends). */
  classNames?: readonly string[];
}

/**
 * The most points {@linkcode datasetFromPoints} and `parseCsv` accept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_DATASET_POINTS } from "./data.ts";
 * assert.equal(MAX_DATASET_POINTS, 1_000_000);
 * ```
 */
export const MAX_DATASET_POINTS: number = MAX_POINTS;

/**
 * The most classes a dataset of your own may have (as the config's
 * `classes`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetFromPoints, MAX_DATASET_CLASSES } from "./data.ts";
 * assert.equal(MAX_DATASET_CLASSES, 10);
 * assert.throws(() => datasetFromPoints([[0, 0]], [10]), { field: "labels[0]" });
 * ```
 */
export const MAX_DATASET_CLASSES: number = MAX_CLASSES;

/**
 * A {@linkcode Dataset} from your own points, checked: `points[i]` is
 * `[x, y]` (two finite numbers), `labels[i]` its class index `0..k-1`
 * (classification, the default) or its real-valued target (`task:
 * "regression"`, any finite number). Refused with a typed error naming the
 * row (`points[3][1]`, `labels[7]`): a point that is not two finite numbers
 * (non-finite, ragged, not an array), a hole of a sparse array (`[p, , q]`),
 * a label out of range or not an integer, a non-finite target, `labels` of
 * another length, more than 1,000,000 points or 10 classes; and `classNames`
 * that are not one distinct, non-empty name per class (too few for the
 * labels is the names' fault, not the labels'). Nothing is shared with the
 * arguments; a class label -0 becomes 0.
 *
 * @param points The points, each `[x, y]`.
 * @param labels One label per point.
 * @param options The task, the number of classes and their names.
 * @returns A fresh dataset (classification datasets carry no `task` key, as the generators' do).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetFromPoints } from "./data.ts";
 * const data = datasetFromPoints([[0, 0], [1, 1], [2, 0]], [0, 2, 1]);
 * assert.equal(data.classes, 3);
 * const named = datasetFromPoints([[0, 0], [1, 1]], [1, 0], { classNames: ["cat", "dog"] });
 * assert.deepEqual(named.classNames, ["cat", "dog"]);
 * const fit = datasetFromPoints([[0, 0], [1, 1]], [0.5, -2.25], { task: "regression" });
 * assert.deepEqual(fit, { x: [[0, 0], [1, 1]], y: [0.5, -2.25], classes: 0, task: "regression" });
 * assert.throws(() => datasetFromPoints([[0, 0], [1]], [0, 1]), {
 *   name: "FieldRangeError",
 *   message: "datasetFromPoints: points[1] must be a point [x, y] of two finite numbers, got an array of length 1",
 * });
 * assert.throws(() => datasetFromPoints([[0, 0]], [2], { classes: 2 }), { field: "labels[0]" });
 * assert.throws(() => datasetFromPoints([[0, Infinity]], [0]), { field: "points[0][1]" });
 * const holey = [[0, 0], , [1, 1]] as number[][]; // a sparse array
 * assert.throws(() => datasetFromPoints(holey, [0, 1, 0]), {
 *   name: "FieldTypeError",
 *   message: "datasetFromPoints: points[1] must be a point [x, y] of two finite numbers, got an empty slot (a hole in a sparse array)",
 * });
 * assert.throws(() => datasetFromPoints([[0, 0], [1, 1]], [0, 1], { classNames: ["a"] }), {
 *   field: "classNames",
 *   message: /^datasetFromPoints: classNames must be one name per class: at least 2 names, as labels\[1\] is 1/,
 * });
 * ```
 */
export function datasetFromPoints(
  points: readonly (readonly number[])[],
  labels: readonly number[],
  options: PointsDatasetOptions = {},
): Dataset {
  const where = "datasetFromPoints";
  const given = checkOptions(options, where, ["task", "classes", "classNames"]);
  const task = checkName(given.task ?? "classification", where, "task", TASKS);
  if (!Array.isArray(points)) {
    failField("type", where, "points", "an array of points [x, y]", points);
  }
  if (points.length > MAX_POINTS) {
    failField(
      "range",
      where,
      "points",
      `an array of at most ${MAX_POINTS} points`,
      points,
    );
  }
  if (!Array.isArray(labels)) {
    failField("type", where, "labels", "an array of labels", labels);
  }
  if (labels.length !== points.length) {
    throw new FieldRangeError(
      `${where}: labels must hold one label per point (${points.length}), got ${labels.length}`,
      { field: "labels", allowed: `an array of ${points.length} labels` },
    );
  }
  // A sparse array's hole reads as undefined and `map` skips it: refuse it
  // by index rather than copy the hole into the dataset.
  checkNoHoles(points, where, "points", "a point [x, y] of two finite numbers");
  checkNoHoles(
    labels,
    where,
    "labels",
    task === "regression"
      ? "a finite number (a regression target)"
      : "a class index",
  );
  const x = points.map((point, i) => {
    const [px, py] = checkPlanePoint(point, where, `points[${i}]`);
    return [px, py];
  });
  if (task === "regression") {
    for (const key of ["classes", "classNames"]) {
      if (given[key] !== undefined) {
        failField(
          "range",
          where,
          key,
          "absent for regression (the targets are numbers, not classes)",
          given[key],
        );
      }
    }
    checkTargets(labels, where, "labels");
    return { x, y: [...labels], classes: 0, task: "regression" };
  }
  const classNames = given.classNames === undefined
    ? undefined
    : checkClassNames(given.classNames, where);
  let classes: number;
  if (given.classes !== undefined) {
    classes = checkInteger(given.classes, where, "classes", 1, MAX_CLASSES);
    if (classNames !== undefined) checkClassCount(classNames, classes, where);
  } else if (classNames !== undefined) {
    // The names decide the classes, so a label beyond them means a name is
    // missing: say so, rather than blame the label against too few classes.
    checkLabels(labels, where, "labels", MAX_CLASSES);
    let top = 0;
    for (let i = 1; i < labels.length; i++) {
      if (labels[i] > labels[top]) top = i;
    }
    if (labels.length > 0 && labels[top] >= classNames.length) {
      failField(
        "range",
        where,
        "classNames",
        `one name per class: at least ${
          labels[top] + 1
        } names, as labels[${top}] is ${
          labels[top]
        } (or pass classes to say how many)`,
        classNames,
      );
    }
    classes = classNames.length;
  } else {
    // The labels decide; check them against the largest class count first
    // so that a label of 10 is refused by name.
    checkLabels(labels, where, "labels", MAX_CLASSES);
    classes = 2;
    for (const label of labels) if (label >= classes) classes = label + 1;
  }
  checkLabels(labels, where, "labels", classes);
  // A class index is never -0 (as parseCsv reads "-0"), so the CSV of the
  // dataset reads back deep-equal.
  const data: Dataset = { x, y: labels.map((label) => label + 0), classes };
  if (classNames !== undefined) data.classNames = classNames;
  return data;
}

/** Check class names: 1 to 10 distinct, non-empty strings. */
function checkClassNames(value: unknown, where: string): string[] {
  const allowed = `an array of 1 to ${MAX_CLASSES} distinct, non-empty names`;
  if (!Array.isArray(value)) {
    failField("type", where, "classNames", allowed, value);
  }
  if (value.length === 0 || value.length > MAX_CLASSES) {
    failField("range", where, "classNames", allowed, value);
  }
  checkNoHoles(value, where, "classNames", "a non-empty string");
  const names: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const name = value[i];
    if (typeof name !== "string") {
      failField("type", where, `classNames[${i}]`, "a non-empty string", name);
    }
    if (name === "" || names.includes(name)) {
      failField(
        "range",
        where,
        `classNames[${i}]`,
        "a non-empty name used by no other class",
        name,
      );
    }
    names.push(name);
  }
  return names;
}

/** Check that there is one class name per class. */
function checkClassCount(
  names: readonly string[],
  classes: number,
  where: string,
): void {
  if (names.length !== classes) {
    failField(
      "range",
      where,
      "classNames",
      `an array of ${classes} names (one per class)`,
      names,
    );
  }
}

/**
 * Refuse an empty slot of a sparse array (`[a, , b]`): reading it gives
 * `undefined` while `map` and `forEach` skip it, so it would otherwise slip
 * through a check that looks only at values. The error names the index.
 */
function checkNoHoles(
  array: readonly unknown[],
  where: string,
  field: string,
  allowed: string,
): void {
  for (let i = 0; i < array.length; i++) {
    if (!(i in array)) {
      throw new FieldTypeError(
        `${where}: ${field}[${i}] must be ${allowed}, got an empty slot (a hole in a sparse array)`,
        { field: `${field}[${i}]`, allowed },
      );
    }
  }
}
