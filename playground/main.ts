/**
 * The playground page: start the training worker, the training view and any
 * extra views (tabs), and keep the URL hash in sync. Training itself happens
 * only in the worker (`worker/worker.ts`). The folders are one per feature:
 * `worker/` (the worker, its session and the messages), `training/` (the
 * training view, its form, charts and network diagram), `explorer/` (the
 * graph explorer), and `shared/` (settings, URL codec, colours, the heat-map
 * painter, number formats, the views registry, weights files).
 *
 * @module
 */

// Adds the "Graph explorer" tab (EXTRA_VIEWS).
import "./explorer/register.ts";
import type { TrainConfig } from "../src/config.ts";
import { pageStorage, readLinkData } from "./shared/data_link.ts";
import { dataRefusal } from "./shared/settings.ts";
import { makeYield } from "./shared/next_task.ts";
import { readHash } from "./shared/url_hash.ts";
import { trainingShape, type UserData } from "./shared/user_data.ts";
import {
  EXTRA_VIEWS,
  type PlaygroundContext,
  type PlaygroundView,
  setUpViews,
} from "./shared/views.ts";
import { TrainingView } from "./training/training_view.ts";

const nextTask = makeYield();

/** The worker's bundle: the `worker` entry of `build.ts`, next to main.js. */
const WORKER_BUNDLE = "./worker.js";

function createWorker(): Worker {
  // esbuild does not follow new URL("./worker/worker.ts", import.meta.url):
  // the worker is built as its own entry and started by its output name.
  return new Worker(new URL(WORKER_BUNDLE, import.meta.url), {
    type: "module",
  });
}

/**
 * Your own points in a hash (`data=`), and what could not be read; points
 * the link's network cannot train on (too many for a full batch) are not
 * used either, and the note says why, so a page never fails to start.
 */
function readData(
  hash: string,
  config: TrainConfig,
): { data: UserData | null; notes: string[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const { data, notes } = readLinkData(params.get("data"), pageStorage());
  if (data === null || data.x.length === 0) return { data, notes };
  const refusal = dataRefusal(config, trainingShape(data));
  if (refusal === null) return { data, notes };
  return {
    data: null,
    notes: [
      ...notes,
      `Your ${data.x.length} points were not used: ${refusal}; showing the generated data. The link you opened still carries them: open it with a smaller network or a batch size to train on them.`,
    ],
  };
}

async function start(): Promise<void> {
  // Evaluating the bundle is one task; the page is built in the next ones.
  await nextTask();
  const { settings, notes: settingNotes } = readHash(location.hash);
  const { data, notes: dataNotes } = readData(location.hash, settings.config);
  const notes = [...settingNotes, ...dataNotes];
  const trainingRoot = document.getElementById("training-view");
  const tabs = document.getElementById("tabs");
  const parent = document.getElementById("views");
  if (trainingRoot === null || tabs === null || parent === null) {
    throw new Error(
      "playground: the page is missing #training-view, #tabs or #views",
    );
  }
  const training = new TrainingView(trainingRoot, createWorker);
  const trainingView: PlaygroundView = {
    id: "training",
    title: "Training",
    mount: () => {},
    show: () => training.shown(),
  };
  const views = [trainingView, ...EXTRA_VIEWS];
  const known = (id: string): string =>
    views.some((view) => view.id === id) ? id : "training";
  const select = setUpViews(views, tabs, parent, (id) => {
    select(id);
    training.setView(id);
  });

  await training.start({ ...settings, view: known(settings.view) }, data);
  // What the link said that is not used (each such field took its default).
  if (notes.length > 0) training.notify(notes);

  const context: PlaygroundContext = { training };
  for (const view of EXTRA_VIEWS) {
    const container = document.getElementById(`${view.id}-view`);
    // Each view is built in a task of its own (no long start-up task).
    await nextTask();
    if (container) await view.mount(container, context);
  }
  // Show the view from the URL once every view is mounted.
  select(known(settings.view));

  globalThis.addEventListener("hashchange", () => {
    // The visitor edited the address or went back: apply all of it.
    const { settings: parsed, notes } = readHash(location.hash);
    const { data, notes: dataNotes } = readData(location.hash, parsed.config);
    const view = known(parsed.view);
    training.applySettings({ ...parsed, view }, [...notes, ...dataNotes], data);
    select(view);
  });
}

start().catch((error) => {
  const box = document.getElementById("error");
  const message = error instanceof Error ? error.message : String(error);
  if (box) {
    box.textContent =
      `The playground could not start: ${message}\nReload the page to try again.`;
  }
});
