/**
 * What every browser test file needs, in one place: the playground built
 * into a scratch folder, served on a free localhost port, and Debian's
 * Chromium driven by playwright-core; pages that record console errors and
 * uncaught exceptions; and teardown that leaves nothing behind.
 *
 * Used by `tests/playground.e2e.ts` and `tests/explorer.e2e.ts` as:
 *
 *     const harness = useBrowserHarness("explorer-e2e");
 *     // in a test: const opened = await harness().newPage();
 *
 * Screenshots for the README (`docs/*.png`) are written only on request,
 * with `SCREENSHOTS=1` in the environment, so a test run changes no file
 * of the repository.
 *
 * (Not a test file itself: its name matches neither `*.test.ts` nor
 * `*.e2e.ts`.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import process from "node:process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { buildPlayground } from "../playground/build.ts";
import { serveDirectory, type StaticServer } from "../playground/serve.ts";

/** Debian's Chromium (installed by `.ci/run`). */
const CHROMIUM = "/usr/bin/chromium";

/** Headless without a sandbox (containers), GPU or background traffic. */
const CHROMIUM_ARGUMENTS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The window size pages open with unless a test asks for another. */
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;

/** A page together with the errors it has logged so far. */
export interface OpenedPage {
  page: Page;
  /** Console errors (`console: …`) and uncaught exceptions (`page error: …`). */
  errors: string[];
}

/** A served playground and a browser pointed at it. */
export interface BrowserHarness {
  /** The site's address, ending in `/`; append a hash to open a view. */
  readonly url: string;
  /** A scratch folder for the test's own files, removed by `close`. */
  readonly scratch: string;
  /**
   * A new blank page of `viewport` size that records its errors. Add init
   * scripts to it, then navigate (`page.goto(harness.url + hash)`).
   */
  newPage(viewport?: { width: number; height: number }): Promise<OpenedPage>;
  /** Stop the browser and the server and delete the scratch folder. */
  close(): Promise<void>;
}

/**
 * Build the playground into a fresh scratch folder (named after `name`),
 * serve it on a free port and launch Chromium. Whatever was started is
 * stopped again if a later part fails.
 */
export async function startBrowserHarness(
  name: string,
): Promise<BrowserHarness> {
  const scratch = await mkdtemp(join(tmpdir(), `${name}-`));
  let server: StaticServer | undefined;
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close();
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const site = await buildPlayground({ outdir: join(scratch, "site") });
    server = await serveDirectory(site, 0);
    context = await chromium.launchPersistentContext(join(scratch, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGUMENTS,
      viewport: { ...DESKTOP_VIEWPORT },
      acceptDownloads: true,
    });
  } catch (error) {
    await close();
    throw error;
  }
  const browserContext = context;
  return {
    url: server.url,
    scratch,
    async newPage(viewport = DESKTOP_VIEWPORT): Promise<OpenedPage> {
      const page = await browserContext.newPage();
      await page.setViewportSize({ ...viewport });
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") {
          errors.push(`console: ${message.text()}`);
        }
      });
      page.on(
        "pageerror",
        (error) => errors.push(`page error: ${error.message}`),
      );
      return { page, errors };
    },
    close,
  };
}

/**
 * Start a harness before the file's tests and close it after them; returns
 * a getter for it (valid inside tests).
 */
export function useBrowserHarness(name: string): () => BrowserHarness {
  let harness: BrowserHarness | undefined;
  before(async () => {
    harness = await startBrowserHarness(name);
  });
  after(async () => {
    await harness?.close();
  });
  return () => {
    if (harness === undefined) throw new Error(`${name}: no browser started`);
    return harness;
  };
}

/** Close the page, then fail if it logged any error while it was open. */
export async function closePage({ page, errors }: OpenedPage): Promise<void> {
  await page.close();
  assert.deepEqual(errors, [], "no console errors");
}

/**
 * Take a screenshot of `page`; with `SCREENSHOTS=1` in the environment save
 * it to `path` (relative to the repository root), otherwise keep it in
 * memory only (the capture is still exercised; no tracked file changes).
 */
export async function saveScreenshot(page: Page, path: string): Promise<void> {
  if (process.env.SCREENSHOTS !== "1") {
    await page.screenshot();
    return;
  }
  const file = fileURLToPath(new URL(`../${path}`, import.meta.url));
  await mkdir(dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

/** Where the decision grid's plot area is on the page (see {@linkcode plotArea}). */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The rectangle of the plane it shows (`data-bounds`). */
  bounds: { xMin: number; xMax: number; yMin: number; yMax: number };
}

/** The plot area of the grid on screen and the rectangle of the plane it shows. */
export async function plotArea(page: Page): Promise<PlotArea> {
  return await page.evaluate(() => {
    const over = document.querySelector("#grid-chart .u-over")!;
    const box = over.getBoundingClientRect();
    const bounds = JSON.parse(
      document.getElementById("grid-chart")!.dataset.bounds!,
    );
    return {
      left: box.left,
      top: box.top,
      width: box.width,
      height: box.height,
      bounds,
    };
  });
}

/** The plane coordinates under the page pixel `(px, py)` of the plot. */
export function planeAt(
  area: PlotArea,
  px: number,
  py: number,
): [number, number] {
  const { xMin, xMax, yMin, yMax } = area.bounds;
  return [
    xMin + ((px - area.left) / area.width) * (xMax - xMin),
    yMax - ((py - area.top) / area.height) * (yMax - yMin),
  ];
}
