/**
 * Layer fusion for the compiled tape: the commonest pattern in a graph, a
 * layer of neurons, run as one unit.
 *
 * Each neuron is a `dot` (weights in consecutive slots), then `+ bias`, then
 * optionally `relu`, in consecutive slots, and the neurons follow each
 * other, all taking the same input vector. The forward pass meets the group
 * at its first slot, the backward pass at its last (the other slots keep
 * their own codes, for the unfused path). Every node's arithmetic is
 * unchanged, so the results are identical, but the layer dispatches once
 * instead of two or three times per neuron, reads the shared inputs (in
 * scattered slots) into a dense buffer once instead of once per neuron, and
 * computes two neurons at a time.
 *
 * @module
 */

import type { FlatGraph } from "./flatten.ts";
import { ADD, DOT_CONSECUTIVE, LAYER, LAYER_RELU, RELU } from "./opcodes.ts";
import { reluForward, reluPasses } from "./ops.ts";

/** The fused layers of a tape, found by {@linkcode findLayers}. */
export interface Layers {
  /** The opcodes the forward pass reads: a layer's code at its first slot. */
  forwardCodes: Uint8Array;
  /** The opcodes the backward pass reads: a layer's code at its last slot. */
  backwardCodes: Uint8Array;
  /** At a layer's first slot, its last; at its last slot, its first. */
  groupEnd: Int32Array;
  /** Scratch for a layer's shared input values. */
  inputs: Float64Array;
  /** Scratch for their grads. */
  inputGrads: Float64Array;
}

/**
 * How many slots the neuron starting at slot `i` takes: 3 for
 * `relu(dot + bias)`, 2 for `dot + bias`, 0 if no neuron starts there.
 */
function neuronLength(graph: FlatGraph, i: number): number {
  const { opcodes, inputStart: start, inputIndices: indices } = graph;
  const count = opcodes.length;
  if (
    opcodes[i] !== DOT_CONSECUTIVE || i + 1 >= count ||
    opcodes[i + 1] !== ADD || indices[start[i + 1]] !== i
  ) {
    return 0;
  }
  const relu = i + 2 < count && opcodes[i + 2] === RELU &&
    indices[start[i + 2]] === i + 1;
  return relu ? 3 : 2;
}

/**
 * No fusion: every node runs by itself (the same numbers, more dispatch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { flattenGraph } from "./flatten.ts";
 * import { unfused } from "./layers.ts";
 * const graph = flattenGraph(new Value(1).add(2));
 * assert.deepEqual(unfused(graph).forwardCodes, graph.opcodes);
 * ```
 */
export function unfused(graph: FlatGraph): Layers {
  return {
    forwardCodes: graph.opcodes,
    backwardCodes: graph.opcodes,
    groupEnd: new Int32Array(0),
    inputs: new Float64Array(0),
    inputGrads: new Float64Array(0),
  };
}

/**
 * Group runs of neurons that share one input vector into layers. A neuron
 * joins a layer only where running it fused gives exactly what its nodes
 * give one by one:
 *
 * - its weights and bias are computed before the layer, so the layer's
 *   neurons may be computed in any order (two at a time);
 * - its dot and its sum feed nothing but the neuron itself, so when its
 *   output passes back 0 nothing else can (layerBackward skips it whole);
 * - the shared inputs are distinct slots and none of them is a weight or a
 *   bias of the layer: their grads are summed in a buffer while the layer
 *   runs, which is only exact if nothing else adds into those slots then.
 *
 * Neurons that break a rule stay unfused; their nodes run one by one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { flattenGraph } from "./flatten.ts";
 * import { findLayers } from "./layers.ts";
 * import { LAYER_RELU } from "./opcodes.ts";
 * const x = [new Value(1), new Value(2)];
 * const neuron = (w: number) =>
 *   Value.dot([new Value(w), new Value(w)], x).add(new Value(0)).relu();
 * const graph = flattenGraph(Value.sum([neuron(1), neuron(-1)]));
 * const layers = findLayers(graph);
 * assert.equal(layers.forwardCodes.filter((c) => c === LAYER_RELU).length, 1);
 * ```
 */
export function findLayers(graph: FlatGraph): Layers {
  const {
    opcodes,
    inputStart: start,
    inputIndices: indices,
    constants,
  } = graph;
  const count = opcodes.length;
  const forwardCodes = opcodes.slice();
  const backwardCodes = opcodes.slice();
  const groupEnd = new Int32Array(count);
  let widest = 0;
  // owner[slot] = first slot of the layer that has `slot` as an input.
  const owner = new Int32Array(count).fill(-1);
  // How many times each slot is an input of some node.
  const uses = new Int32Array(count);
  for (let j = 0; j < indices.length; j++) uses[indices[j]]++;
  // Whether neuron `s` (of length n) can join the layer starting at `first`.
  const fits = (
    s: number,
    first: number,
    n: number,
    relu: boolean,
  ): boolean => {
    const a0 = indices[start[s]];
    const bias = indices[start[s + 1] + 1];
    // Weights and bias computed before the layer: then its neurons can be
    // computed in any order (layerForward does two at a time).
    if (a0 + n > first || bias >= first) return false;
    // Its dot and sum feed nothing but the neuron itself (layerBackward
    // relies on it).
    if (uses[s] !== 1 || (relu && uses[s + 1] !== 1)) return false;
    for (let j = 0; j < n; j++) {
      if (owner[a0 + j] === first) return false; // a weight is an input
    }
    return owner[bias] !== first; // so is the bias
  };
  for (let first = 0; first < count; first++) {
    const length = neuronLength(graph, first);
    if (length === 0) continue;
    const n = constants[first] | 0;
    const inputsFrom = start[first] + n;
    let distinct = true;
    for (let j = inputsFrom; j < inputsFrom + n; j++) {
      if (owner[indices[j]] === first) distinct = false;
      owner[indices[j]] = first;
    }
    if (!distinct || !fits(first, first, n, length === 3)) continue;
    // Extend over the following neurons of the same kind and inputs.
    let end = first + length;
    while (
      neuronLength(graph, end) === length &&
      constants[end] === n && fits(end, first, n, length === 3)
    ) {
      const from = start[end] + n;
      let same = true;
      for (let j = 0; j < n && same; j++) {
        same = indices[from + j] === indices[inputsFrom + j];
      }
      if (!same) break;
      end += length;
    }
    const last = end - 1;
    const code = length === 3 ? LAYER_RELU : LAYER;
    forwardCodes[first] = code;
    backwardCodes[last] = code;
    groupEnd[first] = last;
    groupEnd[last] = first;
    if (n > widest) widest = n;
    first = last;
  }
  return {
    forwardCodes,
    backwardCodes,
    groupEnd,
    inputs: new Float64Array(widest),
    inputGrads: new Float64Array(widest),
  };
}

/**
 * Store the neuron at slot `s`: its dot `total`, `total + bias`, and the
 * relu of that; returns its finiteness-check term.
 */
function finishNeuron(
  graph: FlatGraph,
  s: number,
  total: number,
  relu: boolean,
): number {
  const data = graph.data;
  data[s] = total;
  const z = total + data[graph.inputIndices[graph.inputStart[s + 1] + 1]];
  data[s + 1] = z;
  if (relu) data[s + 2] = reluForward(z);
  // z is finite exactly when the dot and the bias are (the bias is checked
  // as a node of its own), and then so is relu(z): one check covers the
  // neuron.
  return z - z;
}

/**
 * Forward through the layer that starts at slot `first`: each neuron's dot
 * (from 0, in input order), `+ bias`, then relu. Returns its
 * finiteness-check term (0 when every value is finite; see the tape's
 * `forward`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { flattenGraph } from "./flatten.ts";
 * import { findLayers, layerForward } from "./layers.ts";
 * const x = [new Value(1), new Value(2)];
 * const out = Value.dot([new Value(3), new Value(4)], x).add(new Value(1));
 * const graph = flattenGraph(Value.sum([out]));
 * const layers = findLayers(graph);
 * const first = layers.forwardCodes.findIndex((c, i) => i >= graph.leafCount && c > 16);
 * graph.data.fill(0, graph.leafCount);
 * assert.equal(layerForward(graph, layers, first), 0);
 * assert.equal(graph.data[first + 1], 12); // 3·1 + 4·2 + 1
 * ```
 */
export function layerForward(
  graph: FlatGraph,
  layers: Layers,
  first: number,
): number {
  const { data, inputStart: start, inputIndices: indices } = graph;
  const inputs = layers.inputs;
  const last = layers.groupEnd[first];
  const relu = layers.forwardCodes[first] === LAYER_RELU;
  const n = graph.constants[first] | 0;
  const inputsFrom = start[first] + n;
  for (let j = 0; j < n; j++) inputs[j] = data[indices[inputsFrom + j]];
  const length = relu ? 3 : 2;
  let finiteCheck = 0;
  let s = first;
  // Two neurons at a time. Each sum still adds its terms in input order
  // (same rounding), but the two are independent, so the CPU overlaps them
  // instead of waiting out every addition's latency. (Safe because the
  // neurons read only slots before the layer; see findLayers.)
  for (; s + length <= last; s += 2 * length) {
    const a0 = indices[start[s]], b0 = indices[start[s + length]];
    let total0 = 0, total1 = 0;
    for (let j = 0; j < n; j++) {
      const x = inputs[j];
      total0 += data[a0 + j] * x;
      total1 += data[b0 + j] * x;
    }
    finiteCheck += finishNeuron(graph, s, total0, relu) +
      finishNeuron(graph, s + length, total1, relu);
  }
  if (s <= last) {
    const a0 = indices[start[s]];
    let total = 0;
    for (let j = 0; j < n; j++) total += data[a0 + j] * inputs[j];
    finiteCheck += finishNeuron(graph, s, total, relu);
  }
  return finiteCheck;
}

/**
 * Backward through the layer that ends at slot `last`, neuron by neuron
 * from the last, each node's step skipped on a zero grad when `skipZeros`
 * (as in the tape's `backward`). The inputs' grads are summed in a buffer
 * (in the same order as they would be in place) and stored once at the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { flattenGraph } from "./flatten.ts";
 * import { findLayers, layerBackward } from "./layers.ts";
 * const x = [new Value(1), new Value(2)];
 * const w = [new Value(3), new Value(4)];
 * const out = Value.dot(w, x).add(new Value(1));
 * const graph = flattenGraph(Value.sum([out]));
 * const layers = findLayers(graph);
 * const last = graph.nodeCount - 2; // the neuron's sum, before the root
 * graph.grad[last] = 1;
 * layerBackward(graph, layers, last, false);
 * assert.equal(graph.grad[graph.slotOf.get(w[1])!], 2); // x[1]
 * ```
 */
export function layerBackward(
  graph: FlatGraph,
  layers: Layers,
  last: number,
  skipZeros: boolean,
): void {
  const { data, grad, inputStart: start, inputIndices: indices } = graph;
  const { inputs, inputGrads } = layers;
  const first = layers.groupEnd[last];
  const relu = layers.backwardCodes[last] === LAYER_RELU;
  const n = graph.constants[first] | 0;
  const inputsFrom = start[first] + n;
  // In a trained network most neurons pass back 0, so the inputs are only
  // loaded once some neuron's dot has a grad to pass on.
  let loaded = false;
  const length = relu ? 3 : 2;
  for (let s = last + 1 - length; s >= first; s -= length) {
    // Only the neuron itself reads its dot and sum (see findLayers), so if
    // its output passes back 0, or its relu is clamped, every step below
    // would add 0: skip them all at once.
    if (skipZeros) {
      const out = s + length - 1;
      if (grad[out] === 0 || (relu && !reluPasses(data[out]))) continue;
    }
    if (relu) {
      const g = grad[s + 2];
      if (!(g === 0 && skipZeros) && reluPasses(data[s + 2])) grad[s + 1] += g;
    }
    // dot + bias: both get its grad
    const sumGrad = grad[s + 1];
    if (!(sumGrad === 0 && skipZeros)) {
      grad[s] += sumGrad;
      grad[indices[start[s + 1] + 1]] += sumGrad;
    }
    const dotGrad = grad[s];
    if (dotGrad === 0 && skipZeros) continue;
    if (!loaded) {
      for (let j = 0; j < n; j++) {
        const b = indices[inputsFrom + j];
        inputs[j] = data[b];
        inputGrads[j] = grad[b];
      }
      loaded = true;
    }
    const a0 = indices[start[s]];
    for (let j = 0; j < n; j++) {
      grad[a0 + j] += inputs[j] * dotGrad;
      inputGrads[j] += data[a0 + j] * dotGrad;
    }
  }
  if (!loaded) return;
  for (let j = 0; j < n; j++) grad[indices[inputsFrom + j]] = inputGrads[j];
}
