/**
 * The lecture's hand-made training loop (lesson 9): the library's MLP of
 * tanh neurons, 3 inputs, two hidden layers of 4 and one output, on the
 * lecture's four examples, the loss the sum of squared errors, and one step
 * at a time: forward, zero_grad, backward, `p.data -= lr * p.grad`.
 *
 * @module
 */

import { Value } from "../../src/engine.ts";
import { MLP } from "../../src/nn.ts";

/** The lecture's four inputs. */
export const LECTURE_XS: readonly (readonly number[])[] = Object.freeze([
  [2, 3, -1],
  [3, -1, 0.5],
  [0.5, 1, 1],
  [1, 1, -1],
]);

/** Their targets. */
export const LECTURE_YS: readonly number[] = Object.freeze([1, -1, -1, 1]);

/** The lecture's learning rate at first. */
export const LECTURE_LEARNING_RATE = 0.05;

/** The lecture's network: 3 inputs, layers of 4, 4 and 1. */
const LAYERS = [4, 4, 1];

/** One step's record. */
export interface HandStep {
  /** The step's number, from 1. */
  step: number;
  /** The loss before the update (the one backward() ran on). */
  loss: number;
  /** The four outputs before the update. */
  predictions: number[];
}

/**
 * The lecture's MLP trained by hand.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HandTraining } from "./hand_training.ts";
 * const training = new HandTraining();
 * const first = training.step();
 * for (let i = 0; i < 19; i++) training.step();
 * assert.equal(training.steps, 20);
 * assert.ok(training.loss() < first.loss / 10);
 * ```
 */
export class HandTraining {
  /** The network (tanh everywhere, as in the lecture; seed 1337). */
  model: MLP;
  /** Steps taken. */
  steps = 0;
  /** Every step so far. */
  readonly history: HandStep[] = [];

  constructor() {
    this.model = HandTraining.#freshModel();
  }

  static #freshModel(): MLP {
    return new MLP(3, LAYERS, {
      activation: "tanh",
      outputActivation: "tanh",
    });
  }

  /** The loss graph at the current weights: `sum((ypred - y)**2)`, labelled. */
  lossGraph(): { loss: Value; predictions: Value[] } {
    const predictions = LECTURE_XS.map((x, i) => {
      const [prediction] = this.model.forward(x);
      prediction.label = `ypred${i}`;
      return prediction;
    });
    const loss = Value.sum(
      predictions.map((prediction, i) => prediction.sub(LECTURE_YS[i]).pow(2)),
    );
    loss.label = "loss";
    return { loss, predictions };
  }

  /** The loss at the current weights. */
  loss(): number {
    return this.lossGraph().loss.data;
  }

  /**
   * One step: forward, zero_grad (unless `forgetZeroGrad`, the lecture's
   * bug), backward, update with learning rate `lr`.
   */
  step(lr: number = LECTURE_LEARNING_RATE, forgetZeroGrad = false): HandStep {
    const { loss, predictions } = this.lossGraph();
    if (!forgetZeroGrad) this.model.zeroGrad();
    loss.backward();
    for (const parameter of this.model.parameters()) {
      parameter.data -= lr * parameter.grad;
    }
    this.steps++;
    const record = {
      step: this.steps,
      loss: loss.data,
      predictions: predictions.map((prediction) => prediction.data),
    };
    this.history.push(record);
    return record;
  }

  /** Back to the initial weights. */
  reset(): void {
    this.model = HandTraining.#freshModel();
    this.steps = 0;
    this.history.length = 0;
  }
}
