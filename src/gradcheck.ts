/**
 * Gradient checking: compare the gradients autograd computes with central
 * finite differences, the numerical way to check that an operation's
 * chain-rule step is right (the lecture's `(f(x + h) - f(x)) / h`, made
 * symmetric).
 *
 * @module
 */

import { checkNumber, checkOptions, describeArgument } from "./checks.ts";
import { Value } from "./engine.ts";

/** Options for {@linkcode gradientCheck}. */
export interface GradientCheckOptions {
  /**
   * The finite-difference step, relative to the size of each input: input
   * `x` is moved by `step · max(1, |x|)` either way. Default `1e-6` (as in
   * PyTorch's `gradcheck`): small enough that the `O(h²)` error of the central
   * difference is negligible, large enough that rounding in `f(x ± h)`,
   * amplified by `1/(2h)`, stays around `1e-10`.
   */
  step?: number;
}

/** The option names {@linkcode GradientCheckOptions} accepts. */
const GRADIENT_CHECK_OPTIONS: readonly (keyof GradientCheckOptions)[] = [
  "step",
];

/**
 * PyTorch's `gradcheck` spellings of our options: the shared table in
 * `checks.ts` maps `eps` to Adam's `epsilon`, but in `gradcheck` it is the
 * finite-difference step.
 */
const PYTORCH_SPELLINGS: Readonly<Record<string, string>> = { eps: "step" };

/** Check the options object: plain, known keys only, a positive step. */
function checkGradientCheckOptions(
  options: unknown,
): Required<GradientCheckOptions> {
  const record = checkOptions(
    options,
    "gradientCheck",
    GRADIENT_CHECK_OPTIONS,
    "options",
    PYTORCH_SPELLINGS,
  );
  const step = record.step === undefined ? 1e-6 : checkNumber(
    record.step,
    "gradientCheck",
    "options.step",
    { min: 0, minExclusive: true },
  );
  return { step };
}

/** The check of one input of the function. */
export interface InputGradientCheck {
  /** Position of the input in the `at` array. */
  index: number;
  /** `d f / d input` as computed by {@linkcode Value.backward}. */
  analytic: number;
  /** `(f(x + h) - f(x - h)) / 2h`. */
  numeric: number;
  /**
   * `|analytic - numeric| / max(1, |analytic|, |numeric|)`: relative for
   * gradients larger than 1, absolute below, so that a gradient that is truly
   * 0 (whose finite difference is some `1e-12`) counts as a match. 0 when both
   * are the same infinity, Infinity when only one is finite or either is NaN.
   */
  relativeError: number;
}

/** What {@linkcode gradientCheck} found. */
export interface GradientCheckResult {
  /** `f(at)`. */
  value: number;
  /** One entry per input, in the order of `at`. */
  inputs: InputGradientCheck[];
  /** The largest `relativeError` over the inputs (0 if there are none). */
  maxRelativeError: number;
}

/**
 * Check autograd against central finite differences for a function of
 * several scalars.
 *
 * `f` receives one fresh leaf `Value` per number of `at` and must return the
 * `Value` to differentiate; it is called once for autograd and twice per
 * input for the differences, each time on new leaves, so it must build its
 * graph from the leaves it is given (and not keep state between calls).
 *
 * @param f the function, built from `Value` operations
 * @param at the point at which to compare the gradients (finite numbers)
 * @param options the finite-difference step
 * @returns the value, per-input analytic and numeric gradients and the
 * largest relative error
 * @throws {TypeError} if `f` is not a function, `at` is not an array of
 * numbers, or `f` does not return a `Value`
 * @throws {RangeError} if an entry of `at` or the step is not finite, or the
 * step is not positive, or an option is unknown (named, with ours suggested
 * for PyTorch's spelling: `eps` is our `step`)
 *
 * @example Checking x·y + tanh(x) at (0.5, -2)
 * ```ts
 * import assert from "node:assert/strict";
 * import { gradientCheck } from "./gradcheck.ts";
 * const result = gradientCheck(([x, y]) => x.mul(y).add(x.tanh()), [0.5, -2]);
 * assert.equal(result.inputs[1].analytic, 0.5); // = x
 * assert.ok(result.maxRelativeError < 1e-8);
 * assert.throws(() => gradientCheck(([x]) => x, [1], { eps: 1e-6 } as never), {
 *   name: "FieldRangeError",
 *   message: 'gradientCheck: unknown option "eps" (did you mean "step"?); allowed options are step',
 * });
 * ```
 */
export function gradientCheck(
  f: (inputs: Value[]) => Value,
  at: readonly number[],
  options: GradientCheckOptions = {},
): GradientCheckResult {
  if (typeof f !== "function") {
    throw new TypeError(
      `gradientCheck: f must be a function of an array of Values, got ${
        describeArgument(f)
      }`,
    );
  }
  if (!Array.isArray(at)) {
    throw new TypeError(
      `gradientCheck: at must be an array of numbers, got ${
        describeArgument(at)
      }`,
    );
  }
  for (let i = 0; i < at.length; i++) {
    if (typeof at[i] !== "number") {
      throw new TypeError(
        `gradientCheck: at[${i}] must be a number, got ${
          describeArgument(at[i])
        }`,
      );
    }
    if (!Number.isFinite(at[i])) {
      throw new RangeError(
        `gradientCheck: at[${i}] must be finite (a difference across NaN or Infinity means nothing), got ${
          at[i]
        }`,
      );
    }
  }
  const { step } = checkGradientCheckOptions(options);

  // Autograd: one forward pass and one backward pass give every gradient.
  const leaves = at.map((x, i) => new Value(x, `x${i}`));
  const output = evaluate(f, leaves);
  output.backward();

  const inputs: InputGradientCheck[] = [];
  let maxRelativeError = 0;
  for (let i = 0; i < at.length; i++) {
    // Scale the step with the input so a large input still moves by more
    // than its own rounding error.
    const h = step * Math.max(1, Math.abs(at[i]));
    const plus = at.slice();
    const minus = at.slice();
    plus[i] += h;
    minus[i] -= h;
    // Divide by the step actually taken: at[i] ± h is rounded, and using the
    // exact distance between the two points removes that error.
    const numeric = (evaluateAt(f, plus).data - evaluateAt(f, minus).data) /
      (plus[i] - minus[i]);
    const analytic = leaves[i].grad;
    const relativeError = compare(analytic, numeric);
    if (!(relativeError <= maxRelativeError)) maxRelativeError = relativeError;
    inputs.push({ index: i, analytic, numeric, relativeError });
  }
  return { value: output.data, inputs, maxRelativeError };
}

/** Run `f` on fresh leaves holding `point`. */
function evaluateAt(f: (inputs: Value[]) => Value, point: number[]): Value {
  return evaluate(f, point.map((x) => new Value(x)));
}

function evaluate(f: (inputs: Value[]) => Value, leaves: Value[]): Value {
  const output = f(leaves);
  if (!(output instanceof Value)) {
    throw new TypeError(
      `gradientCheck: f must return a Value, got ${describeArgument(output)}`,
    );
  }
  return output;
}

/** The error measure documented on `InputGradientCheck.relativeError`. */
function compare(analytic: number, numeric: number): number {
  if (!Number.isFinite(analytic) || !Number.isFinite(numeric)) {
    return analytic === numeric ? 0 : Infinity;
  }
  const scale = Math.max(1, Math.abs(analytic), Math.abs(numeric));
  return Math.abs(analytic - numeric) / scale;
}
