/**
 * `log`, `sin` and `cos` written with nothing but `+ - * /` and exact
 * bit manipulation, so they give bit-identical results in every JavaScript
 * engine. `Math.log` and `Math.cos` are only specified to be "approximately"
 * right, and V8 (Deno, Node, Chrome) and JavaScriptCore (Bun, Safari) do
 * differ in the last bit for some inputs — which would make a seeded dataset
 * differ between runtimes. Accuracy is within a few units in the last place,
 * far more than toy datasets need.
 *
 * @module
 */

const LN2 = 0.6931471805599453;
// π/2 split into a head with trailing zero bits and a tail, so that
// x - n·π/2 stays exact for the multiples of π/2 a dataset uses.
const HALF_PI_HEAD = 1.5707950592041016;
const HALF_PI_TAIL = 1.2675907950567314e-6;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Natural logarithm, identical in every engine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { portableLog } from "./portable_math.ts";
 * assert.ok(Math.abs(portableLog(Math.E) - 1) < 1e-15);
 * ```
 */
export function portableLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  // Split x = m · 2^e with m in [1, 2) by reading the IEEE 754 bits.
  scratch.setFloat64(0, x);
  let high = scratch.getUint32(0);
  let e = ((high >>> 20) & 0x7ff) - 1023;
  if (e === -1023) {
    // Subnormal: scale into the normal range first.
    scratch.setFloat64(0, x * 2 ** 54);
    high = scratch.getUint32(0);
    e = ((high >>> 20) & 0x7ff) - 1023 - 54;
  }
  scratch.setUint32(0, (high & 0x800fffff) | 0x3ff00000);
  let m = scratch.getFloat64(0);
  // Centre m on 1 (m in [√½, √2)) so the series below converges fast.
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  // ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + ...), with |s| ≤ 0.172.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k <= 41; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return e * LN2 + 2 * sum;
}

/** sin(r) and cos(r) for |r| ≤ π/4 by their Taylor series. */
function sinSmall(r: number): number {
  const r2 = r * r;
  let term = r;
  let sum = r;
  for (let k = 2; k <= 22; k += 2) {
    term *= -r2 / (k * (k + 1));
    sum += term;
  }
  return sum;
}

function cosSmall(r: number): number {
  const r2 = r * r;
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 21; k += 2) {
    term *= -r2 / (k * (k + 1));
    sum += term;
  }
  return sum;
}

/** Reduce x to r in [-π/4, π/4] and the quarter turn n with x = n·π/2 + r. */
function reduce(x: number): [number, number] {
  const n = Math.round(x / (HALF_PI_HEAD + HALF_PI_TAIL));
  const r = (x - n * HALF_PI_HEAD) - n * HALF_PI_TAIL;
  return [((n % 4) + 4) % 4, r];
}

// π/2 in three parts (fdlibm's pio2_1, pio2_2, pio2_2t): the first two have
// 33 significant bits, so n·part is exact for |n| < 2^20, and the reduced
// argument keeps its relative precision even next to a multiple of π
// (sin(π) is 1.2246e-16, not a rounding residue).
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const TWO_OVER_PI = 6.36619772367581382433e-01;

/** {@linkcode reduce} with π/2 in three parts: accurate next to multiples of π. */
function reduceAccurately(x: number): [number, number] {
  const n = Math.round(x * TWO_OVER_PI);
  const r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_2T;
  return [((n % 4) + 4) % 4, r];
}

/** sin(n·π/2 + r), or its cosine (a quarter turn further), from the series. */
function fromQuarter(quarter: number, r: number, cosine: boolean): number {
  switch (cosine ? (quarter + 1) % 4 : quarter) {
    case 0:
      return sinSmall(r);
    case 1:
      return cosSmall(r);
    case 2:
      return -sinSmall(r);
    default:
      return -cosSmall(r);
  }
}

/**
 * Sine, identical in every engine (accurate for |x| up to about 1e6). The
 * datasets are drawn with it, so its bits are fixed: next to a multiple of π
 * its relative error grows (absolute error stays below 1e-22);
 * {@linkcode accurateSin} does not have that weakness.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { portableSin } from "./portable_math.ts";
 * assert.ok(Math.abs(portableSin(Math.PI / 6) - 0.5) < 1e-15);
 * ```
 */
export function portableSin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [quarter, r] = reduce(x);
  return fromQuarter(quarter, r, false);
}

/**
 * Cosine, identical in every engine (accurate for |x| up to about 1e6; see
 * {@linkcode portableSin} for its weakness next to odd multiples of π/2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { portableCos } from "./portable_math.ts";
 * assert.ok(Math.abs(portableCos(Math.PI / 3) - 0.5) < 1e-15);
 * ```
 */
export function portableCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [quarter, r] = reduce(x);
  return fromQuarter(quarter, r, true);
}

/**
 * Sine, identical in every engine and accurate to a few units in the last
 * place for |x| up to about 1e6, also next to multiples of π (the `sin`
 * operation of the engine and the `sinx`/`siny` input features use it).
 * Beyond 1e6 the argument reduction loses precision. NaN and ±Infinity give
 * NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accurateSin } from "./portable_math.ts";
 * assert.equal(accurateSin(Math.PI), 1.2246467991473532e-16);
 * ```
 */
export function accurateSin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [quarter, r] = reduceAccurately(x);
  return fromQuarter(quarter, r, false);
}

/**
 * Cosine with the accuracy of {@linkcode accurateSin} (the gradient of the
 * `sin` operation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accurateCos } from "./portable_math.ts";
 * assert.equal(accurateCos(Math.PI / 2), 6.123233995736766e-17);
 * ```
 */
export function accurateCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [quarter, r] = reduceAccurately(x);
  return fromQuarter(quarter, r, true);
}
