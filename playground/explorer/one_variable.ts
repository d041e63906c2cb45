/**
 * A program of the explorer's language seen as a function of one variable,
 * for the derivative view: evaluate it anywhere by a forward pass through
 * its graph, and differentiate it by backpropagation.
 *
 * @module
 */

import { topologicalOrder, type Value } from "../../src/engine.ts";
import { recomputeData } from "./forward.ts";
import { buildGraph } from "./parser.ts";

/** The lecture's function. */
export const DEFAULT_FUNCTION = "x = 3.0\nf = 3*x**2 - 4*x + 5\n";

/** A one-variable function made of the program's graph. */
export interface OneVariableFunction {
  /** The name of the variable (the program's one labelled leaf). */
  variable: string;
  /** Its value in the program. */
  start: number;
  /** f at `x` (a forward pass through the graph). */
  at(x: number): number;
  /** df/dx at `x` by backpropagation. */
  slope(x: number): number;
}

/**
 * The function a program computes of its variable: the leaf named `x`, or
 * else its first labelled leaf.
 *
 * @throws {ParseError} when the program does not parse.
 * @throws {RangeError} when it has no labelled leaf.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_FUNCTION, oneVariableFunction } from "./one_variable.ts";
 * const f = oneVariableFunction(DEFAULT_FUNCTION);
 * assert.equal(f.at(3), 20);
 * assert.equal(f.slope(3), 14);
 * ```
 */
export function oneVariableFunction(source: string): OneVariableFunction {
  const { output } = buildGraph(source);
  const order = topologicalOrder(output);
  const leaves = order.filter((value) => value.op === "" && value.label);
  const leaf: Value | undefined = leaves.find((value) => value.label === "x") ??
    leaves[0];
  if (!leaf) {
    throw new RangeError(
      "the program needs a variable: a name assigned a number, like x = 3",
    );
  }
  const start = leaf.data;
  const at = (x: number): number => {
    leaf.data = x;
    recomputeData(order);
    return output.data;
  };
  return {
    variable: leaf.label,
    start,
    at,
    slope(x: number): number {
      at(x);
      for (const value of order) value.grad = 0;
      output.backward();
      return leaf.grad;
    },
  };
}
