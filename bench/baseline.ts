/**
 * The benchmark's yardstick: micrograd's demo math (a ReLU MLP, the hinge
 * loss, an L2 penalty, SGD) written by hand over `Float64Array`s, with the
 * backward pass derived on paper. No graph, no objects per operation: this is
 * as fast as plain TypeScript gets, and what the `Value` engine and the
 * compiled tape are measured against.
 *
 * The arithmetic follows the library's expressions in the same order (a
 * neuron is `Σ w·x` summed from 0, then `+ b`; the loss is
 * `Σ relu(1 - y·score) · (1/n) + α · Σ p²`), so its losses agree with the
 * `Value` engine's to rounding.
 *
 * @module
 */

/** One layer's parameters: `weights[j * fanIn + i]` connects input i to neuron j. */
export interface BaselineLayer {
  fanIn: number;
  size: number;
  weights: Float64Array;
  biases: Float64Array;
  /** Whether the layer applies ReLU (hidden layers) or is linear (the last). */
  relu: boolean;
}

/** An MLP as plain arrays, trained with full-batch or minibatch SGD. */
export class BaselineMLP {
  readonly layers: BaselineLayer[];
  readonly parameterCount: number;
  readonly #weightGrads: Float64Array[];
  readonly #biasGrads: Float64Array[];
  /** Per sample and layer: pre-activations and activations (layer 0 = input). */
  #preActivations: Float64Array[] = [];
  #activations: Float64Array[] = [];
  #activationGrads: Float64Array[] = [];
  #capacity = 0;

  /** Copy the parameters (the arrays are owned by this object afterwards). */
  constructor(layers: BaselineLayer[]) {
    this.layers = layers;
    this.parameterCount = layers.reduce(
      (total, layer) => total + layer.weights.length + layer.biases.length,
      0,
    );
    this.#weightGrads = layers.map((l) => new Float64Array(l.weights.length));
    this.#biasGrads = layers.map((l) => new Float64Array(l.biases.length));
  }

  #ensureCapacity(batch: number): void {
    if (batch <= this.#capacity) return;
    const { layers } = this;
    // One buffer per layer holding the whole batch, sample-major.
    this.#activations = [
      new Float64Array(batch * layers[0].fanIn),
      ...layers.map((l) => new Float64Array(batch * l.size)),
    ];
    this.#preActivations = layers.map((l) => new Float64Array(batch * l.size));
    this.#activationGrads = [
      new Float64Array(batch * layers[0].fanIn),
      ...layers.map((l) => new Float64Array(batch * l.size)),
    ];
    this.#capacity = batch;
  }

  /**
   * Forward and backward for the mean hinge loss over the samples `rows`
   * of `(inputs, targets)` (targets ±1) plus `alpha · Σ p²`; fills the
   * gradients and returns the loss.
   */
  lossAndGradient(
    inputs: Float64Array,
    targets: Float64Array,
    rows: Int32Array,
    alpha: number,
  ): number {
    const { layers } = this;
    const batch = rows.length;
    this.#ensureCapacity(batch);
    const acts = this.#activations;
    const pres = this.#preActivations;
    const actGrads = this.#activationGrads;
    const last = layers.length - 1;
    // Each loop nest is its own small function: V8 optimizes a function
    // that is called often far better than one long function whose inner
    // loops it has to enter through on-stack replacement.
    gatherRows(inputs, rows, layers[0].fanIn, acts[0]);
    for (let l = 0; l <= last; l++) {
      denseForward(layers[l], batch, acts[l], pres[l], acts[l + 1]);
    }
    const dataLoss = hingeLoss(
      acts[last + 1],
      layers[last].size,
      targets,
      rows,
      actGrads[last + 1],
    );
    let squares = 0;
    for (const layer of layers) squares = addSquares(layer, squares);
    const loss = dataLoss + squares * alpha;

    // Backward: the L2 term first, then the layers from the output down.
    for (let l = last; l >= 0; l--) {
      denseBackward(
        layers[l],
        batch,
        alpha,
        acts[l],
        pres[l],
        actGrads[l + 1],
        actGrads[l],
        this.#weightGrads[l],
        this.#biasGrads[l],
      );
    }
    return loss;
  }

  /** `p -= rate · grad` for every parameter. */
  sgdStep(rate: number): void {
    this.layers.forEach(({ weights, biases }, l) => {
      const wGrad = this.#weightGrads[l], bGrad = this.#biasGrads[l];
      for (let k = 0; k < weights.length; k++) weights[k] -= rate * wGrad[k];
      for (let k = 0; k < biases.length; k++) biases[k] -= rate * bGrad[k];
    });
  }
}

/** Copy the input rows of this batch into one sample-major buffer. */
function gatherRows(
  inputs: Float64Array,
  rows: Int32Array,
  width: number,
  out: Float64Array,
): void {
  for (let s = 0; s < rows.length; s++) {
    for (let i = 0; i < width; i++) {
      out[s * width + i] = inputs[rows[s] * width + i];
    }
  }
}

/** `output = act(W·input + b)` for every sample: `Σ w·x` from 0, then `+ b`. */
function denseForward(
  layer: BaselineLayer,
  batch: number,
  input: Float64Array,
  pre: Float64Array,
  output: Float64Array,
): void {
  const { fanIn, size, weights, biases, relu } = layer;
  for (let s = 0; s < batch; s++) {
    const inBase = s * fanIn;
    for (let j = 0; j < size; j++) {
      const wBase = j * fanIn;
      let total = 0;
      for (let i = 0; i < fanIn; i++) {
        total += weights[wBase + i] * input[inBase + i];
      }
      const z = total + biases[j];
      pre[s * size + j] = z;
      output[s * size + j] = relu ? (z > 0 ? z : 0) : z;
    }
  }
}

/**
 * `Σ relu(1 - y·score) · (1/n)` over the batch; writes d(loss)/d(score) of
 * every sample into `scoreGrads`.
 */
function hingeLoss(
  scores: Float64Array,
  outputs: number,
  targets: Float64Array,
  rows: Int32Array,
  scoreGrads: Float64Array,
): number {
  const batch = rows.length;
  const perSample = 1 / batch;
  let total = 0;
  for (let s = 0; s < batch; s++) {
    const y = targets[rows[s]];
    const margin = 1 - scores[s * outputs] * y;
    total += margin > 0 ? margin : 0;
    scoreGrads[s * outputs] = margin > 0 ? -(y * perSample) : 0;
  }
  return total * perSample;
}

/** `total + Σ p²` over a layer, neuron by neuron: its weights, then its bias. */
function addSquares(layer: BaselineLayer, total: number): number {
  const { fanIn, size, weights, biases } = layer;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < fanIn; i++) {
      const w = weights[j * fanIn + i];
      total += w * w;
    }
    total += biases[j] * biases[j];
  }
  return total;
}

/**
 * The layer's backward pass: starts its grads at the L2 term's `2αp`, adds
 * `input · g` into the weight grads and `W · g` into `inGrad` for every
 * sample (skipping samples and ReLUs that pass back 0).
 */
function denseBackward(
  layer: BaselineLayer,
  batch: number,
  alpha: number,
  input: Float64Array,
  pre: Float64Array,
  outGrad: Float64Array,
  inGrad: Float64Array,
  wGrad: Float64Array,
  bGrad: Float64Array,
): void {
  const { fanIn, size, weights, biases, relu } = layer;
  for (let k = 0; k < weights.length; k++) wGrad[k] = 2 * alpha * weights[k];
  for (let k = 0; k < biases.length; k++) bGrad[k] = 2 * alpha * biases[k];
  inGrad.fill(0, 0, batch * fanIn);
  for (let s = 0; s < batch; s++) {
    const inBase = s * fanIn;
    for (let j = 0; j < size; j++) {
      let g = outGrad[s * size + j];
      if (relu && !(pre[s * size + j] > 0)) g = 0;
      if (g === 0) continue;
      bGrad[j] += g;
      const wBase = j * fanIn;
      for (let i = 0; i < fanIn; i++) {
        wGrad[wBase + i] += input[inBase + i] * g;
        inGrad[inBase + i] += weights[wBase + i] * g;
      }
    }
  }
}

/**
 * The chain workload by hand: `v = x`, then alternately `v = v·a` and
 * `v = v + b` for `length - 3` operations; returns `v` and fills
 * `[dv/dx, dv/da, dv/db]` into `gradients` (accumulating, like leaves).
 */
export function chainBaseline(
  x: number,
  a: number,
  b: number,
  operations: number,
  values: Float64Array,
  gradients: Float64Array,
): number {
  let v = x;
  for (let i = 0; i < operations; i++) {
    values[i] = v; // the input of operation i
    v = i % 2 === 0 ? v * a : v + b;
  }
  // Backward: walk the operations in reverse.
  let g = 1, gradA = 0, gradB = 0;
  for (let i = operations - 1; i >= 0; i--) {
    if (i % 2 === 0) {
      gradA += values[i] * g;
      g = a * g;
    } else {
      gradB += g;
    }
  }
  gradients[0] += g;
  gradients[1] += gradA;
  gradients[2] += gradB;
  return v;
}
