/**
 * The two ways the {@linkcode Trainer} computes a step, behind one
 * interface: {@linkcode ValueEngine} builds a brand-new graph of `Value`s
 * every step (micrograd's way, for teaching), {@linkcode TapeEngine}
 * records that graph once with `compile` and replays it with each new batch
 * written into its leaves (the same numbers, bit for bit, without
 * allocating a node). {@linkcode buildStepGraph} is the graph both compute,
 * and what `Trainer.gradients` and the divergence diagnosis rebuild.
 *
 * @module
 */

import { compile, type CompiledGraph } from "./compile.ts";
import { topologicalOrder, Value } from "./engine.ts";
import {
  l1Penalty,
  l2Penalty,
  lossFromTargets,
  type LossName,
} from "./loss.ts";
import type { MLP } from "./nn.ts";

/** What one step computes the loss of: fixed for a Trainer's life. */
export interface StepProblem {
  /** The model (its parameters change between steps, not its shape). */
  readonly model: MLP;
  /** `model.parameters()`, once. */
  readonly parameters: readonly Value[];
  /** The training points, each `[x, y]` (the model applies its input features). */
  readonly points: readonly (readonly number[])[];
  /** The target vector of every training point (see `encodeTargets`; `[t]` for a regression). */
  readonly targets: readonly (readonly number[])[];
  /** The data loss. */
  readonly loss: LossName;
  /** The L2 coefficient (no penalty term at all when 0). */
  readonly l2: number;
  /** The L1 coefficient (no penalty term at all when 0 or absent). */
  readonly l1?: number;
}

/** The numbers of a step's forward pass. */
export interface StepForward {
  /** `dataLoss + regularization`, what the optimiser minimises. */
  total: number;
  /** The mean loss over the batch. */
  dataLoss: number;
  /** The L2 plus L1 penalty (0 without one). */
  regularization: number;
  /** `scores[b]`: the model's outputs for batch sample `b`. */
  scores: number[][];
}

/**
 * One step's computation, forward then backward, on a batch of training
 * indices. The batch's size must be the same every step (the tape's graph is
 * static); the array may be passed again only while its contents are
 * unchanged (the full batch), which lets the tape skip refilling its leaves.
 */
export interface StepEngine {
  /** Whether the step replays a compiled tape. */
  readonly compiled: boolean;
  /** Nodes in the step's graph, leaves included (0 before the first forward). */
  readonly nodes: number;
  /** Compute the loss of `batch` with the current weights. */
  forward(batch: readonly number[]): StepForward;
  /** Add d(total)/d(parameter) into every parameter's `grad`. */
  backward(): void;
}

/** The graph of one step: its leaves and the nodes it reports. */
export interface StepGraph {
  /** `inputs[b]` is the `[x, y]` leaf pair of batch sample `b`. */
  inputs: Value[][];
  /** `targets[b]` are the target leaves of sample `b`. */
  targets: Value[][];
  /** `scores[b]` are the model's output nodes for sample `b`. */
  scores: Value[][];
  /** The mean data loss. */
  dataLoss: Value;
  /** The L2 plus L1 penalty, or `null` when both are 0. */
  regularization: Value | null;
  /** The loss the optimiser minimises. */
  total: Value;
}

/**
 * Build the loss graph of `batch` on fresh leaves: data loss of the model's
 * scores plus (when `l2 > 0`) the L2 penalty plus (when `l1 > 0`) the L1
 * penalty. The model builds its input features' nodes from the point
 * leaves. Both engines compute exactly this graph.
 *
 * @param problem The model, data and loss.
 * @param batch Indices into `problem.points`.
 * @returns The graph's leaves and reported nodes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { buildStepGraph } from "./step_engine.ts";
 * const model = new MLP(2, [3, 1]);
 * const problem = {
 *   model, parameters: model.parameters(), loss: "hinge" as const, l2: 0,
 *   points: [[0, 1], [1, 0]], targets: [[1], [-1]],
 * };
 * const graph = buildStepGraph(problem, [1]);
 * assert.equal(graph.inputs[0][0].data, 1);
 * assert.equal(graph.regularization, null);
 * assert.equal(graph.total, graph.dataLoss);
 * ```
 */
export function buildStepGraph(
  problem: StepProblem,
  batch: readonly number[],
): StepGraph {
  const inputs = batch.map((i) => [
    new Value(problem.points[i][0], "x"),
    new Value(problem.points[i][1], "y"),
  ]);
  const targets = batch.map((i) =>
    problem.targets[i].map((t) => new Value(t, "target"))
  );
  const scores = inputs.map((x) => problem.model.forward(x));
  const dataLoss = lossFromTargets(problem.loss, scores, targets);
  const regularization = penalty(problem);
  const total = regularization === null
    ? dataLoss
    : dataLoss.add(regularization);
  return { inputs, targets, scores, dataLoss, regularization, total };
}

/**
 * The L2 plus L1 penalty of the problem's parameters as they are now: the
 * `regularization` a step's graph adds to the data loss, computed the same
 * way (0 when both strengths are 0).
 *
 * @param problem The parameters and the strengths.
 * @returns `l2·Σp² + l1·Σ|p|`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { buildStepGraph, regularizationOf } from "./step_engine.ts";
 * const model = new MLP(2, [3, 1]);
 * const problem = {
 *   model, parameters: model.parameters(), loss: "hinge" as const, l2: 1e-4, l1: 1e-3,
 *   points: [[0, 1]], targets: [[1]],
 * };
 * assert.equal(regularizationOf(problem), buildStepGraph(problem, [0]).regularization!.data);
 * assert.equal(regularizationOf({ ...problem, l2: 0, l1: 0 }), 0);
 * ```
 */
export function regularizationOf(problem: StepProblem): number {
  return penalty(problem)?.data ?? 0;
}

/** The L2 and L1 terms; no node at all for a strength of 0. */
function penalty(problem: StepProblem): Value | null {
  const l1 = problem.l1 ?? 0;
  const l2 = problem.l2 > 0 ? l2Penalty(problem.parameters, problem.l2) : null;
  if (l1 <= 0) return l2;
  const l1Term = l1Penalty(problem.parameters, l1);
  return l2 === null ? l1Term : l2.add(l1Term);
}

/**
 * Teaching mode: a brand-new graph of `Value`s every step, as micrograd
 * does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { ValueEngine } from "./step_engine.ts";
 * const model = new MLP(2, [1]);
 * const engine = new ValueEngine({
 *   model, parameters: model.parameters(), loss: "mse", l2: 0,
 *   points: [[1, 2]], targets: [[1]],
 * });
 * const { total, scores } = engine.forward([0]);
 * assert.equal(total, (scores[0][0] - 1) ** 2);
 * engine.backward();
 * assert.equal(model.layers[0].neurons[0].bias.grad, 2 * (scores[0][0] - 1));
 * ```
 */
export class ValueEngine implements StepEngine {
  /** Always `false`: nothing is recorded. */
  readonly compiled = false;
  readonly #problem: StepProblem;
  #graph: StepGraph | null = null;
  #nodes = 0;

  /**
   * An engine that builds `problem`'s graph anew at every forward.
   *
   * @param problem The model, data and loss.
   */
  constructor(problem: StepProblem) {
    this.#problem = problem;
  }

  /** Nodes in each step's graph, leaves included; counted at the first forward. */
  get nodes(): number {
    return this.#nodes;
  }

  /** Build `batch`'s graph and read its numbers. */
  forward(batch: readonly number[]): StepForward {
    const graph = buildStepGraph(this.#problem, batch);
    this.#graph = graph;
    // The shape is the same every step, so count it once.
    if (this.#nodes === 0) this.#nodes = topologicalOrder(graph.total).length;
    return {
      total: graph.total.data,
      dataLoss: graph.dataLoss.data,
      regularization: graph.regularization?.data ?? 0,
      scores: graph.scores.map((row) => row.map((s) => s.data)),
    };
  }

  /** Backpropagate through the last forward's graph, then let it go. */
  backward(): void {
    const graph = this.#graph;
    if (graph === null) {
      throw new Error("ValueEngine.backward: call forward first");
    }
    graph.total.backward();
    this.#graph = null;
  }
}

/**
 * What the tape engine keeps of the recorded graph: its input and target
 * leaves (refilled for each batch) and the tape positions of the numbers it
 * reports. Holding the graph itself would keep every node alive for nothing.
 */
interface TapeSlots {
  inputs: Value[][];
  targets: Value[][];
  scores: number[][];
  dataLoss: number;
  regularization: number | null;
}

/**
 * The fast path: the first forward records the graph with `compile`; every
 * later one writes the new batch into the recorded input and target leaves
 * and replays the tape.
 *
 * @example Same numbers as the Value engine
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { TapeEngine, ValueEngine } from "./step_engine.ts";
 * const model = new MLP(2, [4, 1]);
 * const problem = {
 *   model, parameters: model.parameters(), loss: "hinge" as const, l2: 1e-4,
 *   points: [[0, 1], [1, 0], [0.5, 0.5]], targets: [[1], [-1], [1]],
 * };
 * const tape = new TapeEngine(problem);
 * const value = new ValueEngine(problem);
 * tape.forward([0, 1]); // records
 * assert.deepEqual(tape.forward([2, 0]), value.forward([2, 0])); // replays
 * assert.equal(tape.nodes, value.nodes);
 * ```
 */
export class TapeEngine implements StepEngine {
  /** Always `true`. */
  readonly compiled = true;
  readonly #problem: StepProblem;
  #tape: CompiledGraph | null = null;
  #slots: TapeSlots | null = null;
  /** The batch whose samples the leaves hold now. */
  #filled: readonly number[] | null = null;
  /** The tape's node count, kept here: the hot path reads it every step. */
  #nodeCount = 0;

  /**
   * An engine that records `problem`'s graph at the first forward and
   * replays it from then on.
   *
   * @param problem The model, data and loss.
   */
  constructor(problem: StepProblem) {
    this.#problem = problem;
  }

  /** Nodes on the tape, leaves included (0 before the first forward). */
  get nodes(): number {
    return this.#nodeCount;
  }

  /** Record on the first call, then refill the leaves and replay. */
  forward(batch: readonly number[]): StepForward {
    let tape = this.#tape;
    let slots = this.#slots;
    if (tape === null || slots === null) {
      const recorded = buildStepGraph(this.#problem, batch);
      const compiled = compile(recorded.total);
      tape = compiled;
      slots = {
        inputs: recorded.inputs,
        targets: recorded.targets,
        scores: recorded.scores.map((row) =>
          row.map((s) => compiled.indexOf(s))
        ),
        dataLoss: compiled.indexOf(recorded.dataLoss),
        regularization: recorded.regularization === null
          ? null
          : compiled.indexOf(recorded.regularization),
      };
      this.#tape = tape;
      this.#slots = slots;
      this.#nodeCount = compiled.nodeCount;
    } else if (batch !== this.#filled) {
      this.#fill(slots, batch);
    }
    this.#filled = batch;
    const replayed = tape;
    const total = replayed.forward();
    return {
      total,
      dataLoss: replayed.valueAt(slots.dataLoss),
      regularization: slots.regularization === null
        ? 0
        : replayed.valueAt(slots.regularization),
      scores: slots.scores.map((row) => row.map((i) => replayed.valueAt(i))),
    };
  }

  /** Replay the tape backward (grads land in the parameters). */
  backward(): void {
    if (this.#tape === null) {
      throw new Error("TapeEngine.backward: call forward first");
    }
    this.#tape.backward();
  }

  /** Write a new batch into the recorded input and target leaves. */
  #fill(slots: TapeSlots, batch: readonly number[]): void {
    const { points, targets } = this.#problem;
    const inputLeaves = slots.inputs;
    const targetLeaves = slots.targets;
    for (let b = 0; b < batch.length; b++) {
      const point = points[batch[b]];
      const target = targets[batch[b]];
      const input = inputLeaves[b];
      input[0].data = point[0];
      input[1].data = point[1];
      const leaves = targetLeaves[b];
      for (let o = 0; o < target.length; o++) leaves[o].data = target[o];
    }
  }
}
