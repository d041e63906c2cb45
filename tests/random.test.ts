/**
 * The seeded generator and the portable math it relies on. The hard-coded
 * numbers are regression values: this file runs under Deno (V8) and Bun
 * (JavaScriptCore), so passing in both proves the same seed gives the same
 * numbers in both engines.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/random.ts";
import { portableCos, portableLog, portableSin } from "../src/portable_math.ts";

describe("Rng", () => {
  test("seed 42 gives the same first numbers in every runtime", () => {
    const rng = new Rng(42);
    // mulberry32(42): the well-known first outputs
    assert.equal(rng.next(), 0.6011037519201636);
    assert.equal(rng.next(), 0.44829055899754167);
    assert.equal(rng.next(), 0.8524657934904099);
    assert.equal(rng.uniform(-1, 1), 0.33946808287873864);
    assert.equal(rng.normal(0, 1), -0.6112802846514628);
    assert.equal(rng.normal(5, 2), 3.868334829574625);
    assert.equal(rng.integer(100), 86);
  });

  test("other seeds, including 0 and seeds above 2^32", () => {
    const zero = new Rng(0);
    assert.deepEqual([zero.next(), zero.next()], [
      0.26642920868471265,
      0.0003297457005828619,
    ]);
    const big = new Rng(2 ** 40 + 7);
    assert.deepEqual([big.next(), big.next()], [
      0.5377940128091723,
      0.3927410601172596,
    ]);
    const seven = new Rng(7);
    assert.deepEqual([seven.normal(), seven.normal(), seven.normal()], [
      0.14197043782155663,
      -0.864253024872936,
      -1.0063663240940148,
    ]);
    assert.deepEqual(
      new Rng(1).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      [7, 8, 3, 2, 1, 5, 9, 4, 0, 6],
    );
  });

  test("the same seed gives the same sequence; different seeds differ", () => {
    const a = new Rng(123), b = new Rng(123), c = new Rng(124);
    const first = Array.from({ length: 1000 }, () => a.next());
    assert.deepEqual(first, Array.from({ length: 1000 }, () => b.next()));
    assert.notDeepEqual(first, Array.from({ length: 1000 }, () => c.next()));
    // seeds that differ only above bit 32 still differ
    assert.notEqual(new Rng(5).next(), new Rng(5 + 2 ** 32).next());
  });

  test("next() is in [0, 1) and uniform roughly flat", () => {
    const rng = new Rng(2024);
    const bins = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      bins[Math.floor(x * 10)]++;
    }
    for (const count of bins) assert.ok(Math.abs(count - n / 10) < 500);
    for (let i = 0; i < 1000; i++) {
      const u = rng.uniform(-3, 5);
      assert.ok(u >= -3 && u < 5);
    }
  });

  test("normal(mean, std) has roughly that mean and standard deviation", () => {
    const rng = new Rng(99);
    const n = 100_000;
    let sum = 0, sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(3, 0.5);
      assert.ok(Number.isFinite(z));
      sum += z;
      sumSquares += z * z;
    }
    const mean = sum / n;
    const std = Math.sqrt(sumSquares / n - mean * mean);
    // the standard error of the mean is 0.5/√n ≈ 0.0016
    assert.ok(Math.abs(mean - 3) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(std - 0.5) < 0.01, `std ${std}`);
  });

  test("integer(n) covers 0..n-1 and shuffle is a permutation", () => {
    const rng = new Rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.integer(7));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5, 6]);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle(items.slice());
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual(shuffled.slice().sort((a, b) => a - b), items);
  });

  test("bad seeds and bad n are rejected, naming what was passed", () => {
    assert.throws(
      () => new Rng("1" as unknown as number),
      (e: unknown) =>
        e instanceof TypeError && /a string \("1"\)/.test(e.message),
    );
    // A number that is not a safe integer has the right type, a wrong value.
    assert.throws(() => new Rng(1.5), {
      name: "FieldRangeError",
      message: "new Rng: seed must be a safe integer, got the number 1.5",
    });
    assert.throws(() => new Rng(NaN), RangeError);
    assert.throws(
      () => new Rng(1).integer(0),
      (e: unknown) => e instanceof RangeError && /the number 0/.test(e.message),
    );
    assert.throws(() => new Rng(1).integer(2.5), RangeError);
  });
});

describe("portable math", () => {
  /** |actual - expected| within 1e-15, relative above 1 and absolute below. */
  function assertNear(actual: number, expected: number, what: string): void {
    const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    assert.ok(error <= 1e-15, `${what}: ${actual} vs ${expected}`);
  }

  test("portableLog agrees with Math.log over the whole double range", () => {
    const rng = new Rng(1);
    for (let i = 0; i < 100_000; i++) {
      const x = Math.exp(rng.uniform(-744, 709)); // subnormals to 1e308
      assertNear(portableLog(x), Math.log(x), `log(${x})`);
    }
    for (let i = 0; i < 100_000; i++) {
      const x = rng.uniform(0.5, 2); // near 1, where log is near 0
      assertNear(portableLog(x), Math.log(x), `log(${x})`);
    }
  });

  test("portableLog of special values", () => {
    assert.equal(portableLog(1), 0);
    assert.equal(portableLog(0), -Infinity);
    assert.equal(portableLog(Infinity), Infinity);
    assert.ok(Number.isNaN(portableLog(-1)));
    assert.ok(Number.isNaN(portableLog(NaN)));
    assertNear(
      portableLog(Number.MIN_VALUE),
      Math.log(Number.MIN_VALUE),
      "min",
    );
    assertNear(
      portableLog(Number.MAX_VALUE),
      Math.log(Number.MAX_VALUE),
      "max",
    );
  });

  test("portableSin and portableCos agree with Math over many points", () => {
    const rng = new Rng(2);
    for (let i = 0; i < 100_000; i++) {
      const x = rng.uniform(-10, 10);
      assertNear(portableSin(x), Math.sin(x), `sin(${x})`);
      assertNear(portableCos(x), Math.cos(x), `cos(${x})`);
    }
    for (let i = 0; i < 20_000; i++) {
      const x = rng.uniform(-1e5, 1e5);
      assertNear(portableSin(x), Math.sin(x), `sin(${x})`);
      assertNear(portableCos(x), Math.cos(x), `cos(${x})`);
    }
  });

  test("portableSin and portableCos at multiples of π/2 and non-finite input", () => {
    for (let k = -8; k <= 8; k++) {
      const x = (k * Math.PI) / 2;
      assertNear(portableSin(x), Math.sin(x), `sin(${k}π/2)`);
      assertNear(portableCos(x), Math.cos(x), `cos(${k}π/2)`);
    }
    for (const x of [NaN, Infinity, -Infinity]) {
      assert.ok(Number.isNaN(portableSin(x)));
      assert.ok(Number.isNaN(portableCos(x)));
    }
  });

  test("gives the same bits in every runtime (regression values)", () => {
    const xs = [0.1, 0.7, 1.5, 2, 10, 1e-10, 123456.789];
    assert.deepEqual(xs.map(portableLog), [
      -2.3025850929940455,
      -0.35667494393873245,
      0.4054651081081644,
      0.6931471805599453,
      2.3025850929940455,
      -23.025850929940454,
      11.723646487185881,
    ]);
    assert.deepEqual(xs.map(portableSin), [
      0.09983341664682817,
      0.644217687237691,
      0.9974949866040544,
      0.9092974268256817,
      -0.5440211108893698,
      1e-10,
      -0.9986640823432246,
    ]);
    assert.deepEqual(xs.map(portableCos), [
      0.9950041652780258,
      0.7648421872844884,
      0.07073720166770292,
      -0.4161468365471425,
      -0.8390715290764524,
      1,
      0.05167253271870137,
    ]);
  });
});
