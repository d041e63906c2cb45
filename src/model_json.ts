/**
 * Saving and loading an `MLP` as plain JSON: the {@linkcode MLPJson} format,
 * {@linkcode mlpToJSON} behind `MLP.toJSON` and {@linkcode validateMLPJson}
 * behind `MLP.fromJSON`. A file that loads predicts exactly what the saved
 * model did: JSON numbers round-trip doubles.
 *
 * (This file only reads models; `MLP.fromJSON` in `nn.ts` builds one from
 * the validated JSON, so the two files do not import each other at run time.)
 *
 * @module
 */

import { type Activation, checkActivation } from "./activation.ts";
import { checkPositiveInteger, describeArgument } from "./checks.ts";
import type { MLP } from "./nn.ts";

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
 * The model as {@linkcode MLPJson}: what `MLP.toJSON` returns. Throws a
 * `RangeError` (naming `MLP.toJSON` and the weight) if a weight is NaN or
 * infinite, since JSON cannot hold those and the file could not be loaded.
 *
 * @example
 * ```ts
 * import { MLP } from "./nn.ts";
 * import { mlpToJSON } from "./model_json.ts";
 * const json = mlpToJSON(new MLP(2, [3, 1]));
 * console.log(json.sizes, json.layers[1][0].weights.length); // [3, 1] 3
 * ```
 */
export function mlpToJSON(model: MLP): MLPJson {
  const layers = model.layers.map((layer, l) =>
    layer.neurons.map((neuron, j) => {
      const weights = neuron.weights.map((w, i) =>
        finiteWeight(w.data, `weight layers[${l}][${j}].weights[${i}]`)
      );
      const bias = finiteWeight(
        neuron.bias.data,
        `bias layers[${l}][${j}].bias`,
      );
      return { weights, bias };
    })
  );
  return {
    format: "micrograd-mlp",
    version: 1,
    nin: model.nin,
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
 * import { validateMLPJson } from "./model_json.ts";
 * const json = validateMLPJson(
 *   '{"format":"micrograd-mlp","version":1,"nin":1,"sizes":[1],' +
 *     '"activation":"relu","outputActivation":"linear",' +
 *     '"layers":[[{"weights":[2],"bias":0.5}]]}',
 * );
 * console.log(json.layers[0][0]); // { weights: [2], bias: 0.5 }
 * try {
 *   validateMLPJson({ ...json, sizes: [2] });
 * } catch (error) {
 *   console.log((error as Error).message);
 *   // MLP.fromJSON: json.layers[0] must have 2 neurons (json.sizes[0]), got 1
 * }
 * ```
 */
export function validateMLPJson(json: unknown): MLPJson {
  const where = "MLP.fromJSON";
  if (typeof json === "string") {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw new TypeError(
        `${where}: json is a string but not valid JSON (${
          (error as Error).message
        })`,
      );
    }
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new TypeError(
      `${where}: expected an object written by MLP.toJSON, got ${
        describeArgument(json)
      }`,
    );
  }
  const record = json as Record<string, unknown>;
  if (record.format !== "micrograd-mlp") {
    throw new TypeError(
      `${where}: json.format must be "micrograd-mlp", got ${
        describeArgument(record.format)
      }`,
    );
  }
  if (record.version !== 1) {
    throw new RangeError(
      `${where}: json.version must be 1 (the only format version), got ${
        describeArgument(record.version)
      }`,
    );
  }
  const nin = checkPositiveInteger(record.nin, `${where}: json.nin`);
  const sizes = record.sizes;
  if (!Array.isArray(sizes)) {
    throw new TypeError(
      `${where}: json.sizes must be an array of layer sizes, got ${
        describeArgument(sizes)
      }`,
    );
  }
  if (sizes.length === 0) {
    throw new RangeError(
      `${where}: json.sizes must list at least one layer size, got an empty array`,
    );
  }
  const checkedSizes = new Array<number>(sizes.length);
  for (let l = 0; l < sizes.length; l++) {
    checkedSizes[l] = checkPositiveInteger(
      sizes[l],
      `${where}: json.sizes[${l}]`,
    );
  }
  const activation = checkActivation(
    record.activation,
    `${where}: json.activation`,
  );
  const outputActivation = checkActivation(
    record.outputActivation,
    `${where}: json.outputActivation`,
  );
  const layers = record.layers;
  if (!Array.isArray(layers)) {
    throw new TypeError(
      `${where}: json.layers must be an array of layers, got ${
        describeArgument(layers)
      }`,
    );
  }
  if (layers.length !== checkedSizes.length) {
    throw new RangeError(
      `${where}: json.layers must have ${checkedSizes.length} layers (one per entry of json.sizes), got ${layers.length}`,
    );
  }
  const checkedLayers: NeuronJson[][] = [];
  let fanIn = nin;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    if (!Array.isArray(layer)) {
      throw new TypeError(
        `${where}: json.layers[${l}] must be an array of neurons, got ${
          describeArgument(layer)
        }`,
      );
    }
    if (layer.length !== checkedSizes[l]) {
      throw new RangeError(
        `${where}: json.layers[${l}] must have ${
          checkedSizes[l]
        } neurons (json.sizes[${l}]), got ${layer.length}`,
      );
    }
    const neurons = new Array<NeuronJson>(layer.length);
    for (let j = 0; j < layer.length; j++) {
      const path = `${where}: json.layers[${l}][${j}]`;
      neurons[j] = checkNeuron(layer[j], fanIn, l, path);
    }
    checkedLayers.push(neurons);
    fanIn = checkedSizes[l];
  }
  return {
    format: "micrograd-mlp",
    version: 1,
    nin,
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
  if (neuron === null || typeof neuron !== "object" || Array.isArray(neuron)) {
    throw new TypeError(
      `${path} must be an object { weights, bias }, got ${
        describeArgument(neuron)
      }`,
    );
  }
  const { weights, bias } = neuron as Record<string, unknown>;
  if (!Array.isArray(weights)) {
    throw new TypeError(
      `${path}.weights must be an array of ${fanIn} numbers, got ${
        describeArgument(weights)
      }`,
    );
  }
  if (weights.length !== fanIn) {
    throw new RangeError(
      `${path}.weights must have ${fanIn} numbers (one per input of layer ${l}), got ${weights.length}`,
    );
  }
  const checkedWeights = new Array<number>(fanIn);
  for (let i = 0; i < fanIn; i++) {
    checkedWeights[i] = checkFinite(weights[i], `${path}.weights[${i}]`);
  }
  return { weights: checkedWeights, bias: checkFinite(bias, `${path}.bias`) };
}

/** A weight for `MLP.toJSON`, which must be finite for the file to load back. */
function finiteWeight(value: number, name: string): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `MLP.toJSON: ${name} is ${value}; JSON can only hold finite weights (did training diverge?)`,
    );
  }
  return value;
}

function checkFinite(value: unknown, where: string): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${where} must be a finite number, got ${describeArgument(value)}`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `${where} must be a finite number, got ${describeArgument(value)}`,
    );
  }
  return value;
}
