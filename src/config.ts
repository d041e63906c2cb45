/**
 * What defines a training run: the {@linkcode TrainConfig} fields, their
 * defaults ({@linkcode DEFAULT_CONFIG}, micrograd's demo) and
 * {@linkcode validateConfig}, which checks a partial config from a user (CLI
 * flags, a URL, a test) and fills in the rest. The `Trainer` in `train.ts`
 * runs a config.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import {
  DATASET_NAMES,
  type DatasetName,
  MULTICLASS_DATASETS,
  testSetSize,
} from "./data.ts";
import { type Activation, ACTIVATIONS } from "./activation.ts";
import { LOSS_NAMES, type LossName } from "./loss.ts";
import { type Initialization, INITIALIZATIONS } from "./initialization.ts";
import { SCHEDULE_NAMES, type ScheduleName } from "./schedule.ts";

/** The optimisers a {@linkcode TrainConfig} can name. `"momentum"` is SGD with momentum 0.9. */
export type OptimizerName = "sgd" | "momentum" | "adam";

/**
 * Everything that defines a training run. Two runs with equal configs give
 * equal numbers, step for step, in every runtime.
 */
export interface TrainConfig {
  /** Which toy dataset to learn. */
  dataset: DatasetName;
  /** Number of points in the dataset (before the train/test split), 2..100000. */
  points: number;
  /** Standard deviation of the gaussian noise on the points, >= 0. */
  noise: number;
  /** Number of classes for `spiral` and `blobs`, 2..10 (the others always have 2). */
  classes: number;
  /** Seed of the dataset and of the train/test split. */
  dataSeed: number;
  /** Share of the points held out as a test set, in [0, 1). */
  testFraction: number;
  /** Sizes of the hidden layers, e.g. `[16, 16]`; may be empty (a linear model). */
  hidden: number[];
  /** Activation of the hidden layers (the output layer is always linear). */
  activation: Activation;
  /** How the initial weights are drawn. */
  init: Initialization;
  /**
   * The data loss. Binary losses (`hinge`, `logistic`, `mse`) use one output;
   * `crossEntropy` uses one output per class. A dataset with more than two
   * classes always trains with `crossEntropy`.
   */
  loss: LossName;
  /** `"sgd"`, `"momentum"` (SGD with momentum 0.9) or `"adam"`. */
  optimizer: OptimizerName;
  /** Base learning rate, > 0 (the schedule scales it). */
  learningRate: number;
  /** How the learning rate changes over `steps`. */
  schedule: ScheduleName;
  /** Number of steps the schedule spans (and the CLI runs), >= 1. */
  steps: number;
  /** Strength of the L2 penalty `l2·Σp²` added to the loss, >= 0. */
  l2: number;
  /** Samples per step, drawn at random without replacement; `null` = the whole training set. */
  batchSize: number | null;
  /** Seed of the initial weights and of the minibatch draws. */
  seed: number;
  /**
   * Replay a recorded tape (`compile` in `compile.ts`) instead of building a new
   * `Value` graph every step: same numbers, many times faster. Turn it off
   * to watch the plain engine work.
   */
  compile: boolean;
}

/**
 * The defaults: micrograd's demo (`demo.ipynb`). 100 moons with noise 0.1, an
 * MLP 2-16-16-1 (relu, micrograd's uniform init), hinge loss with L2 1e-4,
 * SGD at `1.0 - 0.9·k/100`, 100 full-batch steps, no test set. With these
 * seeds it reaches train accuracy 1.0 within the 100 steps, as micrograd does.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * console.log(DEFAULT_CONFIG.dataset, DEFAULT_CONFIG.hidden); // moons [16, 16]
 * ```
 */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  dataset: "moons",
  points: 100,
  noise: 0.1,
  classes: 2,
  dataSeed: 1337,
  testFraction: 0,
  hidden: Object.freeze([16, 16]) as unknown as number[],
  activation: "relu",
  init: "uniform",
  loss: "hinge",
  optimizer: "sgd",
  learningRate: 1.0,
  schedule: "linear",
  steps: 100,
  l2: 1e-4,
  batchSize: null,
  seed: 1337,
  compile: true,
});

/**
 * Every {@linkcode OptimizerName}, in menu order.
 *
 * @example
 * ```ts
 * import { OPTIMIZER_NAMES } from "./config.ts";
 * console.log(OPTIMIZER_NAMES.join(" ")); // sgd momentum adam
 * ```
 */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze([
  "sgd",
  "momentum",
  "adam",
]);
const CONFIG_FIELDS = Object.keys(DEFAULT_CONFIG) as (keyof TrainConfig)[];

const MAX_POINTS = 100_000;
const MAX_HIDDEN_LAYERS = 32;
const MAX_LAYER_SIZE = 1024;
const MAX_STEPS = 1_000_000_000;

/** `"a", "b" or "c"` for an error message. */
function listOf(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  return quoted.length > 1
    ? `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`
    : quoted.join("");
}

/** Lower case without `-` and `_`, to suggest `learningRate` for `learning_rate`. */
function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

function fail(
  kind: "type" | "range",
  field: string,
  allowed: string,
  got: unknown,
): never {
  const message = `validateConfig: ${field} must be ${allowed}, got ${
    describeArgument(got)
  }`;
  throw kind === "type" ? new TypeError(message) : new RangeError(message);
}

function checkInteger(
  field: string,
  value: unknown,
  minimum: number,
  maximum: number,
): number {
  const allowed = `an integer from ${minimum} to ${maximum}`;
  if (typeof value !== "number") fail("type", field, allowed, value);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    fail("range", field, allowed, value);
  }
  return value;
}

function checkNumber(
  field: string,
  value: unknown,
  allowed: string,
  isAllowed: (x: number) => boolean,
): number {
  if (typeof value !== "number") fail("type", field, allowed, value);
  if (!isAllowed(value)) fail("range", field, allowed, value);
  return value;
}

function checkName<T extends string>(
  field: string,
  value: unknown,
  names: readonly T[],
): T {
  const allowed = `one of ${listOf(names)}`;
  if (typeof value !== "string") fail("type", field, allowed, value);
  if (!names.includes(value as T)) fail("range", field, allowed, value);
  return value as T;
}

function checkSeed(field: string, value: unknown): number {
  const allowed = "a safe integer";
  if (typeof value !== "number") fail("type", field, allowed, value);
  if (!Number.isSafeInteger(value)) fail("range", field, allowed, value);
  return value;
}

/**
 * Check a (partial) config and fill in the missing fields from
 * {@linkcode DEFAULT_CONFIG}. Fields that are absent or `undefined` take
 * their default. Anything else wrong throws a `TypeError` (wrong type) or
 * `RangeError` (out of range) naming the field, what it got and what is
 * allowed; an unknown field is rejected with the list of known ones (and a
 * suggestion when it looks like one of them, e.g. `learning_rate`).
 *
 * @param input A plain object with some of the fields of {@linkcode TrainConfig}, or `undefined`.
 * @returns A complete, fresh config.
 *
 * @example
 * ```ts
 * import { validateConfig } from "./config.ts";
 * const config = validateConfig({ dataset: "spiral", classes: 3, hidden: [32] });
 * console.log(config.loss, config.steps); // hinge 100
 * try {
 *   validateConfig({ learningRate: -1 });
 * } catch (error) {
 *   console.log((error as Error).message);
 *   // validateConfig: learningRate must be a finite number > 0, got the number -1
 * }
 * ```
 */
export function validateConfig(input: unknown): TrainConfig {
  if (input === undefined) input = {};
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new TypeError(
      `validateConfig: config must be an object with fields ${
        CONFIG_FIELDS.join(", ")
      }, got ${describeArgument(input)}`,
    );
  }
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(CONFIG_FIELDS as string[]).includes(key)) {
      const close = CONFIG_FIELDS.find((field) =>
        normalizeKey(field) === normalizeKey(key)
      );
      throw new RangeError(
        `validateConfig: unknown field "${key}"${
          close ? ` (did you mean "${close}"?)` : ""
        }; allowed fields are ${CONFIG_FIELDS.join(", ")}`,
      );
    }
  }
  const pick = (field: keyof TrainConfig): unknown =>
    given[field] === undefined ? DEFAULT_CONFIG[field] : given[field];

  const dataset = checkName("dataset", pick("dataset"), DATASET_NAMES);
  const points = checkInteger("points", pick("points"), 2, MAX_POINTS);
  const noise = checkNumber(
    "noise",
    pick("noise"),
    "a finite number >= 0",
    (x) => Number.isFinite(x) && x >= 0,
  );
  const classes = checkInteger("classes", pick("classes"), 2, 10);
  if (MULTICLASS_DATASETS.includes(dataset) && points < classes) {
    throw new RangeError(
      `validateConfig: points must be at least classes (${classes}) for the "${dataset}" dataset (one point per class), got the number ${points}`,
    );
  }
  const dataSeed = checkSeed("dataSeed", pick("dataSeed"));
  const testFraction = checkNumber(
    "testFraction",
    pick("testFraction"),
    "a number in [0, 1)",
    (x) => x >= 0 && x < 1,
  );

  const hiddenInput = pick("hidden");
  const hiddenAllowed =
    `an array of at most ${MAX_HIDDEN_LAYERS} layer sizes, each an integer from 1 to ${MAX_LAYER_SIZE} (e.g. [16, 16])`;
  if (!Array.isArray(hiddenInput)) {
    fail("type", "hidden", hiddenAllowed, hiddenInput);
  }
  if (hiddenInput.length > MAX_HIDDEN_LAYERS) {
    fail("range", "hidden", hiddenAllowed, hiddenInput);
  }
  const hidden = hiddenInput.map((size, i) =>
    checkInteger(`hidden[${i}]`, size, 1, MAX_LAYER_SIZE)
  );

  const activation = checkName(
    "activation",
    pick("activation"),
    ACTIVATIONS,
  );
  const init = checkName("init", pick("init"), INITIALIZATIONS);
  const loss = checkName("loss", pick("loss"), LOSS_NAMES);
  const optimizer = checkName("optimizer", pick("optimizer"), OPTIMIZER_NAMES);
  const learningRate = checkNumber(
    "learningRate",
    pick("learningRate"),
    "a finite number > 0",
    (x) => Number.isFinite(x) && x > 0,
  );
  const schedule = checkName("schedule", pick("schedule"), SCHEDULE_NAMES);
  const steps = checkInteger("steps", pick("steps"), 1, MAX_STEPS);
  const l2 = checkNumber(
    "l2",
    pick("l2"),
    "a finite number >= 0",
    (x) => Number.isFinite(x) && x >= 0,
  );
  const batchInput = pick("batchSize");
  const batchSize = batchInput === null
    ? null
    : checkInteger("batchSize", batchInput, 1, MAX_POINTS);
  const seed = checkSeed("seed", pick("seed"));
  const compileInput = pick("compile");
  if (typeof compileInput !== "boolean") {
    fail("type", "compile", "true or false", compileInput);
  }
  return {
    dataset,
    points,
    noise,
    classes,
    dataSeed,
    testFraction,
    hidden,
    activation,
    init,
    loss,
    optimizer,
    learningRate,
    schedule,
    steps,
    l2,
    batchSize,
    seed,
    compile: compileInput,
  };
}

/**
 * A validated config with every derived rule applied: what a `Trainer`
 * built from it actually runs. Binary datasets (moons, circles, xor) have
 * `classes` 2; more than two classes means the `crossEntropy` loss with one
 * output per class; a `batchSize` at least the training set's size is `null`
 * (full batch). `trainSize`, `testSize` and `outputs` are the sizes these
 * rules produce.
 */
export interface ResolvedConfig extends TrainConfig {
  /** Points in the training set (after the test split). */
  readonly trainSize: number;
  /** Points held out as the test set. */
  readonly testSize: number;
  /** Model outputs: 1 for a binary loss, `classes` for `crossEntropy`. */
  readonly outputs: number;
}

/**
 * Validate a (partial) config and apply every derived rule: the one place
 * they live. The `Trainer`, the CLI, the playground's URL and form all call
 * it, so they agree on what a config means.
 *
 * @param input A partial config, as {@linkcode validateConfig} takes.
 * @returns The complete config the `Trainer` runs, with its derived sizes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./config.ts";
 * const spiral = resolveConfig({ dataset: "spiral", classes: 3, loss: "mse" });
 * assert.equal(spiral.loss, "crossEntropy");
 * assert.equal(spiral.outputs, 3);
 * const moons = resolveConfig({ classes: 5, batchSize: 500 });
 * assert.equal(moons.classes, 2);
 * assert.equal(moons.batchSize, null); // 500 >= the 100 training points
 * ```
 */
export function resolveConfig(input?: unknown): ResolvedConfig {
  const given = input !== null && typeof input === "object" &&
      "trainSize" in input
    // Already resolved: strip the derived sizes before validating again.
    ? (({ trainSize: _t, testSize: _s, outputs: _o, ...rest }) => rest)(
      input as ResolvedConfig,
    )
    : input;
  const config = validateConfig(given);
  const classes = MULTICLASS_DATASETS.includes(config.dataset)
    ? config.classes
    : 2;
  const loss: LossName = classes > 2 ? "crossEntropy" : config.loss;
  const testSize = testSetSize(config.points, config.testFraction);
  const trainSize = config.points - testSize;
  const batchSize = config.batchSize !== null && config.batchSize < trainSize
    ? config.batchSize
    : null;
  const outputs = loss === "crossEntropy" ? classes : 1;
  return { ...config, classes, loss, batchSize, trainSize, testSize, outputs };
}
