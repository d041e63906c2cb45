/**
 * Input features: what the network sees of a point `(x, y)` of the plane.
 * TensorFlow Playground's seven, `x`, `y`, `x2` (x²), `y2` (y²), `xy`,
 * `sinx` and `siny`; any non-empty list of them, in the order given. The
 * transform sits in front of the first layer of an `MLP` built with the
 * `features` option, so training (both step engines), `predict`, the
 * decision grid and saved models all see the same inputs.
 *
 * On `Value`s ({@linkcode featureNodes}) the transform builds graph nodes, so
 * gradients flow through it exactly as through the rest of the network (and
 * the compiled tape records them); on numbers ({@linkcode featureValues}) it
 * computes the same numbers, bit for bit. The default `["x", "y"]` is the
 * identity: it returns the point's own leaves and adds no node at all.
 *
 * @module
 */

import {
  checkName,
  describeArgument,
  failField,
  FieldRangeError,
} from "./checks.ts";
import type { Value } from "./engine.ts";
import { sinForward } from "./ops.ts";

/** One input feature of a point `(x, y)`. */
export type FeatureName = "x" | "y" | "x2" | "y2" | "xy" | "sinx" | "siny";

/**
 * Every feature, in TensorFlow Playground's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FEATURE_NAMES } from "./features.ts";
 * assert.equal(FEATURE_NAMES.join(","), "x,y,x2,y2,xy,sinx,siny");
 * ```
 */
export const FEATURE_NAMES: readonly FeatureName[] = Object.freeze([
  "x",
  "y",
  "x2",
  "y2",
  "xy",
  "sinx",
  "siny",
]);

/**
 * The default features, the point itself: the identity transform.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_FEATURES } from "./features.ts";
 * assert.deepEqual(DEFAULT_FEATURES, ["x", "y"]);
 * ```
 */
export const DEFAULT_FEATURES: readonly FeatureName[] = Object.freeze([
  "x",
  "y",
]);

/**
 * How each feature reads, for legends and `--help`: `x²` for `x2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FEATURE_LABELS } from "./features.ts";
 * assert.equal(FEATURE_LABELS.sinx, "sin x");
 * ```
 */
export const FEATURE_LABELS: Readonly<Record<FeatureName, string>> = Object
  .freeze({
    x: "x",
    y: "y",
    x2: "x²",
    y2: "y²",
    xy: "xy",
    sinx: "sin x",
    siny: "sin y",
  });

/**
 * Check a feature list: an array of one to seven distinct names of
 * {@linkcode FEATURE_NAMES}. Errors are `FieldTypeError`/`FieldRangeError`
 * naming `field` (an empty list, a duplicate) or `field[i]` (an unknown
 * name).
 *
 * @param value What was passed.
 * @param where The function, e.g. `"new MLP"`.
 * @param field The argument's name, e.g. `"features"`.
 * @returns A fresh array of the names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFeatures } from "./features.ts";
 * assert.deepEqual(checkFeatures(["x2", "y2"], "f", "features"), ["x2", "y2"]);
 * assert.throws(() => checkFeatures([], "f", "features"), { field: "features" });
 * assert.throws(() => checkFeatures(["x", "z"], "f", "features"), {
 *   name: "FieldRangeError",
 *   field: "features[1]",
 * });
 * assert.throws(() => checkFeatures(["x", "x"], "f", "features"), /twice/);
 * ```
 */
export function checkFeatures(
  value: unknown,
  where: string,
  field: string,
): FeatureName[] {
  const allowed = `a non-empty list of distinct features from ${
    FEATURE_NAMES.join(", ")
  }`;
  if (!Array.isArray(value)) failField("type", where, field, allowed, value);
  if (value.length === 0) failField("range", where, field, allowed, value);
  const names: FeatureName[] = [];
  for (let i = 0; i < value.length; i++) {
    const name = checkName(value[i], where, `${field}[${i}]`, FEATURE_NAMES);
    if (names.includes(name)) {
      throw new FieldRangeError(
        `${where}: ${field} must be ${allowed}, got ${
          describeArgument(value)
        }, with "${name}" twice`,
        { field, allowed },
      );
    }
    names.push(name);
  }
  return names;
}

/**
 * Whether `features` is the identity `["x", "y"]` (no transform at all).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isIdentityFeatures } from "./features.ts";
 * assert.equal(isIdentityFeatures(["x", "y"]), true);
 * assert.equal(isIdentityFeatures(["y", "x"]), false);
 * ```
 */
export function isIdentityFeatures(features: readonly FeatureName[]): boolean {
  return features.length === 2 && features[0] === "x" && features[1] === "y";
}

/**
 * The features of the point `(x, y)` as numbers, exactly what
 * {@linkcode featureNodes} computes: `x·x`, `y·y`, `x·y` and the portable
 * sine of the engine's `sin` operation.
 *
 * @param x The point's first coordinate.
 * @param y The point's second coordinate.
 * @param features The feature list (assumed checked).
 * @returns One number per feature.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featureValues } from "./features.ts";
 * const [x, y2, xy, sinx] = featureValues(3, -2, ["x", "y2", "xy", "sinx"]);
 * assert.deepEqual([x, y2, xy], [3, 4, -6]);
 * assert.ok(Math.abs(sinx - Math.sin(3)) < 1e-15);
 * ```
 */
export function featureValues(
  x: number,
  y: number,
  features: readonly FeatureName[],
): number[] {
  const out = new Array<number>(features.length);
  for (let i = 0; i < features.length; i++) {
    out[i] = featureValue(x, y, features[i]);
  }
  return out;
}

/** One feature of `(x, y)` as a number. */
function featureValue(x: number, y: number, feature: FeatureName): number {
  switch (feature) {
    case "x":
      return x;
    case "y":
      return y;
    case "x2":
      return x * x;
    case "y2":
      return y * y;
    case "xy":
      return x * y;
    case "sinx":
      return sinForward(x);
    case "siny":
      return sinForward(y);
  }
}

/**
 * The features of the point `(x, y)` as graph nodes built from its two
 * leaves: `x2` is `x.mul(x)`, `xy` is `x.mul(y)`, `sinx` is `x.sin()`, and
 * `x`, `y` are the leaves themselves. Gradients flow back into `x` and `y`.
 * With the default `["x", "y"]` it returns `[x, y]`: no node is added.
 *
 * @param x The point's first coordinate, a `Value`.
 * @param y The point's second coordinate, a `Value`.
 * @param features The feature list (assumed checked).
 * @returns One `Value` per feature.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { featureNodes, featureValues } from "./features.ts";
 * const x = new Value(0.5), y = new Value(-2);
 * const nodes = featureNodes(x, y, ["x2", "xy", "siny"]);
 * assert.deepEqual(nodes.map((n) => n.data), featureValues(0.5, -2, ["x2", "xy", "siny"]));
 * const [identityX] = featureNodes(x, y, ["x", "y"]);
 * assert.equal(identityX, x);
 * ```
 */
export function featureNodes(
  x: Value,
  y: Value,
  features: readonly FeatureName[],
): Value[] {
  const out = new Array<Value>(features.length);
  for (let i = 0; i < features.length; i++) {
    switch (features[i]) {
      case "x":
        out[i] = x;
        break;
      case "y":
        out[i] = y;
        break;
      case "x2":
        out[i] = x.mul(x);
        break;
      case "y2":
        out[i] = y.mul(y);
        break;
      case "xy":
        out[i] = x.mul(y);
        break;
      case "sinx":
        out[i] = x.sin();
        break;
      case "siny":
        out[i] = y.sin();
        break;
    }
  }
  return out;
}

/**
 * Graph nodes each sample's features add (for the config's size budget):
 * one per feature that is not `x` or `y`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featureNodeCount } from "./features.ts";
 * assert.equal(featureNodeCount(["x", "y"]), 0);
 * assert.equal(featureNodeCount(["x2", "y2", "x"]), 2);
 * ```
 */
export function featureNodeCount(features: readonly FeatureName[]): number {
  return features.filter((f) => f !== "x" && f !== "y").length;
}
