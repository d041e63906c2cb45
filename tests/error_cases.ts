// Shared by the unit tests: one test per row of a table of calls that must
// throw, checking the error's class and message. (Not a test file itself.)

import { test } from "node:test";
import assert from "node:assert/strict";

/** Any error class, e.g. `TypeError` or `FieldRangeError`. */
export type ErrorClass = new (...args: never[]) => Error;

/**
 * One row: the test's name, the call that must throw, the class the error
 * must be an instance of, and a pattern its message must match.
 */
export type ErrorCase = [string, () => unknown, ErrorClass, RegExp];

/**
 * Register one test per row (named `prefix + name`): the call throws an
 * instance of the class, with a message matching the pattern.
 */
export function testErrorCases(
  cases: readonly ErrorCase[],
  prefix = "",
): void {
  for (const [name, call, type, message] of cases) {
    test(prefix + name, () => {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
        assert.match((error as Error).message, message);
        return true;
      });
    });
  }
}
