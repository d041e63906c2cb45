/**
 * What every optimizer shares: the {@linkcode Optimizer} interface a
 * training loop calls, and {@linkcode BaseOptimizer}, which checks the
 * parameters, the options object and the learning rate, counts the steps and
 * resets gradients, so that `SGD` and `Adam` (in `optim.ts`) only write their
 * update rule.
 *
 * @module
 */

import { checkNumber, checkOptions, FieldRangeError } from "./checks.ts";
import type { Value } from "./engine.ts";
import { checkValues } from "./value_checks.ts";

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

/** A learning rate: finite and >= 0 (0 freezes the parameters). */
const RATE_BOUNDS = { min: 0 } as const;

/**
 * The shared half of an optimizer. A subclass passes its name, the
 * parameters, the options it was given, the option names it knows and its
 * default rate to `super`, then checks its own options and implements
 * {@linkcode BaseOptimizer.update}: the rule that moves every parameter
 * once. {@linkcode BaseOptimizer.step} checks a scheduled rate, counts the
 * step and calls it.
 *
 * @example A minimal optimizer: plain gradient descent
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { BaseOptimizer } from "./optimizer.ts";
 * class Descent extends BaseOptimizer {
 *   constructor(parameters: readonly Value[]) {
 *     super("Descent", parameters, {}, ["learningRate"], 0.1);
 *   }
 *   protected update(parameters: Value[], rate: number): void {
 *     for (const p of parameters) p.data -= rate * p.grad;
 *   }
 * }
 * const w = new Value(1);
 * w.grad = 2;
 * const optimizer = new Descent([w]);
 * optimizer.step();
 * assert.equal(w.data, 1 - 0.1 * 2);
 * assert.equal(optimizer.stepCount, 1);
 * ```
 */
export abstract class BaseOptimizer implements Optimizer {
  /** The parameters updated by `step()`, in the given order. */
  readonly parameters: readonly Value[];
  /** Base step size, used when `step()` is called without one. */
  readonly learningRate: number;
  /** The optimizer's name in messages, e.g. `"SGD"`. */
  readonly #name: string;
  /** The same parameters in a plain array: reading elements of a frozen array
   * is several times slower in both JSC and V8, and the update loops are hot. */
  readonly #list: Value[];
  /** Number of steps taken so far. */
  #steps = 0;

  /**
   * Check and keep the parameters and the learning rate. Throws a
   * `FieldTypeError` for parameters that are not an array of Values or
   * options that are not a plain object, and a `FieldRangeError` for a
   * parameter listed twice (it would be updated twice per step), an unknown
   * option (suggesting ours for PyTorch's `lr`, `weight_decay`, `betas`,
   * `eps`) or a rate that is negative or not finite.
   *
   * @param name The optimizer's name, e.g. `"SGD"` (messages say `new SGD`).
   * @param parameters The values to optimize, usually `model.parameters()`.
   * @param options The options object the subclass was given.
   * @param known The option names the subclass accepts (with `learningRate`).
   * @param defaultRate The rate when `options.learningRate` is absent.
   */
  constructor(
    name: string,
    parameters: readonly Value[],
    options: unknown,
    known: readonly string[],
    defaultRate: number,
  ) {
    const where = `new ${name}`;
    const list = [
      ...checkValues(
        parameters,
        where,
        "parameters",
        "Values (e.g. model.parameters())",
      ),
    ];
    const seen = new Map<Value, number>();
    for (let i = 0; i < list.length; i++) {
      const first = seen.get(list[i]);
      if (first !== undefined) {
        throw new FieldRangeError(
          `${where}: parameters[${i}] is the same Value as parameters[${first}]; each parameter must appear once`,
          { field: `parameters[${i}]`, allowed: "a Value not listed before" },
        );
      }
      seen.set(list[i], i);
    }
    const given = checkOptions(options, where, known);
    this.#name = name;
    this.#list = list;
    this.parameters = Object.freeze([...list]);
    this.learningRate = checkNumber(
      given.learningRate ?? defaultRate,
      where,
      "learningRate",
      RATE_BOUNDS,
    );
  }

  /**
   * How many times `step()` has run (the `t` of Adam's bias correction).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { SGD } from "./optim.ts";
   * const optimizer = new SGD([new Value(1)]);
   * optimizer.step();
   * assert.equal(optimizer.stepCount, 1);
   * ```
   */
  get stepCount(): number {
    return this.#steps;
  }

  /**
   * Apply one update from the parameters' current gradients. `learningRate`
   * (finite, ≥ 0) replaces the base rate for this step only: a training loop
   * passes the scheduled rate here. A rejected rate changes nothing.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { SGD } from "./optim.ts";
   * const w = new Value(1);
   * w.grad = 2;
   * new SGD([w], { learningRate: 0.1 }).step(0.5);
   * assert.equal(w.data, 1 - 0.5 * 2);
   * ```
   */
  step(learningRate?: number): void {
    const rate = learningRate === undefined ? this.learningRate : checkNumber(
      learningRate,
      `${this.#name}.step`,
      "learningRate",
      RATE_BOUNDS,
    );
    this.update(this.#list, rate, ++this.#steps);
  }

  /**
   * Set every parameter's gradient to 0 (before the next backward pass,
   * since gradients accumulate).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { Adam } from "./optim.ts";
   * const w = new Value(1);
   * w.grad = 3;
   * new Adam([w]).zeroGrad();
   * assert.equal(w.grad, 0);
   * ```
   */
  zeroGrad(): void {
    for (const p of this.#list) p.grad = 0;
  }

  /**
   * The update rule: move every parameter once.
   *
   * @param parameters The parameters, in order (a plain array, for speed).
   * @param rate This step's learning rate, already checked.
   * @param t This step's number, counted from 1.
   */
  protected abstract update(
    parameters: Value[],
    rate: number,
    t: number,
  ): void;
}
