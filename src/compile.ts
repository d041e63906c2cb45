/**
 * A compiled tape: record a {@linkcode Value} graph once, then replay its
 * forward and backward passes as tight loops over typed arrays.
 *
 * Building a graph costs one object per operation on every training step.
 * When the graph's *shape* does not change between steps (the same MLP on a
 * batch of the same size), only the numbers in its leaves do: the parameters
 * after an optimiser step, the inputs and targets of the next batch. So the
 * shape can be flattened once into arrays (an opcode per node, the indices
 * of its inputs, its constant) and replayed with fresh leaf values, which is
 * many times faster and allocates nothing per step.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import { type Operation, topologicalOrder, Value } from "./engine.ts";

// Numeric opcodes, one per engine operation. `**` splits in two: a number
// exponent (kept in `constants`) and a Value exponent (a second input). The
// order matters: below `DIV` are the operations whose backward step adds
// exactly nothing when the incoming grad is 0 and every value is finite (see
// `backward`); `DIV` and `**` can make 0 · Infinity = NaN out of finite values.
const LEAF = 0;
const ADD = 1;
const SUB = 2;
const MUL = 3;
const NEG = 4;
const EXP = 5;
const LOG = 6;
const TANH = 7;
const RELU = 8;
const SIGMOID = 9;
const SUM = 10;
const DOT = 11;
/** A `dot` whose first vector sits in consecutive slots (a neuron's weights). */
const DOT_CONSECUTIVE = 12;
const LOGSUMEXP = 13;
const DIV = 14;
const POWER_CONSTANT = 15;
const POWER = 16;

// Fused codes for the commonest pattern, a layer of neurons: each neuron is
// a `dot` (weights in consecutive slots), then `+ bias`, then optionally
// `relu`, in consecutive slots, and the neurons follow each other, all taking
// the same input vector. The forward pass meets the group at its first slot,
// the backward pass at its last (the other slots keep their own codes, for
// the unfused path). Every node's arithmetic is unchanged, so the results
// are identical, but the layer dispatches once instead of two or three times
// per neuron, reads the shared inputs (in scattered slots) into a dense
// buffer once instead of once per neuron, and computes two neurons at a
// time. Both codes are above DIV: the grad of a layer's last slot alone
// never decides to skip the whole layer.
const LAYER = 17;
const LAYER_RELU = 18;

/** The opcode of a node; `**` depends on whether its exponent is a Value. */
function opcodeOf(node: Value): number {
  const op: Operation = node.op;
  switch (op) {
    case "":
      return LEAF;
    case "+":
      return ADD;
    case "-":
      return SUB;
    case "*":
      return MUL;
    case "/":
      return DIV;
    case "**":
      return node.inputs.length === 1 ? POWER_CONSTANT : POWER;
    case "neg":
      return NEG;
    case "exp":
      return EXP;
    case "log":
      return LOG;
    case "tanh":
      return TANH;
    case "relu":
      return RELU;
    case "sigmoid":
      return SIGMOID;
    case "sum":
      return SUM;
    case "dot":
      return DOT;
    case "logsumexp":
      return LOGSUMEXP;
  }
  throw new TypeError(
    `compile: unknown operation ${describeArgument(op)} in the graph`,
  );
}

/** Whether `indices[first .. first+n)` are `k, k+1, ..., k+n-1`. */
function isConsecutive(indices: Int32Array, first: number, n: number): boolean {
  for (let j = 1; j < n; j++) {
    if (indices[first + j] !== indices[first] + j) return false;
  }
  return true;
}

/**
 * How many slots the neuron starting at slot `i` takes: 3 for
 * `relu(dot + bias)`, 2 for `dot + bias`, 0 if no neuron starts there.
 */
function neuronLength(
  opcodes: Uint8Array,
  start: Int32Array,
  indices: Int32Array,
  i: number,
): number {
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

/** The fused layers of a tape (see LAYER), found by {@linkcode findLayers}. */
interface Layers {
  forwardCodes: Uint8Array;
  backwardCodes: Uint8Array;
  groupEnd: Int32Array;
  /** The longest shared input vector, the size of the scratch buffers. */
  widest: number;
}

/**
 * Group runs of neurons that share one input vector into layers (see LAYER).
 * A neuron joins a layer only where running it fused gives exactly what its
 * nodes give one by one:
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
 */
function findLayers(
  opcodes: Uint8Array,
  start: Int32Array,
  indices: Int32Array,
  constants: Float64Array,
): Layers {
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
    const length = neuronLength(opcodes, start, indices, first);
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
      neuronLength(opcodes, start, indices, end) === length &&
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
  return { forwardCodes, backwardCodes, groupEnd, widest };
}

/**
 * Forward through the layer in slots `first..last`: each neuron's dot (from
 * 0, in input order), `+ bias`, then relu. Returns its finiteness-check
 * term (see `CompiledGraph.forward`).
 */
function layerForward(
  data: Float64Array,
  start: Int32Array,
  indices: Int32Array,
  constants: Float64Array,
  first: number,
  last: number,
  relu: boolean,
  inputs: Float64Array,
): number {
  const n = constants[first] | 0;
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
    finiteCheck += finishNeuron(data, start, indices, s, total0, relu) +
      finishNeuron(data, start, indices, s + length, total1, relu);
  }
  if (s <= last) {
    const a0 = indices[start[s]];
    let total = 0;
    for (let j = 0; j < n; j++) total += data[a0 + j] * inputs[j];
    finiteCheck += finishNeuron(data, start, indices, s, total, relu);
  }
  return finiteCheck;
}

/**
 * Store the neuron at slot `s`: its dot `total`, `total + bias`, and the
 * relu of that; returns its finiteness-check term.
 */
function finishNeuron(
  data: Float64Array,
  start: Int32Array,
  indices: Int32Array,
  s: number,
  total: number,
  relu: boolean,
): number {
  data[s] = total;
  const z = total + data[indices[start[s + 1] + 1]];
  data[s + 1] = z;
  // NaN passes through relu, as in the RELU case.
  if (relu) data[s + 2] = z > 0 || Number.isNaN(z) ? z : 0;
  // z is finite exactly when the dot and the bias are (the bias is checked
  // as a node of its own), and then so is relu(z): one check covers the
  // neuron.
  return z - z;
}

/**
 * Backward through the layer in slots `first..last`, neuron by neuron from
 * the last, each node's step skipped on a zero grad as in
 * `CompiledGraph.backward`. The inputs' grads are summed in `inputGrads`
 * (in the same order as they would be in place) and stored once at the end.
 */
function layerBackward(
  data: Float64Array,
  grad: Float64Array,
  start: Int32Array,
  indices: Int32Array,
  constants: Float64Array,
  first: number,
  last: number,
  relu: boolean,
  skipZeros: boolean,
  inputs: Float64Array,
  inputGrads: Float64Array,
): void {
  const n = constants[first] | 0;
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
      if (grad[out] === 0 || (relu && data[out] <= 0)) continue;
    }
    if (relu) {
      // Passes where the output is not clamped, NaN included.
      const g = grad[s + 2];
      if (!(g === 0 && skipZeros) && !(data[s + 2] <= 0)) grad[s + 1] += g;
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

/**
 * A {@linkcode Value} graph flattened into typed arrays, made by
 * {@linkcode compile}. {@linkcode CompiledGraph.forward} re-reads every
 * leaf's `.data` and recomputes all the other nodes;
 * {@linkcode CompiledGraph.backward} runs the chain rule and adds into the
 * leaves' `.grad`, exactly like {@linkcode Value.backward}.
 *
 * Every node's arithmetic is the same expression, in the same order, as in
 * `engine.ts`, so the results equal the `Value` engine's bit for bit.
 *
 * @example Train a parameter by replaying one recorded graph
 * ```ts
 * import { compile } from "./compile.ts";
 * import { Value } from "./engine.ts";
 *
 * const w = new Value(0.5, "w");
 * const x = new Value(0, "x"); // input: changes every step
 * const loss = w.mul(x).sub(3).pow(2); // (w·x - 3)²
 * const tape = compile(loss);
 * for (const input of [1, 2, 3]) {
 *   x.data = input; // new data, same graph
 *   w.grad = 0;
 *   tape.forward();
 *   tape.backward();
 *   w.data -= 0.05 * w.grad;
 * }
 * console.log(tape.nodeCount); // 6
 * ```
 */
export class CompiledGraph {
  /** How many nodes the recorded graph has (leaves included). */
  readonly nodeCount: number;
  /** How many of those are leaves (parameters, inputs, number constants). */
  readonly leafCount: number;

  // Node i's record. Leaves take slots 0..leafCount-1, then the operations
  // follow in topological order (every node after its inputs).
  readonly #opcodes: Uint8Array;
  /** Like `#opcodes`, with fused groups marked where each pass enters them. */
  readonly #forwardCodes: Uint8Array;
  readonly #backwardCodes: Uint8Array;
  /** At a layer's first slot, its last; at its last slot, its first. */
  readonly #groupEnd: Int32Array;
  /** Scratch for a layer's shared input values and their grads. */
  readonly #layerInputs: Float64Array;
  readonly #layerInputGrads: Float64Array;
  /** Node i's inputs are `#inputIndices[#inputStart[i] .. #inputStart[i+1])`. */
  readonly #inputStart: Int32Array;
  readonly #inputIndices: Int32Array;
  /** The exponent of a number `**`, the vector length of a `dot`. */
  readonly #constants: Float64Array;
  readonly #data: Float64Array;
  readonly #grad: Float64Array;
  /** The leaf `Value`s, in slot order: their `.data` in, their `.grad` out. */
  readonly #leaves: Value[];
  /**
   * Slot of every captured node, for {@linkcode CompiledGraph.valueOf}. Weak,
   * so the tape does not keep the recorded graph alive: once the caller
   * drops it, only the leaves and these arrays remain.
   */
  readonly #slotOf: WeakMap<Value, number>;
  /**
   * Whether every value of the last forward() was finite; until then, not
   * known, so false (which only turns a shortcut in backward() off).
   */
  #allFinite = false;

  /**
   * Flatten the graph under `root`; prefer {@linkcode compile}.
   *
   * @example
   * ```ts
   * import { CompiledGraph } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const tape = new CompiledGraph(new Value(2).mul(3));
   * console.log(tape.forward()); // 6
   * ```
   */
  constructor(root: Value) {
    if (!(root instanceof Value)) {
      throw new TypeError(
        `compile: expected a Value as root, got ${describeArgument(root)}`,
      );
    }
    const order = topologicalOrder(root);
    const count = order.length;
    // Leaves first, then operations in their topological order: leaves
    // have no inputs, so this is still a valid order to compute in.
    const leaves: Value[] = [];
    const operations: Value[] = [];
    let inputTotal = 0;
    for (const node of order) {
      if (node.op === "") {
        leaves.push(node);
      } else {
        operations.push(node);
        inputTotal += node.inputs.length;
      }
    }
    const nodes = leaves.concat(operations); // nodes[slot]
    const slotOf = new WeakMap<Value, number>();
    for (let slot = 0; slot < count; slot++) slotOf.set(nodes[slot], slot);

    const opcodes = new Uint8Array(count);
    const inputStart = new Int32Array(count + 1);
    const inputIndices = new Int32Array(inputTotal);
    const constants = new Float64Array(count);
    const data = new Float64Array(count);
    // Finding each input's slot is the hot part of compiling (one lookup per
    // edge: 8.5 million for a 2-64-64-1 MLP on 1,000 points), and a field
    // read is many times faster than a hash lookup. So each node's slot is
    // parked in its own `grad` while the inputs are resolved, and every grad
    // is put back afterwards, even if this throws.
    const savedGrads = new Float64Array(count);
    for (let slot = 0; slot < count; slot++) {
      savedGrads[slot] = nodes[slot].grad;
      nodes[slot].grad = slot;
    }
    let next = 0;
    try {
      for (let slot = 0; slot < count; slot++) {
        const node = nodes[slot];
        opcodes[slot] = opcodeOf(node);
        constants[slot] = node.constant;
        // Until the first forward(), report the values the graph was built with.
        data[slot] = node.data;
        inputStart[slot] = next;
        const inputs = node.inputs;
        for (let j = 0; j < inputs.length; j++) {
          inputIndices[next++] = inputs[j].grad;
        }
        if (
          opcodes[slot] === DOT &&
          isConsecutive(inputIndices, inputStart[slot], node.constant)
        ) {
          opcodes[slot] = DOT_CONSECUTIVE;
        }
      }
    } finally {
      for (let slot = 0; slot < count; slot++) {
        nodes[slot].grad = savedGrads[slot];
      }
    }
    inputStart[count] = next;

    const layers = findLayers(opcodes, inputStart, inputIndices, constants);

    this.nodeCount = count;
    this.leafCount = leaves.length;
    this.#opcodes = opcodes;
    this.#forwardCodes = layers.forwardCodes;
    this.#backwardCodes = layers.backwardCodes;
    this.#groupEnd = layers.groupEnd;
    this.#layerInputs = new Float64Array(layers.widest);
    this.#layerInputGrads = new Float64Array(layers.widest);
    this.#inputStart = inputStart;
    this.#inputIndices = inputIndices;
    this.#constants = constants;
    this.#data = data;
    this.#grad = new Float64Array(count);
    this.#leaves = leaves;
    this.#slotOf = slotOf;
  }

  /**
   * Recompute the whole graph from the leaves' current `.data` (parameters,
   * inputs and targets may all have changed since the last call) and return
   * the root's value. The `Value` objects of intermediate nodes are not
   * updated; read them with {@linkcode CompiledGraph.valueOf}.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(1);
   * const tape = compile(x.mul(x).add(1));
   * x.data = 3;
   * console.log(tape.forward()); // 10
   * ```
   */
  forward(): number {
    const data = this.#data;
    const opcodes = this.#forwardCodes;
    const start = this.#inputStart;
    const indices = this.#inputIndices;
    const constants = this.#constants;
    const groupEnd = this.#groupEnd;
    const leaves = this.#leaves;
    const leafCount = leaves.length;
    const count = this.nodeCount;
    // x - x is 0 for every finite x and NaN for ±Infinity and NaN, so this
    // sum stays 0 exactly when every value in the graph is finite.
    let finiteCheck = 0;
    for (let i = 0; i < leafCount; i++) {
      const x = leaves[i].data;
      data[i] = x;
      finiteCheck += x - x;
    }
    // Each case is the expression `engine.ts` uses for that operation, so
    // the two engines round identically.
    for (let i = leafCount; i < count; i++) {
      const first = start[i];
      let value = 0;
      switch (opcodes[i]) {
        case LAYER:
        case LAYER_RELU: {
          const last = groupEnd[i];
          finiteCheck += layerForward(
            data,
            start,
            indices,
            constants,
            i,
            last,
            opcodes[i] === LAYER_RELU,
            this.#layerInputs,
          );
          i = last;
          continue;
        }
        case ADD:
          value = data[indices[first]] + data[indices[first + 1]];
          break;
        case SUB:
          value = data[indices[first]] - data[indices[first + 1]];
          break;
        case MUL:
          value = data[indices[first]] * data[indices[first + 1]];
          break;
        case DIV:
          value = data[indices[first]] / data[indices[first + 1]];
          break;
        case POWER_CONSTANT:
          value = data[indices[first]] ** constants[i];
          break;
        case POWER:
          value = data[indices[first]] ** data[indices[first + 1]];
          break;
        case NEG:
          value = -data[indices[first]];
          break;
        case EXP:
          value = Math.exp(data[indices[first]]);
          break;
        case LOG:
          value = Math.log(data[indices[first]]);
          break;
        case TANH:
          value = Math.tanh(data[indices[first]]);
          break;
        case RELU: {
          // NaN passes through (as in PyTorch) instead of hiding as 0.
          const x = data[indices[first]];
          value = x > 0 || Number.isNaN(x) ? x : 0;
          break;
        }
        case SIGMOID: {
          // Never overflows: for negative x use e^x / (1 + e^x).
          const x = data[indices[first]];
          if (x >= 0) {
            value = 1 / (1 + Math.exp(-x));
          } else {
            const e = Math.exp(x);
            value = e / (1 + e);
          }
          break;
        }
        case SUM: {
          const end = start[i + 1];
          let total = 0;
          for (let j = first; j < end; j++) total += data[indices[j]];
          value = total;
          break;
        }
        case DOT: {
          // Inputs are the vector a, then the vector b, each of length n.
          const n = constants[i] | 0;
          let total = 0;
          for (let j = first; j < first + n; j++) {
            total += data[indices[j]] * data[indices[j + n]];
          }
          value = total;
          break;
        }
        case DOT_CONSECUTIVE: {
          // The same sum, with a's slots known to be a0, a0+1, ...
          const n = constants[i] | 0;
          const a0 = indices[first] - first;
          let total = 0;
          for (let j = first; j < first + n; j++) {
            total += data[a0 + j] * data[indices[j + n]];
          }
          value = total;
          break;
        }
        case LOGSUMEXP: {
          // m + log Σ e^(x-m) with m the largest input: never overflows.
          const end = start[i + 1];
          let max = -Infinity;
          for (let j = first; j < end; j++) {
            const x = data[indices[j]];
            if (x > max) max = x;
          }
          if (!Number.isFinite(max)) {
            value = max;
          } else {
            let total = 0;
            for (let j = first; j < end; j++) {
              total += Math.exp(data[indices[j]] - max);
            }
            value = max + Math.log(total);
          }
          break;
        }
      }
      data[i] = value;
      finiteCheck += value - value;
    }
    this.#allFinite = finiteCheck === 0;
    return data[count - 1];
  }

  /**
   * Run the chain rule backwards from the root (seeded with grad 1) over the
   * values of the last {@linkcode CompiledGraph.forward}, and add each leaf's
   * gradient into its `.grad` — the same semantics as
   * {@linkcode Value.backward}: leaf grads accumulate across calls (zero
   * them before each step), intermediate grads start from zero every time.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(3);
   * const tape = compile(x.mul(x)); // d(x²)/dx = 2x
   * tape.forward();
   * tape.backward();
   * console.log(x.grad); // 6
   * tape.backward();
   * console.log(x.grad); // 12: accumulated, as in PyTorch
   * ```
   */
  backward(): void {
    const data = this.#data;
    const grad = this.#grad;
    const opcodes = this.#backwardCodes;
    const start = this.#inputStart;
    const indices = this.#inputIndices;
    const constants = this.#constants;
    const groupEnd = this.#groupEnd;
    const leaves = this.#leaves;
    const leafCount = leaves.length;
    const count = this.nodeCount;
    // A node whose grad is 0 adds 0 · (finite) = ±0 to its inputs, which
    // changes nothing -- unless a value is ±Infinity or NaN (0 · Infinity is
    // NaN, and the Value engine propagates it), or a grad is -0 (-0 + 0 is
    // +0). So such nodes are skipped only when neither can happen: then the
    // result is still exactly the Value engine's, and a trained network,
    // where most samples and dead ReLUs pass back 0, costs far less.
    let skipZeros = this.#allFinite;
    // Leaves continue from their current grad, in the same order of
    // additions as Value.backward, so the sums round identically.
    for (let i = 0; i < leafCount; i++) {
      const g = leaves[i].grad;
      if (g === 0 && 1 / g < 0) skipZeros = false; // a -0
      grad[i] = g;
    }
    grad.fill(0, leafCount);
    grad[count - 1] += 1; // a leaf root accumulates, as in Value.backward
    for (let i = count - 1; i >= leafCount; i--) {
      const g = grad[i];
      const opcode = opcodes[i];
      if (g === 0 && skipZeros && opcode < DIV) continue;
      const first = start[i];
      switch (opcode) {
        case LAYER:
        case LAYER_RELU: {
          const groupFirst = groupEnd[i];
          layerBackward(
            data,
            grad,
            start,
            indices,
            constants,
            groupFirst,
            i,
            opcode === LAYER_RELU,
            skipZeros,
            this.#layerInputs,
            this.#layerInputGrads,
          );
          i = groupFirst;
          break;
        }
        case ADD:
          grad[indices[first]] += g;
          grad[indices[first + 1]] += g;
          break;
        case SUB:
          grad[indices[first]] += g;
          grad[indices[first + 1]] -= g;
          break;
        case MUL: {
          const a = indices[first], b = indices[first + 1];
          grad[a] += data[b] * g;
          grad[b] += data[a] * g;
          break;
        }
        case DIV: {
          // d(a/b)/da = 1/b, d(a/b)/db = -a/b² as -(a/b)/b: b² would
          // overflow for |b| > 1e154.
          const a = indices[first], b = indices[first + 1];
          const av = data[a], bv = data[b];
          grad[a] += g / bv;
          grad[b] -= g * (av / bv / bv);
          break;
        }
        case POWER_CONSTANT: {
          // d(a^k)/da = k·a^(k-1), and 0 for k = 0 (also at a = 0)
          const k = constants[i];
          const a = indices[first];
          if (k !== 0) grad[a] += k * data[a] ** (k - 1) * g;
          break;
        }
        case POWER: {
          const a = indices[first], b = indices[first + 1];
          const base = data[a], k = data[b];
          if (k !== 0) grad[a] += k * base ** (k - 1) * g;
          // d(a^b)/db = a^b·ln a, taken as 0 where a = 0 and b >= 0
          if (!(base === 0 && k >= 0)) grad[b] += data[i] * Math.log(base) * g;
          break;
        }
        case NEG:
          grad[indices[first]] -= g;
          break;
        case EXP:
          grad[indices[first]] += data[i] * g;
          break;
        case LOG: {
          const a = indices[first];
          grad[a] += g / data[a];
          break;
        }
        case TANH:
          grad[indices[first]] += (1 - data[i] * data[i]) * g;
          break;
        case RELU:
          // Passes where the output is not clamped, NaN included.
          if (!(data[i] <= 0)) grad[indices[first]] += g;
          break;
        case SIGMOID:
          grad[indices[first]] += data[i] * (1 - data[i]) * g;
          break;
        case SUM: {
          const end = start[i + 1];
          for (let j = first; j < end; j++) grad[indices[j]] += g;
          break;
        }
        case DOT: {
          const n = constants[i] | 0;
          for (let j = first; j < first + n; j++) {
            const a = indices[j], b = indices[j + n];
            grad[a] += data[b] * g;
            grad[b] += data[a] * g;
          }
          break;
        }
        case DOT_CONSECUTIVE: {
          const n = constants[i] | 0;
          const a0 = indices[first] - first;
          for (let j = first; j < first + n; j++) {
            const a = a0 + j, b = indices[j + n];
            grad[a] += data[b] * g;
            grad[b] += data[a] * g;
          }
          break;
        }
        case LOGSUMEXP: {
          // The softmax of the inputs: e^(x_i - out)
          const end = start[i + 1];
          const out = data[i];
          for (let j = first; j < end; j++) {
            const a = indices[j];
            grad[a] += Math.exp(data[a] - out) * g;
          }
          break;
        }
      }
    }
    for (let i = 0; i < leafCount; i++) leaves[i].grad = grad[i];
  }

  /**
   * The value of a node of the recorded graph as of the last
   * {@linkcode CompiledGraph.forward} (before the first, the value it was
   * built with). Throws a `RangeError` for a node that is not in the graph.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(2);
   * const hidden = x.mul(3);
   * const tape = compile(hidden.relu());
   * x.data = 5;
   * tape.forward();
   * console.log(tape.valueOf(hidden), hidden.data); // 15 6
   * ```
   */
  valueOf(node: Value): number {
    return this.#data[this.#slot(node, "valueOf")];
  }

  /**
   * The gradient of the root with respect to a node of the recorded graph,
   * as of the last {@linkcode CompiledGraph.backward}: for a leaf its
   * `.grad`, for an intermediate node the grad the `Value` engine would have
   * left in it. Throws a `RangeError` for a node that is not in the graph.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(2);
   * const hidden = x.mul(3);
   * const tape = compile(hidden.mul(hidden)); // d(h²)/dh = 2h
   * tape.forward();
   * tape.backward();
   * console.log(tape.gradOf(hidden), x.grad); // 12 36
   * ```
   */
  gradOf(node: Value): number {
    return this.#grad[this.#slot(node, "gradOf")];
  }

  /**
   * The position of a node of the recorded graph in this tape, for
   * {@linkcode CompiledGraph.valueAt} and {@linkcode CompiledGraph.gradAt}.
   * Holding the index instead of the `Value` lets the recorded graph be
   * garbage-collected (a kept node keeps everything it was computed from
   * alive), so a long-lived tape costs only its typed arrays. Throws a
   * `RangeError` for a node that is not in the graph.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(2);
   * const hidden = x.mul(3);
   * const tape = compile(hidden.tanh());
   * const index = tape.indexOf(hidden); // keep this, drop `hidden`
   * x.data = 5;
   * tape.forward();
   * console.log(tape.valueAt(index)); // 15
   * ```
   */
  indexOf(node: Value): number {
    return this.#slot(node, "indexOf");
  }

  /**
   * The value of the node at `index` (from {@linkcode CompiledGraph.indexOf})
   * as of the last {@linkcode CompiledGraph.forward}.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const root = new Value(2).mul(4);
   * const tape = compile(root);
   * console.log(tape.valueAt(tape.indexOf(root))); // 8
   * ```
   */
  valueAt(index: number): number {
    return this.#data[this.#checkIndex(index, "valueAt")];
  }

  /**
   * The grad of the node at `index` (from {@linkcode CompiledGraph.indexOf})
   * as of the last {@linkcode CompiledGraph.backward}.
   *
   * @example
   * ```ts
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(3);
   * const square = x.mul(x);
   * const tape = compile(square.add(1));
   * tape.forward();
   * tape.backward();
   * console.log(tape.gradAt(tape.indexOf(square)), x.grad); // 1 6
   * ```
   */
  gradAt(index: number): number {
    return this.#grad[this.#checkIndex(index, "gradAt")];
  }

  #checkIndex(index: number, method: string): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.nodeCount) {
      throw new RangeError(
        `CompiledGraph.${method}: index must be an integer from 0 to ${
          this.nodeCount - 1
        } (from indexOf), got ${describeArgument(index)}`,
      );
    }
    return index;
  }

  #slot(node: Value, method: string): number {
    const slot = this.#slotOf.get(node);
    if (slot === undefined) {
      throw new RangeError(
        `CompiledGraph.${method}: expected a node of the compiled graph, got ${
          node instanceof Value
            ? "a Value that is not in it"
            : describeArgument(node)
        }`,
      );
    }
    return slot;
  }
}

/**
 * Record the graph under `root` as a {@linkcode CompiledGraph}, to replay
 * its forward and backward passes without building new `Value`s.
 *
 * Use it when the graph's shape stays the same and only leaf values change
 * (a model's parameters, a batch of the same size). Changing which nodes
 * exist needs a new `compile`.
 *
 * @example Replay a neuron on new inputs
 * ```ts
 * import { compile } from "./compile.ts";
 * import { Value } from "./engine.ts";
 *
 * const weights = [new Value(0.5), new Value(-1)];
 * const inputs = [new Value(0), new Value(0)];
 * const out = Value.dot(weights, inputs).tanh();
 * const tape = compile(out);
 * inputs[0].data = 2;
 * inputs[1].data = 1;
 * console.log(tape.forward()); // tanh(0.5·2 - 1·1) = 0
 * tape.backward();
 * console.log(weights[0].grad); // 2: d tanh(u)/du at 0 times input 2
 * ```
 */
export function compile(root: Value): CompiledGraph {
  return new CompiledGraph(root);
}
