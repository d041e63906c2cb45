/**
 * The network diagram's heatmaps, read in a browser test: every neuron's
 * heatmap is a square of one canvas (`#network-heatmaps`, see
 * `playground/training/network.ts`) under the neuron's element. Used by
 * `explorer.e2e.ts` and `playground.e2e.ts`.
 *
 * (Not a test file itself: its name matches neither `*.test.ts` nor
 * `*.e2e.ts`.)
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** A neuron's heatmap: its pixels as a data URL, and whether painted. */
export interface Heatmap {
  url: string;
  /** Opaque throughout (a square is transparent until painted). */
  painted: boolean;
}

/**
 * The heatmaps of the neurons `selector` picks (default: every hidden
 * neuron), in the diagram's order: each the square of the one heatmap
 * canvas (`#network-heatmaps`) under the neuron's element, inside its
 * border (less a pixel each side, which rounding may give a neighbour).
 */
export function heatmaps(
  page: Page,
  selector = "#network [data-neuron]",
): Promise<Heatmap[]> {
  return page.evaluate((selector) => {
    const atlas = document.querySelector<HTMLCanvasElement>(
      "#network-heatmaps",
    );
    const context = atlas?.getContext("2d");
    if (!atlas || !context) return [];
    const frame = atlas.getBoundingClientRect();
    const scale = atlas.width / frame.width;
    const square = document.createElement("canvas");
    const neurons = document.querySelectorAll<HTMLElement>(selector);
    return [...neurons].map((neuron) => {
      const box = neuron.getBoundingClientRect();
      const x = Math.round((box.left + neuron.clientLeft - frame.left) * scale);
      const y = Math.round((box.top + neuron.clientTop - frame.top) * scale);
      const image = context.getImageData(
        x + 1,
        y + 1,
        Math.round(neuron.clientWidth * scale) - 2,
        Math.round(neuron.clientHeight * scale) - 2,
      );
      square.width = image.width;
      square.height = image.height;
      square.getContext("2d")!.putImageData(image, 0, 0);
      const pixels = image.data;
      return {
        url: square.toDataURL(),
        painted: pixels.every((value, i) => i % 4 !== 3 || value === 255),
      };
    });
  }, selector);
}

/**
 * Read {@linkcode heatmaps} (of `selector`'s neurons) until `accept` holds,
 * failing with `what` after `timeout` ms.
 */
export async function waitForHeatmaps(
  page: Page,
  accept: (maps: Heatmap[]) => boolean,
  what: string,
  { timeout = 10_000, selector = "#network [data-neuron]" } = {},
): Promise<Heatmap[]> {
  const end = Date.now() + timeout;
  for (;;) {
    const maps = await heatmaps(page, selector);
    if (accept(maps)) return maps;
    assert.ok(Date.now() < end, `timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}
