/**
 * Argument checks for arrays: an array of a given length
 * ({@linkcode checkArray}) and an array of graph {@linkcode Value}s
 * ({@linkcode checkValues}), as a module's input, an optimizer's parameters
 * or an L2 penalty's weights. Internal; the errors are the typed
 * `FieldTypeError`/`FieldRangeError` of `checks.ts`, naming the argument and
 * the index at fault (`x[1]`, `parameters[3]`).
 *
 * @module
 */

import { failField } from "./checks.ts";
import { Value } from "./engine.ts";

/**
 * Check that `value` is an array, of exactly `length` items when `length` is
 * given. A non-array is a `FieldTypeError`, a wrong length a
 * `FieldRangeError`; both name `field`.
 *
 * @param value What was passed.
 * @param where The function, e.g. `"MLP.forward"`.
 * @param field The argument, e.g. `"x"`.
 * @param items What the items should be, e.g. `"numbers"`.
 * @param length The required length, if any.
 * @param lengthMeaning Why that length, e.g. `"the model's nin"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkArray } from "./value_checks.ts";
 * const x: unknown = [1, 2];
 * checkArray(x, "MLP.predict", "x", "numbers", 2, "the model's nin");
 * assert.equal(x.length, 2);
 * assert.throws(() => checkArray([1], "MLP.predict", "x", "numbers", 2, "the model's nin"), {
 *   name: "FieldRangeError",
 *   message: "MLP.predict: x must be an array of 2 numbers (the model's nin), got an array of length 1",
 * });
 * ```
 */
export function checkArray(
  value: unknown,
  where: string,
  field: string,
  items: string,
  length?: number,
  lengthMeaning?: string,
): asserts value is unknown[] {
  const allowed = `an array of ${
    length === undefined ? "" : `${length} `
  }${items}${lengthMeaning === undefined ? "" : ` (${lengthMeaning})`}`;
  if (!Array.isArray(value)) failField("type", where, field, allowed, value);
  if (length !== undefined && value.length !== length) {
    failField("range", where, field, allowed, value);
  }
}

/**
 * Check that `value` is an array of {@linkcode Value}s (of `length` of them
 * when given) and return it typed.
 *
 * @param value What was passed.
 * @param where The function, e.g. `"new SGD"`.
 * @param field The argument, e.g. `"parameters"`.
 * @param items How to describe the array in a message; default `"Values"`.
 * @param length The required length, if any.
 * @param lengthMeaning Why that length.
 * @returns `value`, typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { checkValues } from "./value_checks.ts";
 * const w = new Value(1);
 * assert.deepEqual(checkValues([w], "l2Penalty", "parameters"), [w]);
 * assert.throws(() => checkValues([w, 2], "l2Penalty", "parameters"), {
 *   name: "FieldTypeError",
 *   message: "l2Penalty: parameters[1] must be a Value, got the number 2",
 * });
 * ```
 */
export function checkValues(
  value: unknown,
  where: string,
  field: string,
  items = "Values",
  length?: number,
  lengthMeaning?: string,
): Value[] {
  checkArray(value, where, field, items, length, lengthMeaning);
  for (let i = 0; i < value.length; i++) {
    if (!(value[i] instanceof Value)) {
      failField("type", where, `${field}[${i}]`, "a Value", value[i]);
    }
  }
  return value as Value[];
}
