/**
 * Long work in short slices: a generator that pauses (`yield`) every little
 * while is run for a few milliseconds at a time, the page getting the main
 * thread back in between, so laying out and drawing a big graph never
 * freezes it (no task much over the budget).
 *
 * @module
 */

/** How long one slice may run before giving the page back (ms). */
export const SLICE_BUDGET_MS = 12;

/** Thrown (as the rejection) when a sliced run was cancelled. */
export class CancelledError extends Error {
  /** Make one. */
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
}

/**
 * Run `steps` to its end in slices of about `budget` ms, yielding to the
 * event loop between slices; resolves with the generator's return value.
 * `cancelled()` is asked between slices: once it says true the run stops
 * and the promise rejects with a {@linkcode CancelledError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSliced } from "./slicing.ts";
 * function* count(): Generator<void, number, void> {
 *   let total = 0;
 *   for (let i = 0; i < 5; i++) {
 *     total += i;
 *     yield;
 *   }
 *   return total;
 * }
 * assert.equal(await runSliced(count(), () => false), 10);
 * ```
 */
export function runSliced<T>(
  steps: Generator<void, T, void>,
  cancelled: () => boolean,
  budget: number = SLICE_BUDGET_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const slice = (): void => {
      if (cancelled()) {
        reject(new CancelledError());
        return;
      }
      const start = performance.now();
      try {
        while (performance.now() - start < budget) {
          const step = steps.next();
          if (step.done) {
            resolve(step.value);
            return;
          }
        }
      } catch (error) {
        reject(error);
        return;
      }
      setTimeout(slice, 0);
    };
    slice();
  });
}

/**
 * Run `steps` to its end at once (for small work, or tests); returns the
 * generator's return value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runToEnd } from "./slicing.ts";
 * function* two(): Generator<void, number, void> {
 *   yield;
 *   return 2;
 * }
 * assert.equal(runToEnd(two()), 2);
 * ```
 */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
