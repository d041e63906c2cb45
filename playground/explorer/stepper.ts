/**
 * Backpropagation one node at a time, the way the lecture does it by hand.
 *
 * {@linkcode BackwardStepper} visits the nodes in exactly the order
 * `Value.backward()` uses (the reverse of `topologicalOrder`: a node only
 * after every node that uses it has passed its gradient back) and at each one
 * applies that node's local chain-rule step, returning it as formulas with
 * the numbers filled in, e.g. `x1.grad += w1.data * n.grad = -3 * 0.5 = -1.5`.
 * The arithmetic and the formulas are the op table's (`src/ops.ts`), whose
 * kernels the engine uses, term for term, so stepping to the end leaves
 * exactly the grads `backward()` gives, and a new operation needs nothing
 * here.
 *
 * @module
 */

import { topologicalOrder, type Value } from "../../src/engine.ts";
import {
  backwardOrder,
  type FormulaParts,
  inputGradient,
} from "../../src/ops.ts";
import { formatShortNumber as f, nodeNames } from "./format.ts";

/** The parts of a formula with names: `w.data * o.grad`. */
function namedParts(
  node: Value,
  name: (value: Value) => string,
): FormulaParts {
  const inputs = node.inputs;
  const out = name(node);
  const constantExponent = inputs.length === 1;
  const exponent = constantExponent
    ? f(node.constant)
    : `${name(inputs[1] ?? node)}.data`;
  return {
    count: inputs.length,
    input: (i) => `${name(inputs[i])}.data`,
    name: (i) => name(inputs[i]),
    out: `${out}.data`,
    grad: `${out}.grad`,
    exponent,
    exponentMinusOne: `(${exponent} - 1)`,
    minus: (text) => `-${text}`,
    squared: (text) => `${text}²`,
  };
}

/** The same parts with the numbers filled in: `-3 * 0.5`. */
function numberParts(
  node: Value,
  name: (value: Value) => string,
): FormulaParts {
  const inputs = node.inputs;
  const k = inputs.length === 1 ? node.constant : inputs[1].data;
  return {
    count: inputs.length,
    input: (i) => f(inputs[i].data),
    name: (i) => name(inputs[i]),
    out: f(node.data),
    grad: f(node.grad),
    exponent: f(k),
    exponentMinusOne: f(k - 1),
    // Flip the sign of a number rather than write "--3".
    minus: (text) =>
      text.startsWith("-")
        ? text.slice(1)
        : text === "0" || text === "NaN"
        ? text
        : `-${text}`,
    squared: (text) => text.startsWith("-") ? `(${text})²` : `${text}²`,
  };
}

/** One input's gradient change in a step. */
export interface GradientUpdate {
  /** The input whose grad changed. */
  input: Value;
  /** Which of the node's inputs it is (a value used twice appears twice). */
  inputIndex: number;
  /** What was added to `input.grad`. */
  contribution: number;
  /** `input.grad` before. */
  before: number;
  /** `input.grad` after. */
  after: number;
}

/** What one step of the backward pass did. */
export interface BackwardStep {
  /** The node whose local chain-rule step ran. */
  node: Value;
  /** The step's position, from 0 (the output) to `total - 1`. */
  index: number;
  /** The step's formulas, one per line, numbers filled in. */
  formulas: string[];
  /** The gradient changes, in the order they were applied. */
  updates: GradientUpdate[];
}

/**
 * Steps through the backward pass of the graph under `root`.
 *
 * The first {@linkcode BackwardStepper.step} sets every grad in the graph to
 * zero (as in a freshly built graph), seeds `root.grad = 1` and applies the
 * output's own step; each later call handles the next node. Leaves get a step
 * too (with nothing to pass back), so every node is visited exactly once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "../../src/engine.ts";
 * import { BackwardStepper } from "./stepper.ts";
 * const x = new Value(2, "x"), w = new Value(-3, "w");
 * const out = x.mul(w);
 * out.label = "out";
 * const stepper = new BackwardStepper(out);
 * assert.deepEqual(stepper.step()?.formulas, [
 *   "out.grad = 1 (d out / d out)",
 *   "x.grad += w.data * out.grad = -3 * 1 = -3",
 *   "w.grad += x.data * out.grad = 2 * 1 = 2",
 * ]);
 * ```
 */
export class BackwardStepper {
  /** The output the gradients are of. */
  readonly root: Value;
  /**
   * The lecture's bug, on purpose: each contribution *replaces* the
   * input's grad (`=`) instead of adding to it (`+=`), so a value used twice
   * (`b = a + a`) keeps only the last contribution.
   */
  readonly buggy: boolean;
  /** The visiting order: the reverse topological order, `root` first. */
  readonly order: readonly Value[];
  /** Names used in the formulas (labels, or short expressions). */
  readonly names: ReadonlyMap<Value, string>;
  #position = 0;

  /**
   * Plan the steps for `root`'s graph (nothing is changed yet). With
   * `buggy`, contributions overwrite grads instead of adding up (see
   * {@linkcode BackwardStepper.buggy}).
   *
   * @example The lecture's bug
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "../../src/engine.ts";
   * import { BackwardStepper } from "./stepper.ts";
   * const a = new Value(3, "a");
   * const b = a.add(a);
   * new BackwardStepper(b, { buggy: true }).finish();
   * assert.equal(a.grad, 1); // should be 2
   * new BackwardStepper(b).finish();
   * assert.equal(a.grad, 2);
   * ```
   */
  constructor(root: Value, options: { buggy?: boolean } = {}) {
    const forward = topologicalOrder(root);
    this.root = root;
    this.buggy = options.buggy ?? false;
    this.names = nodeNames(forward);
    this.order = forward.reverse();
  }

  /** How many steps have run. */
  get position(): number {
    return this.#position;
  }

  /** How many steps there are in all (one per node). */
  get total(): number {
    return this.order.length;
  }

  /** Whether every step has run. */
  get done(): boolean {
    return this.#position >= this.order.length;
  }

  /** The node the next step will handle, or null when done. */
  get next(): Value | null {
    return this.done ? null : this.order[this.#position];
  }

  /** Start over: the next step is the output's again (grads are reset then). */
  rewind(): void {
    this.#position = 0;
  }

  /**
   * Run the next step and describe it; null when all steps have run.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "../../src/engine.ts";
   * import { BackwardStepper } from "./stepper.ts";
   * const x = new Value(3, "x");
   * const y = x.tanh();
   * const stepper = new BackwardStepper(y);
   * assert.equal(stepper.step()?.node, y);
   * assert.equal(stepper.step()?.node, x);
   * assert.equal(x.grad, 1 - Math.tanh(3) ** 2);
   * ```
   */
  step(): BackwardStep | null {
    if (this.done) return null;
    const index = this.#position;
    const node = this.order[index];
    const formulas: string[] = [];
    if (index === 0) {
      for (const each of this.order) each.grad = 0;
      node.grad = 1;
      const name = this.#name(node);
      formulas.push(`${name}.grad = 1 (d ${name} / d ${name})`);
    }
    const updates: GradientUpdate[] = [];
    this.#chainRule(node, formulas, updates);
    this.#position++;
    return { node, index, formulas, updates };
  }

  /**
   * Run all remaining steps; returns them.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "../../src/engine.ts";
   * import { BackwardStepper } from "./stepper.ts";
   * const a = new Value(2, "a");
   * const b = a.mul(a);
   * assert.equal(new BackwardStepper(b).finish().length, 2);
   * assert.equal(a.grad, 4);
   * ```
   */
  finish(): BackwardStep[] {
    const steps: BackwardStep[] = [];
    for (let step = this.step(); step; step = this.step()) steps.push(step);
    return steps;
  }

  #name(node: Value): string {
    return this.names.get(node) ?? "?";
  }

  /** Add `contribution` to input `i`'s grad and record it. */
  #add(
    node: Value,
    i: number,
    contribution: number,
    updates: GradientUpdate[],
  ): void {
    const input = node.inputs[i];
    const before = input.grad;
    input.grad = this.buggy ? contribution : before + contribution;
    updates.push({
      input,
      inputIndex: i,
      contribution,
      before,
      after: input.grad,
    });
  }

  /**
   * The node's local chain-rule step, as formulas. The terms and the
   * formulas both come from the op table (`src/ops.ts`), whose kernels the
   * engine uses, and they are added in the engine's order (input by input;
   * for `dot`, pair by pair), so a value used twice in one node is rounded
   * as `backward()` rounds it and the final grads agree to the last bit.
   */
  #chainRule(
    node: Value,
    formulas: string[],
    updates: GradientUpdate[],
  ): void {
    const out = this.#name(node);
    if (node.op === "") {
      // A constant is named by its number; "d L / d -1" would read as a
      // derivative by a number, so it is called what it is.
      const what = node.label ? `d ${out}` : `d(the constant ${out})`;
      formulas.push(
        `${node.label ? `${out} is a leaf` : `the constant ${out} is a leaf`}` +
          `: nothing to pass back; ` +
          `d ${this.#name(this.root)} / ${what} = ${f(node.grad)}`,
      );
      return;
    }
    const op = node.op;
    const inputs = node.inputs;
    const step = {
      inputs: inputs.map((input) => input.data),
      out: node.data,
      grad: node.grad,
      constant: node.constant,
    };
    const name = (value: Value): string => this.#name(value);
    const named = namedParts(node, name);
    const numbers = numberParts(node, name);
    for (const i of backwardOrder(op, inputs.length, node.constant)) {
      const rule = inputGradient(op, i);
      const term = rule.term(step, i);
      const target = `${name(inputs[i])}.grad`;
      const assign = this.buggy ? "=" : "+=";
      if (term === null) {
        formulas.push(
          `${target} ${assign} 0 (${rule.zeroReason?.(named, i) ?? ""})`,
        );
        if (this.buggy) this.#add(node, i, 0, updates);
        continue;
      }
      this.#add(node, i, term, updates);
      const note = rule.note ? ` (${rule.note(named, i)})` : "";
      const symbolic = rule.formula(named, i);
      const numeric = rule.formula(numbers, i);
      let formula = `${target} ${assign} ${symbolic}${note}`;
      // "x.grad += out.grad = 0.5" already shows the result.
      if (numeric !== symbolic) formula += ` = ${numeric}`;
      const result = ` = ${f(term)}`;
      formulas.push(formula.endsWith(result) ? formula : formula + result);
    }
  }
}
