/**
 * The training numbers in words and tables: the whole-set numbers of the
 * library's `Trainer.report` (train and test measured alike, the penalty
 * apart), the last batch's numbers when a batch is smaller than the
 * training set, the confusion matrices, and the divergence message.
 * {@linkcode divergenceMessage} and {@linkcode batchShown} are plain
 * functions (tested directly); the rest writes the page.
 *
 * @module
 */

import type { ConfusionMatrix } from "../../src/metrics.ts";
import type { StepStats, TrainingReport } from "../../src/train.ts";
import { formatAccuracy, formatLoss } from "../shared/format.ts";
import type { TrainingFailure } from "../worker/protocol.ts";
import { element, setText } from "./dom.ts";

/** What each likely cause of a divergence is, in words. */
const CAUSES = {
  learningRate: "the learning rate is too large for these weights",
  data: "a training point or label is not a finite number",
  weight: "a weight of the model is not a finite number",
} as const;

/**
 * The page's message for a run that stopped on an error: for a divergence
 * one sentence naming the step the counter shows (the steps completed; the
 * next step's loss was not finite), the likely cause with the library's
 * hint once (it names the learning rate of that step's update, the one the
 * page's learning-rate readout shows), and what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { divergenceMessage } from "./numbers.ts";
 * const message = divergenceMessage({
 *   name: "DivergenceError",
 *   message: "training diverged at step 8: the loss became Infinity",
 *   hint: "lower the learning rate, currently 50",
 *   step: 8,
 *   completed: 7,
 *   kind: "learningRate",
 *   learningRate: 50,
 *   value: Infinity,
 * });
 * assert.equal(
 *   message,
 *   "Training diverged after step 7: the next step's loss became Infinity.\n" +
 *     "Likely cause: the learning rate is too large for these weights; lower the learning rate, currently 50.\n" +
 *     "Press Reset to start a new run.",
 * );
 * ```
 */
export function divergenceMessage(failure: TrainingFailure): string {
  if (failure.name !== "DivergenceError" || failure.kind === null) {
    return `Training stopped at step ${failure.completed}: ${failure.message}\n${failure.hint}`;
  }
  return [
    `Training diverged after step ${failure.completed}: the next step's loss became ${failure.value}.`,
    `Likely cause: ${CAUSES[failure.kind]}; ${failure.hint}.`,
    "Press Reset to start a new run.",
  ].join("\n");
}

/**
 * Whether the last step's batch was smaller than the training set (then
 * its numbers are shown apart, labelled as the batch's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchShown } from "./numbers.ts";
 * assert.equal(batchShown({ step: 3, batchSize: 1 } as never, 80), true);
 * assert.equal(batchShown({ step: 3, batchSize: 80 } as never, 80), false);
 * assert.equal(batchShown(null, 80), false);
 * ```
 */
export function batchShown(
  latest: StepStats | null,
  trainSize: number,
): boolean {
  return latest !== null && latest.step > 0 &&
    latest.batchSize !== undefined && latest.batchSize < trainSize;
}

/**
 * Write the numbers: train and test from the report (the whole sets, with
 * the current weights), the penalty, and the last batch's when
 * {@linkcode batchShown}.
 */
export function showNumbers(
  report: TrainingReport | null,
  latest: StepStats | null,
  trainSize: number,
  regression: boolean,
): void {
  const train = report?.train ?? null;
  const test = report?.test ?? null;
  setText("train-loss", formatLoss(train?.loss));
  setText("test-loss", formatLoss(test?.loss));
  setText("regularization-loss", formatLoss(report?.regularizationLoss));
  if (regression) {
    setText("train-acc", formatAccuracy(train?.r2));
    setText("test-acc", formatAccuracy(test?.r2));
    setText("train-mae", formatLoss(train?.meanAbsoluteError));
    setText("test-mae", formatLoss(test?.meanAbsoluteError));
  } else {
    setText("train-acc", formatAccuracy(train?.accuracy));
    setText("test-acc", formatAccuracy(test?.accuracy));
  }
  const batch = batchShown(latest, trainSize);
  for (const item of document.querySelectorAll<HTMLElement>(".batch-only")) {
    if (item.hidden === batch) item.hidden = !batch;
  }
  if (batch && latest !== null) {
    setText("batch-loss", formatLoss(latest.dataLoss));
    setText("batch-acc-name", regression ? "Batch R²" : "Batch acc.");
    setText(
      "batch-acc",
      formatAccuracy(regression ? latest.r2 : latest.trainAccuracy),
    );
  }
}

/** The heading row: the predicted classes. */
function headRow(names: readonly string[], set: string): HTMLTableRowElement {
  const row = document.createElement("tr");
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.textContent = `${set}: actual \\ predicted`;
  row.append(corner);
  for (const name of names) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = name;
    row.append(cell);
  }
  return row;
}

/** One set's rows: `data-actual`, `data-predicted`, the count as text. */
function matrixBody(
  matrix: ConfusionMatrix,
  names: readonly string[],
  set: "train" | "test",
): HTMLTableSectionElement {
  const body = document.createElement("tbody");
  body.dataset.set = set;
  body.append(headRow(names, set === "train" ? "Train" : "Test"));
  matrix.counts.forEach((counts, actual) => {
    const row = document.createElement("tr");
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = names[actual];
    row.append(name);
    counts.forEach((count, predicted) => {
      const cell = document.createElement("td");
      cell.dataset.actual = String(actual);
      cell.dataset.predicted = String(predicted);
      if (actual === predicted) cell.className = "diagonal";
      cell.textContent = String(count);
      row.append(cell);
    });
    body.append(row);
  });
  return body;
}

/**
 * The confusion matrices (rows actual, columns predicted) of the report,
 * train then test, in `#confusion-matrix`; hidden for a regression.
 * Redrawn only when a count changed.
 */
export function showConfusion(
  report: TrainingReport | null,
  classNames?: readonly string[],
): void {
  const table = element<HTMLTableElement>("confusion-matrix");
  const heading = element("confusion-heading").parentElement!;
  const confusion = report?.confusion ?? null;
  table.hidden = confusion === null;
  heading.hidden = confusion === null;
  if (confusion === null) return;
  const key = JSON.stringify([
    confusion.train.counts,
    confusion.test?.counts,
    classNames,
  ]);
  if (table.dataset.key === key) return;
  table.dataset.key = key;
  const names = confusion.train.counts.map((_, i) =>
    classNames?.[i] ?? `class ${i}`
  );
  const bodies = [matrixBody(confusion.train, names, "train")];
  if (confusion.test !== null) {
    bodies.push(matrixBody(confusion.test, names, "test"));
  }
  table.replaceChildren(...bodies);
}
