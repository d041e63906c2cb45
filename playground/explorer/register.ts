/**
 * Plugs the explorer into the playground: imported once by `main.ts`, it
 * adds the "Graph explorer" tab (a view in `EXTRA_VIEWS`), whose "one
 * training example" preset reads the training view's current data and
 * weights.
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

EXTRA_VIEWS.push({
  id: "explorer",
  title: "Graph explorer",
  mount(container, context) {
    const training = context.training;
    explorer = mountExplorer(container, {
      trainingExample: (index) => currentTrainingExample(training, index),
    });
  },
  show() {
    explorer?.fit();
  },
});
