/**
 * Saving and loading an `MLP` as plain JSON: the {@linkcode MLPJson} format,
 * {@linkcode mlpToJSON} behind `MLP.toJSON` and {@linkcode validateMLPJson}
 * behind `MLP.fromJSON`. A file that loads predicts exactly what the saved
 * model did: JSON numbers round-trip doubles.
 *
 * This file knows only plain data: {@linkcode mlpToJSON} reads any object
 * shaped like a model ({@linkcode ModelWeights}) and `MLP.fromJSON` in
 * `nn.ts` builds a model from the validated JSON, so `nn.ts` imports this
 * file and never the other way round (not even for a type).
 *
 * @module
 */

import { type Activation, ACTIVATIONS } from "./activation.ts";
import { checkFeatures, type FeatureName } from "./features.ts";
import {
  checkName,
  checkNumber,
  describeArgument,
  failField,
  FieldRangeError,
  FieldTypeError,
  isPlainObject,
} from "./checks.ts";

/** One neuron in {@linkcode MLPJson}: its weights (one per input) and bias. */
export interface NeuronJson {
  /** One weight per input of the neuron. */
  weights: number[];
  /** The bias. */
  bias: number;
}

/**
 * The plain-JSON form of an `MLP` written by `MLP.toJSON` and read by
 * `MLP.fromJSON`. `layers[l][j]` is neuron `j` of layer `l`; the neurons of
 * layer 0 have `nin` weights, those of layer `l` have `sizes[l - 1]`.
 */
export interface MLPJson {
  /** Always `"micrograd-mlp"`: tells this file apart from other JSON. */
  format: "micrograd-mlp";
  /** Format version, currently 1. */
  version: 1;
  /** Number of inputs. */
  nin: number;
  /**
   * The input features the model reads a point `(x, y)` through (`nin` of
   * them), when it has any. A file without them is read as a model of raw
   * inputs; for 2 inputs that is `["x", "y"]`, as files written before
   * features existed mean.
   */
  features?: FeatureName[];
  /** Number of neurons in each layer, the last being the outputs. */
  sizes: number[];
  /** Activation of the hidden layers. */
  activation: Activation;
  /** Activation of the last layer. */
  outputActivation: Activation;
  /** The weights and biases, layer by layer, neuron by neuron. */
  layers: NeuronJson[][];
}

/**
 * What {@linkcode mlpToJSON} reads from a model: an `MLP` has this shape
 * (its weights and biases are `Value`s, whose `data` is read).
 */
export interface ModelWeights {
  /** Number of inputs. */
  readonly nin: number;
  /** The input features, or `null`/absent for raw inputs. */
  readonly features?: readonly FeatureName[] | null;
  /** Number of neurons in each layer. */
  readonly sizes: readonly number[];
  /** Activation of the hidden layers. */
  readonly activation: Activation;
  /** Activation of the last layer. */
  readonly outputActivation: Activation;
  /** The layers, input side first, each a list of neurons. */
  readonly layers: readonly {
    readonly neurons: readonly {
      readonly weights: readonly { readonly data: number }[];
      readonly bias: { readonly data: number };
    }[];
  }[];
}

/**
 * The model as {@linkcode MLPJson}: what `MLP.toJSON` returns. Throws a
 * `RangeError` (naming `MLP.toJSON` and the weight) if a weight is NaN or
 * infinite, since JSON cannot hold those and the file could not be loaded.
 *
 * @param model An `MLP`, or anything of the same shape.
 * @returns Its plain-JSON form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mlpToJSON } from "./model_json.ts";
 * const json = mlpToJSON({
 *   nin: 1,
 *   sizes: [1],
 *   activation: "relu",
 *   outputActivation: "linear",
 *   layers: [{ neurons: [{ weights: [{ data: 2 }], bias: { data: 0.5 } }] }],
 * });
 * assert.deepEqual(json.layers, [[{ weights: [2], bias: 0.5 }]]);
 * assert.throws(
 *   () => mlpToJSON({ ...json, layers: [{ neurons: [{ weights: [{ data: NaN }], bias: { data: 0 } }] }] }),
 *   { name: "FieldRangeError", message: /layers\[0\]\[0\]\.weights\[0\] is NaN/ },
 * );
 * ```
 */
export function mlpToJSON(model: ModelWeights): MLPJson {
  const layers = model.layers.map((layer, l) =>
    layer.neurons.map((neuron, j) => {
      const weights = neuron.weights.map((w, i) =>
        finiteWeight(w.data, "weight", `layers[${l}][${j}].weights[${i}]`)
      );
      const bias = finiteWeight(
        neuron.bias.data,
        "bias",
        `layers[${l}][${j}].bias`,
      );
      return { weights, bias };
    })
  );
  return {
    format: "micrograd-mlp",
    version: 1,
    nin: model.nin,
    ...(model.features ? { features: [...model.features] } : {}),
    sizes: [...model.sizes],
    activation: model.activation,
    outputActivation: model.outputActivation,
    layers,
  };
}

/**
 * Check that `json` is a model file written by `MLP.toJSON` (an object, or
 * a JSON string) and return a fresh {@linkcode MLPJson} holding just its
 * fields. Everything is checked: format and version, `nin` and `sizes`,
 * activation names, that every layer has `sizes[l]` neurons with the right
 * number of weights, that every number is finite. Otherwise it throws a
 * `TypeError` or `RangeError` naming the field; the messages start with
 * `MLP.fromJSON`, its caller.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateMLPJson } from "./model_json.ts";
 * const json = validateMLPJson(
 *   '{"format":"micrograd-mlp","version":1,"nin":1,"sizes":[1],' +
 *     '"activation":"relu","outputActivation":"linear",' +
 *     '"layers":[[{"weights":[2],"bias":0.5}]]}',
 * );
 * assert.deepEqual(json.layers[0][0], { weights: [2], bias: 0.5 });
 * assert.throws(() => validateMLPJson({ ...json, sizes: [2] }), {
 *   name: "FieldRangeError",
 *   message: "MLP.fromJSON: json.layers[0] must have 2 neurons (json.sizes[0]), got 1",
 * });
 * ```
 */
export function validateMLPJson(json: unknown): MLPJson {
  const where = "MLP.fromJSON";
  if (typeof json === "string") {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw new FieldTypeError(
        `${where}: json is a string but not valid JSON (${
          (error as Error).message
        })`,
        { field: "json", allowed: "a model object or its JSON text" },
      );
    }
  }
  if (!isPlainObject(json)) {
    throw new FieldTypeError(
      `${where}: expected an object written by MLP.toJSON, got ${
        describeArgument(json)
      }`,
      { field: "json", allowed: "a model object or its JSON text" },
    );
  }
  const record = json as Record<string, unknown>;
  if (record.format !== "micrograd-mlp") {
    failField("type", where, "json.format", '"micrograd-mlp"', record.format);
  }
  if (record.version !== 1) {
    failField(
      "range",
      where,
      "json.version",
      "1 (the only format version)",
      record.version,
    );
  }
  const nin = checkSize(record.nin, "json.nin");
  const features = record.features === undefined
    ? undefined
    : checkFeatures(record.features, where, "json.features");
  if (features !== undefined && features.length !== nin) {
    throw new FieldRangeError(
      `${where}: json.features must list json.nin (${nin}) features, one per input, got ${features.length}`,
      { field: "json.features", allowed: `${nin} features` },
    );
  }
  const sizes = record.sizes;
  if (!Array.isArray(sizes)) {
    failField("type", where, "json.sizes", "an array of layer sizes", sizes);
  }
  if (sizes.length === 0) {
    throw new FieldRangeError(
      `${where}: json.sizes must list at least one layer size, got an empty array`,
      { field: "json.sizes", allowed: "a non-empty array of layer sizes" },
    );
  }
  const checkedSizes = new Array<number>(sizes.length);
  for (let l = 0; l < sizes.length; l++) {
    checkedSizes[l] = checkSize(sizes[l], `json.sizes[${l}]`);
  }
  const activation = checkName(
    record.activation,
    where,
    "json.activation",
    ACTIVATIONS,
  );
  const outputActivation = checkName(
    record.outputActivation,
    where,
    "json.outputActivation",
    ACTIVATIONS,
  );
  const layers = record.layers;
  if (!Array.isArray(layers)) {
    failField("type", where, "json.layers", "an array of layers", layers);
  }
  if (layers.length !== checkedSizes.length) {
    throw new FieldRangeError(
      `${where}: json.layers must have ${checkedSizes.length} layers (one per entry of json.sizes), got ${layers.length}`,
      { field: "json.layers", allowed: `${checkedSizes.length} layers` },
    );
  }
  const checkedLayers: NeuronJson[][] = [];
  let fanIn = nin;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    if (!Array.isArray(layer)) {
      failField(
        "type",
        where,
        `json.layers[${l}]`,
        "an array of neurons",
        layer,
      );
    }
    if (layer.length !== checkedSizes[l]) {
      throw new FieldRangeError(
        `${where}: json.layers[${l}] must have ${
          checkedSizes[l]
        } neurons (json.sizes[${l}]), got ${layer.length}`,
        { field: `json.layers[${l}]`, allowed: `${checkedSizes[l]} neurons` },
      );
    }
    const neurons = new Array<NeuronJson>(layer.length);
    for (let j = 0; j < layer.length; j++) {
      neurons[j] = checkNeuron(layer[j], fanIn, l, `json.layers[${l}][${j}]`);
    }
    checkedLayers.push(neurons);
    fanIn = checkedSizes[l];
  }
  return {
    format: "micrograd-mlp",
    version: 1,
    nin,
    ...(features === undefined ? {} : { features }),
    sizes: checkedSizes,
    activation,
    outputActivation,
    layers: checkedLayers,
  };
}

/** Check one neuron `{ weights, bias }` of layer `l`, which has `fanIn` inputs. */
function checkNeuron(
  neuron: unknown,
  fanIn: number,
  l: number,
  path: string,
): NeuronJson {
  const where = "MLP.fromJSON";
  if (!isPlainObject(neuron)) {
    failField("type", where, path, "an object { weights, bias }", neuron);
  }
  const { weights, bias } = neuron;
  if (!Array.isArray(weights)) {
    failField(
      "type",
      where,
      `${path}.weights`,
      `an array of ${fanIn} numbers`,
      weights,
    );
  }
  if (weights.length !== fanIn) {
    throw new FieldRangeError(
      `${where}: ${path}.weights must have ${fanIn} numbers (one per input of layer ${l}), got ${weights.length}`,
      { field: `${path}.weights`, allowed: `an array of ${fanIn} numbers` },
    );
  }
  const checkedWeights = new Array<number>(fanIn);
  for (let i = 0; i < fanIn; i++) {
    checkedWeights[i] = checkNumber(weights[i], where, `${path}.weights[${i}]`);
  }
  return {
    weights: checkedWeights,
    bias: checkNumber(bias, where, `${path}.bias`),
  };
}

/** A weight for `MLP.toJSON`, which must be finite for the file to load back. */
function finiteWeight(value: number, kind: string, field: string): number {
  if (!Number.isFinite(value)) {
    throw new FieldRangeError(
      `MLP.toJSON: ${kind} ${field} is ${value}; JSON can only hold finite weights (did training diverge?)`,
      { field, allowed: "a finite number" },
    );
  }
  return value;
}

/** Check a size in the file (`nin`, `sizes[l]`): a positive integer. */
function checkSize(value: unknown, field: string): number {
  return checkNumber(
    value,
    "MLP.fromJSON",
    field,
    { min: 1, integer: true },
    "a positive integer",
  );
}
