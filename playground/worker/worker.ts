/**
 * The training worker: a module Web Worker that exposes a
 * {@linkcode TrainingSession} with Comlink. All training happens here, with
 * the library's `Trainer`; the page only sends commands and draws reports.
 * Built as its own esbuild entry (`worker.js`, see `build.ts`).
 *
 * @module
 */

import * as Comlink from "comlink";
import type {
  ProgressListener,
  ProgressReport,
  TrainingWorkerApi,
} from "./protocol.ts";
import { type SessionHost, TrainingSession } from "./session.ts";
import { makeYield } from "../shared/next_task.ts";

const host: SessionHost = {
  now: () => performance.now(),
  yieldToEventLoop: makeYield(),
  sleep: (milliseconds) =>
    new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

const session = new TrainingSession(host);

/** The page's progress callback: a Comlink proxy, released when replaced or cleared. */
let listener: Comlink.Remote<ProgressListener> | null = null;

function releaseListener(): void {
  session.setSender(null);
  listener?.[Comlink.releaseProxy]();
  listener = null;
}

/** The exposed API: the session, with the listener wrapped to transfer grids. */
const api: TrainingWorkerApi = {
  reset: (config, data) => transferGrid(session.reset(config, data)),
  parseData: (file, seed, fraction) => session.parseData(file, seed, fraction),
  dataCsv: () => session.dataCsv(),
  play: () => session.play(),
  pause: () => session.pause(),
  step: () => session.step(),
  setSpeed: (speed) => session.setSpeed(speed),
  reconfigure: (config) => session.reconfigure(config),
  setStopRule: (rule) => session.setStopRule(rule),
  exportModel: (format) => session.exportModel(format),
  setListener(callback: ProgressListener) {
    releaseListener();
    // Comlink hands us the page's Comlink.proxy as a Remote; calling it
    // resolves once the page has handled (drawn) the report.
    const remote = callback as unknown as Comlink.Remote<ProgressListener>;
    listener = remote;
    session.setSender((report: ProgressReport) =>
      remote(
        report.grid
          ? Comlink.transfer(report, [report.grid.values.buffer])
          : report,
      )
    );
  },
  clearListener: () => releaseListener(),
  modelJson: () => session.modelJson(),
  neuronGrids(resolution) {
    const snapshot = session.neuronGrids(resolution);
    // A feature x or y shares its buffer with the inputs: each buffer
    // may be listed once only.
    const buffers = new Set(
      [...snapshot.inputs, ...snapshot.features, ...snapshot.layers.flat()]
        .map((grid) => grid.buffer),
    );
    return Comlink.transfer(snapshot, [...buffers]);
  },
  parameterGradients: () => session.parameterGradients(),
  loadModel: (json) => transferGrid(session.loadModel(json)),
  // Neuron details (issue 10, "the arithmetic behind the diagram").
  neuronDetails: (layer, neuron, point, gradients) =>
    session.neuronDetails(layer, neuron, point, gradients),
  setParameter: (layer, neuron, input, value) =>
    session.setParameter(layer, neuron, input, value),
};

/** Move (not copy) the grid's buffer to the page along with a snapshot. */
function transferGrid<T extends { grid: { values: Float64Array } }>(
  snapshot: T,
): T {
  return Comlink.transfer(snapshot, [snapshot.grid.values.buffer]);
}

Comlink.expose(api);
