/**
 * The playground under load, in a real browser: builds the site, serves it
 * on a free localhost port and drives it in Debian's Chromium
 * (`/usr/bin/chromium`, through playwright-core; no browser is downloaded),
 * with the same set-up as the browser tests (`tests/browser_harness.ts`).
 *
 *   deno task bench:playground [options]     (deno run -A bench/playground.ts)
 *   bun run bench:playground [options]       (bun bench/playground.ts)
 *
 * Scenarios (both at speed "max", the worst case for the page):
 *   demo  micrograd's demo: moons, 100 points, 2-16-16-1 (the page's defaults)
 *   deep  8 hidden layers × 32 neurons on 1,000 points (20% held out), He
 *         initialization and learning rate 0.03 (the defaults diverge)
 *
 * For each: open the page (with the scenario's URL hash), press Play, let
 * it warm up, then for a fixed wall time (`--seconds`, default 10) record
 * the main thread's long tasks, the frames it ran and how often the step
 * counter changed; then pause and resume several times (`--pauses`,
 * default 5), timing each Pause. What the figures mean and the targets
 * they answer to: bench/README.md.
 *
 * Options:
 *   --json            one JSON object per scenario per line instead of the table
 *   --seconds N       measured wall time of training per scenario (default 10)
 *   --warmup N        seconds of training before it (default 1)
 *   --pauses N        Pause presses timed per scenario (default 5)
 *   --scenario a,b    only these scenarios (demo, deep)
 *
 * A benchmark, not a test: no figure fails the run. It exits 1 when the
 * page logs a console error or throws, when a hook it reads (`#play`,
 * `#step-count`, `#steps-per-second`, `#train-loss`) is missing, or when
 * the page never becomes ready.
 *
 * @module
 */

import process from "node:process";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import {
  type BrowserHarness,
  startBrowserHarness,
} from "../tests/browser_harness.ts";
import { installPageProbe, type ProbeRecord, readProbe } from "./page_probe.ts";
import { longestGap, markdownTable, median } from "./statistics.ts";

/** A page set-up to measure, by its URL hash. */
export interface Scenario {
  /** Short name (`--scenario`). */
  name: string;
  /** What it trains, in words. */
  description: string;
  /** The URL hash the page is opened with. */
  hash: string;
}

/**
 * The measured scenarios. Speed "max" is explicit so that a change of the
 * page's default speed does not change what is measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCENARIOS } from "./playground.ts";
 * assert.deepEqual(SCENARIOS.map((s) => s.name), ["demo", "deep"]);
 * ```
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "demo",
    description: "micrograd's demo: moons, 100 points, 2-16-16-1",
    hash: "#speed=max",
  },
  {
    name: "deep",
    description: "8 hidden layers × 32 neurons on 1,000 points " +
      "(He initialization and learning rate 0.03: with the defaults, " +
      "uniform(-1, 1) and 1, it diverges within 5 steps)",
    hash: "#points=1000&hidden=32,32,32,32,32,32,32,32&testFraction=0.2" +
      "&init=he&learningRate=0.03&speed=max",
  },
];

/** The issue's targets (issue 10, "Scale, measured in a benchmark"). */
export const TARGETS = {
  /** No main-thread task may run longer than this (ms). */
  longestTaskMs: 50,
  /** Pause must take effect within this (ms). */
  pauseMs: 100,
  /** The page must keep at least this many redraws per second. */
  redrawsPerSecond: 30,
} as const;

/** The elements the benchmark reads or presses; missing ones exit 1. */
const HOOKS = ["play", "step-count", "steps-per-second", "train-loss"];

/** The text the page shows for a number it does not have yet. */
const MISSING = "–";

/** How the benchmark is run (from the command line). */
export interface BenchOptions {
  seconds: number;
  warmupSeconds: number;
  pauses: number;
  scenarios: readonly Scenario[];
  json: boolean;
}

/** One scenario's figures (a table row; a line of `--json`). */
export interface ScenarioResult {
  scenario: string;
  /** The URL hash the page was opened with. */
  hash: string;
  /** The page's own hash once loaded: every setting the run used. */
  pageHash: string;
  /** The measured wall time of training, in seconds (page clock). */
  seconds: number;
  /** Steps the counter advanced during it. */
  steps: number;
  /** `steps / seconds`: the worker's throughput as the page shows it. */
  stepsPerSecond: number;
  /** The median of the page's own `#steps-per-second`, sampled twice a second. */
  pageStepsPerSecond: number;
  /** Main-thread long tasks (> 50 ms) during the measured time. */
  longTasks: number;
  /** The longest of them in ms (0 when there was none). */
  longestTaskMs: number;
  /** `requestAnimationFrame` callbacks per second: frames the page could draw. */
  framesPerSecond: number;
  /** The longest time between two frames, in ms. */
  longestFrameGapMs: number;
  /** Changes of the step counter's text per second. */
  counterUpdatesPerSecond: number;
  /**
   * Each timed Pause in ms: from the click's input event until the step
   * counter's last change (or until the click was handled, if later);
   * `null` when the counter had not stopped within 20 s.
   */
  pauseMs: (number | null)[];
  /** Median of `pauseMs` (a Pause that never took effect counts as Infinity). */
  pauseMedianMs: number;
  /** Largest of `pauseMs` (Infinity when one never took effect). */
  pauseMaxMs: number;
  /** Long tasks from the page's load until Play (not in `longTasks`). */
  longTasksBeforePlay: number;
  /** Long tasks while the Pause presses were timed (not in `longTasks`). */
  longTasksDuringPauses: number;
  /** Anything unusual: the run stopped by itself, an error banner, … */
  notes: string[];
  /** The 1-minute load average before and after the scenario. */
  loadBefore: number;
  loadAfter: number;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
}

/** A failure that makes the benchmark exit 1 (missing hook, page never ready). */
class BenchError extends Error {}

// ---------------------------------------------------------------------------
// Reading the page

/** The page's clock, the step counter and its steps/s, read at one moment. */
interface Reading {
  now: number;
  steps: number;
  pageRate: number;
  playing: boolean;
}

/** A counter's text as a number ("1,234" and "1234" both read 1234). */
function count(text: string): number {
  return Number(text.replace(/[^0-9.]/g, ""));
}

async function read(page: Page): Promise<Reading> {
  const raw = await page.evaluate(() => ({
    now: performance.now(),
    steps: document.getElementById("step-count")?.textContent ?? "",
    rate: document.getElementById("steps-per-second")?.textContent ?? "",
    pressed: document.getElementById("play")?.getAttribute("aria-pressed"),
  }));
  return {
    now: raw.now,
    steps: count(raw.steps),
    pageRate: count(raw.rate),
    playing: raw.pressed === "true",
  };
}

async function requireHooks(page: Page, scenario: Scenario): Promise<void> {
  const missing: string[] = [];
  for (const id of HOOKS) {
    if (await page.$(`#${id}`) === null) missing.push(`#${id}`);
  }
  if (missing.length > 0) {
    throw new BenchError(
      `${scenario.name}: the page has no ${missing.join(", ")}`,
    );
  }
}

/**
 * Wait for the first run on screen (the train loss is shown); a page that
 * shows an error banner instead, or nothing within a minute, is a
 * BenchError.
 */
async function waitForReady(page: Page, scenario: Scenario): Promise<void> {
  const ready = await page.waitForFunction(
    (missing) => {
      const banner = document.getElementById("error")?.textContent?.trim();
      if (banner) return `the page shows an error: ${banner}`;
      return document.getElementById("train-loss")?.textContent !== missing
        ? "ready"
        : false;
    },
    MISSING,
    { timeout: 60_000 },
  ).then((handle) => handle.jsonValue()).catch((error) => {
    if (error instanceof Error && error.name === "TimeoutError") {
      return "the page never became ready";
    }
    throw error;
  });
  if (ready !== "ready") throw new BenchError(`${scenario.name}: ${ready}`);
}

/** Wait until the step counter shows a number other than `from`. */
async function waitForCounterChange(page: Page, from: number): Promise<void> {
  await page.waitForFunction(
    (previous) => {
      const text = document.getElementById("step-count")?.textContent ?? "";
      return Number(text.replace(/[^0-9.]/g, "")) !== previous;
    },
    from,
    { timeout: 60_000 },
  );
}

/** The text of the page's error banner (`#error`), "" when none. */
function errorBanner(page: Page): Promise<string> {
  return page.evaluate(() =>
    document.getElementById("error")?.textContent?.trim() ?? ""
  );
}

/** Make sure training runs (the run may have stopped by its own rule). */
async function ensurePlaying(page: Page, notes: string[]): Promise<void> {
  const reading = await read(page);
  if (reading.playing) return;
  const banner = await errorBanner(page);
  if (banner) {
    throw new BenchError(
      `training stopped at step ${reading.steps} with an error: ${banner}`,
    );
  }
  const reason = await page.evaluate(() =>
    document.getElementById("stop-reason")?.textContent?.trim() ?? ""
  );
  notes.push(
    `the run had stopped at step ${reading.steps}${
      reason ? ` (${reason})` : ""
    }; pressed Play again`,
  );
  await page.click("#play");
  await waitForCounterChange(page, reading.steps);
}

// ---------------------------------------------------------------------------
// Pause latency

/** Longest wait for the step counter to stop after a Pause. */
const PAUSE_TIMEOUT_MS = 20_000;

/**
 * Press Pause and wait until the step counter has been still for `quietMs`;
 * returns the Pause latency in ms (see {@linkcode ScenarioResult.pauseMs})
 * or null if the counter kept changing for {@linkcode PAUSE_TIMEOUT_MS}.
 */
async function timePause(page: Page, quietMs: number): Promise<number | null> {
  const before = (await read(page)).now;
  await page.click("#play");
  const deadline = Date.now() + PAUSE_TIMEOUT_MS + quietMs;
  while (Date.now() < deadline) {
    await page.waitForTimeout(100);
    const record: ProbeRecord = await readProbe(page, before);
    const click = record.clicks.find((c) =>
      c.button === "play" && c.pressedBefore === "true"
    );
    if (click === undefined) continue;
    const changes = record.counter.filter((change) => change.at > click.at);
    const last = Math.max(
      click.handled,
      changes.length > 0 ? changes[changes.length - 1].at : -Infinity,
    );
    if (record.now - last >= quietMs) {
      if (last - click.at > PAUSE_TIMEOUT_MS) return null;
      return last - click.at;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// One scenario

async function measure(
  harness: BrowserHarness,
  scenario: Scenario,
  options: BenchOptions,
): Promise<ScenarioResult> {
  const loadBefore = loadavg()[0];
  const notes: string[] = [];
  const opened = await harness.newPage();
  const { page, errors } = opened;
  try {
    await installPageProbe(page);
    await page.goto(harness.url + scenario.hash);
    await requireHooks(page, scenario);
    await waitForReady(page, scenario);
    const pageHash = await page.evaluate(() => location.hash);
    if (!(await readProbe(page, 0)).counterFound) {
      throw new BenchError(`${scenario.name}: the probe found no #step-count`);
    }
    // Once the "runs that end" rule lands, the demo stops at step 100:
    // measure training that goes on (its select is a stable hook).
    if (await page.$("#stop-mode") !== null) {
      await page.selectOption("#stop-mode", "never");
    }

    // Steady training for the measured wall time.
    const beforePlay = await read(page);
    await page.click("#play");
    await waitForCounterChange(page, beforePlay.steps);
    await page.waitForTimeout(options.warmupSeconds * 1000);
    const start = await read(page);
    const rates: number[] = [];
    const end = Date.now() + options.seconds * 1000;
    while (Date.now() < end) {
      await page.waitForTimeout(Math.min(500, Math.max(0, end - Date.now())));
      rates.push((await read(page)).pageRate);
    }
    const stop = await read(page);
    const window = await readProbe(page, start.now);
    const loadPhase = await readProbe(page, 0);
    if (!stop.playing) notes.push(`the run stopped by itself at ${stop.steps}`);
    const seconds = (stop.now - start.now) / 1000;
    const frames = window.frames.filter((at) => at <= stop.now);
    const changes = window.counter.filter((change) => change.at <= stop.now);
    const tasks = window.longTasks.filter((task) => task.start <= stop.now);

    // Pause latency: wait for stillness of at least three counter
    // intervals, so a slow step is not taken for a pause.
    const gaps = changes.slice(1).map((change, i) => change.at - changes[i].at);
    const quietMs = Math.min(10_000, Math.max(1000, 3 * (median(gaps) || 0)));
    const pausesStart = (await read(page)).now;
    const pauseMs: (number | null)[] = [];
    for (let trial = 0; trial < options.pauses; trial++) {
      await ensurePlaying(page, notes);
      pauseMs.push(await timePause(page, quietMs));
      if (await read(page).then((r) => r.playing)) {
        notes.push(`Pause ${trial + 1} left the Play button pressed`);
      }
      if (trial + 1 < options.pauses) {
        const paused = await read(page);
        await page.click("#play");
        await waitForCounterChange(page, paused.steps);
        await page.waitForTimeout(1000);
      }
    }
    const duringPauses = await readProbe(page, pausesStart);
    const banner = await errorBanner(page);
    if (banner) notes.push(`error banner: ${banner}`);

    const finite = pauseMs.map((ms) => ms ?? Infinity);
    return {
      scenario: scenario.name,
      hash: scenario.hash,
      pageHash,
      seconds,
      steps: stop.steps - start.steps,
      stepsPerSecond: (stop.steps - start.steps) / seconds,
      pageStepsPerSecond: median(rates),
      longTasks: tasks.length,
      longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
      framesPerSecond: frames.length / seconds,
      longestFrameGapMs: longestGap(frames, start.now, stop.now),
      counterUpdatesPerSecond: changes.length / seconds,
      pauseMs,
      pauseMedianMs: median(finite),
      pauseMaxMs: Math.max(...finite),
      longTasksBeforePlay: loadPhase.longTasks
        .filter((task) => task.start < beforePlay.now).length,
      longTasksDuringPauses: duringPauses.longTasks.length,
      notes,
      loadBefore,
      loadAfter: loadavg()[0],
      errors: [...errors],
    };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------
// Output

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "never";
}

/** The figures as a markdown table, a line per scenario. */
function table(results: readonly ScenarioResult[]): string {
  const header = [
    "scenario",
    "steps/s",
    "page steps/s",
    "long tasks",
    "longest task ms",
    "Pause median ms",
    "Pause max ms",
    "frames/s",
    "longest frame gap ms",
    "counter updates/s",
    "load",
  ];
  const rows = results.map((r) => [
    r.scenario,
    fixed(r.stepsPerSecond, 1),
    fixed(r.pageStepsPerSecond, 1),
    String(r.longTasks),
    r.longTasks > 0 ? fixed(r.longestTaskMs, 0) : "–",
    fixed(r.pauseMedianMs, 0),
    fixed(r.pauseMaxMs, 0),
    fixed(r.framesPerSecond, 1),
    fixed(r.longestFrameGapMs, 0),
    fixed(r.counterUpdatesPerSecond, 1),
    `${r.loadBefore.toFixed(2)} → ${r.loadAfter.toFixed(2)}`,
  ]);
  return markdownTable(header, rows, 1);
}

/** Which of the issue's targets a scenario meets, in words. */
function verdict(r: ScenarioResult): string {
  const mark = (ok: boolean): string => ok ? "met" : "MISSED";
  return `${r.scenario}: no long task > ${TARGETS.longestTaskMs} ms ${
    mark(r.longestTaskMs <= TARGETS.longestTaskMs)
  }; Pause within ${TARGETS.pauseMs} ms ${
    mark(r.pauseMaxMs <= TARGETS.pauseMs)
  }; >= ${TARGETS.redrawsPerSecond} frames/s ${
    mark(r.framesPerSecond >= TARGETS.redrawsPerSecond)
  }` + (r.notes.length > 0 ? ` (${r.notes.join("; ")})` : "");
}

function runtime(): string {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return `Bun ${versions.bun}`;
  if (versions.deno) return `Deno ${versions.deno}`;
  return `Node ${process.version}`;
}

// ---------------------------------------------------------------------------
// Command line

/** `text` as a number of at least `least` (an integer if asked), or a BenchError. */
function numberOption(
  name: string,
  text: string,
  least: number,
  integer = false,
): number {
  const value = Number(text);
  if (
    text.trim() === "" || !(value >= least && Number.isFinite(value)) ||
    (integer && !Number.isInteger(value))
  ) {
    throw new BenchError(
      `bench:playground: --${name} must be ${
        integer ? "an integer" : "a number"
      } >= ${least}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * The options from the command line arguments (without the program).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBenchOptions } from "./playground.ts";
 * const options = parseBenchOptions(["--seconds", "5", "--scenario", "deep"]);
 * assert.equal(options.seconds, 5);
 * assert.deepEqual(options.scenarios.map((s) => s.name), ["deep"]);
 * assert.throws(() => parseBenchOptions(["--pauses", "0"]), /--pauses/);
 * ```
 */
export function parseBenchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: "boolean", default: false },
      seconds: { type: "string", default: "10" },
      warmup: { type: "string", default: "1" },
      pauses: { type: "string", default: "5" },
      scenario: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const names = values.scenario?.split(",") ?? SCENARIOS.map((s) => s.name);
  const scenarios = names.map((name) => {
    const found = SCENARIOS.find((s) => s.name === name);
    if (found === undefined) {
      throw new BenchError(
        `bench:playground: unknown scenario ${
          JSON.stringify(name)
        }; choose from ${SCENARIOS.map((s) => s.name).join(", ")}`,
      );
    }
    return found;
  });
  return {
    json: values.json,
    seconds: numberOption("seconds", values.seconds, 0.5),
    warmupSeconds: numberOption("warmup", values.warmup, 0),
    pauses: numberOption("pauses", values.pauses, 1, true),
    scenarios,
  };
}

async function main(args: string[]): Promise<number> {
  const options = parseBenchOptions(args);
  const harness = await startBrowserHarness("playground-bench");
  const results: ScenarioResult[] = [];
  try {
    if (!options.json) {
      const probe = await harness.newPage();
      const agent = await probe.page.evaluate(() => navigator.userAgent);
      await probe.page.close();
      const browser = agent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? agent;
      console.log(
        `${runtime()}, ${browser}, ${cpus().length} cores; ` +
          `${options.seconds} s of training per scenario after ${options.warmupSeconds} s of warm-up, ` +
          `${options.pauses} Pause presses`,
      );
      for (const s of options.scenarios) {
        console.log(`  ${s.name}: ${s.description} (${s.hash})`);
      }
      console.log();
    }
    for (const scenario of options.scenarios) {
      const result = await measure(harness, scenario, options);
      results.push(result);
      if (options.json) console.log(JSON.stringify(result));
    }
  } finally {
    await harness.close();
  }
  if (!options.json) {
    console.log(table(results));
    console.log();
    for (const r of results) console.log(verdict(r));
  }
  const errors = results.flatMap((r) =>
    r.errors.map((error) => `${r.scenario}: ${error}`)
  );
  for (const error of errors) console.error(error);
  return errors.length > 0 ? 1 : 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    // Our own refusals and bad arguments in one line; anything else whole.
    const known = error instanceof BenchError ||
      String((error as { code?: unknown })?.code).startsWith("ERR_PARSE_ARGS");
    console.error(known ? (error as Error).message : error);
    process.exitCode = 1;
  }
}
