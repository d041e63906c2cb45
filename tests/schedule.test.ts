// Behaviour of src/schedule.ts: the learning rate at each step of a run for
// every schedule, micrograd's linear decay reproduced exactly, what happens
// past the last step, and validation.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { testErrorCases } from "./error_cases.ts";
import {
  learningRateAt,
  SCHEDULE_NAMES,
  type ScheduleName,
} from "../src/schedule.ts";

function rates(schedule: ScheduleName, base: number, total: number): number[] {
  return Array.from(
    { length: total },
    (_, k) => learningRateAt(schedule, base, k, total),
  );
}

function assertClose(actual: number, expected: number, tolerance = 1e-15) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `expected ${expected}, got ${actual}`,
  );
}

describe("learningRateAt", () => {
  test("constant: the base rate at every step", () => {
    assert.deepEqual(rates("constant", 0.05, 5), [
      0.05,
      0.05,
      0.05,
      0.05,
      0.05,
    ]);
  });

  test("linear is micrograd's 1.0 - 0.9 * k / steps, bit for bit", () => {
    for (let k = 0; k < 100; k++) {
      assert.equal(learningRateAt("linear", 1, k, 100), 1.0 - 0.9 * k / 100);
    }
    assert.equal(learningRateAt("linear", 1, 0, 100), 1);
    assert.equal(learningRateAt("linear", 1, 50, 100), 0.55);
    assertClose(learningRateAt("linear", 1, 99, 100), 0.109);
  });

  test("linear scales with the base rate", () => {
    assertClose(learningRateAt("linear", 0.5, 50, 100), 0.275);
  });

  test("cosine: from the base rate down to a tenth of it along half a cosine", () => {
    assert.equal(learningRateAt("cosine", 2, 0, 100), 2);
    assertClose(learningRateAt("cosine", 2, 50, 100), 2 * 0.55);
    assertClose(
      learningRateAt("cosine", 2, 25, 100),
      2 * (0.1 + 0.45 * (1 + Math.SQRT1_2)),
    );
    assertClose(learningRateAt("cosine", 2, 100, 100), 0.2);
    // Flat near the ends, steepest in the middle, never increasing.
    const path = rates("cosine", 1, 100);
    for (let k = 1; k < 100; k++) assert.ok(path[k] <= path[k - 1]);
    assert.ok(path[0] - path[1] < path[50] - path[51]);
    for (let k = 0; k < 100; k++) {
      const expected = 0.1 + 0.9 * (1 + Math.cos(Math.PI * k / 100)) / 2;
      assertClose(path[k], expected);
    }
  });

  test("step: halved at each quarter of the run", () => {
    const path = rates("step", 0.8, 100);
    assert.ok(path.slice(0, 25).every((r) => r === 0.8));
    assert.ok(path.slice(25, 50).every((r) => r === 0.4));
    assert.ok(path.slice(50, 75).every((r) => r === 0.2));
    assert.ok(path.slice(75, 100).every((r) => r === 0.1));
  });

  test("step with a run not divisible by 4: the quarter is floor(4k / T)", () => {
    // k:        0    1    2    3    4    5    6    7    8    9
    // 4k / 10:  0  0.4  0.8  1.2  1.6  2.0  2.4  2.8  3.2  3.6
    const quarters = [0, 0, 0, 1, 1, 2, 2, 2, 3, 3];
    assert.deepEqual(rates("step", 1, 10), quarters.map((q) => 0.5 ** q));
  });

  test("past the last step, every schedule holds its end value", () => {
    const ends: Record<ScheduleName, number> = {
      constant: 1,
      linear: 0.1,
      cosine: 0.1,
      step: 0.125,
    };
    for (const schedule of SCHEDULE_NAMES) {
      for (const k of [100, 101, 1000]) {
        assertClose(learningRateAt(schedule, 1, k, 100), ends[schedule]);
      }
    }
  });

  test("a run of one step uses the base rate", () => {
    for (const schedule of SCHEDULE_NAMES) {
      assert.equal(learningRateAt(schedule, 0.3, 0, 1), 0.3);
    }
  });

  test("a base rate of 0 gives 0 everywhere", () => {
    for (const schedule of SCHEDULE_NAMES) {
      assert.equal(learningRateAt(schedule, 0, 7, 10), 0);
    }
  });
});

describe("bad arguments throw errors that name them", () => {
  const cases: [string, () => unknown, typeof TypeError, RegExp][] = [
    [
      "an unknown schedule",
      () => learningRateAt("exponential" as ScheduleName, 1, 0, 10),
      RangeError,
      /learningRateAt: schedule must be one of "constant", "linear", "cosine" or "step", got a string \("exponential"\)/,
    ],
    [
      "a negative base rate",
      () => learningRateAt("linear", -1, 0, 10),
      RangeError,
      /baseRate must be a finite number >= 0, got the number -1/,
    ],
    [
      "a NaN base rate",
      () => learningRateAt("linear", NaN, 0, 10),
      RangeError,
      /baseRate.*NaN/,
    ],
    [
      "a string base rate",
      () => learningRateAt("linear", "1" as unknown as number, 0, 10),
      TypeError,
      /baseRate.*a string/,
    ],
    [
      "a negative step",
      () => learningRateAt("linear", 1, -1, 10),
      RangeError,
      /step must be an integer >= 0 \(counted from 0\), got the number -1/,
    ],
    [
      "a fractional step",
      () => learningRateAt("step", 1, 2.5, 10),
      RangeError,
      /step must be an integer/,
    ],
    [
      "zero total steps",
      () => learningRateAt("linear", 1, 0, 0),
      RangeError,
      /totalSteps must be a positive integer, got the number 0/,
    ],
    [
      "infinite total steps",
      () => learningRateAt("cosine", 1, 0, Infinity),
      RangeError,
      /totalSteps.*Infinity/,
    ],
    [
      "undefined total steps",
      () => learningRateAt("cosine", 1, 0, undefined as unknown as number),
      TypeError,
      /totalSteps.*undefined/,
    ],
  ];
  testErrorCases(cases);
});
