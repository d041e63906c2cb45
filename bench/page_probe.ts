/**
 * What `bench/playground.ts` records inside the playground page, installed
 * as an init script (it runs before any of the page's own scripts, so
 * nothing from the load on is missed):
 *
 * - every main-thread long task (`PerformanceObserver`, type `longtask`:
 *   a task that kept the main thread busy for more than 50 ms);
 * - the time of every `requestAnimationFrame` callback (a frame the page
 *   could have drawn: a busy main thread shows up as missing frames);
 * - every change of the step counter's text (`#step-count`), with its time;
 * - every click, with the input event's own time stamp (when the browser
 *   received it), the time its first listener ran and the button it hit.
 *
 * All times are `performance.now()` milliseconds of the page. The record
 * lives on `globalThis.__playgroundProbe`; {@linkcode readProbe} copies the
 * part from a given time on out of the page.
 *
 * @module
 */

import type { Page } from "playwright-core";

/** One long task of the main thread. */
export interface LongTask {
  /** When it started (page milliseconds). */
  start: number;
  /** How long it ran, in milliseconds (over 50 by definition). */
  duration: number;
}

/** One change of the step counter's text. */
export interface CounterChange {
  /** When the new text was seen (page milliseconds). */
  at: number;
  /** The counter's new text. */
  text: string;
}

/** One click anywhere in the page. */
export interface ClickRecord {
  /** The input event's time stamp: when the browser received the click. */
  at: number;
  /** When the page's first listener for it ran. */
  handled: number;
  /** The `id` of the button it hit (`""` if none). */
  button: string;
  /** That button's `aria-pressed` before the page handled the click. */
  pressedBefore: string | null;
}

/** What the probe has recorded (from some time on). */
export interface ProbeRecord {
  /** The page's clock when the record was read. */
  now: number;
  longTasks: LongTask[];
  /** Times of `requestAnimationFrame` callbacks. */
  frames: number[];
  counter: CounterChange[];
  clicks: ClickRecord[];
  /** Whether `#step-count` was found when the document had loaded. */
  counterFound: boolean;
}

/** The record as it lives in the page. */
type LiveRecord = Omit<ProbeRecord, "now">;

/**
 * The init script itself. Playwright sends its source text to the page, so
 * it must not use anything from this module's scope.
 */
function installProbe(): void {
  const record: LiveRecord = {
    longTasks: [],
    frames: [],
    counter: [],
    clicks: [],
    counterFound: false,
  };
  (globalThis as unknown as { __playgroundProbe: LiveRecord })
    .__playgroundProbe = record;
  new PerformanceObserver((list) =>
    record.longTasks.push(
      ...list.getEntries().map(({ startTime, duration }) => ({
        start: startTime,
        duration,
      })),
    )
  ).observe({ type: "longtask", buffered: true });
  const frame = (): void => {
    record.frames.push(performance.now());
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // Capture phase on the document: runs before the page's own listeners,
  // so `pressedBefore` is the state the visitor clicked on.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element
      ? event.target.closest("button")
      : null;
    record.clicks.push({
      at: event.timeStamp,
      handled: performance.now(),
      button: target?.id ?? "",
      pressedBefore: target?.getAttribute("aria-pressed") ?? null,
    });
  }, { capture: true });
  const watchCounter = (): void => {
    const counter = document.getElementById("step-count");
    if (counter === null) return;
    record.counterFound = true;
    let last = counter.textContent ?? "";
    record.counter.push({ at: performance.now(), text: last });
    new MutationObserver(() => {
      const text = counter.textContent ?? "";
      if (text === last) return;
      last = text;
      record.counter.push({ at: performance.now(), text });
    }).observe(counter, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchCounter);
  } else {
    watchCounter();
  }
}

/**
 * Install the probe in `page`, before it navigates.
 *
 * @example
 * ```ts ignore
 * // Needs a browser: see bench/playground.ts.
 * await installPageProbe(page);
 * await page.goto(url);
 * ```
 */
export async function installPageProbe(page: Page): Promise<void> {
  await page.addInitScript(installProbe);
}

/**
 * What the probe in `page` has recorded from page time `since` on (long
 * tasks by their start). Throws if the probe is not installed.
 *
 * @example
 * ```ts ignore
 * // Needs a browser: see bench/playground.ts.
 * const start = (await readProbe(page, 0)).now;
 * ```
 */
export async function readProbe(
  page: Page,
  since: number,
): Promise<ProbeRecord> {
  const read = await page.evaluate((from) => {
    const live = (globalThis as unknown as { __playgroundProbe?: LiveRecord })
      .__playgroundProbe;
    if (live === undefined) return null;
    return {
      now: performance.now(),
      longTasks: live.longTasks.filter((task) => task.start >= from),
      frames: live.frames.filter((at) => at >= from),
      counter: live.counter.filter((change) => change.at >= from),
      clicks: live.clicks.filter((click) => click.at >= from),
      counterFound: live.counterFound,
    };
  }, since);
  if (read === null) throw new Error("the page probe is not installed");
  return read;
}
