/**
 * Backpropagation one node at a time, the way the lecture does it by hand.
 *
 * {@linkcode BackwardStepper} visits the nodes in exactly the order
 * `Value.backward()` uses (the reverse of `topologicalOrder`: a node only
 * after every node that uses it has passed its gradient back) and at each one
 * applies that node's local chain-rule step, returning it as formulas with
 * the numbers filled in, e.g. `x1.grad += w1.data * n.grad = -3 * 0.5 = -1.5`.
 * The arithmetic is the engine's own, term for term, so stepping to the end
 * leaves exactly the grads `backward()` gives.
 *
 * @module
 */

import { topologicalOrder, Value } from "../../src/engine.ts";
import { formatShortNumber as f, nodeNames } from "./format.ts";
import { applyOperation } from "./forward.ts";

/** A number squared in a formula: `0.7071²`, `(-3)²`. */
function squared(x: number): string {
  return x < 0 ? `(${f(x)})²` : `${f(x)}²`;
}

/**
 * What `node`'s chain-rule step adds to each of its inputs' grads when its
 * own grad is `g`, computed by the engine itself: the node's operation is
 * rebuilt on fresh leaves holding its inputs' data, given the grad `g` (as
 * the input of `× g`) and backpropagated. A fresh leaf's grad starts at 0,
 * so afterwards it holds exactly the engine's term for that input, whatever
 * formula the engine uses for it.
 */
function localContributions(node: Value, g: number): number[] {
  const leaves = node.inputs.map((input) => new Value(input.data));
  applyOperation(node, leaves).mul(g).backward();
  return leaves.map((leaf) => leaf.grad);
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
 * import { Value } from "../../src/engine.ts";
 * import { BackwardStepper } from "./stepper.ts";
 * const x = new Value(2, "x"), w = new Value(-3, "w");
 * const out = x.mul(w);
 * out.label = "out";
 * const stepper = new BackwardStepper(out);
 * console.log(stepper.step()?.formulas);
 * // ["out.grad = 1 (d out / d out)",
 * //  "x.grad += w.data * out.grad = -3 * 1 = -3",
 * //  "w.grad += x.data * out.grad = 2 * 1 = 2"]
 * ```
 */
export class BackwardStepper {
  /** The output the gradients are of. */
  readonly root: Value;
  /** The visiting order: the reverse topological order, `root` first. */
  readonly order: readonly Value[];
  /** Names used in the formulas (labels, or short expressions). */
  readonly names: ReadonlyMap<Value, string>;
  #position = 0;

  /** Plan the steps for `root`'s graph (nothing is changed yet). */
  constructor(root: Value) {
    const forward = topologicalOrder(root);
    this.root = root;
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
   * import { Value } from "../../src/engine.ts";
   * import { BackwardStepper } from "./stepper.ts";
   * const x = new Value(3, "x");
   * const y = x.tanh();
   * const stepper = new BackwardStepper(y);
   * console.log(stepper.step()?.node === y, stepper.step()?.node === x); // true true
   * console.log(x.grad === 1 - Math.tanh(3) ** 2); // true
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
   * import { Value } from "../../src/engine.ts";
   * import { BackwardStepper } from "./stepper.ts";
   * const a = new Value(2, "a");
   * const b = a.mul(a);
   * console.log(new BackwardStepper(b).finish().length, a.grad); // 2 4
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
    input.grad = before + contribution;
    updates.push({
      input,
      inputIndex: i,
      contribution,
      before,
      after: input.grad,
    });
  }

  /**
   * The node's local chain-rule step, as formulas. The terms added are the
   * engine's own ({@linkcode localContributions}), added in the engine's
   * order (input by input; for `dot`, pair by pair), so a value used twice
   * in one node is rounded as `backward()` rounds it and the final grads
   * agree to the last bit. The formulas show the same terms in words.
   */
  #chainRule(
    node: Value,
    formulas: string[],
    updates: GradientUpdate[],
  ): void {
    const inputs = node.inputs;
    const g = node.grad;
    const terms = node.op === "" ? [] : localContributions(node, g);
    const out = this.#name(node);
    const name = (i: number): string => this.#name(inputs[i]);
    const add = (i: number, formula: string): void => {
      this.#add(node, i, terms[i], updates);
      const result = ` = ${f(terms[i])}`;
      // "x.grad += out.grad = 0.5" already shows the result.
      formulas.push(formula.endsWith(result) ? formula : formula + result);
    };
    switch (node.op) {
      case "": {
        const kind = node.label ? "leaf" : "constant";
        formulas.push(
          `${out} is a ${kind}: nothing to pass back; ` +
            `d ${this.#name(this.root)} / d ${out} = ${f(node.grad)}`,
        );
        return;
      }
      case "+":
        add(0, `${name(0)}.grad += ${out}.grad = ${f(g)}`);
        add(1, `${name(1)}.grad += ${out}.grad = ${f(g)}`);
        return;
      case "-":
        add(0, `${name(0)}.grad += ${out}.grad = ${f(g)}`);
        add(1, `${name(1)}.grad += -${out}.grad = ${f(-g)}`);
        return;
      case "*": {
        const [a, b] = inputs;
        add(
          0,
          `${name(0)}.grad += ${name(1)}.data * ${out}.grad = ` +
            `${f(b.data)} * ${f(g)}`,
        );
        add(
          1,
          `${name(1)}.grad += ${name(0)}.data * ${out}.grad = ` +
            `${f(a.data)} * ${f(g)}`,
        );
        return;
      }
      case "/": {
        const a = inputs[0].data, b = inputs[1].data;
        add(
          0,
          `${name(0)}.grad += ${out}.grad / ${name(1)}.data = ` +
            `${f(g)} / ${f(b)}`,
        );
        add(
          1,
          `${name(1)}.grad += -${out}.grad * ${name(0)}.data / ` +
            `${name(1)}.data² = -${f(g)} * ${f(a)} / ${squared(b)}`,
        );
        return;
      }
      case "**": {
        const base = inputs[0].data;
        const constant = inputs.length === 1;
        const k = constant ? node.constant : inputs[1].data;
        const exponent = constant ? f(k) : `${name(1)}.data`;
        if (k !== 0) {
          add(
            0,
            `${name(0)}.grad += ${exponent} * ${
              name(0)
            }.data**(${exponent} - 1)` +
              ` * ${out}.grad = ${f(k)} * ${f(base)}**${f(k - 1)} * ${f(g)}`,
          );
        } else {
          formulas.push(
            `${name(0)}.grad += 0 (${name(0)}**0 is the constant 1)`,
          );
        }
        if (constant) return;
        if (!(base === 0 && k >= 0)) {
          add(
            1,
            `${name(1)}.grad += ${out}.data * log(${name(0)}.data) * ` +
              `${out}.grad = ${f(node.data)} * log(${f(base)}) * ${f(g)}`,
          );
        } else {
          formulas.push(
            `${
              name(1)
            }.grad += 0 (taken as 0 where the base is 0, as PyTorch does)`,
          );
        }
        return;
      }
      case "neg":
        add(0, `${name(0)}.grad += -${out}.grad = ${f(-g)}`);
        return;
      case "exp":
        add(
          0,
          `${name(0)}.grad += ${out}.data * ${out}.grad = ` +
            `${f(node.data)} * ${f(g)}`,
        );
        return;
      case "log":
        add(
          0,
          `${name(0)}.grad += ${out}.grad / ${name(0)}.data = ` +
            `${f(g)} / ${f(inputs[0].data)}`,
        );
        return;
      case "tanh":
        add(
          0,
          `${name(0)}.grad += (1 - ${out}.data²) * ${out}.grad = ` +
            `(1 - ${squared(node.data)}) * ${f(g)}`,
        );
        return;
      case "relu":
        if (node.data > 0) {
          add(
            0,
            `${name(0)}.grad += ${out}.grad ` +
              `(relu passes it through where ${out}.data > 0) = ${f(g)}`,
          );
        } else {
          formulas.push(
            `${name(0)}.grad += 0 (relu is flat where its input is <= 0)`,
          );
        }
        return;
      case "sigmoid":
        add(
          0,
          `${name(0)}.grad += ${out}.data * (1 - ${out}.data) * ${out}.grad` +
            ` = ${f(node.data)} * (1 - ${f(node.data)}) * ${f(g)}`,
        );
        return;
      case "sum":
        for (let i = 0; i < inputs.length; i++) {
          add(i, `${name(i)}.grad += ${out}.grad = ${f(g)}`);
        }
        return;
      case "dot": {
        // The engine goes pair by pair: a[i], then b[i].
        const n = node.constant;
        for (let i = 0; i < n; i++) {
          add(
            i,
            `${name(i)}.grad += ${name(n + i)}.data * ${out}.grad = ` +
              `${f(inputs[n + i].data)} * ${f(g)}`,
          );
          add(
            n + i,
            `${name(n + i)}.grad += ${name(i)}.data * ${out}.grad = ` +
              `${f(inputs[i].data)} * ${f(g)}`,
          );
        }
        return;
      }
      case "logsumexp":
        for (let i = 0; i < inputs.length; i++) {
          add(
            i,
            `${name(i)}.grad += exp(${name(i)}.data - ${out}.data) * ` +
              `${out}.grad = exp(${f(inputs[i].data)} - ${f(node.data)}) * ${
                f(g)
              }`,
          );
        }
        return;
    }
  }
}
