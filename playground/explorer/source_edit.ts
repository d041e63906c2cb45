/**
 * Editing the program text from the page: when the learner applies a
 * nudge, the leaf's line changes too (`w1 = -3.0` becomes `w1 = -2.999`),
 * so the box and the program never disagree.
 *
 * @module
 */

import type { Program } from "./parser.ts";

/**
 * A number written short but exactly enough: 12 significant digits, no
 * trailing zeros (`-2.999`, not `-2.9990000000000001`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProgramNumber } from "./source_edit.ts";
 * assert.equal(formatProgramNumber(-3 + 0.001), "-2.999");
 * assert.equal(formatProgramNumber(6.8813735870195432), "6.88137358702");
 * ```
 */
export function formatProgramNumber(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/**
 * The program's text with the number assigned to `name` replaced by
 * `value`; null when `name` is not assigned a plain number (`name = 2`,
 * `name = -3.5`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseProgram } from "./parser.ts";
 * import { replaceAssignedNumber } from "./source_edit.ts";
 * const program = parseProgram("a = 2.0 # two\nb = a * 3");
 * assert.equal(replaceAssignedNumber(program, "a", 2.5), "a = 2.5 # two\nb = a * 3");
 * assert.equal(replaceAssignedNumber(program, "b", 1), null);
 * ```
 */
export function replaceAssignedNumber(
  program: Program,
  name: string,
  value: number,
): string | null {
  const assignment = program.assignments.find((each) => each.name === name);
  if (!assignment || assignment.expression.kind !== "number") return null;
  const { start, end } = assignment.expression.span;
  return program.source.slice(0, start.offset) + formatProgramNumber(value) +
    program.source.slice(end.offset);
}
