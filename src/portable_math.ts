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

/**
 * Sine, identical in every engine (accurate for |x| up to about 1e6).
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
  switch (quarter) {
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
 * Cosine, identical in every engine (accurate for |x| up to about 1e6).
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
  switch (quarter) {
    case 0:
      return cosSmall(r);
    case 1:
      return -sinSmall(r);
    case 2:
      return -cosSmall(r);
    default:
      return sinSmall(r);
  }
}
