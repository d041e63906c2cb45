/**
 * The messages between the page and the training worker. The worker is the
 * only place a model is trained; the page sends commands (the
 * {@linkcode TrainingWorkerApi} over Comlink) and receives
 * {@linkcode ProgressReport}s through one callback, at most one report per
 * animation frame.
 *
 * @module
 */

import type { Dataset, Task } from "../../src/data.ts";
import type { Activation } from "../../src/activation.ts";
import type { MLPJson } from "../../src/model_json.ts";
import type { TrainConfig } from "../../src/config.ts";
import type { ExportFormat } from "../../src/export.ts";
import type { StopRule } from "../../src/stop.ts";
import type {
  DivergenceKind,
  GridBounds,
  StepStats,
  TrainingReport,
} from "../../src/train.ts";
import type { Speed } from "../shared/settings.ts";
import type { UserData } from "../shared/user_data.ts";

/** The rectangle of the plane the decision grid covers (the library's). */
export type { GridBounds };

/** The model's raw outputs over the plane (see `Trainer.evaluateGrid`). */
export interface GridSnapshot {
  bounds: GridBounds;
  resolution: number;
  outputs: number;
  /** `resolution * resolution * outputs` values, row 0 = `bounds.yMin`. */
  values: Float64Array;
}

/** Why training stopped on its own. */
export interface TrainingFailure {
  /** `"DivergenceError"` for a non-finite loss, otherwise the error's name. */
  name: string;
  message: string;
  /** What to try next, in words for the visitor. */
  hint: string;
  /** The step at which it happened (for a divergence, the step that failed). */
  step: number;
  /** Steps completed when it happened: what the step counter shows. */
  completed: number;
  /** A divergence: the likely cause (the library's `DivergenceError.kind`). */
  kind: DivergenceKind | null;
  /** A divergence: the learning rate the failing step used. */
  learningRate: number | null;
  /** A divergence: the loss it got (NaN or an infinity). */
  value: number | null;
}

/**
 * What {@linkcode TrainingWorkerApi.reconfigure} did: the change applied
 * to the running model, or why it needs a new run (then nothing changed).
 */
export type LiveChange =
  | {
    live: true;
    /** The fields whose effective value changed. */
    changed: string[];
    /** The optimiser starts from fresh state (it was switched). */
    optimizerReset: boolean;
  }
  | {
    live: false;
    /** Why a new run is needed, e.g. "the architecture changed". */
    reason: string;
  };

/** What the worker reports while (and after) training. */
export interface ProgressReport {
  /** Which run this belongs to (`reset` starts a new one); stale runs are ignored. */
  run: number;
  stepCount: number;
  /** Every step since the previous report, oldest first. */
  stats: StepStats[];
  /** Present when the decision grid was re-evaluated for this report. */
  grid: GridSnapshot | null;
  running: boolean;
  stepsPerSecond: number;
  /** Set when training stopped because of an error. */
  failure: TrainingFailure | null;
  /**
   * The whole training set and the test set measured with the parameters
   * after `stepCount` steps (`Trainer.report`), with the confusion
   * matrices; `null` when the run has diverged.
   */
  report: TrainingReport | null;
  /** Why the run stopped on its own (the stop rule), or `null`. */
  stopReason: string | null;
}

/** A fresh run: its settings, data and the untrained model's grid. */
export interface RunSnapshot {
  run: number;
  config: TrainConfig;
  /**
   * The training and test points. For a run on your own points (`own`)
   * the worker sends them without points (the page has them) and the page
   * fills them in from its own copy.
   */
  train: Dataset;
  test: Dataset;
  /** `"regression"` (targets) or `"classification"` (classes). */
  task: Task;
  /** Whether the run trains on your own points (not the generator's). */
  own: boolean;
  outputs: number;
  stepCount: number;
  grid: GridSnapshot;
  /** Loss and accuracy before the first step (step 0). */
  initial: StepStats | null;
  /** The whole-set numbers before the first step (`Trainer.report`). */
  report: TrainingReport | null;
}

/**
 * Every neuron's output over a grid of the plane, computed in the worker
 * with the library's `evaluateGrid(model, bounds, resolution, { neurons:
 * true })` (for the network diagram's small heatmaps), with the weights it
 * used. Cell (row, column) is at the cell's centre, row 0 at
 * `bounds.yMin`, as in `Trainer.evaluateGrid`; the last layer equals that
 * grid exactly.
 */
export interface NeuronGridsSnapshot {
  /** The run and step the weights belong to. */
  run: number;
  stepCount: number;
  /** The weights (the library's `MLP.toJSON`). */
  model: MLPJson;
  bounds: GridBounds;
  resolution: number;
  /** `inputs[0]` is x, `inputs[1]` is y over the grid (row-major). */
  inputs: Float64Array[];
  /** The input features the model reads, in its input order (`x2`, …). */
  featureNames: string[];
  /**
   * `features[i]`: feature `featureNames[i]` over the grid, what the first
   * layer reads (an `x` or `y` feature is the very array of `inputs`).
   */
  features: Float64Array[];
  /** `layers[l][j]`: neuron j of layer l over the grid, after its activation. */
  layers: Float64Array[][];
  /** The activation of each layer. */
  activations: Activation[];
}

/** The gradient for each parameter, shaped like `MLPJson.layers`. */
export interface ParameterGradients {
  /** `layers[l][j]`: neuron j of layer l. */
  layers: { weights: number[]; bias: number }[][];
  /** The loss the gradients are of (data loss + L2 penalty). */
  loss: number;
}

/**
 * The gradient of the full-batch training loss (mean data loss over every
 * training point, plus the L2 penalty) for every parameter, computed in the
 * worker, with the weights it is for (the network diagram's link details).
 */
export interface GradientsSnapshot {
  /** The run and step the weights belong to. */
  run: number;
  stepCount: number;
  /** The weights (the library's `MLP.toJSON`). */
  model: MLPJson;
  /** How many training points the loss averages over. */
  trainPoints: number;
  /** Shaped like `model.layers`, plus the loss itself. */
  gradients: ParameterGradients;
}

// --- Neuron details (issue 10, "the arithmetic behind the diagram") ---

/** One number per weight of a neuron, and one for its bias. */
export interface PerParameter {
  weights: number[];
  bias: number;
}

/**
 * One neuron's arithmetic at one point of the plane, computed in the
 * worker with the library (`MLP.activations`, `Trainer.gradients`,
 * `Trainer.optimizerMoments`): the network diagram's `neuron-details`.
 */
export interface NeuronDetails {
  /** The run and step the weights belong to. */
  run: number;
  stepCount: number;
  layer: number;
  neuron: number;
  /** How many layers the model has (the last is the output layer). */
  layerCount: number;
  /** The neuron's activation (`relu`, `tanh`, `linear`, …). */
  activation: Activation;
  /** The point `(x, y)` the numbers are for. */
  point: [number, number];
  /**
   * What the neuron reads at `point`: the input features (layer 0, in the
   * model's order, named by `featureNames`) or the previous layer's outputs.
   */
  inputs: number[];
  /** The model's input features (`x`, `y`, `x2`, …). */
  featureNames: string[];
  /** The neuron's parameters. */
  parameters: PerParameter;
  /** `MLP.activations(point)[layer][neuron]`: the neuron's output. */
  output: number;
  /**
   * d loss / d parameter: the full-batch training loss's gradient (`null`
   * when not asked for).
   */
  gradients: PerParameter | null;
  /** How many training points that loss averages over. */
  trainPoints: number;
  /** Adam's running means `m` and `v`, or `null` when Adam does not run. */
  moments: { m: PerParameter; v: PerParameter } | null;
}

/** What {@linkcode TrainingWorkerApi.parseData} made of a file. */
export type DataReading =
  | { ok: true; data: UserData }
  | {
    ok: false;
    /** Why, in words (naming the line and column when there is one). */
    message: string;
    /** The line and column at fault, from 1, when the text is at fault. */
    line: number | null;
    column: number | null;
  };

/** Receives progress; its returned promise is the back-pressure signal. */
export type ProgressListener = (report: ProgressReport) => void | Promise<void>;

/** The API the worker exposes with Comlink (all calls are async from the page). */
export interface TrainingWorkerApi {
  /**
   * Start a new run with `config` (stopping any current one), on your own
   * points when `data` is given (their split is theirs: `config`'s
   * `testFraction`, `points` and `classes` do not apply), else on the
   * generated dataset.
   */
  reset(config: Partial<TrainConfig>, data?: UserData | null): RunSnapshot;
  /**
   * Read a CSV file of points (`parseCsv`), here rather than on the page so
   * a large file never blocks it: the points as your own (each point's side
   * from `dataSeed` and `testFraction`), or why the file is refused.
   */
  parseData(
    file: Blob,
    dataSeed: number,
    testFraction: number,
  ): Promise<DataReading>;
  /** The current run's whole dataset as CSV text (`toCsv`). */
  dataCsv(): string;
  /** Train continuously until paused. */
  play(): void;
  /** Stop training; resolves after the last report was delivered. */
  pause(): Promise<number>;
  /** Exactly one optimisation step (pausing first if playing). */
  step(): Promise<StepStats | null>;
  /** Steps per second, or `"max"`. */
  setSpeed(speed: Speed): void;
  /**
   * Change the running training (`Trainer.reconfigure`) to `config`: the
   * learning rate, optimiser, penalties, schedule, batch size or compile
   * switch apply at the next step, with the step count and the model
   * kept. A change of the data, architecture, features, initialization or
   * seeds is refused with the reason (start a new run with `reset`).
   */
  reconfigure(config: Partial<TrainConfig>): LiveChange;
  /**
   * When training stops on its own (the library's `stopReason`). Play
   * goes on past a rule that already holds when it is pressed.
   */
  setStopRule(rule: StopRule): void;
  /** The current model as source code (the library's `exportModel`). */
  exportModel(format: ExportFormat): string;
  /** The one progress callback (a `Comlink.proxy`). */
  setListener(listener: ProgressListener): void;
  /** Forget the callback so its proxy can be released. */
  clearListener(): void;
  /** The current model's weights (the library's `MLP.toJSON`). */
  modelJson(): MLPJson;
  /**
   * Every neuron's output over a `resolution`² grid of the decision grid's
   * rectangle, computed here so the page only draws (1 to 256 cells a side).
   */
  neuronGrids(resolution: number): NeuronGridsSnapshot;
  /** d loss / d parameter for every weight and bias of the current model. */
  parameterGradients(): GradientsSnapshot;
  /**
   * Replace the model with weights from a file. Validates everything first;
   * on any problem it throws and the current run is untouched.
   */
  loadModel(json: unknown): RunSnapshot;
  // --- Neuron details (issue 10, "the arithmetic behind the diagram") ---
  /**
   * Neuron `neuron` of layer `layer` at `point`: its formula's numbers.
   * With `gradients: false` (a hover moving the point) the full-batch
   * gradient is not computed and `gradients` is `null`.
   */
  neuronDetails(
    layer: number,
    neuron: number,
    point: [number, number],
    gradients?: boolean,
  ): NeuronDetails;
  /**
   * Set one weight (`input` = its index) or the bias (`"bias"`) of the
   * running model by hand; the next step uses it. Resolves after a report
   * with a fresh decision grid was delivered.
   */
  setParameter(
    layer: number,
    neuron: number,
    input: number | "bias",
    value: number,
  ): Promise<void>;
}
