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
 * @module
 */

import { describeArgument } from "./checks.ts";
import { compile, type CompiledGraph } from "./compile.ts";
import {
  resolveConfig,
  type ResolvedConfig,
  type TrainConfig,
} from "./config.ts";
import { checkOptions, failField, FieldRangeError } from "./checks.ts";
import { type Dataset, makeDataset, trainTestSplit } from "./data.ts";
import { topologicalOrder, Value } from "./engine.ts";
import { accuracy, encodeTargets, l2Penalty, lossFromTargets } from "./loss.ts";
import { MLP } from "./nn.ts";
import { Adam, type Optimizer, SGD } from "./optim.ts";
import { Rng } from "./random.ts";
import { learningRateAt } from "./schedule.ts";

/**
 * The numbers of one training step. Loss and accuracy are measured on the
 * step's batch in the forward pass, before the update (as micrograd prints
 * them); the test numbers use the same parameters.
 */
export interface StepStats {
  /** Steps taken so far, counting this one (1 after the first step). */
  step: number;
  /** `dataLoss + regularizationLoss`, the number the optimiser minimises. */
  loss: number;
  /** The mean loss over the batch. */
  dataLoss: number;
  /** The L2 penalty `l2·Σp²` (0 when `l2` is 0). */
  regularizationLoss: number;
  /** Share of the batch classified right, in [0, 1]. */
  trainAccuracy: number;
  /** The data loss on the test set, or `null` without one. */
  testLoss: number | null;
  /** Share of the test set classified right, or `null` without one. */
  testAccuracy: number | null;
  /** The learning rate this step's update used (after the schedule). */
  learningRate: number;
  /** Nodes in the step's computation graph (leaves included). */
  nodes: number;
  /** Whether the step replayed a compiled tape rather than building a graph. */
  compiled: boolean;
  /** Wall time of the step, forward, backward, update and test evaluation. */
  milliseconds: number;
}

/**
 * Thrown by {@linkcode Trainer.step} when the loss is not a finite number:
 * training has diverged (usually a learning rate too large). It names the
 * step and the value, and carries a hint.
 *
 * @example
 * ```ts
 * import { DivergenceError } from "./train.ts";
 * const error = new DivergenceError(3, Infinity, "lower the learning rate, currently 100");
 * console.log(error.message);
 * // training diverged at step 3: the loss became Infinity; lower the learning rate, currently 100
 * ```
 */
export class DivergenceError extends Error {
  /** The step (counting from 1) whose loss was not finite. */
  step: number;
  /** The loss it got: NaN, Infinity or -Infinity. */
  value: number;
  /** What to try instead. */
  hint: string;

  /**
   * Make the error; its message reads "training diverged at step N: the
   * loss became X; HINT".
   *
   * @param step The step (counting from 1) whose loss was not finite.
   * @param value The non-finite loss.
   * @param hint What to try instead, e.g. "lower the learning rate, currently 10".
   *
   * @example
   * ```ts
   * import { DivergenceError } from "./train.ts";
   * console.log(new DivergenceError(1, NaN, "try again").step); // 1
   * ```
   */
  constructor(step: number, value: number, hint: string) {
    super(
      `training diverged at step ${step}: the loss became ${value}; ${hint}`,
    );
    this.name = "DivergenceError";
    this.step = step;
    this.value = value;
    this.hint = hint;
  }
}

/** A rectangle of the plane, for {@linkcode Trainer.evaluateGrid}. */
export interface GridBounds {
  /** Left edge. */
  xMin: number;
  /** Right edge. */
  xMax: number;
  /** Bottom edge. */
  yMin: number;
  /** Top edge. */
  yMax: number;
}

/** Options of the {@linkcode Trainer} beyond its config. */
export interface TrainerOptions {
  /**
   * Train this model instead of a freshly initialised one (it is trained in
   * place). Its shape must be what the config asks for: 2 inputs, the
   * `hidden` sizes, the output count the loss needs, and the `activation`.
   */
  model?: MLP;
}

/** Check the Trainer's options against the resolved config. */
function checkTrainerOptions(
  options: unknown,
  config: ResolvedConfig,
): TrainerOptions {
  const checked = checkOptions(options, "Trainer", ["model"]) as TrainerOptions;
  const model = checked.model;
  if (model === undefined) return checked;
  if (!(model instanceof MLP)) {
    failField("type", "Trainer", "options.model", "an MLP", model);
  }
  const expected = [2, ...config.hidden, config.outputs].join("-");
  const actual = [model.nin, ...model.sizes].join("-");
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
  return checked;
}

/** A seed for a second, independent random stream (stays a safe integer). */
function derivedSeed(seed: number): number {
  return seed > 0 ? seed - 0x9e3779b9 : seed + 0x9e3779b9;
}

/** The graph of one step: its leaves to refill and its nodes to read. */
interface StepGraph {
  /** `inputs[i]` is the `[x, y]` leaf pair of the batch's sample i. */
  inputs: Value[][];
  /** `targets[i]` are the target leaves of sample i (see `encodeTargets`). */
  targets: Value[][];
  scores: Value[][];
  dataLoss: Value;
  regularization: Value | null;
  total: Value;
}

/**
 * What the trainer keeps of a recorded graph: its input and target leaves
 * (refilled for each batch) and the tape positions of the numbers it reports.
 * Holding the graph itself would keep every node of it alive for nothing.
 */
interface TapeSlots {
  inputs: Value[][];
  targets: Value[][];
  scores: number[][];
  dataLoss: number;
  regularization: number | null;
}

/**
 * Trains an {@linkcode MLP} on a toy dataset, one {@linkcode Trainer.step}
 * at a time.
 *
 * Each step picks a batch (the whole training set, or `batchSize` samples
 * drawn without replacement), runs the model forward, computes the data loss
 * plus the L2 penalty, zeroes the gradients, runs backward, and lets the
 * optimiser update the weights with the scheduled learning rate. When the
 * config allows it (the default), the graph is recorded once with
 * {@linkcode compile} and replayed on every later step with the new batch
 * written into its input and target leaves: the same numbers as building it
 * anew, without allocating a node.
 *
 * @example micrograd's demo
 * ```ts
 * import { Trainer } from "./train.ts";
 * const trainer = new Trainer();
 * let stats = trainer.step();
 * while (trainer.stepCount < trainer.config.steps) stats = trainer.step();
 * console.log(stats.step, stats.trainAccuracy); // 100 1
 * ```
 */
export class Trainer {
  /**
   * The config in effect: the given fields, the defaults for the rest, and
   * three adjustments made here: `classes` is 2 for the binary datasets
   * (moons, circles, xor); a dataset with more than two classes uses the
   * `crossEntropy` loss whatever `loss` said; a `batchSize` at least the
   * training set's size becomes `null` (full batch).
   */
  readonly config: TrainConfig;
  /** The model being trained (its parameters change with every step). */
  readonly model: MLP;
  /** The training points. */
  readonly train: Dataset;
  /** The held-out points (empty when `testFraction` is 0). */
  readonly test: Dataset;
  /** Number of model outputs: 1 for a binary loss, `classes` for `crossEntropy`. */
  readonly outputs: number;

  #stepCount = 0;
  #divergence: DivergenceError | null = null;
  readonly #optimizer: Optimizer;
  readonly #parameters: Value[];
  readonly #batchRng: Rng;
  /** Indices of the training set; a partial shuffle of it draws each batch. */
  readonly #order: number[];
  readonly #batchSize: number;
  /** The target vector of every training and test sample. */
  readonly #trainTargets: number[][];
  /** Encoded once: the test set is evaluated on every step. */
  readonly #testTargets: number[][];
  #nodeCount = 0;
  #slots: TapeSlots | null = null;
  #tape: CompiledGraph | null = null;

  /**
   * Resolve the config (see {@linkcode resolveConfig}), make the dataset,
   * split it, and build the model (or take `options.model`, e.g. loaded
   * weights, which must match the config's architecture) and the optimiser.
   *
   * @example
   * ```ts
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ dataset: "spiral", classes: 3, testFraction: 0.2 });
   * console.log(trainer.outputs, trainer.config.loss); // 3 crossEntropy
   * ```
   */
  constructor(config: Partial<TrainConfig> = {}, options?: TrainerOptions) {
    const given = resolveConfig(config);
    const { model } = checkTrainerOptions(options, given);
    const { classes, loss, batchSize } = given;
    const data = makeDataset(given.dataset, {
      points: given.points,
      noise: given.noise,
      classes,
      seed: given.dataSeed,
    });
    const split = trainTestSplit(
      data,
      given.testFraction,
      derivedSeed(given.dataSeed),
    );
    this.train = split.train;
    this.test = split.test;
    const trainSize = this.train.x.length;
    const { trainSize: _t, testSize: _s, outputs: _o, ...plain } = given;
    this.config = plain;
    this.outputs = given.outputs;

    this.model = model ?? new MLP(2, [...given.hidden, this.outputs], {
      activation: given.activation,
      init: given.init,
      seed: given.seed,
    });
    this.#parameters = this.model.parameters();
    this.#optimizer = given.optimizer === "adam"
      ? new Adam(this.#parameters, { learningRate: given.learningRate })
      : new SGD(this.#parameters, {
        learningRate: given.learningRate,
        momentum: given.optimizer === "momentum" ? 0.9 : 0,
      });
    this.#batchRng = new Rng(derivedSeed(given.seed));
    this.#order = this.train.x.map((_, i) => i);
    this.#batchSize = batchSize ?? trainSize;
    this.#trainTargets = this.train.y.length > 0
      ? encodeTargets(loss, this.train.y, this.outputs)
      : [];
    this.#testTargets = this.test.y.length > 0
      ? encodeTargets(loss, this.test.y, this.outputs)
      : [];
  }

  /**
   * How many steps have been taken.
   *
   * @example
   * ```ts
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ steps: 5 });
   * trainer.step();
   * console.log(trainer.stepCount); // 1
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
   *   so the model keeps its last finite weights). The trainer then refuses
   *   every further step with the same error; make a new one to start over.
   *
   * @example
   * ```ts
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer();
   * const first = trainer.step();
   * console.log(first.step, first.learningRate, first.compiled); // 1 1 true
   * ```
   */
  step(): StepStats {
    if (this.#divergence !== null) throw this.#divergence;
    const started = performance.now();
    const config = this.config;
    const index = this.#stepCount;
    const batch = this.#chooseBatch();

    let graph: StepGraph | null = null;
    let total: number;
    let dataLoss: number;
    let regularization: number;
    let scores: number[][];
    if (config.compile) {
      if (this.#tape === null || this.#slots === null) {
        const recorded = this.#buildGraph(batch);
        const tape = compile(recorded.total);
        this.#tape = tape;
        this.#slots = {
          inputs: recorded.inputs,
          targets: recorded.targets,
          scores: recorded.scores.map((row) => row.map((s) => tape.indexOf(s))),
          dataLoss: tape.indexOf(recorded.dataLoss),
          regularization: recorded.regularization === null
            ? null
            : tape.indexOf(recorded.regularization),
        };
        this.#nodeCount = tape.nodeCount;
      } else {
        this.#fillLeaves(this.#slots, batch);
      }
      const tape = this.#tape;
      const slots = this.#slots;
      total = tape.forward();
      dataLoss = tape.valueAt(slots.dataLoss);
      regularization = slots.regularization === null
        ? 0
        : tape.valueAt(slots.regularization);
      scores = slots.scores.map((row) => row.map((i) => tape.valueAt(i)));
    } else {
      // Teaching mode: a brand-new graph of Values, every step.
      graph = this.#buildGraph(batch);
      if (this.#nodeCount === 0) {
        // The shape is the same every step, so count it once.
        this.#nodeCount = topologicalOrder(graph.total).length;
      }
      total = graph.total.data;
      dataLoss = graph.dataLoss.data;
      regularization = graph.regularization?.data ?? 0;
      scores = graph.scores.map((row) => row.map((s) => s.data));
    }

    const learningRate = learningRateAt(
      config.schedule,
      config.learningRate,
      index,
      config.steps,
    );
    if (!Number.isFinite(total)) {
      this.#divergence = new DivergenceError(
        index + 1,
        total,
        `lower the learning rate, currently ${config.learningRate}${
          config.optimizer === "adam" ? " (Adam usually wants about 0.01)" : ""
        }`,
      );
      throw this.#divergence;
    }
    const trainAccuracy = accuracy(scores, batch.map((i) => this.train.y[i]));
    const [testLoss, testAccuracy] = this.#evaluateTest();

    this.#optimizer.zeroGrad();
    if (graph === null) this.#tape!.backward();
    else graph.total.backward();
    this.#optimizer.step(learningRate);
    this.#stepCount = index + 1;

    return {
      step: index + 1,
      loss: total,
      dataLoss,
      regularizationLoss: regularization,
      trainAccuracy,
      testLoss,
      testAccuracy,
      learningRate,
      nodes: this.#nodeCount,
      compiled: config.compile,
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

  /** Build the step's graph on fresh leaves holding the batch. */
  #buildGraph(batch: readonly number[]): StepGraph {
    const inputs = batch.map((i) => [
      new Value(this.train.x[i][0], "x"),
      new Value(this.train.x[i][1], "y"),
    ]);
    const targets = batch.map((i) =>
      this.#trainTargets[i].map((t) => new Value(t, "target"))
    );
    const scores = inputs.map((x) => this.model.forward(x));
    const dataLoss = lossFromTargets(this.config.loss, scores, targets);
    const regularization = this.config.l2 > 0
      ? l2Penalty(this.#parameters, this.config.l2)
      : null;
    const total = regularization === null
      ? dataLoss
      : dataLoss.add(regularization);
    return { inputs, targets, scores, dataLoss, regularization, total };
  }

  /** Write a new batch into the recorded graph's input and target leaves. */
  #fillLeaves(graph: TapeSlots, batch: readonly number[]): void {
    if (batch === this.#order) return; // full batch: the leaves never change
    for (let b = 0; b < batch.length; b++) {
      const point = this.train.x[batch[b]];
      const target = this.#trainTargets[batch[b]];
      graph.inputs[b][0].data = point[0];
      graph.inputs[b][1].data = point[1];
      for (let o = 0; o < target.length; o++) {
        graph.targets[b][o].data = target[o];
      }
    }
  }

  /**
   * Test loss and accuracy with the current weights. The scores come from
   * the graph-free `predict` (same arithmetic as `forward`), and the loss is
   * the very same `lossFromTargets` on them, so it is exactly the training
   * data loss's definition.
   */
  #evaluateTest(): [number | null, number | null] {
    const result = this.evaluate(this.test);
    return result === null ? [null, null] : [result.loss, result.accuracy];
  }

  /**
   * The data loss (no L2 term) and accuracy of the current model on any
   * points, labelled like the training set (class indices). Uses
   * `model.predict`, so no graph is built and nothing is trained. `null` for
   * an empty dataset.
   *
   * @example
   * ```ts
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer({ testFraction: 0.2 });
   * const before = trainer.evaluate(trainer.test);
   * console.log(before !== null && before.accuracy <= 1); // true
   * ```
   */
  evaluate(dataset: Dataset): { loss: number; accuracy: number } | null {
    if (dataset.x.length === 0) return null;
    const predictions = dataset.x.map((point) => this.model.predict(point));
    const scores = predictions.map((row) => row.map((s) => new Value(s)));
    const encoded = dataset === this.test
      ? this.#testTargets
      : encodeTargets(this.config.loss, dataset.y, this.outputs);
    const targets = encoded.map((row) => row.map((t) => new Value(t)));
    const loss = lossFromTargets(this.config.loss, scores, targets).data;
    return { loss, accuracy: accuracy(predictions, dataset.y) };
  }

  /**
   * The model's raw outputs over a `resolution × resolution` grid of cells
   * covering `bounds`, for drawing the decision boundary. Row-major with row
   * 0 at `yMin`: the value of output `o` at cell `(row, column)` is at index
   * `(row * resolution + column) * outputs + o`, and that cell is evaluated
   * at its centre, `x = xMin + (column + 0.5)·(xMax - xMin)/resolution` (and
   * likewise y). With one output, a positive value means class 1; with
   * several, the largest wins.
   *
   * @example
   * ```ts
   * import { Trainer } from "./train.ts";
   * const trainer = new Trainer();
   * const grid = trainer.evaluateGrid(trainer.dataBounds(), 64);
   * console.log(grid.length); // 4096
   * ```
   */
  evaluateGrid(bounds: GridBounds, resolution: number): Float64Array {
    const where = "Trainer.evaluateGrid";
    if (bounds === null || typeof bounds !== "object") {
      throw new TypeError(
        `${where}: bounds must be an object { xMin, xMax, yMin, yMax }, got ${
          describeArgument(bounds)
        }`,
      );
    }
    for (const key of ["xMin", "xMax", "yMin", "yMax"] as const) {
      if (typeof bounds[key] !== "number" || !Number.isFinite(bounds[key])) {
        throw new TypeError(
          `${where}: bounds.${key} must be a finite number, got ${
            describeArgument(bounds[key])
          }`,
        );
      }
    }
    if (!(bounds.xMin < bounds.xMax) || !(bounds.yMin < bounds.yMax)) {
      throw new RangeError(
        `${where}: bounds must have xMin < xMax and yMin < yMax, got x from ${bounds.xMin} to ${bounds.xMax} and y from ${bounds.yMin} to ${bounds.yMax}`,
      );
    }
    if (
      typeof resolution !== "number" || !Number.isInteger(resolution) ||
      resolution < 1 || resolution > 4096
    ) {
      throw new RangeError(
        `${where}: resolution must be an integer from 1 to 4096, got ${
          describeArgument(resolution)
        }`,
      );
    }
    const outputs = this.outputs;
    const grid = new Float64Array(resolution * resolution * outputs);
    const cellWidth = (bounds.xMax - bounds.xMin) / resolution;
    const cellHeight = (bounds.yMax - bounds.yMin) / resolution;
    const point = [0, 0];
    for (let row = 0; row < resolution; row++) {
      point[1] = bounds.yMin + (row + 0.5) * cellHeight;
      for (let column = 0; column < resolution; column++) {
        point[0] = bounds.xMin + (column + 0.5) * cellWidth;
        const scores = this.model.predict(point);
        const base = (row * resolution + column) * outputs;
        for (let o = 0; o < outputs; o++) grid[base + o] = scores[o];
      }
    }
    return grid;
  }

  /**
   * The smallest rectangle holding every training and test point, widened
   * by `margin` on each side: a good default view for the decision grid.
   *
   * @param margin Extra room on each side, in data units (default 0.25).
   *
   * @example
   * ```ts
   * import { Trainer } from "./train.ts";
   * const { xMin, xMax } = new Trainer().dataBounds(0);
   * console.log(xMin < 0 && xMax > 1.5); // true: the moons span about -1..2
   * ```
   */
  dataBounds(margin: number = 0.25): GridBounds {
    if (typeof margin !== "number" || !Number.isFinite(margin) || margin < 0) {
      throw new RangeError(
        `Trainer.dataBounds: margin must be a finite number >= 0, got ${
          describeArgument(margin)
        }`,
      );
    }
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const [x, y] of [...this.train.x, ...this.test.x]) {
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
    // A dataset flat in one direction still needs a rectangle with area.
    if (xMax - xMin + 2 * margin <= 0) margin = 0.5;
    if (yMax - yMin + 2 * margin <= 0) margin = 0.5;
    return {
      xMin: xMin - margin,
      xMax: xMax + margin,
      yMin: yMin - margin,
      yMax: yMax + margin,
    };
  }
}
