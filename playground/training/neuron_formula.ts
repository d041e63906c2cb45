/**
 * The words and numbers of a neuron's details panel, as pure functions (no
 * DOM): what each input is called, and the neuron's formula with its
 * weights and the point's inputs plugged in, e.g.
 * `relu(0.41·x + -1.2·y + 0.33) = 0.89`. The numbers come from the worker
 * (`NeuronDetails`); only the pre-activation sum is added up here, in the
 * same order as `MLP.activations` (from 0, left to right, then the bias),
 * so it is the very number the activation was applied to.
 *
 * @module
 */

import type { Activation } from "../../src/activation.ts";
import { FEATURE_LABELS, type FeatureName } from "../../src/features.ts";
import { formatShortNumber } from "../shared/format.ts";

/**
 * How neuron `neuron` of layer `layer` is named in the diagram: `L0:3` for a
 * hidden neuron, `output 0` for one of the last layer's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuronName } from "./neuron_formula.ts";
 * assert.equal(neuronName(0, 3, 3), "L0:3");
 * assert.equal(neuronName(2, 0, 3), "output 0");
 * ```
 */
export function neuronName(
  layer: number,
  neuron: number,
  layerCount: number,
): string {
  return layer === layerCount - 1 ? `output ${neuron}` : `L${layer}:${neuron}`;
}

/**
 * What the inputs of a neuron of `layer` are called: the input features
 * (`x`, `y²`, …) for the first layer, the previous layer's neurons
 * (`L0:0`, `L0:1`, …) after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputNames } from "./neuron_formula.ts";
 * assert.deepEqual(inputNames(0, 2, ["x", "y2"]), ["x", "y²"]);
 * assert.deepEqual(inputNames(1, 2, ["x", "y"]), ["L0:0", "L0:1"]);
 * ```
 */
export function inputNames(
  layer: number,
  count: number,
  featureNames: readonly string[],
): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (layer > 0) return `L${layer - 1}:${i}`;
    const name = featureNames[i] as FeatureName | undefined;
    return name !== undefined && name in FEATURE_LABELS
      ? FEATURE_LABELS[name]
      : `x${i}`;
  });
}

/** What a neuron's formula is made of. */
export interface FormulaParts {
  activation: Activation;
  /** What each input is called (see {@linkcode inputNames}). */
  names: readonly string[];
  /** Each input's value at the point. */
  inputs: readonly number[];
  weights: readonly number[];
  bias: number;
  /** The neuron's output at the point (`MLP.activations`). */
  output: number;
}

/** A neuron's formula, twice: with the input names, and with their values. */
export interface Formula {
  /** `relu(0.41·x + -1.2·y + 0.33) = 0.89`. */
  symbolic: string;
  /** `relu(0.41·0.5 + -1.2·-0.3 + 0.33) = relu(0.89) = 0.89`. */
  plugged: string;
  /** The sum before the activation, as `MLP.activations` adds it up. */
  preActivation: number;
}

/**
 * A neuron's formula with its weights and bias plugged in, named inputs
 * first, then the point's values, ending in the neuron's output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuronFormula } from "./neuron_formula.ts";
 * const formula = neuronFormula({
 *   activation: "relu",
 *   names: ["x", "y"],
 *   inputs: [1, 2],
 *   weights: [0.5, -1],
 *   bias: 0.25,
 *   output: 0,
 * });
 * assert.equal(formula.symbolic, "relu(0.5·x + -1·y + 0.25) = 0");
 * assert.equal(formula.plugged, "relu(0.5·1 + -1·2 + 0.25) = relu(-1.25) = 0");
 * assert.equal(formula.preActivation, -1.25);
 * ```
 */
export function neuronFormula(parts: FormulaParts): Formula {
  const { activation, names, inputs, weights, bias, output } = parts;
  const f = formatShortNumber;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] * inputs[i];
  const preActivation = total + bias;
  const terms = (values: readonly string[]): string =>
    [...weights.map((w, i) => `${f(w)}·${values[i]}`), f(bias)].join(" + ");
  const wrap = (inside: string): string =>
    activation === "linear" ? inside : `${activation}(${inside})`;
  const result = f(output);
  const plugged = wrap(terms(inputs.map(f)));
  return {
    symbolic: `${wrap(terms(names))} = ${result}`,
    plugged: activation === "linear"
      ? `${plugged} = ${result}`
      : `${plugged} = ${activation}(${f(preActivation)}) = ${result}`,
    preActivation,
  };
}

/**
 * A number for a cell of the details table, at most 7 characters for every
 * size from 1e-9 to 1e9 (the table's four columns must fit a 194-pixel
 * column): 3 significant digits from 0.01 up to 10,000, 2 in exponent form
 * outside. The exact value stays in the cell's `data-value` and `title`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCell } from "./neuron_formula.ts";
 * assert.equal(formatCell(-0.012345), "-0.0123");
 * assert.equal(formatCell(0.41234567), "0.412");
 * assert.equal(formatCell(-0.00123), "-1.2e-3");
 * assert.equal(formatCell(123456), "1.2e5");
 * assert.equal(formatCell(1), "1");
 * assert.equal(formatCell(0), "0");
 * assert.equal(formatCell(-Infinity), "-∞");
 * ```
 */
export function formatCell(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size < 0.01 || size >= 1e4) {
    const [mantissa, exponent] = value.toExponential(1).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(3)));
}

/**
 * A number typed into the panel (a weight, a coordinate): trimmed, a
 * leading minus sign `−` read as `-`; `null` for an empty field or text
 * that is not a finite number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTyped } from "./neuron_formula.ts";
 * assert.equal(parseTyped(" −1.5 "), -1.5);
 * assert.equal(parseTyped("2e3"), 2000);
 * assert.equal(parseTyped(""), null);
 * assert.equal(parseTyped("abc"), null);
 * assert.equal(parseTyped("1e999"), null);
 * assert.equal(parseTyped("0x10"), null);
 * assert.equal(parseTyped(".5"), 0.5);
 * ```
 */
export function parseTyped(text: string): number | null {
  const trimmed = text.trim().replace(/^−/, "-");
  // A decimal number only: Number() would also read "0x10" as 16.
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** A decimal number as people type it: sign, digits, point, exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The largest size of a typed coordinate. Every input feature stays far
 * from overflow there (`x²`, `y²` and `x·y` at most 1e12; `sin x` is
 * bounded), so with ordinary weights every activation is a finite number;
 * a point beyond it says nothing about the data (which lies within a few
 * units of 0).
 */
export const POINT_LIMIT = 1e6;

/** A typed coordinate: its value, or why it was refused (a sentence). */
export type TypedCoordinate = { value: number } | { refused: string };

/**
 * Read the coordinate typed for `axis` of the point: a finite number of
 * size at most {@linkcode POINT_LIMIT}, or the reason it is refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCoordinate } from "./neuron_formula.ts";
 * assert.deepEqual(readCoordinate("0.25", "x"), { value: 0.25 });
 * assert.deepEqual(readCoordinate("", "y"), {
 *   refused: "y is empty: type a number from -1,000,000 to 1,000,000.",
 * });
 * assert.deepEqual(readCoordinate("1e300", "x"), {
 *   refused: "x = 1e300 is too far out: type a number from -1,000,000 to 1,000,000.",
 * });
 * ```
 */
export function readCoordinate(text: string, axis: string): TypedCoordinate {
  const range = `type a number from -${POINT_LIMIT.toLocaleString("en-US")} ` +
    `to ${POINT_LIMIT.toLocaleString("en-US")}.`;
  const typed = text.trim().replace(/^−/, "-");
  if (typed === "") return { refused: `${axis} is empty: ${range}` };
  const shown = typed.length > 24 ? `${typed.slice(0, 23)}…` : typed;
  const value = Number(typed);
  if (Number.isNaN(value)) {
    return { refused: `${axis} = "${shown}" is not a number: ${range}` };
  }
  if (!(Math.abs(value) <= POINT_LIMIT)) {
    return { refused: `${axis} = ${shown} is too far out: ${range}` };
  }
  return { value };
}
