/**
 * The one internal module of argument checks: naming what a caller passed,
 * the typed errors that carry the offending field, and the checks every
 * public function and options object shares (numbers, integers, names from a
 * list, plain options objects with no unknown keys). Internal: `mod.ts`
 * re-exports only the error classes.
 *
 * Every check throws a {@linkcode FieldTypeError} when the value has the
 * wrong type and a {@linkcode FieldRangeError} when it has the right type but
 * is not allowed; both carry `.field` (e.g. `"learningRate"`,
 * `"hidden[2]"`, `"y[17]"`) and `.allowed` (what would have been accepted),
 * so callers (the CLI, the playground) can map an error back to the control
 * that caused it without reading the message.
 *
 * @module
 */

/**
 * Describe an unexpected argument for an error message, e.g. `a string ("2")`.
 *
 * @param x Anything a caller passed.
 * @returns A short English description of its type and value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeArgument } from "./checks.ts";
 * assert.equal(describeArgument("2"), 'a string ("2")');
 * assert.equal(describeArgument(new Map()), "an instance of Map");
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
 * `"a", "b" or "c"`, for an error message listing the allowed names.
 *
 * @param names The allowed names.
 * @returns The names quoted and joined with commas and a final "or".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listOf } from "./checks.ts";
 * assert.equal(listOf(["sgd", "momentum", "adam"]), '"sgd", "momentum" or "adam"');
 * ```
 */
export function listOf(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  return quoted.length > 1
    ? `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`
    : quoted.join("");
}

/** What both typed errors carry. */
export interface FieldErrorDetails {
  /** The field, option or argument at fault, e.g. `"learningRate"` or `"hidden[2]"`. */
  field: string;
  /** What would have been accepted, e.g. `"a finite number > 0"`. */
  allowed: string;
}

/**
 * A value of the wrong type for a field, option or argument.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FieldTypeError } from "./checks.ts";
 * const error = new FieldTypeError("SGD: momentum must be a number", { field: "momentum", allowed: "a number in [0, 1)" });
 * assert.ok(error instanceof TypeError);
 * assert.equal(error.field, "momentum");
 * ```
 */
export class FieldTypeError extends TypeError implements FieldErrorDetails {
  /** The field, option or argument at fault. */
  readonly field: string;
  /** What would have been accepted. */
  readonly allowed: string;

  /**
   * Make the error.
   *
   * @param message The whole message, naming the field and what is allowed.
   * @param details The field and what is allowed, for programs.
   */
  constructor(message: string, details: FieldErrorDetails) {
    super(message);
    this.name = "FieldTypeError";
    this.field = details.field;
    this.allowed = details.allowed;
  }
}

/**
 * A value of the right type that is out of range or not in the allowed set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FieldRangeError } from "./checks.ts";
 * const error = new FieldRangeError("points must be from 2 to 100000", { field: "points", allowed: "an integer from 2 to 100000" });
 * assert.ok(error instanceof RangeError);
 * assert.equal(error.field, "points");
 * ```
 */
export class FieldRangeError extends RangeError implements FieldErrorDetails {
  /** The field, option or argument at fault. */
  readonly field: string;
  /** What would have been accepted. */
  readonly allowed: string;

  /**
   * Make the error.
   *
   * @param message The whole message, naming the field and what is allowed.
   * @param details The field and what is allowed, for programs.
   */
  constructor(message: string, details: FieldErrorDetails) {
    super(message);
    this.name = "FieldRangeError";
    this.field = details.field;
    this.allowed = details.allowed;
  }
}

/** Either typed error. */
export type FieldError = FieldTypeError | FieldRangeError;

/**
 * Whether `error` is one of the typed errors that name a field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FieldRangeError, isFieldError } from "./checks.ts";
 * assert.ok(isFieldError(new FieldRangeError("x", { field: "f", allowed: "y" })));
 * assert.ok(!isFieldError(new RangeError("x")));
 * ```
 */
export function isFieldError(error: unknown): error is FieldError {
  return error instanceof FieldTypeError || error instanceof FieldRangeError;
}

/**
 * Throw the typed error for `field`: the message reads
 * `WHERE: FIELD must be ALLOWED, got DESCRIPTION` (without `WHERE: ` when
 * `where` is empty).
 *
 * @param kind `"type"` for a wrong type, `"range"` for a bad value.
 * @param where The function or constructor, e.g. `"SGD"`; may be `""`.
 * @param field The field at fault.
 * @param allowed What is allowed.
 * @param got What was passed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { failField } from "./checks.ts";
 * assert.throws(() => failField("range", "SGD", "momentum", "a number in [0, 1)", 2), {
 *   name: "FieldRangeError",
 *   message: "SGD: momentum must be a number in [0, 1), got the number 2",
 * });
 * ```
 */
export function failField(
  kind: "type" | "range",
  where: string,
  field: string,
  allowed: string,
  got: unknown,
): never {
  const message = `${
    where ? `${where}: ` : ""
  }${field} must be ${allowed}, got ${describeArgument(got)}`;
  const details = { field, allowed };
  throw kind === "type"
    ? new FieldTypeError(message, details)
    : new FieldRangeError(message, details);
}

/** Bounds of {@linkcode checkNumber}; absent bounds are unbounded. */
export interface NumberBounds {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  /** Largest allowed value (inclusive unless `maxExclusive`). */
  max?: number;
  /** Exclude `min` itself. */
  minExclusive?: boolean;
  /** Exclude `max` itself. */
  maxExclusive?: boolean;
  /** Require an integer (safe integers only). */
  integer?: boolean;
}

/**
 * The English for a range, e.g. `"a finite number > 0"`, `"a number in [0, 1)"`,
 * `"an integer from 1 to 1024"`.
 *
 * @param bounds The range.
 * @returns Its description for "must be …".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeBounds } from "./checks.ts";
 * assert.equal(describeBounds({ min: 0, minExclusive: true }), "a finite number > 0");
 * assert.equal(describeBounds({ min: 0, max: 1, maxExclusive: true }), "a number in [0, 1)");
 * assert.equal(describeBounds({ min: 1, max: 1024, integer: true }), "an integer from 1 to 1024");
 * ```
 */
export function describeBounds(bounds: NumberBounds): string {
  const { min, max, minExclusive = false, maxExclusive = false } = bounds;
  if (bounds.integer) {
    if (min !== undefined && max !== undefined) {
      return `an integer from ${min + (minExclusive ? 1 : 0)} to ${
        max - (maxExclusive ? 1 : 0)
      }`;
    }
    if (min !== undefined) {
      return `an integer ${minExclusive ? ">" : ">="} ${min}`;
    }
    if (max !== undefined) {
      return `an integer ${maxExclusive ? "<" : "<="} ${max}`;
    }
    return "a safe integer";
  }
  if (min !== undefined && max !== undefined) {
    return `a number in ${minExclusive ? "(" : "["}${min}, ${max}${
      maxExclusive ? ")" : "]"
    }`;
  }
  if (min !== undefined) {
    return `a finite number ${minExclusive ? ">" : ">="} ${min}`;
  }
  if (max !== undefined) {
    return `a finite number ${maxExclusive ? "<" : "<="} ${max}`;
  }
  return "a finite number";
}

/**
 * Check a number (always finite) against bounds. Throws a
 * {@linkcode FieldTypeError} for a non-number and a {@linkcode FieldRangeError}
 * for NaN, ±Infinity, a non-integer where one is required, or a value out of
 * bounds.
 *
 * @param value What was passed.
 * @param where The function, e.g. `"Adam"`; may be `""`.
 * @param field The field, e.g. `"beta1"`.
 * @param bounds The allowed range.
 * @param allowed The English for the range; default {@linkcode describeBounds}.
 * @returns `value`, typed as a number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNumber } from "./checks.ts";
 * assert.equal(checkNumber(0.9, "Adam", "beta1", { min: 0, max: 1, maxExclusive: true }), 0.9);
 * assert.throws(() => checkNumber(1, "Adam", "beta1", { min: 0, max: 1, maxExclusive: true }), RangeError);
 * assert.throws(() => checkNumber("1", "Adam", "beta1", {}), TypeError);
 * ```
 */
export function checkNumber(
  value: unknown,
  where: string,
  field: string,
  bounds: NumberBounds = {},
  allowed: string = describeBounds(bounds),
): number {
  if (typeof value !== "number") {
    failField("type", where, field, allowed, value);
  }
  const { min, max, minExclusive = false, maxExclusive = false } = bounds;
  const ok = Number.isFinite(value) &&
    (!bounds.integer || Number.isSafeInteger(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || (maxExclusive ? value < max : value <= max));
  if (!ok) failField("range", where, field, allowed, value);
  return value;
}

/**
 * Check an integer from `min` to `max` (both inclusive).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInteger } from "./checks.ts";
 * assert.equal(checkInteger(3, "makeSpiral", "classes", 2, 10), 3);
 * assert.throws(() => checkInteger(2.5, "makeSpiral", "classes", 2, 10), {
 *   message: "makeSpiral: classes must be an integer from 2 to 10, got the number 2.5",
 * });
 * ```
 */
export function checkInteger(
  value: unknown,
  where: string,
  field: string,
  min: number,
  max: number,
): number {
  return checkNumber(value, where, field, { min, max, integer: true });
}

/**
 * Check a seed: any safe integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSeed } from "./checks.ts";
 * assert.equal(checkSeed(-7, "makeMoons", "seed"), -7);
 * assert.throws(() => checkSeed(0.5, "makeMoons", "seed"), RangeError);
 * ```
 */
export function checkSeed(
  value: unknown,
  where: string,
  field: string,
): number {
  return checkNumber(value, where, field, { integer: true }, "a safe integer");
}

/**
 * Check that `value` is a positive safe integer (a size, a count). `where`
 * names the parameter in the message, e.g. `"MLP: nouts[0]"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPositiveInteger } from "./checks.ts";
 * assert.equal(checkPositiveInteger(16, "nouts[0]"), 16);
 * assert.throws(() => checkPositiveInteger(0, "nouts[0]"), {
 *   message: "nouts[0] must be a positive integer, got the number 0",
 * });
 * ```
 */
export function checkPositiveInteger(value: unknown, where: string): number {
  return checkNumber(
    value,
    "",
    where,
    { min: 1, integer: true },
    "a positive integer",
  );
}

/**
 * Check a name from a fixed list (an activation, a loss, a dataset).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkName } from "./checks.ts";
 * assert.equal(checkName("adam", "validateConfig", "optimizer", ["sgd", "adam"]), "adam");
 * assert.throws(() => checkName("rmsprop", "validateConfig", "optimizer", ["sgd", "adam"]), {
 *   message: 'validateConfig: optimizer must be one of "sgd" or "adam", got a string ("rmsprop")',
 * });
 * ```
 */
export function checkName<T extends string>(
  value: unknown,
  where: string,
  field: string,
  names: readonly T[],
): T {
  const allowed = `one of ${listOf(names)}`;
  if (typeof value !== "string") {
    failField("type", where, field, allowed, value);
  }
  if (!names.includes(value as T)) {
    failField("range", where, field, allowed, value);
  }
  return value as T;
}

/**
 * Check a boolean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBoolean } from "./checks.ts";
 * assert.equal(checkBoolean(true, "compile", "options.keep"), true);
 * assert.throws(() => checkBoolean(1, "compile", "options.keep"), TypeError);
 * ```
 */
export function checkBoolean(
  value: unknown,
  where: string,
  field: string,
): boolean {
  if (typeof value !== "boolean") {
    failField("type", where, field, "true or false", value);
  }
  return value;
}

/**
 * Whether `value` is a plain object: `{…}` or `Object.create(null)`, not an
 * array, a `Map`, a `Date` or a class instance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPlainObject } from "./checks.ts";
 * assert.ok(isPlainObject({ a: 1 }));
 * assert.ok(!isPlainObject(new Map()));
 * assert.ok(!isPlainObject([1]));
 * ```
 */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * PyTorch's (and a few other libraries') spellings of our option names, so an
 * unknown key can say what we call it.
 */
const FOREIGN_SPELLINGS: Readonly<Record<string, string>> = {
  lr: "learningRate",
  learning_rate: "learningRate",
  weight_decay: "weightDecay",
  betas: "beta1 and beta2",
  eps: "epsilon",
  nesterov: "momentum (Nesterov momentum is not offered)",
  dampening: "momentum (dampening is not offered)",
  amsgrad: "beta2 (AMSGrad is not offered)",
  n_samples: "points",
  random_state: "seed",
  noise_level: "noise",
  n_classes: "classes",
  nonlin: "activation",
  h: "step",
};

/** Lower case without `-` and `_`, so `learning_rate` matches `learningRate`. */
function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

/**
 * The Levenshtein distance between two strings: how many single-letter
 * insertions, deletions or substitutions turn one into the other. Enough to
 * catch `momentun` for `momentum` in a "did you mean" hint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistance } from "./checks.ts";
 * assert.equal(editDistance("momentun", "momentum"), 1);
 * assert.equal(editDistance("tahn", "tanh"), 2);
 * ```
 */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The known key an unknown `key` most likely meant, or `undefined`: the same
 * key in another case or with `_`/`-` (`learning_rate`), a PyTorch spelling
 * (`lr`, `weight_decay`, `betas`, `eps`), or a typo within two letters
 * (`momentun`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { suggestKey } from "./checks.ts";
 * const known = ["learningRate", "momentum", "weightDecay"];
 * assert.equal(suggestKey("lr", known), "learningRate");
 * assert.equal(suggestKey("weight_decay", known), "weightDecay");
 * assert.equal(suggestKey("momentun", known), "momentum");
 * assert.equal(suggestKey("colour", known), undefined);
 * ```
 */
export function suggestKey(
  key: string,
  known: readonly string[],
  spellings: Readonly<Record<string, string>> = {},
): string | undefined {
  const normalized = normalizeKey(key);
  const same = known.find((name) => normalizeKey(name) === normalized);
  if (same) return same;
  const foreign = spellings[key] ?? FOREIGN_SPELLINGS[key] ??
    FOREIGN_SPELLINGS[key.toLowerCase()];
  if (foreign) {
    const first = foreign.split(" ")[0];
    if (known.includes(first)) return foreign;
  }
  let best: string | undefined;
  let bestDistance = normalized.length <= 4 ? 2 : 3;
  for (const name of known) {
    const distance = editDistance(normalized, normalizeKey(name));
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Check an options object: `undefined` (when `optional`) or a plain object
 * whose keys are all in `known`. A `Map`, an array, a class instance or a
 * primitive is a {@linkcode FieldTypeError}; an unknown key is a
 * {@linkcode FieldRangeError} naming the key, the known ones and, where it
 * looks like one of them or is PyTorch's spelling, a suggestion.
 *
 * @param value What was passed as the options.
 * @param where The function or constructor, e.g. `"SGD"`.
 * @param known The option names it accepts.
 * @param field How to name the object itself in a message; default `"options"`.
 * @param spellings Other libraries' names for this function's keys, where
 *   they differ from the shared table (e.g. gradcheck's `eps` is our `step`).
 * @returns The options as a record (an empty one for `undefined`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOptions } from "./checks.ts";
 * const known = ["learningRate", "momentum", "weightDecay"];
 * assert.deepEqual(checkOptions({ momentum: 0.9 }, "SGD", known), { momentum: 0.9 });
 * assert.throws(() => checkOptions({ lr: 0.1 }, "SGD", known), {
 *   name: "FieldRangeError",
 *   message: 'SGD: unknown option "lr" (did you mean "learningRate"?); allowed options are learningRate, momentum, weightDecay',
 * });
 * assert.throws(() => checkOptions(new Map(), "SGD", known), TypeError);
 * ```
 */
export function checkOptions(
  value: unknown,
  where: string,
  known: readonly string[],
  field = "options",
  spellings: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    failField(
      "type",
      where,
      field,
      `a plain object with some of ${known.join(", ")}`,
      value,
    );
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = suggestKey(key, known, spellings);
    const noun = field === "options" ? "option" : "field";
    const allowed = `one of ${known.join(", ")}`;
    throw new FieldRangeError(
      `${where ? `${where}: ` : ""}unknown ${noun} "${key}"${
        suggestion ? ` (did you mean "${suggestion}"?)` : ""
      }; allowed ${noun}s are ${known.join(", ")}`,
      { field: key, allowed },
    );
  }
  return value;
}
