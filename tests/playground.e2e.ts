/**
 * The playground in a real browser: Debian's Chromium driven by
 * playwright-core, against the built site served on a free localhost port
 * (both set up by `browser_harness.ts`). Run with
 * `deno test -A tests/playground.e2e.ts`. With `SCREENSHOTS=1` it writes docs/playground.png.
 *
 * The waits are on conditions with generous time limits, never fixed
 * sleeps standing in for them, so the tests hold on a slow, shared machine.
 */
import { Buffer } from "node:buffer";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { decodeUserData } from "../playground/shared/data_link.ts";
import type { UserData } from "../playground/shared/user_data.ts";
import { MLP } from "../src/nn.ts";
import { Trainer } from "../src/train.ts";
import { predictClass } from "../src/loss.ts";
import {
  closePage,
  DESKTOP_VIEWPORT,
  type OpenedPage,
  planeAt,
  plotArea,
  saveScreenshot,
  useBrowserHarness,
} from "./browser_harness.ts";
import { waitForHeatmaps } from "./network_heatmaps.ts";

const harness = useBrowserHarness("playground-e2e");

/**
 * A fresh page on the playground (optionally with a hash), ready: it records
 * console errors, uncaught exceptions, long tasks and click latency.
 */
async function open(
  hash = "",
  viewport: { width: number; height: number } = DESKTOP_VIEWPORT,
): Promise<OpenedPage> {
  const opened = await harness().newPage(viewport);
  const { page } = opened;
  // Long tasks and click latency are recorded from the very start.
  await page.addInitScript(() => {
    const record = globalThis as unknown as {
      longTasks: { start: number; duration: number }[];
      clickDelays: { at: number; delay: number }[];
    };
    record.longTasks = [];
    record.clickDelays = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        record.longTasks.push({
          start: entry.startTime,
          duration: entry.duration,
        });
      }
    }).observe({ type: "longtask", buffered: true });
    // How long a click waited for the main thread: from the input event's
    // timestamp to the moment its first listener ran.
    document.addEventListener(
      "pointerdown",
      (event) =>
        record.clickDelays.push({
          at: event.timeStamp,
          delay: performance.now() - event.timeStamp,
        }),
      { capture: true },
    );
  });
  await page.goto(harness().url + hash);
  await waitForReady(page);
  return opened;
}

/** The first run is on screen: step 0 with the untrained model's numbers. */
async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.getElementById("train-loss")?.textContent !== "–",
    null,
    { timeout: 30_000 },
  );
}

/** What the Play button shows: its visible icon (▶ or ⏸) and its label. */
function playButton(page: Page): Promise<string> {
  return page.evaluate(() => {
    const button = document.getElementById("play")!;
    const shown = (selector: string) => {
      const icon = button.querySelector(selector);
      return icon !== null && icon.getBoundingClientRect().width > 0;
    };
    const icons = (shown(".play-icon") ? "▶" : "") +
      (shown(".pause-icon") ? "⏸" : "");
    return `${icons} ${button.querySelector(".play-label")?.textContent}`;
  });
}

async function text(page: Page, id: string): Promise<string> {
  return (await page.textContent(`#${id}`)) ?? "";
}

async function number(page: Page, id: string): Promise<number> {
  return Number(await text(page, id));
}

/** Wait until the step counter has not moved for `quietMilliseconds`. */
async function settledStepCount(
  page: Page,
  quietMilliseconds = 400,
): Promise<number> {
  return Number(await settledText(page, "step-count", quietMilliseconds));
}

/**
 * Pixels of the decision grid's plot area as the visitor sees them (the grid
 * image under uPlot's canvas of axes and points, composed the way the page
 * stacks them): variance and a fingerprint.
 */
function gridPixels(
  page: Page,
): Promise<{ variance: number; fingerprint: number[] }> {
  return page.evaluate(() => {
    const plot = document.querySelector<HTMLCanvasElement>(
      "#grid-chart .u-wrap > canvas",
    )!;
    const image = document.querySelector<HTMLCanvasElement>(
      "#grid-chart .grid-image",
    )!;
    const under = image.parentElement!;
    const ratio = plot.width / plot.clientWidth;
    const composed = document.createElement("canvas");
    composed.width = plot.width;
    composed.height = plot.height;
    const context = composed.getContext("2d")!;
    context.imageSmoothingEnabled = getComputedStyle(image).imageRendering !==
      "pixelated";
    context.drawImage(
      image,
      under.offsetLeft * ratio,
      under.offsetTop * ratio,
      under.clientWidth * ratio,
      under.clientHeight * ratio,
    );
    context.drawImage(plot, 0, 0);
    const { width, height } = composed;
    // The middle of the canvas is inside the plot area, away from the axes.
    const x0 = Math.floor(width * 0.25), y0 = Math.floor(height * 0.15);
    const w = Math.floor(width * 0.7), h = Math.floor(height * 0.6);
    const data = context.getImageData(x0, y0, w, h).data;
    let sum = 0, sumSquares = 0, count = 0;
    const fingerprint: number[] = [];
    for (let i = 0; i < data.length; i += 4) {
      const luminance = 0.299 * data[i] + 0.587 * data[i + 1] +
        0.114 * data[i + 2];
      sum += luminance;
      sumSquares += luminance * luminance;
      count++;
    }
    // A coarse sample for comparing two moments.
    for (let i = 0; i < data.length; i += 4 * 97) {
      fingerprint.push(data[i], data[i + 1], data[i + 2]);
    }
    const mean = sum / count;
    return { variance: sumSquares / count - mean * mean, fingerprint };
  });
}

function differingSamples(a: number[], b: number[]): number {
  let differing = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) differing++;
  }
  return differing;
}

describe("playground in Chromium", () => {
  test("opens with micrograd's demo ready to run", async () => {
    const opened = await open();
    const { page } = opened;
    assert.equal(await page.inputValue("#dataset"), "moons");
    assert.equal(await text(page, "step-count"), "0");
    assert.equal(await text(page, "architecture"), "2 → 16 → 16 → 1");
    assert.equal(await page.inputValue("#loss"), "hinge");
    assert.equal(await page.inputValue("#schedule"), "linear");
    assert.ok(Number.isFinite(await number(page, "train-loss")));
    assert.ok(Number.isFinite(await number(page, "test-loss")));
    assert.equal(await text(page, "error"), "");
    assert.match(new URL(page.url()).hash, /dataset=moons/);
    // The decision grid's legend: class colours, then train and test marks.
    assert.deepEqual(
      await page.$$eval(
        "#grid-legend li:not(.legend-note)",
        (items) => items.map((item) => item.textContent),
      ),
      ["class 0", "class 1", "train", "test"],
    );
    for (const id of ["play", "step", "reset", "loss-chart", "grid-chart"]) {
      assert.ok(await page.isVisible(`#${id}`), `#${id} is visible`);
    }
    await closePage(opened);
  });

  test("Play trains moons to train accuracy >= 0.97, stops at step 100 with a reason, Play goes on, Pause stops the counter", async () => {
    const opened = await open();
    const { page } = opened;
    const initialLoss = await number(page, "train-loss");
    const started = Date.now();
    assert.equal(await playButton(page), "▶ Play");
    await page.click("#play");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
    assert.equal(await playButton(page), "⏸ Pause");
    await page.waitForFunction(
      () => Number(document.getElementById("train-acc")?.textContent) >= 0.97,
      null,
      { timeout: 30_000, polling: 50 },
    );
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds <= 30, `reached 0.97 in ${seconds} s`);
    // micrograd's demo ends with its schedule, at step 100, and says so.
    await page.waitForFunction(
      () => document.getElementById("stop-reason")?.textContent !== "",
      null,
      { timeout: 60_000, polling: 50 },
    );
    assert.equal(
      await text(page, "stop-reason"),
      "stopped at step 100: the schedule ended",
    );
    assert.equal(await text(page, "step-count"), "100");
    assert.equal(await playButton(page), "▶ Play");
    const trainedLoss = await number(page, "train-loss");
    assert.ok(
      trainedLoss < initialLoss / 2,
      `loss fell from ${initialLoss} to ${trainedLoss}`,
    );
    // The loss chart's x-axis covers the run: 0 to 100.
    // Play goes on past the stop.
    await page.click("#play");
    assert.equal(await text(page, "stop-reason"), "");
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) > 110,
      null,
      { timeout: 30_000, polling: 50 },
    );

    await page.click("#play"); // pause
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    assert.equal(await playButton(page), "▶ Play");
    const stopped = await settledStepCount(page);
    await page.waitForTimeout(1000);
    assert.equal(
      await number(page, "step-count"),
      stopped,
      "no steps while paused",
    );
    assert.ok(await number(page, "train-acc") >= 0.97);

    await saveScreenshot(page, "docs/playground.png");
    await closePage(opened);
  });

  test("Step adds exactly one step; S steps too; Reset returns to step 0 and a fresh model", async () => {
    const opened = await open();
    const { page } = opened;
    const freshLoss = await text(page, "train-loss");
    const freshGrid = await gridPixels(page);
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "2"
    );
    assert.equal(await settledStepCount(page), 2, "exactly one step per click");
    await page.locator("#data-heading").click(); // focus away from the buttons
    await page.keyboard.press("s");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "3"
    );
    assert.equal(await settledStepCount(page), 3);
    assert.notEqual(await text(page, "train-loss"), freshLoss);

    // Reset while playing: back to step 0, paused, the same untrained model.
    await page.click("#play");
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) > 10
    );
    await page.click("#reset");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0"
    );
    assert.equal(await settledStepCount(page), 0);
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    assert.equal(
      await text(page, "train-loss"),
      freshLoss,
      "a fresh model has the initial loss",
    );
    const resetGrid = await gridPixels(page);
    assert.deepEqual(
      resetGrid.fingerprint,
      freshGrid.fingerprint,
      "and draws the initial grid",
    );
    await closePage(opened);
  });

  test("Space toggles Play", async () => {
    const opened = await open();
    const { page } = opened;
    await page.locator("#data-heading").click();
    await page.keyboard.press("Space");
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) > 0
    );
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
    await page.keyboard.press("Space");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    const stopped = await settledStepCount(page);
    await page.waitForTimeout(500);
    assert.equal(await number(page, "step-count"), stopped);
    await closePage(opened);
  });

  test("while training runs for 5 s the main thread has no long task and answers clicks within 100 ms", async () => {
    const opened = await open("#speed=max&stop=never");
    const { page } = opened;
    await page.click("#play");
    // Measure steady training, after the first second of warm-up (JIT).
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) > 0,
    );
    await page.waitForTimeout(1000);
    // On a shared 2-core machine another process can stall the page's main
    // thread for 50 ms whatever the page does; a long task caused by the
    // page would show up in every window. So up to three 5-second windows
    // are measured and one clean window passes.
    const windows: {
      longTasks: { start: number; duration: number }[];
      delays: number[];
    }[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const windowStart: number = await page.evaluate(() => performance.now());
      const end = Date.now() + 5000;
      while (Date.now() < end) {
        // A click on a neutral spot (a heading): the delay before its listener runs.
        await page.locator("#training-heading").click();
        await page.waitForTimeout(200);
      }
      const measured = await page.evaluate((start) => {
        const record = globalThis as unknown as {
          longTasks: { start: number; duration: number }[];
          clickDelays: { at: number; delay: number }[];
        };
        return {
          longTasks: record.longTasks.filter((task) => task.start >= start),
          delays: record.clickDelays.filter((click) => click.at >= start).map((
            click,
          ) => Math.round(click.delay)),
        };
      }, windowStart);
      windows.push(measured);
      if (
        measured.longTasks.length === 0 && Math.max(...measured.delays) < 100
      ) break;
    }
    const stepsDuring = await number(page, "step-count");
    await page.click("#play");
    assert.ok(stepsDuring > 20, `training ran (${stepsDuring} steps)`);
    const clean = windows.find((window) =>
      window.longTasks.length === 0 && window.delays.length >= 10 &&
      Math.max(...window.delays) < 100
    );
    const [load] = loadavg();
    const cores = cpus().length;
    if (!clean && load > 1.5 * cores) {
      // Long tasks then measure the machine, not the page: with more than
      // one and a half runnable processes per core, any 10 ms frame can be
      // stretched past 50 ms. Say so loudly instead of failing.
      console.warn(
        `WARNING: long-task check inconclusive, the machine is overloaded (load ${
          load.toFixed(1)
        } on ${cores} cores): ${JSON.stringify(windows)}`,
      );
    } else {
      assert.ok(
        clean,
        `every 5-second window had a long task or a slow click (load ${
          load.toFixed(1)
        } on ${cores} cores): ${JSON.stringify(windows)}`,
      );
    }
    await closePage(opened);
  });

  test("the decision grid is not blank and changes as training goes", async () => {
    const opened = await open();
    const { page } = opened;
    const before = await gridPixels(page);
    assert.ok(
      before.variance > 50,
      `the untrained grid has structure (variance ${before.variance})`,
    );
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) >= 60,
      null,
      {
        timeout: 30_000,
      },
    );
    await page.click("#play");
    await settledStepCount(page);
    const afterTraining = await gridPixels(page);
    assert.ok(
      afterTraining.variance > 50,
      `variance ${afterTraining.variance}`,
    );
    const changed = differingSamples(
      before.fingerprint,
      afterTraining.fingerprint,
    );
    assert.ok(
      changed > before.fingerprint.length / 10,
      `${changed} samples changed`,
    );

    // Hard mode repaints the same model with two flat colours.
    await page.check("#grid-hard");
    await page.waitForFunction(() => location.hash.includes("grid=hard"));
    const hard = await gridPixels(page);
    assert.ok(
      differingSamples(afterTraining.fingerprint, hard.fingerprint) > 0,
    );
    await closePage(opened);
  });

  test("switching the dataset redraws the points and starts a new run", async () => {
    const opened = await open();
    const { page } = opened;
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    const moons = await gridPixels(page);
    await page.selectOption("#dataset", "circles");
    await page.waitForFunction(() =>
      location.hash.includes("dataset=circles") &&
      document.getElementById("step-count")?.textContent === "0"
    );
    const circles = await gridPixels(page);
    assert.ok(
      differingSamples(moons.fingerprint, circles.fingerprint) >
        moons.fingerprint.length / 20,
    );
    // Spiral with three classes switches to softmax cross-entropy, three outputs.
    await page.selectOption("#dataset", "spiral");
    await page.waitForFunction(() => location.hash.includes("dataset=spiral"));
    await page.fill("#classes", "3");
    await page.press("#classes", "Enter");
    await page.waitForFunction(() => location.hash.includes("classes=3"));
    assert.equal(await page.inputValue("#loss"), "crossEntropy");
    assert.equal(await text(page, "architecture"), "2 → 16 → 16 → 3");
    await closePage(opened);
  });

  test("a URL hash with settings restores them", async () => {
    const hash =
      "#dataset=circles&points=200&noise=0.05&testFraction=0.3&hidden=8,6,4&activation=tanh" +
      "&loss=logistic&optimizer=adam&learningRate=0.05&schedule=cosine&steps=300&l2=0.001" +
      "&batchSize=32&seed=7&speed=30&logScale=1&grid=hard";
    const opened = await open(hash);
    const { page } = opened;
    const values = await page.evaluate(() =>
      Object.fromEntries(
        [
          "dataset",
          "points",
          "noise",
          "test-fraction",
          "activation",
          "loss",
          "optimizer",
          "learning-rate",
          "schedule",
          "steps",
          "l2",
          "batch-size",
          "seed",
          "speed",
        ].map((
          id,
        ) => [id, (document.getElementById(id) as HTMLInputElement).value]),
      )
    );
    assert.deepEqual(values, {
      dataset: "circles",
      points: "200",
      noise: "0.05",
      "test-fraction": "0.3",
      activation: "tanh",
      loss: "logistic",
      optimizer: "adam",
      "learning-rate": "0.05",
      schedule: "cosine",
      steps: "300",
      l2: "0.001",
      "batch-size": "32",
      seed: "7",
      speed: "30",
    });
    assert.equal(await text(page, "architecture"), "2 → 8 → 6 → 4 → 1");
    assert.equal(await page.isChecked("#log-scale"), true);
    assert.equal(await page.isChecked("#grid-hard"), true);
    // The page rewrites the hash in full, in the same order as it formats it.
    const rewritten = new URLSearchParams(new URL(page.url()).hash.slice(1));
    assert.equal(rewritten.get("hidden"), "8,6,4");
    assert.equal(rewritten.get("optimizer"), "adam");
    // And the run uses them.
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    // The log-scale chart takes losses of exactly 0 (as gaps) without errors.
    await page.uncheck("#log-scale");
    await page.check("#log-scale");

    // Editing the address applies it to the open page: a new run on xor.
    await page.evaluate(() =>
      location.hash = "#dataset=xor&hidden=4&activation=relu"
    );
    await page.waitForFunction(() =>
      (document.getElementById("dataset") as HTMLSelectElement).value ===
        "xor" &&
      document.getElementById("step-count")?.textContent === "0"
    );
    assert.equal(await text(page, "architecture"), "2 → 4 → 1");
    assert.match(
      new URL(page.url()).hash,
      /^#dataset=xor&points=100&/,
      "defaults fill the rest",
    );
    await closePage(opened);
  });

  test("a link with a malformed field opens with that field's default and says why", async () => {
    const opened = await open("#points=50&learningRate=fast&optimizer=adam");
    const { page } = opened;
    assert.equal(await page.inputValue("#learning-rate"), "1", "the default");
    assert.equal(await page.inputValue("#points"), "50", "the rest is used");
    assert.equal(await page.inputValue("#optimizer"), "adam");
    const status = await text(page, "status");
    assert.match(status, /learningRate "fast" was not used/);
    assert.match(status, /0\.000001, 100/, "what it accepts");
    assert.equal(await text(page, "error"), "");
    assert.match(new URL(page.url()).hash, /learningRate=1&/);
    await closePage(opened);
  });

  test("typing a learning rate and pressing Play at once trains with the typed rate", async () => {
    const opened = await open("#schedule=constant");
    const { page } = opened;
    // No Enter, no Tab: the click on Play is what commits the field.
    await page.fill("#learning-rate", "0.05");
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) >= 5,
      null,
      { timeout: 30_000 },
    );
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
    assert.equal(await text(page, "current-learning-rate"), "0.05");
    assert.match(new URL(page.url()).hash, /learningRate=0\.05&/);
    await page.click("#play");
    await settledStepCount(page);
    // Text the form cannot use keeps the current value and says why.
    await page.fill("#learning-rate", "500");
    await page.press("#learning-rate", "Enter");
    await page.waitForFunction(() =>
      /learningRate "500" was not used/.test(
        document.getElementById("status")?.textContent ?? "",
      )
    );
    assert.equal(await page.inputValue("#learning-rate"), "0.05");
    assert.match(new URL(page.url()).hash, /learningRate=0\.05&/);
    // The next good change replaces the note.
    await page.fill("#learning-rate", "0.02");
    await page.press("#learning-rate", "Enter");
    // (The status may now say the change applied live: that is not the note.)
    await page.waitForFunction(() =>
      location.hash.includes("learningRate=0.02&") &&
      !/was not used/.test(document.getElementById("status")?.textContent ?? "")
    );
    await closePage(opened);
  });

  test("a garbage hash loads the defaults, writes nothing as HTML and logs no error", async () => {
    const opened = await open(
      "#%E0%A4%A&dataset=<img src=x onerror=alert(1)>&points=NaN&hidden=<b>&view=<script>",
    );
    const { page } = opened;
    assert.equal(await page.inputValue("#dataset"), "moons");
    assert.equal(await page.inputValue("#points"), "100");
    assert.equal(await text(page, "architecture"), "2 → 16 → 16 → 1");
    assert.equal(await text(page, "error"), "");
    assert.equal(
      await page.locator("img").count(),
      0,
      "no element came from the URL",
    );
    assert.match(new URL(page.url()).hash, /^#dataset=moons&points=100&/);
    await closePage(opened);
  });

  test("a diverged run shows one message naming the counter's step, the cause and Reset; the page keeps working; Reset starts clean", async () => {
    const opened = await open(
      "#loss=mse&learningRate=100&activation=linear&schedule=constant",
    );
    const { page } = opened;
    await page.click("#play");
    await page.waitForFunction(
      () =>
        /diverged/.test(document.getElementById("error")?.textContent ?? ""),
      null,
      {
        timeout: 30_000,
      },
    );
    // One message: the step on the counter, the cause, the rate the step
    // used, the hint once, and Reset.
    const message = await text(page, "error");
    const counter = await settledStepCount(page);
    const named = Number(/diverged after step (\d+)/.exec(message)?.[1]);
    assert.equal(named, counter, message);
    assert.equal(message.match(/lower the learning rate/g)?.length, 1, message);
    assert.equal(message.match(/Likely cause/g)?.length, 1, message);
    assert.match(message, /currently 100\b/);
    assert.match(message, /press Reset/i);
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    await page.click("#reset");
    await page.waitForFunction(() =>
      document.getElementById("error")?.textContent === "" &&
      document.getElementById("step-count")?.textContent === "0"
    );
    await page.fill("#learning-rate", "0.01");
    await page.press("#learning-rate", "Enter");
    await page.waitForFunction(() =>
      location.hash.includes("learningRate=0.01")
    );
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    assert.equal(await text(page, "error"), "");
    await closePage(opened);
  });

  test("weights download as JSON and load back; a malformed file changes nothing", async () => {
    const opened = await open();
    const { page } = opened;
    for (let i = 1; i <= 5; i++) {
      await page.click("#step");
      await page.waitForFunction(
        (n) => document.getElementById("step-count")?.textContent === String(n),
        i,
      );
    }
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#save"),
    ]);
    const saved = join(harness().scratch, "weights.json");
    await download.saveAs(saved);
    const json = JSON.parse(await readFile(saved, "utf8"));
    assert.equal(json.format, "micrograd-mlp");
    assert.deepEqual(json.sizes, [16, 16, 1]);
    // The train loss on screen is the saved weights' (whole training set).
    const savedModelLoss = await text(page, "train-loss");
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "6"
    );

    await page.click("#reset");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0"
    );
    assert.notEqual(await text(page, "train-loss"), savedModelLoss);

    await page.setInputFiles("#load", saved);
    await page.waitForFunction(() =>
      /Loaded/.test(document.getElementById("status")?.textContent ?? "")
    );
    assert.equal(await text(page, "step-count"), "0");
    assert.equal(
      await text(page, "train-loss"),
      savedModelLoss,
      "the loaded model is the saved one",
    );

    const stepBefore = await text(page, "step-count");
    const architectureBefore = await text(page, "architecture");
    const broken = join(harness().scratch, "broken.json");
    await writeFile(broken, '{"format": "micrograd-mlp", "layers": 5');
    await page.setInputFiles("#load", broken);
    await page.waitForFunction(() =>
      /not valid JSON/.test(document.getElementById("error")?.textContent ?? "")
    );
    const wrongShape = join(harness().scratch, "wrong.json");
    await writeFile(
      wrongShape,
      JSON.stringify({ ...json, sizes: [16, 16, 2] }),
    );
    await page.setInputFiles("#load", wrongShape);
    await page.waitForFunction(() =>
      /not a micrograd model/.test(
        document.getElementById("error")?.textContent ?? "",
      )
    );
    assert.equal(await text(page, "step-count"), stepBefore, "nothing changed");
    assert.equal(await text(page, "architecture"), architectureBefore);
    await closePage(opened);
  });

  test("works on a narrow phone screen", async () => {
    const opened = await open("", { width: 390, height: 844 });
    const { page } = opened;
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - innerWidth
    );
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    for (
      const id of [
        "play",
        "step",
        "reset",
        "grid-chart",
        "loss-chart",
        "dataset",
      ]
    ) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(
        box && box.width > 0 && box.x >= 0 && box.x + box.width <= 390,
        `#${id} fits`,
      );
    }
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    await closePage(opened);
  });
});

describe("input features and L1 (issue 9)", () => {
  test("circles with features x², y² and no hidden layer reach test accuracy >= 0.95", async () => {
    const opened = await open();
    const { page } = opened;
    await page.selectOption("#dataset", "circles");
    await page.click("#remove-layer");
    await page.click("#remove-layer");
    await page.waitForFunction(() => location.hash.includes("hidden=&"));
    // Tick the new features first: a network needs at least one input.
    await page.check('#features input[data-feature="x2"]');
    await page.check('#features input[data-feature="y2"]');
    await page.uncheck('#features input[data-feature="x"]');
    await page.uncheck('#features input[data-feature="y"]');
    await page.waitForFunction(() =>
      location.hash.includes("features=x2,y2&") &&
      document.getElementById("step-count")?.textContent === "0"
    );
    assert.equal(await text(page, "architecture"), "2 → 1");
    // The diagram's first column: one heatmap per feature, in input order.
    await page.waitForFunction(() =>
      document.querySelectorAll("#network [data-feature]").length === 2
    );
    assert.deepEqual(
      await page.$$eval(
        "#network [data-input]",
        (inputs) =>
          inputs.map((input) => (input as HTMLElement).dataset.feature),
      ),
      ["x2", "y2"],
    );
    // Each drawn: x² and y² over the plane.
    await waitForHeatmaps(
      page,
      (maps) => maps.length === 2 && maps.every((map) => map.painted),
      "the features' heatmaps",
      { selector: "#network [data-input]" },
    );
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("test-acc")?.textContent) >= 0.95,
      null,
      { timeout: 30_000, polling: 50 },
    );
    await page.click("#play");
    assert.equal(await text(page, "error"), "");
    await closePage(opened);
  });

  test("unticking every feature is refused with a note; L1 sits beside L2 and travels in the link", async () => {
    const opened = await open("#features=y,x");
    const { page } = opened;
    // The link's order is kept (a new choice would list x first).
    assert.match(new URL(page.url()).hash, /features=y,x&/);
    await page.uncheck('#features input[data-feature="x"]');
    await page.waitForFunction(() => location.hash.includes("features=y&"));
    // (A click: the page ticks the box again at once.)
    await page.click('#features input[data-feature="y"]');
    await page.waitForFunction(() =>
      /features "" was not used/.test(
        document.getElementById("status")?.textContent ?? "",
      )
    );
    assert.equal(
      await page.isChecked('#features input[data-feature="y"]'),
      true,
      "the box is ticked again",
    );
    await page.selectOption("#l1", "0.001");
    await page.waitForFunction(() =>
      location.hash.includes("l1=0.001&") &&
      document.getElementById("step-count")?.textContent === "0"
    );
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    assert.equal(await text(page, "error"), "");
    await closePage(opened);
  });
});

describe("regression view (issue 9)", () => {
  test("plane and gaussians: the grid shows the value with a colour key, the numbers R² and MAE, the chart MSE", async () => {
    const opened = await open(
      "#dataset=gaussians&optimizer=adam&learningRate=0.02&schedule=constant&points=300",
    );
    const { page } = opened;
    assert.equal(await page.inputValue("#dataset"), "gaussians");
    assert.equal(await page.inputValue("#loss"), "mse");
    assert.equal(await text(page, "train-acc-name"), "Train R²");
    assert.equal(await text(page, "test-acc-name"), "Test R²");
    assert.ok(await page.isVisible("#train-mae"));
    assert.ok(Number.isFinite(await number(page, "train-mae")));
    assert.equal(await page.locator("#grid-legend .color-key").count(), 1);
    assert.match(await text(page, "grid-legend"), /target/);
    const series = await page.$$eval(
      "#loss-chart .u-legend .u-series th",
      (cells) => cells.map((cell) => cell.textContent?.trim()),
    );
    assert.ok(series.includes("train MSE"), JSON.stringify(series));
    assert.ok(series.includes("test R²"), JSON.stringify(series));
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("train-acc")?.textContent) > 0.3,
      null,
      { timeout: 60_000, polling: 100 },
    );
    await page.click("#play");
    const grid = await gridPixels(page);
    assert.ok(grid.variance > 20, `the value has structure (${grid.variance})`);
    // Back to a classification: accuracy again.
    await page.selectOption("#dataset", "moons");
    await page.waitForFunction(() =>
      document.getElementById("train-acc-name")?.textContent === "Train acc."
    );
    assert.equal(await page.isVisible("#train-mae"), false);
    assert.equal(await page.locator("#grid-legend .color-key").count(), 0);
    await closePage(opened);
  });
});

describe("test points (issue 9)", () => {
  test("the Test points checkbox hides and shows the test points, and the link keeps it", async () => {
    const opened = await open("#testFraction=0.5");
    const { page } = opened;
    assert.equal(await page.isChecked("#show-test"), true);
    const shown = await gridPixels(page);
    await page.uncheck("#show-test");
    await page.waitForFunction(() => location.hash.includes("showTest=0"));
    const hidden = await gridPixels(page);
    assert.ok(
      differingSamples(shown.fingerprint, hidden.fingerprint) > 0,
      "the rings are gone",
    );
    assert.equal(await text(page, "step-count"), "0", "no new run");
    await page.reload();
    await waitForReady(page);
    assert.equal(await page.isChecked("#show-test"), false);
    await page.check("#show-test");
    await page.waitForFunction(() => location.hash.includes("showTest=1"));
    assert.deepEqual(
      (await gridPixels(page)).fingerprint,
      shown.fingerprint,
      "the same picture as before",
    );
    await closePage(opened);
  });
});

/** Your own points as the page's link carries them (`null`: generated). */
function linkedPoints(page: Page): UserData | null {
  const data = new URLSearchParams(new URL(page.url()).hash.slice(1)).get(
    "data",
  );
  return data === null ? null : decodeUserData(data);
}

/** An element's text once it has not changed for `quietMilliseconds`. */
async function settledText(
  page: Page,
  id: string,
  quietMilliseconds = 600,
): Promise<string> {
  let last = await text(page, id);
  let since = Date.now();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await page.waitForTimeout(50);
    const now = await text(page, id);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMilliseconds) {
      return now;
    }
  }
  throw new Error(`#${id} never settled`);
}

async function waitForCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.getElementById("point-count")?.textContent === String(n),
    count,
  );
}

describe("points you can touch (issue 9)", () => {
  test("a click adds a point where clicked, of the selected class; alt-click and right-click remove; Clear and Regenerate", async () => {
    const opened = await open();
    const { page } = opened;
    assert.equal(await text(page, "point-count"), "100");
    assert.deepEqual(
      await page.$$eval(
        "#class-picker button",
        (buttons) => buttons.map((button) => button.dataset.class),
      ),
      ["0", "1", "2"],
    );
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    const area = await plotArea(page);
    const cell = (area.bounds.xMax - area.bounds.xMin) / 64;
    // Class 1 picked by its button; a click in the upper left.
    await page.click('#class-picker button[data-class="1"]');
    const px = area.left + area.width * 0.21,
      py = area.top + area.height * 0.17;
    await page.mouse.click(px, py);
    await waitForCount(page, 101);
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0"
    );
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    const added = linkedPoints(page)!;
    assert.equal(added.x.length, 101);
    const [x, y] = added.x[100];
    const [ex, ey] = planeAt(area, px, py);
    assert.ok(
      Math.abs(x - ex) <= cell && Math.abs(y - ey) <= cell,
      `(${x}, ${y}) is within a cell of (${ex}, ${ey})`,
    );
    assert.equal(added.y[100], 1);
    assert.match(await text(page, "data-source"), /your own/);
    // The generated points kept their sides: 20 test points before and after.
    assert.equal(added.test.slice(0, 100).filter(Boolean).length, 20);

    // Key 3 picks class 2 (a third class: three outputs), shift-click the next.
    await page.locator("#data-heading").click();
    await page.keyboard.press("3");
    const qx = area.left + area.width * 0.8, qy = area.top + area.height * 0.8;
    await page.mouse.click(qx, qy);
    await waitForCount(page, 102);
    await page.waitForFunction(() =>
      document.getElementById("architecture")?.textContent?.endsWith("→ 3")
    );
    await page.keyboard.down("Shift");
    await page.mouse.click(qx - 30, qy);
    await page.keyboard.up("Shift");
    await waitForCount(page, 103);
    assert.deepEqual(linkedPoints(page)!.y.slice(100), [1, 2, 0]);

    // Alt-click on the first added point removes it; right-click the next.
    await page.keyboard.down("Alt");
    await page.mouse.click(px + 2, py + 1);
    await page.keyboard.up("Alt");
    await waitForCount(page, 102);
    const afterAlt = linkedPoints(page)!;
    assert.ok(
      !afterAlt.x.some(([a, b]) => a === x && b === y),
      "the clicked point is gone",
    );
    await page.mouse.click(qx, qy, { button: "right" });
    await waitForCount(page, 101);

    // Drag paints several points.
    await page.mouse.move(
      area.left + area.width * 0.3,
      area.top + area.height * 0.5,
    );
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await page.mouse.move(
        area.left + area.width * (0.3 + i * 0.03),
        area.top + area.height * 0.5,
      );
    }
    await page.mouse.up();
    await page.waitForFunction(() =>
      Number(document.getElementById("point-count")?.textContent) >= 106
    );

    await page.click("#clear-data");
    await waitForCount(page, 0);
    await page.click("#play");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    assert.match(await text(page, "status"), /no points/);
    await page.mouse.click(px, py);
    await waitForCount(page, 1);
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0" &&
      document.getElementById("train-loss")?.textContent !== "–"
    );

    await page.click("#regenerate");
    await waitForCount(page, 100);
    await page.waitForFunction(() => !location.hash.includes("data="));
    assert.match(await text(page, "data-source"), /generated/);
    assert.equal(await text(page, "error"), "");
    await closePage(opened);
  });
});

describe("your points and the network's size (issue 9)", () => {
  test("a layer your points no longer fit is refused with why, and nothing changes", async () => {
    const opened = await open("#hidden=32,32,32,32,32,32,32");
    const { page } = opened;
    // About 2,640 training points: within 7 × 32's full-batch budget, not 8 × 32's.
    await page.setInputFiles("#upload-data", {
      name: "many.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(blobsCsv(3300)),
    });
    await waitForCount(page, 3300);
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0" &&
      /Loaded 3300 points/.test(
        document.getElementById("status")?.textContent ?? "",
      )
    );
    // The run on the points is shown (three classes: cross-entropy, in the
    // link too) before the link is read.
    await page.waitForFunction(() =>
      document.getElementById("architecture")?.textContent?.endsWith("→ 3") &&
      location.hash.includes("loss=crossEntropy")
    );
    const hash = new URL(page.url()).hash;
    await page.focus("#add-layer");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() =>
      /That change was not made: your \d+ training points are too many for this network/
        .test(document.getElementById("status")?.textContent ?? "")
    );
    assert.equal(await text(page, "layer-count"), "7 hidden layers");
    assert.equal(await text(page, "error"), "");
    assert.equal(new URL(page.url()).hash, hash, "the link is unchanged");
    assert.equal(await text(page, "point-count"), "3300");
    await closePage(opened);
  });
});

describe("your points and the generator (issue 9)", () => {
  test("a new data seed typed over your points brings the generator back, and one click brings your points back", async () => {
    const opened = await open();
    const { page } = opened;
    const area = await plotArea(page);
    await page.mouse.click(
      area.left + area.width * 0.2,
      area.top + area.height * 0.2,
    );
    await waitForCount(page, 101);
    const mine = linkedPoints(page)!;
    // Type a seed and click Play at once, as a person would.
    await page.fill("#data-seed", "7");
    await page.click("#play");
    await page.waitForSelector("#undo-data");
    assert.match(await text(page, "status"), /replaced your 101 points/);
    assert.equal(linkedPoints(page), null, "the generator's data now");
    await page.click("#play"); // pause
    await page.click("#undo-data");
    await waitForCount(page, 101);
    assert.deepEqual(linkedPoints(page)!.x, mine.x);
    assert.equal(await page.inputValue("#data-seed"), "1337");
    assert.equal(await text(page, "error"), "");
    await closePage(opened);
  });
});

describe("dragging a point across the boundary (issue 9)", () => {
  test("two clusters drawn by clicks; a point dragged into the other cluster keeps its class and side, starts a new run, and travels in the link", async () => {
    const opened = await open();
    const { page } = opened;
    await page.click("#clear-data");
    await waitForCount(page, 0);
    const area = await plotArea(page);
    const cell = (area.bounds.xMax - area.bounds.xMin) / 64;
    const at = (fx: number, fy: number): [number, number] => [
      area.left + area.width * fx,
      area.top + area.height * fy,
    ];
    // Class 0 on the left, class 1 on the right: five points each.
    for (const [k, fx] of [[0, 0.2], [1, 0.75]] as const) {
      await page.click(`#class-picker button[data-class="${k}"]`);
      for (let i = 0; i < 5; i++) {
        const [px, py] = at(fx + (i % 2) * 0.05, 0.3 + i * 0.1);
        await page.mouse.click(px, py);
        await waitForCount(page, k * 5 + i + 1);
      }
    }
    await page.click("#play");
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) >= 20
    );
    // Press on the first point (a class 0 point) and drag it to the right.
    await page.click("#play");
    const before = linkedPoints(page)!;
    // The plot may have changed shape as points came: measure it again.
    const now = await plotArea(page);
    const { xMin, xMax, yMin, yMax } = now.bounds;
    const sx = now.left + ((before.x[0][0] - xMin) / (xMax - xMin)) * now.width;
    const sy = now.top + ((yMax - before.x[0][1]) / (yMax - yMin)) * now.height;
    const tx = now.left + now.width * 0.8, ty = now.top + now.height * 0.35;
    const beforeHash = new URL(page.url()).hash;
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(sx + (tx - sx) * i / 12, sy + (ty - sy) * i / 12);
    }
    await page.mouse.up();
    await page.waitForFunction((old) => location.hash !== old, beforeHash);
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0"
    );
    assert.equal(await text(page, "point-count"), "10", "moved, not added");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    const after = linkedPoints(page)!;
    const [x, y] = after.x[0];
    const [ex, ey] = planeAt(now, tx, ty);
    assert.ok(
      Math.abs(x - ex) <= cell && Math.abs(y - ey) <= cell,
      `the dragged point (${x}, ${y}) is within a cell of the drop (${ex}, ${ey})`,
    );
    assert.equal(after.y[0], 0, "it keeps its class");
    assert.equal(after.test[0], before.test[0], "and its side");
    assert.deepEqual(after.x.slice(1), before.x.slice(1), "the others stay");
    // A student opening the link sees the same points.
    const student = await harness().newPage();
    await student.page.goto(page.url());
    await waitForCount(student.page, 10);
    assert.deepEqual(linkedPoints(student.page)!.x, after.x);
    await closePage(student);
    assert.equal(await text(page, "error"), "");
    await closePage(opened);
  });
});

/** `n` points of three well-separated blobs as CSV, classes by name. */
function blobsCsv(n: number): string {
  const centres = [[-1, -0.5], [1, -0.5], [0, 1]];
  const names = ["red", "green", "blue"];
  const lines = ["x,y,label"];
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    const x = centres[k][0] + (random() - 0.5) * 0.6;
    const y = centres[k][1] + (random() - 0.5) * 0.6;
    lines.push(`${x.toFixed(4)},${y.toFixed(4)},${names[k]}`);
  }
  return lines.join("\n") + "\n";
}

describe("CSV in and out (issue 9)", () => {
  test("an uploaded 3-class CSV trains to accuracy >= 0.9; a malformed one is refused with line and column and changes nothing; the data downloads as CSV", async () => {
    const opened = await open();
    const { page } = opened;
    const file = join(harness().scratch, "three.csv");
    await writeFile(file, blobsCsv(150));
    await page.setInputFiles("#upload-data", file);
    await waitForCount(page, 150);
    await page.waitForFunction(() =>
      document.getElementById("architecture")?.textContent?.endsWith("→ 3")
    );
    assert.equal(await text(page, "data-error"), "");
    // The new run's legend names the classes as the file does.
    await page.waitForFunction(() =>
      document.querySelector("#grid-legend li")?.textContent === "red"
    );
    assert.deepEqual(
      await page.$$eval(
        "#grid-legend li:not(.legend-note)",
        (items) => items.map((item) => item.textContent),
      ),
      ["red", "green", "blue", "train", "test"],
    );
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("train-acc")?.textContent) >= 0.9,
      null,
      { timeout: 60_000, polling: 100 },
    );
    await page.click("#play");
    await settledStepCount(page);
    const hashBefore = new URL(page.url()).hash;

    const broken = join(harness().scratch, "broken.csv");
    await writeFile(broken, "x,y,label\n0,1,0\n0.5,oops,1\n");
    await page.setInputFiles("#upload-data", broken);
    await page.waitForFunction(() =>
      (document.getElementById("data-error")?.textContent ?? "") !== ""
    );
    const error = await text(page, "data-error");
    assert.match(error, /broken\.csv/);
    assert.match(error, /line 3, column 5/);
    assert.match(error, /y must be/);
    assert.equal(await text(page, "point-count"), "150", "the old points stay");
    assert.equal(new URL(page.url()).hash, hashBefore);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#download-data"),
    ]);
    const saved = join(harness().scratch, "points.csv");
    await download.saveAs(saved);
    const csv = await readFile(saved, "utf8");
    assert.match(csv, /^# classes: red,green,blue\nx,y,label\n/);
    assert.equal(csv.trim().split("\n").length, 152);
    await closePage(opened);
  });

  test("10,000 points dropped on the grid load without a main-thread task over 50 ms; the link says it no longer carries them", async () => {
    // One drop, measured: the main thread's long tasks (over 50 ms, as
    // Chromium reports them) from the drop until the new run is shown.
    // Parsing and splitting run in the worker and the points are drawn as
    // one bitmap, so none is expected; a machine hiccup gets one more drop on
    // a fresh page (a real regression shows in both).
    const dropTenThousand = async () => {
      const opened = await open();
      const { page } = opened;
      // The file is made first (handing the test's text to the page is a
      // task of its own); then it is dropped, and the clock starts.
      await page.evaluate((content) => {
        (globalThis as unknown as { dropped: File }).dropped = new File(
          [content],
          "many.csv",
          { type: "text/csv" },
        );
      }, blobsCsv(10_000));
      await page.waitForTimeout(200);
      const start: number = await page.evaluate(() => performance.now());
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(
          (globalThis as unknown as { dropped: File }).dropped,
        );
        const grid = document.getElementById("grid-chart")!;
        grid.dispatchEvent(
          new DragEvent("dragover", { dataTransfer: transfer, bubbles: true }),
        );
        grid.dispatchEvent(
          new DragEvent("drop", { dataTransfer: transfer, bubbles: true }),
        );
      });
      await waitForCount(page, 10_000);
      await page.waitForFunction(
        () =>
          document.getElementById("step-count")?.textContent === "0" &&
          /10000 points/.test(
            document.getElementById("status")?.textContent ?? "",
          ),
        null,
        { timeout: 60_000 },
      );
      await page.waitForTimeout(500);
      const longTasks = await page.evaluate(
        (from) =>
          (globalThis as unknown as {
            longTasks: { start: number; duration: number }[];
          }).longTasks.filter((task) => task.start >= from),
        start,
      );
      return { opened, page, longTasks };
    };
    let { opened, page, longTasks } = await dropTenThousand();
    if (longTasks.length > 0) {
      console.log(
        `long tasks after the drop (ms): ${
          JSON.stringify(longTasks)
        }; dropping again on a fresh page`,
      );
      await closePage(opened);
      ({ opened, page, longTasks } = await dropTenThousand());
    }
    const [load] = loadavg();
    if (longTasks.length > 0 && load > 1.5 * cpus().length) {
      console.warn(
        `WARNING: long tasks on an overloaded machine: ${
          JSON.stringify(longTasks)
        }`,
      );
    } else {
      assert.deepEqual(longTasks, [], "no long task on the main thread");
    }
    assert.match(new URL(page.url()).hash, /&data=local-[0-9a-f]{8}$/);
    assert.match(await text(page, "data-note"), /no longer carries them/);
    // The points survive a reload, from this browser's storage.
    await page.reload();
    await waitForReady(page);
    await waitForCount(page, 10_000);
    await closePage(opened);
  });
});

describe("your points in a link (issue 9)", () => {
  test("edited points survive a reload and open the same in a new page from the link", async () => {
    const opened = await open("#dataset=xor&points=50");
    const { page } = opened;
    const area = await plotArea(page);
    for (
      const [fx, fy, key] of [[0.2, 0.3, "1"], [0.7, 0.25, "2"], [
        0.5,
        0.8,
        "3",
      ]] as const
    ) {
      await page.locator("#data-heading").click();
      await page.keyboard.press(key);
      await page.mouse.click(
        area.left + area.width * fx,
        area.top + area.height * fy,
      );
    }
    await waitForCount(page, 53);
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0" &&
      document.getElementById("architecture")?.textContent?.endsWith("→ 3")
    );
    const loss = await settledText(page, "train-loss");
    const link = page.url();
    const points = linkedPoints(page)!;
    assert.equal(points.x.length, 53);

    await page.reload();
    await waitForReady(page);
    await waitForCount(page, 53);
    assert.deepEqual(linkedPoints(page), points);
    await page.waitForFunction(
      (expected) =>
        document.getElementById("train-loss")?.textContent === expected,
      loss,
    );

    const other = await harness().newPage();
    await other.page.goto(link);
    await waitForReady(other.page);
    await waitForCount(other.page, 53);
    assert.deepEqual(linkedPoints(other.page), points);
    await other.page.waitForFunction(
      (expected) =>
        document.getElementById("train-loss")?.textContent === expected,
      loss,
    );
    assert.equal(await text(other.page, "architecture"), "2 → 16 → 16 → 3");
    await closePage(other);

    // A link whose points are garbage opens the generator and says why.
    const broken = await harness().newPage();
    await broken.page.goto(harness().url + "#dataset=xor&data=AAAA");
    await waitForReady(broken.page);
    assert.match(await text(broken.page, "status"), /points could not be read/);
    assert.match(await text(broken.page, "data-source"), /generated/);
    await closePage(broken);
    await closePage(opened);
  });
});

describe("training you can steer and read (issue 10)", () => {
  test("changing the learning rate mid-run keeps the step counter and the model; a new architecture resets and says so", async () => {
    const opened = await open("#stop=never&speed=30&schedule=constant");
    const { page } = opened;
    const initialLoss = await number(page, "train-loss");
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) >= 40,
      null,
      { timeout: 30_000, polling: 50 },
    );
    const before = await number(page, "step-count");
    // Type a rate and click elsewhere at once, as a person does.
    await page.fill("#learning-rate", "0.05");
    await page.locator("#training-heading").click();
    await page.waitForFunction(
      () =>
        /changed at step .*learningRate/.test(
          document.getElementById("status")?.textContent ?? "",
        ),
      null,
      { timeout: 10_000 },
    );
    assert.match(new URL(page.url()).hash, /learningRate=0.05/);
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
    await page.waitForFunction(
      (n) => Number(document.getElementById("step-count")?.textContent) > n,
      before + 10,
      { timeout: 30_000, polling: 50 },
    );
    // The loss goes on from where it was, far below the untrained one.
    const loss = await number(page, "train-loss");
    assert.ok(
      loss < initialLoss / 2,
      `loss ${loss} continued (was ${initialLoss})`,
    );
    // The learning rate on screen is the new one (a constant schedule).
    assert.equal(await text(page, "current-learning-rate"), "0.05");

    // A new optimizer: same run, fresh optimizer state, said so.
    await page.selectOption("#optimizer", "adam");
    await page.waitForFunction(() =>
      /new optimizer state/.test(
        document.getElementById("status")?.textContent ?? "",
      )
    );
    assert.ok(await number(page, "step-count") > before);

    // The architecture: a new run, said so.
    await page.click("#add-layer");
    await page.waitForFunction(() =>
      /new run: the architecture changed/.test(
        document.getElementById("status")?.textContent ?? "",
      )
    );
    await page.click("#play"); // pause
    const after = await settledStepCount(page);
    assert.ok(after < before, `a new run (${after} steps, was ${before})`);
    await closePage(opened);
  });

  test("batch size 1: train accuracy is the whole set's, equal to an independent evaluation of the saved weights; the confusion matrix sums to the set sizes", async () => {
    const opened = await open("#batchSize=1&stop=steps&stopValue=40&speed=max");
    const { page } = opened;
    assert.equal(
      await page.isVisible("#batch-loss"),
      false,
      "full batch: no batch numbers yet",
    );
    await page.click("#play");
    await page.waitForFunction(
      () => document.getElementById("stop-reason")?.textContent !== "",
      null,
      { timeout: 30_000 },
    );
    assert.equal(
      await text(page, "stop-reason"),
      "stopped at step 40: the step limit 40 was reached",
    );
    assert.ok(await page.isVisible("#batch-loss"), "batch numbers are shown");
    assert.ok(await page.isVisible("#batch-acc"));
    // The loss chart plots the whole-set numbers too: its legend (the
    // latest values) says what the numbers above it say.
    await page.waitForFunction(
      () => {
        const legend = [
          ...document.querySelectorAll("#loss-chart .u-legend .u-series"),
        ]
          .map((row) => [
            row.querySelector("th")?.textContent?.trim(),
            row.querySelector("td")?.textContent?.trim(),
          ]);
        const value = (name: string) =>
          legend.find(([label]) => label === name)?.[1];
        return value("train loss") ===
            document.getElementById("train-loss")?.textContent &&
          value("train acc.") ===
            document.getElementById("train-acc")?.textContent;
      },
      null,
      { timeout: 5_000 },
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#save"),
    ]);
    const saved = join(harness().scratch, "batch1.json");
    await download.saveAs(saved);
    const model = MLP.fromJSON(JSON.parse(await readFile(saved, "utf8")));
    // The same data and split as the page's (the demo's, 20% held out).
    const trainer = new Trainer({ batchSize: 1, testFraction: 0.2 });
    const right = (set: { x: number[][]; y: number[] }) =>
      set.x.filter((point, i) =>
        predictClass(model.predict(point)) === set.y[i]
      )
        .length;
    const trainAccuracy = right(trainer.train) / trainer.train.x.length;
    assert.equal(
      await number(page, "train-acc"),
      Number(trainAccuracy.toFixed(3)),
    );
    const cells = (set: string) =>
      page.$$eval(
        `#confusion-matrix tbody[data-set="${set}"] td[data-actual][data-predicted]`,
        (tds) =>
          tds.map((td) => ({
            actual: Number((td as HTMLElement).dataset.actual),
            predicted: Number((td as HTMLElement).dataset.predicted),
            count: Number(td.textContent),
          })),
      );
    const train = await cells("train");
    const test = await cells("test");
    assert.equal(train.length, 4);
    assert.equal(train.reduce((sum, c) => sum + c.count, 0), 80);
    assert.equal(test.reduce((sum, c) => sum + c.count, 0), 20);
    const diagonal = train.filter((c) => c.actual === c.predicted)
      .reduce((sum, c) => sum + c.count, 0);
    assert.equal(diagonal, right(trainer.train));
    assert.equal(
      test.filter((c) => c.actual === c.predicted).reduce(
        (s, c) => s + c.count,
        0,
      ),
      right(trainer.test),
    );
    await closePage(opened);
  });

  test("Space toggles Play even after clicking a button; a neuron count can be typed", async () => {
    const opened = await open("#stop=never");
    const { page } = opened;
    await page.click("#step");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "1"
    );
    // The Step button has focus: Space must play, not step again.
    await page.keyboard.press("Space");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) > 5
    );
    await page.keyboard.press("Space");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    // After clicking Reset, Space plays (no second Reset).
    await page.click("#reset");
    await page.waitForFunction(() =>
      document.getElementById("step-count")?.textContent === "0"
    );
    await page.keyboard.press("Space");
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) > 3
    );
    await page.keyboard.press("Space");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");

    const box = page.locator('#layers .neuron-count[data-layer="0"]');
    await box.fill("32");
    await page.locator("#network-heading").click();
    await page.waitForFunction(() =>
      document.getElementById("architecture")?.textContent ===
        "2 → 32 → 16 → 1"
    );
    assert.match(new URL(page.url()).hash, /hidden=32,16/);
    await closePage(opened);
  });

  test("exports the model as PyTorch and TypeScript", async () => {
    const opened = await open();
    const { page } = opened;
    for (
      const [id, pattern] of [
        ["export-pytorch", /torch\.nn\.Sequential\(/],
        [
          "export-typescript",
          /export function predict\(x: number, y: number\)/,
        ],
      ] as const
    ) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click(`#${id}`),
      ]);
      const file = join(harness().scratch, download.suggestedFilename());
      await download.saveAs(file);
      assert.match(await readFile(file, "utf8"), pattern);
    }
    await closePage(opened);
  });

  test("a classroom link hides chosen controls; other views' keys stay in the address", async () => {
    const opened = await open("#hide=dataset,hidden,optimizer&lesson=2");
    const { page } = opened;
    assert.equal(await page.isVisible("#dataset"), false);
    assert.equal(await page.isVisible("#optimizer"), false);
    assert.equal(await page.isVisible("#add-layer"), false);
    assert.ok(await page.isVisible("#learning-rate"));
    await page.fill("#learning-rate", "0.5");
    await page.press("#learning-rate", "Enter");
    await page.waitForFunction(() =>
      location.hash.includes("learningRate=0.5")
    );
    const hash = new URL(page.url()).hash;
    assert.match(hash, /hide=dataset,hidden,optimizer/);
    assert.match(hash, /lesson=2/);
    await closePage(opened);
  });

  test("the page stays responsive at 8 hidden layers of 32 neurons", async () => {
    const opened = await open(
      "#hidden=32,32,32,32,32,32,32,32&points=1000&stop=never&speed=max",
    );
    const { page } = opened;
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) > 0,
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(2000);
    const started = Date.now();
    await page.click("#play"); // pause
    const stopped = await settledStepCount(page, 300);
    assert.ok(Date.now() - started < 5000, "Pause took effect");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
    await page.waitForTimeout(500);
    assert.equal(await number(page, "step-count"), stopped);
    await closePage(opened);
  });
});
