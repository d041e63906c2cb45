/**
 * Following training: when to rebuild the explorer's training-point graph
 * while the training view trains. Each progress report says the weights may
 * have changed; a refresh (fetch the weights, redraw) then runs at most every
 * `interval` milliseconds, never two at once, and never more often than
 * reports arrive (a report is needed for each one). Once training pauses the
 * last weights are fetched once more and then nothing changes.
 *
 * Timers only, no DOM: the explorer wires it to its checkbox and its graph.
 *
 * @module
 */

/** How a {@linkcode TrainingFollower} refreshes and keeps time. */
export interface TrainingFollowerOptions {
  /**
   * Fetch the current weights and redraw. Resolves `false` when it could
   * not be done now (e.g. a step-by-step pass is in progress): it is tried
   * again after the interval.
   */
  refresh(): Promise<boolean>;
  /** Called whenever {@linkcode TrainingFollower.live} may have changed. */
  onLiveChange?(live: boolean): void;
  /** Least milliseconds from one refresh's start to the next. Default 500. */
  interval?: number;
  /** The clock, in milliseconds (default `performance.now`). */
  now?(): number;
}

/** Refreshes a graph from the training view's reports, throttled. */
export class TrainingFollower {
  #options: TrainingFollowerOptions;
  #interval: number;
  #enabled = false;
  #running = false;
  /** A report came since the last refresh started. */
  #dirty = false;
  #inFlight = false;
  #lastStart = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #shownLive = false;

  /**
   * A follower, off until {@linkcode TrainingFollower.setEnabled}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TrainingFollower } from "./live.ts";
   * let refreshes = 0;
   * const follower = new TrainingFollower({
   *   refresh: () => Promise.resolve(++refreshes > 0),
   *   interval: 20,
   * });
   * const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
   * follower.setEnabled(true); // catches up at once
   * follower.report(true);
   * follower.report(true); // both wait for the interval: one refresh
   * await settle();
   * assert.equal(refreshes, 2);
   * assert.equal(follower.live, true); // training runs
   * follower.report(false); // paused: the last weights, once
   * await settle();
   * assert.equal(refreshes, 3);
   * assert.equal(follower.live, false);
   * follower.stop();
   * ```
   */
  constructor(options: TrainingFollowerOptions) {
    this.#options = options;
    this.#interval = options.interval ?? 500;
  }

  /** Following and training runs (or its last weights are still being drawn). */
  get live(): boolean {
    return this.#enabled && (this.#running || this.#dirty || this.#inFlight);
  }

  /**
   * Follow or not. Turning it on refreshes once (the weights may have
   * changed meanwhile); turning it off drops what is pending.
   */
  setEnabled(enabled: boolean): void {
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    if (enabled) {
      this.#dirty = true;
      this.#schedule();
    } else {
      this.#dirty = false;
      this.#clearTimer();
    }
    this.#emit();
  }

  /**
   * A progress report (or a new run, `running` undefined): the weights may
   * have changed.
   */
  report(running?: boolean): void {
    if (running !== undefined) this.#running = running;
    if (this.#enabled) {
      this.#dirty = true;
      this.#schedule();
    }
    this.#emit();
  }

  /** Stop for good: no refresh after this. */
  stop(): void {
    this.#enabled = false;
    this.#dirty = false;
    this.#clearTimer();
  }

  #now(): number {
    return this.#options.now?.() ?? performance.now();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    if (!this.#enabled || !this.#dirty || this.#inFlight) return;
    if (this.#timer !== null) return;
    const wait = this.#lastStart + this.#interval - this.#now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#schedule();
      }, wait);
      return;
    }
    this.#dirty = false;
    this.#inFlight = true;
    this.#lastStart = this.#now();
    this.#options.refresh()
      .catch(() => true) // the explorer shows its own errors
      .then((done) => {
        this.#inFlight = false;
        if (!done && this.#enabled) this.#dirty = true;
        this.#schedule();
        this.#emit();
      });
  }

  #emit(): void {
    const live = this.live;
    if (live === this.#shownLive) return;
    this.#shownLive = live;
    this.#options.onLiveChange?.(live);
  }
}
