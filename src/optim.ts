/**
 * Optimizers: rules that move each parameter against its gradient after a
 * backward pass. {@linkcode SGD} (with momentum and weight decay) and
 * {@linkcode Adam}, with the same update formulas as PyTorch's. Both extend
 * {@linkcode BaseOptimizer} (in `optimizer.ts`), which checks the parameters
 * and options, counts steps and resets gradients; each class here holds only
 * its own options, state and update rule.
 *
 * @module
 */

import type { Value } from "./engine.ts";
import { checkNumber, type NumberBounds } from "./checks.ts";
import { BaseOptimizer } from "./optimizer.ts";

export { BaseOptimizer } from "./optimizer.ts";
export type { Optimizer } from "./optimizer.ts";

/** Options for {@linkcode SGD}. */
export interface SGDOptions {
  /** Base step size. Default 0.1 (micrograd's demo uses 1.0 with a decay). */
  learningRate?: number;
  /** Momentum factor μ in [0, 1). Default 0 (plain gradient descent). */
  momentum?: number;
  /** L2 weight decay λ ≥ 0 added to the gradient as `λ·p`. Default 0. */
  weightDecay?: number;
}

/** Options for {@linkcode Adam}. */
export interface AdamOptions {
  /** Base step size. Default 0.001 (PyTorch's default). */
  learningRate?: number;
  /** Decay of the running mean of gradients, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the running mean of squared gradients, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator to avoid dividing by 0, > 0. Default 1e-8. */
  epsilon?: number;
  /** L2 weight decay λ ≥ 0 added to the gradient as `λ·p` (as PyTorch's Adam, not AdamW). Default 0. */
  weightDecay?: number;
}

/** A decay factor such as momentum or Adam's betas: in [0, 1). */
const DECAY_BOUNDS = { min: 0, max: 1, maxExclusive: true } as const;
/** A weight decay: finite and >= 0. */
const NON_NEGATIVE = { min: 0 } as const;
/** Adam's epsilon: finite and > 0. */
const POSITIVE = { min: 0, minExclusive: true } as const;

/** Read and check one number option: `options[key]`, or `fallback` when absent. */
function option(
  options: object,
  where: string,
  key: string,
  fallback: number,
  bounds: NumberBounds,
): number {
  const value = (options as Record<string, unknown>)[key] ?? fallback;
  return checkNumber(value, where, key, bounds);
}

/** The option names {@linkcode SGD} accepts. */
const SGD_OPTIONS = ["learningRate", "momentum", "weightDecay"] as const;
/** The option names {@linkcode Adam} accepts. */
const ADAM_OPTIONS = [
  "learningRate",
  "beta1",
  "beta2",
  "epsilon",
  "weightDecay",
] as const;

/**
 * Stochastic gradient descent, as PyTorch's `torch.optim.SGD` (no dampening,
 * no Nesterov). For each parameter `p` with gradient `g`:
 *
 * ```text
 * g ← g + λ·p                     (weight decay, if λ > 0)
 * v ← μ·v + g                     (momentum, if μ > 0; v starts at 0)
 * p ← p - rate·v                  (or p - rate·g without momentum)
 * ```
 *
 * Momentum keeps a running velocity, so steps grow along directions where
 * the gradient keeps its sign and cancel where it oscillates.
 *
 * @example micrograd's update `p.data -= learning_rate * p.grad`
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { SGD } from "./optim.ts";
 * const w = new Value(2);
 * const optimizer = new SGD([w], { learningRate: 0.1 });
 * optimizer.zeroGrad();
 * w.mul(w).backward(); // d(w²)/dw = 4
 * optimizer.step();
 * assert.equal(w.data, 2 - 0.1 * 4);
 * ```
 */
export class SGD extends BaseOptimizer {
  /** Momentum factor μ. */
  readonly momentum: number;
  /** L2 weight decay λ. */
  readonly weightDecay: number;
  /** Velocity per parameter (only used with momentum). */
  #velocity: Float64Array;

  /**
   * An optimizer for `parameters` (usually `model.parameters()`). Throws a
   * `FieldRangeError` for a negative or non-finite rate or weight decay, a
   * momentum outside [0, 1), or an unknown option (PyTorch's `lr` and
   * `weight_decay` get ours suggested).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * import { SGD } from "./optim.ts";
   * const model = new MLP(2, [4, 1]);
   * const optimizer = new SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9 });
   * assert.equal(optimizer.momentum, 0.9);
   * assert.equal(optimizer.parameters.length, model.parameters().length);
   * // PyTorch's spelling is refused, naming ours:
   * assert.throws(() => new SGD([], { lr: 0.05 } as never), /did you mean "learningRate"/);
   * ```
   */
  constructor(parameters: readonly Value[], options: SGDOptions = {}) {
    super("SGD", parameters, options, SGD_OPTIONS, 0.1);
    this.momentum = option(options, "new SGD", "momentum", 0, DECAY_BOUNDS);
    // λ·p joins the gradient before the velocity update, as in PyTorch.
    this.weightDecay = option(
      options,
      "new SGD",
      "weightDecay",
      0,
      NON_NEGATIVE,
    );
    this.#velocity = new Float64Array(this.parameters.length);
  }

  /**
   * One SGD update of every parameter at `rate`.
   *
   * @param parameters The parameters, in order.
   * @param rate This step's learning rate.
   */
  protected update(parameters: Value[], rate: number): void {
    const { momentum, weightDecay } = this;
    const velocity = this.#velocity;
    for (let i = 0; i < parameters.length; i++) {
      const p = parameters[i];
      let g = p.grad;
      if (weightDecay !== 0) g += weightDecay * p.data;
      if (momentum !== 0) {
        // PyTorch starts the velocity at the first gradient; μ·0 + g is the same.
        velocity[i] = momentum * velocity[i] + g;
        g = velocity[i];
      }
      p.data -= rate * g;
    }
  }
}

/**
 * Adam (Kingma & Ba, 2015), with PyTorch's `torch.optim.Adam` formulas. For
 * each parameter with gradient `g`, at step `t = 1, 2, ...`:
 *
 * ```text
 * g ← g + λ·p                               (weight decay, if λ > 0)
 * m ← β1·m + (1 - β1)·g                     (running mean of gradients)
 * v ← β2·v + (1 - β2)·g²                    (running mean of squares)
 * p ← p - (rate / (1 - β1^t)) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)
 * ```
 *
 * `m` and `v` start at 0, so early on they underestimate; dividing by
 * `1 - β^t` (bias correction) undoes that. Each parameter's step is scaled
 * by its own gradient size, so the step is about `rate` whatever the scale
 * of the loss.
 *
 * @example The first step has size ≈ rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { Adam } from "./optim.ts";
 * const w = new Value(2);
 * const optimizer = new Adam([w], { learningRate: 0.1 });
 * w.mul(w).backward();
 * optimizer.step();
 * assert.ok(Math.abs(w.data - 1.9) < 1e-6);
 * ```
 */
export class Adam extends BaseOptimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment. */
  readonly beta2: number;
  /** Denominator guard. */
  readonly epsilon: number;
  /** L2 weight decay λ. */
  readonly weightDecay: number;
  #firstMoment: Float64Array;
  #secondMoment: Float64Array;

  /**
   * An Adam optimizer for `parameters`. Throws a `FieldRangeError` for a
   * negative or non-finite rate or weight decay, betas outside [0, 1), an
   * epsilon that is not a finite positive number, or an unknown option
   * (PyTorch's `lr`, `betas`, `eps` and `weight_decay` get ours suggested).
   *
   * @example PyTorch's `betas` are two options here
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { Adam } from "./optim.ts";
   * const w = new Value(1);
   * const adam = new Adam([w], { learningRate: 0.01, beta2: 0.99 });
   * assert.equal(adam.beta1, 0.9);
   * assert.equal(adam.epsilon, 1e-8);
   * assert.throws(
   *   () => new Adam([w], { betas: [0.9, 0.99] } as never),
   *   /did you mean "beta1 and beta2"/,
   * );
   * ```
   */
  constructor(parameters: readonly Value[], options: AdamOptions = {}) {
    super("Adam", parameters, options, ADAM_OPTIONS, 0.001);
    const where = "new Adam";
    this.beta1 = option(options, where, "beta1", 0.9, DECAY_BOUNDS);
    this.beta2 = option(options, where, "beta2", 0.999, DECAY_BOUNDS);
    this.epsilon = option(options, where, "epsilon", 1e-8, POSITIVE);
    this.weightDecay = option(options, where, "weightDecay", 0, NON_NEGATIVE);
    this.#firstMoment = new Float64Array(this.parameters.length);
    this.#secondMoment = new Float64Array(this.parameters.length);
  }

  /**
   * Copies of Adam's running means for each parameter, in `parameters`
   * order: `m` of the gradients and `v` of their squares (all 0 before the
   * first step; before bias correction). Read-only: changing the copies
   * changes nothing (the playground's neuron details show them).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { Adam } from "./optim.ts";
   * const w = new Value(2);
   * const adam = new Adam([w], { learningRate: 0.1 });
   * w.mul(w).backward(); // g = 4
   * adam.step();
   * const { m, v } = adam.moments();
   * assert.ok(Math.abs(m[0] - 0.1 * 4) < 1e-12);
   * assert.ok(Math.abs(v[0] - 0.001 * 16) < 1e-12);
   * ```
   */
  moments(): { m: Float64Array; v: Float64Array } {
    return {
      m: this.#firstMoment.slice(),
      v: this.#secondMoment.slice(),
    };
  }

  /**
   * One Adam update of every parameter at `rate`, step `t` of the bias
   * correction.
   *
   * @param parameters The parameters, in order.
   * @param rate This step's learning rate.
   * @param t This step's number, counted from 1.
   */
  protected update(parameters: Value[], rate: number, t: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this;
    const correction1 = 1 - beta1 ** t;
    const correction2Root = Math.sqrt(1 - beta2 ** t);
    const stepSize = rate / correction1;
    const m = this.#firstMoment;
    const v = this.#secondMoment;
    for (let i = 0; i < parameters.length; i++) {
      const p = parameters[i];
      let g = p.grad;
      if (weightDecay !== 0) g += weightDecay * p.data;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      p.data -= stepSize * m[i] / (Math.sqrt(v[i]) / correction2Root + epsilon);
    }
  }
}
