/**
 * The graph explorer and the network diagram in a real browser: Debian's
 * Chromium driven by playwright-core, against the built playground served
 * on a free localhost port (both set up by `browser_harness.ts`). Run with
 * `deno test -A tests/explorer.e2e.ts`. With `SCREENSHOTS=1` it
 * writes docs/explorer.png.
 *
 * Waits are on conditions with generous limits, never fixed sleeps standing
 * in for them, so the tests hold on a slow, shared machine.
 */
import { cpus, loadavg } from "node:os";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  closePage,
  type OpenedPage,
  saveScreenshot,
  useBrowserHarness,
} from "./browser_harness.ts";
import { waitForHeatmaps } from "./network_heatmaps.ts";

const NEURON = [
  "x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432",
  "o = tanh(x1*w1 + x2*w2 + b)",
].join("\n");

/**
 * The 50 ms bar for the longest main-thread task, unless the machine is
 * overloaded (load above 1.5 per core: other processes stretch the page's
 * tasks; then it warns), as the playground's long-task tests do.
 */
function assertNoLongTask(worst: number): void {
  const [load] = loadavg();
  if (worst > 50 && load > 1.5 * cpus().length) {
    console.warn(
      `WARNING: a ${worst} ms task on an overloaded machine (load ${load})`,
    );
    return;
  }
  assert.ok(worst <= 50, `longest main-thread task ${worst} ms`);
}

const harness = useBrowserHarness("explorer-e2e");

/** Open the playground (optionally on a view) and wait until it is ready. */
async function open(
  hash = "",
  viewport?: { width: number; height: number },
): Promise<OpenedPage> {
  const opened = await harness().newPage(viewport);
  await opened.page.goto(harness().url + hash);
  await opened.page.waitForFunction(
    () =>
      document.getElementById("train-loss")?.textContent !== "–" &&
      document.querySelector("#graph-view g.value") !== null,
    null,
    { timeout: 30_000 },
  );
  return opened;
}

async function openExplorer(
  viewport?: { width: number; height: number },
): Promise<OpenedPage> {
  const opened = await open("", viewport);
  await opened.page.click("#tab-explorer");
  await opened.page.waitForSelector("#expr", { state: "visible" });
  return opened;
}

/** Replace the program and wait for its graph (a new drawing) to be shown. */
async function typeProgram(
  page: Page,
  source: string,
  output: string,
): Promise<void> {
  const drawn = Number(await page.getAttribute("#graph-view", "data-graph"));
  await page.fill("#expr", source);
  await page.waitForFunction(
    ([label, previous]) =>
      Number(
          document.getElementById("graph-view")?.getAttribute("data-graph"),
        ) > Number(previous) &&
      document.querySelector(
          `#graph-view g.value.output[data-label="${label}"]`,
        ) !== null &&
      document.getElementById("expr-error")?.textContent === "",
    [output, drawn] as const,
    { timeout: 10_000 },
  );
}

/** data-data / data-grad of the box labelled `label`, as numbers. */
async function box(
  page: Page,
  label: string,
): Promise<{ data: number; grad: number }> {
  const element = page.locator(`#graph-view g.value[data-label="${label}"]`);
  assert.equal(await element.count(), 1, `one box labelled ${label}`);
  return {
    data: Number(await element.getAttribute("data-data")),
    grad: Number(await element.getAttribute("data-grad")),
  };
}

/** Pixels Fit leaves between the graph and each edge of the view (drawing.ts). */
const FIT_MARGIN = 12;
/** The layout's margin around the boxes, in graph units (layout.ts). */
const LAYOUT_MARGIN = 16;

/**
 * Where the drawing sits in the view: its zoom (from the transform) and the
 * free space between its boxes and each edge of the view, in pixels.
 */
async function placement(page: Page): Promise<{
  scale: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  viewWidth: number;
  viewHeight: number;
}> {
  return await page.evaluate(() => {
    const svg = document.getElementById("graph-view")!;
    const viewport = svg.querySelector<SVGGElement>(".viewport")!;
    const view = svg.getBoundingClientRect();
    const drawing = viewport.getBoundingClientRect();
    const scale = Number(
      /scale\(([^)]+)\)/.exec(viewport.getAttribute("transform") ?? "")?.[1],
    );
    return {
      scale,
      left: drawing.left - view.left,
      right: view.right - drawing.right,
      top: drawing.top - view.top,
      bottom: view.bottom - drawing.bottom,
      viewWidth: view.width,
      viewHeight: view.height,
    };
  });
}

/** The drawing is centred and fills the view across or down (or is at the largest Fit zoom). */
function assertFitted(
  where: Awaited<ReturnType<typeof placement>>,
  message: string,
): void {
  const detail = `${message}: ${JSON.stringify(where)}`;
  assert.ok(
    Math.abs(where.left - where.right) < 4,
    `centred across, ${detail}`,
  );
  assert.ok(Math.abs(where.top - where.bottom) < 4, `centred down, ${detail}`);
  assert.ok(where.scale <= 2.5, `at most 2.5x, ${detail}`);
  // Fit leaves FIT_MARGIN pixels at each edge, and the layout its own
  // margin (in graph units) around the boxes: in the direction that limits
  // the scale, that is all the free space there is.
  const free = 2 * (FIT_MARGIN + LAYOUT_MARGIN * where.scale) + 2;
  const fillsAcross = where.left + where.right <= free;
  const fillsDown = where.top + where.bottom <= free;
  assert.ok(
    fillsAcross || fillsDown || where.scale === 2.5,
    `fills the view, ${detail}`,
  );
}

function close4(actual: number, expected: number): void {
  assert.ok(
    Math.abs(actual - expected) < 1e-4,
    `expected ${expected}, got ${actual}`,
  );
}

describe("graph explorer", () => {
  test("the explorer is a tab of the playground, reachable from the URL too", async () => {
    const opened = await open("#view=explorer");
    const { page } = opened;
    assert.equal(await page.isVisible("#graph-view"), true);
    assert.equal(
      await page.getAttribute("#tab-explorer", "aria-selected"),
      "true",
    );
    await page.click("#tab-training");
    assert.equal(await page.isVisible("#graph-view"), false);
    assert.equal(await page.isVisible("#grid-chart"), true);
    await closePage(opened);
  });

  test("typing the lecture's neuron shows o = 0.7071; Backward gives x1.grad -1.5 and w1.grad 1.0", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(page, NEURON, "o");
    close4((await box(page, "o")).data, 0.7071);
    assert.match(
      (await page.textContent('#graph-view g.value[data-label="o"] .data')) ??
        "",
      /data 0\.7071/,
    );
    assert.equal((await box(page, "x1")).grad, 0);
    await page.click("#backward");
    close4((await box(page, "x1")).grad, -1.5);
    close4((await box(page, "w1")).grad, 1.0);
    close4((await box(page, "x2")).grad, 0.5);
    close4((await box(page, "w2")).grad, 0);
    close4((await box(page, "b")).grad, 0.5);
    close4((await box(page, "o")).grad, 1);
    // Pressing Backward again shows the same grads (not doubled).
    await page.click("#backward");
    close4((await box(page, "x1")).grad, -1.5);
    await closePage(opened);
  });

  test("Step backward visits every node once, in backward()'s order, and ends with its grads", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(page, NEURON, "o");
    const nodes = await page.locator("#graph-view g.value").count();
    // o, the tanh input, two sums, two products, six... : one box per value.
    assert.equal(nodes, 10);
    const visited: string[] = [];
    for (let i = 0; i < nodes; i++) {
      await page.click("#step-backward");
      const current = page.locator("#graph-view g.value.current");
      assert.equal(await current.count(), 1, "exactly one node highlighted");
      visited.push((await current.getAttribute("data-key")) ?? "");
      assert.notEqual(await page.textContent("#step-formula"), "");
    }
    assert.equal(new Set(visited).size, nodes, `every node once: ${visited}`);
    // Reverse topological order: the output first, the step keys descending.
    assert.equal(visited[0], `v${nodes - 1}`);
    assert.deepEqual(
      visited,
      [...visited].sort((a, b) => Number(b.slice(1)) - Number(a.slice(1))),
    );
    close4((await box(page, "x1")).grad, -1.5);
    close4((await box(page, "w1")).grad, 1.0);
    // The formula of the step that handled x1*w1 shows the numbers.
    await page.click("#step-backward"); // restarts from the output
    assert.equal(
      await page.locator("#graph-view g.value.current").getAttribute(
        "data-key",
      ),
      `v${nodes - 1}`,
    );
    const formulas: string[] = [];
    for (let i = 1; i < nodes; i++) {
      await page.click("#step-backward");
      formulas.push((await page.textContent("#step-formula")) ?? "");
    }
    assert.ok(
      formulas.some((text) =>
        text.includes("x1.grad += w1.data * (x1*w1).grad = -3 * 0.5 = -1.5")
      ),
      formulas.join("\n---\n"),
    );
    await closePage(opened);
  });

  test("a malformed program shows the error with its position, keeps the last graph, and logs nothing", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(page, NEURON, "o");
    await page.fill("#expr", "x1 = 2\no = tanh(x1 * (3 + )");
    await page.waitForFunction(
      () => (document.getElementById("expr-error")?.textContent ?? "") !== "",
      null,
      { timeout: 10_000 },
    );
    const message = (await page.textContent("#expr-error")) ?? "";
    assert.match(message, /Line 2, column 20/);
    assert.match(message, /expected a number, a name or '\('/);
    assert.equal(await page.getAttribute("#expr", "aria-invalid"), "true");
    // The last good graph stays on screen.
    close4((await box(page, "o")).data, 0.7071);
    for (
      const bad of [
        "y = foo(1)",
        "y = x + 1",
        "",
        "y = 1 +* 2",
        "a = 1; a = 2",
        "<img src=x onerror=alert(1)>",
      ]
    ) {
      await page.fill("#expr", bad);
      await page.waitForFunction(
        () =>
          document.getElementById("expr")?.getAttribute("aria-invalid") ===
            "true",
        null,
        { timeout: 10_000 },
      );
    }
    // User text is only ever text: no element was created from it.
    assert.equal(await page.locator("#expr-error img").count(), 0);
    // Fixing it draws the new graph and clears the error.
    await typeProgram(page, "a = 2; b = -3; c = 10; d = a*b + c", "d");
    close4((await box(page, "d")).data, 4);
    await closePage(opened);
  });

  test("division by a zero literal draws Infinity instead of failing", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(page, "x = 1; y = x / 0", "y");
    assert.equal((await box(page, "y")).data, Infinity);
    await page.click("#backward");
    await closePage(opened);
  });

  test("the graph fills the view, centred: small graphs are zoomed in, Fit undoes pan and zoom", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(page, NEURON, "o");
    assertFitted(await placement(page), "the neuron");

    await typeProgram(page, "a = 2; b = -3; d = a*b", "d");
    const small = await placement(page);
    assertFitted(small, "a small graph");
    assert.ok(small.scale > 1, `a small graph is enlarged: ${small.scale}`);

    await page.click("#zoom-out");
    await page.click("#zoom-out");
    const view = await page.locator("#graph-view").boundingBox();
    assert.ok(view);
    await page.mouse.move(view.x + 40, view.y + 40);
    await page.mouse.down();
    await page.mouse.move(view.x + 140, view.y + 90, { steps: 5 });
    await page.mouse.up();
    const moved = await placement(page);
    assert.ok(moved.scale < small.scale);
    await page.click("#zoom-fit");
    const refitted = await placement(page);
    assertFitted(refitted, "after Fit");
    assert.equal(refitted.scale, small.scale);
    await closePage(opened);
  });

  test("presets, nudge, zoom and exports", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    const presetIds = await page.$$eval(
      "#explorer-preset option",
      (options) =>
        options.map((option) => (option as HTMLOptionElement).value).filter(
          Boolean,
        ),
    );
    assert.ok(presetIds.includes("more-ops"));
    assert.ok(presetIds.includes("training-example"));
    await page.selectOption("#explorer-preset", "sanity-check");
    await page.waitForSelector('#graph-view g.value.output[data-label="y"]');
    await page.click("#backward");
    close4((await box(page, "y")).data, -20);
    close4((await box(page, "x")).grad, 46);

    await page.selectOption("#explorer-preset", "more-ops");
    await page.waitForSelector('#graph-view g.value.output[data-label="g2"]');
    await page.click("#backward");
    close4((await box(page, "g2")).data, 24.70408163265306);
    close4((await box(page, "a")).grad, 138.83381924198252);
    close4((await box(page, "b")).grad, 645.5772594752186);

    // Nudge: choose a leaf by clicking its box; slope beside autograd.
    await page.selectOption("#explorer-preset", "neuron");
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    await page.click('#graph-view g.value[data-label="w1"]');
    assert.equal(
      await page.$eval(
        "#nudge-leaf",
        (select) =>
          (select as HTMLSelectElement).selectedOptions[0].textContent,
      ),
      "w1",
    );
    await page.$eval("#nudge", (input) => {
      (input as HTMLInputElement).value = "0.001";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    // No autograd gradient is shown before Backward has run.
    assert.equal(
      await page.getAttribute("#nudge-readout", "data-gradient"),
      null,
    );
    assert.match(
      (await page.textContent("#nudge-readout")) ?? "",
      /press Backward/,
    );
    await page.click("#backward");
    const slope = Number(
      await page.getAttribute("#nudge-readout", "data-slope"),
    );
    const gradient = Number(
      await page.getAttribute("#nudge-readout", "data-gradient"),
    );
    close4(gradient, 1);
    assert.ok(
      Math.abs(slope - gradient) < 0.01,
      `slope ${slope} vs grad ${gradient}`,
    );
    await page.click("#nudge-apply");
    close4((await box(page, "w1")).data, -2.999);
    // The program says so too.
    assert.match(await page.inputValue("#expr"), /^w1 = -2\.999$/m);

    // Zoom changes the drawing's transform.
    const before = await page.getAttribute(
      "#graph-view .viewport",
      "transform",
    );
    await page.click("#zoom-in");
    assert.notEqual(
      await page.getAttribute("#graph-view .viewport", "transform"),
      before,
    );

    // Downloads: the library's DOT and the drawn SVG.
    const [dot] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#export-dot"),
    ]);
    const dotText = await (await dot.createReadStream()).toArray();
    assert.match(Buffer.concat(dotText).toString(), /^digraph/);
    const [svg] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#export-svg"),
    ]);
    const svgText = Buffer.concat(
      await (await svg.createReadStream()).toArray(),
    ).toString();
    assert.match(svgText, /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svgText, /data-label="w1"/);
    await closePage(opened);
  });

  test("one training example through the current MLP draws the loss graph of a real point", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.fill("#expr", "a = 1; b = a * 2");
    await page.selectOption("#explorer-preset", "training-example");
    await page.waitForSelector(
      '#graph-view g.value.output[data-label="loss"]',
      { timeout: 20_000 },
    );
    // The previous program is no longer in the box.
    assert.doesNotMatch(await page.inputValue("#expr"), /b = a \* 2/);
    // Collapsed at first: one box per neuron (2-16-16-1: 33 neurons).
    assert.equal(await page.isChecked("#collapse"), true);
    const collapsed = await page.locator("#graph-view g.value").count();
    assert.ok(collapsed < 60, `${collapsed} boxes collapsed`);
    assert.equal(
      await page.locator('#graph-view g.value[data-label="L0.N3"]').count(),
      1,
    );
    assert.equal(
      await page.locator('#graph-view g.op text:text("relu(w·x+b)")').count(),
      32,
    );
    // Stepping backward lights a box at every step: a hidden value's step
    // (a weight, a bias, a weighted sum) lights the neuron box hiding it.
    let hiddenSteps = 0;
    for (let i = 0; i < 12; i++) {
      await page.click("#step-backward");
      assert.ok(
        await page.locator("#graph-view g.value.current").count() >= 1,
        `step ${i + 1} highlights a box`,
      );
      const status = (await page.textContent("#step-status")) ?? "";
      if (status.includes("inside the lit neuron box")) hiddenSteps++;
    }
    assert.ok(hiddenSteps > 0, "some of the first steps are inside a box");
    await page.uncheck("#collapse");
    await page.waitForFunction(
      () => document.querySelectorAll("#graph-view g.value").length > 300,
      null,
      { timeout: 20_000 },
    );
    const boxes = await page.locator("#graph-view g.value").count();
    assert.ok(boxes > 300, `${boxes} values`); // 2-16-16-1: 337 parameters
    assert.equal(
      // The inputs, as the library labels them: the point's x and y
      // (features x,y by default; x0, x1 without features).
      await page.locator(
        '#graph-view g.value[data-label="x"], #graph-view g.value[data-label="x0"]',
      ).count(),
      1,
    );
    assert.equal(
      await page.locator('#graph-view g.value[data-label="L1.N3.w7"]').count(),
      1,
    );
    await page.click("#backward");
    const loss = await box(page, "loss");
    assert.ok(Number.isFinite(loss.data) && loss.data >= 0);
    assert.equal(loss.grad, 1);
    await closePage(opened);
  });
});

/** The neuron written line by line, as the lecture types it. */
const NEURON_LINES = [
  "x1 = 2.0",
  "x2 = 0.0",
  "w1 = -3.0",
  "w2 = 1.0",
  "b = 6.8813735870195432",
  "x1w1 = x1*w1",
  "x2w2 = x2*w2",
  "x1w1x2w2 = x1w1 + x2w2",
  "n = x1w1x2w2 + b",
  "o = tanh(n)",
].join("\n");

/**
 * Start recording the page's long tasks (over 50 ms) and uncaught errors;
 * read them back with {@linkcode longTasks}.
 */
async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = globalThis as unknown as { longTasks: number[] };
    record.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        record.longTasks.push(entry.duration);
      }
    }).observe({ type: "longtask" });
  });
}

/** Durations of the long tasks recorded so far (ms). */
function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { longTasks: number[] }).longTasks
  );
}

/**
 * Put `text` in the program box as a paste does: at once, one input event
 * (Playwright's `fill` types a long text in slowly).
 */
async function paste(page: Page, text: string): Promise<void> {
  await page.$eval("#expr", (area, value) => {
    (area as HTMLTextAreaElement).value = value;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

/** `a * a * … * a` with `factors` factors. */
function productProgram(factors: number): string {
  return `a = 1.0001\np = ${Array(factors).fill("a").join(" * ")}`;
}

describe("explorer: every action acts on the program as typed", () => {
  test("typing the neuron and clicking Backward at once shows its grads, and they stay", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.selectOption("#explorer-preset", "lecture");
    await page.waitForSelector('#graph-view g.value.output[data-label="L"]');
    // No waiting for the re-parse: click right after typing.
    await page.fill("#expr", NEURON_LINES);
    await page.click("#backward");
    const expected = { x1: -1.5, w1: 1, x2: 0.5, w2: 0 };
    for (const [label, grad] of Object.entries(expected)) {
      close4((await box(page, label)).grad, grad);
    }
    // The delayed re-parse must not wipe them.
    await page.waitForTimeout(1000);
    for (const [label, grad] of Object.entries(expected)) {
      close4((await box(page, label)).grad, grad);
    }
    // Forward and Step backward act on the typed text too.
    await page.fill("#expr", "a = 2; b = -3; c = a*b");
    await page.click("#step-backward");
    assert.equal(
      await page.locator('#graph-view g.value.current[data-label="c"]').count(),
      1,
    );
    await closePage(opened);
  });

  test("a 2,000-factor product draws or shows the limit, with no uncaught error and no main-thread task over 50 ms", async () => {
    // The machine is shared and noisy: a task can be stretched by others'
    // work, so the page gets two tries to stay under the bound.
    let worst = Infinity;
    for (let attempt = 0; attempt < 2 && worst > 50; attempt++) {
      const opened = await openExplorer();
      const { page } = opened;
      await recordLongTasks(page);
      await paste(page, productProgram(2000));
      await page.click("#backward");
      await page.waitForFunction(
        () =>
          document.querySelector(
              '#graph-view g.value.output[data-label="p"]',
            ) !== null ||
          (document.getElementById("expr-error")?.textContent ?? "") !== "",
        null,
        { timeout: 60_000 },
      );
      const error = (await page.textContent("#expr-error")) ?? "";
      if (error === "") {
        // Drawn: 2,000 values, the product's grad computed by the click.
        assert.equal(
          await page.locator("#graph-view g.value").count(),
          2000,
        );
        assert.equal((await box(page, "p")).grad, 1);
        const a = await box(page, "a");
        close4(a.grad, 2000 * 1.0001 ** 1999);
      } else {
        assert.match(error, /more than \d+ values/);
      }
      const tasks = await longTasks(page);
      worst = Math.max(0, ...tasks);
      console.log(`long tasks (ms): ${tasks.map(Math.round).join(", ")}`);
      await closePage(opened);
    }
    assertNoLongTask(worst);
  });

  test("a program over the value limit is refused before any layout, quickly, with no main-thread task over 50 ms", async () => {
    const lines = ["a0 = 0.5"];
    for (let i = 1; i < 3000; i++) {
      lines.push(`a${i} = tanh(a${i - 1} * 0.9 + 1)`);
    }
    let worst = Infinity;
    for (let attempt = 0; attempt < 2 && worst > 50; attempt++) {
      const opened = await openExplorer();
      const { page } = opened;
      await recordLongTasks(page);
      const started = Date.now();
      await paste(page, lines.join("\n"));
      await page.click("#forward");
      await page.waitForFunction(
        () =>
          /more than 5000 values/.test(
            document.getElementById("expr-error")?.textContent ?? "",
          ),
        null,
        { timeout: 20_000 },
      );
      assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
      const tasks = await longTasks(page);
      worst = Math.max(0, ...tasks);
      console.log(`long tasks (ms): ${tasks.map(Math.round).join(", ")}`);
      await closePage(opened);
    }
    assertNoLongTask(worst);
  });

  test("NaN and infinity are explained: where they were born and why", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(page, "x = -1\ny = log(x)\nz = y * 2", "z");
    const text = (await page.textContent("#anomaly")) ?? "";
    assert.match(text, /y\.data is NaN/);
    assert.match(text, /logarithm of a negative number/);
    assert.equal(
      await page.locator('#graph-view g.value.anomaly[data-label="y"]').count(),
      1,
    );
    await typeProgram(page, "x = 1; y = x / 0", "y");
    assert.match(
      (await page.textContent("#anomaly")) ?? "",
      /y\.data is Infinity.*divi/,
    );
    await closePage(opened);
  });

  test("unnamed nodes get readable names; constants are called constants", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await typeProgram(
      page,
      "a = 2; b = -3\nc = (a*b + sigmoid(-a)) * (b*a + a*a*a) - 1",
      "c",
    );
    const formulas: string[] = [];
    const nodes = await page.locator("#graph-view g.value").count();
    for (let i = 0; i < nodes; i++) {
      await page.click("#step-backward");
      formulas.push((await page.textContent("#step-formula")) ?? "");
    }
    const all = formulas.join("\n");
    assert.doesNotMatch(all, /#\d/);
    assert.doesNotMatch(all, /\(\(-a\)\)/);
    assert.match(all, /sigmoid\(-a\)/);
    assert.match(all, /the constant 1 is a leaf/);
    assert.doesNotMatch(all, /d c \/ d -?1 /);
    await closePage(opened);
  });
});

describe("explorer: programs in the address", () => {
  test("a typed program is kept in the address and comes back on reload", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    const program = "p = 4\nq = -2.5 # a comment\nr = p*q + relu(q)";
    await typeProgram(page, program, "r");
    await page.waitForFunction(
      () => location.hash.includes("program="),
      null,
      { timeout: 10_000 },
    );
    // The training view's keys are still there.
    assert.match(page.url(), /dataset=/);
    await page.reload();
    await page.waitForSelector('#graph-view g.value.output[data-label="r"]', {
      timeout: 30_000,
    });
    assert.equal(await page.inputValue("#expr"), program);
    assert.equal(
      await page.getAttribute("#tab-explorer", "aria-selected"),
      "true",
    );
    close4((await box(page, "r")).data, -10);
    // Switching tabs and back keeps it in the address.
    await page.click("#tab-training");
    await page.click("#tab-explorer");
    await page.waitForFunction(() => location.hash.includes("program="));
    await closePage(opened);
  });

  test("a link with a preset opens that example", async () => {
    const opened = await harness().newPage();
    const { page } = opened;
    await page.goto(harness().url + "#view=explorer&preset=sanity-check");
    await page.waitForSelector('#graph-view g.value.output[data-label="y"]', {
      timeout: 30_000,
    });
    assert.equal(await page.inputValue("#explorer-preset"), "sanity-check");
    await closePage(opened);
  });
});

describe("explorer: the derivative and gradient accumulation", () => {
  test("the derivative view shows the exact slope 14 of 3x² − 4x + 5 at x = 3, and the secant approaches it", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.waitForSelector("#derivative-view .u-over");
    await page.fill("#derivative-x", "3");
    await page.$eval("#derivative-h", (input) => {
      (input as HTMLInputElement).value = "0.0001";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    assert.equal(await page.textContent("#exact-slope"), "14");
    const secant = Number(
      await page.getAttribute("#secant-slope", "data-value"),
    );
    assert.ok(Math.abs(secant - 14) < 0.001, `secant ${secant}`);
    // A larger h: the secant is further from the tangent.
    await page.$eval("#derivative-h", (input) => {
      (input as HTMLInputElement).value = "1";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    close4(Number(await page.getAttribute("#secant-slope", "data-value")), 17);
    // Dragging on the plot moves x.
    const over = page.locator("#derivative-view .u-over");
    const size = await over.boundingBox();
    assert.ok(size);
    await over.click({ position: { x: 5, y: size.height / 2 } });
    assert.ok(Number(await page.inputValue("#derivative-x")) < 0);
    await closePage(opened);
  });

  test("accumulate doubles the leaf grads on a second Backward; the buggy engine gives a.grad = 1 for b = a + a", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.check("#accumulate");
    await page.fill("#expr", "a = 3\nb = a * 2");
    await page.click("#backward");
    close4((await box(page, "a")).grad, 2);
    await page.click("#backward");
    close4((await box(page, "a")).grad, 4);
    await page.uncheck("#accumulate");
    await page.click("#backward");
    close4((await box(page, "a")).grad, 2);

    await page.check("#buggy-engine");
    await page.fill("#expr", "a = 3\nb = a + a");
    await page.click("#backward");
    close4((await box(page, "a")).grad, 1);
    await page.uncheck("#buggy-engine");
    await page.click("#backward");
    close4((await box(page, "a")).grad, 2);
    await closePage(opened);
  });
});

describe("explorer: narrow screens", () => {
  test("on a phone the graph grows top to bottom", async () => {
    const opened = await openExplorer({ width: 390, height: 844 });
    const { page } = opened;
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    assert.equal(
      await page.getAttribute("#graph-view", "data-direction"),
      "down",
    );
    const where = await placement(page);
    assert.ok(where.scale > 0.5, `readable: ${where.scale}x`);
    await page.selectOption("#layout-direction", "right");
    await page.waitForFunction(() =>
      document.getElementById("graph-view")?.getAttribute("data-direction") ===
        "right"
    );
    await closePage(opened);
  });
});

describe("network diagram", () => {
  test("one heatmap per hidden neuron, changing while training; links show weight and gradient", async () => {
    const opened = await open();
    const { page } = opened;
    await page.waitForSelector("#network [data-neuron]");
    const labels = await page.$$eval(
      "#network [data-neuron]",
      (neurons) =>
        neurons.map((neuron) => (neuron as HTMLElement).dataset.neuron),
    );
    // micrograd's demo: two hidden layers of 16.
    const expected = [
      ...Array.from({ length: 16 }, (_, j) => `0:${j}`),
      ...Array.from({ length: 16 }, (_, j) => `1:${j}`),
    ];
    assert.deepEqual(labels, expected);
    assert.equal(
      await page.locator("#network line.link").count(),
      2 * 16 + 16 * 16 + 16,
    );

    // Wait until the heatmaps are painted (not blank), then train.
    const before = await waitForHeatmaps(
      page,
      (maps) => maps.length === 32 && maps.every((map) => map.painted),
      "every heatmap painted",
    );
    // One square per neuron: not all the same picture.
    assert.ok(new Set(before.map((map) => map.url)).size > 1);
    await page.click("#play");
    await page.waitForFunction(
      () => Number(document.getElementById("step-count")?.textContent) >= 20,
      null,
      {
        timeout: 30_000,
      },
    );
    await waitForHeatmaps(
      page,
      (now) => now.filter((map, i) => map.url !== before[i].url).length >= 8,
      "eight heatmaps to change while training",
    );
    // While training, links are redrawn only when their quantised look
    // (sign and thickness level, one class) changes, a few times a second
    // at most: count the DOM writes to the links for two seconds.
    const writes = await page.evaluate(async () => {
      const svg = document.querySelector("#network svg")!;
      let count = 0;
      const observer = new MutationObserver((records) => {
        count += records.length;
      });
      observer.observe(svg, { attributes: true, subtree: true });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      observer.disconnect();
      return count;
    });
    const links = 2 * 16 + 16 * 16 + 16;
    // Writing every link's colour, width and opacity at each of ten
    // refreshes a second would be 18 240 writes; a settling network makes
    // a few hundred at most.
    assert.ok(writes < links * 3, `${writes} link writes in 2 s`);
    assert.ok(
      await page.$$eval(
        "#network line.link",
        (lines) =>
          lines.every((line) =>
            /^link [pn][0-6]( selected)?$/.test(line.getAttribute("class")!)
          ),
      ),
      "every link has a sign and a thickness level",
    );
    await page.click("#play"); // pause

    // Hover a neuron: its heatmap appears over the decision grid.
    await page.hover('#network [data-neuron="1:2"]');
    await page.waitForSelector("#grid-chart #network-overlay", {
      state: "visible",
    });
    // Its caption names it; the large grid comes from the worker.
    await page.waitForFunction(() =>
      document.querySelector<HTMLCanvasElement>("#network-overlay")?.width ===
        64
    );
    assert.match(
      (await page.textContent(".network-overlay-caption")) ?? "",
      /neuron 1:2/,
    );
    await page.mouse.move(5, 5);
    await page.waitForSelector("#grid-chart #network-overlay", {
      state: "hidden",
    });

    // Click a link: its weight and gradient.
    await page.click('#network line.link-hit[data-link="1:0:0"]', {
      force: true,
    });
    await page.waitForFunction(
      () =>
        document.getElementById("network-info")?.dataset.gradient !== undefined,
      null,
      {
        timeout: 10_000,
      },
    );
    const weight = Number(
      await page.getAttribute("#network-info", "data-weight"),
    );
    const gradient = Number(
      await page.getAttribute("#network-info", "data-gradient"),
    );
    assert.ok(Number.isFinite(weight) && Number.isFinite(gradient));
    assert.match(
      (await page.textContent("#network-info")) ?? "",
      /L1\.N0\.w0 .*weight .*gradient/,
    );
    await closePage(opened);
  });

  test("changing the architecture redraws one heatmap per hidden neuron", async () => {
    const opened = await open();
    const { page } = opened;
    await page.waitForSelector("#network [data-neuron]");
    await page.click("#add-layer");
    await page.waitForFunction(
      () =>
        document.querySelectorAll("#network [data-neuron]").length === 48 ||
        document.querySelectorAll("#network [data-neuron^='2:']").length > 0,
      null,
      { timeout: 15_000 },
    );
    const layers = await page.$$eval(
      "#network [data-neuron]",
      (neurons) =>
        new Set(
          neurons.map((neuron) =>
            (neuron as HTMLElement).dataset.neuron!.split(":")[0]
          ),
        ).size,
    );
    assert.equal(layers, 3);
    // Each of them drawn: one painted heatmap per hidden neuron.
    await waitForHeatmaps(
      page,
      (maps) => maps.length === 48 && maps.every((map) => map.painted),
      "the new layer's heatmaps",
      { timeout: 15_000 },
    );
    await closePage(opened);
  });
});

/** The page-space box of the element with `id` (it must be rendered). */
async function rectangle(
  page: Page,
  id: string,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.locator(`#${id}`).boundingBox();
  assert.ok(found, `#${id} is rendered`);
  return found;
}

/** The outer height of the graph view's frame (what the resize grip drags). */
async function frameHeight(page: Page): Promise<number> {
  return await page.evaluate(() =>
    document.getElementById("graph-view")!.parentElement!
      .getBoundingClientRect().height
  );
}

/** A sum of `terms` products: a graph taller than it is wide. */
function tallProgram(terms: number): string {
  const products = Array.from({ length: terms }, (_, i) => `x${i}*w${i}`);
  const leaves = Array.from(
    { length: terms },
    (_, i) => `x${i} = ${i}; w${i} = ${-i}`,
  );
  return [...leaves, `s = ${products.join(" + ")}`].join("\n");
}

describe("explorer page layout", () => {
  test("at 1280x800 the graph spans the page on top, the neuron at about natural size, every control below it in view", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    const where = await placement(page);
    assertFitted(where, "the neuron preset");
    assert.ok(where.scale >= 0.9, `the neuron is readable: ${where.scale}x`);
    assert.ok(where.viewWidth >= 1200, `full width: ${where.viewWidth}`);
    // A wide, short graph gets a short view, not a big empty band.
    assert.ok(
      where.viewHeight <= 300,
      `the view fits the graph: ${where.viewHeight}px tall`,
    );
    const view = await rectangle(page, "graph-view");
    for (
      const id of [
        "expr",
        "forward",
        "backward",
        "step-backward",
        "step-formula",
        "nudge-leaf",
        "nudge",
      ]
    ) {
      const control = await rectangle(page, id);
      assert.ok(control.y >= view.y + view.height, `#${id} is below the graph`);
      assert.ok(control.y < 800, `#${id} starts on the first screen`);
    }
    // The program, the passes and the nudge side by side, not stacked.
    const program = await rectangle(page, "expr");
    const passes = await rectangle(page, "step-formula");
    const nudge = await rectangle(page, "nudge-leaf");
    assert.ok(program.x + program.width <= passes.x, "passes right of program");
    assert.ok(passes.x + passes.width <= nudge.x, "nudge right of passes");
    await closePage(opened);
  });

  test("typing keeps the view's height (the program box stays put); examples size it; a height the user drags is kept", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    const neuronHeight = await frameHeight(page);
    const programTop = (await rectangle(page, "expr")).y;

    await typeProgram(page, tallProgram(12), "s");
    assert.equal(await frameHeight(page), neuronHeight);
    assert.equal((await rectangle(page, "expr")).y, programTop);
    assertFitted(await placement(page), "a tall program in the same view");

    // The training example (a whole MLP, taller than wide) gets a tall view.
    await page.selectOption("#explorer-preset", "training-example");
    await page.waitForSelector(
      '#graph-view g.value.output[data-label="loss"]',
      {
        timeout: 30_000,
      },
    );
    await page.waitForFunction(
      (previous) =>
        document.getElementById("graph-view")!.parentElement!
          .getBoundingClientRect().height > previous + 100,
      neuronHeight,
    );
    assertFitted(await placement(page), "the training example");
    await page.selectOption("#explorer-preset", "neuron");
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    assert.equal(await frameHeight(page), neuronHeight);

    // Drag the frame's resize grip (its bottom right corner) 150px down.
    const frame = await page.evaluate(() =>
      document.getElementById("graph-view")!.parentElement!
        .getBoundingClientRect().toJSON()
    );
    await page.mouse.move(frame.right - 3, frame.bottom - 3);
    await page.mouse.down();
    await page.mouse.move(frame.right - 3, frame.bottom + 147, { steps: 5 });
    await page.mouse.up();
    const dragged = await frameHeight(page);
    assert.ok(
      Math.abs(dragged - (neuronHeight + 150)) < 4,
      `dragged to ${dragged}px`,
    );
    assertFitted(await placement(page), "after dragging the view taller");
    await page.selectOption("#explorer-preset", "lecture");
    await page.waitForSelector('#graph-view g.value.output[data-label="L"]');
    assert.equal(await frameHeight(page), dragged, "the user's height stays");
    await closePage(opened);
  });

  test("on a 390px phone nothing overflows sideways; the graph comes first, the controls below", async () => {
    const opened = await openExplorer({ width: 390, height: 844 });
    const { page } = opened;
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    for (let i = 0; i < 8; i++) await page.click("#step-backward");
    await page.click("#backward");
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - innerWidth
    );
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    const view = await rectangle(page, "graph-view");
    for (
      const id of [
        "graph-view",
        "zoom-fit",
        "export-svg",
        "explorer-preset",
        "expr",
        "forward",
        "backward",
        "step-backward",
        "zero-grad",
        "step-formula",
        "nudge-leaf",
        "nudge",
        "nudge-readout",
        "nudge-apply",
      ]
    ) {
      const control = await rectangle(page, id);
      assert.ok(
        control.width > 0 && control.x >= 0 && control.x + control.width <= 390,
        `#${id} fits across: ${JSON.stringify(control)}`,
      );
      if (id !== "graph-view" && id !== "zoom-fit" && id !== "export-svg") {
        assert.ok(control.y >= view.y + view.height, `#${id} is below`);
      }
    }
    assertFitted(await placement(page), "the neuron on a phone");
    await closePage(opened);
  });
});

describe("screenshot", () => {
  test("writes docs/explorer.png: the neuron, backward step by step", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.selectOption("#explorer-preset", "neuron");
    await page.waitForSelector('#graph-view g.value.output[data-label="o"]');
    await page.click('#graph-view g.value[data-label="x1"]');
    // Eight steps: the output, n, b, the sum, x2*w2, w2, x2, then x1*w1,
    // whose formula shows x1.grad = w1.data * x1w1.grad = -3 * 0.5.
    for (let i = 0; i < 8; i++) await page.click("#step-backward");
    assert.match(
      (await page.textContent("#step-formula")) ?? "",
      /x1\.grad \+= w1\.data \* x1w1\.grad = -3 \* 0\.5 = -1\.5/,
    );
    await saveScreenshot(page, "docs/explorer.png");
    await closePage(opened);
  });
});

/** Set a range input the way dragging it would: its value, then `input`. */
async function slide(
  page: Page,
  selector: string,
  value: string,
): Promise<void> {
  await page.$eval(selector, (input, text) => {
    (input as HTMLInputElement).value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

/** Click Check and return what it said and whether it passed. */
async function checkLesson(
  page: Page,
): Promise<{ passed: string | null; text: string }> {
  await page.click("#lesson-check");
  return {
    passed: await page.getAttribute("#lesson-result", "data-passed"),
    text: (await page.textContent("#lesson-result")) ?? "",
  };
}

describe("explorer: guided lessons", () => {
  test("manual backprop: the check accepts right grads and refuses wrong ones, saying which", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    assert.equal(
      await page.locator("#lessons option[data-lesson]").count(),
      10,
    );
    await page.selectOption("#lessons", "3");
    await page.waitForSelector('#graph-view g.value.output[data-label="L"]');
    assert.equal(await page.inputValue("#explorer-preset"), "lecture");
    assert.match(
      (await page.textContent("#lesson-task")) ?? "",
      /type the grad of every value/,
    );
    // Nothing typed: it asks for every box.
    let result = await checkLesson(page);
    assert.equal(result.passed, "false");
    assert.match(result.text, /Type a number for dL\/dL, dL\/dd/);
    // A learner's usual slip: dL/da with the sign of b forgotten, dL/db left out.
    const answers: Record<string, string> = {
      L: "1",
      d: "-2",
      f: "4",
      e: "-2",
      c: "-2",
      a: "-6",
    };
    for (const [name, value] of Object.entries(answers)) {
      await page.fill(`#lesson-answer-${name}`, value);
    }
    result = await checkLesson(page);
    assert.equal(result.passed, "false");
    assert.match(result.text, /Not right yet: dL\/da\./);
    assert.match(result.text, /Type a number for dL\/db\./);
    assert.equal(
      await page.getAttribute("#lesson-answer-a", "aria-invalid"),
      "true",
    );
    assert.equal(
      await page.getAttribute("#lesson-answer-c", "aria-invalid"),
      null,
    );
    assert.equal(
      await page.getAttribute(
        '#lessons option[data-lesson="3"]',
        "data-passed",
      ),
      "false",
    );
    // Right, to within the tolerance (6.001 for 6).
    await page.fill("#lesson-answer-a", "6.001");
    await page.fill("#lesson-answer-b", "-4");
    result = await checkLesson(page);
    assert.equal(result.passed, "true", result.text);
    assert.equal(
      await page.getAttribute(
        '#lessons option[data-lesson="3"]',
        "data-passed",
      ),
      "true",
    );
    // The grads it accepted are backward()'s.
    await page.click("#backward");
    close4((await box(page, "a")).grad, 6);
    close4((await box(page, "b")).grad, -4);
    await closePage(opened);
  });

  test("a lesson link opens that lesson; progress survives a reload", async () => {
    const opened = await harness().newPage();
    const { page } = opened;
    await page.goto(harness().url + "#view=explorer&lesson=7");
    await page.waitForSelector('#graph-view g.value.output[data-label="b"]', {
      timeout: 30_000,
    });
    assert.equal(await page.inputValue("#lessons"), "7");
    assert.match(
      (await page.textContent("#lesson-title")) ?? "",
      /Lesson 7 of 10: The a \+ a bug/,
    );
    // Doing it as the task says: the buggy engine, then the right one.
    await page.check("#buggy-engine");
    await page.click("#backward");
    await page.fill(
      "#lesson-answer-buggy",
      String((await box(page, "a")).grad),
    );
    await page.uncheck("#buggy-engine");
    await page.click("#backward");
    await page.fill(
      "#lesson-answer-fixed",
      String((await box(page, "a")).grad),
    );
    const result = await checkLesson(page);
    assert.equal(result.passed, "true", result.text);
    assert.match(
      (await page.textContent('#lessons option[data-lesson="7"]')) ?? "",
      /^✓ 7\./,
    );
    await page.waitForFunction(() => /lesson=7/.test(location.hash));
    await page.reload();
    await page.waitForSelector('#graph-view g.value.output[data-label="b"]', {
      timeout: 30_000,
    });
    assert.equal(await page.inputValue("#lessons"), "7");
    assert.equal(
      await page.getAttribute(
        '#lessons option[data-lesson="7"]',
        "data-passed",
      ),
      "true",
    );
    assert.equal(
      await page.getAttribute(
        '#lessons option[data-lesson="2"]',
        "data-passed",
      ),
      "false",
    );
    // (The browser's storage is shared by this file's tests: others pass lessons too.)
    assert.match(
      (await page.textContent("#lesson-progress")) ?? "",
      /^[1-9]\d* of 10 passed$/,
    );
    // Another lesson by its link, with a program of the learner's own.
    await page.goto(
      harness().url + "#view=explorer&lesson=4&program=a+%3D+1%0AL+%3D+a*a",
    );
    await page.waitForFunction(
      () =>
        (document.getElementById("lessons") as HTMLSelectElement).value ===
          "4" &&
        document.querySelector('#graph-view g.value.output[data-label="L"]') !==
          null,
      null,
      { timeout: 30_000 },
    );
    assert.equal(await page.inputValue("#expr"), "a = 1\nL = a*a");
    await closePage(opened);
  });

  test("lesson 1: the slope by finite differences, in the derivative view", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.selectOption("#lessons", "1");
    // The lesson starts from a big h, to shrink.
    assert.equal(await page.inputValue("#derivative-h"), "0.5");
    let result = await checkLesson(page);
    assert.equal(result.passed, "false");
    assert.match(result.text, /Make h 0\.01 or less/);
    await slide(page, "#derivative-h", "0.001");
    await page.fill("#derivative-x", "3");
    result = await checkLesson(page);
    assert.match(
      result.text,
      /At x = 3 the slope is 14(\.\d+)?: f still climbs, move x left/,
    );
    await page.fill("#derivative-x", "0.67");
    result = await checkLesson(page);
    assert.equal(result.passed, "true", result.text);
    await closePage(opened);
  });

  test("lesson 9: the lecture's MLP trained step by step, the loss printed", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.selectOption("#lessons", "9");
    assert.match(
      await page.textContent("#mlp-panel pre") ?? "",
      /xs\[0\] = \[2, 3, -1\]\s+ys\[0\] = 1/,
    );
    let result = await checkLesson(page);
    assert.equal(result.passed, "false");
    assert.match(result.text, /Press “One step” first/);
    const before = Number(await page.getAttribute("#mlp-loss", "data-value"));
    await page.click("#mlp-step");
    assert.match(await page.textContent("#mlp-log") ?? "", /^step 1: loss /);
    result = await checkLesson(page);
    assert.match(result.text, /after 1 step: keep stepping/);
    await page.click("#mlp-step10");
    const after = Number(await page.getAttribute("#mlp-loss", "data-value"));
    assert.ok(after < before / 10, `loss ${before} → ${after}`);
    assert.match(await page.textContent("#mlp-log") ?? "", /step 11: loss /);
    result = await checkLesson(page);
    assert.equal(result.passed, "true", result.text);
    // Its loss graph, drawn in the explorer.
    await page.click("#mlp-graph");
    await page.waitForSelector('#graph-view g.value.output[data-label="loss"]');
    close4((await box(page, "loss")).data, after);
    await closePage(opened);
  });

  test("lesson 10: the link opens micrograd's moons demo in the training view", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.selectOption("#lessons", "10");
    const href = (await page.getAttribute("#lesson-moons", "href")) ?? "";
    assert.match(href, /^#view=training&dataset=moons&points=100&/);
    await page.click("#lesson-moons");
    await page.waitForFunction(() =>
      document.getElementById("tab-training")?.getAttribute("aria-selected") ===
        "true"
    );
    assert.equal(await page.isVisible("#grid-chart"), true);
    await page.waitForFunction(() => /lesson=10/.test(location.hash));
    await page.click("#tab-explorer");
    const result = await checkLesson(page);
    assert.equal(result.passed, "false");
    assert.match(result.text, /keep training/);
    await closePage(opened);
  });
});

describe("explorer: the program in PyTorch", () => {
  test("pytorch-code shows the equivalent of the program in the box, and Copy copies it", async () => {
    const opened = await openExplorer();
    const { page } = opened;
    await page.context().grantPermissions([
      "clipboard-read",
      "clipboard-write",
    ]);
    await typeProgram(page, NEURON, "o");
    await page.click("#pytorch-panel summary");
    assert.equal(await page.isVisible("#pytorch-code"), true);
    const code = (await page.textContent("#pytorch-code")) ?? "";
    for (
      const line of [
        "import torch",
        "x1 = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)",
        "b = torch.tensor(6.881373587019543, dtype=torch.float64, requires_grad=True)",
        "o = torch.tanh(x1 * w1 + x2 * w2 + b)",
        "o.backward()",
        'print("x1.grad =", x1.grad.item())',
        'print("w2.grad =", w2.grad.item())',
      ]
    ) {
      assert.ok(code.split("\n").includes(line), `${line} in\n${code}`);
    }
    // It follows the box as typed (an action flushes the pending parse).
    await page.fill("#expr", "a = 3\nb = sigmoid(a)**2 / relu(a - 1)");
    await page.click("#pytorch-copy");
    await page.waitForFunction(() =>
      document.getElementById("pytorch-status")?.textContent === "Copied."
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(
      copied,
      /^b = torch\.sigmoid\(a\)\*\*2 \/ torch\.relu\(a - 1\.0\)$/m,
    );
    assert.equal(copied, await page.textContent("#pytorch-code"));
    // Lesson 8 opens it on the neuron.
    await page.selectOption("#lessons", "8");
    assert.match(
      (await page.textContent("#pytorch-code")) ?? "",
      /^o = torch\.tanh\(n\)$/m,
    );
    await page.fill("#lesson-answer-x2", "0.5");
    assert.equal((await checkLesson(page)).passed, "true");
    await closePage(opened);
  });
});

/** Every drawn value's data, in drawing order: changes when any number does. */
function graphData(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll("#graph-view g.value")]
      .map((node) => node.getAttribute("data-data"))
      .join(",")
  );
}

/** Wait until the drawn numbers differ from `before`; returns them. */
async function graphDataChange(page: Page, before: string): Promise<string> {
  await page.waitForFunction(
    (previous) =>
      [...document.querySelectorAll("#graph-view g.value")]
        .map((node) => node.getAttribute("data-data"))
        .join(",") !== previous,
    before,
    { timeout: 15_000, polling: 50 },
  );
  return await graphData(page);
}

describe("explorer: a live graph of a training point", () => {
  test("the training point's graph follows training, holds still when paused, and shows the point picked by index", async () => {
    const opened = await open("#speed=10");
    const { page } = opened;
    // Play in the training tab, then look at one point in the explorer.
    await page.click("#play");
    assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
    await page.click("#tab-explorer");
    await page.selectOption("#explorer-preset", "training-example");
    await page.waitForSelector(
      '#graph-view g.value.output[data-label="loss"]',
      { timeout: 20_000 },
    );
    assert.equal(await page.isChecked("#follow-training"), true);
    assert.equal(await page.isChecked("#collapse"), true);
    assert.equal(await page.inputValue("#point-index"), "0");
    await page.waitForSelector('#graph-view[data-live="true"]', {
      timeout: 10_000,
    });
    await recordLongTasks(page);
    // The numbers change, again and again, while training runs.
    const first = await graphData(page);
    const second = await graphDataChange(page, first);
    const started = Date.now();
    await graphDataChange(page, second);
    // Throttled: not every report (about one a frame) redraws.
    assert.ok(Date.now() - started >= 300, "redrawn at most every ~500 ms");
    assert.ok(
      (await page.locator("#graph-view g.value").count()) < 60,
      "still collapsed",
    );
    // Backward on the live graph: its grads are redrawn with its numbers.
    await page.click("#backward");
    assert.equal((await box(page, "loss")).grad, 1);
    await graphDataChange(page, await graphData(page));
    assert.equal((await box(page, "loss")).grad, 1);
    // Step backward works on it, and the graph holds still meanwhile.
    await page.click("#step-backward");
    assert.match(await page.textContent("#step-formula") ?? "", /loss/);
    const stepping = await graphData(page);
    await page.waitForTimeout(1200);
    assert.equal(await graphData(page), stepping, "held while stepping");
    await page.click("#zero-grad"); // ends the step-by-step pass
    await graphDataChange(page, stepping);
    const tasks = await longTasks(page);
    assert.ok(
      tasks.every((duration) => duration < 200),
      `long tasks while following: ${tasks.join(", ")} ms`,
    );

    // Pause in the training tab (Space, as a person would).
    await page.click("#tab-training");
    await page.keyboard.press("Space");
    await page.waitForFunction(
      () =>
        document.getElementById("play")?.getAttribute("aria-pressed") ===
          "false",
    );
    await page.click("#tab-explorer");
    await page.waitForSelector('#graph-view[data-live="false"]', {
      timeout: 10_000,
    });
    const paused = await graphData(page);
    await page.waitForTimeout(1500);
    assert.equal(await graphData(page), paused, "no change once paused");

    // Another point, by index: its coordinates are the input leaves.
    const { Trainer } = await import("../src/train.ts");
    const { defaultSettings } = await import(
      "../playground/shared/settings.ts"
    );
    const point = new Trainer(defaultSettings().config).train.x[7];
    await page.fill("#point-index", "7");
    await page.press("#point-index", "Enter");
    await page.waitForFunction(
      (x) =>
        document.querySelector('#graph-view g.value[data-label="x"]')
          ?.getAttribute("data-data") === String(x),
      point[0],
      { timeout: 10_000 },
    );
    const ys = await page.$$eval(
      '#graph-view g.value[data-label="y"]',
      (nodes) => nodes.map((node) => Number(node.getAttribute("data-data"))),
    );
    assert.ok(ys.includes(point[1]), `y leaves ${ys} hold ${point[1]}`);
    await page.waitForFunction(() => location.hash.includes("point=7"));
    // Unchecking "Follow training" stops following, even while training runs.
    await page.uncheck("#follow-training");
    assert.equal(await page.getAttribute("#graph-view", "data-live"), "false");
    await closePage(opened);
  });
});
