/**
 * Optimizers: rules that move each parameter against its gradient after a
 * backward pass. {@linkcode SGD} (with momentum and weight decay) and
 * {@linkcode Adam}, with the same update formulas as PyTorch's.
 *
 * @module
 */

import { Value } from "./engine.ts";
import { describeArgument } from "./checks.ts";

/**
 * What a training loop needs from an optimizer: apply one update from the
 * current gradients (optionally at a scheduled learning rate), and reset the
 * gradients before the next backward pass.
 */
export interface Optimizer {
  /** Update every parameter once; `learningRate` overrides the base rate for this step. */
  step(learningRate?: number): void;
  /** Set every parameter's gradient to 0. */
  zeroGrad(): void;
}

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

// ---------------------------------------------------------------------------
// Validation helpers

function checkParameters(parameters: unknown, caller: string): Value[] {
  if (!Array.isArray(parameters)) {
    throw new TypeError(
      `${caller}: parameters must be an array of Values (e.g. model.parameters()), got ${
        describeArgument(parameters)
      }`,
    );
  }
  const seen = new Map<Value, number>();
  for (let i = 0; i < parameters.length; i++) {
    const p = parameters[i];
    if (!(p instanceof Value)) {
      throw new TypeError(
        `${caller}: parameters[${i}] must be a Value, got ${
          describeArgument(p)
        }`,
      );
    }
    // A parameter listed twice would be updated twice per step.
    const first = seen.get(p);
    if (first !== undefined) {
      throw new RangeError(
        `${caller}: parameters[${i}] is the same Value as parameters[${first}]; each parameter must appear once`,
      );
    }
    seen.set(p, i);
  }
  return [...parameters];
}

function checkOptions(options: unknown, caller: string): void {
  if (
    options === null || typeof options !== "object" || Array.isArray(options)
  ) {
    throw new TypeError(
      `${caller}: options must be an object, got ${describeArgument(options)}`,
    );
  }
}

/**
 * Check a number option lies in a range: `[low, high)` or `[low, high]`,
 * with `low` excluded when `lowOpen`.
 */
function checkNumber(
  value: unknown,
  name: string,
  caller: string,
  low: number,
  high: number,
  range: string,
  lowOpen = false,
  highOpen = false,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${caller}: ${name} must be a number ${range}, got ${
        describeArgument(value)
      }`,
    );
  }
  const aboveLow = lowOpen ? value > low : value >= low;
  const belowHigh = highOpen ? value < high : value <= high;
  if (!Number.isFinite(value) || !aboveLow || !belowHigh) {
    throw new RangeError(
      `${caller}: ${name} must be a number ${range}, got ${
        describeArgument(value)
      }`,
    );
  }
  return value;
}

function checkLearningRate(
  value: unknown,
  name: string,
  caller: string,
): number {
  return checkNumber(
    value,
    name,
    caller,
    0,
    Infinity,
    "that is finite and >= 0",
  );
}

// ---------------------------------------------------------------------------
// Optimizers

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
 * import { Value } from "./engine.ts";
 * import { SGD } from "./optim.ts";
 * const w = new Value(2);
 * const optimizer = new SGD([w], { learningRate: 0.1 });
 * optimizer.zeroGrad();
 * w.mul(w).backward(); // d(w²)/dw = 4
 * optimizer.step();
 * console.log(w.data); // 2 - 0.1 * 4 = 1.6
 * ```
 */
export class SGD implements Optimizer {
  /** The parameters updated by {@linkcode SGD.step}, in the given order. */
  readonly parameters: readonly Value[];
  /** Base step size, used when `step()` is called without one. */
  readonly learningRate: number;
  /** Momentum factor μ. */
  readonly momentum: number;
  /** L2 weight decay λ. */
  readonly weightDecay: number;
  /** The same parameters in a plain array: reading elements of a frozen array
   * is several times slower in both JSC and V8, and the loops below are hot. */
  readonly #list: Value[];
  /** Velocity per parameter (only used with momentum). */
  #velocity: Float64Array;
  /** Number of steps taken so far. */
  #steps = 0;

  /**
   * An optimizer for `parameters` (usually `model.parameters()`). Throws a
   * `RangeError` for a negative or non-finite rate or weight decay, or a
   * momentum outside [0, 1).
   *
   * @example
   * ```ts
   * import { MLP } from "./nn.ts";
   * import { SGD } from "./optim.ts";
   * const model = new MLP(2, [4, 1]);
   * const optimizer = new SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9 });
   * console.log(optimizer.momentum); // 0.9
   * ```
   */
  constructor(parameters: readonly Value[], options: SGDOptions = {}) {
    const caller = "new SGD";
    this.#list = checkParameters(parameters, caller);
    this.parameters = Object.freeze([...this.#list]);
    checkOptions(options, caller);
    this.learningRate = checkLearningRate(
      options.learningRate ?? 0.1,
      "options.learningRate",
      caller,
    );
    this.momentum = checkNumber(
      options.momentum ?? 0,
      "options.momentum",
      caller,
      0,
      1,
      "in [0, 1)",
      false,
      true,
    );
    this.weightDecay = checkNumber(
      options.weightDecay ?? 0,
      "options.weightDecay",
      caller,
      0,
      Infinity,
      "that is finite and >= 0",
    );
    this.#velocity = new Float64Array(this.parameters.length);
  }

  /**
   * How many times {@linkcode SGD.step} has run.
   *
   * @example
   * ```ts
   * import { Value } from "./engine.ts";
   * import { SGD } from "./optim.ts";
   * const optimizer = new SGD([new Value(1)]);
   * optimizer.step();
   * console.log(optimizer.stepCount); // 1
   * ```
   */
  get stepCount(): number {
    return this.#steps;
  }

  /**
   * Apply one update from the parameters' current gradients. `learningRate`
   * (finite, ≥ 0) replaces the base rate for this step only: a training loop
   * passes the scheduled rate here.
   *
   * @example
   * ```ts
   * import { Value } from "./engine.ts";
   * import { SGD } from "./optim.ts";
   * const w = new Value(1);
   * w.grad = 2;
   * new SGD([w], { learningRate: 0.1 }).step(0.5);
   * console.log(w.data); // 1 - 0.5 * 2 = 0
   * ```
   */
  step(learningRate?: number): void {
    const rate = learningRate === undefined
      ? this.learningRate
      : checkLearningRate(learningRate, "learningRate", "SGD.step");
    const { momentum, weightDecay } = this;
    const velocity = this.#velocity;
    const parameters = this.#list;
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
    this.#steps++;
  }

  /**
   * Set every parameter's gradient to 0 (before the next backward pass,
   * since gradients accumulate).
   *
   * @example
   * ```ts
   * import { Value } from "./engine.ts";
   * import { SGD } from "./optim.ts";
   * const w = new Value(1);
   * w.grad = 3;
   * new SGD([w]).zeroGrad();
   * console.log(w.grad); // 0
   * ```
   */
  zeroGrad(): void {
    for (const p of this.#list) p.grad = 0;
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
 * @example
 * ```ts
 * import { Value } from "./engine.ts";
 * import { Adam } from "./optim.ts";
 * const w = new Value(2);
 * const optimizer = new Adam([w], { learningRate: 0.1 });
 * w.mul(w).backward();
 * optimizer.step();
 * console.log(w.data); // about 2 - 0.1 = 1.9: the first step has size ≈ rate
 * ```
 */
export class Adam implements Optimizer {
  /** The parameters in a plain array, for the hot loops (see SGD). */
  readonly #list: Value[];
  /** The parameters updated by {@linkcode Adam.step}, in the given order. */
  readonly parameters: readonly Value[];
  /** Base step size, used when `step()` is called without one. */
  readonly learningRate: number;
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
  #steps = 0;

  /**
   * An Adam optimizer for `parameters`. Throws a `RangeError` for a negative
   * or non-finite rate or weight decay, betas outside [0, 1), or an epsilon
   * that is not a finite positive number.
   *
   * @example
   * ```ts
   * import { MLP } from "./nn.ts";
   * import { Adam } from "./optim.ts";
   * const model = new MLP(2, [8, 1]);
   * const optimizer = new Adam(model.parameters(), { learningRate: 0.01 });
   * console.log(optimizer.beta1, optimizer.beta2); // 0.9 0.999
   * ```
   */
  constructor(parameters: readonly Value[], options: AdamOptions = {}) {
    const caller = "new Adam";
    this.#list = checkParameters(parameters, caller);
    this.parameters = Object.freeze([...this.#list]);
    checkOptions(options, caller);
    this.learningRate = checkLearningRate(
      options.learningRate ?? 0.001,
      "options.learningRate",
      caller,
    );
    this.beta1 = checkNumber(
      options.beta1 ?? 0.9,
      "options.beta1",
      caller,
      0,
      1,
      "in [0, 1)",
      false,
      true,
    );
    this.beta2 = checkNumber(
      options.beta2 ?? 0.999,
      "options.beta2",
      caller,
      0,
      1,
      "in [0, 1)",
      false,
      true,
    );
    this.epsilon = checkNumber(
      options.epsilon ?? 1e-8,
      "options.epsilon",
      caller,
      0,
      Infinity,
      "that is finite and > 0",
      true,
    );
    this.weightDecay = checkNumber(
      options.weightDecay ?? 0,
      "options.weightDecay",
      caller,
      0,
      Infinity,
      "that is finite and >= 0",
    );
    this.#firstMoment = new Float64Array(this.parameters.length);
    this.#secondMoment = new Float64Array(this.parameters.length);
  }

  /**
   * How many times {@linkcode Adam.step} has run (the `t` of the bias
   * correction).
   *
   * @example
   * ```ts
   * import { Value } from "./engine.ts";
   * import { Adam } from "./optim.ts";
   * const optimizer = new Adam([new Value(1)]);
   * console.log(optimizer.stepCount); // 0
   * ```
   */
  get stepCount(): number {
    return this.#steps;
  }

  /**
   * Apply one update from the parameters' current gradients. `learningRate`
   * (finite, ≥ 0) replaces the base rate for this step only.
   *
   * @example
   * ```ts
   * import { Value } from "./engine.ts";
   * import { Adam } from "./optim.ts";
   * const w = new Value(0);
   * w.grad = -5;
   * new Adam([w]).step(0.5);
   * console.log(w.data); // about 0.5: the first step moves by ≈ rate
   * ```
   */
  step(learningRate?: number): void {
    const rate = learningRate === undefined
      ? this.learningRate
      : checkLearningRate(learningRate, "learningRate", "Adam.step");
    const t = ++this.#steps;
    const { beta1, beta2, epsilon, weightDecay } = this;
    const correction1 = 1 - beta1 ** t;
    const correction2Root = Math.sqrt(1 - beta2 ** t);
    const stepSize = rate / correction1;
    const m = this.#firstMoment;
    const v = this.#secondMoment;
    const parameters = this.#list;
    for (let i = 0; i < parameters.length; i++) {
      const p = parameters[i];
      let g = p.grad;
      if (weightDecay !== 0) g += weightDecay * p.data;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      p.data -= stepSize * m[i] / (Math.sqrt(v[i]) / correction2Root + epsilon);
    }
  }

  /**
   * Set every parameter's gradient to 0.
   *
   * @example
   * ```ts
   * import { Value } from "./engine.ts";
   * import { Adam } from "./optim.ts";
   * const w = new Value(1);
   * w.grad = 3;
   * new Adam([w]).zeroGrad();
   * console.log(w.grad); // 0
   * ```
   */
  zeroGrad(): void {
    for (const p of this.#list) p.grad = 0;
  }
}
