/**
 * Naming what a caller passed, for error messages that say what was wrong,
 * and the check several modules share.
 *
 * @module
 */

/**
 * Describe an unexpected argument for an error message, e.g. `a string ("2")`.
 *
 * @example
 * ```ts
 * import { describeArgument } from "./describe.ts";
 * describeArgument("2"); // 'a string ("2")'
 * ```
 */
export function describeArgument(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (typeof x === "string") return `a string (${JSON.stringify(x)})`;
  if (typeof x === "bigint") return `a bigint (${x}n)`;
  if (typeof x === "number") return `the number ${x}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "object") {
    const name = (x as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== "Object" ? `an instance of ${name}` : "an object";
  }
  return `a ${typeof x}`;
}

/**
 * Check that `value` is a positive safe integer (a size, a count): a
 * `TypeError` if it is not a number at all, a `RangeError` if it is a number
 * out of range. `where` names the parameter in the message.
 *
 * @example
 * ```ts
 * import { checkPositiveInteger } from "./describe.ts";
 * console.log(checkPositiveInteger(16, "nouts[0]")); // 16
 * ```
 */
export function checkPositiveInteger(value: unknown, where: string): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${where} must be a positive integer, got ${describeArgument(value)}`,
    );
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `${where} must be a positive integer, got ${describeArgument(value)}`,
    );
  }
  return value;
}
