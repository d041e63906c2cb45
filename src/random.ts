/**
 * A small seeded pseudo-random number generator. Every random choice in this
 * library (initial weights, datasets, minibatches) takes a seed or an `Rng`,
 * so a run can be reproduced exactly, in every runtime.
 *
 * @module
 */

import { checkSeed, failField } from "./checks.ts";
import { portableCos, portableLog } from "./portable_math.ts";

/**
 * A seeded generator (the "mulberry32" mixing function over a 32-bit state).
 * It uses only 32-bit integer arithmetic and the portable `log`/`cos`, so the
 * same seed gives the same numbers in Deno, Bun, Node and browsers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "./random.ts";
 * const a = new Rng(42), b = new Rng(42);
 * assert.ok(a.uniform(-1, 1) === b.uniform(-1, 1));
 * ```
 */
export class Rng {
  #state: number;

  /**
   * Start a generator from an integer seed (any safe integer; it is folded
   * into 32 bits).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Rng } from "./random.ts";
   * const rng = new Rng(1337);
   * assert.ok(rng.next() < 1);
   * ```
   */
  constructor(seed: number) {
    checkSeed(seed, "new Rng", "seed");
    // Fold the high bits in so seeds above 2^32 still differ.
    this.#state = (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
  }

  /**
   * A uniform number in [0, 1) with 32 bits of randomness.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Rng } from "./random.ts";
   * const x = new Rng(0).next();
   * assert.ok(x >= 0 && x < 1);
   * ```
   */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * A uniform number in [low, high).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Rng } from "./random.ts";
   * const w = new Rng(1).uniform(-1, 1);
   * assert.ok(w >= -1 && w < 1);
   * ```
   */
  uniform(low: number = 0, high: number = 1): number {
    return low + (high - low) * this.next();
  }

  /**
   * A normally distributed number (Box–Muller transform).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Rng } from "./random.ts";
   * const z = new Rng(7).normal(0, 0.1);
   * assert.ok(Number.isFinite(z));
   * ```
   */
  normal(mean: number = 0, std: number = 1): number {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const u = 1 - this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * portableLog(u));
    return mean + std * radius * portableCos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in [0, n).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Rng } from "./random.ts";
   * const i = new Rng(3).integer(10);
   * assert.ok(Number.isInteger(i) && i >= 0 && i < 10);
   * ```
   */
  integer(n: number): number {
    // Checked inline, not with checkNumber: shuffles call this per element.
    if (!Number.isInteger(n) || n <= 0) {
      failField("range", "Rng.integer", "n", "a positive integer", n);
    }
    return Math.floor(this.next() * n);
  }

  /**
   * Shuffle an array in place (Fisher–Yates) and return it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Rng } from "./random.ts";
   * assert.equal(new Rng(5).shuffle([1, 2, 3]).length, 3);
   * ```
   */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}
