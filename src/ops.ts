/**
 * The op table: every operation of the engine in one place, with its name,
 * symbol and arity, its forward rule and its chain rule side by side (as in
 * micrograd, where `__mul__` and its `_backward` sit together), and how its
 * chain rule reads as a formula.
 *
 * The subtle numerical rules live here once, as small pure kernels on plain
 * numbers: relu passing NaN, the sigmoid that never overflows, the division
 * gradient that never squares a huge denominator, the zero rules of the
 * power gradients, the stable log-sum-exp. The `Value` engine
 * (`engine.ts`), the compiled tape (`tape.ts`, `layers.ts`), `activation.ts`
 * and the playground's explorer call these kernels from their own fast
 * `switch`es, so every path gives the same numbers, bit for bit; the
 * metadata (names, symbols, formulas, hints) feeds `findAnomaly`, `toDot`,
 * the explorer's parser, replay and stepper.
 *
 * Adding an operation means: a row here, a method on `Value` (and its case
 * in `Value`'s chain rule), and an opcode in `opcodes.ts` with its cases in
 * the tape. Nothing in the playground.
 *
 * @module
 */

import { accurateCos, accurateSin } from "./portable_math.ts";

/** Every operation's name, as `Value.op` holds it. */
export type OperationName =
  | "+"
  | "-"
  | "*"
  | "/"
  | "**"
  | "neg"
  | "tanh"
  | "exp"
  | "log"
  | "relu"
  | "sigmoid"
  | "sin"
  | "abs"
  | "sum"
  | "dot"
  | "logsumexp";

/**
 * The operation that produced a `Value`. Leaves (inputs and parameters)
 * have the empty operation `""`.
 */
export type Operation = "" | OperationName;

/** The operations written `name(x)` in formulas and the explorer's language. */
export type FunctionName =
  | "tanh"
  | "exp"
  | "log"
  | "relu"
  | "sigmoid"
  | "sin"
  | "abs";

// ---------------------------------------------------------------------------
// The kernels: each operation's subtle forward and chain-rule arithmetic, on
// plain numbers. Every caller uses them with the incoming grad `g` exactly as
// written here, so all engines round identically.

/**
 * `max(0, x)`, except that NaN passes through (as in PyTorch) instead of
 * being hidden as 0, so a diverged model shows it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reluForward } from "./ops.ts";
 * assert.equal(reluForward(-2), 0);
 * assert.equal(reluForward(3), 3);
 * assert.ok(Number.isNaN(reluForward(NaN)));
 * ```
 */
export function reluForward(x: number): number {
  return x > 0 || Number.isNaN(x) ? x : 0;
}

/**
 * Whether relu passes its grad back, given its output: where the output is
 * not clamped, NaN included (as in PyTorch). At exactly 0 it does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reluPasses } from "./ops.ts";
 * assert.equal(reluPasses(2), true);
 * assert.equal(reluPasses(0), false);
 * assert.equal(reluPasses(NaN), true);
 * ```
 */
export function reluPasses(out: number): boolean {
  return !(out <= 0);
}

/**
 * The logistic function `1 / (1 + e^-x)`, never overflowing: for negative x
 * it uses the equal form `e^x / (1 + e^x)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sigmoidForward } from "./ops.ts";
 * assert.equal(sigmoidForward(0), 0.5);
 * assert.equal(sigmoidForward(-1000), 0);
 * assert.equal(sigmoidForward(1000), 1);
 * ```
 */
export function sigmoidForward(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * `d sigmoid(x) / dx` from the output `s`: `s · (1 - s)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sigmoidLocalGradient } from "./ops.ts";
 * assert.equal(sigmoidLocalGradient(0.5), 0.25);
 * ```
 */
export function sigmoidLocalGradient(s: number): number {
  return s * (1 - s);
}

/**
 * `tanh(x)` with `Math.tanh`, which saturates to ±1 instead of overflowing
 * like the textbook `(e^2x - 1)/(e^2x + 1)` does at |x| = 1000.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tanhForward } from "./ops.ts";
 * assert.equal(tanhForward(1000), 1);
 * ```
 */
export function tanhForward(x: number): number {
  return Math.tanh(x);
}

/**
 * `d tanh(x) / dx` from the output `t`: `1 - t²`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tanhLocalGradient } from "./ops.ts";
 * assert.equal(tanhLocalGradient(0), 1);
 * assert.equal(tanhLocalGradient(0.5), 0.75);
 * ```
 */
export function tanhLocalGradient(t: number): number {
  return 1 - t * t;
}

/**
 * What `a / b` adds to the grad of its denominator `b` when its own grad is
 * `g`: `g · d(a/b)/db = -g · a/b²`, computed as `-(g · (a/b/b))` (as PyTorch
 * does) because `b²` overflows to Infinity for |b| > 1e154.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { divDenominatorGradient } from "./ops.ts";
 * assert.equal(divDenominatorGradient(3, 2, 1), -0.75);
 * // a / (b * b) would be 1e200 / Infinity = 0
 * assert.equal(divDenominatorGradient(1e200, 1e200, 1), -1e-200);
 * ```
 */
export function divDenominatorGradient(
  a: number,
  b: number,
  g: number,
): number {
  return -(g * (a / b / b));
}

/**
 * Whether `a ** k` passes a grad to its base: not for `k = 0`, where the
 * power is the constant 1 (PyTorch gives 0 there, not the NaN of
 * `0 · 0^-1` at `a = 0`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { powHasBaseGradient } from "./ops.ts";
 * assert.equal(powHasBaseGradient(2), true);
 * assert.equal(powHasBaseGradient(0), false);
 * ```
 */
export function powHasBaseGradient(k: number): boolean {
  return k !== 0;
}

/**
 * `d(a^k)/da = k · a^(k-1)` (times the grad `g` by the caller).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { powLocalGradient } from "./ops.ts";
 * assert.equal(powLocalGradient(3, 2), 6);
 * ```
 */
export function powLocalGradient(base: number, k: number): number {
  return k * base ** (k - 1);
}

/**
 * Whether `a ** b` passes a grad to a `Value` exponent: PyTorch takes
 * `d(a^b)/db = a^b · ln a` as 0 where `a = 0` and `b >= 0` (instead of the
 * NaN of `0 · -Infinity`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { powHasExponentGradient } from "./ops.ts";
 * assert.equal(powHasExponentGradient(2, 3), true);
 * assert.equal(powHasExponentGradient(0, 3), false);
 * assert.equal(powHasExponentGradient(0, -1), true);
 * ```
 */
export function powHasExponentGradient(base: number, k: number): boolean {
  return !(base === 0 && k >= 0);
}

/**
 * `d(a^b)/db = a^b · ln a`, from the output `out = a^b` (times `g` by the
 * caller).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { powExponentLocalGradient } from "./ops.ts";
 * assert.equal(powExponentLocalGradient(8, Math.E), 8);
 * ```
 */
export function powExponentLocalGradient(out: number, base: number): number {
  return out * Math.log(base);
}

/**
 * `log(Σ e^x[i])` over `values[from..to)`, computed stably by factoring out
 * the largest term (`m + log Σ e^(x[i]-m)`), so it never overflows. All
 * -Infinity, or an Infinity or NaN among them, is returned as the largest
 * (NaN is never the largest, so it shows only through the sum).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSumExpForward } from "./ops.ts";
 * assert.equal(logSumExpForward([1000, 1000]), 1000.6931471805599);
 * assert.equal(logSumExpForward([-Infinity, -Infinity]), -Infinity);
 * ```
 */
export function logSumExpForward(
  values: ArrayLike<number>,
  from = 0,
  to: number = values.length,
): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (values[i] > max) max = values[i];
  if (!Number.isFinite(max)) return max;
  let total = 0;
  for (let i = from; i < to; i++) total += Math.exp(values[i] - max);
  return max + Math.log(total);
}

/**
 * `d logsumexp / dx_i = e^(x_i - out)`: the softmax of the inputs, never
 * overflowing (times `g` by the caller).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSumExpLocalGradient } from "./ops.ts";
 * assert.equal(logSumExpLocalGradient(0, Math.log(2)), 0.5);
 * ```
 */
export function logSumExpLocalGradient(x: number, out: number): number {
  return Math.exp(x - out);
}

/**
 * `sin(x)`, computed with `accurateSin` of `portable_math.ts`, so every
 * JavaScript engine gives the same bits (`Math.sin` may differ in the last
 * place between V8 and JavaScriptCore). NaN and ±Infinity give NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sinForward } from "./ops.ts";
 * assert.equal(sinForward(0), 0);
 * assert.ok(Math.abs(sinForward(Math.PI / 2) - 1) < 1e-15);
 * assert.ok(Number.isNaN(sinForward(Infinity)));
 * ```
 */
export function sinForward(x: number): number {
  return accurateSin(x);
}

/**
 * `d sin(x) / dx = cos(x)` (times `g` by the caller), with
 * `accurateCos` for the same reason as {@linkcode sinForward}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sinLocalGradient } from "./ops.ts";
 * assert.equal(sinLocalGradient(0), 1);
 * ```
 */
export function sinLocalGradient(x: number): number {
  return accurateCos(x);
}

/**
 * `d|x|/dx`: the sign of x, and 0 at 0 and at NaN, as PyTorch's `abs`
 * defines it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { absLocalGradient } from "./ops.ts";
 * assert.equal(absLocalGradient(-3), -1);
 * assert.equal(absLocalGradient(0), 0);
 * ```
 */
export function absLocalGradient(x: number): number {
  // Not Math.sign: PyTorch's abs passes no gradient at NaN (nor at ±0).
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

// ---------------------------------------------------------------------------
// The table

/** What one chain-rule step sees, as numbers. */
export interface LocalStep {
  /** The data of the operation's inputs, in order. */
  inputs: readonly number[];
  /** The operation's output (its `data`). */
  out: number;
  /** The output's grad, passed back through the step. */
  grad: number;
  /** The operation's `Value.constant` (number exponent, `dot` length). */
  constant: number;
}

/**
 * The parts of a chain-rule formula, as text. The stepper renders every
 * formula twice: once with names (`w.data * o.grad`), once with numbers
 * (`-3 * 0.5`), from the same function.
 */
export interface FormulaParts {
  /** How many inputs the operation has. */
  count: number;
  /** Input `i`'s data: `"x1.data"` or `"2"`. */
  input(i: number): string;
  /** Input `i`'s name, for explanations (`"x1"`), in both renderings. */
  name(i: number): string;
  /** The output's data. */
  out: string;
  /** The output's grad. */
  grad: string;
  /** A power's exponent (number or input 1's data). */
  exponent: string;
  /** The exponent minus one: `"(2 - 1)"` or `"1"`. */
  exponentMinusOne: string;
  /** The negation of a term: `"-o.grad"` or, with numbers, the sign flipped. */
  minus(text: string): string;
  /** A term squared: `"b.data²"`, `"(-3)²"`. */
  squared(text: string): string;
}

/** The chain rule for one input of an operation (or every input, for a list). */
export interface InputGradient {
  /**
   * What the step adds to input `i`'s grad, or `null` where it adds nothing
   * at all (not even 0: adding 0 would turn a -0 grad into +0).
   */
  term(step: LocalStep, i: number): number | null;
  /** The term as a formula (see {@linkcode FormulaParts}). */
  formula(parts: FormulaParts, i: number): string;
  /** A remark shown after the named formula, e.g. when relu passes. */
  note?(parts: FormulaParts, i: number): string;
  /** Why the step adds nothing, where `term` is `null`. */
  zeroReason?(parts: FormulaParts, i: number): string;
}

/** One row of the op table. */
export interface OperationSpec {
  /** The operation as `Value.op` holds it. */
  op: OperationName;
  /** A readable name for messages (`"mul"` for `*`). */
  name: string;
  /**
   * How it is written: the operator of an infix or prefix operation, the
   * function name otherwise.
   */
  symbol: string;
  /**
   * `"infix"` (`a + b`), `"prefix"` (`-a`), `"function"` (`tanh(a)`) or
   * `"list"` (a function of a list of values, `sum([...])`).
   */
  notation: "infix" | "prefix" | "function" | "list";
  /** How many inputs: 1, 2, or `"many"` (a list). */
  arity: 1 | 2 | "many";
  /**
   * What `Value.constant` holds: `"exponent"` (a power with a number
   * exponent has one input and keeps the exponent here), `"split"` (the
   * length of the first of two vectors), or `"none"`.
   */
  constant: "exponent" | "split" | "none";
  /** An error for a wrong list of inputs (beyond the arity), or null. */
  checkInputs?(count: number, constant: number): string | null;
  /** The forward rule: the output from the inputs' data. */
  forward(inputs: readonly number[], constant: number): number;
  /**
   * The chain rule, one entry per input (for a `"many"` operation, one
   * entry applied to every input).
   */
  gradients: readonly InputGradient[];
  /**
   * The order in which the engine adds the inputs' terms (it matters for
   * rounding when a value is used twice); default input order.
   */
  backwardOrder?(count: number, constant: number): number[];
  /** The likely cause of a non-finite output from finite inputs. */
  nonFiniteHint?(step: LocalStep): string;
}

/** The exponent of a power: its constant, or its second input's data. */
function exponentOf(step: LocalStep): number {
  return step.inputs.length === 1 ? step.constant : step.inputs[1];
}

/** The term `grad` passed on unchanged (+, sum, relu's open side). */
const passGrad = {
  term: (step: LocalStep): number => step.grad,
  formula: (p: FormulaParts): string => p.grad,
};

/** For `dot`: the partner of input `i` (a[i] ↔ b[i]) among `2n` inputs. */
function partner(i: number, n: number): number {
  return i < n ? i + n : i - n;
}

/**
 * The op table, one row per operation (see {@linkcode OperationSpec}).
 *
 * @example Forward and chain rule of one operation
 * ```ts
 * import assert from "node:assert/strict";
 * import { OPERATIONS } from "./ops.ts";
 * const mul = OPERATIONS["*"];
 * assert.equal(mul.forward([2, -3], 0), -6);
 * const step = { inputs: [2, -3], out: -6, grad: 1, constant: 0 };
 * assert.deepEqual(mul.gradients.map((rule, i) => rule.term(step, i)), [-3, 2]);
 * ```
 */
export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {
  "+": {
    op: "+",
    name: "add",
    symbol: "+",
    notation: "infix",
    arity: 2,
    constant: "none",
    forward: ([a, b]) => a + b,
    gradients: [passGrad, passGrad],
  },
  "-": {
    op: "-",
    name: "sub",
    symbol: "-",
    notation: "infix",
    arity: 2,
    constant: "none",
    forward: ([a, b]) => a - b,
    gradients: [passGrad, {
      term: (s) => -s.grad,
      formula: (p) => p.minus(p.grad),
    }],
  },
  "*": {
    op: "*",
    name: "mul",
    symbol: "*",
    notation: "infix",
    arity: 2,
    constant: "none",
    forward: ([a, b]) => a * b,
    gradients: [{
      // d(ab)/da = b
      term: (s) => s.inputs[1] * s.grad,
      formula: (p) => `${p.input(1)} * ${p.grad}`,
    }, {
      term: (s) => s.inputs[0] * s.grad,
      formula: (p) => `${p.input(0)} * ${p.grad}`,
    }],
  },
  "/": {
    op: "/",
    name: "div",
    symbol: "/",
    notation: "infix",
    arity: 2,
    constant: "none",
    forward: ([a, b]) => a / b,
    gradients: [{
      // d(a/b)/da = 1/b, as g / b
      term: (s) => s.grad / s.inputs[1],
      formula: (p) => `${p.grad} / ${p.input(1)}`,
    }, {
      term: (s) => divDenominatorGradient(s.inputs[0], s.inputs[1], s.grad),
      formula: (p) =>
        `${p.minus(p.grad)} * ${p.input(0)} / ${p.squared(p.input(1))}`,
    }],
    nonFiniteHint: ({ inputs }) =>
      inputs[1] === 0
        ? "division by zero"
        : "the quotient is too large for a double (|x| > 1.8e308)",
  },
  "**": {
    op: "**",
    name: "pow",
    symbol: "**",
    notation: "infix",
    arity: 2,
    constant: "exponent",
    forward: (inputs, constant) =>
      inputs[0] ** (inputs.length === 1 ? constant : inputs[1]),
    gradients: [{
      term: (s) => {
        const k = exponentOf(s);
        return powHasBaseGradient(k)
          ? powLocalGradient(s.inputs[0], k) * s.grad
          : null;
      },
      formula: (p) =>
        `${p.exponent} * ${p.input(0)}**${p.exponentMinusOne} * ${p.grad}`,
      zeroReason: (p) => `${p.name(0)}**0 is the constant 1`,
    }, {
      term: (s) =>
        powHasExponentGradient(s.inputs[0], s.inputs[1])
          ? powExponentLocalGradient(s.out, s.inputs[0]) * s.grad
          : null,
      formula: (p) => `${p.out} * log(${p.input(0)}) * ${p.grad}`,
      zeroReason: () => "taken as 0 where the base is 0, as PyTorch does",
    }],
    nonFiniteHint: (step) => {
      const base = step.inputs[0], exponent = exponentOf(step);
      if (base < 0 && !Number.isInteger(exponent)) {
        return "a negative base to a fractional power is NaN";
      }
      if (base === 0 && exponent < 0) {
        return "0 to a negative power is Infinity";
      }
      return "the power is too large for a double (|x| > 1.8e308)";
    },
  },
  "neg": {
    op: "neg",
    name: "neg",
    symbol: "-",
    notation: "prefix",
    arity: 1,
    constant: "none",
    forward: ([a]) => -a,
    gradients: [{ term: (s) => -s.grad, formula: (p) => p.minus(p.grad) }],
  },
  "tanh": {
    op: "tanh",
    name: "tanh",
    symbol: "tanh",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => tanhForward(a),
    gradients: [{
      term: (s) => tanhLocalGradient(s.out) * s.grad,
      formula: (p) => `(1 - ${p.squared(p.out)}) * ${p.grad}`,
    }],
  },
  "exp": {
    op: "exp",
    name: "exp",
    symbol: "exp",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => Math.exp(a),
    gradients: [{
      // (e^x)' = e^x, already computed
      term: (s) => s.out * s.grad,
      formula: (p) => `${p.out} * ${p.grad}`,
    }],
    nonFiniteHint: () => "exp overflows for inputs above 709.78",
  },
  "log": {
    op: "log",
    name: "log",
    symbol: "log",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => Math.log(a),
    gradients: [{
      // (ln x)' = 1/x, as g / x
      term: (s) => s.grad / s.inputs[0],
      formula: (p) => `${p.grad} / ${p.input(0)}`,
    }],
    nonFiniteHint: ({ inputs }) =>
      inputs[0] === 0
        ? "the logarithm of 0 is -Infinity"
        : "the logarithm of a negative number is NaN",
  },
  "relu": {
    op: "relu",
    name: "relu",
    symbol: "relu",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => reluForward(a),
    gradients: [{
      term: (s) => reluPasses(s.out) ? s.grad : null,
      formula: (p) => p.grad,
      note: (p) => `relu passes it through where ${p.out} > 0`,
      zeroReason: () => "relu is flat where its input is <= 0",
    }],
  },
  "sigmoid": {
    op: "sigmoid",
    name: "sigmoid",
    symbol: "sigmoid",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => sigmoidForward(a),
    gradients: [{
      term: (s) => sigmoidLocalGradient(s.out) * s.grad,
      formula: (p) => `${p.out} * (1 - ${p.out}) * ${p.grad}`,
    }],
  },
  "sin": {
    op: "sin",
    name: "sin",
    symbol: "sin",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => sinForward(a),
    gradients: [{
      // (sin x)' = cos x
      term: (s) => sinLocalGradient(s.inputs[0]) * s.grad,
      formula: (p) => `cos(${p.input(0)}) * ${p.grad}`,
    }],
    nonFiniteHint: () => "the sine of an infinite number is NaN",
  },
  "abs": {
    op: "abs",
    name: "abs",
    symbol: "abs",
    notation: "function",
    arity: 1,
    constant: "none",
    forward: ([a]) => Math.abs(a),
    gradients: [{
      // d|x|/dx = sign(x), 0 at 0 as in PyTorch
      term: (s) => absLocalGradient(s.inputs[0]) * s.grad,
      formula: (p) => `sign(${p.input(0)}) * ${p.grad}`,
    }],
  },
  "sum": {
    op: "sum",
    name: "sum",
    symbol: "sum",
    notation: "list",
    arity: "many",
    constant: "none",
    forward: (inputs) => {
      let total = 0;
      for (let i = 0; i < inputs.length; i++) total += inputs[i];
      return total;
    },
    gradients: [passGrad],
  },
  "dot": {
    op: "dot",
    name: "dot",
    symbol: "dot",
    notation: "list",
    arity: "many",
    constant: "split",
    checkInputs: (count, n) =>
      count === 2 * n ? null : `a dot of ${n} pairs has ${2 * n} inputs`,
    forward: (inputs, n) => {
      let total = 0;
      for (let i = 0; i < n; i++) total += inputs[i] * inputs[n + i];
      return total;
    },
    gradients: [{
      term: (s, i) => s.inputs[partner(i, s.constant)] * s.grad,
      formula: (p, i) => `${p.input(partner(i, p.count / 2))} * ${p.grad}`,
    }],
    // Pair by pair: a[0], b[0], a[1], b[1], ...
    backwardOrder: (_count, n) =>
      Array.from({ length: 2 * n }, (_, j) => (j % 2) * n + (j >> 1)),
  },
  "logsumexp": {
    op: "logsumexp",
    name: "logsumexp",
    symbol: "logsumexp",
    notation: "list",
    arity: "many",
    constant: "none",
    checkInputs: (count) =>
      count > 0
        ? null
        : "the log of an empty sum is -Infinity, so it needs at least one input",
    forward: (inputs) => logSumExpForward(inputs),
    gradients: [{
      term: (s, i) => logSumExpLocalGradient(s.inputs[i], s.out) * s.grad,
      formula: (p, i) => `exp(${p.input(i)} - ${p.out}) * ${p.grad}`,
    }],
    nonFiniteHint: () =>
      "the inputs are finite, so this should not happen; please report it",
  },
};

/**
 * Every operation, in the table's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OPERATION_NAMES } from "./ops.ts";
 * assert.ok(OPERATION_NAMES.includes("tanh"));
 * assert.equal(OPERATION_NAMES.length, 16);
 * ```
 */
export const OPERATION_NAMES: readonly OperationName[] = Object.freeze(
  Object.keys(OPERATIONS) as OperationName[],
);

/**
 * The operations written as a one-argument function, `tanh(x)`: the
 * functions of the explorer's language.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FUNCTION_NAMES } from "./ops.ts";
 * assert.deepEqual(FUNCTION_NAMES, ["tanh", "exp", "log", "relu", "sigmoid", "sin", "abs"]);
 * ```
 */
export const FUNCTION_NAMES: readonly FunctionName[] = Object.freeze(
  OPERATION_NAMES.filter((op) =>
    OPERATIONS[op].notation === "function" && OPERATIONS[op].arity === 1
  ) as FunctionName[],
);

/**
 * Whether `name` is an operation of the table (the leaf's `""` is not).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isOperationName } from "./ops.ts";
 * assert.equal(isOperationName("tanh"), true);
 * assert.equal(isOperationName("toString"), false);
 * ```
 */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === "string" && Object.hasOwn(OPERATIONS, name);
}

/**
 * The label drawn for an operation node: its symbol, with the exponent of a
 * power with a number exponent (`"**2"`), and `"-x"` for a prefix operation
 * (a bare `"-"` would read as subtraction). The leaf's is `""`.
 *
 * @param op The operation.
 * @param inputCount How many inputs the node has.
 * @param constant The node's `Value.constant`.
 * @param formatNumber How to write the exponent; default `String`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { operationLabel } from "./ops.ts";
 * assert.equal(operationLabel("**", 1, 2), "**2");
 * assert.equal(operationLabel("**", 2, 0), "**");
 * assert.equal(operationLabel("neg", 1, 0), "-x");
 * assert.equal(operationLabel("tanh", 1, 0), "tanh");
 * ```
 */
export function operationLabel(
  op: Operation,
  inputCount: number,
  constant: number,
  formatNumber: (x: number) => string = String,
): string {
  if (op === "") return "";
  const spec = OPERATIONS[op];
  if (spec.notation === "prefix") return `${spec.symbol}x`;
  if (spec.constant === "exponent" && inputCount === 1) {
    return `${spec.symbol}${formatNumber(constant)}`;
  }
  return spec.symbol;
}

/**
 * The order in which the chain rule adds its terms to the inputs' grads
 * (the engine's order, which matters for rounding when a value is used
 * twice).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backwardOrder } from "./ops.ts";
 * assert.deepEqual(backwardOrder("+", 2, 0), [0, 1]);
 * assert.deepEqual(backwardOrder("dot", 4, 2), [0, 2, 1, 3]);
 * ```
 */
export function backwardOrder(
  op: OperationName,
  count: number,
  constant: number,
): number[] {
  const order = OPERATIONS[op].backwardOrder;
  return order
    ? order(count, constant)
    : Array.from({ length: count }, (_, i) => i);
}

/**
 * The chain-rule rule of input `i` of `op` (a list operation has one rule
 * for all its inputs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputGradient } from "./ops.ts";
 * const step = { inputs: [1, 2, 3], out: 6, grad: 2, constant: 0 };
 * assert.equal(inputGradient("sum", 2).term(step, 2), 2);
 * ```
 */
export function inputGradient(op: OperationName, i: number): InputGradient {
  const rules = OPERATIONS[op].gradients;
  return rules[Math.min(i, rules.length - 1)];
}

/**
 * What one chain-rule step of `op` adds to each input's grad, by input
 * position (`null` where it adds nothing): the table's rules applied.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localTerms } from "./ops.ts";
 * assert.deepEqual(
 *   localTerms("/", { inputs: [3, 2], out: 1.5, grad: 1, constant: 0 }),
 *   [0.5, -0.75],
 * );
 * assert.deepEqual(
 *   localTerms("relu", { inputs: [-1], out: 0, grad: 1, constant: 0 }),
 *   [null],
 * );
 * ```
 */
export function localTerms(
  op: OperationName,
  step: LocalStep,
): (number | null)[] {
  return step.inputs.map((_, i) => inputGradient(op, i).term(step, i));
}

/**
 * The likely cause of a non-finite output of `op` from finite inputs, for
 * `findAnomaly`: the operation's own hint, else an overflow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nonFiniteHint } from "./ops.ts";
 * const step = { inputs: [0], out: -Infinity, grad: 0, constant: 0 };
 * assert.equal(nonFiniteHint("log", step), "the logarithm of 0 is -Infinity");
 * assert.equal(
 *   nonFiniteHint("*", { inputs: [1e200, 1e200], out: Infinity, grad: 0, constant: 0 }),
 *   "the result is too large for a double (|x| > 1.8e308)",
 * );
 * ```
 */
export function nonFiniteHint(op: OperationName, step: LocalStep): string {
  const hint = OPERATIONS[op].nonFiniteHint;
  return hint
    ? hint(step)
    : "the result is too large for a double (|x| > 1.8e308)";
}
