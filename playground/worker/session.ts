/**
 * The worker side of the playground: one {@linkcode TrainingSession} owns the
 * library's `Trainer` and runs its `step()` in short slices, yielding to the
 * event loop between slices so that a Pause (or any other command) arriving
 * from the page is handled within a frame. Progress is batched into at most
 * one report in flight at a time: the page acknowledges a report when it
 * has drawn it, so a slow page never gets a backlog.
 *
 * Nothing here touches worker globals, so the logic can be tested directly.
 *
 * @module
 */

import { checkBoolean, checkInteger } from "../../src/checks.ts";
import { type TrainConfig, validateConfig } from "../../src/config.ts";
import {
  CsvRangeError,
  CsvSyntaxError,
  parseCsv,
  toCsv,
} from "../../src/csv.ts";
import type { Dataset } from "../../src/data.ts";
import { type ExportFormat, exportModel } from "../../src/export.ts";
import { featureValues } from "../../src/features.ts";
import { evaluateGrid } from "../../src/grid.ts";
import { NewRunRequiredError } from "../../src/live_changes.ts";
import { confusionMatrix } from "../../src/metrics.ts";
import {
  DEFAULT_STOP_RULE,
  stopReason,
  type StopRule,
  stopRuleNeedsScores,
} from "../../src/stop.ts";
import type { MLPJson } from "../../src/model_json.ts";
import { MLP } from "../../src/nn.ts";
import {
  DivergenceError,
  type StepStats,
  Trainer,
  type TrainingReport,
} from "../../src/train.ts";
import { LIMITS, type Speed } from "../shared/settings.ts";
import {
  fromDataset,
  MAX_UPLOAD_POINTS,
  splitData,
  toDataset,
  type UserData,
} from "../shared/user_data.ts";
import type {
  DataReading,
  GradientsSnapshot,
  GridBounds,
  GridSnapshot,
  LiveChange,
  NeuronDetails,
  NeuronGridsSnapshot,
  ParameterGradients,
  PerParameter,
  ProgressListener,
  ProgressReport,
  RunSnapshot,
  TrainingFailure,
  TrainingWorkerApi,
} from "./protocol.ts";

/** Longest stretch of training between two yields, in milliseconds. */
const SLICE_MILLISECONDS = 8;
/**
 * Reports are at least this far apart: about two frames at 60 Hz. Each
 * report costs the page a redraw of both charts and a compositor commit;
 * 30 updates a second look just as live and leave the main thread idle
 * most of the time, even on a slow machine without a GPU.
 */
const REPORT_INTERVAL_MILLISECONDS = 33;

/** How the session hands a report to the page (the worker adds transfer). */
export type ReportSender = (report: ProgressReport) => Promise<void> | void;

/** Services the session needs from its host (injected for tests). */
export interface SessionHost {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolve after the event loop has had a chance to run other tasks. */
  yieldToEventLoop(): Promise<void>;
  /** Resolve after about `milliseconds`. */
  sleep(milliseconds: number): Promise<void>;
}

/** Grid resolution: cells per side of the decision grid. */
export const GRID_RESOLUTION = 64;

/** A run on your own points: the points, and their split. */
interface OwnRun {
  data: UserData;
  train: Dataset;
  test: Dataset;
}

/**
 * A Trainer for `config`, on your own points when `data` is given: the
 * Trainer trains on their training points (with no split of its own) and
 * the session measures their test points, so that each point keeps the side
 * it was given however many points there are.
 */
function buildTrainer(
  config: Partial<TrainConfig>,
  data: UserData | null,
): { trainer: Trainer; own: OwnRun | null } {
  if (data === null) return { trainer: new Trainer(config), own: null };
  const { train, test } = splitData(data);
  const trainer = new Trainer({ ...config, testFraction: 0 }, { data: train });
  return { trainer, own: { data, train, test } };
}

/** The largest CSV file read, in bytes (10,000 points take about 300 kB). */
const MAX_FILE_BYTES = 5_000_000;

/** The training loop behind the worker's Comlink API. */
export class TrainingSession implements TrainingWorkerApi {
  readonly #host: SessionHost;
  #trainer: Trainer;
  #bounds: GridBounds;
  #run = 0;
  #running = false;
  #loop: Promise<void> | null = null;
  /** Bumped whenever a loop must end (pause-then-play, reset) so at most one runs. */
  #loopToken = 0;
  #speed: Speed = "max";
  #rateAnchor = { time: 0, stepCount: 0 };
  #pending: StepStats[] = [];
  #send: ReportSender | null = null;
  #inFlight: Promise<void> | null = null;
  #lastReportTime = -Infinity;
  #lastGridTime = -Infinity;
  #gridMilliseconds = 0;
  #lastMeasureTime = -Infinity;
  #measureMilliseconds = 0;
  #rateSamples: { time: number; stepCount: number }[] = [];
  #failure: TrainingFailure | null = null;
  /** Your own points of the current run, or `null` for generated data. */
  #own: OwnRun | null = null;
  /** The config the page asked for (an own run's trainer has no split). */
  #asked: TrainConfig;
  #stopRule: StopRule = DEFAULT_STOP_RULE;
  /** Whether the stop rule may stop the loop (not when Play went past it). */
  #stopArmed = true;
  /** Why the loop last stopped on its own, until it is reported. */
  #stopReason: string | null = null;
  /** The step the stop rule stopped this run at (`null`: it has not). */
  #stoppedAt: number | null = null;

  constructor(host: SessionHost, config: Partial<TrainConfig> = {}) {
    this.#host = host;
    this.#trainer = new Trainer(config);
    this.#asked = this.#trainer.config;
    this.#bounds = this.#trainer.dataBounds();
  }

  /** The trainer of the current run (read-only use: the explorer's presets). */
  get trainer(): Trainer {
    return this.#trainer;
  }

  get running(): boolean {
    return this.#running;
  }

  reset(
    config: Partial<TrainConfig>,
    data: UserData | null = null,
  ): RunSnapshot {
    // Build first: an invalid config throws here and the current run lives on.
    const asked = validateConfig(config);
    const { trainer, own } = buildTrainer(config, data);
    this.#stop();
    this.#trainer = trainer;
    this.#own = own;
    this.#asked = asked;
    return this.#startRun();
  }

  async parseData(
    file: Blob,
    dataSeed: number,
    testFraction: number,
  ): Promise<DataReading> {
    if (file.size > MAX_FILE_BYTES) {
      return {
        ok: false,
        message:
          `the file has ${file.size} bytes; at most ${MAX_FILE_BYTES} are read`,
        line: null,
        column: null,
      };
    }
    const text = await file.text();
    try {
      const dataset = parseCsv(text);
      if (dataset.x.length === 0) {
        return {
          ok: false,
          message: "the file has no points",
          line: null,
          column: null,
        };
      }
      if (dataset.x.length > MAX_UPLOAD_POINTS) {
        return {
          ok: false,
          message:
            `the file has ${dataset.x.length} points; the playground takes at most ${MAX_UPLOAD_POINTS}`,
          line: null,
          column: null,
        };
      }
      return { ok: true, data: fromDataset(dataset, dataSeed, testFraction) };
    } catch (error) {
      if (error instanceof CsvSyntaxError || error instanceof CsvRangeError) {
        return {
          ok: false,
          // The library's message starts "parseCsv: line L, column C: ".
          message: error.message.replace(/^parseCsv: /, ""),
          line: error.line,
          column: error.column,
        };
      }
      if (error instanceof Error) {
        return { ok: false, message: error.message, line: null, column: null };
      }
      throw error;
    }
  }

  dataCsv(): string {
    const own = this.#own;
    return toCsv(own === null ? this.#trainer.data : toDataset(own.data));
  }

  play(): void {
    if (this.#running) return;
    // A rule that has stopped this run (the demo at step 100) does not stop
    // it again: Play goes on past it, however often it is paused after. One
    // that holds before it ever stopped the run (a target the model already
    // meets) stops it at once, saying why, rather than being switched off.
    const due = this.#stopDue();
    if (due !== null && this.#stoppedAt === null) {
      this.#stoppedAt = this.#trainer.stepCount;
      this.#stopReason = due;
      void this.#flush();
      return;
    }
    this.#stopArmed = due === null;
    this.#stopReason = null;
    this.#failure = null;
    this.#running = true;
    this.#anchorRate();
    const token = ++this.#loopToken;
    const loop = this.#train(token).finally(() => {
      if (this.#loop === loop) this.#loop = null;
    });
    this.#loop = loop;
  }

  async pause(): Promise<number> {
    this.#running = false;
    if (this.#loop) await this.#loop;
    await this.#flush();
    return this.#trainer.stepCount;
  }

  async step(): Promise<StepStats | null> {
    if (this.#running) await this.pause();
    else if (this.#loop) await this.#loop;
    let stats: StepStats | null = null;
    try {
      stats = this.#stepOnce();
      this.#pending.push(stats);
    } catch (error) {
      this.#fail(error);
    }
    await this.#flush();
    return stats;
  }

  setSpeed(speed: Speed): void {
    this.#speed = speed;
    this.#anchorRate();
  }

  reconfigure(config: Partial<TrainConfig>): LiveChange {
    const asked = validateConfig(config);
    let changes: Partial<TrainConfig> = config;
    if (this.#own !== null) {
      // Your own points: their size, classes and split are theirs.
      const { points: _p, classes: _c, testFraction: _t, ...rest } = config;
      changes = rest;
    }
    let result;
    try {
      result = this.#trainer.reconfigure(changes);
    } catch (error) {
      if (error instanceof NewRunRequiredError) {
        return { live: false, reason: error.reason };
      }
      throw error;
    }
    this.#asked = asked;
    // The numbers change with the penalty or the loss: show them now.
    if (!this.#running && result.changed.length > 0) void this.#report(true);
    return {
      live: true,
      changed: [...result.changed],
      optimizerReset: result.optimizerReset,
    };
  }

  setStopRule(rule: StopRule): void {
    this.#stopRule = rule;
    // A new rule applies at once, even one that already holds.
    this.#stopArmed = true;
    this.#stoppedAt = null;
  }

  exportModel(format: ExportFormat): string {
    const { dataset, hidden } = this.#trainer.config;
    return exportModel(this.#trainer.model, format, {
      comment: `micrograd playground: ${dataset}, hidden layers [${
        hidden.join(", ")
      }], after ${this.#trainer.stepCount} steps`,
    });
  }

  setListener(listener: ProgressListener): void {
    this.#send = listener;
  }

  /** Use a sender that can add transferables (the worker's Comlink wrapper). */
  setSender(sender: ReportSender | null): void {
    this.#send = sender;
  }

  clearListener(): void {
    this.#send = null;
  }

  modelJson(): MLPJson {
    return this.#trainer.model.toJSON();
  }

  neuronGrids(resolution: number): NeuronGridsSnapshot {
    checkInteger(resolution, "neuronGrids", "resolution", 1, 256);
    const model = this.#trainer.model;
    // The library's grid: the cell centres of Trainer.evaluateGrid and the
    // model's own activations, so the output layer is the decision grid.
    const grids = evaluateGrid(model, this.#bounds, resolution, {
      neurons: true,
    });
    return {
      run: this.#run,
      stepCount: this.#trainer.stepCount,
      model: model.toJSON(),
      bounds: { ...this.#bounds },
      resolution,
      inputs: grids.inputs,
      featureNames: [...grids.featureNames],
      features: grids.features,
      layers: grids.layers,
      // Each layer's activation, as its neurons apply it.
      activations: model.layers.map((layer) => layer.neurons[0].activation),
    };
  }

  parameterGradients(): GradientsSnapshot {
    const trainer = this.#trainer;
    // The library's full-batch gradient; training is not disturbed.
    const { gradients, loss } = trainer.gradients();
    return {
      run: this.#run,
      stepCount: trainer.stepCount,
      model: trainer.model.toJSON(),
      trainPoints: trainer.train.x.length,
      gradients: byNeuron(trainer.model, gradients, loss),
    };
  }

  loadModel(json: unknown): RunSnapshot {
    // MLP.fromJSON validates the structure and every number; it throws a
    // TypeError/RangeError naming the problem, before anything changes.
    const loaded = MLP.fromJSON(json);
    const current = this.#trainer;
    const features = loaded.pointFeatures;
    if (features === null) {
      throw new RangeError(
        `This model takes ${loaded.nin} inputs and names no input features; the playground's points have 2 (x and y).`,
      );
    }
    const outputs = loaded.sizes[loaded.sizes.length - 1];
    if (outputs !== current.outputs) {
      throw new RangeError(
        `This model has ${outputs} output(s), but the current dataset and loss need ${current.outputs}. ` +
          `Choose the dataset, classes and loss it was trained with, then load it again.`,
      );
    }
    const hidden = loaded.sizes.slice(0, -1);
    if (
      hidden.length > LIMITS.layers.max ||
      hidden.some((size) => size > LIMITS.neurons.max)
    ) {
      throw new RangeError(
        `This model's hidden layers (${
          hidden.join(", ")
        }) exceed the playground's limit of ${LIMITS.layers.max} layers of at most ${LIMITS.neurons.max} neurons.`,
      );
    }
    // The Trainer checks the rest (the output activation, every layer's
    // size) and trains the loaded model itself: no copy. Your own points
    // stay (with their split).
    const own = this.#own;
    const trainer = new Trainer(
      {
        ...current.config,
        hidden,
        activation: loaded.activation,
        features: [...features],
      },
      own === null ? { model: loaded } : { model: loaded, data: own.train },
    );
    this.#stop();
    this.#trainer = trainer;
    return this.#startRun();
  }

  // --- Neuron details (issue 10, "the arithmetic behind the diagram") ---

  neuronDetails(
    layer: number,
    neuron: number,
    point: [number, number],
    gradients = true,
  ): NeuronDetails {
    const where = "neuronDetails";
    const trainer = this.#trainer;
    const model = trainer.model;
    checkInteger(layer, where, "layer", 0, model.layers.length - 1);
    checkBoolean(gradients, where, "gradients");
    const neurons = model.layers[layer].neurons;
    checkInteger(neuron, where, "neuron", 0, neurons.length - 1);
    // The library's forward pass: the printed output is exactly what
    // predict (and the diagram's heatmaps) compute at this point.
    const layers = model.activations(point, where);
    const featureNames = [...(model.pointFeatures ?? [])];
    const inputs = layer === 0
      ? featureValues(point[0], point[1], model.pointFeatures ?? ["x", "y"])
      : layers[layer - 1];
    const index = parameterIndex(model, layer, neuron);
    const count = neurons[neuron].weights.length + 1;
    const pick = (values: ArrayLike<number>): PerParameter => {
      const weights = Array.from(
        { length: count - 1 },
        (_, i) => values[index + i],
      );
      return { weights, bias: values[index + count - 1] };
    };
    const parameters = model.parameters().map((p) => p.data);
    const moments = trainer.optimizerMoments();
    return {
      run: this.#run,
      stepCount: trainer.stepCount,
      layer,
      neuron,
      layerCount: model.layers.length,
      activation: neurons[neuron].activation,
      point: [point[0], point[1]],
      inputs: [...inputs],
      featureNames,
      parameters: pick(parameters),
      output: layers[layer][neuron],
      gradients: gradients ? pick(trainer.gradients().gradients) : null,
      trainPoints: trainer.train.x.length,
      moments: moments === null
        ? null
        : { m: pick(moments.m), v: pick(moments.v) },
    };
  }

  async setParameter(
    layer: number,
    neuron: number,
    input: number | "bias",
    value: number,
  ): Promise<void> {
    // Between two slices of training (this runs on the worker's event
    // loop), so the next step, and the tape it replays, read the new value.
    this.#trainer.setParameter(layer, neuron, input, value);
    await this.#flush();
  }

  /** Stop the loop of the current run without waiting (a new run begins). */
  #stop(): void {
    this.#running = false;
    this.#run++;
    this.#loopToken++;
    this.#loop = null;
    this.#pending = [];
    this.#inFlight = null;
    this.#failure = null;
    this.#rateSamples = [];
    this.#stopReason = null;
    this.#stoppedAt = null;
    this.#stopArmed = true;
  }

  #startRun(): RunSnapshot {
    const trainer = this.#trainer;
    const own = this.#own;
    this.#bounds = own === null ? trainer.dataBounds() : { ...own.data.bounds };
    this.#lastReportTime = -Infinity;
    this.#lastGridTime = -Infinity;
    this.#lastMeasureTime = -Infinity;
    // An own run's trainer has no split and the data's size: the page's
    // settings keep what they asked for (they apply to the generator).
    const asked = this.#asked;
    const config = own === null ? trainer.config : {
      ...trainer.config,
      points: asked.points,
      classes: asked.classes,
      testFraction: asked.testFraction,
      batchSize: asked.batchSize,
    };
    return {
      run: this.#run,
      config,
      // The page has your own points: they are not sent back.
      train: own === null ? trainer.train : withoutPoints(own.train),
      test: own === null ? trainer.test : withoutPoints(own.test),
      task: trainer.task,
      own: own !== null,
      outputs: trainer.outputs,
      stepCount: trainer.stepCount,
      grid: this.#evaluateGrid(),
      ...initialNumbers(this.#measureSafely()),
    };
  }

  /**
   * One step of the trainer; on your own points, the test numbers are
   * measured here, before the update, as the Trainer measures its own.
   */
  #stepOnce(): StepStats {
    const own = this.#own;
    if (own === null || own.test.x.length === 0) return this.#trainer.step();
    const test = this.#trainer.evaluate(own.test);
    const stats = this.#trainer.step();
    return {
      ...stats,
      testLoss: test?.loss ?? null,
      testAccuracy: test?.accuracy ?? null,
      testR2: test?.r2 ?? null,
      testMeanAbsoluteError: test?.meanAbsoluteError ?? null,
    };
  }

  #anchorRate(): void {
    this.#rateAnchor = {
      time: this.#host.now(),
      stepCount: this.#trainer.stepCount,
    };
  }

  /** How many steps the speed setting allows by now (Infinity at max speed). */
  #stepsAllowed(now: number): number {
    if (this.#speed === "max") return Infinity;
    const elapsedSeconds = (now - this.#rateAnchor.time) / 1000;
    // The first step happens at once, then one every 1/speed seconds.
    return this.#rateAnchor.stepCount + 1 +
      Math.floor(elapsedSeconds * this.#speed);
  }

  async #train(token: number): Promise<void> {
    const host = this.#host;
    while (this.#running && this.#loopToken === token) {
      const sliceStart = host.now();
      let now = sliceStart;
      try {
        while (
          this.#running &&
          now - sliceStart < SLICE_MILLISECONDS &&
          this.#trainer.stepCount < this.#stepsAllowed(now)
        ) {
          this.#pending.push(this.#stepOnce());
          now = host.now();
          const reason = this.#stopArmed ? this.#stopDue() : null;
          if (reason !== null) {
            this.#running = false;
            this.#stopReason = reason;
            this.#stoppedAt = this.#trainer.stepCount;
          }
        }
      } catch (error) {
        this.#fail(error);
        await this.#flush();
        return;
      }
      if (this.#stopReason !== null && this.#loopToken === token) {
        await this.#flush();
        return;
      }
      // Let a Pause in before the report: its grid and numbers take tens
      // of milliseconds on a deep network, and a Pause sends its own.
      await host.yieldToEventLoop();
      if (!this.#running || this.#loopToken !== token) return;
      this.#report(false);
      const allowed = this.#stepsAllowed(now);
      if (this.#trainer.stepCount >= allowed && this.#speed !== "max") {
        // Throttled: sleep until the next step is due, but wake at least
        // every 16 ms so a speed change or a Pause takes effect promptly.
        const due = this.#rateAnchor.time +
          ((allowed - this.#rateAnchor.stepCount) / this.#speed) * 1000;
        await host.sleep(Math.max(0, Math.min(16, due - now)));
      } else {
        await host.yieldToEventLoop();
      }
    }
  }

  #fail(error: unknown): void {
    this.#running = false;
    this.#failure = describeFailure(error, this.#trainer.stepCount);
  }

  /** Why the stop rule stops the run now, or `null`. */
  #stopDue(): string | null {
    const rule = this.#stopRule;
    const trainer = this.#trainer;
    if (!stopRuleNeedsScores(rule)) {
      return stopReason(rule, {
        step: trainer.stepCount,
        scheduleSteps: trainer.config.steps,
      });
    }
    const report = this.#measure();
    return stopReason(rule, {
      step: report.step,
      scheduleSteps: report.scheduleSteps,
      train: report.train,
      test: report.test,
    });
  }

  /**
   * The library's whole-set report; on your own points the test numbers
   * and matrix are of their test points (the trainer has no split).
   */
  #measure(): TrainingReport {
    const trainer = this.#trainer;
    const report = trainer.report();
    const own = this.#own;
    if (own === null || own.test.x.length === 0) return report;
    const test = trainer.evaluate(own.test);
    const confusion = report.confusion === null ? null : {
      train: report.confusion.train,
      test: confusionMatrix(
        own.test.x.map((point) => trainer.model.predict(point)),
        own.test.y,
        trainer.config.classes,
      ),
    };
    return { ...report, test, confusion };
  }

  /** {@linkcode #measureSafely}, timing it for the next report's budget. */
  #timedMeasure(): TrainingReport | null {
    const start = this.#host.now();
    const report = this.#measureSafely();
    const now = this.#host.now();
    this.#measureMilliseconds = now - start;
    this.#lastMeasureTime = now;
    return report;
  }

  /** The report, or `null` once the weights are not finite (diverged). */
  #measureSafely(): TrainingReport | null {
    try {
      return this.#measure();
    } catch {
      return null;
    }
  }

  #stepsPerSecond(now: number): number {
    const samples = this.#rateSamples;
    samples.push({ time: now, stepCount: this.#trainer.stepCount });
    while (samples.length > 2 && now - samples[1].time > 1000) samples.shift();
    const first = samples[0];
    const seconds = (now - first.time) / 1000;
    if (!this.#running) return 0;
    return seconds > 0
      ? (this.#trainer.stepCount - first.stepCount) / seconds
      : 0;
  }

  #evaluateGrid(): GridSnapshot {
    const start = this.#host.now();
    const values = this.#trainer.evaluateGrid(this.#bounds, GRID_RESOLUTION);
    const now = this.#host.now();
    this.#gridMilliseconds = now - start;
    this.#lastGridTime = now;
    return {
      bounds: { ...this.#bounds },
      resolution: GRID_RESOLUTION,
      outputs: this.#trainer.outputs,
      values,
    };
  }

  /**
   * Send what is pending unless a report is still being drawn (then the
   * steps wait for the next one). `force` sends regardless, with a fresh grid
   * and fresh whole-set numbers, unless `light`: then neither (the counter,
   * the steps' numbers and any failure or stop reason only).
   */
  #report(force: boolean, light = false): Promise<void> | null {
    const now = this.#host.now();
    if (!force) {
      if (this.#inFlight !== null) return null;
      if (now - this.#lastReportTime < REPORT_INTERVAL_MILLISECONDS) {
        return null;
      }
    }
    const send = this.#send;
    if (send === null) return null;
    // The grid and the whole-set numbers cost real time on big networks:
    // each is re-evaluated at most a fifth of the time, so training keeps
    // most of it (a report without numbers keeps the page's last ones).
    const gridDue = !light && (force ||
      now - this.#lastGridTime >= Math.max(33, 5 * this.#gridMilliseconds));
    const measureDue = !light && (force ||
      now - this.#lastMeasureTime >=
        Math.max(33, 5 * this.#measureMilliseconds));
    const report: ProgressReport = {
      run: this.#run,
      stepCount: this.#trainer.stepCount,
      stats: this.#pending,
      grid: gridDue ? this.#evaluateGrid() : null,
      running: this.#running,
      stepsPerSecond: this.#stepsPerSecond(now),
      failure: this.#failure,
      report: measureDue ? this.#timedMeasure() : null,
      stopReason: this.#stopReason,
    };
    this.#pending = [];
    this.#failure = null;
    this.#stopReason = null;
    this.#lastReportTime = now;
    const run = this.#run;
    const delivered = Promise.resolve(send(report)).catch(() => {
      // The page went away or replaced its listener; nothing to do.
    });
    const inFlight = delivered.finally(() => {
      if (this.#run === run && this.#inFlight === inFlight) {
        this.#inFlight = null;
      }
    });
    this.#inFlight = inFlight;
    return inFlight;
  }

  /**
   * Send everything that is left: first the counter and the steps (a Pause
   * shows where it stopped at once), then, once the page has drawn what it
   * had, the grid and the whole-set numbers, which take tens of
   * milliseconds on a deep network and are computed while the page draws.
   */
  async #flush(): Promise<void> {
    // The counter goes at once, even while the page draws the last report
    // (it draws both in one frame); the full report waits its turn.
    const drawing = this.#inFlight;
    void this.#report(true, true);
    if (drawing) await drawing;
    const sent = this.#report(true);
    if (sent) await sent;
  }
}

/** Where neuron `neuron` of `layer` starts in `model.parameters()`. */
function parameterIndex(model: MLP, layer: number, neuron: number): number {
  let index = 0;
  for (let l = 0; l < layer; l++) {
    for (const unit of model.layers[l].neurons) {
      index += unit.weights.length + 1;
    }
  }
  return index + neuron * (model.layers[layer].neurons[0].weights.length + 1);
}

/** A dataset's description without its points. */
function withoutPoints(data: Dataset): Dataset {
  return { ...data, x: [], y: [] };
}

/**
 * Gradients in `model.parameters()` order (layer by layer, neuron by
 * neuron, weights then bias) shaped like `MLPJson.layers`.
 */
function byNeuron(
  model: MLP,
  gradients: Float64Array,
  loss: number,
): ParameterGradients {
  let k = 0;
  const layers = model.layers.map((layer) =>
    layer.neurons.map((neuron) => {
      const weights = Array.from(neuron.weights, () => gradients[k++]);
      return { weights, bias: gradients[k++] };
    })
  );
  return { layers, loss };
}

/**
 * Step 0's numbers for the loss chart and the report behind them: the
 * whole-set report read as a `StepStats` (no step was taken).
 */
function initialNumbers(
  report: TrainingReport | null,
): { initial: StepStats | null; report: TrainingReport | null } {
  if (report === null) return { initial: null, report };
  const { train, test } = report;
  const initial: StepStats = {
    step: report.step,
    loss: report.loss,
    dataLoss: train.loss,
    regularizationLoss: report.regularizationLoss,
    trainAccuracy: train.accuracy,
    testLoss: test?.loss ?? null,
    testAccuracy: test?.accuracy ?? null,
    r2: train.r2,
    meanAbsoluteError: train.meanAbsoluteError,
    testR2: test?.r2 ?? null,
    testMeanAbsoluteError: test?.meanAbsoluteError ?? null,
    learningRate: report.learningRate,
    nodes: 0,
    compiled: false,
    milliseconds: 0,
  };
  return { initial, report };
}

/** Turn anything thrown while training into words for the page. */
export function describeFailure(error: unknown, step: number): TrainingFailure {
  if (error instanceof DivergenceError) {
    return {
      name: "DivergenceError",
      message: error.summary,
      hint: error.hint,
      step: error.step,
      completed: step,
      kind: error.kind,
      learningRate: error.learningRate,
      value: error.value,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: error instanceof Error ? error.name : "Error",
    message,
    hint: "Training stopped unexpectedly. Press Reset to start a fresh run; " +
      "if it happens again, try other settings.",
    step,
    completed: step,
    kind: null,
    learningRate: null,
    value: null,
  };
}
