/**
 * The compiled tape: a {@linkcode Value} graph recorded once (flattened by
 * `flatten.ts`, its layers fused by `layers.ts`) and replayed as tight loops
 * over typed arrays, dispatching on the opcodes of `opcodes.ts` and
 * computing with the op table's kernels (`ops.ts`), so that it equals the
 * `Value` engine bit for bit.
 *
 * Building a graph costs one object per operation on every training step.
 * When the graph's *shape* does not change between steps (the same MLP on a
 * batch of the same size), only the numbers in its leaves do: the parameters
 * after an optimiser step, the inputs and targets of the next batch. So the
 * shape can be flattened once into arrays and replayed with fresh leaf
 * values, which is many times faster and allocates nothing per step.
 *
 * @module
 */

import { checkBoolean, checkOptions, describeArgument } from "./checks.ts";
import { Value } from "./engine.ts";
import { type FlatGraph, flattenGraph } from "./flatten.ts";
import {
  findLayers,
  layerBackward,
  layerForward,
  type Layers,
  unfused,
} from "./layers.ts";
import {
  ABS,
  ADD,
  DIV,
  DOT,
  DOT_CONSECUTIVE,
  EXP,
  LAYER,
  LAYER_RELU,
  LOG,
  LOGSUMEXP,
  MUL,
  NEG,
  POWER,
  POWER_CONSTANT,
  RELU,
  SIGMOID,
  SIN,
  SUB,
  SUM,
  TANH,
} from "./opcodes.ts";
import {
  absLocalGradient,
  divDenominatorGradient,
  logSumExpForward,
  logSumExpLocalGradient,
  powExponentLocalGradient,
  powHasBaseGradient,
  powHasExponentGradient,
  powLocalGradient,
  reluForward,
  reluPasses,
  sigmoidForward,
  sigmoidLocalGradient,
  sinForward,
  sinLocalGradient,
  tanhForward,
  tanhLocalGradient,
} from "./ops.ts";

/** Options of {@linkcode compile} and `new CompiledGraph`. */
export interface CompileOptions {
  /**
   * Run runs of neurons that share an input vector as fused layers (one
   * dispatch per layer, two neurons at a time). Default `true`; `false`
   * runs every node by itself: the same numbers, bit for bit, only slower
   * (for checking fusion and measuring what it saves).
   */
  fuseLayers?: boolean;
}

/** The option names {@linkcode CompileOptions} accepts. */
const COMPILE_OPTIONS: readonly (keyof CompileOptions)[] = ["fuseLayers"];

/**
 * Check `compile`'s options: a plain object with no unknown keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkCompileOptions } from "./tape.ts";
 * assert.deepEqual(checkCompileOptions({ fuseLayers: false }), { fuseLayers: false });
 * assert.throws(() => checkCompileOptions({ fuse: true }), /unknown option "fuse"/);
 * ```
 */
export function checkCompileOptions(
  options: unknown,
): Required<CompileOptions> {
  const record = checkOptions(options, "compile", COMPILE_OPTIONS);
  const fuseLayers = record.fuseLayers === undefined
    ? true
    : checkBoolean(record.fuseLayers, "compile", "options.fuseLayers");
  return { fuseLayers };
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
 * import assert from "node:assert/strict";
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
 * assert.equal(tape.nodeCount, 6);
 * ```
 */
export class CompiledGraph {
  /** How many nodes the recorded graph has (leaves included). */
  readonly nodeCount: number;
  /** How many of those are leaves (parameters, inputs, number constants). */
  readonly leafCount: number;

  /** The graph as arrays (see `flatten.ts`). */
  readonly #graph: FlatGraph;
  /** Its fused layers and the opcodes each pass reads (see `layers.ts`). */
  readonly #layers: Layers;
  /** Scratch for the inputs of a `logsumexp`, gathered for its kernel. */
  readonly #gathered: Float64Array;
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
   * import assert from "node:assert/strict";
   * import { CompiledGraph } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const tape = new CompiledGraph(new Value(2).mul(3));
   * assert.equal(tape.forward(), 6);
   * ```
   */
  constructor(root: Value, options: CompileOptions = {}) {
    if (!(root instanceof Value)) {
      throw new TypeError(
        `compile: expected a Value as root, got ${describeArgument(root)}`,
      );
    }
    const { fuseLayers } = checkCompileOptions(options);
    const graph = flattenGraph(root);
    this.nodeCount = graph.nodeCount;
    this.leafCount = graph.leafCount;
    this.#graph = graph;
    this.#layers = fuseLayers ? findLayers(graph) : unfused(graph);
    this.#gathered = new Float64Array(graph.widestList);
  }

  /**
   * Recompute the whole graph from the leaves' current `.data` (parameters,
   * inputs and targets may all have changed since the last call) and return
   * the root's value. The `Value` objects of intermediate nodes are not
   * updated; read them with {@linkcode CompiledGraph.valueOf}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(1);
   * const tape = compile(x.mul(x).add(1));
   * x.data = 3;
   * assert.equal(tape.forward(), 10);
   * ```
   */
  forward(): number {
    const graph = this.#graph;
    const layers = this.#layers;
    const { data, inputStart: start, inputIndices: indices, constants } = graph;
    const opcodes = layers.forwardCodes;
    const groupEnd = layers.groupEnd;
    const leaves = graph.leaves;
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
          finiteCheck += layerForward(graph, layers, i);
          i = groupEnd[i];
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
          value = tanhForward(data[indices[first]]);
          break;
        case RELU:
          value = reluForward(data[indices[first]]);
          break;
        case SIGMOID:
          value = sigmoidForward(data[indices[first]]);
          break;
        case SIN:
          value = sinForward(data[indices[first]]);
          break;
        case ABS:
          value = Math.abs(data[indices[first]]);
          break;
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
          // Gathered into one buffer for the op table's stable kernel.
          const gathered = this.#gathered;
          const n = start[i + 1] - first;
          for (let j = 0; j < n; j++) gathered[j] = data[indices[first + j]];
          value = logSumExpForward(gathered, 0, n);
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
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(3);
   * const tape = compile(x.mul(x)); // d(x²)/dx = 2x
   * tape.forward();
   * tape.backward();
   * assert.equal(x.grad, 6);
   * tape.backward();
   * assert.equal(x.grad, 12);
   * ```
   */
  backward(): void {
    const graph = this.#graph;
    const layers = this.#layers;
    const { data, grad, inputStart: start, inputIndices: indices, constants } =
      graph;
    const opcodes = layers.backwardCodes;
    const groupEnd = layers.groupEnd;
    const leaves = graph.leaves;
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
          layerBackward(graph, layers, i, skipZeros);
          i = groupEnd[i];
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
          const a = indices[first], b = indices[first + 1];
          const av = data[a], bv = data[b];
          grad[a] += g / bv;
          grad[b] += divDenominatorGradient(av, bv, g);
          break;
        }
        case POWER_CONSTANT: {
          const k = constants[i];
          const a = indices[first];
          if (powHasBaseGradient(k)) {
            grad[a] += powLocalGradient(data[a], k) * g;
          }
          break;
        }
        case POWER: {
          const a = indices[first], b = indices[first + 1];
          const base = data[a], k = data[b];
          if (powHasBaseGradient(k)) grad[a] += powLocalGradient(base, k) * g;
          if (powHasExponentGradient(base, k)) {
            grad[b] += powExponentLocalGradient(data[i], base) * g;
          }
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
          grad[indices[first]] += tanhLocalGradient(data[i]) * g;
          break;
        case RELU:
          if (reluPasses(data[i])) grad[indices[first]] += g;
          break;
        case SIGMOID:
          grad[indices[first]] += sigmoidLocalGradient(data[i]) * g;
          break;
        case SIN: {
          const a = indices[first];
          grad[a] += sinLocalGradient(data[a]) * g;
          break;
        }
        case ABS: {
          const a = indices[first];
          grad[a] += absLocalGradient(data[a]) * g;
          break;
        }
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
          const end = start[i + 1];
          const out = data[i];
          for (let j = first; j < end; j++) {
            const a = indices[j];
            grad[a] += logSumExpLocalGradient(data[a], out) * g;
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
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(2);
   * const hidden = x.mul(3);
   * const tape = compile(hidden.relu());
   * x.data = 5;
   * tape.forward();
   * assert.equal(tape.valueOf(hidden), 15);
   * assert.equal(hidden.data, 6);
   * ```
   */
  valueOf(node: Value): number {
    return this.#graph.data[this.#slot(node, "valueOf")];
  }

  /**
   * The gradient of the root with respect to a node of the recorded graph,
   * as of the last {@linkcode CompiledGraph.backward}: for a leaf its
   * `.grad`, for an intermediate node the grad the `Value` engine would have
   * left in it. Throws a `RangeError` for a node that is not in the graph.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(2);
   * const hidden = x.mul(3);
   * const tape = compile(hidden.mul(hidden)); // d(h²)/dh = 2h
   * tape.forward();
   * tape.backward();
   * assert.equal(tape.gradOf(hidden), 12);
   * assert.equal(x.grad, 36);
   * ```
   */
  gradOf(node: Value): number {
    return this.#graph.grad[this.#slot(node, "gradOf")];
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
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(2);
   * const hidden = x.mul(3);
   * const tape = compile(hidden.tanh());
   * const index = tape.indexOf(hidden); // keep this, drop `hidden`
   * x.data = 5;
   * tape.forward();
   * assert.equal(tape.valueAt(index), 15);
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
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const root = new Value(2).mul(4);
   * const tape = compile(root);
   * assert.equal(tape.valueAt(tape.indexOf(root)), 8);
   * ```
   */
  valueAt(index: number): number {
    return this.#graph.data[this.#checkIndex(index, "valueAt")];
  }

  /**
   * The grad of the node at `index` (from {@linkcode CompiledGraph.indexOf})
   * as of the last {@linkcode CompiledGraph.backward}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { compile } from "./compile.ts";
   * import { Value } from "./engine.ts";
   * const x = new Value(3);
   * const square = x.mul(x);
   * const tape = compile(square.add(1));
   * tape.forward();
   * tape.backward();
   * assert.equal(tape.gradAt(tape.indexOf(square)), 1);
   * assert.equal(x.grad, 6);
   * ```
   */
  gradAt(index: number): number {
    return this.#graph.grad[this.#checkIndex(index, "gradAt")];
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
    const slot = this.#graph.slotOf.get(node);
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
