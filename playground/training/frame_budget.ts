/**
 * Spread a batch of DOM writes over several animation frames, so that no
 * single frame does them all. The work is an iterator that yields, after
 * each write, what that write costs in abstract units (a link's class
 * change 1, a heatmap painted more); each frame runs it until the frame's
 * share of units or of milliseconds is spent. The browser's style, layout
 * and paint after a frame scale with the writes in it, not with the
 * script's time, hence the units.
 *
 * @module
 */

/** How much of each frame a {@linkcode runInFrames} may use. */
export interface FrameBudget {
  /** Units of work per frame (at least one step always runs). */
  readonly units: number;
  /** Script time per frame (ms). */
  readonly milliseconds: number;
  /** Run a callback at the next frame (default `requestAnimationFrame`). */
  readonly nextFrame?: (callback: () => void) => unknown;
  /** The clock (default `performance.now`). */
  readonly now?: () => number;
}

/** A running {@linkcode runInFrames}. */
export interface FrameRun {
  /** Settles when the work is done (`true`) or cancelled (`false`). */
  readonly done: Promise<boolean>;
  /** Frames the work took so far. */
  readonly frames: () => number;
  /** Stop at the next frame; `done` settles with `false`. */
  cancel(): void;
}

/**
 * Run `work` a frame's `budget` at a time, starting at the next frame.
 *
 * @example Three writes of cost 2, two units a frame: three frames
 * ```ts
 * import assert from "node:assert/strict";
 * import { runInFrames } from "./frame_budget.ts";
 *
 * const written: number[] = [];
 * function* work(): Generator<number> {
 *   for (const value of [1, 2, 3]) {
 *     written.push(value);
 *     yield 2;
 *   }
 * }
 * const queue: (() => void)[] = [];
 * const run = runInFrames(work(), {
 *   units: 2,
 *   milliseconds: 1000,
 *   nextFrame: (callback) => queue.push(callback),
 * });
 * while (queue.length > 0) queue.shift()!();
 * assert.equal(await run.done, true);
 * assert.deepEqual(written, [1, 2, 3]);
 * assert.equal(run.frames(), 3);
 * ```
 */
export function runInFrames(
  work: Iterator<number>,
  budget: FrameBudget,
): FrameRun {
  const nextFrame = budget.nextFrame ??
    ((callback: () => void) => requestAnimationFrame(callback));
  const now = budget.now ?? (() => performance.now());
  let cancelled = false;
  let frames = 0;
  let settle: (finished: boolean) => void = () => {};
  const done = new Promise<boolean>((resolve) => settle = resolve);
  function frame(): void {
    if (cancelled) return settle(false);
    const start = now();
    let units = 0;
    while (units < budget.units && now() - start < budget.milliseconds) {
      const step = work.next();
      if (step.done) return settle(true);
      // Counted once it wrote something: a last, empty frame is free.
      if (units === 0) frames++;
      units += Math.max(1e-9, step.value);
    }
    nextFrame(frame);
  }
  nextFrame(frame);
  return {
    done,
    frames: () => frames,
    cancel(): void {
      cancelled = true;
    },
  };
}
