/**
 * A small seeded pseudo-random number generator. Every random choice in this
 * library (initial weights, datasets, minibatches) takes a seed or an `Rng`,
 * so a run can be reproduced exactly, in every runtime.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import { portableCos, portableLog } from "./portable_math.ts";

/**
 * A seeded generator (the "mulberry32" mixing function over a 32-bit state).
 * It uses only 32-bit integer arithmetic and the portable `log`/`cos`, so the
 * same seed gives the same numbers in Deno, Bun, Node and browsers.
 *
 * @example
 * ```ts
 * import { Rng } from "./random.ts";
 * const a = new Rng(42), b = new Rng(42);
 * console.log(a.uniform(-1, 1) === b.uniform(-1, 1)); // true
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
   * import { Rng } from "./random.ts";
   * const rng = new Rng(1337);
   * console.log(rng.next() < 1); // true
   * ```
   */
  constructor(seed: number) {
    if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
      throw new TypeError(
        `new Rng: expected an integer seed, got ${describeArgument(seed)}`,
      );
    }
    // Fold the high bits in so seeds above 2^32 still differ.
    this.#state = (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
  }

  /**
   * A uniform number in [0, 1) with 32 bits of randomness.
   *
   * @example
   * ```ts
   * import { Rng } from "./random.ts";
   * const x = new Rng(0).next();
   * console.log(x >= 0 && x < 1); // true
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
   * import { Rng } from "./random.ts";
   * const w = new Rng(1).uniform(-1, 1);
   * console.log(w >= -1 && w < 1); // true
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
   * import { Rng } from "./random.ts";
   * const z = new Rng(7).normal(0, 0.1);
   * console.log(Number.isFinite(z)); // true
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
   * import { Rng } from "./random.ts";
   * const i = new Rng(3).integer(10);
   * console.log(Number.isInteger(i) && i >= 0 && i < 10); // true
   * ```
   */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(
        `Rng.integer: n must be a positive integer, got ${describeArgument(n)}`,
      );
    }
    return Math.floor(this.next() * n);
  }

  /**
   * Shuffle an array in place (Fisher–Yates) and return it.
   *
   * @example
   * ```ts
   * import { Rng } from "./random.ts";
   * console.log(new Rng(5).shuffle([1, 2, 3]).length); // 3
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
