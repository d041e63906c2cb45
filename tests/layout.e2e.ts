/**
 * The training page's layout in a real browser (Debian's Chromium, set up by
 * `browser_harness.ts`): a classroom link (`hide=...`) that hides settings
 * panels or controls gives their room to the charts, nothing spills out of
 * its panel or off the page, and the stop value's placeholder is readable
 * at every width. Run with `deno test -A tests/layout.e2e.ts`.
 *
 * @module
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { HIDEABLE } from "../playground/shared/settings.ts";
import {
  closePage,
  DESKTOP_VIEWPORT,
  type OpenedPage,
  plotArea,
  useBrowserHarness,
} from "./browser_harness.ts";

const harness = useBrowserHarness("layout-e2e");

/** The teacher's "only the learning rate" page of the audit. */
const ONLY_LEARNING_RATE =
  "#hide=data,network,loss,optimizer,schedule,steps,l2,l1,batchSize,compile,speed,stop,save,export";

/** Every hideable name but the learning rate (and the panel it sits in). */
const ALL_BUT_LEARNING_RATE = "#hide=" +
  HIDEABLE.filter((name) => name !== "learningRate" && name !== "training")
    .join(",");

/** Every control of the training panel, one by one (not the panel itself). */
const TRAINING_CONTROLS =
  "#hide=loss,optimizer,learningRate,schedule,steps,l2,l1,batchSize,compile,save,export";

/** A fresh page of `viewport` size on the playground at `hash`, ready. */
async function open(
  hash: string,
  viewport: { width: number; height: number } = DESKTOP_VIEWPORT,
): Promise<OpenedPage> {
  const opened = await harness().newPage(viewport);
  await opened.page.goto(harness().url + hash);
  await opened.page.waitForFunction(
    () => document.getElementById("train-loss")?.textContent !== "–",
    null,
    { timeout: 30_000 },
  );
  // The network diagram sizes its links' layer when it first draws (until
  // then the empty layer has a browser's default size of 300 × 150).
  await opened.page.waitForFunction(
    () =>
      document.getElementById("network-panel")?.hidden !== false ||
      document.querySelector("#network canvas") !== null,
    null,
    { timeout: 30_000 },
  );
  return opened;
}

/** What spills: sideways scrolling, panels wider inside than out, strays. */
interface Spills {
  /** How far the page scrolls sideways (0 or less: not at all). */
  page: number;
  /** Visible panels (and the toolbar) whose content is wider than they are. */
  panels: string[];
  /** Visible controls that reach outside their panel. */
  controls: string[];
}

/** Measure what spills out of the page, the panels and the toolbar. */
function spills(page: Page): Promise<Spills> {
  return page.evaluate(() => {
    const name = (element: Element): string =>
      element.id !== ""
        ? `#${element.id}`
        : `${element.tagName.toLowerCase()}.${
          [...element.classList].join(".")
        }`;
    const shown = (element: Element): boolean => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    };
    const boxes = [...document.querySelectorAll(".panel, .toolbar")]
      .filter(shown);
    const panels = boxes.filter((panel) =>
      panel.scrollWidth > panel.clientWidth + 1
    ).map((panel) =>
      `${name(panel)} (${panel.scrollWidth} > ${panel.clientWidth})`
    );
    const controls: string[] = [];
    for (const box of boxes) {
      const outer = box.getBoundingClientRect();
      const inner = box.querySelectorAll(
        "input:not(.visually-hidden), select, button, label, output, canvas, table",
      );
      for (const control of inner) {
        if (!shown(control)) continue;
        const rect = control.getBoundingClientRect();
        if (
          rect.left < outer.left - 1 || rect.right > outer.right + 1 ||
          rect.top < outer.top - 1 || rect.bottom > outer.bottom + 1
        ) {
          controls.push(`${name(control)} in ${name(box)}`);
        }
      }
    }
    return {
      page: document.scrollingElement!.scrollWidth - innerWidth,
      panels,
      controls,
    };
  });
}

/** Assert that nothing spills (see {@linkcode spills}), naming `where`. */
async function assertNothingSpills(page: Page, where: string): Promise<void> {
  const found = await spills(page);
  assert.ok(
    found.page <= 0,
    `${where}: no sideways scrolling (${found.page}px)`,
  );
  assert.deepEqual(found.panels, [], `${where}: panels hold their content`);
  assert.deepEqual(
    found.controls,
    [],
    `${where}: controls stay in their panel`,
  );
}

/** The width of an element on screen (0 when it is not shown). */
async function widthOf(page: Page, selector: string): Promise<number> {
  return (await page.locator(selector).boundingBox())?.width ?? 0;
}

describe("classroom links reflow the page", () => {
  for (
    const [label, hash] of [
      ["only the learning rate (the audit's link)", ONLY_LEARNING_RATE],
      ["hide=network", "#hide=network"],
      ["hide=data", "#hide=data"],
      ["everything hidden but the learning rate", ALL_BUT_LEARNING_RATE],
      ["the training panel emptied control by control", TRAINING_CONTROLS],
    ]
  ) {
    test(`${label}: the charts get the room, nothing spills`, async () => {
      const opened = await open(hash);
      const { page } = opened;
      const area = await plotArea(page);
      assert.ok(area.width >= 400, `grid plot ${area.width}px wide`);
      assert.ok(
        await widthOf(page, "#loss-chart canvas") >= 320,
        "the loss chart has room for both axes",
      );
      await assertNothingSpills(page, label);
      await closePage(opened);
    });
  }

  test("a panel left with only its heading is hidden; the learning rate stays", async () => {
    const opened = await open(TRAINING_CONTROLS);
    const { page } = opened;
    assert.equal(await page.isVisible("#training-panel"), false);
    assert.ok(await page.isVisible("#data-panel"));
    await page.evaluate((hash) => location.hash = hash, ALL_BUT_LEARNING_RATE);
    await page.waitForFunction(() =>
      document.getElementById("data-panel")?.hidden === true
    );
    assert.ok(await page.isVisible("#training-panel"));
    assert.ok(await page.isVisible("#learning-rate"));
    assert.equal(await page.isVisible("#loss"), false);
    await closePage(opened);
  });

  test("hiding panels by changing the address reflows the running page", async () => {
    const opened = await open("");
    const { page } = opened;
    const before = await widthOf(page, ".charts");
    await page.evaluate((hash) => location.hash = hash, ONLY_LEARNING_RATE);
    await page.waitForFunction(() =>
      document.getElementById("network-panel")?.hidden === true
    );
    // The charts take the freed room and sit side by side.
    await page.waitForFunction(() => {
      const grid = document.getElementById("grid-chart")!
        .getBoundingClientRect();
      const loss = document.getElementById("loss-chart")!
        .getBoundingClientRect();
      return loss.left >= grid.right && loss.width >= 320;
    });
    assert.ok(await widthOf(page, ".charts") > before + 400);
    await assertNothingSpills(page, "after the change");
    await closePage(opened);
  });

  for (
    const viewport of [
      DESKTOP_VIEWPORT,
      { width: 1000, height: 800 },
      { width: 390, height: 844 },
    ]
  ) {
    test(`the full page at ${viewport.width}px: nothing spills`, async () => {
      const opened = await open("", viewport);
      await assertNothingSpills(opened.page, `${viewport.width}px`);
      await closePage(opened);
    });
  }

  test("on a phone the audit's link still fits", async () => {
    const opened = await open(ONLY_LEARNING_RATE, { width: 390, height: 844 });
    await assertNothingSpills(opened.page, "390px");
    await closePage(opened);
  });
});

describe("the stop value's placeholder", () => {
  /**
   * Room Chromium's number spinner takes at the end of the box when the
   * pointer is over it (15 px, and a pixel to spare).
   */
  const SPINNER = 16;

  for (const width of [1280, 1440, 1920, 390]) {
    test(`shows all of "schedule" beside the spinner at ${width}px`, async () => {
      const opened = await open("", { width, height: 800 });
      const { page } = opened;
      await page.hover("#stop-value");
      const { text, room, right } = await page.evaluate(() => {
        const input = document.getElementById("stop-value") as HTMLInputElement;
        const style = getComputedStyle(input);
        const context = document.createElement("canvas").getContext("2d")!;
        context.font = style.font;
        return {
          text: context.measureText(input.placeholder).width,
          room: input.clientWidth - parseFloat(style.paddingLeft) -
            parseFloat(style.paddingRight),
          right: input.getBoundingClientRect().right,
        };
      });
      assert.equal(
        await page.getAttribute("#stop-value", "placeholder"),
        "schedule",
      );
      assert.ok(
        text + SPINNER <= room,
        `"schedule" is ${text.toFixed(1)}px + spinner, the box has ${room}px`,
      );
      assert.ok(right <= width, "the box is on screen");
      await closePage(opened);
    });
  }
});
