/**
 * Neural networks built from {@linkcode Value}s: a {@linkcode Neuron} is a
 * weighted sum plus a bias passed through an activation, a {@linkcode Layer}
 * is a list of neurons reading the same inputs, and an {@linkcode MLP} is a
 * stack of layers. Same structure as micrograd's `nn.py`, with seeded
 * initialisation, a graph-free {@linkcode MLP.predict} and JSON round trips.
 * The nonlinearities live in `activation.ts`, the weight initialisations in
 * `initialization.ts`, the JSON format in `model_json.ts`.
 *
 * @module
 */

import {
  activate,
  activateValue,
  type Activation,
  ACTIVATIONS,
} from "./activation.ts";
import {
  checkName,
  checkNumber,
  checkOptions,
  checkSeed,
  failField,
} from "./checks.ts";
import { Value } from "./engine.ts";
import {
  checkFeatures,
  DEFAULT_FEATURES,
  type FeatureName,
  featureNodes,
  featureValues,
  isIdentityFeatures,
} from "./features.ts";
import {
  drawWeight,
  type Initialization,
  INITIALIZATIONS,
} from "./initialization.ts";
import { type MLPJson, mlpToJSON, validateMLPJson } from "./model_json.ts";
import { Rng } from "./random.ts";
import { checkArray, checkValues } from "./value_checks.ts";
import { displayOf, type MimeBundle } from "./display.ts";

/** The seed used when neither `seed` nor `rng` is given (micrograd's demo seed). */
const DEFAULT_SEED = 1337;

/** Options for {@linkcode MLP}. */
export interface MLPOptions {
  /** Activation of every hidden layer. Default `"relu"`. */
  activation?: Activation;
  /** Activation of the last layer. Default `"linear"` (raw scores, as in micrograd). */
  outputActivation?: Activation;
  /** How the initial weights are drawn. Default `"uniform"` (micrograd's `U(-1, 1)`). */
  init?: Initialization;
  /** Seed for the initial weights. Default 1337. Give `seed` or `rng`, not both. */
  seed?: number;
  /** A generator to draw the initial weights from (advanced by the draws). */
  rng?: Rng;
  /**
   * Read a point `(x, y)` of the plane through these input features (see
   * `features.ts`): `forward`, `predict` and `activations` then take the
   * point's two coordinates, and `nin` must be `features.length` (the
   * first layer's inputs). Default: none, the inputs go in as they are.
   */
  features?: readonly FeatureName[];
}

/** Options for a single {@linkcode Neuron}. */
export interface NeuronOptions {
  /** Default `"relu"`. */
  activation?: Activation;
  /** Default `"uniform"`. */
  init?: Initialization;
  /** Number of neurons in the neuron's layer; only `"xavier"` uses it. Default 1. */
  fanOut?: number;
  /** Seed for the weights. Default 1337. Give `seed` or `rng`, not both. */
  seed?: number;
  /** A generator to draw the weights from. */
  rng?: Rng;
  /** Prefix for the parameters' labels, e.g. `"L0.N3."`. Default `""`. */
  labelPrefix?: string;
}

/** Options for a {@linkcode Layer}. */
export interface LayerOptions {
  /** Default `"relu"`. */
  activation?: Activation;
  /** Default `"uniform"`. */
  init?: Initialization;
  /** Seed for the weights. Default 1337. Give `seed` or `rng`, not both. */
  seed?: number;
  /** A generator to draw the weights from. */
  rng?: Rng;
  /** Prefix for the parameters' labels, e.g. `"L0."`. Default `""`. */
  labelPrefix?: string;
}

// ---------------------------------------------------------------------------
// Validation helpers

/** The option names of each module, for the unknown-key check. */
const MLP_OPTIONS = [
  "activation",
  "outputActivation",
  "init",
  "seed",
  "rng",
  "features",
];
const LAYER_OPTIONS = ["activation", "init", "seed", "rng", "labelPrefix"];
const NEURON_OPTIONS = [...LAYER_OPTIONS, "fanOut"];

/** A size: a positive integer. */
const SIZE_BOUNDS = { min: 1, integer: true } as const;

/** Check a size argument such as `nin`, `nout` or `nouts[2]`. */
function checkSize(value: unknown, where: string, field: string): number {
  return checkNumber(value, where, field, SIZE_BOUNDS, "a positive integer");
}

/** What every module's options resolve to. */
interface ResolvedOptions {
  activation: Activation;
  init: Initialization;
  labelPrefix: string;
  rng: Rng;
}

/**
 * Check a module's options object (no unknown keys, known values) and
 * resolve the defaults every module shares: relu, uniform initialisation, no
 * label prefix, and a generator from `seed` (default 1337) or `rng`.
 */
function resolveOptions(
  options: unknown,
  where: string,
  known: readonly string[],
): ResolvedOptions & Record<string, unknown> {
  const given = checkOptions(options, where, known);
  const activation = checkName(
    given.activation ?? "relu",
    where,
    "activation",
    ACTIVATIONS,
  );
  const init = checkName(
    given.init ?? "uniform",
    where,
    "init",
    INITIALIZATIONS,
  );
  const labelPrefix = given.labelPrefix ?? "";
  if (typeof labelPrefix !== "string") {
    failField("type", where, "labelPrefix", "a string", labelPrefix);
  }
  return {
    ...given,
    activation,
    init,
    labelPrefix,
    rng: resolveRng(given, where),
  };
}

/** Resolve `seed`/`rng` options into the generator to draw from. */
function resolveRng(options: Record<string, unknown>, where: string): Rng {
  if (options.rng === undefined) {
    return new Rng(checkSeed(options.seed ?? DEFAULT_SEED, where, "seed"));
  }
  if (options.seed !== undefined) {
    failField(
      "type",
      where,
      "rng",
      "absent when seed is given (give either seed or rng, not both)",
      options.rng,
    );
  }
  if (!(options.rng instanceof Rng)) {
    failField("type", where, "rng", "an Rng", options.rng);
  }
  return options.rng;
}

/** Check `x` is an array of `length` Values (the input of a neuron or layer). */
function checkInput(x: unknown, length: number, where: string): void {
  checkValues(x, where, "x", "Values", length, "the number of inputs");
}

/**
 * A neuron's output as a graph, `activation(w · x + b)`, without checking
 * `x` (the callers check it once for a whole layer).
 */
function neuronOutput(neuron: Neuron, x: readonly Value[]): Value {
  return activateValue(
    neuron.activation,
    Value.dot(neuron.weights, x).add(neuron.bias),
  );
}

// ---------------------------------------------------------------------------
// Modules

/**
 * Anything with trainable parameters. Subclasses list their parameters;
 * {@linkcode Module.zeroGrad} resets their gradients before a backward pass
 * (gradients accumulate otherwise, as in PyTorch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * const model = new MLP(2, [3, 1]);
 * model.parameters()[0].grad = 5;
 * model.zeroGrad();
 * assert.ok(model.parameters().every((p) => p.grad === 0));
 * ```
 */
export abstract class Module {
  /**
   * The trainable values of this module, in a fixed documented order.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Neuron } from "./nn.ts";
   * assert.equal(new Neuron(3).parameters().length, 4); // 3 weights + bias
   * ```
   */
  abstract parameters(): Value[];

  /**
   * Set the gradient of every parameter to 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Layer } from "./nn.ts";
   * const layer = new Layer(2, 2);
   * layer.parameters()[1].grad = 1;
   * layer.zeroGrad();
   * assert.equal(layer.parameters()[1].grad, 0);
   * ```
   */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

/**
 * One neuron: `activation(w · x + b)`.
 *
 * Its forward pass is `activation(Value.dot(weights, x).add(bias))`: the
 * weighted sum is a single `dot` node (not a chain of 2n multiplications and
 * additions), so a neuron adds 2 nodes to the graph, 3 with a nonlinearity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { Neuron } from "./nn.ts";
 * const neuron = new Neuron(2, { activation: "tanh", seed: 1 });
 * const out = neuron.forward([new Value(1), new Value(-2)]);
 * assert.ok(out.data > -1 && out.data < 1);
 * ```
 */
export class Neuron extends Module {
  /** One weight per input, drawn at construction. */
  weights: Value[];
  /** The bias, 0 at construction. */
  bias: Value;
  /** The nonlinearity applied to the weighted sum. */
  activation: Activation;

  /**
   * A neuron with `nin` inputs. Draws its `nin` weights in order from the
   * generator (see {@linkcode Initialization}); the bias starts at 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Neuron } from "./nn.ts";
   * const neuron = new Neuron(3, { init: "he", seed: 7 });
   * assert.equal(neuron.weights.length, 3);
   * assert.equal(neuron.bias.data, 0);
   * ```
   */
  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    const where = "new Neuron";
    checkSize(nin, where, "nin");
    const { activation, init, labelPrefix: prefix, rng, fanOut } =
      resolveOptions(options, where, NEURON_OPTIONS);
    checkSize(fanOut ?? 1, where, "fanOut");
    this.weights = new Array<Value>(nin);
    for (let i = 0; i < nin; i++) {
      this.weights[i] = new Value(
        drawWeight(rng, init, nin, (fanOut ?? 1) as number),
        `${prefix}w${i}`,
      );
    }
    this.bias = new Value(0, `${prefix}b`);
    this.activation = activation;
  }

  /**
   * `activation(w · x + b)` as a graph: a `dot` node, a `+` node and (unless
   * linear) the activation node.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { Neuron } from "./nn.ts";
   * const neuron = new Neuron(2, { activation: "linear" });
   * neuron.weights[0].data = 2;
   * neuron.weights[1].data = 3;
   * neuron.bias.data = 1;
   * assert.equal(neuron.forward([new Value(1), new Value(1)]).data, 6);
   * ```
   */
  forward(x: readonly Value[]): Value {
    checkInput(x, this.weights.length, "Neuron.forward");
    return neuronOutput(this, x);
  }

  /**
   * The weights in input order, then the bias.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Neuron } from "./nn.ts";
   * const neuron = new Neuron(2);
   * assert.ok(neuron.parameters().at(-1) === neuron.bias);
   * ```
   */
  parameters(): Value[] {
    return [...this.weights, this.bias];
  }

  /**
   * A short description, e.g. `ReLUNeuron(2)` (as micrograd prints it).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Neuron } from "./nn.ts";
   * assert.equal(String(new Neuron(2, { activation: "tanh" })), "TanhNeuron(2)");
   * ```
   */
  override toString(): string {
    const names: Record<Activation, string> = {
      relu: "ReLU",
      tanh: "Tanh",
      sigmoid: "Sigmoid",
      linear: "Linear",
    };
    return `${names[this.activation]}Neuron(${this.weights.length})`;
  }
}

/**
 * A layer of `nout` neurons that all read the same `nin` inputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { Layer } from "./nn.ts";
 * const layer = new Layer(2, 3, { activation: "tanh" });
 * assert.equal(layer.forward([new Value(1), new Value(2)]).length, 3);
 * ```
 */
export class Layer extends Module {
  /** The neurons, in output order. */
  neurons: Neuron[];

  /**
   * A layer of `nout` neurons with `nin` inputs each. The weights are drawn
   * neuron by neuron (all of neuron 0's weights, then neuron 1's, ...).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Layer } from "./nn.ts";
   * const layer = new Layer(3, 4, { init: "xavier", seed: 2 });
   * assert.equal(layer.parameters().length, 16); // = 4 * (3 + 1)
   * ```
   */
  constructor(nin: number, nout: number, options: LayerOptions = {}) {
    super();
    const where = "new Layer";
    checkSize(nin, where, "nin");
    checkSize(nout, where, "nout");
    const { activation, init, labelPrefix: prefix, rng } = resolveOptions(
      options,
      where,
      LAYER_OPTIONS,
    );
    this.neurons = new Array<Neuron>(nout);
    for (let j = 0; j < nout; j++) {
      this.neurons[j] = new Neuron(nin, {
        activation,
        init,
        fanOut: nout,
        rng,
        labelPrefix: `${prefix}N${j}.`,
      });
    }
  }

  /**
   * Every neuron's output, in order.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * import { Layer } from "./nn.ts";
   * const out = new Layer(1, 2).forward([new Value(0.5)]);
   * assert.equal(out.length, 2);
   * ```
   */
  forward(x: readonly Value[]): Value[] {
    checkInput(x, this.neurons[0].weights.length, "Layer.forward");
    // Inputs were checked once above; skip the per-neuron check.
    const out = new Array<Value>(this.neurons.length);
    for (let j = 0; j < this.neurons.length; j++) {
      out[j] = neuronOutput(this.neurons[j], x);
    }
    return out;
  }

  /**
   * Neuron by neuron, each neuron's weights then its bias.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Layer } from "./nn.ts";
   * const layer = new Layer(2, 3);
   * assert.ok(layer.parameters()[2] === layer.neurons[0].bias);
   * ```
   */
  parameters(): Value[] {
    const out: Value[] = [];
    for (const neuron of this.neurons) {
      for (const w of neuron.weights) out.push(w);
      out.push(neuron.bias);
    }
    return out;
  }

  /**
   * A short description, e.g. `Layer of [ReLUNeuron(2), ReLUNeuron(2)]`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Layer } from "./nn.ts";
   * assert.equal(String(new Layer(2, 1)), "Layer of [ReLUNeuron(2)]");
   * ```
   */
  override toString(): string {
    return `Layer of [${this.neurons.map(String).join(", ")}]`;
  }
}

/**
 * A multi-layer perceptron: `nin` inputs, then one {@linkcode Layer} per entry
 * of `nouts`. Hidden layers use `activation` (relu by default); the last uses
 * `outputActivation` (linear by default, so the outputs are raw scores as in
 * micrograd).
 *
 * Weights are drawn from one generator in parameter order: layer by layer,
 * neuron by neuron, each neuron's weights in input order (biases start at 0
 * and draw nothing). So the same seed gives the same weights in every runtime.
 *
 * @example micrograd's demo network
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * const model = new MLP(2, [16, 16, 1], { seed: 1337 });
 * assert.equal(model.parameters().length, 337);
 * const [score] = model.forward([0.5, -1]);
 * score.backward(); // gradients of the score for every weight
 * assert.ok(score.data === model.predict([0.5, -1])[0]);
 * ```
 */
export class MLP extends Module {
  /** Number of inputs. */
  readonly nin: number;
  /** Number of neurons in each layer; the last entry is the number of outputs. */
  readonly sizes: readonly number[];
  /** The layers, input side first. */
  readonly layers: Layer[];
  /** Activation of the hidden layers. */
  readonly activation: Activation;
  /** Activation of the last layer. */
  readonly outputActivation: Activation;
  /**
   * The input features the model reads a point `(x, y)` through, or `null`
   * when its `nin` inputs go in as they are (see {@linkcode MLPOptions}).
   */
  readonly features: readonly FeatureName[] | null;
  /**
   * How many numbers `forward`, `predict` and `activations` take: 2 (the
   * point) with `features`, `nin` without.
   */
  readonly inputSize: number;
  /** Labels of the input leaves made by {@linkcode MLP.forward}: `x0`, `x1`, ... (`x`, `y` with features). */
  #inputLabels: string[];

  /**
   * An MLP with `nin` inputs and layers of sizes `nouts`, e.g.
   * `new MLP(2, [16, 16, 1])`.
   *
   * Throws a `RangeError` for a `nin` or size that is not a positive
   * integer, an empty `nouts`, or an unknown activation or initialisation.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [8, 3], { activation: "tanh", init: "xavier", seed: 4 });
   * assert.deepEqual(model.sizes, [8, 3]);
   * assert.equal(model.parameters().length, 51);
   * ```
   */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    const where = "new MLP";
    checkSize(nin, where, "nin");
    if (!Array.isArray(nouts)) {
      failField(
        "type",
        where,
        "nouts",
        "an array of layer sizes such as [16, 16, 1]",
        nouts,
      );
    }
    if (nouts.length === 0) {
      failField(
        "range",
        where,
        "nouts",
        "a non-empty array of layer sizes (the last one is the outputs)",
        nouts,
      );
    }
    // An index loop, not forEach: forEach would skip a hole like [16, , 1].
    for (let l = 0; l < nouts.length; l++) {
      checkSize(nouts[l], where, `nouts[${l}]`);
    }
    const { activation, init, rng, outputActivation, features } =
      resolveOptions(options, where, MLP_OPTIONS);
    this.features = features === undefined
      ? null
      : Object.freeze(checkFeatures(features, where, "features"));
    if (this.features !== null && this.features.length !== nin) {
      failField(
        "range",
        where,
        "nin",
        `features.length (${this.features.length}): the first layer reads one input per feature`,
        nin,
      );
    }
    this.inputSize = this.features === null ? nin : 2;

    this.nin = nin;
    this.sizes = Object.freeze([...nouts]);
    this.activation = activation;
    this.outputActivation = checkName(
      outputActivation ?? "linear",
      where,
      "outputActivation",
      ACTIVATIONS,
    );
    this.layers = [];
    let fanIn = nin;
    for (let l = 0; l < nouts.length; l++) {
      const last = l === nouts.length - 1;
      this.layers.push(
        new Layer(fanIn, nouts[l], {
          activation: last ? this.outputActivation : activation,
          init,
          rng,
          labelPrefix: `L${l}.`,
        }),
      );
      fanIn = nouts[l];
    }
    this.#inputLabels = this.features === null
      ? Array.from({ length: nin }, (_, i) => `x${i}`)
      : ["x", "y"];
  }

  /**
   * The features this model reads a point of the plane through: its
   * `features`, or `["x", "y"]` for a model of 2 inputs without (such as a
   * model saved before features existed); `null` when it does not read a
   * point (another number of inputs and no features).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * assert.deepEqual(new MLP(2, [1]).pointFeatures, ["x", "y"]);
   * assert.deepEqual(new MLP(1, [1], { features: ["x2"] }).pointFeatures, ["x2"]);
   * assert.equal(new MLP(3, [1]).pointFeatures, null);
   * ```
   */
  get pointFeatures(): readonly FeatureName[] | null {
    if (this.features !== null) return this.features;
    return this.nin === 2 ? DEFAULT_FEATURES : null;
  }

  /**
   * Run the network on one input and record the graph, so that `backward()`
   * on anything computed from the outputs reaches every weight.
   *
   * `x` holds `nin` numbers or Values. Numbers are wrapped once per call as
   * leaves labelled `x0`, `x1`, ... (shared by every first-layer neuron);
   * Values are used as they are, so gradients can flow into them. Always
   * returns an array, even for one output.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 1]);
   * const [score] = model.forward([1, -1]);
   * score.backward();
   * assert.ok(model.parameters().some((p) => p.grad !== 0));
   * ```
   */
  forward(x: readonly (number | Value)[]): Value[] {
    const where = "MLP.forward";
    checkArray(
      x,
      where,
      "x",
      "numbers or Values",
      this.inputSize,
      this.features === null ? "the model's nin" : "a point (x, y)",
    );
    let activations = new Array<Value>(this.inputSize);
    for (let i = 0; i < this.inputSize; i++) {
      const xi = x[i];
      if (xi instanceof Value) {
        activations[i] = xi;
      } else if (typeof xi === "number") {
        activations[i] = new Value(xi, this.#inputLabels[i]);
      } else {
        failField("type", where, `x[${i}]`, "a number or a Value", xi);
      }
    }
    // The default features are the identity: the point's own leaves, no node.
    if (this.features !== null && !isIdentityFeatures(this.features)) {
      activations = featureNodes(activations[0], activations[1], this.features);
    }
    for (const layer of this.layers) {
      const next = new Array<Value>(layer.neurons.length);
      for (let j = 0; j < layer.neurons.length; j++) {
        next[j] = neuronOutput(layer.neurons[j], activations);
      }
      activations = next;
    }
    return activations;
  }

  /**
   * The same outputs as {@linkcode MLP.forward}, bit for bit, computed on
   * plain numbers without building a graph: much faster and allocation-light,
   * for decision-boundary grids and evaluation.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 2]);
   * const scores = model.predict([0.25, 0.75]);
   * assert.equal(scores.length, 2);
   * ```
   */
  predict(x: readonly number[]): number[] {
    const layers = this.activations(x, "MLP.predict");
    return layers[layers.length - 1];
  }

  /**
   * Every layer's outputs for input `x`, computed like
   * {@linkcode MLP.predict} (the same numbers, bit for bit, without a
   * graph): `result[l][j]` is neuron `j` of layer `l` after its activation,
   * and the last entry is the model's output. This is what per-neuron
   * heat maps draw.
   *
   * @param x The input, `nin` numbers (a NaN input gives NaN outputs, which
   *   `predictClass` turns into "no class").
   * @param where The caller named in error messages; `predict` passes
   *   `"MLP.predict"`.
   * @returns One array per layer, input side first.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 3, 1]);
   * const layers = model.activations([0.25, 0.75]);
   * assert.deepEqual(layers.map((layer) => layer.length), [4, 3, 1]);
   * assert.deepEqual(layers[2], model.predict([0.25, 0.75]));
   * ```
   */
  activations(x: readonly number[], where = "MLP.activations"): number[][] {
    checkArray(
      x,
      where,
      "x",
      "numbers",
      this.inputSize,
      this.features === null ? "the model's nin" : "a point (x, y)",
    );
    for (let i = 0; i < this.inputSize; i++) {
      if (typeof x[i] !== "number") {
        failField("type", where, `x[${i}]`, "a number", x[i]);
      }
    }
    const layers = new Array<number[]>(this.layers.length);
    let activations: number[] = this.features === null ||
        isIdentityFeatures(this.features)
      ? x as number[]
      : featureValues(x[0], x[1], this.features);
    for (let l = 0; l < this.layers.length; l++) {
      const neurons = this.layers[l].neurons;
      const next = new Array<number>(neurons.length);
      for (let j = 0; j < neurons.length; j++) {
        const neuron = neurons[j];
        const weights = neuron.weights;
        // Same order of operations as Value.dot then add: the sum starts at
        // 0 and adds w[i]·x[i] left to right, then the bias.
        let total = 0;
        for (let i = 0; i < weights.length; i++) {
          total += weights[i].data * activations[i];
        }
        next[j] = activate(neuron.activation, total + neuron.bias.data);
      }
      layers[l] = next;
      activations = next;
    }
    return layers;
  }

  /**
   * Layer by layer, neuron by neuron, each neuron's weights then its bias
   * (the order the weights were drawn in, and the order of
   * {@linkcode MLPJson.layers}).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [16, 16, 1]);
   * assert.equal(model.parameters().length, 337); // = 16·3 + 16·17 + 1·17
   * ```
   */
  parameters(): Value[] {
    const out: Value[] = [];
    for (const layer of this.layers) {
      for (const neuron of layer.neurons) {
        for (const w of neuron.weights) out.push(w);
        out.push(neuron.bias);
      }
    }
    return out;
  }

  /**
   * The model as plain JSON (see {@linkcode MLPJson}); `JSON.stringify(model)`
   * uses it. Weights are written exactly (JSON numbers round-trip doubles).
   *
   * Throws a `RangeError` if a weight is NaN or infinite (a diverged model),
   * since JSON cannot hold those and the file could not be loaded back.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const json = new MLP(2, [1]).toJSON();
   * assert.equal(json.format, "micrograd-mlp");
   * assert.deepEqual(json.sizes, [1]);
   * assert.equal(json.layers[0][0].weights.length, 2);
   * ```
   */
  toJSON(): MLPJson {
    return mlpToJSON(this);
  }

  /**
   * Rebuild a model from {@linkcode MLP.toJSON}'s output (an object, or a
   * JSON string). Everything is validated first — format and version,
   * `nin` and `sizes`, activation names, that every layer has `sizes[l]`
   * neurons with the right number of weights, that every number is finite —
   * and a `TypeError` or `RangeError` naming the offending field is thrown
   * before any model is built. The result predicts exactly what the saved
   * model did.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 1], { seed: 3 });
   * const copy = MLP.fromJSON(JSON.parse(JSON.stringify(model)));
   * assert.deepEqual(copy.predict([1, 2]), model.predict([1, 2]));
   * assert.throws(() => MLP.fromJSON({ ...model.toJSON(), sizes: [4, 2] }), {
   *   name: "FieldRangeError",
   *   message: /json\.layers\[1\] must have 2 neurons/,
   * });
   * ```
   */
  static fromJSON(json: unknown): MLP {
    // Everything is checked before any model is built; then the weights
    // drawn by the constructor are overwritten with the saved ones, in
    // parameter order (layer by layer, neuron by neuron, weights then bias).
    const saved = validateMLPJson(json);
    const model = new MLP(saved.nin, saved.sizes, {
      activation: saved.activation,
      outputActivation: saved.outputActivation,
      features: saved.features,
    });
    const values = saved.layers.flat().flatMap((neuron) => [
      ...neuron.weights,
      neuron.bias,
    ]);
    model.parameters().forEach((p, i) => (p.data = values[i]));
    return model;
  }

  /**
   * An independent deep copy: the same sizes, activations (neuron by
   * neuron), weights, gradients and labels, in new {@linkcode Value}s, so
   * training the copy leaves this model as it is. It predicts exactly what
   * this model does (no JSON round trip, so even a diverged model with NaN
   * weights can be copied).
   *
   * @returns A new MLP sharing no Value with this one.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 1], { activation: "tanh", seed: 5 });
   * const copy = model.clone();
   * assert.deepEqual(copy.predict([0.5, -1]), model.predict([0.5, -1]));
   * copy.parameters()[0].data += 1;
   * assert.notEqual(copy.parameters()[0].data, model.parameters()[0].data);
   * assert.equal(copy.parameters()[0].label, "L0.N0.w0");
   * ```
   */
  clone(): MLP {
    const copy = new MLP(this.nin, this.sizes, {
      activation: this.activation,
      outputActivation: this.outputActivation,
      features: this.features ?? undefined,
    });
    copy.layers.forEach((layer, l) =>
      layer.neurons.forEach((neuron, j) => {
        neuron.activation = this.layers[l].neurons[j].activation;
      })
    );
    const source = this.parameters();
    copy.parameters().forEach((p, i) => {
      p.data = source[i].data;
      p.grad = source[i].grad;
      p.label = source[i].label;
    });
    return copy;
  }

  /**
   * A short description, e.g. `MLP of [Layer of [...], ...]` (as micrograd).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MLP } from "./nn.ts";
   * assert.equal(String(new MLP(1, [1])), "MLP of [Layer of [LinearNeuron(1)]]");
   * ```
   */
  override toString(): string {
    return `MLP of [${this.layers.map(String).join(", ")}]`;
  }

  /**
   * Rich display in notebooks: Deno's Jupyter kernel calls this when a
   * model is a cell's result, and it shows the network (see `mlpToSvg`).
   */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return displayOf("MLP", this);
  }
}
