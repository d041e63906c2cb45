/**
 * The one training loop that the CLI, the playground's worker, the benchmark
 * and the tests all use: a {@linkcode Trainer} built from a
 * {@linkcode TrainConfig} whose {@linkcode Trainer.step} runs one
 * optimisation step and reports its numbers.
 *
 * With the defaults it is micrograd's demo: 100 moons, an MLP 2-16-16-1 with
 * relu, the max-margin (hinge) loss plus `1e-4·Σp²`, plain SGD with the
 * learning rate decaying linearly from 1.0 to 0.1 over 100 full-batch steps.
 *
 * The pieces live next door: the forward and backward passes of a step in
 * `step_engine.ts` (a new `Value` graph per step, or a compiled tape), the
 * divergence error and its diagnosis in `divergence.ts`, the decision grid
 * in `grid.ts`. Besides stepping, a Trainer reports the full-batch
 * gradients ({@linkcode Trainer.gradients}), evaluates any dataset
 * ({@linkcode Trainer.evaluate}), reports the whole-set numbers and the
 * confusion matrices ({@linkcode Trainer.report}) without disturbing
 * training, and takes live changes of the learning rate, the optimiser and
 * the like ({@linkcode Trainer.reconfigure}, rules in `live_changes.ts`).
 *
 * @module
 */

import {
  checkInteger,
  checkNumber,
  checkOptions,
  failField,
  FieldRangeError,
} from "./checks.ts";
import {
  CONFIG_SCHEMA,
  type DataShape,
  resolveConfig,
  type ResolvedConfig,
  type TrainConfig,
} from "./config.ts";
import {
  checkDataset,
  type Dataset,
  datasetTask,
  makeDataset,
  MAX_DATASET_CLASSES,
  type Task,
  trainTestSplit,
} from "./data.ts";
import { diagnoseDivergence, type DivergenceError } from "./divergence.ts";
import { Value } from "./engine.ts";
import { type FeatureName, isIdentityFeatures } from "./features.ts";
import {
  checkGrid,
  dataBounds,
  evaluateGrid,
  type GridBounds,
  type GridResolution,
} from "./grid.ts";
import { accuracy, encodeTargets, lossFromTargets } from "./loss.ts";
import { configChanges, NewRunRequiredError } from "./live_changes.ts";
import {
  type ConfusionMatrix,
  confusionMatrix,
  meanAbsoluteError,
  r2Score,
} from "./metrics.ts";
import { MLP } from "./nn.ts";
import { Adam, type Optimizer, SGD } from "./optim.ts";
import { predictAll } from "./packed.ts";
import { Rng } from "./random.ts";
import { learningRateAt } from "./schedule.ts";
import {
  buildStepGraph,
  regularizationOf,
  type StepEngine,
  type StepProblem,
  TapeEngine,
  ValueEngine,
} from "./step_engine.ts";

// Re-exported: they were born here, and callers import them from here.
export { DivergenceError } from "./divergence.ts";
export type { DivergenceDetails, DivergenceKind } from "./divergence.ts";
export type { GridBounds } from "./grid.ts";

/**
 * The numbers of one training step. Loss and accuracy (`loss`, `dataLoss`,
 * `trainAccuracy`, `r2`, `meanAbsoluteError`) are **per batch**: measured
 * on the step's batch of `batchSize` samples in the forward pass, before
 * the update (as micrograd prints them). With a batch smaller than the
 * training set they are not the training set's numbers:
 * {@linkcode Trainer.report} measures those. The test numbers are the whole
 * test set's, with the same parameters as the batch's.
 */
export interface StepStats {
  /** Steps taken so far, counting this one (1 after the first step). */
  step: number;
  /** Per batch: `dataLoss + regularizationLoss`, the number the optimiser minimises. */
  loss: number;
  /** Per batch: the mean data loss over the batch (the test loss's definition). */
  dataLoss: number;
  /** The L2 plus L1 penalty `l2·Σp² + l1·Σ|p|` (0 when both are 0); not a data loss. */
  regularizationLoss: number;
  /** Per batch: share of the batch classified right, in [0, 1]; NaN for a regression (see `r2`). */
  trainAccuracy: number;
  /**
   * Samples in the batch the per-batch numbers were measured on (the
   * training set's size for a full batch). Always set by
   * {@linkcode Trainer.step}; optional so that stats made by hand may
   * leave it out.
   */
  batchSize?: number;
  /** The data loss on the test set, or `null` without one. */
  testLoss: number | null;
  /** Share of the test set classified right, or `null` without one; NaN for a regression. */
  testAccuracy: number | null;
  /**
   * Per batch, regression: R² of the batch's predictions (`r2Score`);
   * `null` for classification. Always set by {@linkcode Trainer.step}
   * (optional so that stats made by hand may leave it out).
   */
  r2?: number | null;
  /** Per batch, regression: the batch's mean absolute error; `null` for classification. */
  meanAbsoluteError?: number | null;
  /** Regression: R² on the test set; `null` without one or for classification. */
  testR2?: number | null;
  /** Regression: the test set's mean absolute error; `null` without one or for classification. */
  testMeanAbsoluteError?: number | null;
  /** The learning rate this step's update used (after the schedule). */
  learningRate: number;
  /** Nodes in the step's computation graph (leaves included). */
  nodes: number;
  /** Whether the step replayed a compiled tape rather than building a graph. */
  compiled: boolean;
  /** Wall time of the step, forward, backward, update and test evaluation. */
  milliseconds: number;
}

/** Options of the {@linkcode Trainer} beyond its config. */
export interface TrainerOptions {
  /**
   * Train this model instead of a freshly initialised one (it is trained in
   * place). Its shape must be what the config asks for: the input
   * `features` (a 2-input model without features reads `["x", "y"]`), the
   * `hidden` sizes, the output count the loss needs, and the `activation`.
   */
  model?: MLP;
  /**
   * Train on these points (e.g. from `datasetFromPoints` or `parseCsv`)
   * instead of generating `config.dataset`: 1 to 100000 points, up to 10
   * classes or a regression. The config's `points` and `classes` are then
   * the data's; `dataSeed` still seeds the train/test split.
   */
  data?: Dataset;
}

/** The Trainer's options, checked on their own. */
function checkTrainerOptions(options: unknown): TrainerOptions {
  const checked = checkOptions(options, "Trainer", [
    "model",
    "data",
  ]) as TrainerOptions;
  if (checked.model !== undefined && !(checked.model instanceof MLP)) {
    failField("type", "Trainer", "options.model", "an MLP", checked.model);
  }
  const data = checked.data;
  if (data !== undefined) {
    checkDataset(data, "Trainer");
    const allowed = "a dataset of 1 to 100000 points and at most " +
      `${MAX_DATASET_CLASSES} classes`;
    if (
      data.x.length === 0 || data.x.length > 100_000 ||
      (datasetTask(data) === "classification" &&
        data.classes > MAX_DATASET_CLASSES)
    ) {
      throw new FieldRangeError(
        `Trainer: options.data must be ${allowed}, got ${data.x.length} points and ${data.classes} classes`,
        { field: "options.data", allowed },
      );
    }
  }
  return checked;
}

/** `2-16-16-1`, or `[x2,y2]-16-16-1` with features other than x, y. */
function describeShape(
  features: readonly FeatureName[] | null,
  sizes: readonly number[],
): string {
  return features === null || isIdentityFeatures(features)
    ? sizes.join("-")
    : `[${features.join(",")}]-${sizes.slice(1).join("-")}`;
}

/** Check a given model has the shape the resolved config asks for. */
function checkModelShape(model: MLP, config: ResolvedConfig): void {
  const expected = describeShape(config.features, [
    config.features.length,
    ...config.hidden,
    config.outputs,
  ]);
  const actual = describeShape(model.pointFeatures, [
    model.nin,
    ...model.sizes,
  ]);
  if (
    expected !== actual || model.activation !== config.activation ||
    model.outputActivation !== "linear"
  ) {
    const allowed =
      `an MLP ${expected} with ${config.activation} hidden layers and a linear output (what the config asks for)`;
    throw new FieldRangeError(
      `Trainer: options.model must be ${allowed}, got an MLP ${actual} with ${model.activation} hidden layers and a ${model.outputActivation} output`,
      { field: "options.model", allowed },
    );
  }
}

/** The target vectors of a dataset's labels, for the resolved config. */
function targetsOf(
  config: ResolvedConfig,
  task: Task,
  labels: readonly number[],
): number[][] {
  if (labels.length === 0) return [];
  return task === "regression"
    ? labels.map((t) => [t])
    : encodeTargets(config.loss, labels, config.outputs);
}

/** What a model scores on a dataset, from {@linkcode Trainer.evaluate}. */
export interface Evaluation {
  /** The mean data loss (no penalty terms). */
  loss: number;
  /** Share of the points classified right; NaN for a regression. */
  accuracy: number;
  /** Regression: R² of the predictions; `null` for classification. */
  r2: number | null;
  /** Regression: the mean absolute error; `null` for classification. */
  meanAbsoluteError: number | null;
}

/** Accuracy, or a regression's R² and mean absolute error, of scores. */
function scoreMetrics(
  task: Task,
  scores: readonly (readonly number[])[],
  labels: readonly number[],
): Omit<Evaluation, "loss"> {
  if (task === "classification") {
    return {
      accuracy: accuracy(scores, labels),
      r2: null,
      meanAbsoluteError: null,
    };
  }
  const predictions = scores.map((row) => row[0]);
  return {
    accuracy: NaN,
    r2: r2Score(predictions, labels),
    meanAbsoluteError: meanAbsoluteError(predictions, labels),
  };
}

/** The config part of a resolved config (its derived sizes dropped). */
function plainConfig(config: ResolvedConfig): TrainConfig {
  const { trainSize: _t, testSize: _s, outputs: _o, ...plain } = config;
  return plain;
}

/** The step engine `config.compile` asks for. */
function makeEngine(config: ResolvedConfig, problem: StepProblem): StepEngine {
  return config.compile ? new TapeEngine(problem) : new ValueEngine(problem);
}

/** A seed for a second, independent random stream (stays a safe integer). */
function derivedSeed(seed: number): number {
  return seed > 0 ? seed - 0x9e3779b9 : seed + 0x9e3779b9;
}

/**
 * The full-batch gradients of {@linkcode Trainer.gradients}: the loss over
 * the whole training set with the current weights, and its gradient.
 */
export interface TrainingGradients {
  /**
   * `gradients[k]` is d(loss)/d(parameter k), in `model.parameters()`
   * order (layer by layer, neuron by neuron, weights then bias).
   */
  gradients: Float64Array;
  /** `dataLoss + regularizationLoss` over the whole training set. */
  loss: number;
  /** The mean data loss over the whole training set. */
  dataLoss: number;
  /** The L2 penalty `l2·Σp²` (0 when `l2` is 0). */
  regularizationLoss: number;
}

/** The confusion matrices of {@linkcode Trainer.confusionMatrices}. */
export interface ConfusionMatrices {
  /** The whole training set's. */
  train: ConfusionMatrix;
  /** The test set's, or `null` without one. */
  test: ConfusionMatrix | null;
}

/**
 * Where a run stands, from {@linkcode Trainer.report}: the whole training
 * set and the test set measured alike, with the current parameters (those
 * after `step` updates), the penalty on its own. Unlike a step's
 * per-batch numbers, these are the training set's, whatever the batch
 * size. It is a `StopProgress` for `stopReason`.
 */
export interface TrainingReport {
  /** Steps taken so far (`Trainer.stepCount`). */
  step: number;
  /** The schedule's length, `config.steps`. */
  scheduleSteps: number;
  /** The learning rate the next step will use (after the schedule). */
  learningRate: number;
  /** The whole training set: data loss (no penalty), accuracy or R² and MAE. */
  train: Evaluation;
  /** The test set, measured the same way, or `null` without one. */
  test: Evaluation | null;
  /** The L2 plus L1 penalty of the current parameters (0 when both are 0). */
  regularizationLoss: number;
  /** `train.loss + regularizationLoss`: the full-batch objective. */
  loss: number;
  /** Classification: the train and test confusion matrices; `null` for a regression. */
  confusion: ConfusionMatrices | null;
}

/** What {@linkcode Trainer.reconfigure} did. */
export interface Reconfiguration {
  /** The fields whose effective value changed, in config order (empty: nothing did). */
  changed: (keyof TrainConfig)[];
  /**
   * Whether the optimiser starts from fresh state (its moments or velocity
   * at 0, Adam's bias correction from step 1): only when `optimizer`
   * changed. Every other change keeps it.
   */
  optimizerReset: boolean;
  /** The config now in effect. */
  config: TrainConfig;
}

/** The optimiser a config names, with fresh state. */
function makeOptimizer(
  config: ResolvedConfig,
  parameters: readonly Value[],
): Optimizer {
  return config.optimizer === "adam"
    ? new Adam(parameters, { learningRate: config.learningRate })
    : new SGD(parameters, {
      learningRate: config.learningRate,
      momentum: config.optimizer === "momentum" ? 0.9 : 0,
    });
}

/** The config keys, for checking the changes given to `reconfigure`. */
const CONFIG_KEYS: readonly string[] = CONFIG_SCHEMA.map((row) => row.key);

/**
 * Trains an {@linkcode MLP} on a toy dataset, one {@linkcode Trainer.step}
 * at a time.
 *
 * Each step is micrograd's loop: pick a batch (the whole training set, or
 * `batchSize` samples drawn without replacement), run the model forward to
 * the data loss plus the L2 penalty, stop if it is not finite, zero the
 * gradients, run backward, and let the optimiser update the weights with
 * the scheduled learning rate. The forward and backward passes are a
 * step engine's (`step_engine.ts`), chosen once: when the config allows it (the
 * default) the graph is recorded once with `compile` and replayed on every
 * later step with the new batch written into its input and target leaves
 * (the same numbers as building it anew, without allocating a node);
 * `compile: false` builds a new graph of `Value`s every step.
 *
 * @example micrograd's demo
 * ```ts
 * import assert from "node:assert/strict";
 * import { Trainer } from "./train.ts";
 * const trainer = new Trainer();
 * let stats = trainer.step();
 * while (trainer.stepCount < trainer.config.steps) stats = trainer.step();
 * assert.equal(stats.step, 100);
 * assert.equal(stats.trainAccuracy, 1);
 * ```
 */
export class Trainer {
  #config: TrainConfig;
  /** The model being trained (its parameters change with every step). */
  readonly model: MLP;
  /** The training points. */
  readonly train: Dataset;
  /** The held-out points (empty when `testFraction` is 0). */
  readonly test: Dataset;
  /** Number of model outputs: 1 for a binary loss or a regression, `classes` for `crossEntropy`. */
  readonly outputs: number;
  /** `"regression"` (the `plane` and `gaussians` datasets, or regression data) or `"classification"`. */
  readonly task: Task;
  /** The whole dataset, before the split: generated from the config, or `options.data`. */
  readonly data: Dataset;

  #stepCount = 0;
  #divergence: DivergenceError | null = null;
  /** Replaced only when `reconfigure` changes the optimiser. */
  #optimizer: Optimizer;
  readonly #parameters: Value[];
  readonly #batchRng: Rng;
  /** Indices of the training set; a partial shuffle of it draws each batch. */
  #order: number[];
  #batchSize: number;
  /** The model, the training data and targets, the loss: what a step computes. */
  #problem: StepProblem;
  /** The forward and backward passes, from `config.compile` (remade by `reconfigure`). */
  #engine: StepEngine;
  /** Encoded once per loss: the test set is evaluated on every step. */
  #testTargets: number[][];
  /** The config with its derived fields (task, outputs). */
  #resolved: ResolvedConfig;
  /** The config as asked for (before the derived rules), what `reconfigure` merges into. */
  #requested: Partial<TrainConfig>;
  /** The shape of `options.data`, when given. */
  readonly #shape: DataShape | undefined;

  /**
   * Resolve the config (see {@linkcode resolveConfig}), make the dataset,
   * split it, and build the model (or take `options.model`, e.g. loaded
   * weights, which must match the config's architecture) and the optimiser.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ dataset: "spiral", classes: 3, testFraction: 0.2 });
   * assert.equal(trainer.outputs, 3);
   * assert.equal(trainer.config.loss, "crossEntropy");
   * // train a given model (e.g. loaded weights): it must fit the config
   * const model = new MLP(2, [4, 1], { seed: 7 });
   * assert.equal(new Trainer({ hidden: [4] }, { model }).model, model);
   * assert.throws(() => new Trainer({ hidden: [8] }, { model }), { field: "options.model" });
   * ```
   */
  constructor(config: Partial<TrainConfig> = {}, options?: TrainerOptions) {
    const { model, data: own } = checkTrainerOptions(options);
    const shape = own === undefined ? undefined : {
      task: datasetTask(own),
      points: own.x.length,
      classes: own.classes,
    };
    const given = resolveConfig(config, shape);
    this.#shape = shape;
    this.#requested = { ...config };
    if (model !== undefined) checkModelShape(model, given);
    const { classes, batchSize } = given;
    const data = own ?? makeDataset(given.dataset, {
      points: given.points,
      noise: given.noise,
      classes,
      seed: given.dataSeed,
    });
    this.data = data;
    this.task = shape?.task ?? datasetTask(given.dataset);
    this.#resolved = given;
    const split = trainTestSplit(
      data,
      given.testFraction,
      derivedSeed(given.dataSeed),
    );
    this.train = split.train;
    this.test = split.test;
    const trainSize = this.train.x.length;
    this.#config = plainConfig(given);
    this.outputs = given.outputs;

    this.model = model ??
      new MLP(given.features.length, [...given.hidden, this.outputs], {
        activation: given.activation,
        init: given.init,
        seed: given.seed,
        features: given.features,
      });
    this.#parameters = this.model.parameters();
    this.#optimizer = makeOptimizer(given, this.#parameters);
    this.#batchRng = new Rng(derivedSeed(given.seed));
    this.#order = this.train.x.map((_, i) => i);
    this.#batchSize = batchSize ?? trainSize;
    this.#problem = this.#makeProblem(given);
    this.#engine = makeEngine(given, this.#problem);
    this.#testTargets = targetsOf(given, this.task, this.test.y);
  }

  /**
   * The config in effect: the given fields, the defaults for the rest, and
   * three adjustments made here: `classes` is 2 for the binary datasets
   * (moons, circles, xor); a dataset with more than two classes uses the
   * `crossEntropy` loss whatever `loss` said; a `batchSize` at least the
   * training set's size becomes `null` (full batch). A new object after
   * each {@linkcode Trainer.reconfigure} that changed something.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * assert.equal(new Trainer({ batchSize: 500 }).config.batchSize, null);
   * ```
   */
  get config(): TrainConfig {
    return this.#config;
  }

  /** What a step computes under `config`: this model and training set. */
  #makeProblem(config: ResolvedConfig): StepProblem {
    return {
      model: this.model,
      parameters: this.#parameters,
      points: this.train.x,
      targets: targetsOf(config, this.task, this.train.y),
      loss: config.loss,
      l2: config.l2,
      l1: config.l1,
    };
  }

  /**
   * Change the running training: the learning rate, the optimiser, the
   * L1 and L2 strengths, the schedule and its length (`steps`), the batch
   * size, the compile switch, and the loss while the output layer keeps its
   * size (see `LIVE_CONFIG_KEYS`). They apply from the next step on; the
   * model, the step count and the minibatch draws go on where they were,
   * so the learning rate continues on the schedule at the current step.
   *
   * The optimiser keeps its state (SGD's velocity, Adam's moments and bias
   * correction) unless `optimizer` itself changes, when it starts fresh and
   * the result says `optimizerReset: true`. Fields are compared by their
   * effective value (`resolveConfig`), so giving the whole current config,
   * or the same values again, changes nothing: such a run stays bit for bit
   * the one without the call. A change also clears a divergence: the
   * failed step is tried again with the new settings (weights that have
   * already blown up diverge again, and a new run is then the cure).
   *
   * @param changes Some config fields (the others keep their values).
   * @returns Which fields changed, and whether the optimiser was reset.
   * @throws {NewRunRequiredError} (a `FieldRangeError` naming the field)
   *   when the data, the architecture, the input features, the
   *   initialisation or a seed would change: make a new Trainer for those.
   *   Nothing changes then.
   * @throws {ConfigError} for a value the config refuses, naming the field.
   *
   * @example Lower the learning rate mid-run
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ optimizer: "adam", learningRate: 0.05 });
   * trainer.step();
   * const result = trainer.reconfigure({ learningRate: 0.01 });
   * assert.deepEqual(result.changed, ["learningRate"]);
   * assert.equal(result.optimizerReset, false); // Adam's moments are kept
   * assert.equal(trainer.step().step, 2);
   * assert.equal(trainer.reconfigure({ optimizer: "sgd" }).optimizerReset, true);
   * assert.throws(() => trainer.reconfigure({ hidden: [8] }), {
   *   name: "NewRunRequiredError",
   *   field: "hidden",
   *   reason: "the architecture changed",
   * });
   * ```
   */
  reconfigure(changes: Partial<TrainConfig>): Reconfiguration {
    const where = "Trainer.reconfigure";
    checkOptions(changes, where, CONFIG_KEYS, "changes");
    const requested = { ...this.#requested, ...changes };
    const next = resolveConfig(requested, this.#shape);
    const { changed, newRun } = configChanges(this.#resolved, next);
    if (newRun.length > 0) throw new NewRunRequiredError(where, newRun);
    this.#requested = requested;
    if (changed.length === 0) {
      return { changed, optimizerReset: false, config: this.config };
    }
    const has = (key: keyof TrainConfig): boolean => changed.includes(key);
    this.#resolved = next;
    this.#config = plainConfig(next);
    const optimizerReset = has("optimizer");
    if (optimizerReset) {
      this.#optimizer = makeOptimizer(next, this.#parameters);
    }
    if (has("loss") || has("l2") || has("l1")) {
      this.#problem = this.#makeProblem(next);
      this.#testTargets = targetsOf(next, this.task, this.test.y);
    }
    if (has("batchSize")) {
      this.#batchSize = next.batchSize ?? this.#order.length;
      // The full batch in training-set order: its loss is then the
      // whole-set loss `report()` gives, to the last bit.
      if (next.batchSize === null) this.#order = this.train.x.map((_, i) => i);
    }
    if (
      has("loss") || has("l2") || has("l1") || has("batchSize") ||
      has("compile")
    ) {
      // A recorded tape has the old batch size and penalty built in.
      this.#engine = makeEngine(next, this.#problem);
    }
    this.#divergence = null;
    return { changed, optimizerReset, config: this.config };
  }

  /**
   * How many steps have been taken.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ steps: 5 });
   * trainer.step();
   * assert.equal(trainer.stepCount, 1);
   * ```
   */
  get stepCount(): number {
    return this.#stepCount;
  }

  /**
   * Run one optimisation step and return its numbers.
   *
   * The learning rate follows `config.schedule` over `config.steps` steps;
   * stepping past `config.steps` keeps the schedule's final rate.
   *
   * @throws {DivergenceError} when the loss is not finite (before any update,
   *   so the model keeps its last finite weights), with the likely cause:
   *   a non-finite training point or weight is named before the learning
   *   rate is blamed. The trainer then refuses every further step with the
   *   same error; make a new one to start over.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer();
   * const first = trainer.step();
   * assert.equal(first.step, 1);
   * assert.equal(first.learningRate, 1);
   * assert.equal(first.compiled, true);
   * ```
   */
  step(): StepStats {
    if (this.#divergence !== null) throw this.#divergence;
    const started = performance.now();
    const config = this.config;
    const index = this.#stepCount;
    const learningRate = learningRateAt(
      config.schedule,
      config.learningRate,
      index,
      config.steps,
    );

    const batch = this.#chooseBatch();
    const { total, dataLoss, regularization, scores } = this.#engine.forward(
      batch,
    );
    if (!Number.isFinite(total)) {
      // The weights that overflowed came from the last update: name its
      // rate (the counter's step), not the rate this step never applied.
      const lastRate = index === 0 ? learningRate : learningRateAt(
        config.schedule,
        config.learningRate,
        index - 1,
        config.steps,
      );
      this.#divergence = this.#diagnose(index + 1, total, batch, lastRate);
      throw this.#divergence;
    }
    const metrics = scoreMetrics(
      this.task,
      scores,
      batch.map((i) => this.train.y[i]),
    );
    const batchSize = batch.length;
    const test = this.evaluate(this.test);

    this.#optimizer.zeroGrad();
    this.#engine.backward();
    this.#optimizer.step(learningRate);
    this.#stepCount = index + 1;

    return {
      step: index + 1,
      loss: total,
      dataLoss,
      regularizationLoss: regularization,
      trainAccuracy: metrics.accuracy,
      batchSize,
      testLoss: test?.loss ?? null,
      testAccuracy: test?.accuracy ?? null,
      r2: metrics.r2,
      meanAbsoluteError: metrics.meanAbsoluteError,
      testR2: test?.r2 ?? null,
      testMeanAbsoluteError: test?.meanAbsoluteError ?? null,
      learningRate,
      nodes: this.#engine.nodes,
      compiled: this.#engine.compiled,
      milliseconds: performance.now() - started,
    };
  }

  /** The training indices of this step's batch (fixed size, so a static graph). */
  #chooseBatch(): number[] {
    const order = this.#order;
    const size = this.#batchSize;
    if (size === order.length) return order;
    // Partial Fisher–Yates: the first `size` slots become a uniform sample
    // without replacement, whatever order earlier steps left behind.
    for (let i = 0; i < size; i++) {
      const j = i + this.#batchRng.integer(order.length - i);
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order.slice(0, size);
  }

  /**
   * The error for step `step`, whose loss was `value`: the step's graph is
   * rebuilt (the tape keeps none) so `findAnomaly` can say where the first
   * non-finite number came from. `learningRate` is the rate of the last
   * update (step `step - 1`; the first step's own rate when there was none).
   */
  #diagnose(
    step: number,
    value: number,
    batch: readonly number[],
    learningRate: number,
  ): DivergenceError {
    const config = this.config;
    const notes: string[] = [];
    if (learningRate !== config.learningRate) {
      notes.push(
        `the ${config.schedule} schedule's rate at step ${
          Math.max(1, step - 1)
        }, from learningRate ${config.learningRate}`,
      );
    }
    if (config.optimizer === "adam") {
      notes.push("Adam usually wants about 0.01");
    }
    return diagnoseDivergence({
      step,
      value,
      graph: buildStepGraph(this.#problem, batch),
      batch,
      model: this.model,
      parameters: this.#parameters,
      learningRateHint: `lower the learning rate, currently ${learningRate}${
        notes.length > 0 ? ` (${notes.join("; ")})` : ""
      }`,
      learningRate,
    });
  }

  /**
   * The gradient of the full-batch training loss (the mean data loss over
   * every training point, in order, plus the L2 penalty) with respect to
   * every parameter, with the current weights, as one backward pass over a
   * new graph of `Value`s computes it.
   *
   * Training is not disturbed: the parameters' `grad`s are put back, and
   * the optimiser's state, the batch sampling, the recorded tape and the
   * step count are not touched, so a run that calls this between steps
   * gives the same numbers, bit for bit, as one that does not. It builds the
   * whole training set's graph (as a full-batch step does), so it costs
   * about one uncompiled full-batch step.
   *
   * @returns The gradients in `model.parameters()` order, and the loss.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer(); // full batch
   * const { gradients, loss } = trainer.gradients();
   * assert.equal(gradients.length, trainer.model.parameters().length);
   * const stats = trainer.step(); // the step computed the same gradient
   * assert.equal(stats.loss, loss);
   * assert.deepEqual([...gradients], trainer.model.parameters().map((p) => p.grad));
   * ```
   */
  gradients(): TrainingGradients {
    const parameters = this.#parameters;
    const saved = Float64Array.from(parameters, (p) => p.grad);
    try {
      for (const p of parameters) p.grad = 0;
      const everyPoint = this.train.x.map((_, i) => i);
      const graph = buildStepGraph(this.#problem, everyPoint);
      graph.total.backward();
      return {
        gradients: Float64Array.from(parameters, (p) => p.grad),
        loss: graph.total.data,
        dataLoss: graph.dataLoss.data,
        regularizationLoss: graph.regularization?.data ?? 0,
      };
    } finally {
      for (let k = 0; k < parameters.length; k++) {
        parameters[k].grad = saved[k];
      }
    }
  }

  // --- Reading and editing single parameters (the playground's neuron
  // details); added for issue 10, "the arithmetic behind the diagram". ---

  /**
   * Adam's running means `m` and `v` for every parameter, in
   * `model.parameters()` order (copies), or `null` when the optimiser is
   * SGD (with or without momentum).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ optimizer: "adam", learningRate: 0.05 });
   * trainer.step();
   * const moments = trainer.optimizerMoments();
   * assert.equal(moments?.m.length, trainer.model.parameters().length);
   * assert.equal(new Trainer().optimizerMoments(), null);
   * ```
   */
  optimizerMoments(): { m: Float64Array; v: Float64Array } | null {
    const optimizer = this.#optimizer;
    return optimizer instanceof Adam ? optimizer.moments() : null;
  }

  /**
   * Set one weight (`input` = its input index) or the bias (`input` =
   * `"bias"`) of neuron `neuron` of layer `layer` to `value`, by hand. The
   * next step, the compiled tape (it reads the parameters' current values
   * on every replay), `evaluate` and `evaluateGrid` all use it; the
   * optimiser's state and the step count are kept.
   *
   * @throws {FieldRangeError} / {FieldTypeError} for a layer, neuron or
   *   input that does not exist, or a value that is not a finite number.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ hidden: [4] });
   * trainer.setParameter(0, 2, "bias", 0.5);
   * trainer.setParameter(1, 0, 3, -1.25);
   * assert.equal(trainer.model.layers[0].neurons[2].bias.data, 0.5);
   * assert.equal(trainer.model.layers[1].neurons[0].weights[3].data, -1.25);
   * assert.throws(() => trainer.setParameter(0, 9, 0, 1), {
   *   message: /Trainer.setParameter: neuron must be an integer from 0 to 3/,
   * });
   * ```
   */
  setParameter(
    layer: number,
    neuron: number,
    input: number | "bias",
    value: number,
  ): void {
    const where = "Trainer.setParameter";
    const layers = this.model.layers;
    checkInteger(layer, where, "layer", 0, layers.length - 1);
    const neurons = layers[layer].neurons;
    checkInteger(neuron, where, "neuron", 0, neurons.length - 1);
    const target = neurons[neuron];
    checkNumber(value, where, "value");
    if (input === "bias") {
      target.bias.data = value;
      return;
    }
    checkInteger(input, where, "input", 0, target.weights.length - 1);
    target.weights[input].data = value;
  }

  /**
   * The data loss (no penalty terms) and accuracy (or, for a regression,
   * R² and mean absolute error) of the current model on any points,
   * labelled like the training set (class indices, or targets). Uses
   * `model.predict`, so no graph is built and nothing is trained: the
   * scores are the same arithmetic as `forward`, and the loss is the very
   * same `lossFromTargets` on them, exactly the training data loss's
   * definition. `null` for an empty dataset.
   *
   * @param dataset Points `x` (each `[x, y]`, finite) and labels `y` (one
   *   per point, each an integer from 0 to `config.classes - 1`, or a
   *   finite target for a regression, whose dataset says `task: "regression"`).
   * @returns The loss and the metrics, or `null` without points.
   * @throws {FieldTypeError} / {FieldRangeError} naming the argument and
   *   the index at fault (`x[3][1]`, `y[7]`, …).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ testFraction: 0.2 });
   * const before = trainer.evaluate(trainer.test);
   * assert.ok(before !== null && before.accuracy <= 1);
   * assert.throws(() => trainer.evaluate({ x: [[0, 1]], y: [2], classes: 2 }), {
   *   message: "Trainer.evaluate: y[0] must be a class index (an integer from 0 to 1), got the number 2",
   * });
   * ```
   */
  evaluate(dataset: Dataset): Evaluation | null {
    return this.#assess(dataset)?.evaluation ?? null;
  }

  /**
   * {@linkcode Trainer.evaluate}, and the scores it read: the training and
   * test sets are the trainer's own (checked and encoded once).
   */
  #assess(
    dataset: Dataset,
  ): { evaluation: Evaluation; predictions: number[][] } | null {
    const own = dataset === this.test || dataset === this.train;
    if (!own) {
      const where = "Trainer.evaluate";
      checkDataset(dataset, where, this.config.classes);
      if (datasetTask(dataset) !== this.task) {
        failField(
          "range",
          where,
          "dataset.task",
          `"${this.task}" (the trainer's task)`,
          datasetTask(dataset),
        );
      }
    }
    if (dataset.x.length === 0) return null;
    const predictions = predictAll(this.model, dataset.x);
    const scores = predictions.map((row) => row.map((s) => new Value(s)));
    const encoded = dataset === this.test
      ? this.#testTargets
      : dataset === this.train
      ? this.#problem.targets
      : targetsOf(this.#resolved, this.task, dataset.y);
    const targets = encoded.map((row) => row.map((t) => new Value(t)));
    const loss = lossFromTargets(this.config.loss, scores, targets).data;
    const evaluation = {
      loss,
      ...scoreMetrics(this.task, predictions, dataset.y),
    };
    return { evaluation, predictions };
  }

  /**
   * The run's numbers now, measured alike on the whole training set and
   * the test set with the current parameters: the data loss (the test
   * loss's definition, no penalty), accuracy (or R² and mean absolute
   * error), the L1 plus L2 penalty on its own, and for a classification
   * the confusion matrices. These are what a page shows as "train loss"
   * and "train accuracy": unlike a step's per-batch numbers they do not
   * depend on the batch. Training is not disturbed.
   *
   * It runs the model over every point (no graph, no gradient), about a
   * forward pass of the whole data: call it when the numbers are shown,
   * not after every step of a large set.
   *
   * @returns The report; its `step` is `stepCount`, the parameters'
   *   updates so far.
   *
   * @example Batch size 1: the batch says little, the report tells
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ batchSize: 1, testFraction: 0.2 });
   * const stats = trainer.step();
   * assert.equal(stats.batchSize, 1);
   * const report = trainer.report();
   * assert.equal(report.step, 1);
   * assert.deepEqual(report.train, trainer.evaluate(trainer.train));
   * assert.equal(report.loss, report.train.loss + report.regularizationLoss);
   * const { counts, total } = report.confusion!.train;
   * assert.equal(total, trainer.train.x.length);
   * assert.equal((counts[0][0] + counts[1][1]) / total, report.train.accuracy);
   * ```
   */
  report(): TrainingReport {
    const config = this.config;
    const train = this.#assess(this.train);
    if (train === null) {
      // Not reachable: a trainer always has training points.
      throw new RangeError("Trainer.report: the training set is empty");
    }
    const test = this.#assess(this.test);
    const regularizationLoss = regularizationOf(this.#problem);
    return {
      step: this.#stepCount,
      scheduleSteps: config.steps,
      learningRate: learningRateAt(
        config.schedule,
        config.learningRate,
        this.#stepCount,
        config.steps,
      ),
      train: train.evaluation,
      test: test?.evaluation ?? null,
      regularizationLoss,
      loss: train.evaluation.loss + regularizationLoss,
      confusion: this.task === "classification"
        ? {
          train: confusionMatrix(
            train.predictions,
            this.train.y,
            config.classes,
          ),
          test: test === null
            ? null
            : confusionMatrix(test.predictions, this.test.y, config.classes),
        }
        : null,
    };
  }

  /**
   * The train and test confusion matrices of the current model (see
   * {@linkcode confusionMatrix}: rows actual, columns predicted), or `null`
   * for a regression. {@linkcode Trainer.report} has them too, with the
   * rest of the numbers, from the same predictions.
   *
   * @returns The matrices, or `null`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ dataset: "spiral", classes: 3, testFraction: 0.25 });
   * const { train, test } = trainer.confusionMatrices()!;
   * assert.equal(train.counts.length, 3);
   * assert.equal(test!.total, trainer.test.x.length);
   * assert.equal(new Trainer({ dataset: "plane" }).confusionMatrices(), null);
   * ```
   */
  confusionMatrices(): ConfusionMatrices | null {
    if (this.task !== "classification") return null;
    const { classes } = this.config;
    const of = (dataset: Dataset): ConfusionMatrix | null => {
      const assessed = this.#assess(dataset);
      return assessed === null
        ? null
        : confusionMatrix(assessed.predictions, dataset.y, classes);
    };
    return { train: of(this.train)!, test: of(this.test) };
  }

  /**
   * The model's raw outputs over a grid of `resolution × resolution` cells
   * (or `{ columns, rows }`) covering `bounds`, for drawing the decision
   * boundary: exactly {@linkcode evaluateGrid}`(this.model, bounds,
   * resolution)`. Row-major, row 0 at `yMin`: output `o` of cell
   * `(row, column)` is at index `(row * columns + column) * outputs + o`,
   * each cell evaluated at its centre. With one output, a positive value
   * means class 1; with several, the largest wins.
   *
   * @param bounds The rectangle (finite, `xMin < xMax`, `yMin < yMax`).
   * @param resolution Cells per side (1 to 4096), or `{ columns, rows }`.
   * @returns The outputs per cell, interleaved.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer();
   * const grid = trainer.evaluateGrid(trainer.dataBounds(), 64);
   * assert.equal(grid.length, 64 * 64);
   * ```
   */
  evaluateGrid(bounds: GridBounds, resolution: GridResolution): Float64Array {
    // Checked here so the messages name this method.
    checkGrid(bounds, resolution, "Trainer.evaluateGrid");
    return evaluateGrid(this.model, bounds, resolution);
  }

  /**
   * The smallest rectangle holding every training and test point, widened
   * by `margin` on each side: a good default view for the decision grid
   * (see {@linkcode dataBounds}).
   *
   * @param margin Extra room on each side, in data units (default 0.25).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Trainer } from "./train.ts";
   * const { xMin, xMax } = new Trainer().dataBounds(0);
   * assert.ok(xMin < 0 && xMax > 1.5); // the moons span about -1..2
   * ```
   */
  dataBounds(margin: number = 0.25): GridBounds {
    return dataBounds(
      [...this.train.x, ...this.test.x],
      margin,
      "Trainer.dataBounds",
    );
  }
}
