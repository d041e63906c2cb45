/**
 * The compiled tape's opcodes: one small integer per engine operation, the
 * numbers the tape's `switch`es dispatch on, and the two codes of fused
 * layers (see `layers.ts`).
 *
 * `**` splits in two: a number exponent (kept in the tape's constants) and a
 * `Value` exponent (a second input); `dot` gains a variant whose first vector
 * sits in consecutive slots (a neuron's weights). The order matters: below
 * {@linkcode DIV} are the operations whose backward step adds exactly nothing
 * when the incoming grad is 0 and every value is finite (the tape skips
 * them then); `DIV` and `**` can make 0 · Infinity = NaN out of finite
 * values, and a fused layer's last slot alone never decides to skip it.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import type { Value } from "./engine.ts";

/** A leaf: its value is read from the `Value`, its grad written back. */
export const LEAF = 0;
/** `a + b`. */
export const ADD = 1;
/** `a - b`. */
export const SUB = 2;
/** `a * b`. */
export const MUL = 3;
/** `-a`. */
export const NEG = 4;
/** `e ** a`. */
export const EXP = 5;
/** `ln a`. */
export const LOG = 6;
/** `tanh a`. */
export const TANH = 7;
/** `relu a`. */
export const RELU = 8;
/** `sigmoid a`. */
export const SIGMOID = 9;
/** A sum of any number of inputs. */
export const SUM = 10;
/** A dot product of two vectors (the first n inputs, then the next n). */
export const DOT = 11;
/** A `dot` whose first vector sits in consecutive slots (a neuron's weights). */
export const DOT_CONSECUTIVE = 12;
/** A stable log-sum-exp. */
export const LOGSUMEXP = 13;
/** `|a|`. */
export const ABS = 14;
/** `sin a`. */
export const SIN = 15;
/** `a / b`: the first code a zero grad does not skip. */
export const DIV = 16;
/** `a ** k` with a number exponent `k`. */
export const POWER_CONSTANT = 17;
/** `a ** b` with a `Value` exponent. */
export const POWER = 18;
/** A fused layer of `dot + bias` neurons (see `layers.ts`). */
export const LAYER = 19;
/** A fused layer of `relu(dot + bias)` neurons. */
export const LAYER_RELU = 20;

/**
 * The opcode of a node; `**` depends on whether its exponent is a Value.
 * (`DOT_CONSECUTIVE` and the layer codes are found later, from the slots.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { MUL, opcodeOf, POWER_CONSTANT } from "./opcodes.ts";
 * assert.equal(opcodeOf(new Value(2).mul(3)), MUL);
 * assert.equal(opcodeOf(new Value(2).pow(3)), POWER_CONSTANT);
 * ```
 */
export function opcodeOf(node: Value): number {
  const op = node.op;
  switch (op) {
    case "":
      return LEAF;
    case "+":
      return ADD;
    case "-":
      return SUB;
    case "*":
      return MUL;
    case "/":
      return DIV;
    case "**":
      return node.inputs.length === 1 ? POWER_CONSTANT : POWER;
    case "neg":
      return NEG;
    case "exp":
      return EXP;
    case "log":
      return LOG;
    case "tanh":
      return TANH;
    case "relu":
      return RELU;
    case "sigmoid":
      return SIGMOID;
    case "sin":
      return SIN;
    case "abs":
      return ABS;
    case "sum":
      return SUM;
    case "dot":
      return DOT;
    case "logsumexp":
      return LOGSUMEXP;
  }
  throw new TypeError(
    `compile: unknown operation ${describeArgument(op)} in the graph`,
  );
}
