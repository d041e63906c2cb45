/**
 * Colours for the decision grid and the data points. Two classes use a
 * diverging map (orange for class 0 through white to blue for class 1, as in
 * TensorFlow's playground) so the strength of the model's belief is visible;
 * more classes colour each cell by its most likely class, faded towards white
 * where the model is unsure.
 *
 * @module
 */

import type { LossName } from "../src/loss.ts";
import type { GridMode } from "./url_state.ts";

/** An RGB colour with channels 0..255. */
export type Rgb = readonly [number, number, number];

/** Class colours: class 0 orange, class 1 blue, then distinct hues. */
export const CLASS_COLORS: readonly Rgb[] = [
  [245, 147, 34],
  [8, 119, 189],
  [46, 160, 67],
  [148, 80, 200],
  [214, 48, 49],
  [120, 120, 120],
];

const WHITE: Rgb = [255, 255, 255];

/** The colour of class `index` (cycling if there are more classes than colours). */
export function classColor(index: number): Rgb {
  return CLASS_COLORS[
    ((index % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length
  ];
}

/** `rgb(r, g, b)` for canvas fill and stroke styles. */
export function cssColor(color: Rgb, alpha = 1): string {
  return alpha === 1
    ? `rgb(${color[0]}, ${color[1]}, ${color[2]})`
    : `rgba(${color[0]}, ${color[1]}, ${color[2]}, ${alpha})`;
}

/** Linear blend: `t = 0` gives `from`, `t = 1` gives `to`. */
export function mix(from: Rgb, to: Rgb, t: number): Rgb {
  const s = Math.min(1, Math.max(0, t));
  return [
    Math.round(from[0] + (to[0] - from[0]) * s),
    Math.round(from[1] + (to[1] - from[1]) * s),
    Math.round(from[2] + (to[2] - from[2]) * s),
  ];
}

/**
 * The diverging map: `t` in [-1, 1], -1 = class 0 (orange), 0 = white,
 * +1 = class 1 (blue). The ends are lightened a little so the data points
 * drawn on top stay visible.
 */
export function divergingColor(t: number): Rgb {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(-1, t)) : 0;
  const strength = 0.75 * Math.abs(clamped);
  return clamped < 0
    ? mix(WHITE, CLASS_COLORS[0], strength)
    : mix(WHITE, CLASS_COLORS[1], strength);
}

/**
 * Where a single raw model output sits on the diverging map, in [-1, 1].
 * Hinge and MSE train towards ±1, so `tanh(score)` saturates about there; a
 * logistic output is a logit, and `2σ(s) - 1 = tanh(s / 2)` is the
 * probability of class 1 rescaled to [-1, 1].
 */
export function binaryBelief(score: number, loss: LossName): number {
  if (Number.isNaN(score)) return 0;
  return loss === "logistic" ? Math.tanh(score / 2) : Math.tanh(score);
}

/**
 * Colour one grid cell from its raw outputs (`outputs[offset..offset+count)`).
 * One output: class 1 iff the score is positive (the library's `accuracy`
 * rule). Several outputs: the argmax class, with a confidence from the
 * softmax (cross-entropy) or the clamped output (MSE on one-hot targets).
 */
export function cellColor(
  outputs: ArrayLike<number>,
  offset: number,
  count: number,
  loss: LossName,
  mode: GridMode,
): Rgb {
  if (count === 1) {
    const belief = binaryBelief(outputs[offset], loss);
    if (mode === "hard") {
      return divergingColor(belief > 0 ? 1 : belief < 0 ? -1 : 0);
    }
    return divergingColor(belief);
  }
  let best = 0;
  let max = -Infinity;
  for (let k = 0; k < count; k++) {
    const value = outputs[offset + k];
    if (value > max) {
      max = value;
      best = k;
    }
  }
  if (!Number.isFinite(max)) return WHITE;
  if (mode === "hard") return mix(WHITE, classColor(best), 0.75);
  let confidence: number;
  if (loss === "mse") {
    confidence = Math.min(1, Math.max(0, max));
  } else {
    // Softmax probability of the winning class, computed stably.
    let total = 0;
    for (let k = 0; k < count; k++) {
      total += Math.exp(outputs[offset + k] - max);
    }
    const probability = 1 / total;
    // Rescale so "no idea" (1/count) is white and certainty is full colour.
    confidence = (probability - 1 / count) / (1 - 1 / count);
  }
  return mix(WHITE, classColor(best), 0.75 * confidence);
}

/**
 * Paint a row-major grid of raw outputs (row 0 = the lowest y, as
 * `Trainer.evaluateGrid` returns it) into RGBA pixels with row 0 at the top
 * of the image (the highest y), ready for `putImageData`.
 */
export function paintGrid(
  grid: ArrayLike<number>,
  resolution: number,
  outputs: number,
  loss: LossName,
  mode: GridMode,
  pixels: Uint8ClampedArray,
): void {
  if (outputs === 1) {
    paintBinaryGrid(grid, resolution, loss, mode, pixels);
    return;
  }
  for (let row = 0; row < resolution; row++) {
    const imageRow = resolution - 1 - row;
    for (let column = 0; column < resolution; column++) {
      const cell = row * resolution + column;
      const color = cellColor(grid, cell * outputs, outputs, loss, mode);
      const pixel = (imageRow * resolution + column) * 4;
      pixels[pixel] = color[0];
      pixels[pixel + 1] = color[1];
      pixels[pixel + 2] = color[2];
      pixels[pixel + 3] = 255;
    }
  }
}

/** Entries in the lookup table of the diverging map (over beliefs -1..1). */
const TABLE_SIZE = 1024;
let divergingTable: Uint8Array | null = null;

/**
 * The diverging map sampled into a table once, so painting a grid of one
 * output is a table lookup per cell instead of a colour computation (this
 * runs on the page's main thread up to 30 times a second).
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

function paintBinaryGrid(
  grid: ArrayLike<number>,
  resolution: number,
  loss: LossName,
  mode: GridMode,
  pixels: Uint8ClampedArray,
): void {
  const table = divergingLookup();
  const last = TABLE_SIZE - 1;
  for (let row = 0; row < resolution; row++) {
    const imageRow = resolution - 1 - row;
    for (let column = 0; column < resolution; column++) {
      let belief = binaryBelief(grid[row * resolution + column], loss);
      if (mode === "hard") belief = belief > 0 ? 1 : belief < 0 ? -1 : 0;
      // Hard mode's three colours are the table's ends and its middle.
      const index = mode === "hard" && belief === 0
        ? -1
        : Math.round(((belief + 1) / 2) * last) * 3;
      const pixel = (imageRow * resolution + column) * 4;
      if (index < 0) {
        pixels[pixel] = 255;
        pixels[pixel + 1] = 255;
        pixels[pixel + 2] = 255;
      } else {
        pixels[pixel] = table[index];
        pixels[pixel + 1] = table[index + 1];
        pixels[pixel + 2] = table[index + 2];
      }
      pixels[pixel + 3] = 255;
    }
  }
}
