/**
 * Export a trained {@linkcode MLP} as source code that runs without this
 * library: a PyTorch script (`torch.nn.Sequential` in float64 with the
 * weights inlined, and `predict`/`predict_class` functions) or a standalone
 * TypeScript/JavaScript module (no imports) whose `predict(x, y)` gives
 * exactly the numbers `MLP.predict` gives, bit for bit.
 *
 * Weights are written as the shortest decimal that reads back as the same
 * double (JavaScript's `String(x)`; Python's float parser rounds correctly
 * too), so no digit is lost in either language.
 *
 * Both outputs build the model's input vector in one function, `features`,
 * which applies the model's input features (`x2` is `x * x`, `sinx` is
 * `sin(x)`, ... as features.ts computes them; see {@linkcode inputFeatures}).
 * The sine is the library's own in the TypeScript module (written out, so
 * it gives the same bits in every engine) and `math.sin` in the PyTorch
 * script.
 *
 * @module
 */

import type { Activation } from "./activation.ts";
import { checkBoolean, checkName, checkOptions, failField } from "./checks.ts";
import {
  checkFeatures,
  type FeatureName,
  isIdentityFeatures,
} from "./features.ts";
import { MLP } from "./nn.ts";

/** The languages {@linkcode exportModel} writes. */
export type ExportFormat = "pytorch" | "typescript";

/**
 * Every {@linkcode ExportFormat}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EXPORT_FORMATS } from "./export.ts";
 * assert.deepEqual(EXPORT_FORMATS, ["pytorch", "typescript"]);
 * ```
 */
export const EXPORT_FORMATS: readonly ExportFormat[] = Object.freeze([
  "pytorch",
  "typescript",
]);

/** Options for {@linkcode exportModel}. */
export interface ExportOptions {
  /**
   * A note for the top of the file, e.g. where the model came from (a
   * playground URL or a command line). Each line becomes a comment.
   * Default: none.
   */
  comment?: string;
  /**
   * For `"typescript"`: `true` (the default) writes TypeScript with type
   * annotations; `false` writes the same module as plain JavaScript (for a
   * `.js`/`.mjs` file). Ignored by `"pytorch"`.
   */
  types?: boolean;
}

const EXPORT_OPTIONS = ["comment", "types"];

/** One layer as the exported code sees it: plain numbers, one activation. */
interface LayerData {
  activation: Activation;
  /** `weights[j]` holds neuron j's weights, one per input. */
  weights: number[][];
  biases: number[];
}

/** One input of the network as an expression of the point's `x` and `y`. */
export interface InputFeature {
  /** The feature's name, e.g. `"x2"` (see `FEATURE_NAMES`). */
  name: FeatureName;
  /**
   * The expression in TypeScript/JavaScript, e.g. `"x * x"`; `sin(x)` calls
   * the portable sine the module inlines (see {@linkcode exportModel}).
   */
  typescript: string;
  /**
   * The expression in Python, e.g. `"x * x"`; `sin(x)` calls the script's
   * `math.sin` that gives NaN (not an error) for an infinite x.
   */
  python: string;
}

/**
 * Each feature as code, computed as `featureValues` in features.ts computes
 * it (`x2` is `x * x`, not `x ** 2`: the same single rounding). A `Record`
 * over every `FeatureName`, so a new feature cannot be forgotten here.
 */
const FEATURE_CODE: Readonly<
  Record<FeatureName, Omit<InputFeature, "name">>
> = {
  x: { typescript: "x", python: "x" },
  y: { typescript: "y", python: "y" },
  x2: { typescript: "x * x", python: "x * x" },
  y2: { typescript: "y * y", python: "y * y" },
  xy: { typescript: "x * y", python: "x * y" },
  sinx: { typescript: "sin(x)", python: "sin(x)" },
  siny: { typescript: "sin(y)", python: "sin(y)" },
};

/**
 * The network's inputs as expressions of the point `(x, y)`, in input
 * order: the one place the exporters learn how a point becomes the input
 * vector. It is the model's input transform, `model.pointFeatures`: the
 * point itself `[x, y]` for a model without features, and e.g.
 * `[x * x, y * y]` for a model trained on `["x2", "y2"]`.
 *
 * Throws a `FieldRangeError` for a model that does not read a point (a
 * model with `nin` 3 and no features has no `predict(x, y)`), and a
 * `FieldTypeError`/`FieldRangeError` naming `model.features` when its
 * features are not a list of distinct `FEATURE_NAMES`, one per input (a
 * model altered after it was built): exporting it would silently predict
 * something else.
 *
 * @param model The model to export.
 * @param where The caller, for error messages.
 * @returns One expression per model input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { inputFeatures } from "./export.ts";
 * assert.deepEqual(inputFeatures(new MLP(2, [1])).map((f) => f.name), ["x", "y"]);
 * const circles = new MLP(2, [1], { features: ["x2", "y2"] });
 * assert.deepEqual(inputFeatures(circles).map((f) => f.typescript), ["x * x", "y * y"]);
 * assert.throws(() => inputFeatures(new MLP(3, [1])), { name: "FieldRangeError", field: "model.nin" });
 * ```
 */
export function inputFeatures(
  model: MLP,
  where = "inputFeatures",
): InputFeature[] {
  const names = model.pointFeatures;
  if (names === null) {
    failField(
      "range",
      where,
      "model.nin",
      "2 (the exported predict(x, y) reads a point: x, y)",
      model.nin,
    );
  }
  // The model's own check again: `features` is a plain property, and an
  // unknown name would otherwise become `undefined` in the exported code.
  const checked = checkFeatures(names, where, "model.features");
  if (checked.length !== model.nin) {
    failField(
      "range",
      where,
      "model.features",
      `a list of model.nin (${model.nin}) features, one per input`,
      names,
    );
  }
  return checked.map((name) => ({ name, ...FEATURE_CODE[name] }));
}

/** Whether the features call `sin` (and the exported code needs one). */
function usesSin(features: readonly InputFeature[]): boolean {
  return features.some((feature) => feature.name.startsWith("sin"));
}

/**
 * A double as source text that reads back as the same double: the shortest
 * round-trip decimal (`String(x)`; Python's float parser rounds correctly
 * too), with the sign of -0 kept and, for Python, `.0` on integers so that
 * it reads a float.
 */
function numberLiteral(x: number, python: boolean): string {
  const text = Object.is(x, -0) ? "-0" : String(x);
  return python && /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** The model's weights as plain numbers, refusing what code cannot hold. */
function layerData(model: MLP, where: string): LayerData[] {
  return model.layers.map((layer, l) => {
    const activation = layer.neurons[0].activation;
    const weights: number[][] = [];
    const biases: number[] = [];
    layer.neurons.forEach((neuron, j) => {
      const field = `model.layers[${l}].neurons[${j}]`;
      if (neuron.activation !== activation) {
        // torch.nn.Sequential applies one activation to a whole layer.
        failField(
          "range",
          where,
          `${field}.activation`,
          `"${activation}", the activation of the layer's first neuron`,
          neuron.activation,
        );
      }
      weights.push(
        neuron.weights.map((w, i) =>
          finite(w.data, where, `${field}.weights[${i}]`)
        ),
      );
      biases.push(finite(neuron.bias.data, where, `${field}.bias`));
    });
    return { activation, weights, biases };
  });
}

/** A weight, refused when NaN or infinite: a diverged model is not worth exporting. */
function finite(x: number, where: string, field: string): number {
  if (!Number.isFinite(x)) {
    failField(
      "range",
      where,
      field,
      "a finite number (the model has diverged)",
      x,
    );
  }
  return x;
}

/** `// ` (or `# `) before each line of the user's note. */
function commentLines(comment: string | undefined, prefix: string): string {
  if (comment === undefined || comment === "") return "";
  return comment.split(/\r\n|\r|\n/)
    .map((line) => `${prefix}${line}`.trimEnd())
    .join("\n") + "\n";
}

/**
 * `MLP 2-16-16-1 (relu hidden layers, linear output)`, and the features
 * when they are not the point itself: `MLP 2-1 (no hidden layer, linear
 * output) on features x2, y2`.
 */
function describeModel(
  model: MLP,
  layers: readonly LayerData[],
  features: readonly InputFeature[],
): string {
  const shape = [model.nin, ...model.sizes].join("-");
  const output = layers[layers.length - 1].activation;
  const hidden = layers.slice(0, -1).map((layer) => layer.activation);
  const kinds = [...new Set(hidden)];
  const names = features.map((feature) => feature.name);
  return `MLP ${shape} (${
    kinds.length === 0 ? "no hidden layer" : `${kinds.join("/")} hidden layers`
  }, ${output} output)${
    isIdentityFeatures(names) ? "" : ` on features ${names.join(", ")}`
  }`;
}

/** A list of numbers as one line of source. */
function numberList(values: readonly number[], python: boolean): string {
  return `[${values.map((x) => numberLiteral(x, python)).join(", ")}]`;
}

// ---------------------------------------------------------------------------
// TypeScript / JavaScript

/**
 * The exported module's `sin`: `accurateSin` of portable_math.ts written out
 * (`Math.sin` differs between engines in the last bit, and the library's
 * `sinx`/`siny` features do not use it). It performs accurateSin's
 * operations in accurateSin's order: the same reduction with π/2 in three
 * parts, the same Taylor series (sinSmall for even quarter turns, cosSmall
 * for odd ones: the loop from k = 2 or k = 1 to 22 runs exactly their
 * steps) and a final negation, which is exact. Keep it in step with
 * portable_math.ts: tests/export.test.ts compares it with accurateSin bit
 * for bit on thousands of inputs, multiples of π, huge and tiny ones, NaN,
 * ±Infinity and -0.
 *
 * @param t Writes a type annotation, or nothing for plain JavaScript.
 */
function typescriptSin(t: (annotation: string) => string): string {
  return `/**
 * sin(x) with the bits micrograd-ts computes (its accurateSin), identical in
 * every engine, unlike Math.sin; NaN for NaN and ±Infinity.
 */
function sin(x${t(": number")})${t(": number")} {
  if (!Number.isFinite(x)) return NaN;
  // x = n·π/2 + r with |r| <= π/4; π/2 in three parts (fdlibm's) keeps r
  // precise next to a multiple of π.
  const n = Math.round(x * 6.36619772367581382433e-01);
  const r = ((x - n * 1.57079632673412561417e+00) -
    n * 6.07710050630396597660e-11) - n * 2.02226624879595063154e-21;
  const quarter = ((n % 4) + 4) % 4;
  // Taylor series of sin r (even quarter turns) or cos r (odd ones).
  const odd = quarter % 2 === 1;
  const r2 = r * r;
  let term = odd ? 1 : r;
  let sum = term;
  for (let k = odd ? 1 : 2; k <= 22; k += 2) {
    term *= -r2 / (k * (k + 1));
    sum += term;
  }
  return quarter >= 2 ? -sum : sum;
}

`;
}

/**
 * The TypeScript or JavaScript module. Its arithmetic repeats
 * `MLP.activations` step by step (the sum starts at 0, adds `w[i] * x[i]`
 * left to right, then the bias) and its activations are the kernels of
 * `ops.ts` (`reluForward`, `tanhForward`, `sigmoidForward`), so the numbers
 * are identical; tests/export.test.ts checks it.
 */
function typescriptSource(
  model: MLP,
  layers: readonly LayerData[],
  features: readonly InputFeature[],
  comment: string | undefined,
  types: boolean,
): string {
  const t = (annotation: string): string => (types ? annotation : "");
  const layerText = layers.map((layer) =>
    `  {\n    activation: "${layer.activation}",\n    weights: [\n${
      layer.weights.map((row) => `      ${numberList(row, false)},\n`).join("")
    }    ],\n    biases: ${numberList(layer.biases, false)},\n  },\n`
  ).join("");
  return `${commentLines(comment, "// ")}// A micrograd-ts ${
    describeModel(model, layers, features)
  }, exported by exportModel.
// predict(x, y) gives exactly the numbers MLP.predict gives (the same
// operations in the same order). No imports, no dependencies.
${
    types
      ? `
/** A layer: neuron j computes activation(weights[j] · inputs + biases[j]). */
interface Layer {
  activation: "relu" | "tanh" | "sigmoid" | "linear";
  weights: number[][];
  biases: number[];
}
`
      : ""
  }
const LAYERS${t(": Layer[]")} = [
${layerText}];

${
    usesSin(features)
      ? typescriptSin(t)
      : ""
  }/** The model's input vector for the point (x, y). */
export function features(x${t(": number")}, y${t(": number")})${
    t(": number[]")
  } {
  return [${features.map((feature) => feature.typescript).join(", ")}];
}

function activate(activation${t(': Layer["activation"]')}, z${t(": number")})${
    t(": number")
  } {
  switch (activation) {
    case "relu":
      // NaN passes through, as in PyTorch.
      return z > 0 || Number.isNaN(z) ? z : 0;
    case "tanh":
      return Math.tanh(z);
    case "sigmoid": {
      // Never overflows: e^z / (1 + e^z) for negative z.
      if (z >= 0) return 1 / (1 + Math.exp(-z));
      const e = Math.exp(z);
      return e / (1 + e);
    }
    default:
      return z;
  }
}

/** The model's raw outputs (scores) for the point (x, y). */
export function predict(x${t(": number")}, y${t(": number")})${
    t(": number[]")
  } {
  let inputs = features(x, y);
  for (const layer of LAYERS) {
    const outputs${t(": number[]")} = [];
    for (let j = 0; j < layer.biases.length; j++) {
      const weights = layer.weights[j];
      let total = 0;
      for (let i = 0; i < weights.length; i++) total += weights[i] * inputs[i];
      outputs.push(activate(layer.activation, total + layer.biases[j]));
    }
    inputs = outputs;
  }
  return inputs;
}

/**
 * The predicted class: with one output, 1 when the score is > 0 and 0
 * otherwise; with several, the index of the largest (the first on a tie);
 * -1 when a score is NaN or infinite.
 */
export function predictClass(x${t(": number")}, y${t(": number")})${
    t(": number")
  } {
  const scores = predict(x, y);
  if (!scores.every(Number.isFinite)) return -1;
  if (scores.length === 1) return scores[0] > 0 ? 1 : 0;
  return scores.indexOf(Math.max(...scores));
}
`;
}

// ---------------------------------------------------------------------------
// PyTorch

/** The torch module after each activation (none after `linear`). */
const TORCH_ACTIVATIONS: Readonly<Record<Activation, string | null>> = {
  relu: "torch.nn.ReLU()",
  tanh: "torch.nn.Tanh()",
  sigmoid: "torch.nn.Sigmoid()",
  linear: null,
};

/**
 * The script's `sin`: `math.sin` in float64 (it agrees with the library's
 * accurateSin to an ulp or so), with NaN for an infinite argument, where
 * `math.sin` raises and the library gives NaN.
 */
const PYTHON_SIN = `def sin(t):
    """sin t in float64; NaN (not an error) for an infinite t, as in micrograd-ts."""
    return math.sin(t) if math.isfinite(t) else math.nan


`;

/**
 * The PyTorch script: one `torch.nn.Linear` per layer (float64, weights
 * copied in from the inlined lists) followed by its activation, in a
 * `torch.nn.Sequential`. PyTorch sums in its own order, so its outputs
 * agree with ours to about 1e-15, not bit for bit.
 */
function pytorchSource(
  model: MLP,
  layers: readonly LayerData[],
  features: readonly InputFeature[],
  comment: string | undefined,
): string {
  const modules = layers.flatMap((layer, l) => {
    const activation = TORCH_ACTIVATIONS[layer.activation];
    const linear = `    linear(WEIGHTS[${l}], BIASES[${l}]),`;
    return activation === null ? [linear] : [linear, `    ${activation},`];
  });
  const lists = (pick: (layer: LayerData) => string): string =>
    layers.map((layer, l) =>
      `    # layer ${l} (${layer.activation})\n${pick(layer)}`
    )
      .join("");
  return `#!/usr/bin/env python3
${commentLines(comment, "# ")}"""A micrograd-ts ${
    describeModel(model, layers, features)
  }, exported by exportModel.

Computes in float64. Run it with a point to print the scores and the class:

    python3 this_file.py 0.5 -0.25

or import it and call predict(x, y), predict_class(x, y) or model(inputs).
"""

import math
import sys

import torch

# WEIGHTS[l][j] holds the weights of neuron j of layer l (one per input),
# BIASES[l][j] its bias: torch.nn.Linear's weight and bias.
WEIGHTS = [
${
    lists((layer) =>
      `    [\n${
        layer.weights.map((row) => `        ${numberList(row, true)},\n`).join(
          "",
        )
      }    ],\n`
    )
  }]
BIASES = [
${lists((layer) => `    ${numberList(layer.biases, true)},\n`)}]


def linear(weights, biases):
    """A float64 torch.nn.Linear holding exactly these weights and biases."""
    layer = torch.nn.Linear(len(weights[0]), len(weights), dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(weights, dtype=torch.float64))
        layer.bias.copy_(torch.tensor(biases, dtype=torch.float64))
    return layer


model = torch.nn.Sequential(
${modules.join("\n")}
)


${usesSin(features) ? PYTHON_SIN : ""}def features(x, y):
    """The model's input vector for the point (x, y)."""
    return [${features.map((feature) => feature.python).join(", ")}]


def predict(x, y):
    """The model's raw outputs (scores) for the point (x, y), as floats."""
    inputs = torch.tensor([features(float(x), float(y))], dtype=torch.float64)
    with torch.no_grad():
        return model(inputs)[0].tolist()


def predict_class(x, y):
    """The predicted class: with one output, 1 when the score is > 0 and 0
    otherwise; with several, the index of the largest (the first on a tie);
    -1 when a score is NaN or infinite."""
    scores = predict(x, y)
    if not all(math.isfinite(score) for score in scores):
        return -1
    if len(scores) == 1:
        return 1 if scores[0] > 0 else 0
    return scores.index(max(scores))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} X Y")
    point = (float(sys.argv[1]), float(sys.argv[2]))
    print("scores:", predict(*point))
    print("class:", predict_class(*point))
`;
}

// ---------------------------------------------------------------------------

/**
 * The model as source code that runs without this library.
 *
 * - `"pytorch"`: a Python script defining `model` (a float64
 *   `torch.nn.Sequential` of `Linear` layers and their activations, with the
 *   weights inlined exactly), `features(x, y)` (the model's input
 *   features of the point, in float64), `predict(x, y)` (the raw outputs as
 *   floats) and `predict_class(x, y)` (the class by
 *   {@linkcode predictClass}'s rule). PyTorch sums in its own order and
 *   `math.sin` is not the library's sine, so its outputs equal ours to about
 *   1e-15 rather than bit for bit.
 * - `"typescript"`: a module with no imports exporting `features(x, y)`,
 *   `predict(x, y): number[]` and `predictClass(x, y): number`, whose
 *   numbers equal {@linkcode MLP.predict}'s bit for bit, input features
 *   (sine included) too.
 *
 * Throws a `FieldTypeError` when `model` is not an `MLP` or an option has
 * the wrong type, and a `FieldRangeError` for an unknown format or option,
 * a model whose inputs are not a point `(x, y)` (see
 * {@linkcode inputFeatures}: also features that are not valid), or a NaN or
 * infinite weight.
 *
 * @param model The model to export (its current weights).
 * @param format `"pytorch"` or `"typescript"`.
 * @param options A comment for the top of the file; `types: false` for
 *   plain JavaScript.
 * @returns The source text, ending in a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { exportModel } from "./export.ts";
 * const model = new MLP(2, [4, 1], { seed: 3 });
 * const python = exportModel(model, "pytorch");
 * assert.match(python, /model = torch\.nn\.Sequential\(/);
 * assert.match(python, /def predict\(x, y\):/);
 * const typescript = exportModel(model, "typescript", { comment: "demo" });
 * assert.ok(typescript.startsWith("// demo\n"));
 * assert.match(typescript, /export function predict\(x: number, y: number\): number\[\]/);
 * const circles = new MLP(2, [1], { features: ["x2", "y2"], seed: 3 });
 * assert.match(exportModel(circles, "pytorch"), /return \[x \* x, y \* y\]/);
 * assert.throws(() => exportModel(model, "onnx" as never), {
 *   name: "FieldRangeError",
 *   message: 'exportModel: format must be one of "pytorch" or "typescript", got a string ("onnx")',
 * });
 * assert.throws(() => exportModel(model.toJSON() as never, "pytorch"), { name: "FieldTypeError" });
 * assert.throws(() => exportModel(model, "typescript", { type: false } as never), /did you mean "types"/);
 * ```
 */
export function exportModel(
  model: MLP,
  format: ExportFormat,
  options: ExportOptions = {},
): string {
  const where = "exportModel";
  if (!(model instanceof MLP)) {
    failField(
      "type",
      where,
      "model",
      "an MLP (MLP.fromJSON turns a saved model back into one)",
      model,
    );
  }
  checkName(format, where, "format", EXPORT_FORMATS);
  const given = checkOptions(options, where, EXPORT_OPTIONS);
  const comment = given.comment;
  if (comment !== undefined && typeof comment !== "string") {
    failField("type", where, "options.comment", "a string", comment);
  }
  const types = checkBoolean(given.types ?? true, where, "options.types");
  const features = inputFeatures(model, where);
  const layers = layerData(model, where);
  return format === "pytorch"
    ? pytorchSource(model, layers, features, comment)
    : typescriptSource(model, layers, features, comment, types);
}
