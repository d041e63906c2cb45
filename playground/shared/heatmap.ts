/**
 * The one heat-map painter: a square grid of cells over the plane (row 0 at
 * the lowest y, as `Trainer.evaluateGrid` returns it) turned into RGBA
 * pixels with row 0 at the top of the image (the highest y), ready for
 * `putImageData`. The decision grid and every neuron thumbnail of the
 * network diagram are painted by it; only the cell colouring differs
 * ({@linkcode decisionColorer}, {@linkcode divergingColorer}).
 *
 * @module
 */

import type { LossName } from "../../src/loss.ts";
import { binaryBelief, cellColor, divergingColor } from "./colormap.ts";
import type { GridMode } from "./settings.ts";

/** Writes the RGB colour of grid cell `cell` at `pixels[offset..offset+2]`. */
export type CellColorer = (
  cell: number,
  pixels: Uint8ClampedArray,
  offset: number,
) => void;

/**
 * Paint a grid of `cells` × `cells` into `size` × `size` RGBA pixels, each
 * pixel taking the cell nearest its centre (so a 64-cell grid can be shown
 * on a 20-pixel thumbnail, or one pixel per cell).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paintHeatmap } from "./heatmap.ts";
 * // Two cells a side; cell k is painted with red = k.
 * const pixels = new Uint8ClampedArray(2 * 2 * 4);
 * paintHeatmap(pixels, 2, 2, (cell, out, offset) => out[offset] = cell);
 * // Image row 0 is the grid's top row (cells 2 and 3).
 * assert.deepEqual([pixels[0], pixels[4], pixels[8], pixels[12]], [2, 3, 0, 1]);
 * assert.equal(pixels[3], 255);
 * ```
 */
export function paintHeatmap(
  pixels: Uint8ClampedArray,
  size: number,
  cells: number,
  color: CellColorer,
): void {
  const scale = cells / size;
  for (let row = 0; row < size; row++) {
    const imageRow = size - 1 - row; // image rows go down, the plane's go up
    const cellRow = Math.floor((row + 0.5) * scale);
    for (let column = 0; column < size; column++) {
      const cellColumn = Math.floor((column + 0.5) * scale);
      const offset = (imageRow * size + column) * 4;
      color(cellRow * cells + cellColumn, pixels, offset);
      pixels[offset + 3] = 255;
    }
  }
}

/** Entries in the lookup table of the diverging map (over -1..1). */
const TABLE_SIZE = 1024;
let divergingTable: Uint8Array | null = null;

/**
 * The diverging map sampled into a table once, so painting a cell is a
 * table lookup instead of a colour computation (this runs on the page's
 * main thread up to 30 times a second).
 */
function divergingLookup(): Uint8Array {
  if (divergingTable === null) {
    divergingTable = new Uint8Array(TABLE_SIZE * 3);
    for (let i = 0; i < TABLE_SIZE; i++) {
      const color = divergingColor((i / (TABLE_SIZE - 1)) * 2 - 1);
      divergingTable.set(color, i * 3);
    }
  }
  return divergingTable;
}

/** Write the diverging map's colour for `t` in [-1, 1] (clamped; NaN is 0). */
function writeDiverging(
  t: number,
  pixels: Uint8ClampedArray,
  offset: number,
): void {
  const table = divergingLookup();
  const clamped = t > 1 ? 1 : t < -1 ? -1 : t === t ? t : 0;
  const index = Math.round(((clamped + 1) / 2) * (TABLE_SIZE - 1)) * 3;
  pixels[offset] = table[index];
  pixels[offset + 1] = table[index + 1];
  pixels[offset + 2] = table[index + 2];
}

/**
 * Cells coloured on the diverging map (orange -1, white 0, blue +1) by
 * `position(values[cell])`: a neuron's output over the plane.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { divergingColorer, paintHeatmap } from "./heatmap.ts";
 * const pixels = new Uint8ClampedArray(4);
 * paintHeatmap(pixels, 1, 1, divergingColorer([0], (value) => value));
 * assert.deepEqual([...pixels], [255, 255, 255, 255]);
 * ```
 */
export function divergingColorer(
  values: ArrayLike<number>,
  position: (value: number) => number,
): CellColorer {
  return (cell, pixels, offset) =>
    writeDiverging(position(values[cell]), pixels, offset);
}

/**
 * Cells coloured by the model's raw outputs (`outputs` per cell, as
 * `Trainer.evaluateGrid` lays them out): one output on the diverging map
 * of its belief (in hard mode only its sign), several by
 * {@linkcode cellColor}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decisionColorer, paintHeatmap } from "./heatmap.ts";
 * const pixels = new Uint8ClampedArray(2 * 2 * 4);
 * const grid = [-5, 5, -5, 5]; // class 0 on the left, class 1 on the right
 * paintHeatmap(pixels, 2, 2, decisionColorer(grid, 1, "hinge", "hard"));
 * assert.ok(pixels[0] > pixels[2]); // left: orange
 * assert.ok(pixels[6] > pixels[4]); // right: blue
 * ```
 */
export function decisionColorer(
  grid: ArrayLike<number>,
  outputs: number,
  loss: LossName,
  mode: GridMode,
): CellColorer {
  if (outputs === 1) {
    return (cell, pixels, offset) => {
      const belief = binaryBelief(grid[cell], loss);
      // Hard mode's three colours are the map's ends and its (white) middle.
      const t = mode === "hard"
        ? (belief > 0 ? 1 : belief < 0 ? -1 : 0)
        : belief;
      writeDiverging(t, pixels, offset);
    };
  }
  return (cell, pixels, offset) => {
    const color = cellColor(grid, cell * outputs, outputs, loss, mode);
    pixels[offset] = color[0];
    pixels[offset + 1] = color[1];
    pixels[offset + 2] = color[2];
  };
}

/** Reused pixel buffers, one per canvas. */
const images = new WeakMap<HTMLCanvasElement, ImageData>();

/**
 * Paint a grid into a canvas of `size` × `size` pixels (resized if need
 * be), reusing the canvas's pixel buffer between calls. DOM only.
 */
export function paintCanvas(
  canvas: HTMLCanvasElement,
  size: number,
  cells: number,
  color: CellColorer,
): void {
  if (canvas.width !== size || canvas.height !== size) {
    canvas.width = size;
    canvas.height = size;
  }
  const context = canvas.getContext("2d");
  if (!context) return;
  let image = images.get(canvas);
  if (!image || image.width !== size) {
    image = context.createImageData(size, size);
    images.set(canvas, image);
  }
  paintHeatmap(image.data, size, cells, color);
  context.putImageData(image, 0, 0);
}
