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

import { defaultSettings } from "../shared/settings.ts";
import { formatHash } from "../shared/url_hash.ts";
import { EXTRA_VIEWS, type TrainingContext } from "../shared/views.ts";
import type { ProgressStorage, TrainingSummary } from "./lessons.ts";
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

/**
 * micrograd's moons demo in the training view: the playground's default
 * settings (which are that demo), as a link that also switches the tab.
 */
function moonsDemoLink(): string {
  return `#view=training&${formatHash(defaultSettings()).slice(1)}`;
}

/** The page's local storage, or null where it is not available. */
function localProgressStorage(): ProgressStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // e.g. storage disabled: reading the property throws
  }
}

/** Follows the training view's reports, for the last lesson's check. */
function followTraining(training: TrainingContext): () => TrainingSummary {
  let steps = 0;
  let trainAccuracy = NaN;
  training.onRun((snapshot) => {
    steps = snapshot.stepCount;
    trainAccuracy = snapshot.initial?.trainAccuracy ?? NaN;
  });
  training.onProgress((report) => {
    steps = report.stepCount;
    const last = report.stats[report.stats.length - 1];
    if (last) trainAccuracy = last.trainAccuracy;
  });
  return () => ({ dataset: training.config().dataset, steps, trainAccuracy });
}

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
      trainingReports: (listener) => {
        const progress = training.onProgress((report) =>
          listener(report.running)
        );
        const runs = training.onRun(() => listener(undefined));
        return () => {
          progress();
          runs();
        };
      },
      address: { initialHash },
      lessons: {
        moonsLink: moonsDemoLink(),
        training: followTraining(training),
        storage: localProgressStorage(),
      },
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
