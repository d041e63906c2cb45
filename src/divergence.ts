/**
 * What the {@linkcode Trainer} throws when the loss stops being a finite
 * number, and how it finds the likely cause: with `findAnomaly` it looks
 * for where the first non-finite number was born in the step's graph. A
 * training point or label that is not finite, or a weight that is not,
 * is named before anything else; only when every input was finite and an
 * operation overflowed does the hint blame the learning rate.
 *
 * @module
 */

import { findAnomaly } from "./anomaly.ts";
import type { Value } from "./engine.ts";
import type { MLP } from "./nn.ts";
import type { StepGraph } from "./step_engine.ts";

/**
 * The likely cause of a divergence: `"data"` (a training point or target
 * is not finite), `"weight"` (a parameter of the model is not finite) or
 * `"learningRate"` (everything was finite and the numbers overflowed,
 * usually a learning rate too large).
 */
export type DivergenceKind = "data" | "weight" | "learningRate";

/** The optional details of a {@linkcode DivergenceError}. */
export interface DivergenceDetails {
  /** The likely cause (default `"learningRate"`). */
  kind?: DivergenceKind;
  /** `findAnomaly`'s sentence on where the first non-finite number appeared. */
  anomaly?: string | null;
  /** The learning rate the diverging step used (after the schedule). */
  learningRate?: number | null;
}

/**
 * Thrown by `Trainer.step` when the loss is not a finite number: training
 * has diverged. It names the step and the value, and carries a hint saying
 * what to try and, in `kind`, the likely cause.
 *
 * `step` is the number the step's `StepStats.step` would have had: the
 * step that failed, one more than the steps completed (`Trainer.stepCount`
 * stays at `step - 1`, since the failing step made no update). A page
 * showing the message next to a step counter should show `summary` and
 * `hint` once each (the `message` holds both) and its own advice such as
 * "press Reset".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DivergenceError } from "./divergence.ts";
 * const error = new DivergenceError(3, Infinity, "lower the learning rate, currently 100");
 * assert.equal(
 *   error.message,
 *   "training diverged at step 3: the loss became Infinity; lower the learning rate, currently 100",
 * );
 * assert.equal(error.kind, "learningRate");
 * ```
 */
export class DivergenceError extends Error {
  /** The step (counting from 1) whose loss was not finite. */
  step: number;
  /** The loss it got: NaN, Infinity or -Infinity. */
  value: number;
  /** What to try instead. */
  hint: string;
  /** The likely cause. */
  kind: DivergenceKind;
  /**
   * Where the first non-finite number appeared in the step's graph
   * (`findAnomaly`'s message), or `null` when not known.
   */
  anomaly: string | null;
  /**
   * The learning rate the failing step would have used (the schedule's
   * rate at that step, not the base rate), or `null` when not known.
   */
  learningRate: number | null;

  /**
   * Make the error; its message reads "training diverged at step N: the
   * loss became X; HINT".
   *
   * @param step The step (counting from 1) whose loss was not finite.
   * @param value The non-finite loss.
   * @param hint What to try instead, e.g. "lower the learning rate, currently 10".
   * @param details The likely cause and where it showed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { DivergenceError } from "./divergence.ts";
   * const error = new DivergenceError(1, NaN, "check the data", { kind: "data" });
   * assert.equal(error.step, 1);
   * assert.equal(error.kind, "data");
   * assert.equal(error.anomaly, null);
   * ```
   */
  constructor(
    step: number,
    value: number,
    hint: string,
    details: DivergenceDetails = {},
  ) {
    super(
      `training diverged at step ${step}: the loss became ${value}; ${hint}`,
    );
    this.name = "DivergenceError";
    this.step = step;
    this.value = value;
    this.hint = hint;
    this.kind = details.kind ?? "learningRate";
    this.anomaly = details.anomaly ?? null;
    this.learningRate = details.learningRate ?? null;
  }

  /**
   * The message without the hint: "training diverged at step N: the loss
   * became X", for a page that shows the hint on its own line.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { DivergenceError } from "./divergence.ts";
   * const error = new DivergenceError(4, NaN, "check the data", { kind: "data" });
   * assert.equal(error.summary, "training diverged at step 4: the loss became NaN");
   * assert.equal(error.message, `${error.summary}; ${error.hint}`);
   * ```
   */
  get summary(): string {
    return `training diverged at step ${this.step}: the loss became ${this.value}`;
  }
}

/** What {@linkcode diagnoseDivergence} needs besides the graph. */
export interface DivergenceContext {
  /** The step (counting from 1). */
  step: number;
  /** The non-finite loss. */
  value: number;
  /** The step's graph, rebuilt (see `buildStepGraph`). */
  graph: StepGraph;
  /** The training indices of the graph's batch samples. */
  batch: readonly number[];
  /** The model, to name a parameter by layer, neuron and weight. */
  model: MLP;
  /** `model.parameters()`. */
  parameters: readonly Value[];
  /** What to say when the learning rate is to blame. */
  learningRateHint: string;
  /** The learning rate the step used (kept on the error as `learningRate`). */
  learningRate?: number;
}

/**
 * Name parameter `k` of `model.parameters()`: `"layer 1, neuron 0, weight
 * 3"` or `"layer 1, neuron 0, bias"`.
 */
function parameterName(model: MLP, k: number): string {
  let index = 0;
  for (let l = 0; l < model.layers.length; l++) {
    const neurons = model.layers[l].neurons;
    for (let j = 0; j < neurons.length; j++) {
      const size = neurons[j].weights.length + 1;
      if (k < index + size) {
        const i = k - index;
        const which = i < size - 1 ? `weight ${i}` : "bias";
        return `layer ${l}, neuron ${j}, ${which}`;
      }
      index += size;
    }
  }
  return `parameter ${k}`;
}

/**
 * The error for a step whose loss was not finite, with the likely cause:
 * the first non-finite number in the step's graph (`findAnomaly`). When it
 * is a leaf, that leaf is a training point's coordinate, a target, or a
 * weight, and the hint names it; otherwise every leaf was finite and an
 * operation overflowed, and the hint is `learningRateHint`.
 *
 * @param context The step, its graph and what to say otherwise.
 * @returns The error to throw.
 *
 * @example A weight that is NaN is named
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { buildStepGraph } from "./step_engine.ts";
 * import { diagnoseDivergence } from "./divergence.ts";
 * const model = new MLP(2, [3, 1]);
 * const parameters = model.parameters();
 * parameters[4].data = NaN; // layer 0, neuron 1, weight 1 (each neuron: 2 weights, a bias)
 * const problem = { model, parameters, loss: "mse" as const, l2: 0, points: [[1, 1]], targets: [[1]] };
 * const graph = buildStepGraph(problem, [0]);
 * const error = diagnoseDivergence({
 *   step: 1, value: graph.total.data, graph, batch: [0], model, parameters,
 *   learningRateHint: "lower the learning rate",
 * });
 * assert.equal(error.kind, "weight");
 * assert.match(error.hint, /parameter 4 \(layer 0, neuron 1, weight 1\) is NaN/);
 * ```
 */
export function diagnoseDivergence(
  context: DivergenceContext,
): DivergenceError {
  const { step, value, graph, batch, model, parameters } = context;
  const learningRate = context.learningRate ?? null;
  const anomaly = findAnomaly(graph.total);
  const where = anomaly?.message ?? null;
  const leaf = anomaly !== null && anomaly.op === "" ? anomaly.node : null;
  if (leaf !== null) {
    for (let b = 0; b < batch.length; b++) {
      const i = batch[b];
      if (graph.inputs[b].includes(leaf)) {
        const point = graph.inputs[b].map((v) => v.data).join(", ");
        return new DivergenceError(
          step,
          value,
          `training point ${i} is not finite ([${point}]); check the data`,
          { kind: "data", anomaly: where, learningRate },
        );
      }
      if (graph.targets[b].includes(leaf)) {
        return new DivergenceError(
          step,
          value,
          `the target of training point ${i} is ${leaf.data}; check the labels`,
          { kind: "data", anomaly: where, learningRate },
        );
      }
    }
    const k = parameters.indexOf(leaf);
    if (k >= 0) {
      return new DivergenceError(
        step,
        value,
        `the model's parameter ${k} (${
          parameterName(model, k)
        }) is ${leaf.data}, so every score is; start from a model with finite weights`,
        { kind: "weight", anomaly: where, learningRate },
      );
    }
  }
  return new DivergenceError(step, value, context.learningRateHint, {
    kind: "learningRate",
    anomaly: where,
    learningRate,
  });
}
