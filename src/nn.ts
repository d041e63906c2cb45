/**
 * Neural networks built from {@linkcode Value}s: a {@linkcode Neuron} is a
 * weighted sum plus a bias passed through an activation, a {@linkcode Layer}
 * is a list of neurons reading the same inputs, and an {@linkcode MLP} is a
 * stack of layers. Same structure as micrograd's `nn.py`, with seeded
 * initialisation, a graph-free {@linkcode MLP.predict} and JSON round trips.
 *
 * @module
 */

import { Value } from "./engine.ts";
import { Rng } from "./random.ts";
import { describeArgument } from "./describe.ts";

/**
 * The nonlinearity a neuron applies to its weighted sum: `"relu"`
 * (`max(0, z)`), `"tanh"`, `"sigmoid"` (`1 / (1 + e^-z)`) or `"linear"` (none).
 */
export type Activation = "relu" | "tanh" | "sigmoid" | "linear";

/**
 * How initial weights are drawn (biases always start at 0, as in micrograd):
 *
 * - `"uniform"`: micrograd's `U(-1, 1)`, whatever the layer size.
 * - `"xavier"`: Glorot uniform, `U(-a, a)` with `a = sqrt(6 / (fanIn + fanOut))`,
 *   which keeps the variance of activations roughly constant through tanh
 *   and sigmoid layers.
 * - `"he"`: He/Kaiming normal, `N(0, sqrt(2 / fanIn))`, the same idea for
 *   relu layers (relu zeroes half of its inputs, hence the factor 2).
 */
export type Initialization = "uniform" | "xavier" | "he";

/**
 * Every {@linkcode Activation}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from "./nn.ts";
 * console.log(ACTIVATIONS.includes("tanh")); // true
 * ```
 */
export const ACTIVATIONS: readonly Activation[] = Object.freeze([
  "relu",
  "tanh",
  "sigmoid",
  "linear",
]);

/**
 * Every {@linkcode Initialization}, in a fixed order (for validation and menus).
 *
 * @example
 * ```ts
 * import { INITIALIZATIONS } from "./nn.ts";
 * console.log(INITIALIZATIONS); // ["uniform", "xavier", "he"]
 * ```
 */
export const INITIALIZATIONS: readonly Initialization[] = Object.freeze([
  "uniform",
  "xavier",
  "he",
]);

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

/** One neuron in {@linkcode MLPJson}: its weights (one per input) and bias. */
export interface NeuronJson {
  /** One weight per input of the neuron. */
  weights: number[];
  /** The bias. */
  bias: number;
}

/**
 * The plain-JSON form of an {@linkcode MLP} written by {@linkcode MLP.toJSON}
 * and read by {@linkcode MLP.fromJSON}. `layers[l][j]` is neuron `j` of
 * layer `l`; the neurons of layer 0 have `nin` weights, those of layer `l`
 * have `sizes[l - 1]`.
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

// ---------------------------------------------------------------------------
// Validation helpers

function checkActivation(value: unknown, where: string): Activation {
  if (!ACTIVATIONS.includes(value as Activation)) {
    throw new RangeError(
      `${where} must be one of ${
        ACTIVATIONS.map((a) => `"${a}"`).join(", ")
      }, got ${describeArgument(value)}`,
    );
  }
  return value as Activation;
}

function checkInitialization(value: unknown, where: string): Initialization {
  if (!INITIALIZATIONS.includes(value as Initialization)) {
    throw new RangeError(
      `${where} must be one of ${
        INITIALIZATIONS.map((a) => `"${a}"`).join(", ")
      }, got ${describeArgument(value)}`,
    );
  }
  return value as Initialization;
}

function checkPositiveInteger(value: unknown, where: string): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${where} must be a positive integer, got ${describeArgument(value)}`,
    );
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `${where} must be a positive integer, got ${describeArgument(value)}`,
    );
  }
  return value;
}

function checkOptionsObject(value: unknown, where: string): void {
  if (
    value !== undefined &&
    (value === null || typeof value !== "object" || Array.isArray(value))
  ) {
    throw new TypeError(
      `${where} must be an options object, got ${describeArgument(value)}`,
    );
  }
}

/** Resolve `seed`/`rng` options into the generator to draw from. */
function resolveRng(
  options: { seed?: number; rng?: Rng },
  where: string,
): Rng {
  if (options.rng !== undefined) {
    if (options.seed !== undefined) {
      throw new TypeError(
        `${where}: give either options.seed or options.rng, not both`,
      );
    }
    if (!(options.rng instanceof Rng)) {
      throw new TypeError(
        `${where}: options.rng must be an Rng, got ${
          describeArgument(options.rng)
        }`,
      );
    }
    return options.rng;
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new TypeError(
      `${where}: options.seed must be an integer, got ${
        describeArgument(seed)
      }`,
    );
  }
  return new Rng(seed);
}

/** Draw one initial weight. */
function drawWeight(
  rng: Rng,
  init: Initialization,
  fanIn: number,
  fanOut: number,
): number {
  switch (init) {
    case "uniform":
      return rng.uniform(-1, 1);
    case "xavier": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniform(-limit, limit);
    }
    case "he":
      return rng.normal(0, Math.sqrt(2 / fanIn));
  }
}

/**
 * The activation over a plain number. It must give exactly what the
 * matching {@linkcode Value} method gives, so that {@linkcode MLP.predict}
 * equals {@linkcode MLP.forward} bit for bit (tests check this).
 */
function activate(activation: Activation, z: number): number {
  switch (activation) {
    case "relu":
      // NaN passes through, as in Value.relu, so a diverged model shows it.
      return z > 0 || Number.isNaN(z) ? z : 0;
    case "tanh":
      return Math.tanh(z);
    case "sigmoid": {
      // The two overflow-free forms Value.sigmoid uses.
      if (z >= 0) return 1 / (1 + Math.exp(-z));
      const e = Math.exp(z);
      return e / (1 + e);
    }
    case "linear":
      return z;
  }
}

/** The activation as a graph node (none for `"linear"`). */
function activateValue(activation: Activation, z: Value): Value {
  switch (activation) {
    case "relu":
      return z.relu();
    case "tanh":
      return z.tanh();
    case "sigmoid":
      return z.sigmoid();
    case "linear":
      return z;
  }
}

/** Check `x` is an array of `length` Values (the input of a neuron or layer). */
function checkValueVector(x: unknown, length: number, where: string): void {
  if (!Array.isArray(x)) {
    throw new TypeError(
      `${where}: x must be an array of ${length} Values, got ${
        describeArgument(x)
      }`,
    );
  }
  if (x.length !== length) {
    throw new RangeError(
      `${where}: x must have length ${length} (the number of inputs), got length ${x.length}`,
    );
  }
  for (let i = 0; i < length; i++) {
    if (!(x[i] instanceof Value)) {
      throw new TypeError(
        `${where}: x[${i}] must be a Value, got ${describeArgument(x[i])}`,
      );
    }
  }
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
 * import { MLP } from "./nn.ts";
 * const model = new MLP(2, [3, 1]);
 * model.parameters()[0].grad = 5;
 * model.zeroGrad();
 * console.log(model.parameters().every((p) => p.grad === 0)); // true
 * ```
 */
export abstract class Module {
  /**
   * The trainable values of this module, in a fixed documented order.
   *
   * @example
   * ```ts
   * import { Neuron } from "./nn.ts";
   * console.log(new Neuron(3).parameters().length); // 4: 3 weights + bias
   * ```
   */
  abstract parameters(): Value[];

  /**
   * Set the gradient of every parameter to 0.
   *
   * @example
   * ```ts
   * import { Layer } from "./nn.ts";
   * const layer = new Layer(2, 2);
   * layer.parameters()[1].grad = 1;
   * layer.zeroGrad();
   * console.log(layer.parameters()[1].grad); // 0
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
 * import { Value } from "./engine.ts";
 * import { Neuron } from "./nn.ts";
 * const neuron = new Neuron(2, { activation: "tanh", seed: 1 });
 * const out = neuron.forward([new Value(1), new Value(-2)]);
 * console.log(out.data > -1 && out.data < 1); // true
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
   * import { Neuron } from "./nn.ts";
   * const neuron = new Neuron(3, { init: "he", seed: 7 });
   * console.log(neuron.weights.length, neuron.bias.data); // 3 0
   * ```
   */
  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    checkPositiveInteger(nin, "new Neuron: nin");
    checkOptionsObject(options, "new Neuron: options");
    const activation = checkActivation(
      options.activation ?? "relu",
      "new Neuron: options.activation",
    );
    const init = checkInitialization(
      options.init ?? "uniform",
      "new Neuron: options.init",
    );
    const fanOut = checkPositiveInteger(
      options.fanOut ?? 1,
      "new Neuron: options.fanOut",
    );
    const prefix = options.labelPrefix ?? "";
    if (typeof prefix !== "string") {
      throw new TypeError(
        `new Neuron: options.labelPrefix must be a string, got ${
          describeArgument(prefix)
        }`,
      );
    }
    const rng = resolveRng(options, "new Neuron");
    this.weights = new Array<Value>(nin);
    for (let i = 0; i < nin; i++) {
      this.weights[i] = new Value(
        drawWeight(rng, init, nin, fanOut),
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
   * import { Value } from "./engine.ts";
   * import { Neuron } from "./nn.ts";
   * const neuron = new Neuron(2, { activation: "linear" });
   * neuron.weights[0].data = 2;
   * neuron.weights[1].data = 3;
   * neuron.bias.data = 1;
   * console.log(neuron.forward([new Value(1), new Value(1)]).data); // 6
   * ```
   */
  forward(x: readonly Value[]): Value {
    checkValueVector(x, this.weights.length, "Neuron.forward");
    return activateValue(
      this.activation,
      Value.dot(this.weights, x).add(this.bias),
    );
  }

  /**
   * The weights in input order, then the bias.
   *
   * @example
   * ```ts
   * import { Neuron } from "./nn.ts";
   * const neuron = new Neuron(2);
   * console.log(neuron.parameters().at(-1) === neuron.bias); // true
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
   * import { Neuron } from "./nn.ts";
   * console.log(String(new Neuron(2, { activation: "tanh" }))); // TanhNeuron(2)
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
 * import { Value } from "./engine.ts";
 * import { Layer } from "./nn.ts";
 * const layer = new Layer(2, 3, { activation: "tanh" });
 * console.log(layer.forward([new Value(1), new Value(2)]).length); // 3
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
   * import { Layer } from "./nn.ts";
   * const layer = new Layer(3, 4, { init: "xavier", seed: 2 });
   * console.log(layer.parameters().length); // 16 = 4 * (3 + 1)
   * ```
   */
  constructor(nin: number, nout: number, options: LayerOptions = {}) {
    super();
    checkPositiveInteger(nin, "new Layer: nin");
    checkPositiveInteger(nout, "new Layer: nout");
    checkOptionsObject(options, "new Layer: options");
    const activation = checkActivation(
      options.activation ?? "relu",
      "new Layer: options.activation",
    );
    const init = checkInitialization(
      options.init ?? "uniform",
      "new Layer: options.init",
    );
    const prefix = options.labelPrefix ?? "";
    if (typeof prefix !== "string") {
      throw new TypeError(
        `new Layer: options.labelPrefix must be a string, got ${
          describeArgument(prefix)
        }`,
      );
    }
    const rng = resolveRng(options, "new Layer");
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
   * import { Value } from "./engine.ts";
   * import { Layer } from "./nn.ts";
   * const out = new Layer(1, 2).forward([new Value(0.5)]);
   * console.log(out.length); // 2
   * ```
   */
  forward(x: readonly Value[]): Value[] {
    checkValueVector(x, this.neurons[0].weights.length, "Layer.forward");
    const out = new Array<Value>(this.neurons.length);
    for (let j = 0; j < this.neurons.length; j++) {
      const neuron = this.neurons[j];
      // Inputs were checked once above; skip the per-neuron check.
      out[j] = activateValue(
        neuron.activation,
        Value.dot(neuron.weights, x).add(neuron.bias),
      );
    }
    return out;
  }

  /**
   * Neuron by neuron, each neuron's weights then its bias.
   *
   * @example
   * ```ts
   * import { Layer } from "./nn.ts";
   * const layer = new Layer(2, 3);
   * console.log(layer.parameters()[2] === layer.neurons[0].bias); // true
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
   * import { Layer } from "./nn.ts";
   * console.log(String(new Layer(2, 1))); // Layer of [ReLUNeuron(2)]
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
 * import { MLP } from "./nn.ts";
 * const model = new MLP(2, [16, 16, 1], { seed: 1337 });
 * console.log(model.parameters().length); // 337
 * const [score] = model.forward([0.5, -1]);
 * score.backward(); // gradients of the score for every weight
 * console.log(score.data === model.predict([0.5, -1])[0]); // true
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
  /** Labels of the input leaves made by {@linkcode MLP.forward}: `x0`, `x1`, ... */
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
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [8, 3], { activation: "tanh", init: "xavier", seed: 4 });
   * console.log(model.sizes, model.parameters().length); // [8, 3] 51
   * ```
   */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    checkPositiveInteger(nin, "new MLP: nin");
    if (!Array.isArray(nouts)) {
      throw new TypeError(
        `new MLP: nouts must be an array of layer sizes such as [16, 16, 1], got ${
          describeArgument(nouts)
        }`,
      );
    }
    if (nouts.length === 0) {
      throw new RangeError(
        "new MLP: nouts must list at least one layer size (the outputs), got an empty array",
      );
    }
    nouts.forEach((size, l) =>
      checkPositiveInteger(size, `new MLP: nouts[${l}]`)
    );
    checkOptionsObject(options, "new MLP: options");
    const activation = checkActivation(
      options.activation ?? "relu",
      "new MLP: options.activation",
    );
    const outputActivation = checkActivation(
      options.outputActivation ?? "linear",
      "new MLP: options.outputActivation",
    );
    const init = checkInitialization(
      options.init ?? "uniform",
      "new MLP: options.init",
    );
    const rng = resolveRng(options, "new MLP");

    this.nin = nin;
    this.sizes = Object.freeze([...nouts]);
    this.activation = activation;
    this.outputActivation = outputActivation;
    this.layers = [];
    let fanIn = nin;
    for (let l = 0; l < nouts.length; l++) {
      const last = l === nouts.length - 1;
      this.layers.push(
        new Layer(fanIn, nouts[l], {
          activation: last ? outputActivation : activation,
          init,
          rng,
          labelPrefix: `L${l}.`,
        }),
      );
      fanIn = nouts[l];
    }
    this.#inputLabels = Array.from({ length: nin }, (_, i) => `x${i}`);
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
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 1]);
   * const [score] = model.forward([1, -1]);
   * score.backward();
   * console.log(model.parameters().some((p) => p.grad !== 0)); // true
   * ```
   */
  forward(x: readonly (number | Value)[]): Value[] {
    if (!Array.isArray(x)) {
      throw new TypeError(
        `MLP.forward: x must be an array of ${this.nin} numbers or Values, got ${
          describeArgument(x)
        }`,
      );
    }
    if (x.length !== this.nin) {
      throw new RangeError(
        `MLP.forward: x must have length ${this.nin} (the model's nin), got length ${x.length}`,
      );
    }
    let activations = new Array<Value>(this.nin);
    for (let i = 0; i < this.nin; i++) {
      const xi = x[i];
      if (xi instanceof Value) {
        activations[i] = xi;
      } else if (typeof xi === "number") {
        activations[i] = new Value(xi, this.#inputLabels[i]);
      } else {
        throw new TypeError(
          `MLP.forward: x[${i}] must be a number or a Value, got ${
            describeArgument(xi)
          }`,
        );
      }
    }
    for (const layer of this.layers) {
      const next = new Array<Value>(layer.neurons.length);
      for (let j = 0; j < layer.neurons.length; j++) {
        const neuron = layer.neurons[j];
        next[j] = activateValue(
          neuron.activation,
          Value.dot(neuron.weights, activations).add(neuron.bias),
        );
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
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 2]);
   * const scores = model.predict([0.25, 0.75]);
   * console.log(scores.length); // 2
   * ```
   */
  predict(x: readonly number[]): number[] {
    if (!Array.isArray(x)) {
      throw new TypeError(
        `MLP.predict: x must be an array of ${this.nin} numbers, got ${
          describeArgument(x)
        }`,
      );
    }
    if (x.length !== this.nin) {
      throw new RangeError(
        `MLP.predict: x must have length ${this.nin} (the model's nin), got length ${x.length}`,
      );
    }
    for (let i = 0; i < this.nin; i++) {
      if (typeof x[i] !== "number") {
        throw new TypeError(
          `MLP.predict: x[${i}] must be a number, got ${
            describeArgument(x[i])
          }`,
        );
      }
    }
    let activations: number[] = x as number[];
    for (const layer of this.layers) {
      const next = new Array<number>(layer.neurons.length);
      for (let j = 0; j < layer.neurons.length; j++) {
        const neuron = layer.neurons[j];
        const weights = neuron.weights;
        // Same order of operations as Value.dot then add: the sum starts at
        // 0 and adds w[i]·x[i] left to right, then the bias.
        let total = 0;
        for (let i = 0; i < weights.length; i++) {
          total += weights[i].data * activations[i];
        }
        next[j] = activate(neuron.activation, total + neuron.bias.data);
      }
      activations = next;
    }
    return activations;
  }

  /**
   * Layer by layer, neuron by neuron, each neuron's weights then its bias
   * (the order the weights were drawn in, and the order of
   * {@linkcode MLPJson.layers}).
   *
   * @example
   * ```ts
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [16, 16, 1]);
   * console.log(model.parameters().length); // 337 = 16·3 + 16·17 + 1·17
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
   * import { MLP } from "./nn.ts";
   * const json = new MLP(2, [1]).toJSON();
   * console.log(json.format, json.sizes, json.layers[0][0].weights.length); // micrograd-mlp [1] 2
   * ```
   */
  toJSON(): MLPJson {
    const layers = this.layers.map((layer, l) =>
      layer.neurons.map((neuron, j) => {
        const weights = neuron.weights.map((w, i) => {
          if (!Number.isFinite(w.data)) {
            throw new RangeError(
              `MLP.toJSON: weight layers[${l}][${j}].weights[${i}] is ${w.data}; JSON can only hold finite weights (did training diverge?)`,
            );
          }
          return w.data;
        });
        if (!Number.isFinite(neuron.bias.data)) {
          throw new RangeError(
            `MLP.toJSON: bias layers[${l}][${j}].bias is ${neuron.bias.data}; JSON can only hold finite weights (did training diverge?)`,
          );
        }
        return { weights, bias: neuron.bias.data };
      })
    );
    return {
      format: "micrograd-mlp",
      version: 1,
      nin: this.nin,
      sizes: [...this.sizes],
      activation: this.activation,
      outputActivation: this.outputActivation,
      layers,
    };
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
   * import { MLP } from "./nn.ts";
   * const model = new MLP(2, [4, 1], { seed: 3 });
   * const copy = MLP.fromJSON(JSON.parse(JSON.stringify(model)));
   * console.log(copy.predict([1, 2])[0] === model.predict([1, 2])[0]); // true
   * ```
   */
  static fromJSON(json: unknown): MLP {
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
    sizes.forEach((size, l) =>
      checkPositiveInteger(size, `${where}: json.sizes[${l}]`)
    );
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
    if (layers.length !== sizes.length) {
      throw new RangeError(
        `${where}: json.layers must have ${sizes.length} layers (one per entry of json.sizes), got ${layers.length}`,
      );
    }
    // Collect every number before building anything.
    const values: number[][][] = [];
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
      if (layer.length !== sizes[l]) {
        throw new RangeError(
          `${where}: json.layers[${l}] must have ${
            sizes[l]
          } neurons (json.sizes[${l}]), got ${layer.length}`,
        );
      }
      const layerValues: number[][] = [];
      for (let j = 0; j < layer.length; j++) {
        const path = `${where}: json.layers[${l}][${j}]`;
        const neuron = layer[j];
        if (
          neuron === null || typeof neuron !== "object" || Array.isArray(neuron)
        ) {
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
        const row = new Array<number>(fanIn + 1);
        for (let i = 0; i < fanIn; i++) {
          row[i] = checkFinite(weights[i], `${path}.weights[${i}]`);
        }
        row[fanIn] = checkFinite(bias, `${path}.bias`);
        layerValues.push(row);
      }
      values.push(layerValues);
      fanIn = sizes[l];
    }

    // Everything is valid: build the model and overwrite its weights.
    const model = new MLP(nin, sizes, { activation, outputActivation });
    model.layers.forEach((layer, l) =>
      layer.neurons.forEach((neuron, j) => {
        const row = values[l][j];
        neuron.weights.forEach((w, i) => (w.data = row[i]));
        neuron.bias.data = row[row.length - 1];
      })
    );
    return model;
  }

  /**
   * A short description, e.g. `MLP of [Layer of [...], ...]` (as micrograd).
   *
   * @example
   * ```ts
   * import { MLP } from "./nn.ts";
   * console.log(String(new MLP(1, [1]))); // MLP of [Layer of [LinearNeuron(1)]]
   * ```
   */
  override toString(): string {
    return `MLP of [${this.layers.map(String).join(", ")}]`;
  }
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
