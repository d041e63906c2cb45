/**
 * The playground page: start the training worker, the training view and any
 * extra views (tabs), and keep the URL hash in sync. Training itself happens
 * only in the worker (`worker.ts`).
 *
 * @module
 */

import { TrainingView } from "./training_view.ts";
// Adds the "Graph explorer" tab and the network diagram (EXTRA_VIEWS).
import "./explorer/register.ts";
import { parseHash } from "./url_state.ts";
import {
  EXTRA_VIEWS,
  type PlaygroundContext,
  type PlaygroundView,
  setUpViews,
} from "./views.ts";

function createWorker(): Worker {
  // A separate esbuild entry, emitted next to main.js as worker.js.
  return new Worker(new URL("./worker.js", import.meta.url), {
    type: "module",
  });
}

async function start(): Promise<void> {
  const settings = parseHash(location.hash);
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
  };
  const views = [trainingView, ...EXTRA_VIEWS];
  const known = (id: string): string =>
    views.some((view) => view.id === id) ? id : "training";
  const select = setUpViews(views, tabs, parent, (id) => {
    select(id);
    training.setView(id);
  });

  await training.start({ ...settings, view: known(settings.view) });

  const context: PlaygroundContext = { training };
  for (const view of EXTRA_VIEWS) {
    const container = document.getElementById(`${view.id}-view`);
    if (container) await view.mount(container, context);
  }
  // Show the view from the URL once every view is mounted.
  select(known(settings.view));

  globalThis.addEventListener("hashchange", () => {
    // The visitor edited the address or went back: apply all of it.
    const parsed = parseHash(location.hash);
    const view = known(parsed.view);
    training.applySettings({ ...parsed, view });
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
