/**
 * The network diagram's arithmetic in a real browser (issue 10): bias
 * squares, the `neuron-details` panel (its formula's value against the
 * library's `MLP.activations` for the saved weights), editing a weight by
 * hand (the model changes and the next step starts from it), Adam's
 * moments, the keyboard (one tab stop, arrow keys, Enter; Space stays the
 * page's Play/Pause), typed points out of bounds refused, and the panel
 * fitting its column on a desktop and a phone. Debian's
 * Chromium driven by playwright-core, against the built site (both set up
 * by `browser_harness.ts`). Run with `deno test -A tests/network_diagram.e2e.ts`.
 *
 * The waits are on conditions with generous time limits, never fixed
 * sleeps standing in for them.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { MLP } from "../src/nn.ts";
import { formatShortNumber } from "../src/graph_format.ts";
import {
  closePage,
  DESKTOP_VIEWPORT,
  type OpenedPage,
  planeAt,
  plotArea,
  useBrowserHarness,
} from "./browser_harness.ts";

const harness = useBrowserHarness("network-diagram-e2e");

/** A fresh page (optionally with a hash) showing step 0 and the diagram. */
async function open(
  hash = "",
  viewport: { width: number; height: number } = DESKTOP_VIEWPORT,
): Promise<OpenedPage> {
  const opened = await harness().newPage(viewport);
  await opened.page.goto(harness().url + hash);
  await opened.page.waitForFunction(
    () =>
      document.getElementById("train-loss")?.textContent !== "–" &&
      document.querySelector("#network [data-neuron]") !== null,
    null,
    { timeout: 30_000 },
  );
  return opened;
}

/** The model on the page, through its Save weights button. */
let saves = 0;
async function savedModel(page: Page): Promise<MLP> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("#save"),
  ]);
  const path = join(harness().scratch, `weights-${++saves}.json`);
  await download.saveAs(path);
  return MLP.fromJSON(JSON.parse(await readFile(path, "utf8")));
}

/** Press Step and wait for the counter to show `count`. */
async function stepTo(page: Page, count: number): Promise<void> {
  await page.click("#step");
  await page.waitForFunction(
    (n) => document.getElementById("step-count")?.textContent === String(n),
    count,
  );
}

/**
 * Open neuron `key`'s details (a click on its heatmap; `output` for the
 * output layer's) and wait for its numbers.
 */
async function openDetails(
  page: Page,
  key: string,
  output = false,
): Promise<void> {
  const index = key.split(":")[1];
  await page.click(
    output
      ? `#network [data-output="${index}"]`
      : `#network [data-neuron="${key}"]`,
  );
  await waitForDetails(page, key);
}

async function waitForDetails(page: Page, key: string): Promise<void> {
  await page.waitForFunction(
    (k) => {
      const panel = document.getElementById("neuron-details");
      return panel !== null && !panel.hidden && panel.dataset.neuron === k &&
        panel.querySelector<HTMLElement>("[data-formula]")?.dataset.output !==
          undefined;
    },
    key,
  );
}

/** The formula's text and exact output, and the point it is for. */
async function formulaOf(
  page: Page,
): Promise<{ text: string; output: number; point: [number, number] }> {
  return await page.evaluate(() => {
    const panel = document.getElementById("neuron-details")!;
    const formula = panel.querySelector<HTMLElement>("[data-formula]")!;
    const axis = (name: string) =>
      Number(
        panel.querySelector<HTMLInputElement>(`[data-point="${name}"]`)!.value,
      );
    return {
      text: formula.textContent ?? "",
      output: Number(formula.dataset.output),
      point: [axis("x"), axis("y")] as [number, number],
    };
  });
}

describe("network diagram: the arithmetic behind it (issue 10)", () => {
  test("every neuron shows its bias as a square", async () => {
    const opened = await open();
    const { page } = opened;
    const model = await savedModel(page);
    const squares = await page.$$eval(
      "#network .bias",
      (elements) =>
        elements.map((element) => ({
          key: (element as HTMLElement).dataset.bias,
          value: Number((element as HTMLElement).dataset.value),
        })),
    );
    const expected = model.layers.flatMap((layer, l) =>
      layer.neurons.map((neuron, j) => ({
        key: `${l}:${j}`,
        value: neuron.bias.data,
      }))
    );
    assert.deepEqual(squares, expected);
    await closePage(opened);
  });

  test("the formula follows the point hovered on the decision grid, even while training runs", async () => {
    const opened = await open();
    const { page } = opened;
    await openDetails(page, "0:3");
    const area = await plotArea(page);
    const cell = (area.bounds.xMax - area.bounds.xMin) / 64;
    /** Move the mouse to a share of the plot; wait (a person's second) for the panel to follow. */
    const hover = async (fx: number, fy: number): Promise<void> => {
      const px = area.left + area.width * fx, py = area.top + area.height * fy;
      await page.mouse.move(px, py);
      const [ex, ey] = planeAt(area, px, py);
      await page.waitForFunction(
        ([x, y, within]) => {
          const value = (axis: string) =>
            Number(
              document.querySelector<HTMLInputElement>(
                `#neuron-details [data-point="${axis}"]`,
              )?.value,
            );
          return Math.abs(value("x") - x) <= within &&
            Math.abs(value("y") - y) <= within;
        },
        [ex, ey, cell],
        { timeout: 1_000 },
      );
    };
    // While training runs.
    await page.click("#play");
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) >= 5
    );
    await hover(0.5, 0.5);
    await hover(0.6, 0.3);
    await page.click("#play");
    // The counter stops (the worker's last report), then the panel
    // catches up with the paused model.
    let count = await page.textContent("#step-count");
    for (let still = 0; still < 3;) {
      await page.waitForTimeout(100);
      const now = await page.textContent("#step-count");
      still = now === count ? still + 1 : 0;
      count = now;
    }
    await page.waitForFunction(() => {
      const count = document.getElementById("step-count")?.textContent
        ?.replaceAll(",", "");
      return document.querySelector("#neuron-details [data-title]")
        ?.textContent?.endsWith(`step ${count}`);
    });
    // Paused: each hovered point's formula is the model's value there.
    const gradient = '#neuron-details [data-gradient="0:3:0"]';
    const gradientBefore = await page.getAttribute(gradient, "data-value");
    const seen: Awaited<ReturnType<typeof formulaOf>>[] = [];
    for (const [fx, fy] of [[0.3, 0.7], [0.85, 0.2]]) {
      await hover(fx, fy);
      seen.push(await formulaOf(page));
    }
    // The gradients stay (a hover recomputes only the formula).
    assert.equal(
      await page.getAttribute(gradient, "data-value"),
      gradientBefore,
    );
    // Saved last: in headless Chromium, pointer moves after a download
    // reach no element.
    const model = await savedModel(page);
    for (const { output, point, text } of seen) {
      assert.equal(output, model.activations(point)[0][3]);
      assert.ok(text.endsWith(`= ${formatShortNumber(output)}`), text);
    }
    await closePage(opened);
  });

  test("a clicked neuron's formula prints the library's value for the point", async () => {
    const opened = await open();
    const { page } = opened;
    await stepTo(page, 1);
    await stepTo(page, 2);
    await openDetails(page, "0:3");
    const model = await savedModel(page);
    const { text, output, point } = await formulaOf(page);
    const expected = model.activations(point)[0][3];
    assert.equal(output, expected);
    assert.ok(
      text.endsWith(`= ${formatShortNumber(expected)}`),
      `${text} ends with the output`,
    );
    // Named by the input features: relu(a·x + b·y + c).
    const neuron = model.layers[0].neurons[3];
    assert.equal(
      text,
      `relu(${formatShortNumber(neuron.weights[0].data)}·x + ${
        formatShortNumber(neuron.weights[1].data)
      }·y + ${formatShortNumber(neuron.bias.data)}) = ${
        formatShortNumber(expected)
      }`,
    );
    // A later layer names the previous layer's neurons.
    await openDetails(page, "1:0");
    assert.match((await formulaOf(page)).text, /^relu\(.*·L0:0 \+ .*·L0:15 \+/);
    // Another point: typed in.
    await page.fill('#neuron-details [data-point="x"]', "0.25");
    await page.press('#neuron-details [data-point="x"]', "Enter");
    await page.waitForFunction(() =>
      document.querySelector("#neuron-details .plugged")?.textContent
        ?.startsWith("at (0.25,")
    );
    const moved = await formulaOf(page);
    assert.equal(moved.point[0], 0.25);
    assert.equal(moved.output, model.activations(moved.point)[1][0]);
    // Gradients are the full-batch ones; no Adam moments with SGD.
    assert.ok(
      Number.isFinite(
        Number(
          await page.getAttribute(
            '#neuron-details [data-gradient="1:0:3"]',
            "data-value",
          ),
        ),
      ),
    );
    assert.equal(
      await page.isVisible('#neuron-details [data-m="1:0:0"]'),
      false,
    );
    await closePage(opened);
  });

  test("editing a weight changes the model, its prediction, and the next step starts from it", async () => {
    const opened = await open();
    const { page } = opened;
    await openDetails(page, "2:0", true);
    const before = await formulaOf(page);
    const original = await savedModel(page);
    // A weight whose input is not 0 at the point (a relu may be off there).
    const input = original.activations(before.point)[1].findIndex((v) =>
      v !== 0
    );
    assert.ok(input >= 0);
    const editor = `#neuron-details input[data-weight="2:0:${input}"]`;
    await page.fill(editor, "2.5");
    await page.press(editor, "Enter");
    await page.waitForFunction(
      (i) =>
        new RegExp(`Set the weight ${i} of 2:0 to 2.5`).test(
          document.querySelector("#neuron-details .edit-status")
            ?.textContent ?? "",
        ),
      input,
    );
    await page.waitForFunction(
      (old) =>
        document.querySelector<HTMLElement>("#neuron-details [data-formula]")
          ?.dataset.output !== String(old),
      before.output,
    );
    const edited = await savedModel(page);
    assert.equal(edited.layers[2].neurons[0].weights[input].data, 2.5);
    // The prediction moved, and is the library's for the edited weights.
    const after = await formulaOf(page);
    assert.notEqual(after.output, before.output);
    assert.equal(after.output, edited.predict(after.point)[0]);
    // The step uses the edited weight: SGD moves it by -rate·gradient.
    const gradient = Number(
      await page.getAttribute(
        `#neuron-details [data-gradient="2:0:${input}"]`,
        "data-value",
      ),
    );
    const rate = Number(await page.inputValue("#learning-rate"));
    await stepTo(page, 1);
    const stepped = await savedModel(page);
    const weight = stepped.layers[2].neurons[0].weights[input].data;
    assert.ok(
      Math.abs(weight - (2.5 - rate * gradient)) < 1e-12,
      `${weight} = 2.5 - ${rate}·${gradient}`,
    );
    // A typo is refused and changes nothing.
    await page.fill(editor, "abc");
    await page.press(editor, "Enter");
    assert.equal(await page.getAttribute(editor, "aria-invalid"), "true");
    await closePage(opened);
  });

  test("Adam's m and v are shown while Adam runs", async () => {
    const opened = await open("#optimizer=adam&learningRate=0.01");
    const { page } = opened;
    await stepTo(page, 1);
    await stepTo(page, 2);
    await openDetails(page, "0:0");
    await page.waitForSelector('#neuron-details [data-v="0:0:b"][data-value]');
    assert.equal(
      await page.isVisible('#neuron-details [data-m="0:0:0"]'),
      true,
    );
    const moments = await page.$$eval(
      "#neuron-details [data-v][data-value]",
      (cells) =>
        cells.map((cell) => Number((cell as HTMLElement).dataset.value)),
    );
    assert.equal(moments.length, 3);
    assert.ok(moments.every((v) => Number.isFinite(v) && v >= 0));
    assert.ok(moments.some((v) => v > 0));
    await closePage(opened);
  });

  test("the diagram is one tab stop; arrow keys walk neurons and links; Enter opens the details", async () => {
    const opened = await open();
    const { page } = opened;
    // From the last input-feature checkbox, Tab enters the diagram once…
    await page.locator("#features input").last().focus();
    await page.keyboard.press("Tab");
    const inside = () =>
      page.evaluate(() => {
        const active = document.activeElement;
        return {
          inDiagram: active?.closest("#network") !== null,
          neuron: (active as HTMLElement | null)?.dataset?.neuron ?? null,
          link: active?.getAttribute("data-link") ?? null,
        };
      });
    assert.deepEqual(await inside(), {
      inDiagram: true,
      neuron: "0:0",
      link: null,
    });
    // …and the next Tab leaves it.
    await page.keyboard.press("Tab");
    assert.equal((await inside()).inDiagram, false);
    await page.keyboard.press("Shift+Tab");
    assert.equal((await inside()).neuron, "0:0");
    await page.keyboard.press("ArrowDown");
    assert.equal((await inside()).neuron, "0:1");
    await page.keyboard.press("ArrowRight");
    assert.equal((await inside()).link, "1:0:1");
    await page.keyboard.press("ArrowDown");
    assert.equal((await inside()).link, "1:1:1");
    await page.keyboard.press("ArrowRight");
    assert.equal((await inside()).neuron, "1:1");
    await page.keyboard.press("ArrowLeft");
    assert.equal((await inside()).link, "1:1:0");
    await page.keyboard.press("Enter");
    await waitForDetails(page, "1:1");
    await page.waitForFunction(() =>
      document.activeElement?.getAttribute("data-weight") === "1:1:0"
    );
    await closePage(opened);
  });
});

/** Whether the page is training (the Play button pressed). */
async function waitForPlaying(page: Page, playing: boolean): Promise<void> {
  await page.waitForFunction(
    (want) =>
      document.getElementById("play")?.getAttribute("aria-pressed") ===
        String(want),
    playing,
  );
}

/** The `data-neuron`, `data-link` or `data-input` of the focused element. */
async function focused(page: Page): Promise<string | null> {
  return await page.evaluate(() => {
    const active = document.activeElement;
    if (!active?.closest("#network")) return null;
    return active.getAttribute("data-neuron") ??
      active.getAttribute("data-link") ?? null;
  });
}

/** Type `text` into the point's `axis` field and press Enter. */
async function typePoint(
  page: Page,
  axis: string,
  text: string,
): Promise<void> {
  const field = `#neuron-details [data-point="${axis}"]`;
  await page.fill(field, text);
  await page.press(field, "Enter");
}

describe("network diagram: keys, typed points and fit (issue 10 audit)", () => {
  test("Space is Play/Pause while a neuron or link of the diagram has focus; Enter opens the details", async () => {
    const opened = await open();
    const { page } = opened;
    // Clicked: the heatmap has focus and its details are open.
    await openDetails(page, "1:3");
    assert.equal(await focused(page), "1:3");
    await page.keyboard.press("Space");
    await waitForPlaying(page, true);
    await page.waitForFunction(() =>
      Number(document.getElementById("step-count")?.textContent) > 0
    );
    assert.equal(await focused(page), "1:3");
    await page.keyboard.press("Space");
    await waitForPlaying(page, false);
    // The details stayed as they were (Space did not reopen them).
    assert.equal(
      await page.getAttribute("#neuron-details", "data-neuron"),
      "1:3",
    );
    // Escape closes them; tabbed into the diagram, Space still plays.
    await page.keyboard.press("Escape");
    assert.equal(await page.isHidden("#neuron-details"), true);
    await page.locator("#features input").last().focus();
    // Tab comes back to the neuron last focused (the roving tab stop).
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "1:3");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(page), "1:4");
    await page.keyboard.press("Space");
    await waitForPlaying(page, true);
    assert.equal(await page.isHidden("#neuron-details"), true);
    // On a link too.
    await page.keyboard.press("ArrowRight");
    assert.equal(await focused(page), "2:0:4");
    await page.keyboard.press("Space");
    await waitForPlaying(page, false);
    assert.equal(await page.isHidden("#neuron-details"), true);
    // Enter is what opens the details.
    await page.keyboard.press("ArrowLeft");
    assert.equal(await focused(page), "1:4");
    await page.keyboard.press("Enter");
    await waitForDetails(page, "1:4");
    assert.equal(
      await page.getAttribute("#play", "aria-pressed"),
      "false",
    );
    await closePage(opened);
  });

  test("a typed point must be a number within ±1e6; a refused one keeps the last formula and says so", async () => {
    // Every feature, so x², y², x·y and sin take the far point too.
    const opened = await open("#features=x,y,x2,y2,xy,sinx,siny");
    const { page } = opened;
    await openDetails(page, "0:2");
    const x = '#neuron-details [data-point="x"]';
    const status = "#neuron-details .edit-status";
    await typePoint(page, "x", "0.5");
    await page.waitForFunction(() =>
      document.querySelector("#neuron-details .plugged")?.textContent
        ?.startsWith("at (0.5,")
    );
    const valid = await formulaOf(page);
    for (
      const [typed, reason] of [
        [
          "1e300",
          /^x = 1e300 is too far out: type a number from -1,000,000 to 1,000,000\./,
        ],
        ["", /^x is empty: type a number/],
        ["abc", /^x = "abc" is not a number: type a number/],
        ["1000001", /^x = 1000001 is too far out/],
      ] as const
    ) {
      await typePoint(page, "x", typed);
      await page.waitForFunction(
        (s) =>
          /still for \(0\.5, /.test(
            document.querySelector(s)?.textContent ?? "",
          ),
        status,
      );
      assert.equal(await page.getAttribute(x, "aria-invalid"), "true");
      assert.match((await page.textContent(status)) ?? "", reason);
      // The formula is still the valid point's (and its number finite).
      const now = await page.evaluate(() => ({
        output: document.querySelector<HTMLElement>(
          "#neuron-details [data-formula]",
        )?.dataset.output,
        plugged: document.querySelector("#neuron-details .plugged")
          ?.textContent,
      }));
      assert.equal(now.output, String(valid.output));
      assert.ok(now.plugged?.startsWith("at (0.5,"), String(now.plugged));
      // What was typed stays, to be corrected.
      assert.equal(await page.inputValue(x), typed);
    }
    // The bound itself is fine: every activation there is a finite number,
    // the library's.
    await typePoint(page, "x", "1e6");
    await typePoint(page, "y", "-1000000");
    await page.waitForFunction(() =>
      document.querySelector("#neuron-details .plugged")?.textContent
        ?.startsWith("at (1e+6, -1e+6)")
    );
    assert.equal(await page.getAttribute(x, "aria-invalid"), null);
    assert.equal(await page.textContent(status), "");
    const far = await formulaOf(page);
    assert.ok(Number.isFinite(far.output), String(far.output));
    const model = await savedModel(page);
    assert.equal(far.output, model.activations(far.point)[0][2]);
    // Escape gives a refused field its point back.
    const y = '#neuron-details [data-point="y"]';
    await typePoint(page, "y", "nope");
    assert.equal(await page.getAttribute(y, "aria-invalid"), "true");
    await page.press(y, "Escape");
    assert.equal(await page.inputValue(y), "-1000000");
    assert.equal(await page.getAttribute(y, "aria-invalid"), null);
    assert.equal(await page.textContent(status), "");
    await closePage(opened);
  });

  for (
    const [name, viewport] of [
      ["1280 × 800", DESKTOP_VIEWPORT],
      ["a 390 px phone", { width: 390, height: 844 }],
    ] as const
  ) {
    test(`the details panel fits its column without scrolling sideways at ${name}`, async () => {
      // Adam: the widest table (m and v shown).
      const opened = await open("#optimizer=adam&learningRate=0.01", viewport);
      const { page } = opened;
      await stepTo(page, 1);
      await stepTo(page, 2);
      for (const key of ["0:0", "1:5"]) {
        await openDetails(page, key);
        await page.waitForSelector(
          `#neuron-details [data-v="${key}:b"][data-value]`,
        );
        const fit = await page.evaluate(() => {
          const panel = document.getElementById("neuron-details")!;
          const outer = panel.getBoundingClientRect();
          const name = (element: HTMLElement) =>
            element.dataset.gradient ?? element.dataset.m ??
              element.dataset.v ?? element.dataset.weight ??
              element.dataset.point ?? element.textContent;
          /** Elements outside the page, or whose text is cut off. */
          const cut = (selector: string) =>
            [...panel.querySelectorAll<HTMLElement>(selector)].flatMap(
              (element) => {
                // Within the panel (not scrolled out of view inside it)
                // and within the page.
                const box = element.getBoundingClientRect();
                if (
                  box.width === 0 || box.left < Math.max(0, outer.left) ||
                  box.right > Math.min(innerWidth, outer.right)
                ) {
                  return [`${name(element)}: at ${box.left}–${box.right}`];
                }
                if (element instanceof HTMLInputElement) {
                  // A field's text scrolls when cut off; +1: clientWidth
                  // rounds a fractional width down, scrollWidth up.
                  return element.scrollWidth > element.clientWidth + 1
                    ? [`${name(element)}: ${element.value} scrolls`]
                    : [];
                }
                // A cell's text, measured as drawn, within its padding.
                const range = document.createRange();
                range.selectNodeContents(element);
                const style = getComputedStyle(element);
                const room = element.clientWidth -
                  parseFloat(style.paddingLeft) -
                  parseFloat(style.paddingRight);
                const text = range.getBoundingClientRect().width;
                return text > room + 0.5
                  ? [`${name(element)}: ${text} wider than ${room}`]
                  : [];
              },
            );
          return {
            scrollWidth: panel.scrollWidth,
            clientWidth: panel.clientWidth,
            gradients: panel.querySelectorAll("[data-gradient]").length,
            cells: cut("td"),
            editors: cut("input[data-weight], input[data-point]"),
          };
        });
        assert.ok(
          fit.scrollWidth <= fit.clientWidth,
          `${key}: ${fit.scrollWidth} <= ${fit.clientWidth}`,
        );
        assert.ok(fit.gradients >= 3);
        assert.deepEqual(fit.cells, [], `${key}: cells cut off`);
        assert.deepEqual(fit.editors, [], `${key}: editors cut off`);
      }
      await closePage(opened);
    });
  }
});
