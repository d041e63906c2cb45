/**
 * What defines a training run, in one table. {@linkcode CONFIG_SCHEMA} has a
 * row per {@linkcode TrainConfig} field: its kind, default, the library's
 * bounds, the playground's narrower bounds, a one-line doc, the CLI flag and
 * the URL key. Everything else is derived from it:
 *
 * - {@linkcode DEFAULT_CONFIG} (micrograd's demo) and
 *   {@linkcode validateConfig}, which checks a partial config and fills in
 *   the rest, refusing with a typed {@linkcode ConfigError} naming the field;
 * - the text codecs the CLI, the URL hash and the playground's form share:
 *   {@linkcode parseConfigField}, {@linkcode formatConfigField},
 *   {@linkcode configToParams} and {@linkcode configFromParams};
 * - {@linkcode resolveConfig}, the one place for the derived rules (what the
 *   `Trainer` in `train.ts` actually runs), and
 *   {@linkcode describeResolution}, which says what those rules changed.
 *
 * Sizes are bounded as a whole, not only field by field
 * ({@linkcode CONFIG_BUDGET}, {@linkcode estimateCost}): every config
 * {@linkcode validateConfig} accepts trains a step within a 2 GB heap.
 *
 * @module
 */

import {
  checkBoolean,
  checkName,
  checkNumber,
  checkOptions,
  describeArgument,
  describeBounds,
  FieldRangeError,
  FieldTypeError,
  isPlainObject,
  listOf,
  type NumberBounds,
} from "./checks.ts";
import {
  DATASET_NAMES,
  type DatasetName,
  datasetTask,
  MULTICLASS_DATASETS,
  type Task,
  testSetSize,
} from "./data.ts";
import {
  checkFeatures,
  DEFAULT_FEATURES,
  FEATURE_NAMES,
  type FeatureName,
  featureNodeCount,
} from "./features.ts";
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
  /**
   * The input features the network reads a point `(x, y)` through: a
   * non-empty list of distinct names from `x, y, x2, y2, xy, sinx, siny`
   * (see `features.ts`); `["x", "y"]`, the point itself, by default.
   */
  features: FeatureName[];
  /** Sizes of the hidden layers, e.g. `[16, 16]`; may be empty (a linear model). */
  hidden: number[];
  /** Activation of the hidden layers (the output layer is always linear). */
  activation: Activation;
  /** How the initial weights are drawn. */
  init: Initialization;
  /**
   * The data loss. Binary losses (`hinge`, `logistic`, `mse`) use one output;
   * `crossEntropy` uses one output per class. A dataset with more than two
   * classes always trains with `crossEntropy`, a regression dataset with
   * `mse` on one real-valued output.
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
  /** Strength of the L1 penalty `l1·Σ|p|` added to the loss, >= 0 (0, none, by default). */
  l1: number;
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
 * Every {@linkcode OptimizerName}, in menu order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OPTIMIZER_NAMES } from "./config.ts";
 * assert.deepEqual(OPTIMIZER_NAMES, ["sgd", "momentum", "adam"]);
 * ```
 */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze([
  "sgd",
  "momentum",
  "adam",
]);

/** What {@linkcode ConfigError} and {@linkcode ConfigTypeError} carry. */
export interface ConfigErrorDetails {
  /** The config field at fault: a key such as `"points"`, or `"hidden[2]"` for one layer; `"config"` for the whole object; the unknown key for an unknown key. */
  field: string;
  /** What would have been accepted, e.g. `"an integer from 2 to 100000"`. */
  allowed: string;
  /** What was given (a number, a string from a CLI flag or a URL, …). */
  value: unknown;
  /** How the message describes `value`, e.g. `the number 1`; default `describeArgument(value)`. */
  got?: string;
}

/**
 * A config field with a value of the right type that is not allowed: out of
 * range, not one of the names, an unknown key, text that is not a number, or
 * sizes that together would not fit in memory. It is a `RangeError` (its
 * `name` stays `"RangeError"`, as `validateConfig` always threw) and a
 * `FieldRangeError` carrying `.field` and `.allowed`, plus `.value` and
 * `.got`. `error instanceof ConfigError` is also true for a
 * {@linkcode ConfigTypeError} (a wrong type, a `TypeError`), so one check
 * catches every config error; `instanceof RangeError`/`TypeError` tells
 * them apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError, validateConfig } from "./config.ts";
 * try {
 *   validateConfig({ points: 1 });
 *   assert.fail("points 1 is refused");
 * } catch (error) {
 *   assert.ok(error instanceof ConfigError && error instanceof RangeError);
 *   assert.equal(error.field, "points");
 *   assert.equal(error.allowed, "an integer from 2 to 100000");
 *   assert.equal(error.value, 1);
 * }
 * ```
 */
export class ConfigError extends FieldRangeError {
  /** What was given. */
  readonly value: unknown;
  /** How the message describes `value`. */
  readonly got: string;

  /**
   * Make the error (`validateConfig` and the codecs throw it).
   *
   * @param message The whole message, naming the field and what is allowed.
   * @param details The field, what is allowed and what was given.
   */
  constructor(message: string, details: ConfigErrorDetails) {
    super(message, details);
    this.name = "RangeError";
    this.value = details.value;
    this.got = details.got ?? describeArgument(details.value);
  }

  /** True for a `ConfigError` and for a {@linkcode ConfigTypeError}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const isA = (type: abstract new (...args: never[]) => unknown) =>
      Function.prototype[Symbol.hasInstance].call(type, value);
    // A subclass of ConfigError inherits this method: only ConfigError
    // itself also stands for ConfigTypeError.
    return this === ConfigError
      ? isA(ConfigError) || isA(ConfigTypeError)
      : isA(this);
  }
}

/**
 * A config field with a value of the wrong type (a string for `points`, a
 * number for `hidden`, a `Map` for the whole config, a hole in `hidden`).
 * It is a `TypeError` (`name` `"TypeError"`) and a `FieldTypeError`, and
 * `error instanceof ConfigError` is true for it too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError, ConfigTypeError, validateConfig } from "./config.ts";
 * assert.throws(() => validateConfig({ points: "100" }), (error) =>
 *   error instanceof ConfigTypeError && error instanceof ConfigError &&
 *   error instanceof TypeError && error.field === "points");
 * ```
 */
export class ConfigTypeError extends FieldTypeError {
  /** What was given. */
  readonly value: unknown;
  /** How the message describes `value`. */
  readonly got: string;

  /**
   * Make the error (`validateConfig` and the codecs throw it).
   *
   * @param message The whole message, naming the field and what is allowed.
   * @param details The field, what is allowed and what was given.
   */
  constructor(message: string, details: ConfigErrorDetails) {
    super(message, details);
    this.name = "TypeError";
    this.value = details.value;
    this.got = details.got ?? describeArgument(details.value);
  }
}

/**
 * Whether `error` is a {@linkcode ConfigError} or a
 * {@linkcode ConfigTypeError} (the same as `error instanceof ConfigError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isConfigError, validateConfig } from "./config.ts";
 * assert.throws(() => validateConfig({ hidden: 16 }), isConfigError);
 * assert.ok(!isConfigError(new TypeError("x")));
 * ```
 */
export function isConfigError(
  error: unknown,
): error is ConfigError | ConfigTypeError {
  return error instanceof ConfigError;
}

/** Throw the config error for `field`: `WHERE: FIELD must be ALLOWED, got GOT`. */
function failConfig(
  kind: "type" | "range",
  where: string,
  field: string,
  allowed: string,
  value: unknown,
  got: string = describeArgument(value),
): never {
  const message = `${where}: ${field} must be ${allowed}, got ${got}`;
  const details = { field, allowed, value, got };
  throw kind === "type"
    ? new ConfigTypeError(message, details)
    : new ConfigError(message, details);
}

/** Run a check from `checks.ts`, turning its field error into a config error. */
function asConfigCheck<T>(value: unknown, check: () => T): T {
  try {
    return check();
  } catch (error) {
    // Already a config error (about a part of the value): keep what it got.
    if (error instanceof ConfigError) throw error;
    if (error instanceof FieldTypeError) {
      throw new ConfigTypeError(error.message, {
        field: error.field,
        allowed: error.allowed,
        value,
      });
    }
    if (error instanceof FieldRangeError) {
      throw new ConfigError(error.message, {
        field: error.field,
        allowed: error.allowed,
        value,
      });
    }
    throw error;
  }
}

/**
 * How a field's value is read and written:
 * `"choice"` a name from a list, `"integer"` and `"number"` a number in a
 * range, `"seed"` an integer seed, `"boolean"` true or false, `"layers"` a
 * list of layer sizes (`"16,16"`), `"batch"` a size or `null` for the full
 * batch (`"full"`), `"features"` a non-empty list of distinct names from
 * the choices (`"x,y,x2"`).
 */
export type ConfigKind =
  | "choice"
  | "integer"
  | "number"
  | "seed"
  | "boolean"
  | "layers"
  | "batch"
  | "features";

/** The allowed values of a field: which part applies depends on its kind. */
export interface FieldLimits {
  /** Numbers, seeds, batch sizes and each layer size: the range. */
  readonly range?: Readonly<NumberBounds>;
  /** Choices and features: the allowed names. */
  readonly choices?: readonly string[];
  /** Layers: how many hidden layers, at least `min` and at most `max`. */
  readonly layers?: { readonly min: number; readonly max: number };
  /** The English for the allowed values when `describeBounds` would not do. */
  readonly allowed?: string;
}

/** Where a field appears in the CLI's `--help` (and the form). */
export type ConfigGroup = "data" | "model" | "training";

/** One row of {@linkcode CONFIG_SCHEMA}: everything about one config field. */
export interface ConfigField<K extends keyof TrainConfig = keyof TrainConfig> {
  /** The {@linkcode TrainConfig} key. */
  readonly key: K;
  /** How the value is read and written. */
  readonly kind: ConfigKind;
  /** The value {@linkcode DEFAULT_CONFIG} has. */
  readonly default: TrainConfig[K];
  /** What the library accepts ({@linkcode validateConfig}). */
  readonly limits: FieldLimits;
  /** What the playground's controls and URL accept: never wider than `limits`. */
  readonly ui: FieldLimits;
  /** One line for `--help` and tooltips. */
  readonly doc: string;
  /** The CLI flag without `--`, e.g. `"learning-rate"` (a boolean also gets `no-FLAG`). */
  readonly flag: string;
  /** The key in the playground's URL hash (unchanged so old links keep working). */
  readonly urlKey: string;
  /** The `--help` section. */
  readonly group: ConfigGroup;
}

const SAFE_INTEGER: NumberBounds = { integer: true };
/** The playground's seeds: what a number box and a link comfortably hold. */
const UI_SEED: NumberBounds = { min: 0, max: 2 ** 31 - 1, integer: true };
const MAX_POINTS = 100_000;

/** The rows, keyed so that the compiler checks every field has exactly one. */
const ROWS: {
  readonly [K in keyof TrainConfig]: Omit<ConfigField<K>, "key">;
} = {
  dataset: {
    kind: "choice",
    default: "moons",
    limits: { choices: DATASET_NAMES },
    ui: { choices: DATASET_NAMES },
    doc: "which toy dataset to learn",
    flag: "dataset",
    urlKey: "dataset",
    group: "data",
  },
  points: {
    kind: "integer",
    default: 100,
    limits: { range: { min: 2, max: MAX_POINTS, integer: true } },
    ui: { range: { min: 10, max: 1000, integer: true } },
    doc: "number of points (before the train/test split)",
    flag: "points",
    urlKey: "points",
    group: "data",
  },
  noise: {
    kind: "number",
    default: 0.1,
    // Far beyond any useful noise, and far from overflowing the points.
    limits: {
      range: { min: 0, max: 1e6 },
      allowed: "a finite number >= 0, at most 1000000",
    },
    ui: { range: { min: 0, max: 1 } },
    doc: "std of the gaussian noise on the points",
    flag: "noise",
    urlKey: "noise",
    group: "data",
  },
  classes: {
    kind: "integer",
    default: 2,
    limits: { range: { min: 2, max: 10, integer: true } },
    ui: { range: { min: 2, max: 6, integer: true } },
    doc: "classes of spiral and blobs (the others always have 2)",
    flag: "classes",
    urlKey: "classes",
    group: "data",
  },
  dataSeed: {
    kind: "seed",
    default: 1337,
    limits: { range: SAFE_INTEGER },
    ui: { range: UI_SEED },
    doc: "seed of the data and the train/test split",
    flag: "data-seed",
    urlKey: "dataSeed",
    group: "data",
  },
  testFraction: {
    kind: "number",
    default: 0,
    limits: { range: { min: 0, max: 1, maxExclusive: true } },
    ui: { range: { min: 0, max: 0.9 } },
    doc: "share of the points held out for testing",
    flag: "test-fraction",
    urlKey: "testFraction",
    group: "data",
  },
  features: {
    kind: "features",
    default: DEFAULT_FEATURES as FeatureName[],
    limits: { choices: FEATURE_NAMES },
    ui: { choices: FEATURE_NAMES },
    doc: "input features the network reads a point (x, y) through, " +
      "comma-separated (x2 = x², xy = x·y, sinx = sin x)",
    flag: "features",
    urlKey: "features",
    group: "model",
  },
  hidden: {
    kind: "layers",
    default: Object.freeze([16, 16]) as unknown as number[],
    limits: {
      layers: { min: 0, max: 32 },
      range: { min: 1, max: 1024, integer: true },
    },
    ui: {
      layers: { min: 0, max: 8 },
      range: { min: 1, max: 32, integer: true },
    },
    doc: 'hidden layer sizes, comma-separated ("none" for a linear model)',
    flag: "hidden",
    urlKey: "hidden",
    group: "model",
  },
  activation: {
    kind: "choice",
    default: "relu",
    limits: { choices: ACTIVATIONS },
    ui: { choices: ACTIVATIONS },
    doc: "activation of the hidden layers",
    flag: "activation",
    urlKey: "activation",
    group: "model",
  },
  init: {
    kind: "choice",
    default: "uniform",
    limits: { choices: INITIALIZATIONS },
    ui: { choices: INITIALIZATIONS },
    doc: "how the initial weights are drawn",
    flag: "init",
    urlKey: "init",
    group: "model",
  },
  loss: {
    kind: "choice",
    default: "hinge",
    limits: { choices: LOSS_NAMES },
    ui: { choices: LOSS_NAMES },
    doc: "data loss (more than 2 classes always use crossEntropy)",
    flag: "loss",
    urlKey: "loss",
    group: "training",
  },
  optimizer: {
    kind: "choice",
    default: "sgd",
    limits: { choices: OPTIMIZER_NAMES },
    ui: { choices: OPTIMIZER_NAMES },
    doc: "optimiser (momentum is SGD with momentum 0.9)",
    flag: "optimizer",
    urlKey: "optimizer",
    group: "training",
  },
  learningRate: {
    kind: "number",
    default: 1.0,
    limits: { range: { min: 0, minExclusive: true } },
    ui: { range: { min: 1e-6, max: 100 } },
    doc: "base learning rate (the schedule scales it)",
    flag: "learning-rate",
    urlKey: "learningRate",
    group: "training",
  },
  schedule: {
    kind: "choice",
    default: "linear",
    limits: { choices: SCHEDULE_NAMES },
    ui: { choices: SCHEDULE_NAMES },
    doc: "how the learning rate changes over the steps",
    flag: "schedule",
    urlKey: "schedule",
    group: "training",
  },
  steps: {
    kind: "integer",
    default: 100,
    limits: { range: { min: 1, max: 1_000_000_000, integer: true } },
    ui: { range: { min: 1, max: 1_000_000, integer: true } },
    doc: "number of steps (the schedule spans them)",
    flag: "steps",
    urlKey: "steps",
    group: "training",
  },
  l2: {
    kind: "number",
    default: 1e-4,
    limits: { range: { min: 0 } },
    ui: { range: { min: 0, max: 10 } },
    doc: "strength of the L2 penalty l2*sum(p^2)",
    flag: "l2",
    urlKey: "l2",
    group: "training",
  },
  l1: {
    kind: "number",
    default: 0,
    limits: { range: { min: 0 } },
    ui: { range: { min: 0, max: 10 } },
    doc: "strength of the L1 penalty l1*sum(|p|)",
    flag: "l1",
    urlKey: "l1",
    group: "training",
  },
  batchSize: {
    kind: "batch",
    default: null,
    limits: { range: { min: 1, max: MAX_POINTS, integer: true } },
    ui: { range: { min: 1, max: 1000, integer: true } },
    doc: 'samples per step, or "full" for the whole training set',
    flag: "batch-size",
    urlKey: "batchSize",
    group: "training",
  },
  seed: {
    kind: "seed",
    default: 1337,
    limits: { range: SAFE_INTEGER },
    ui: { range: UI_SEED },
    doc: "seed of the weights and the minibatches",
    flag: "seed",
    urlKey: "seed",
    group: "training",
  },
  compile: {
    kind: "boolean",
    default: true,
    limits: {},
    ui: {},
    doc: "replay a compiled tape instead of building a new Value graph " +
      "every step (same numbers, faster)",
    flag: "compile",
    urlKey: "compile",
    group: "training",
  },
};

/**
 * The config schema: one row per {@linkcode TrainConfig} field, in the
 * order of the CLI's `--help`, the URL and {@linkcode DEFAULT_CONFIG}. To
 * add a field, add it to `TrainConfig` and a row here; the defaults, the
 * validation, the CLI flag, `--help`, the URL and the form follow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CONFIG_SCHEMA } from "./config.ts";
 * const row = CONFIG_SCHEMA.find((field) => field.key === "learningRate")!;
 * assert.equal(row.flag, "learning-rate");
 * assert.equal(row.urlKey, "learningRate");
 * assert.deepEqual(row.ui.range, { min: 1e-6, max: 100 });
 * ```
 */
export const CONFIG_SCHEMA: readonly ConfigField[] = Object.freeze(
  (Object.keys(ROWS) as (keyof TrainConfig)[]).map((key) =>
    Object.freeze({ key, ...ROWS[key] }) as ConfigField
  ),
);

const CONFIG_KEYS: readonly string[] = CONFIG_SCHEMA.map((row) => row.key);

/**
 * The schema row of `key`, or a {@linkcode ConfigError} naming the unknown
 * key (with a suggestion when it looks like one of ours).
 *
 * @param key A config key, e.g. `"batchSize"`.
 * @returns Its row of {@linkcode CONFIG_SCHEMA}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configField } from "./config.ts";
 * assert.equal(configField("batchSize").flag, "batch-size");
 * assert.throws(() => configField("batch_size"), /did you mean "batchSize"/);
 * ```
 */
export function configField<K extends keyof TrainConfig>(
  key: K | string,
): ConfigField<K> {
  const row = CONFIG_SCHEMA.find((field) => field.key === key);
  if (row !== undefined) return row as unknown as ConfigField<K>;
  return asConfigCheck(
    key,
    () => checkOptions({ [key]: true }, "configField", CONFIG_KEYS, "config"),
  ) as never;
}

/**
 * The defaults: micrograd's demo (`demo.ipynb`). 100 moons with noise 0.1, an
 * MLP 2-16-16-1 (relu, micrograd's uniform init), hinge loss with L2 1e-4,
 * SGD at `1.0 - 0.9·k/100`, 100 full-batch steps, no test set. With these
 * seeds it reaches train accuracy 1.0 within the 100 steps, as micrograd does.
 * Made from the `default` column of {@linkcode CONFIG_SCHEMA}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * assert.equal(DEFAULT_CONFIG.dataset, "moons");
 * assert.deepEqual(DEFAULT_CONFIG.hidden, [16, 16]);
 * ```
 */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze(
  Object.fromEntries(CONFIG_SCHEMA.map((row) => [row.key, row.default])),
) as Readonly<TrainConfig>;

/** The English for a field's allowed values under `limits`. */
function allowedText(row: ConfigField, limits: FieldLimits): string {
  if (limits.allowed !== undefined) return limits.allowed;
  switch (row.kind) {
    case "choice":
      return `one of ${listOf(limits.choices ?? [])}`;
    case "batch":
      return `${
        describeBounds(limits.range ?? {})
      }, or null for the full batch`;
    case "layers":
      return `an array of at most ${limits.layers?.max} layer sizes, each ${
        describeBounds(limits.range ?? {})
      } (e.g. [16, 16])`;
    case "boolean":
      return "true or false";
    case "features":
      return `a non-empty list of distinct features from ${
        (limits.choices ?? []).join(", ")
      }`;
    default:
      return describeBounds(limits.range ?? {});
  }
}

/**
 * What a field accepts, in English: the text of `.allowed` in its errors and
 * of the CLI's `--help`.
 *
 * @param key The config key.
 * @param options `{ ui: true }` for the playground's limits.
 * @returns E.g. `"an integer from 2 to 100000"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeAllowed } from "./config.ts";
 * assert.equal(describeAllowed("points"), "an integer from 2 to 100000");
 * assert.equal(describeAllowed("points", { ui: true }), "an integer from 10 to 1000");
 * assert.equal(describeAllowed("optimizer"), 'one of "sgd", "momentum" or "adam"');
 * ```
 */
export function describeAllowed(
  key: keyof TrainConfig,
  options: ParseFieldOptions = {},
): string {
  const row = configField(key) as ConfigField;
  return allowedText(row, options.ui ? row.ui : row.limits);
}

/** Check one field's value against `limits`; returns it (a copy for layers). */
function checkField(
  row: ConfigField,
  value: unknown,
  limits: FieldLimits,
  where: string,
): unknown {
  const allowed = allowedText(row, limits);
  return asConfigCheck(value, () => {
    switch (row.kind) {
      case "choice":
        return checkName(value, where, row.key, limits.choices ?? []);
      case "boolean":
        return checkBoolean(value, where, row.key);
      case "batch":
        if (value === null) return null;
        return checkNumber(value, where, row.key, limits.range, allowed);
      case "layers":
        return checkLayers(row, value, limits, where, allowed);
      case "features":
        if (Array.isArray(value)) {
          // Each name on its own first, so the error shows the name.
          for (let i = 0; i < value.length; i++) {
            asConfigCheck(
              value[i],
              () =>
                checkName(value[i], where, `${row.key}[${i}]`, FEATURE_NAMES),
            );
          }
        }
        return checkFeatures(value, where, row.key);
      default:
        return checkNumber(value, where, row.key, limits.range, allowed);
    }
  });
}

/** Check a list of layer sizes: an array, not too long, no holes, sizes in range. */
function checkLayers(
  row: ConfigField,
  value: unknown,
  limits: FieldLimits,
  where: string,
  allowed: string,
): number[] {
  const { min = 0, max = Infinity } = limits.layers ?? {};
  if (!Array.isArray(value)) {
    failConfig("type", where, row.key, allowed, value);
  }
  if (value.length < min || value.length > max) {
    failConfig("range", where, row.key, allowed, value);
  }
  const sizes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const field = `${row.key}[${i}]`;
    const sizeAllowed = describeBounds(limits.range ?? {});
    // `map` and `forEach` skip holes: look for them explicitly.
    if (!(i in value)) {
      failConfig(
        "type",
        where,
        field,
        sizeAllowed,
        undefined,
        "a hole (a sparse array)",
      );
    }
    sizes.push(checkNumber(value[i], where, field, limits.range, sizeAllowed));
  }
  return sizes;
}

/**
 * The limits on a config's total size, beyond each field's own range: every
 * config within them trains a step in a 2 GB heap (a test runs the extremes
 * in a child process with that cap). Measured in Deno: the largest graph,
 * 2,000,000 nodes, takes about 0.75 GB of heap and 5 s to record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CONFIG_BUDGET } from "./config.ts";
 * assert.equal(CONFIG_BUDGET.nodes, 2_000_000);
 * ```
 */
export const CONFIG_BUDGET: Readonly<{
  /** Most weights and biases of the model (each is a `Value`). */
  parameters: number;
  /** Most nodes in one step's graph, estimated by {@linkcode estimateCost}. */
  nodes: number;
  /** Most `points × parameters`: the training batch's and test set's work per step. */
  pointParameters: number;
}> = Object.freeze({
  parameters: 500_000,
  nodes: 2_000_000,
  pointParameters: 20_000_000,
});

/** The sizes of one training step, from {@linkcode estimateCost}. */
export interface ConfigCost {
  /** Weights and biases of the MLP features-hidden-outputs. */
  parameters: number;
  /** An upper bound on the nodes of one step's graph (leaves included); the real count is within 2x below it. */
  nodes: number;
  /** `points × parameters`. */
  pointParameters: number;
  /** Samples in one step's batch. */
  batch: number;
  /** Graph nodes each sample of the batch adds. */
  nodesPerSample: number;
}

/**
 * Estimate the size of one training step of a resolved config, the numbers
 * {@linkcode CONFIG_BUDGET} bounds. The first layer reads one input per
 * feature. The node count is an upper bound: per sample, one node per
 * feature other than `x` and `y` (`x·x`, `sin x`, …), three per hidden
 * neuron (the weighted sum, the bias, the activation), five per output
 * (its sum, bias, target and loss terms) and six more; plus two per
 * parameter (the leaf and its L2 term) and one more with an L1 penalty (its
 * `abs`). `features` defaults to `["x", "y"]` and `l1` to 0 when absent.
 *
 * @param config A resolved config ({@linkcode resolveConfig}).
 * @returns The parameters, graph nodes per step and points × parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateCost, resolveConfig } from "./config.ts";
 * const cost = estimateCost(resolveConfig()); // micrograd's demo: 2-16-16-1
 * assert.equal(cost.parameters, 337);
 * assert.equal(cost.batch, 100);
 * assert.ok(cost.nodes >= 10_745); // what the demo's graph really has
 * ```
 */
export function estimateCost(
  config:
    & Pick<
      ResolvedConfig,
      "hidden" | "outputs" | "batchSize" | "trainSize" | "points"
    >
    & Partial<Pick<ResolvedConfig, "features" | "l1">>,
): ConfigCost {
  const features = config.features ?? DEFAULT_FEATURES;
  const sizes = [features.length, ...config.hidden, config.outputs];
  let parameters = 0;
  for (let layer = 1; layer < sizes.length; layer++) {
    parameters += (sizes[layer - 1] + 1) * sizes[layer];
  }
  const hiddenNeurons = config.hidden.reduce((sum, size) => sum + size, 0);
  const batch = config.batchSize ?? config.trainSize;
  const nodesPerSample = featureNodeCount(features) + 3 * hiddenNeurons +
    5 * config.outputs + 6;
  const perParameter = (config.l1 ?? 0) > 0 ? 3 : 2;
  return {
    parameters,
    nodes: perParameter * parameters + 16 + batch * nodesPerSample,
    pointParameters: config.points * parameters,
    batch,
    nodesPerSample,
  };
}

/** `[16, 16]` (at most eight sizes shown) for a message. */
function describeLayers(hidden: readonly number[]): string {
  const shown = hidden.length > 8
    ? [...hidden.slice(0, 8), `… ${hidden.length} layers`]
    : hidden;
  return `[${shown.join(", ")}]`;
}

/** Refuse a config whose sizes together would not fit ({@linkcode CONFIG_BUDGET}). */
function checkBudget(config: ResolvedConfig, where: string): void {
  const cost = estimateCost(config);
  const model = `an MLP ${
    [config.features.length, ...config.hidden, config.outputs].join("-")
  } with ${cost.parameters} parameters`;
  if (cost.parameters > CONFIG_BUDGET.parameters) {
    failConfig(
      "range",
      where,
      "hidden",
      `layer sizes giving at most ${CONFIG_BUDGET.parameters} parameters ` +
        `(the sum of (inputs + 1) × outputs over the layers)`,
      config.hidden,
      `${describeLayers(config.hidden)} (${model})`,
    );
  }
  if (cost.nodes > CONFIG_BUDGET.nodes) {
    const largest = Math.floor(
      (CONFIG_BUDGET.nodes - (cost.nodes - cost.batch * cost.nodesPerSample)) /
        cost.nodesPerSample,
    );
    const why =
      `for ${model} (one step's graph must stay under ${CONFIG_BUDGET.nodes} nodes)`;
    if (config.batchSize !== null) {
      failConfig(
        "range",
        where,
        "batchSize",
        `an integer from 1 to ${largest} ${why}`,
        config.batchSize,
        `the number ${config.batchSize} (about ${cost.nodes} nodes)`,
      );
    }
    failConfig(
      "range",
      where,
      "points",
      `at most ${largest} training points in a full batch ${why}; ` +
        `use fewer points, a larger testFraction or a batchSize`,
      config.points,
      `the number ${config.points} (${config.trainSize} training points, about ${cost.nodes} nodes)`,
    );
  }
  if (cost.pointParameters > CONFIG_BUDGET.pointParameters) {
    const largest = Math.floor(
      CONFIG_BUDGET.pointParameters / cost.parameters,
    );
    failConfig(
      "range",
      where,
      "points",
      `an integer from 2 to ${largest} for ${model} ` +
        `(points × parameters must be at most ${CONFIG_BUDGET.pointParameters})`,
      config.points,
    );
  }
}

/**
 * Check a (partial) config and fill in the missing fields from
 * {@linkcode DEFAULT_CONFIG}. Fields that are absent or `undefined` take
 * their default. Every refusal is a {@linkcode ConfigError} (a
 * `RangeError`: out of range, unknown key, sizes too large together) or a
 * {@linkcode ConfigTypeError} (a `TypeError`: wrong type, a hole in
 * `hidden`, not a plain object), naming the field (`.field`, e.g.
 * `"hidden[1]"`), what is allowed (`.allowed`) and what it got. Refused:
 * anything but a plain object (a `Map`, an array, a class instance;
 * `Object.create(null)` is fine), unknown keys (with a suggestion such as
 * `learningRate` for `learning_rate`), values outside the schema's `limits`,
 * fewer points than classes, and sizes that together exceed
 * {@linkcode CONFIG_BUDGET}.
 *
 * @param input A plain object with some of the fields of {@linkcode TrainConfig}, or `undefined`.
 * @returns A complete, fresh config.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateConfig } from "./config.ts";
 * const config = validateConfig({ dataset: "spiral", classes: 3, hidden: [32] });
 * assert.equal(config.loss, "hinge"); // resolveConfig applies the rules
 * assert.equal(config.steps, 100);
 * assert.throws(() => validateConfig({ learningRate: -1 }), {
 *   name: "RangeError",
 *   message: "validateConfig: learningRate must be a finite number > 0, got the number -1",
 * });
 * assert.throws(() => validateConfig({ lr: 0.1 }), /did you mean "learningRate"/);
 * assert.throws(() => validateConfig({ hidden: [1024, 1024] }), { field: "hidden" });
 * ```
 */
export function validateConfig(input: unknown): TrainConfig {
  return checkConfig(input, "validateConfig");
}

/** {@linkcode validateConfig}, naming `where` in its messages. */
function checkConfig(input: unknown, where: string): TrainConfig {
  if (input === undefined) input = {};
  if (!isPlainObject(input)) {
    failConfig(
      "type",
      where,
      "config",
      `an object with fields ${CONFIG_KEYS.join(", ")} ` +
        "(a plain {…} object: not a Map, an array or a class instance)",
      input,
    );
  }
  asConfigCheck(input, () => checkOptions(input, where, CONFIG_KEYS, "config"));
  const given = input as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const row of CONFIG_SCHEMA) {
    const value = given[row.key] === undefined ? row.default : given[row.key];
    config[row.key] = checkField(row, value, row.limits, where);
  }
  const checked = config as unknown as TrainConfig;
  if (
    MULTICLASS_DATASETS.includes(checked.dataset) &&
    checked.points < checked.classes
  ) {
    failConfig(
      "range",
      where,
      "points",
      `at least classes (${checked.classes}) for the "${checked.dataset}" dataset (one point per class)`,
      checked.points,
    );
  }
  checkBudget(applyRules(checked), where);
  return checked;
}

/** Options of {@linkcode parseConfigField}. */
export interface ParseFieldOptions {
  /** Hold the value to the playground's narrower `ui` limits instead of the library's. */
  ui?: boolean;
}

/** A decimal number as people write it: `12`, `-3`, `0.5`, `.5`, `1e-4`; not `0x10`, `1e`, `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number from text, refusing everything `DECIMAL` does not match. */
function parseDecimal(
  field: string,
  text: string,
  allowed: string,
): number {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) {
    failConfig("range", "parseConfigField", field, allowed, text);
  }
  return Number(trimmed);
}

/** Turn text into the kind's value (unchecked against the limits yet). */
function valueFromText(
  row: ConfigField,
  text: string,
  limits: FieldLimits,
): unknown {
  const allowed = allowedText(row, limits);
  const trimmed = text.trim();
  switch (row.kind) {
    case "choice":
      return trimmed;
    case "boolean":
      if (trimmed === "1" || trimmed === "true") return true;
      if (trimmed === "0" || trimmed === "false") return false;
      return failConfig(
        "range",
        "parseConfigField",
        row.key,
        '"1", "true", "0" or "false"',
        text,
      );
    case "batch":
      return trimmed === "full"
        ? null
        : parseDecimal(row.key, text, `"full" or ${allowed}`);
    case "layers": {
      if (trimmed === "" || trimmed === "none") return [];
      const sizeAllowed = describeBounds(limits.range ?? {});
      return trimmed.split(",").map((part, i) =>
        parseDecimal(`${row.key}[${i}]`, part, sizeAllowed)
      );
    }
    case "features":
      return trimmed === ""
        ? []
        : trimmed.split(",").map((part) => part.trim());
    default:
      return parseDecimal(row.key, text, allowed);
  }
}

/**
 * Read one config field from text: a CLI flag's value, a URL parameter or a
 * form control. The one text format of every field:
 *
 * - numbers are decimal (`12`, `-3`, `0.5`, `1e-4`, surrounding spaces
 *   ignored); `""`, `"0x10"`, `"1e"`, `"12abc"`, `"Infinity"` are refused;
 * - `hidden` is comma-separated sizes, `"16,16"`; `""` or `"none"` is no
 *   hidden layer (a linear model): `""` is what {@linkcode formatConfigField}
 *   writes for `[]`, so links keep working; the CLI adds a note when it sees
 *   `--hidden ""`;
 * - `batchSize` is a size or `"full"` (`null`);
 * - `compile` is `"1"`/`"true"` or `"0"`/`"false"`;
 * - names must be one of the schema's choices exactly.
 *
 * The value is then held to the field's `limits` (or its `ui` limits with
 * `{ ui: true }`). Cross-field rules (points and classes, total size) are
 * {@linkcode validateConfig}'s.
 *
 * @param key The config key, e.g. `"learningRate"`.
 * @param text The text.
 * @param options `{ ui: true }` for the playground's limits.
 * @returns The value.
 * @throws {ConfigError} naming the field (`hidden[2]` for one layer) when the text is not allowed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfigField } from "./config.ts";
 * assert.equal(parseConfigField("learningRate", "1e-3"), 0.001);
 * assert.deepEqual(parseConfigField("hidden", "16, 8"), [16, 8]);
 * assert.equal(parseConfigField("batchSize", "full"), null);
 * assert.throws(() => parseConfigField("points", "0x10"), { field: "points" });
 * assert.throws(() => parseConfigField("points", "5000", { ui: true }), {
 *   message: 'parseConfigField: points must be an integer from 10 to 1000, got the number 5000',
 * });
 * assert.throws(() => parseConfigField("hidden", "16,x"), { field: "hidden[1]" });
 * ```
 */
export function parseConfigField<K extends keyof TrainConfig>(
  key: K,
  text: string,
  options: ParseFieldOptions = {},
): TrainConfig[K] {
  const row = configField(key) as ConfigField;
  if (typeof text !== "string") {
    failConfig("type", "parseConfigField", key, "a string", text);
  }
  const limits = options.ui ? row.ui : row.limits;
  const value = valueFromText(row, text, limits);
  return checkField(row, value, limits, "parseConfigField") as TrainConfig[K];
}

/**
 * Write one config field as text that {@linkcode parseConfigField} reads
 * back to the same value: numbers as `String(x)`, `hidden` as `"16,16"` (`""`
 * for none), `batchSize` `null` as `"full"`, `compile` as `"1"`/`"0"`.
 *
 * @param key The config key.
 * @param value A value the library accepts for it.
 * @returns Its text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatConfigField } from "./config.ts";
 * assert.equal(formatConfigField("hidden", [16, 16]), "16,16");
 * assert.equal(formatConfigField("batchSize", null), "full");
 * assert.equal(formatConfigField("compile", false), "0");
 * assert.equal(formatConfigField("l2", 1e-4), "0.0001");
 * ```
 */
export function formatConfigField<K extends keyof TrainConfig>(
  key: K,
  value: TrainConfig[K],
): string {
  const row = configField(key) as ConfigField;
  const checked = checkField(row, value, row.limits, "formatConfigField");
  switch (row.kind) {
    case "layers":
    case "features":
      return (checked as (number | string)[]).join(",");
    case "batch":
      return checked === null ? "full" : String(checked);
    case "boolean":
      return checked ? "1" : "0";
    default:
      return String(checked);
  }
}

/**
 * A config as URL parameters, keyed by each row's `urlKey`, in schema order:
 * `new URLSearchParams(configToParams(config))` is the playground's hash.
 *
 * @param config A complete config.
 * @returns Every field as text ({@linkcode formatConfigField}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configToParams, DEFAULT_CONFIG } from "./config.ts";
 * const params = configToParams(DEFAULT_CONFIG);
 * assert.equal(params.hidden, "16,16");
 * assert.equal(params.batchSize, "full");
 * assert.equal(params.learningRate, "1");
 * ```
 */
export function configToParams(
  config: Readonly<TrainConfig>,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const row of CONFIG_SCHEMA) {
    params[row.urlKey] = formatConfigField(row.key, config[row.key]);
  }
  return params;
}

/** Options of {@linkcode configFromParams}. */
export interface ConfigFromParamsOptions {
  /** Hold every field to the playground's `ui` limits. */
  ui?: boolean;
  /** What a missing or refused field becomes; default {@linkcode DEFAULT_CONFIG}. Must be valid. */
  defaults?: Partial<TrainConfig>;
}

/** What {@linkcode configFromParams} read. */
export interface ConfigFromParamsResult {
  /** A config {@linkcode validateConfig} accepts (not resolved: it keeps what the link said). */
  config: TrainConfig;
  /** The config keys whose text was refused (each took its default), in schema order. */
  rejected: (keyof TrainConfig)[];
}

/**
 * Read a config from URL parameters (or any key → text lookup). Never
 * throws on the text: a missing field takes its default silently; a field
 * whose text {@linkcode parseConfigField} refuses takes its default and is
 * listed in `rejected`; when fields are fine alone but not together (more
 * classes than points, a model too large for the points), the field the
 * error names goes back to its default, and so on until the config is
 * valid.
 *
 * @param get The text of a URL key, or `null` when absent (e.g. `(key) => params.get(key)`).
 * @param options The limits to apply and the defaults.
 * @returns The config and the keys that were refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configFromParams } from "./config.ts";
 * const params = new URLSearchParams("points=50&noise=lots&hidden=8");
 * const { config, rejected } = configFromParams((key) => params.get(key));
 * assert.equal(config.points, 50);
 * assert.equal(config.noise, 0.1);
 * assert.deepEqual(config.hidden, [8]);
 * assert.deepEqual(rejected, ["noise"]);
 * ```
 */
export function configFromParams(
  get: (urlKey: string) => string | null,
  options: ConfigFromParamsOptions = {},
): ConfigFromParamsResult {
  const defaults = checkConfig(options.defaults, "configFromParams");
  const values: Record<string, unknown> = { ...defaults };
  const rejected = new Set<keyof TrainConfig>();
  for (const row of CONFIG_SCHEMA) {
    const text = get(row.urlKey);
    if (text === null || text === undefined) continue;
    try {
      values[row.key] = parseConfigField(row.key, text, { ui: options.ui });
    } catch (error) {
      if (!isConfigError(error)) throw error;
      rejected.add(row.key);
    }
  }
  const inOrder = (): (keyof TrainConfig)[] =>
    CONFIG_SCHEMA.map((row) => row.key).filter((key) => rejected.has(key));
  // Each round resets one field to its default, so this ends.
  for (let round = 0; round <= CONFIG_SCHEMA.length; round++) {
    try {
      return { config: validateConfig(values), rejected: inOrder() };
    } catch (error) {
      if (!isConfigError(error)) throw error;
      const key = error.field.replace(/\[\d+\]$/, "") as keyof TrainConfig;
      const row = CONFIG_SCHEMA.find((field) => field.key === key);
      if (row === undefined || values[key] === defaults[key]) break;
      values[key] = defaults[key];
      rejected.add(key);
    }
  }
  for (const row of CONFIG_SCHEMA) {
    if (get(row.urlKey) !== null) rejected.add(row.key);
  }
  return {
    config: {
      ...defaults,
      hidden: [...defaults.hidden],
      features: [...defaults.features],
    },
    rejected: inOrder(),
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
  /** Model outputs: 1 for a binary loss or a regression, `classes` for `crossEntropy`. */
  readonly outputs: number;
}

/**
 * The shape of a dataset of your own that a config trains on instead of
 * generating its `dataset` (the `Trainer`'s `data` option, the CLI's
 * `--data`): it decides the task, the number of points and of classes.
 */
export interface DataShape {
  /** The dataset's task. */
  task: Task;
  /** Its points (1 to 100000). */
  points: number;
  /** Its classes (classification; fewer than 2 train as 2, a binary classifier). */
  classes: number;
}

/** The derived rules, on a config already checked field by field. */
function applyRules(config: TrainConfig, data?: DataShape): ResolvedConfig {
  const task = data?.task ?? datasetTask(config.dataset);
  const points = data?.points ?? config.points;
  const classes = task === "regression"
    ? 2
    : data !== undefined
    ? Math.max(2, data.classes)
    : MULTICLASS_DATASETS.includes(config.dataset)
    ? config.classes
    : 2;
  const loss: LossName = task === "regression"
    ? "mse"
    : classes > 2
    ? "crossEntropy"
    : config.loss;
  const testSize = testSetSize(points, config.testFraction);
  const trainSize = points - testSize;
  const batchSize = config.batchSize !== null && config.batchSize < trainSize
    ? config.batchSize
    : null;
  const outputs = loss === "crossEntropy" ? classes : 1;
  return {
    ...config,
    points,
    classes,
    loss,
    batchSize,
    trainSize,
    testSize,
    outputs,
  };
}

/** The config part of a possibly resolved config (derived fields dropped). */
function withoutDerived(input: unknown): unknown {
  if (isPlainObject(input) && "trainSize" in input) {
    const { trainSize: _t, testSize: _s, outputs: _o, ...rest } = input;
    return rest;
  }
  return input;
}

/** Check a {@linkcode DataShape} (the data's size within the config's limits). */
function checkDataShape(data: unknown, where: string): DataShape | undefined {
  if (data === undefined) return undefined;
  const shape = asConfigCheck(
    data,
    () => checkOptions(data, where, ["task", "points", "classes"], "data"),
  );
  const task = asConfigCheck(
    shape.task,
    () => checkName(shape.task, where, "data.task", TASKS),
  );
  const points = asConfigCheck(
    shape.points,
    () =>
      checkNumber(shape.points, where, "data.points", {
        min: 1,
        max: MAX_POINTS,
        integer: true,
      }),
  );
  const classes = asConfigCheck(
    shape.classes,
    () =>
      checkNumber(shape.classes, where, "data.classes", {
        min: 0,
        max: 10,
        integer: true,
      }),
  );
  return { task, points, classes };
}

const TASKS: readonly Task[] = ["classification", "regression"];

/**
 * Validate a (partial) config and apply every derived rule: the one place
 * they live. The `Trainer`, the CLI, the playground's URL and form all call
 * it, so they agree on what a config means. A resolved config may be passed
 * again (its derived sizes are dropped and recomputed).
 *
 * The rules: binary datasets have 2 classes; more than two classes train
 * with `crossEntropy`, one output per class; a regression (the `plane` and
 * `gaussians` datasets, or `data` of that task) trains with `mse` on one
 * real-valued output (its `classes` reads 2, unused); a `batchSize` at
 * least the training set's size is the full batch. With `data`, the points
 * and classes are the data's, not the config's.
 *
 * @param input A partial config, as {@linkcode validateConfig} takes.
 * @param data The shape of your own dataset, when training on one instead of `dataset`.
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
 * const plane = resolveConfig({ dataset: "plane" });
 * assert.deepEqual([plane.loss, plane.outputs], ["mse", 1]);
 * const mine = resolveConfig({}, { task: "classification", points: 30, classes: 4 });
 * assert.deepEqual([mine.points, mine.classes, mine.loss], [30, 4, "crossEntropy"]);
 * ```
 */
export function resolveConfig(
  input?: unknown,
  data?: DataShape,
): ResolvedConfig {
  const shape = checkDataShape(data, "resolveConfig");
  const config = validateConfig(withoutDerived(input));
  if (shape === undefined) return applyRules(config);
  const resolved = applyRules(config, shape);
  checkBudget(resolved, "resolveConfig");
  return resolved;
}

/** One input the derived rules changed, from {@linkcode describeResolution}. */
export interface ConfigNote {
  /** The field that changed. */
  field: keyof TrainConfig;
  /** What the config said. */
  given: unknown;
  /** What the `Trainer` runs. */
  effective: unknown;
  /** Why, e.g. `"the moons dataset always has 2 classes"`. */
  reason: string;
}

/**
 * What {@linkcode resolveConfig} changed in a config, field by field, with
 * the reason: so the CLI and the playground can say so instead of silently
 * running something else.
 *
 * @param input A partial config, as {@linkcode validateConfig} takes.
 * @returns One note per field whose effective value differs (empty when none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeResolution } from "./config.ts";
 * assert.deepEqual(describeResolution({ classes: 3 }), [{
 *   field: "classes",
 *   given: 3,
 *   effective: 2,
 *   reason: "the moons dataset always has 2 classes",
 * }]);
 * assert.deepEqual(describeResolution({}), []);
 * ```
 */
export function describeResolution(
  input?: unknown,
  data?: DataShape,
): ConfigNote[] {
  const given = validateConfig(withoutDerived(input));
  const resolved = resolveConfig(given, data);
  const task = data?.task ?? datasetTask(given.dataset);
  const source = data === undefined
    ? `the ${given.dataset} dataset`
    : "the data";
  const reasons: Partial<Record<keyof TrainConfig, string>> = {
    points: `the data has ${resolved.points} points`,
    classes: task === "regression"
      ? `${source} is a regression: classes do not apply`
      : data === undefined
      ? `the ${given.dataset} dataset always has 2 classes`
      : `the data has ${data.classes} class${data.classes === 1 ? "" : "es"}`,
    loss: task === "regression"
      ? `${source} is a regression, which trains with mse on one output`
      : `${resolved.classes} classes need one output per class, which only crossEntropy has`,
    batchSize:
      `a batch of ${given.batchSize} is at least the ${resolved.trainSize} training points, so every step uses the full batch`,
  };
  const notes: ConfigNote[] = [];
  for (const row of CONFIG_SCHEMA) {
    const before = formatConfigField(row.key, given[row.key]);
    // The data's points may lie outside the config's own limits (1 point).
    const after = row.key === "points"
      ? String(resolved.points)
      : formatConfigField(row.key, resolved[row.key]);
    if (before === after) continue;
    notes.push({
      field: row.key,
      given: given[row.key],
      effective: resolved[row.key],
      reason: reasons[row.key] ?? "a derived rule of resolveConfig",
    });
  }
  return notes;
}
