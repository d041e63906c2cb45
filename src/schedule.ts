/**
 * Learning-rate schedules: how the step size changes over a training run.
 * Large steps early cover ground; small steps late settle into a minimum.
 *
 * @module
 */

import { checkName, checkNumber } from "./checks.ts";
import { portableCos } from "./portable_math.ts";

/**
 * A learning-rate schedule, as a multiplier of the base rate at step `k` of
 * `T` (`k = 0, 1, ..., T - 1`):
 *
 * - `"constant"`: `1`.
 * - `"linear"`: micrograd's `1.0 - 0.9 * k / T`, from 1 down towards 0.1.
 * - `"cosine"`: `0.1 + 0.9 · (1 + cos(π·k/T)) / 2`, from 1 down towards 0.1
 *   along half a cosine (flat at the start and the end).
 * - `"step"`: `0.5 ^ floor(4·k / T)`: halved at each quarter of the run
 *   (1, 1/2, 1/4, 1/8).
 *
 * Past the end (`k ≥ T`) every schedule holds its value at `k = T`
 * (0.1 for linear and cosine, 1/8 for step), so a run may continue.
 */
export type ScheduleName = "constant" | "linear" | "cosine" | "step";

/**
 * Every {@linkcode ScheduleName}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCHEDULE_NAMES } from "./schedule.ts";
 * assert.deepEqual(SCHEDULE_NAMES, ["constant", "linear", "cosine", "step"]);
 * ```
 */
export const SCHEDULE_NAMES: readonly ScheduleName[] = Object.freeze([
  "constant",
  "linear",
  "cosine",
  "step",
]);

/** The smallest multiplier of the decaying schedules (micrograd's 0.1). */
const FINAL_FRACTION = 0.1;

/**
 * The learning rate at step `step` (counted from 0) of a run of
 * `totalSteps` steps: `baseRate` times the schedule's multiplier (see
 * {@linkcode ScheduleName}). Throws a `FieldRangeError` (a `RangeError`
 * carrying `.field`) for an unknown schedule, a negative or non-finite base
 * rate, a negative or non-integer step, or a `totalSteps` that is not a
 * positive integer, and a `FieldTypeError` for an argument of the wrong type.
 *
 * The cosine uses the library's portable cosine, so the rate (and with it a
 * whole training run) is bit-identical in every JavaScript engine.
 *
 * @example micrograd's demo: 100 steps from 1.0 down to 0.109
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRateAt } from "./schedule.ts";
 * assert.equal(learningRateAt("linear", 1, 0, 100), 1);
 * assert.equal(learningRateAt("linear", 1, 50, 100), 0.55);
 * assert.equal(learningRateAt("linear", 1, 99, 100), 0.10899999999999987);
 * assert.equal(learningRateAt("step", 0.4, 60, 100), 0.1); // halved twice
 * ```
 */
export function learningRateAt(
  schedule: ScheduleName,
  baseRate: number,
  step: number,
  totalSteps: number,
): number {
  const caller = "learningRateAt";
  checkName(schedule, caller, "schedule", SCHEDULE_NAMES);
  checkNumber(baseRate, caller, "baseRate", { min: 0 });
  checkNumber(
    step,
    caller,
    "step",
    { min: 0, integer: true },
    "an integer >= 0 (counted from 0)",
  );
  checkNumber(
    totalSteps,
    caller,
    "totalSteps",
    { min: 1, integer: true },
    "a positive integer",
  );
  const k = Math.min(step, totalSteps);
  switch (schedule) {
    case "constant":
      return baseRate;
    case "linear":
      // Exactly micrograd's expression, so its demo is reproduced bit for bit.
      return baseRate * (1.0 - 0.9 * k / totalSteps);
    case "cosine": {
      const half = (1 + portableCos(Math.PI * k / totalSteps)) / 2;
      return baseRate * (FINAL_FRACTION + (1 - FINAL_FRACTION) * half);
    }
    case "step": {
      // Quarter index 0..3; at k = T (and after) stay in the last quarter.
      const quarter = Math.min(3, Math.floor(4 * k / totalSteps));
      return baseRate * 0.5 ** quarter;
    }
  }
}
