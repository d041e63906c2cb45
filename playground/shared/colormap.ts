/**
 * Colours for the decision grid and the data points. Two classes use a
 * diverging map (orange for class 0 through white to blue for class 1, as in
 * TensorFlow's playground) so the strength of the model's belief is visible;
 * more classes colour each cell by its most likely class, faded towards white
 * where the model is unsure. Painting a whole grid of cells is
 * `heatmap.ts`.
 *
 * @module
 */

import { type LossName, predictClass } from "../../src/loss.ts";
import type { GridMode } from "./settings.ts";

/** An RGB colour with channels 0..255. */
export type Rgb = readonly [number, number, number];

/**
 * Class colours: class 0 orange, class 1 blue, then distinct hues.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLASS_COLORS } from "./colormap.ts";
 * assert.deepEqual(CLASS_COLORS[1], [8, 119, 189]);
 * ```
 */
export const CLASS_COLORS: readonly Rgb[] = [
  [245, 147, 34],
  [8, 119, 189],
  [46, 160, 67],
  [148, 80, 200],
  [214, 48, 49],
  [120, 120, 120],
];

const WHITE: Rgb = [255, 255, 255];

/**
 * The colour of class `index` (cycling if there are more classes than colours).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLASS_COLORS, classColor } from "./colormap.ts";
 * assert.equal(classColor(0), CLASS_COLORS[0]);
 * assert.equal(classColor(CLASS_COLORS.length), CLASS_COLORS[0]);
 * ```
 */
export function classColor(index: number): Rgb {
  return CLASS_COLORS[
    ((index % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length
  ];
}

/**
 * `rgb(r, g, b)` (or `rgba` with an `alpha`) for canvas and CSS styles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cssColor } from "./colormap.ts";
 * assert.equal(cssColor([1, 2, 3]), "rgb(1, 2, 3)");
 * assert.equal(cssColor([1, 2, 3], 0.5), "rgba(1, 2, 3, 0.5)");
 * ```
 */
export function cssColor(color: Rgb, alpha = 1): string {
  return alpha === 1
    ? `rgb(${color[0]}, ${color[1]}, ${color[2]})`
    : `rgba(${color[0]}, ${color[1]}, ${color[2]}, ${alpha})`;
}

/**
 * Linear blend: `t = 0` gives `from`, `t = 1` gives `to` (`t` is clamped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mix } from "./colormap.ts";
 * assert.deepEqual(mix([0, 0, 0], [255, 255, 255], 0.5), [128, 128, 128]);
 * assert.deepEqual(mix([0, 0, 0], [255, 255, 255], 2), [255, 255, 255]);
 * ```
 */
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
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { divergingColor } from "./colormap.ts";
 * assert.deepEqual(divergingColor(0), [255, 255, 255]);
 * assert.deepEqual(divergingColor(NaN), [255, 255, 255]);
 * assert.ok(divergingColor(1)[2] > divergingColor(1)[0]); // blue
 * ```
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
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryBelief } from "./colormap.ts";
 * assert.equal(binaryBelief(0, "logistic"), 0); // probability 1/2
 * assert.equal(binaryBelief(2, "hinge"), Math.tanh(2));
 * ```
 */
export function binaryBelief(score: number, loss: LossName): number {
  if (Number.isNaN(score)) return 0;
  return loss === "logistic" ? Math.tanh(score / 2) : Math.tanh(score);
}

/** One reused array for a cell's scores (this runs for every cell of a grid). */
let scratch: number[] = [];

function scratchScores(count: number): number[] {
  if (scratch.length !== count) scratch = new Array<number>(count).fill(0);
  return scratch;
}

/**
 * Colour one grid cell from its raw outputs (`outputs[offset..offset+count)`).
 * One output: class 1 iff the score is positive (the library's `accuracy`
 * rule). Several outputs: the argmax class, with a confidence from the
 * softmax (cross-entropy) or the clamped output (MSE on one-hot targets).
 * The class is the library's `predictClass`: a cell with a non-finite
 * score is white.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellColor, classColor, mix } from "./colormap.ts";
 * const white = [255, 255, 255] as const;
 * assert.deepEqual(
 *   cellColor([0.1, 3, -1], 0, 3, "crossEntropy", "hard"),
 *   mix(white, classColor(1), 0.75),
 * );
 * assert.deepEqual(cellColor([NaN, 1], 0, 2, "crossEntropy", "soft"), white);
 * ```
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
  const scores = scratchScores(count);
  for (let k = 0; k < count; k++) scores[k] = outputs[offset + k];
  // The library's rule: the first largest score; none if any is not finite.
  const best = predictClass(scores);
  if (best < 0) return WHITE;
  const max = scores[best];
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
