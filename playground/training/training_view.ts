/**
 * The training view: the controls, the numbers and the two charts. It owns
 * no training logic: every command goes to the worker (through a queue, so
 * commands reach it in the order they were given) and every number on
 * screen comes from the worker's progress reports, drawn at most once per
 * animation frame.
 *
 * @module
 */

import * as Comlink from "comlink";
import type { Dataset } from "../../src/data.ts";
import type { MLPJson } from "../../src/model_json.ts";
import type { TrainConfig } from "../../src/config.ts";
import type { StepStats, TrainingReport } from "../../src/train.ts";
import type { ExportFormat } from "../../src/export.ts";
import { DEFAULT_STOP_RULE, type StopRule } from "../../src/stop.ts";
import { classColor, cssColor, divergingColor } from "../shared/colormap.ts";
import {
  formatCount,
  formatRate,
  formatShortNumber,
  MISSING,
} from "../shared/format.ts";
import {
  dataRefusal,
  defaultSettings,
  explainResolution,
  LIMITS,
  normalizeSettings,
  type PlaygroundSettings,
  sameConfig,
  stopRuleOf,
} from "../shared/settings.ts";
import { formatHash, mergeHash } from "../shared/url_hash.ts";
import { linkable, pageStorage, writeLinkData } from "../shared/data_link.ts";
import {
  emptyData,
  fromRun,
  resplit,
  splitData,
  toDataset,
  trainingShape,
  type UserData,
} from "../shared/user_data.ts";
import { toCsv } from "../../src/csv.ts";
import { DataEditor } from "./data_editor.ts";
import type { TrainingContext } from "../shared/views.ts";
import { parseWeightsFile } from "../shared/weights_file.ts";
import type {
  DataReading,
  GridSnapshot,
  LiveChange,
  ProgressReport,
  RunSnapshot,
  TrainingWorkerApi,
} from "../worker/protocol.ts";
import { applyHidden } from "./classroom.ts";
import { downloadText, element, setText } from "./dom.ts";
import { divergenceMessage, showConfusion, showNumbers } from "./numbers.ts";
import { DecisionGridChart } from "./grid_chart.ts";
import { LossHistory, measuredPoint } from "./history.ts";
import { makeYield } from "../shared/next_task.ts";
import { LossChart } from "./loss_chart.ts";
import { fillMenus } from "./menus.ts";
import { mountNetworkDiagram, type NetworkDiagram } from "./network.ts";
import {
  fillFeatures,
  readForm,
  setControlLimits,
  showSliderValue,
  writeForm,
} from "./settings_form.ts";

/**
 * A regression's colour key: the diverging scale from `-scale` through 0 to
 * `scale`, with its three numbers (hook for tests: `.color-key`).
 */
function colorKey(scale: number): HTMLElement {
  const entry = document.createElement("li");
  entry.className = "color-key";
  const low = document.createElement("span");
  low.textContent = formatShortNumber(-scale);
  const bar = document.createElement("span");
  bar.className = "color-key-bar";
  bar.setAttribute("aria-hidden", "true");
  bar.style.background = `linear-gradient(to right, ${
    cssColor(divergingColor(-1))
  }, ${cssColor(divergingColor(0))}, ${cssColor(divergingColor(1))})`;
  const high = document.createElement("span");
  high.textContent = formatShortNumber(scale);
  entry.setAttribute(
    "aria-label",
    `Colour key: from ${
      formatShortNumber(-scale)
    } (orange) through 0 (white) to ${formatShortNumber(scale)} (blue)`,
  );
  entry.append(low, bar, high);
  return entry;
}

/** The config fields that describe the generator (changing one brings it back). */
const GENERATOR_FIELDS = [
  "dataset",
  "points",
  "noise",
  "classes",
  "dataSeed",
] as const;

/** Whether a generator field differs between two configs. */
function generatorChanged(a: TrainConfig, b: TrainConfig): boolean {
  return GENERATOR_FIELDS.some((key) => a[key] !== b[key]);
}

/** Resolves in a new task (start-up stages, one task each). */
const nextTask = makeYield();

/** Least time between two loss-chart redraws while training (ms). */
const LOSS_CHART_INTERVAL = 100;

/** Starts the worker (again, after a crash). */
export type WorkerFactory = () => Worker;

/** The training view and the {@linkcode TrainingContext} it shares. */
export class TrainingView implements TrainingContext {
  readonly #root: HTMLElement;
  readonly #createWorker: WorkerFactory;
  #worker!: Worker;
  #api!: Comlink.Remote<TrainingWorkerApi>;
  #workerGeneration = 0;
  #workerBroken = false;
  #queue: Promise<unknown> = Promise.resolve();

  #settings: PlaygroundSettings = defaultSettings();
  #snapshot: RunSnapshot | null = null;
  #run = -1;
  #playing = false;
  #history = new LossHistory();
  #latest: StepStats | null = null;
  /** The whole-set numbers of the latest report (`Trainer.report`). */
  #measured: TrainingReport | null = null;
  #stepCount = 0;
  #stepsPerSecond = 0;
  #pendingGrid: GridSnapshot | null = null;
  #lastLossChartDraw = -Infinity;
  #lossChartTimer: ReturnType<typeof setTimeout> | null = null;
  #renderPromise: Promise<void> | null = null;
  /** New runs asked for and not yet answered (only the last one is drawn). */
  #runRequests = 0;
  /** A run that was not drawn because newer settings were queued. */
  #skipped: RunSnapshot | null = null;
  /** The status line shows notes on the settings (see `notify`). */
  #notesShown = false;
  /** Why the run stopped, written with the next frame's counter. */
  #pendingStopReason: string | null = null;
  /**
   * Your points the generator's settings just replaced, and those settings
   * as they were: what the status line's "Bring back" restores.
   */
  #undo: { data: UserData; generator: Partial<TrainConfig> } | null = null;
  /** Your own points, or `null` for the generator's. */
  #userData: UserData | null = null;
  /** The `data=` of the link for `#userData` (`null`: none). */
  #dataLink: string | null = null;
  /** A new run on edited points is due (edits are coalesced). */
  #dataRunTimer: ReturnType<typeof setTimeout> | null = null;
  #editor!: DataEditor;
  #splitCache: {
    data: UserData;
    split: { train: Dataset; test: Dataset };
  } | null = null;

  #gridChart!: DecisionGridChart;
  #lossChart!: LossChart;
  #network: NetworkDiagram | null = null;
  #runListeners = new Set<(snapshot: RunSnapshot) => void>();
  #progressListeners = new Set<(report: ProgressReport) => void>();

  constructor(root: HTMLElement, createWorker: WorkerFactory) {
    this.#root = root;
    this.#createWorker = createWorker;
  }

  // ---- TrainingContext -------------------------------------------------

  config(): TrainConfig {
    return this.#settings.config;
  }

  data(): { train: Dataset; test: Dataset } {
    const snapshot = this.#snapshot;
    return snapshot ? { train: snapshot.train, test: snapshot.test } : {
      train: { x: [], y: [], classes: 2 },
      test: { x: [], y: [], classes: 2 },
    };
  }

  modelJson(): Promise<MLPJson> {
    return this.#enqueue(() => this.#api.modelJson());
  }

  onRun(listener: (snapshot: RunSnapshot) => void): () => void {
    this.#runListeners.add(listener);
    return () => this.#runListeners.delete(listener);
  }

  onProgress(listener: (report: ProgressReport) => void): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  worker(): Comlink.Remote<TrainingWorkerApi> {
    return this.#api;
  }

  /** The settings on screen (and in the URL). */
  get settings(): PlaygroundSettings {
    return this.#settings;
  }

  // ---- start-up ----------------------------------------------------------

  /**
   * Build the charts and the form, start the worker and the first run, then
   * the network diagram (it asks the worker for its grids).
   */
  async start(
    settings: PlaygroundSettings,
    data: UserData | null = null,
  ): Promise<void> {
    this.#settings = settings;
    // The worker loads its script while the page builds. Each stage below
    // is a task of its own, so the page's start-up never holds the main
    // thread for long (frames and input get in between).
    this.#startWorker();
    this.#useData(data);
    this.#gridChart = new DecisionGridChart(element("grid-chart"));
    this.#gridChart.setShowTest(settings.showTest);
    this.#editor = new DataEditor({
      editable: () => this.#editable(),
      split: () => ({
        seed: this.#settings.config.dataSeed,
        testFraction: this.#settings.config.testFraction,
      }),
      setData: (next) => this.#editData(next),
    });
    this.#gridChart.onEdit((edit) => this.#editor.edit(edit));
    // The neuron details' formula follows the pointer over the grid.
    this.#gridChart.onHover((point) => this.#network?.showPoint(point));
    await nextTask();
    this.#lossChart = new LossChart(element("loss-chart"), settings.logScale);
    await nextTask();
    fillMenus(document);
    fillFeatures();
    setControlLimits();
    this.#bindControls();
    this.#writeForm();
    applyHidden(settings.hide);
    await nextTask();
    await this.#enqueue(async () => {
      await this.#api.setSpeed(this.#settings.speed);
      await this.#api.setStopRule(this.#stopRule());
      this.#runRequests++;
      await this.#newRun(this.#settings.config);
    });
    await nextTask();
    // The diagram shows a hovered neuron through the grid chart's overlay.
    this.#network = mountNetworkDiagram(
      element("network-slot"),
      this,
      this.#gridChart.overlay,
    );
    globalThis.addEventListener("pagehide", () => this.#teardown());
  }

  #startWorker(): void {
    const generation = ++this.#workerGeneration;
    this.#worker = this.#createWorker();
    this.#workerBroken = false;
    this.#worker.addEventListener("error", (event) => {
      event.preventDefault();
      if (generation !== this.#workerGeneration) return;
      this.#workerFailed(event.message || "the worker script failed to load");
    });
    this.#worker.addEventListener("messageerror", () => {
      if (generation !== this.#workerGeneration) return;
      this.#workerFailed("a message from the worker could not be read");
    });
    this.#api = Comlink.wrap<TrainingWorkerApi>(this.#worker);
    // The one progress callback; released in #teardown / when replaced.
    const listener = Comlink.proxy((report: ProgressReport) =>
      this.#onReport(report)
    );
    void this.#api.setListener(listener);
  }

  #workerFailed(message: string): void {
    this.#workerBroken = true;
    this.#setPlaying(false);
    // Calls waiting on the dead worker will never answer: start a new queue.
    this.#queue = Promise.resolve();
    this.#showError(
      `The training worker stopped: ${message}`,
      "Press Reset to start a new worker with the same settings.",
    );
  }

  #teardown(): void {
    void this.#api.clearListener();
    this.#api[Comlink.releaseProxy]();
    this.#worker.terminate();
  }

  /** Run `task` after every earlier command; errors are shown, not thrown. */
  #enqueue<T>(task: () => Promise<T> | T): Promise<T> {
    const generation = this.#workerGeneration;
    const result = this.#queue.then(() => {
      if (generation !== this.#workerGeneration) {
        throw new Error("the worker was restarted");
      }
      return task();
    });
    this.#queue = result.catch((error) => {
      if (generation === this.#workerGeneration) this.#showThrown(error);
    });
    return result;
  }

  // ---- commands ------------------------------------------------------------

  togglePlay(): void {
    if (this.#playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.#workerBroken || this.#snapshot === null) return;
    if (this.#noPoints()) return;
    this.#clearError();
    setText("stop-reason", "");
    this.#pendingStopReason = null;
    this.#setPlaying(true);
    void this.#enqueue(() => this.#api.play()).catch(() =>
      this.#setPlaying(false)
    );
  }

  pause(): void {
    this.#setPlaying(false);
    void this.#enqueue(() => this.#api.pause()).catch(() => {});
  }

  step(): void {
    if (this.#workerBroken || this.#snapshot === null) return;
    if (this.#noPoints()) return;
    this.#setPlaying(false);
    void this.#enqueue(() => this.#api.step()).catch(() => {});
  }

  /** A fresh model with the current settings, at step 0, paused. */
  reset(): void {
    this.#setPlaying(false);
    this.#clearError();
    // What the status said was about the old run.
    this.#status("");
    if (this.#workerBroken) {
      this.#api[Comlink.releaseProxy]();
      this.#worker.terminate();
      this.#startWorker();
      void this.#enqueue(async () => {
        await this.#api.setSpeed(this.#settings.speed);
        await this.#api.setStopRule(this.#stopRule());
      }).catch(() => {});
    }
    void this.#requestRun(this.#settings.config, false).catch(() => {});
  }

  /**
   * Queue a new run with `config`, playing it if `resume` and the page is
   * (still) playing by then.
   */
  #requestRun(
    config: TrainConfig,
    resume: boolean,
    reason: string | null = null,
  ): Promise<void> {
    this.#runRequests++;
    let started = false;
    return this.#enqueue(async () => {
      started = true;
      await this.#newRun(config, reason);
      if (resume && this.#playing) await this.#api.play();
    }).finally(() => {
      // #newRun counts itself down; a task that never ran must too.
      if (!started) this.#runRequests--;
    });
  }

  /**
   * Apply new settings: a new run if the training config changed. The
   * status line says what was not used as given: `notes` (e.g. text a
   * control refused) and what the library's rules run differently.
   */
  applySettings(
    next: PlaygroundSettings,
    notes: readonly string[] = [],
    data?: UserData | null,
  ): void {
    const explained = [...notes, ...explainResolution(next.config)];
    // A note stays until the next change, which shows its own or none.
    if (explained.length > 0 || this.#notesShown) this.notify(explained);
    const settings = normalizeSettings(next);
    const previous = this.#settings;
    const before = this.#userData;
    // What becomes of your own points: the generator's settings bring the
    // generator back; a new test share re-splits them; otherwise they stay.
    const regenerated = data === undefined && before !== null &&
      generatorChanged(previous.config, settings.config);
    const resplitData = data === undefined && before !== null &&
        !regenerated &&
        previous.config.testFraction !== settings.config.testFraction
      ? resplit(before, settings.config.dataSeed, settings.config.testFraction)
      : null;
    // Points that stay must still fit: a change of the network or the batch
    // that makes them too many to train on is refused (the form goes back,
    // nothing else changes), as an upload that does not fit is.
    const kept = data === undefined && !regenerated
      ? resplitData ?? before
      : null;
    if (kept !== null && kept.x.length > 0) {
      const refusal = dataRefusal(settings.config, trainingShape(kept));
      if (refusal !== null) {
        this.#writeForm();
        this.notify([
          `That change was not made: your ${refusal}. Nothing was changed.`,
        ]);
        return;
      }
    }
    this.#settings = settings;
    this.#undo = null;
    if (data !== undefined) {
      this.#useData(data);
    } else if (regenerated) {
      // Your points can be brought back (the status line offers it).
      if (before.x.length > 0) {
        const generator: Partial<TrainConfig> = {};
        for (const key of GENERATOR_FIELDS) {
          Object.assign(generator, { [key]: previous.config[key] });
        }
        this.#undo = { data: before, generator };
      }
      this.#useData(null);
    } else if (resplitData !== null) {
      this.#useData(resplitData);
    }
    this.#writeForm();
    this.#writeHash();
    if (settings.speed !== previous.speed) {
      void this.#enqueue(() => this.#api.setSpeed(settings.speed)).catch(
        () => {},
      );
    }
    if (
      settings.stop.mode !== previous.stop.mode ||
      settings.stop.value !== previous.stop.value
    ) {
      const rule = this.#stopRule();
      void this.#enqueue(() => this.#api.setStopRule(rule)).catch(() => {});
    }
    if (settings.hide.join() !== previous.hide.join()) {
      applyHidden(settings.hide);
    }
    if (settings.chartWindow !== previous.chartWindow) this.#drawLossChart();
    if (settings.logScale !== previous.logScale) {
      this.#lossChart.setLogScale(
        settings.logScale,
        this.#history.columns(settings.logScale).data,
      );
    }
    if (settings.gridMode !== previous.gridMode) {
      this.#gridChart.setMode(settings.gridMode);
    }
    this.#gridChart.setShowTest(settings.showTest);
    if (this.#userData !== before) {
      const resume = this.#playing;
      this.#clearError();
      const reason = this.#undo === null
        ? "the data changed"
        : `the generator's data replaced your ${this.#undo.data.x.length} points`;
      void this.#requestRun(settings.config, resume, reason)
        .catch(() => this.#setPlaying(false));
    } else if (!sameConfig(settings.config, previous.config)) {
      this.#changeConfig(settings.config);
    }
  }

  /** The library's stop rule for the stop setting (its default if refused). */
  #stopRule(): StopRule {
    return stopRuleOf(this.#settings.stop) ?? { ...DEFAULT_STOP_RULE };
  }

  /**
   * A new training config: applied to the running model at its next step
   * when the library allows it (`Trainer.reconfigure`: the step counter,
   * the model and the loss curve go on), otherwise a new run, and the page
   * says which and why.
   */
  #changeConfig(config: TrainConfig): void {
    const resume = this.#playing;
    this.#runRequests++;
    let started = false;
    void this.#enqueue(async () => {
      started = true;
      let change: LiveChange | null = null;
      if (this.#snapshot !== null && !this.#workerBroken) {
        try {
          change = await this.#api.reconfigure(config);
        } catch {
          change = null; // refused: the new run below says why
        }
      }
      if (change?.live) {
        this.#runRequests--;
        this.#clearError();
        this.#liveChanged(change.changed, change.optimizerReset);
        return;
      }
      this.#clearError();
      await this.#newRun(config, change?.reason ?? null);
      if (resume && this.#playing) await this.#api.play();
    }).catch(() => this.#setPlaying(false)).finally(() => {
      if (!started) this.#runRequests--;
    });
  }

  /** Say what a live change did (the run goes on). */
  #liveChanged(changed: readonly string[], optimizerReset: boolean): void {
    if (changed.length === 0) return;
    this.#announce(
      `changed at step ${formatCount(this.#stepCount)}: ${changed.join(", ")}${
        optimizerReset ? " (new optimizer state)" : ""
      }; the run goes on.`,
    );
  }

  /** A message in the status line, after any notes on the settings. */
  /** A button in the status line that brings back the replaced points. */
  #offerUndo(): void {
    const undo = this.#undo;
    if (undo === null) return;
    const button = document.createElement("button");
    button.type = "button";
    button.id = "undo-data";
    button.textContent = `Bring back your ${undo.data.x.length} points`;
    button.addEventListener("click", () => {
      if (this.#undo !== undo) return;
      this.applySettings(
        {
          ...this.#settings,
          config: { ...this.#settings.config, ...undo.generator },
        },
        [],
        undo.data,
      );
    });
    element("status").append(" ", button);
  }

  #announce(message: string): void {
    const status = element("status");
    status.textContent = this.#notesShown && status.textContent
      ? `${status.textContent} ${message}`
      : message;
  }

  /**
   * Ask the worker for a new run and show it, saying why when `reason` is
   * given ("new run: the architecture changed"). Runs inside the queue.
   */
  async #newRun(
    config: TrainConfig,
    reason: string | null = null,
  ): Promise<void> {
    try {
      if (this.#playing) {
        // Keep the button honest until the new run starts playing again.
        await this.#api.pause();
      }
      const data = this.#userData;
      if (data !== null && data.x.length === 0) {
        this.#showNoPoints();
        return;
      }
      let snapshot: RunSnapshot;
      try {
        snapshot = await this.#api.reset(config, data);
      } catch (error) {
        // The library rejected the combination: go back to what worked.
        if (this.#skipped !== null) {
          this.#showRun(this.#skipped);
        } else if (this.#snapshot !== null) {
          this.#settings = { ...this.#settings, config: this.#snapshot.config };
          this.#writeForm();
          this.#writeHash();
        }
        throw error;
      }
      if (this.#runRequests > 1) {
        // Newer settings are already queued: skip drawing this run.
        this.#skipped = snapshot;
        return;
      }
      this.#showRun(snapshot);
      if (reason !== null) this.#announce(`new run: ${reason}.`);
      if (this.#undo !== null) this.#offerUndo();
    } finally {
      this.#runRequests--;
    }
  }

  #showRun(sent: RunSnapshot): void {
    // A run on your own points comes without them (the page has them).
    const snapshot = sent.own && this.#userData !== null
      ? { ...sent, ...this.#split(this.#userData) }
      : sent;
    this.#snapshot = snapshot;
    this.#skipped = null;
    this.#run = snapshot.run;
    // The Trainer may adjust the config (e.g. cross-entropy for 3 classes,
    // or the layers of a loaded model). Only then are the controls
    // rewritten, so a field being edited is not overwritten needlessly.
    const adjusted = normalizeSettings({
      ...this.#settings,
      config: snapshot.config,
    });
    if (!sameConfig(adjusted.config, this.#settings.config)) {
      this.#settings = adjusted;
      this.#writeForm();
    }
    this.#writeHash();
    this.#history.clear();
    this.#latest = snapshot.initial;
    this.#measured = snapshot.report;
    setText("stop-reason", "");
    this.#pendingStopReason = null;
    // The chart plots the whole-set numbers, as the numbers above it do.
    if (snapshot.report) this.#history.add(measuredPoint(snapshot.report));
    this.#stepCount = snapshot.stepCount;
    this.#stepsPerSecond = 0;
    this.#gridChart.setData(
      snapshot.train,
      snapshot.test,
      snapshot.grid.bounds,
    );
    this.#showTask(snapshot.task === "regression");
    this.#writeLegend(
      snapshot,
      Math.max(snapshot.train.classes, snapshot.test.classes, 2),
      snapshot.test.x.length > 0,
    );
    this.#pendingGrid = snapshot.grid;
    this.#showDataSummary();
    this.#render();
    for (const listener of this.#runListeners) listener(snapshot);
  }

  // ---- progress --------------------------------------------------------------

  /**
   * A report from the worker. The returned promise resolves once it is drawn:
   * the worker sends no new report until then, so reports never pile up.
   */
  #onReport(report: ProgressReport): Promise<void> {
    if (report.run !== this.#run) return Promise.resolve();
    if (report.stats.length > 0) {
      this.#latest = report.stats[report.stats.length - 1];
    }
    this.#stepCount = report.stepCount;
    this.#stepsPerSecond = report.stepsPerSecond;
    if (report.grid) this.#pendingGrid = report.grid;
    if (report.report !== null) {
      this.#measured = report.report;
      this.#history.add(measuredPoint(report.report));
    }
    if (report.stopReason !== null) {
      this.#setPlaying(false);
      // Shown with the counter it speaks of, in the same frame.
      this.#pendingStopReason = report.stopReason;
    }
    if (report.failure) {
      this.#setPlaying(false);
      this.#showError(divergenceMessage(report.failure), "");
    }
    for (const listener of this.#progressListeners) listener(report);
    return this.#renderSoon();
  }

  /** Draw in the next animation frame (or after 100 ms if frames are paused). */
  #renderSoon(): Promise<void> {
    if (this.#renderPromise) return this.#renderPromise;
    this.#renderPromise = new Promise<void>((resolve) => {
      let done = false;
      const draw = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#renderPromise = null;
        try {
          this.#render();
        } finally {
          resolve();
        }
      };
      const timer = setTimeout(draw, 100);
      requestAnimationFrame(draw);
    });
    return this.#renderPromise;
  }

  #render(): void {
    const latest = this.#latest;
    const config = this.#settings.config;
    const perSecond = this.#stepsPerSecond;
    setText("step-count", formatCount(this.#stepCount));
    if (this.#pendingStopReason !== null) {
      setText("stop-reason", this.#pendingStopReason);
      this.#pendingStopReason = null;
    }
    const snapshot = this.#snapshot;
    showNumbers(
      this.#measured,
      latest,
      snapshot?.train.x.length ?? 0,
      snapshot?.task === "regression",
    );
    showConfusion(this.#measured, snapshot?.train.classNames);
    setText("steps-per-second", formatRate(perSecond));
    setText(
      "nodes-per-step",
      latest && latest.nodes > 0
        ? latest.nodes.toLocaleString("en-US") +
          (latest.compiled ? " (tape)" : "")
        : MISSING,
    );
    setText(
      "current-learning-rate",
      latest && latest.step > 0
        ? String(+latest.learningRate.toPrecision(4))
        : String(config.learningRate),
    );
    this.#drawLossChartSoon();
    const grid = this.#pendingGrid;
    if (grid !== null) {
      this.#pendingGrid = null;
      this.#gridChart.setGrid(grid, config.loss);
    }
  }

  /**
   * Redraw the loss chart, at most every `LOSS_CHART_INTERVAL` ms: redrawing
   * thousands of points is the costliest part of a frame, and ten updates a
   * second look just as live. A trailing redraw always shows the latest step.
   */
  #drawLossChartSoon(): void {
    const wait = this.#lastLossChartDraw + LOSS_CHART_INTERVAL -
      performance.now();
    if (wait <= 0) {
      this.#drawLossChart();
    } else if (this.#lossChartTimer === null) {
      this.#lossChartTimer = setTimeout(() => this.#drawLossChart(), wait);
    }
  }

  #drawLossChart(): void {
    if (this.#lossChartTimer !== null) clearTimeout(this.#lossChartTimer);
    this.#lossChartTimer = null;
    this.#lastLossChartDraw = performance.now();
    const { chartWindow, stop, config } = this.#settings;
    const data = this.#history.columns(this.#settings.logScale).data;
    const steps = data[0];
    const last = steps.length > 0 ? steps[steps.length - 1] : 0;
    if (chartWindow !== null) {
      // Only the last N steps: the columns from the first step inside.
      const first = steps.findIndex((step) => step > last - chartWindow);
      const from = first < 0 ? steps.length : first;
      const shown = data.map((column) => column.slice(from)) as typeof data;
      this.#lossChart.setData(shown, [Math.max(0, last - chartWindow), last]);
      return;
    }
    // The x-axis covers the run: to the step it stops at, if it does.
    const end = stop.mode === "steps" ? stop.value ?? config.steps : 0;
    this.#lossChart.setData(data, [0, Math.max(end, last, 1)]);
  }

  /**
   * Name the numbers and the charts for the task: R² and MAE in place of
   * accuracy, MSE for the loss, for a regression.
   */
  #showTask(regression: boolean): void {
    setText("train-acc-name", regression ? "Train R²" : "Train acc.");
    setText("test-acc-name", regression ? "Test R²" : "Test acc.");
    for (
      const item of this.#root.querySelectorAll<HTMLElement>(".regression-only")
    ) {
      item.hidden = !regression;
    }
    setText("loss-heading", regression ? "MSE and R²" : "Loss and accuracy");
    setText("grid-heading", regression ? "Predicted value" : "Decision grid");
    this.#lossChart.setRegression(regression);
  }

  /**
   * The decision grid's legend: class colours (or, for a regression, the
   * colour key of the values), then train and test marks.
   */
  #writeLegend(snapshot: RunSnapshot, classes: number, hasTest: boolean): void {
    const item = (swatchClass: string, label: string, color?: string) => {
      const entry = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = `swatch ${swatchClass}`;
      swatch.setAttribute("aria-hidden", "true");
      if (color) swatch.style.background = color;
      entry.append(swatch, label);
      return entry;
    };
    const items: HTMLElement[] = [];
    const regression = snapshot.task === "regression";
    if (regression) {
      items.push(colorKey(this.#gridChart.scale));
    } else {
      const names = snapshot.train.classNames;
      for (let label = 0; label < classes; label++) {
        items.push(
          item(
            "class",
            names?.[label] ?? `class ${label}`,
            cssColor(classColor(label)),
          ),
        );
      }
    }
    items.push(item("filled", "train"));
    if (hasTest) items.push(item("outlined", "test"));
    const note = document.createElement("li");
    note.className = "legend-note";
    note.textContent = regression
      ? "Background: the predicted value; points: their target, on the same scale."
      : "Background: the predicted class (paler where the model is less sure).";
    items.push(note);
    element("grid-legend").replaceChildren(...items);
  }

  #setPlaying(playing: boolean): void {
    this.#playing = playing;
    const button = element<HTMLButtonElement>("play");
    button.setAttribute("aria-pressed", String(playing));
    button.querySelector<SVGElement>(".play-icon")?.toggleAttribute(
      "hidden",
      playing,
    );
    button.querySelector<SVGElement>(".pause-icon")?.toggleAttribute(
      "hidden",
      !playing,
    );
    button.querySelector(".play-label")!.textContent = playing
      ? "Pause"
      : "Play";
  }

  // ---- messages --------------------------------------------------------------

  #showError(message: string, hint: string): void {
    // Text only: messages may quote values that came from a file or the URL.
    element("error").textContent = hint ? `${message}\n${hint}` : message;
  }

  #showThrown(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#showError(
      message,
      "The page still works: change a setting or press Reset.",
    );
  }

  #clearError(): void {
    element("error").textContent = "";
  }

  #status(message: string): void {
    element("status").textContent = message;
    this.#notesShown = false;
  }

  /**
   * Tell the visitor what was not used as given (a link's malformed field,
   * a control's refused text), in the status line. Text only.
   */
  notify(notes: readonly string[]): void {
    this.#status(notes.join(" "));
    this.#notesShown = notes.length > 0;
  }

  // ---- URL -------------------------------------------------------------------

  #writeHash(): void {
    const data = this.#dataLink;
    const own = formatHash(this.#settings) +
      (data === null ? "" : `&data=${data}`);
    // Other views' keys (the explorer's program, lesson, …) stay.
    const hash = mergeHash(location.hash, own);
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  /** Record the selected view in the URL. */
  setView(view: string): void {
    this.#settings = { ...this.#settings, view };
    this.#writeHash();
  }

  /** The training tab is shown again: the diagram skipped updates while hidden. */
  shown(): void {
    this.#network?.update();
  }

  // ---- controls ----------------------------------------------------------------

  #changeHidden(change: (hidden: number[]) => void): void {
    const next = { ...this.#settings, config: { ...this.#settings.config } };
    const hidden = [...next.config.hidden];
    change(hidden);
    next.config.hidden = hidden;
    const active = document.activeElement;
    this.applySettings(next);
    // A layer button pressed from the keyboard up to its limit is disabled
    // (and loses the focus): the keyboard goes to the other one.
    for (
      const [id, other] of [["add-layer", "remove-layer"], [
        "remove-layer",
        "add-layer",
      ]]
    ) {
      const button = element<HTMLButtonElement>(id);
      if (active === button && button.disabled) element(other).focus();
    }
  }

  #bindControls(): void {
    const root = this.#root;
    for (const form of root.querySelectorAll("form")) {
      form.addEventListener("submit", (event) => event.preventDefault());
    }
    element("play").addEventListener("click", () => this.togglePlay());
    element("step").addEventListener("click", () => this.step());
    element("reset").addEventListener("click", () => this.reset());
    // Settings apply when a control is committed ("change"); sliders show
    // their value while dragging ("input").
    root.addEventListener("change", (event) => {
      const target = event.target as HTMLElement;
      if (target.id === "load" || target.id === "upload-data") return;
      if (target.classList.contains("neuron-count")) {
        this.#typedNeurons(target as HTMLInputElement);
        return;
      }
      if (
        !(target.closest(".panel") || target.closest(".toolbar"))
      ) return;
      const { settings, notes } = readForm(this.#settings);
      this.applySettings(settings, notes);
    });
    root.addEventListener("input", (event) => {
      const target = event.target as HTMLInputElement;
      showSliderValue(target.id, Number(target.value));
    });
    element("regenerate").addEventListener("click", () => {
      if (this.#userData !== null) {
        // Your own points go; the generator comes back as it was.
        this.applySettings(this.#settings, [], null);
        return;
      }
      const config = this.#settings.config;
      const dataSeed = config.dataSeed >= LIMITS.dataSeed.max
        ? 0
        : config.dataSeed + 1;
      this.applySettings({
        ...this.#settings,
        config: { ...config, dataSeed },
      });
    });
    element("add-layer").addEventListener(
      "click",
      () =>
        this.#changeHidden((hidden) => {
          if (hidden.length < LIMITS.layers.max) {
            hidden.push(hidden.at(-1) ?? 4);
          }
        }),
    );
    element("remove-layer").addEventListener(
      "click",
      () =>
        this.#changeHidden((hidden) => {
          if (hidden.length > LIMITS.layers.min) hidden.pop();
        }),
    );
    element("layers").addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest("button");
      if (button === null || button.dataset.layer === undefined) return;
      const index = Number(button.dataset.layer);
      const change = Number(button.dataset.change);
      this.#changeHidden((hidden) => {
        const size = hidden[index] + change;
        if (size >= LIMITS.neurons.min && size <= LIMITS.neurons.max) {
          hidden[index] = size;
        }
      });
    });
    element("save").addEventListener("click", () => this.#save());
    for (const format of ["pytorch", "typescript"] as const) {
      element(`export-${format}`).addEventListener(
        "click",
        () => void this.#export(format),
      );
    }
    element<HTMLInputElement>("load").addEventListener("change", (event) => {
      const input = event.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = ""; // so choosing the same file again fires "change"
      if (file) void this.#load(file);
    });
    document.addEventListener("keydown", (event) => this.#onKey(event));
    // A focused button or checkbox acts on Space's keyup: Space is Play's.
    document.addEventListener("keyup", (event) => {
      if (isSpace(event) && !isTextField(event.target)) event.preventDefault();
    });
    this.#bindDataControls();
  }

  /** A neuron count typed into a layer's box (1 to 32, whole). */
  #typedNeurons(input: HTMLInputElement): void {
    const index = Number(input.dataset.layer);
    const size = Number(input.value);
    const { min, max } = LIMITS.neurons;
    if (!Number.isInteger(size) || size < min || size > max) {
      this.notify([
        `Layer ${index + 1}: "${
          input.value.slice(0, 40)
        }" neurons was not used: it must be a whole number from ${min} to ${max}.`,
      ]);
      this.#writeForm();
      return;
    }
    this.#changeHidden((hidden) => {
      hidden[index] = size;
    });
  }

  #onKey(event: KeyboardEvent): void {
    if (this.#root.hidden || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTextField(event.target)) return;
    if (isSpace(event)) {
      // Whatever has focus (a button just clicked, a checkbox): Space is
      // Play/Pause, never a second click of that control.
      event.preventDefault();
      if (!event.repeat) this.togglePlay();
    } else if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      this.step();
    } else if (/^[1-9]$/.test(event.key)) {
      event.preventDefault();
      this.#editor.select(Number(event.key) - 1);
    }
  }

  // ---- your own points ---------------------------------------------------------

  /**
   * Use `data` (your own points, or `null` for the generator's): kept as a
   * link carries them, written to the link (or to local storage when there
   * are too many for a link, which the page then says).
   */
  #useData(data: UserData | null): void {
    const kept = data === null ? null : linkable(data);
    this.#userData = kept;
    const { value, stored } = writeLinkData(kept, null);
    this.#dataLink = value;
    // Storing thousands of points is a task of its own (after drawing).
    setTimeout(() => {
      if (this.#userData === kept) writeLinkData(kept, pageStorage());
    }, 0);
    const note = document.getElementById("data-note");
    if (note !== null) {
      note.textContent = stored && kept !== null
        ? `Your ${kept.x.length} points are kept in this browser (local storage): the link no longer carries them.`
        : "";
    }
  }

  /** Write the form (with the shape of your own points, if any). */
  #writeForm(): void {
    const data = this.#userData;
    writeForm(
      this.#settings,
      data === null || data.x.length === 0 ? undefined : trainingShape(data),
    );
  }

  /** The points to edit: your own, or the current run's made your own. */
  #editable(): UserData | null {
    if (this.#userData !== null) return this.#userData;
    const snapshot = this.#snapshot;
    if (snapshot === null) return null;
    return fromRun(snapshot.train, snapshot.test, snapshot.grid.bounds);
  }

  /**
   * Points were edited: pause, show them now, and run on them soon. Points
   * this network cannot train on (too many for a full batch) are refused,
   * named by `what` in `#data-error`, and nothing changes; returns whether
   * they were used.
   */
  #editData(
    data: UserData,
    drawLater = false,
    what = "The edited points",
  ): boolean {
    const refusal = data.x.length === 0
      ? null
      : dataRefusal(this.#settings.config, trainingShape(data));
    if (refusal !== null) {
      element("data-error").textContent =
        `${what} were not used: ${refusal}. Nothing was changed.`;
      return false;
    }
    this.#setPlaying(false);
    element("data-error").textContent = "";
    // The status spoke of the points before this edit.
    this.#status("");
    this.#undo = null;
    this.#useData(data);
    this.#writeHash();
    this.#writeForm();
    // Thousands of uploaded points: drawing them is a task of its own, so
    // no single task holds the page for long.
    if (drawLater) setTimeout(() => this.#showPoints(), 0);
    else this.#showPoints();
    // A drag edits many times a second: one new run for a burst of edits.
    if (this.#dataRunTimer !== null) return true;
    this.#dataRunTimer = setTimeout(() => {
      this.#dataRunTimer = null;
      this.#clearError();
      void this.#requestRun(this.#settings.config, false).catch(() => {});
    }, 40);
    return true;
  }

  /** Your points' training and test sets (computed once per edit). */
  #split(data: UserData): { train: Dataset; test: Dataset } {
    const cached = this.#splitCache;
    if (cached?.data === data) return cached.split;
    const split = splitData(data);
    this.#splitCache = { data, split };
    return split;
  }

  /** Draw your points at once (the run on them follows). */
  #showPoints(): void {
    const data = this.#userData;
    if (data === null) return;
    const { train, test } = this.#split(data);
    this.#gridChart.setData(train, test, data.bounds);
    this.#showDataSummary();
  }

  /** Whether there is nothing to train on (all points cleared). */
  #noPoints(): boolean {
    const data = this.#userData;
    if (data === null || data.x.length > 0) return false;
    this.#status("There are no points: click the grid to add some.");
    return true;
  }

  /** No points at all: nothing to train; the grid waits for clicks. */
  #showNoPoints(): void {
    this.#setPlaying(false);
    this.#showPoints();
    this.#history.clear();
    this.#latest = null;
    this.#measured = null;
    this.#stepCount = 0;
    this.#render();
    this.#status("There are no points: click the grid to add some.");
  }

  /** The point count, where the points come from, and the class picker. */
  #showDataSummary(): void {
    const data = this.#userData;
    const snapshot = this.#snapshot;
    const count = data !== null
      ? data.x.length
      : (snapshot?.train.x.length ?? 0) + (snapshot?.test.x.length ?? 0);
    setText("point-count", String(count));
    setText(
      "data-source",
      data === null
        ? `generated (${this.#settings.config.dataset})`
        : "your own (Regenerate brings the generator back)",
    );
    const task = data?.task ?? snapshot?.task ?? "classification";
    const classes = data?.classes ??
      Math.max(snapshot?.train.classes ?? 2, snapshot?.test.classes ?? 2);
    this.#editor.show(
      task,
      classes,
      data?.classNames ?? snapshot?.train.classNames,
    );
  }

  #bindDataControls(): void {
    element("clear-data").addEventListener("click", () => {
      const current = this.#editable();
      if (current === null) return;
      this.#editData(emptyData(current.task, current.bounds));
    });
    element<HTMLInputElement>("upload-data").addEventListener(
      "change",
      (event) => {
        const input = event.target as HTMLInputElement;
        const file = input.files?.[0];
        input.value = ""; // so choosing the same file again fires "change"
        if (file) void this.#upload(file);
      },
    );
    element("download-data").addEventListener(
      "click",
      () => void this.#downloadData(),
    );
    const grid = element("grid-chart");
    grid.addEventListener("dragover", (event) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      grid.classList.add("drop-target");
    });
    grid.addEventListener(
      "dragleave",
      () => grid.classList.remove("drop-target"),
    );
    grid.addEventListener("drop", (event) => {
      grid.classList.remove("drop-target");
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void this.#upload(file);
    });
  }

  /**
   * Read a CSV file of points in the worker (a large file never blocks the
   * page: the worker also splits them and finds their rectangle) and train
   * on them; a malformed file changes nothing and says
   * where and why in `#data-error`.
   */
  async #upload(file: File): Promise<void> {
    let reading: DataReading;
    try {
      const { dataSeed, testFraction } = this.#settings.config;
      reading = await this.#enqueue((): Promise<DataReading> =>
        this.#api.parseData(file, dataSeed, testFraction)
      );
    } catch {
      return; // #enqueue showed the error
    }
    if (!reading.ok) {
      element("data-error").textContent =
        `${file.name} was not used: ${reading.message}. Nothing was changed.`;
      return;
    }
    // Receiving up to 10,000 points is one task (the message's copy);
    // drawing them starts another, so neither holds the page for long.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const count = reading.data.x.length;
    if (
      !this.#editData(reading.data, true, `The ${count} points of ${file.name}`)
    ) {
      return;
    }
    this.#status(
      `Loaded ${count} point${count === 1 ? "" : "s"} from ${file.name}.`,
    );
  }

  /** Download the current points as CSV (the library's `toCsv`). */
  async #downloadData(): Promise<void> {
    let text: string;
    try {
      const data = this.#userData;
      text = data !== null
        ? toCsv(toDataset(data))
        : await this.#enqueue(() => this.#api.dataCsv());
    } catch (error) {
      if (this.#userData !== null) this.#showThrown(error);
      return;
    }
    downloadText(
      text,
      "text/csv",
      this.#userData === null
        ? `micrograd-${this.#settings.config.dataset}-seed${this.#settings.config.dataSeed}.csv`
        : "micrograd-points.csv",
    );
  }

  /** Download the current model as PyTorch or TypeScript source. */
  async #export(format: ExportFormat): Promise<void> {
    let text: string;
    try {
      text = await this.#enqueue(() => this.#api.exportModel(format));
    } catch {
      return; // #enqueue showed the error
    }
    const name =
      `micrograd-${this.#settings.config.dataset}-step${this.#stepCount}.${
        format === "pytorch" ? "py" : "ts"
      }`;
    downloadText(text, "text/plain", name);
    this.#status(`Exported the model at step ${this.#stepCount} as ${name}.`);
  }

  // ---- save / load ----------------------------------------------------------

  async #save(): Promise<void> {
    try {
      const json = await this.#enqueue(() => this.#api.modelJson());
      const text = JSON.stringify(json, null, 2) + "\n";
      const config = this.#settings.config;
      const name = `micrograd-${config.dataset}-${
        json.sizes.join("-")
      }-step${this.#stepCount}.json`;
      downloadText(text, "application/json", name);
      this.#status(`Saved the weights at step ${this.#stepCount} as ${name}.`);
    } catch {
      // #enqueue already showed the error.
    }
  }

  async #load(file: File): Promise<void> {
    const parsed = await parseWeightsFile(file);
    if (!parsed.ok) {
      this.#showError(parsed.message, "Nothing was changed.");
      return;
    }
    try {
      // The worker validates everything before it touches the current run,
      // so a rejected file leaves the run (even a playing one) as it was.
      const snapshot = await this.#enqueue(() =>
        this.#api.loadModel(parsed.json)
      );
      this.#setPlaying(false);
      this.#clearError();
      this.#showRun(snapshot);
      this.#status(`Loaded the weights from ${file.name}.`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#showError(
        `Could not load ${file.name}: ${message}`,
        "Nothing was changed.",
      );
    }
  }
}

/** Whether a key event is the space bar. */
function isSpace(event: KeyboardEvent): boolean {
  return event.key === " " || event.code === "Space";
}

/** Input types that take typed text (Space is a character there). */
const TEXT_INPUTS = new Set([
  "text",
  "number",
  "search",
  "email",
  "url",
  "password",
  "tel",
]);

/** Whether the key goes to a text field (or a menu) rather than the page. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.type);
  return target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}
