/**
 * Loss functions over a batch of model outputs, an L2 penalty, and accuracy.
 *
 * Labels are class indices `0..k-1` everywhere (the scikit-learn
 * convention). Each loss turns them into the per-sample target vector it
 * needs ({@linkcode encodeTargets}); the loss graph is then built from leaf
 * `Value`s holding those targets ({@linkcode lossFromTargets}), so its
 * *structure* depends only on the batch size and the number of outputs, never
 * on the label values: a compiled graph can be replayed on a new batch by
 * changing the leaves' data.
 *
 * @module
 */

import {
  checkName,
  checkNumber,
  failField,
  FieldRangeError,
} from "./checks.ts";
import { checkLabels } from "./data.ts";
import { Value } from "./engine.ts";
import { checkArray, checkValues } from "./value_checks.ts";

/**
 * The available losses:
 *
 * - `"hinge"`: micrograd's max-margin loss, one output, `mean relu(1 - y·s)`
 *   with `y = -1` for label 0 and `+1` for label 1.
 * - `"mse"`: mean squared error against `±1` (one output) or a one-hot
 *   vector (k outputs).
 * - `"logistic"`: binary cross-entropy on a raw score (logit), one output.
 * - `"crossEntropy"`: softmax cross-entropy over k ≥ 2 outputs.
 */
export type LossName = "hinge" | "mse" | "logistic" | "crossEntropy";

/**
 * Every {@linkcode LossName}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LOSS_NAMES } from "./loss.ts";
 * assert.ok(LOSS_NAMES.includes("hinge"));
 * ```
 */
export const LOSS_NAMES: readonly LossName[] = Object.freeze([
  "hinge",
  "mse",
  "logistic",
  "crossEntropy",
]);

// ---------------------------------------------------------------------------
// Validation helpers

/** Check the number of model outputs suits the loss. */
function checkOutputs(
  loss: LossName,
  outputs: unknown,
  caller: string,
): number {
  checkNumber(
    outputs,
    caller,
    "outputs",
    { min: 1, integer: true },
    "a positive integer",
  );
  const fail = (allowed: string, advice: string): never => {
    throw new FieldRangeError(
      `${caller}: the "${loss}" loss needs a model with ${allowed}, got ${outputs} output${
        outputs === 1 ? "" : "s"
      }; ${advice}`,
      { field: "outputs", allowed },
    );
  };
  if ((loss === "hinge" || loss === "logistic") && outputs !== 1) {
    fail(
      "exactly 1 output (a score whose sign is the class)",
      'use "crossEntropy" for several outputs',
    );
  }
  if (loss === "crossEntropy" && (outputs as number) < 2) {
    fail(
      "at least 2 outputs (one per class)",
      'use "logistic" or "hinge" for a single output',
    );
  }
  return outputs as number;
}

/**
 * Check a batch of per-sample rows, all of the same non-zero length, and
 * each item with `checkItem` (a Value, a number); returns the row length.
 */
function checkRows(
  rows: unknown,
  name: string,
  caller: string,
  items: string,
  checkItem: (item: unknown, field: string) => void,
): number {
  checkArray(rows, caller, name, `rows of ${items}, one per sample`);
  if (rows.length === 0) {
    failField(
      "range",
      caller,
      name,
      "a non-empty array (at least one sample)",
      rows,
    );
  }
  let width = -1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    checkArray(row, caller, `${name}[${i}]`, items);
    if (width === -1) width = row.length;
    if (row.length !== width || width === 0) {
      throw new FieldRangeError(
        `${caller}: every ${name}[i] must have the same, non-zero length; ${name}[0] has length ${width} but ${name}[${i}] has length ${row.length}`,
        {
          field: `${name}[${i}]`,
          allowed: `an array of ${width || 1}+ ${items}`,
        },
      );
    }
    for (let j = 0; j < width; j++) checkItem(row[j], `${name}[${i}][${j}]`);
  }
  return width;
}

/** Check a batch of per-sample Value vectors; returns the row length. */
function checkValueRows(rows: unknown, name: string, caller: string): number {
  return checkRows(rows, name, caller, "Values", (item, field) => {
    if (!(item instanceof Value)) {
      failField("type", caller, field, "a Value", item);
    }
  });
}

/** Check that two batches have one entry per sample each. */
function checkSameLength(
  caller: string,
  first: readonly unknown[],
  firstName: string,
  second: readonly unknown[],
  secondName: string,
): void {
  if (first.length !== second.length) {
    throw new FieldRangeError(
      `${caller}: ${firstName} and ${secondName} must have one entry per sample each, got ${first.length} ${firstName} and ${second.length} ${secondName}`,
      { field: secondName, allowed: `an array of ${first.length} entries` },
    );
  }
}

/** Number of classes a loss can tell apart with `outputs` outputs. */
function classesFor(outputs: number): number {
  // One output is a binary classifier (the sign of the score); k outputs
  // are k classes.
  return outputs === 1 ? 2 : outputs;
}

function encode(
  loss: LossName,
  labels: readonly number[],
  outputs: number,
): number[][] {
  const targets = new Array<number[]>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (outputs === 1) {
      // logistic wants a probability target (0 or 1); hinge and mse want the
      // sign the score should have (-1 or +1).
      targets[i] = loss === "logistic" ? [label] : [label === 1 ? 1 : -1];
    } else {
      const oneHot = new Array<number>(outputs).fill(0);
      oneHot[label] = 1;
      targets[i] = oneHot;
    }
  }
  return targets;
}

function toLeaves(targets: number[][]): Value[][] {
  return targets.map((row) => row.map((t) => new Value(t)));
}

// ---------------------------------------------------------------------------
// Public API

/**
 * The per-sample target vector each loss compares the model's outputs with:
 *
 * - `"hinge"` (1 output): `[-1]` for label 0, `[+1]` for label 1.
 * - `"mse"`: with 1 output, `[-1]` / `[+1]` like hinge; with k > 1 outputs,
 *   the one-hot vector of length k.
 * - `"logistic"` (1 output): `[0]` or `[1]`, the label itself.
 * - `"crossEntropy"` (k ≥ 2 outputs): the one-hot vector of length k.
 *
 * Throws a `RangeError` if a label is not an integer in `0..k-1` (`0..1` for
 * one output) or if the number of outputs does not suit the loss.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeTargets } from "./loss.ts";
 * assert.deepEqual(encodeTargets("hinge", [0, 1], 1), [[-1], [1]]);
 * assert.deepEqual(encodeTargets("crossEntropy", [2], 3), [[0, 0, 1]]);
 * ```
 */
export function encodeTargets(
  loss: LossName,
  labels: readonly number[],
  outputs: number,
): number[][] {
  const caller = "encodeTargets";
  const name = checkName(loss, caller, "loss", LOSS_NAMES);
  const k = checkOutputs(name, outputs, caller);
  checkLabels(labels, caller, "labels", classesFor(k));
  return encode(name, labels, k);
}

/**
 * The mean data loss of a batch, given each sample's outputs `scores[i]` and
 * target vector `targets[i]` (leaf Values holding {@linkcode encodeTargets}'
 * numbers). The graph's structure depends only on the batch size and the
 * number of outputs, so changing the target leaves' data and recomputing the
 * same graph gives the loss of another batch.
 *
 * With `n` samples and `k` outputs:
 *
 * - `"hinge"`: `(1/n) Σ relu(1 - y·s)`.
 * - `"mse"`: `(1/(n·k)) Σ (s - t)²`, the mean over every output (PyTorch's
 *   `MSELoss`), as one `dot` node of the differences with themselves.
 * - `"logistic"`: `(1/n) Σ softplus(s) - y·s`, where
 *   `softplus(s) = log(1 + e^s) = logSumExp([0, s])` never overflows, so
 *   scores of ±1000 give finite losses and gradients.
 * - `"crossEntropy"`: `(1/n) Σ logSumExp(s) - t·s`, the negative log of the
 *   softmax probability of the true class, again without overflow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { lossFromTargets } from "./loss.ts";
 * const scores = [[new Value(0.5)], [new Value(-2)]];
 * const targets = [[new Value(1)], [new Value(-1)]];
 * // relu(1 - 0.5) = 0.5 and relu(1 - 2) = 0: mean 0.25
 * assert.equal(lossFromTargets("hinge", scores, targets).data, 0.25);
 * ```
 */
export function lossFromTargets(
  loss: LossName,
  scores: readonly (readonly Value[])[],
  targets: readonly (readonly Value[])[],
): Value {
  const caller = "lossFromTargets";
  const name = checkName(loss, caller, "loss", LOSS_NAMES);
  const outputs = checkOutputs(
    name,
    checkValueRows(scores, "scores", caller),
    caller,
  );
  // A target is data: a NaN or infinite one would only make the loss NaN.
  const width = checkRows(
    targets,
    "targets",
    caller,
    "Values",
    (item, field) => {
      if (!(item instanceof Value)) {
        failField("type", caller, field, "a Value", item);
      }
      if (!Number.isFinite(item.data)) {
        failField(
          "range",
          caller,
          field,
          "a Value holding a finite number",
          item.data,
        );
      }
    },
  );
  checkSameLength(caller, scores, "scores", targets, "targets");
  if (width !== outputs) {
    throw new FieldRangeError(
      `${caller}: each targets[i] must have ${outputs} entries (one per output), got ${width}`,
      { field: "targets[0]", allowed: `an array of ${outputs} Values` },
    );
  }
  return buildLoss(name, scores, targets);
}

/** The loss graph itself, for validated input. */
function buildLoss(
  loss: LossName,
  scores: readonly (readonly Value[])[],
  targets: readonly (readonly Value[])[],
): Value {
  const n = scores.length;
  switch (loss) {
    case "hinge": {
      // micrograd: losses = [(1 + -yi*scorei).relu() ...]; a margin of at
      // least 1 on the right side costs nothing.
      const one = new Value(1);
      const losses = new Array<Value>(n);
      for (let i = 0; i < n; i++) {
        losses[i] = one.sub(scores[i][0].mul(targets[i][0])).relu();
      }
      return Value.sum(losses).mul(1 / n);
    }
    case "mse": {
      const k = scores[0].length;
      const differences = new Array<Value>(n * k);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          differences[i * k + j] = scores[i][j].sub(targets[i][j]);
        }
      }
      // Σ d² as a single dot node; its backward gives each d twice d·g.
      return Value.dot(differences, differences).mul(1 / (n * k));
    }
    case "logistic": {
      // -[y log σ(s) + (1-y) log(1-σ(s))] simplifies to softplus(s) - y·s.
      // softplus as logSumExp([0, s]) factors out max(0, s), so it neither
      // overflows (s = 1000) nor loses the small term (s = -1000).
      const zero = new Value(0);
      const softplus = new Array<Value>(n);
      const logits = new Array<Value>(n);
      const labels = new Array<Value>(n);
      for (let i = 0; i < n; i++) {
        logits[i] = scores[i][0];
        labels[i] = targets[i][0];
        softplus[i] = Value.logSumExp([zero, logits[i]]);
      }
      return Value.sum(softplus).sub(Value.dot(labels, logits)).mul(1 / n);
    }
    case "crossEntropy": {
      // -log softmax(s)[c] = logSumExp(s) - s[c], and s[c] = onehot · s: the
      // per-sample true-class scores of the whole batch are one dot node.
      const k = scores[0].length;
      const normalizers = new Array<Value>(n);
      const flatScores = new Array<Value>(n * k);
      const flatTargets = new Array<Value>(n * k);
      for (let i = 0; i < n; i++) {
        normalizers[i] = Value.logSumExp(scores[i]);
        for (let j = 0; j < k; j++) {
          flatScores[i * k + j] = scores[i][j];
          flatTargets[i * k + j] = targets[i][j];
        }
      }
      return Value.sum(normalizers)
        .sub(Value.dot(flatTargets, flatScores))
        .mul(1 / n);
    }
  }
}

/** Shared body of the label-taking wrappers. */
function lossFromLabels(
  loss: LossName,
  scores: readonly (readonly Value[])[],
  labels: readonly number[],
  caller: string,
): Value {
  const outputs = checkOutputs(
    loss,
    checkValueRows(scores, "scores", caller),
    caller,
  );
  checkLabels(labels, caller, "labels", classesFor(outputs));
  checkSameLength(caller, scores, "scores", labels, "labels");
  return buildLoss(
    loss,
    scores,
    toLeaves(encode(loss, labels, outputs)),
  );
}

/**
 * micrograd's max-margin (SVM) loss for a single-output binary classifier:
 * `mean relu(1 - y·score)` where label 0 maps to `y = -1` and label 1 to
 * `y = +1`. Zero once every sample is on its side with a margin of 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { hingeLoss } from "./loss.ts";
 * const scores = [[new Value(2)], [new Value(0.5)]];
 * assert.equal(hingeLoss(scores, [1, 0]).data, (0 + 1.5) / 2);
 * ```
 */
export function hingeLoss(
  scores: readonly (readonly Value[])[],
  labels: readonly number[],
): Value {
  return lossFromLabels("hinge", scores, labels, "hingeLoss");
}

/**
 * Mean squared error. With one output, label 0 maps to target `-1` and label
 * 1 to `+1`; with k outputs, label c maps to the one-hot vector with a 1 at
 * c. The mean is over every output of every sample.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { mseLoss } from "./loss.ts";
 * // One output: the targets are +1 and -1.
 * const single = [[new Value(0.5)], [new Value(0)]];
 * assert.equal(mseLoss(single, [1, 0]).data, (0.25 + 1) / 2);
 * // Two outputs: label 1 is the one-hot target [0, 1].
 * const pair = [[new Value(1), new Value(0)]];
 * assert.equal(mseLoss(pair, [1]).data, (1 + 1) / 2);
 * ```
 */
export function mseLoss(
  scores: readonly (readonly Value[])[],
  labels: readonly number[],
): Value {
  return lossFromLabels("mse", scores, labels, "mseLoss");
}

/**
 * Binary cross-entropy on raw scores (PyTorch's `BCEWithLogitsLoss`) for a
 * single-output model: the score is the logit of P(label = 1). Label 1 is
 * the positive class, label 0 the negative. Computed as
 * `softplus(s) - y·s`, which is exact and finite for scores of ±1000.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { bceWithLogitsLoss } from "./loss.ts";
 * assert.equal(bceWithLogitsLoss([[new Value(0)]], [1]).data, 0.6931471805599453); // log 2
 * assert.equal(bceWithLogitsLoss([[new Value(1000)]], [0]).data, 1000);
 * ```
 */
export function bceWithLogitsLoss(
  scores: readonly (readonly Value[])[],
  labels: readonly number[],
): Value {
  return lossFromLabels("logistic", scores, labels, "bceWithLogitsLoss");
}

/**
 * Softmax cross-entropy for a model with one output per class (k ≥ 2):
 * `mean(logSumExp(s) - s[label])`, the negative log-probability the softmax
 * gives the true class. Label c is output c.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { softmaxCrossEntropyLoss } from "./loss.ts";
 * // Equal scores: the softmax gives each of 3 classes 1/3, so the loss is log 3.
 * const even = [[new Value(0), new Value(0), new Value(0)]];
 * assert.equal(softmaxCrossEntropyLoss(even, [2]).data, 1.0986122886681098);
 * // A confident right answer costs almost nothing.
 * const sure = softmaxCrossEntropyLoss([[new Value(20), new Value(0)]], [0]);
 * assert.ok(sure.data < 1e-8);
 * ```
 */
export function softmaxCrossEntropyLoss(
  scores: readonly (readonly Value[])[],
  labels: readonly number[],
): Value {
  return lossFromLabels(
    "crossEntropy",
    scores,
    labels,
    "softmaxCrossEntropyLoss",
  );
}

/**
 * L2 regularisation `strength · Σ p²` (micrograd's `alpha * sum(p*p)`), as
 * one `dot` node of the parameters with themselves, then one multiplication.
 * Its gradient pulls every weight towards 0 by `2 · strength · p`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { l2Penalty } from "./loss.ts";
 * const penalty = l2Penalty([new Value(3), new Value(4)], 0.01);
 * assert.equal(penalty.data, 0.25);
 * ```
 */
export function l2Penalty(
  parameters: readonly Value[],
  strength: number,
): Value {
  checkValues(parameters, "l2Penalty", "parameters");
  checkNumber(strength, "l2Penalty", "strength", { min: 0 });
  return Value.dot(parameters, parameters).mul(strength);
}

/**
 * L1 regularisation `strength · Σ |p|`, as one `abs` node per parameter,
 * one `sum` and one multiplication. Its gradient pulls every weight towards
 * 0 by `strength · sign(p)`, and by nothing at exactly 0 (PyTorch's
 * subgradient of `abs`), so it drives small weights to 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { l1Penalty } from "./loss.ts";
 * const w = [new Value(3), new Value(-4), new Value(0)];
 * const penalty = l1Penalty(w, 0.5);
 * assert.equal(penalty.data, 3.5);
 * penalty.backward();
 * assert.deepEqual(w.map((p) => p.grad), [0.5, -0.5, 0]);
 * ```
 */
export function l1Penalty(
  parameters: readonly Value[],
  strength: number,
): Value {
  checkValues(parameters, "l1Penalty", "parameters");
  checkNumber(strength, "l1Penalty", "strength", { min: 0 });
  const sizes = new Array<Value>(parameters.length);
  for (let i = 0; i < parameters.length; i++) sizes[i] = parameters[i].abs();
  return Value.sum(sizes).mul(strength);
}

/**
 * The class a model's scores for one sample predict: with one output, 1 when
 * the score is positive and 0 otherwise (the binary losses' convention); with
 * several, the index of the largest (the first one on a tie). A score that is
 * NaN or infinite predicts no class: the result is -1, so it is never counted
 * as a right answer.
 *
 * @param scores The model's outputs for one sample.
 * @returns A class index, or -1 when any score is not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictClass } from "./loss.ts";
 * assert.equal(predictClass([0.3]), 1);
 * assert.equal(predictClass([-0.3]), 0);
 * assert.equal(predictClass([0.1, 2, -1]), 1);
 * assert.equal(predictClass([NaN]), -1);
 * ```
 */
export function predictClass(scores: readonly number[]): number {
  let predicted = 0;
  for (let j = 0; j < scores.length; j++) {
    if (!Number.isFinite(scores[j])) return -1;
    if (scores[j] > scores[predicted]) predicted = j;
  }
  if (scores.length === 1) return scores[0] > 0 ? 1 : 0;
  return predicted;
}

/**
 * The fraction of samples classified correctly, in [0, 1]. With one output a
 * sample is predicted as class 1 iff its score is > 0 (class 0 otherwise);
 * with k outputs the prediction is the index of the largest score (the first
 * one on ties). A NaN or infinite score predicts no class
 * ({@linkcode predictClass} gives -1), so it is never counted as correct.
 * Throws a `FieldRangeError` on an empty batch or a label that is not a class
 * index (NaN, infinite, fractional, out of range), naming it (`labels[3]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accuracy } from "./loss.ts";
 * assert.equal(accuracy([[0.3], [-2], [1]], [1, 0, 0]), 2 / 3);
 * assert.equal(accuracy([[0.1, 0.9], [2, 1]], [1, 0]), 1);
 * assert.equal(accuracy([[NaN], [-1]], [0, 0]), 0.5);
 * assert.throws(() => accuracy([[1]], [NaN]), { name: "FieldRangeError", message: /labels\[0\]/ });
 * ```
 */
export function accuracy(
  scores: readonly (readonly number[])[],
  labels: readonly number[],
): number {
  const caller = "accuracy";
  // A score may be NaN or infinite (a diverged model): it predicts no class
  // and counts as wrong. Only a non-number is refused.
  const outputs = checkRows(
    scores,
    "scores",
    caller,
    "numbers",
    (item, field) => {
      if (typeof item !== "number") {
        failField(
          "type",
          caller,
          field,
          "a number",
          item,
        );
      }
    },
  );
  checkLabels(labels, caller, "labels", classesFor(outputs));
  checkSameLength(caller, scores, "scores", labels, "labels");
  let correct = 0;
  for (let i = 0; i < scores.length; i++) {
    if (predictClass(scores[i]) === labels[i]) correct++;
  }
  return correct / scores.length;
}
