/**
 * Plugs the explorer into the playground: imported once by `main.ts`, it
 * adds the "Graph explorer" tab (a view in `EXTRA_VIEWS`), whose "one
 * training example" preset reads the training view's current data and
 * weights.
 *
 * The explorer keeps its program in the page address (`explorer/hash.ts`).
 * The training view rewrites the whole address with its own keys (at start,
 * on a tab change, on new settings), so the address is read here, when the
 * module loads, before that happens, and the explorer writes its keys back
 * right after each such rewrite it can see (a tab shown or hidden, an
 * address edited by the visitor).
 *
 * @module
 */

import { EXTRA_VIEWS, type TrainingContext } from "../shared/views.ts";
import type { TrainingExample } from "./presets.ts";
import { type ExplorerHandle, mountExplorer } from "./view.ts";

/** One point of the current training set through the current weights. */
async function currentTrainingExample(
  training: TrainingContext,
  index: number,
): Promise<TrainingExample | null> {
  const { train } = training.data();
  const count = train.x.length;
  if (count === 0) return null;
  const wrapped = ((Math.floor(index) % count) + count) % count;
  const model = await training.modelJson();
  return {
    model,
    point: train.x[wrapped],
    label: train.y[wrapped],
    loss: training.config().loss,
    index: wrapped,
    count,
  };
}

let explorer: ExplorerHandle | null = null;

/** The address as the page opened, before the training view rewrites it. */
const initialHash = globalThis.location?.hash ?? "";

/** After the training view has rewritten the address: put ours back. */
function restoreAddress(): void {
  setTimeout(() => explorer?.writeAddress(), 0);
}

// Registered now, before main.ts's own listener (which rewrites the
// address), so the visitor's edit is read as they typed it.
globalThis.addEventListener?.("hashchange", () => {
  const edited = globalThis.location.hash;
  explorer?.readAddress(edited);
  restoreAddress();
});

EXTRA_VIEWS.push({
  id: "explorer",
  title: "Graph explorer",
  mount(container, context) {
    const training = context.training;
    explorer = mountExplorer(container, {
      trainingExample: (index) => currentTrainingExample(training, index),
      address: { initialHash },
    });
  },
  show() {
    explorer?.fit();
    restoreAddress();
  },
  hide() {
    restoreAddress();
  },
});
