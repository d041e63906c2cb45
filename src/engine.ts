/**
 * The autograd engine: a scalar {@linkcode Value} that remembers how it was
 * computed, and {@linkcode Value.backward} which applies the chain rule over
 * that record in reverse topological order.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import * as ops from "./ops.ts";
import type { Operation } from "./ops.ts";
import { displayOf, type MimeBundle } from "./display.ts";

export type { Operation } from "./ops.ts";

/** Shared by every leaf so a leaf costs no array of its own. */
const NO_INPUTS: readonly Value[] = Object.freeze([]);

/** Turn an operand into a `Value`, wrapping plain numbers as constant leaves. */
function toValue(x: Value | number, method: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return new Value(x);
  throw new TypeError(
    `Value.${method}: expected a Value or a number as operand, got ${
      describeArgument(x)
    }`,
  );
}

/**
 * A scalar that records the graph of operations it came from, so that
 * {@linkcode Value.backward} can compute the derivative of it with respect to
 * every value it depends on.
 *
 * @example The lecture's first example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * const a = new Value(2, "a");
 * const b = new Value(-3, "b");
 * const c = new Value(10, "c");
 * const d = a.mul(b).add(c); // d = a*b + c = 4
 * d.backward();
 * assert.equal(a.grad, -3);
 * assert.equal(b.grad, 2);
 * assert.equal(c.grad, 1);
 * ```
 */
export class Value {
  /** The number this node holds (filled in by the forward pass). */
  data: number;
  /** d(root)/d(this), filled in by {@linkcode Value.backward}. */
  grad: number;
  /** A name for drawing and debugging, e.g. `"w1"`; empty if unnamed. */
  label: string;
  /** The operation that produced this value; `""` for a leaf. */
  readonly op: Operation;
  /** The values this one was computed from (empty for a leaf). */
  readonly inputs: readonly Value[];
  /**
   * A number the operation needs besides its inputs: the exponent of
   * `x.pow(3)`, the split point between the two vectors of a `dot`.
   */
  readonly constant: number;
  /** Scratch mark used by {@linkcode topologicalOrder}; always false at rest. */
  visited: boolean;

  /**
   * Make a leaf holding `data`. NaN and ±Infinity are allowed, as in
   * PyTorch; {@linkcode findAnomaly} finds where they came from.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * const w = new Value(0.5, "w");
   * assert.deepEqual([w.data, w.grad, w.label], [0.5, 0, "w"]);
   * ```
   */
  constructor(data: number, label: string = "") {
    if (typeof data !== "number") {
      throw new TypeError(
        `new Value: expected a number as data, got ${describeArgument(data)}`,
      );
    }
    if (typeof label !== "string") {
      throw new TypeError(
        `new Value: expected a string as label, got ${describeArgument(label)}`,
      );
    }
    this.data = data;
    this.grad = 0;
    this.label = label;
    this.op = "";
    this.inputs = NO_INPUTS;
    this.constant = 0;
    this.visited = false;
  }

  /** Build the output node of an operation (inputs are already Values). */
  static #result(
    data: number,
    op: Operation,
    inputs: readonly Value[],
    constant = 0,
  ): Value {
    const out = new Value(data);
    // The fields are readonly to users; only operations set them, here.
    const writable = out as {
      op: Operation;
      inputs: readonly Value[];
      constant: number;
    };
    writable.op = op;
    writable.inputs = inputs;
    writable.constant = constant;
    return out;
  }

  /**
   * `this + other`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(2).add(3).data, 5);
   * ```
   */
  add(other: Value | number): Value {
    const b = toValue(other, "add");
    return Value.#result(this.data + b.data, "+", [this, b]);
  }

  /**
   * `this - other`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(2).sub(3).data, -1);
   * ```
   */
  sub(other: Value | number): Value {
    const b = toValue(other, "sub");
    return Value.#result(this.data - b.data, "-", [this, b]);
  }

  /**
   * `this * other`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(2).mul(-3).data, -6);
   * ```
   */
  mul(other: Value | number): Value {
    const b = toValue(other, "mul");
    return Value.#result(this.data * b.data, "*", [this, b]);
  }

  /**
   * `this / other` (division by zero gives ±Infinity or NaN, as in IEEE 754).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(3).div(2).data, 1.5);
   * ```
   */
  div(other: Value | number): Value {
    const b = toValue(other, "div");
    return Value.#result(this.data / b.data, "/", [this, b]);
  }

  /**
   * `this ** exponent`. A number exponent is a constant; a `Value` exponent
   * gets a gradient too (`d(a^b)/db = a^b · ln a`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(3).pow(2).data, 9);
   * assert.equal(new Value(2).pow(new Value(3)).data, 8);
   * ```
   */
  pow(exponent: Value | number): Value {
    if (typeof exponent === "number") {
      return Value.#result(this.data ** exponent, "**", [this], exponent);
    }
    const b = toValue(exponent, "pow");
    return Value.#result(this.data ** b.data, "**", [this, b]);
  }

  /**
   * `-this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(2).neg().data, -2);
   * ```
   */
  neg(): Value {
    return Value.#result(-this.data, "neg", [this]);
  }

  /**
   * `e ** this` (overflows to Infinity past ~709, as `Math.exp` does).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(0).exp().data, 1);
   * ```
   */
  exp(): Value {
    return Value.#result(Math.exp(this.data), "exp", [this]);
  }

  /**
   * Natural logarithm. Of a non-positive number it gives what `Math.log`
   * gives (NaN or -Infinity); {@linkcode findAnomaly} points at it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(1).log().data, 0);
   * ```
   */
  log(): Value {
    return Value.#result(Math.log(this.data), "log", [this]);
  }

  /**
   * Hyperbolic tangent. Uses `Math.tanh`, which saturates to ±1 instead of
   * overflowing like the textbook `(e^2x - 1)/(e^2x + 1)` does at |x| = 1000.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(1000).tanh().data, 1);
   * ```
   */
  tanh(): Value {
    return Value.#result(ops.tanhForward(this.data), "tanh", [this]);
  }

  /**
   * `max(0, this)`. Its gradient at exactly 0 is 0, as in PyTorch.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(-2).relu().data, 0);
   * assert.equal(new Value(2).relu().data, 2);
   * ```
   */
  relu(): Value {
    // NaN is passed through (as in PyTorch), not turned into 0 and hidden.
    return Value.#result(ops.reluForward(this.data), "relu", [this]);
  }

  /**
   * The logistic function `1 / (1 + e^-x)`, evaluated so that it never
   * overflows: for negative x it uses the equal form `e^x / (1 + e^x)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(new Value(0).sigmoid().data, 0.5);
   * assert.equal(new Value(-1000).sigmoid().data, 0);
   * ```
   */
  sigmoid(): Value {
    return Value.#result(ops.sigmoidForward(this.data), "sigmoid", [this]);
  }

  /**
   * `sin(this)`, with a sine that gives the same bits in every JavaScript
   * engine (see `sinForward` in `ops.ts`); its gradient is `cos(this)`.
   * The input features `sinx` and `siny` are built from it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * const x = new Value(0);
   * const y = x.sin();
   * y.backward();
   * assert.equal(y.data, 0);
   * assert.equal(x.grad, 1);
   * ```
   */
  sin(): Value {
    return Value.#result(ops.sinForward(this.data), "sin", [this]);
  }

  /**
   * `|this|`. Its gradient is the sign of the input, and at exactly 0 it
   * is 0, as PyTorch's `abs` defines it (the L1 penalty is built from it).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * const x = new Value(-2);
   * const y = x.abs();
   * y.backward();
   * assert.equal(y.data, 2);
   * assert.equal(x.grad, -1);
   * const zero = new Value(0);
   * zero.abs().backward();
   * assert.equal(zero.grad, 0);
   * ```
   */
  abs(): Value {
    return Value.#result(Math.abs(this.data), "abs", [this]);
  }

  /**
   * The sum of many values as a single node (a chain of `add`s would build
   * one node per term).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(Value.sum([1, 2, new Value(3)]).data, 6);
   * ```
   */
  static sum(values: readonly (Value | number)[]): Value {
    if (!Array.isArray(values)) {
      throw new TypeError(
        `Value.sum: expected an array of Values or numbers, got ${
          describeArgument(values)
        }`,
      );
    }
    const inputs = values.map((v) => toValue(v, "sum"));
    let total = 0;
    for (const v of inputs) total += v.data;
    return Value.#result(total, "sum", inputs);
  }

  /**
   * The dot product `Σ a[i] * b[i]` as a single node: a neuron's weighted sum
   * costs one node instead of 2n.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(Value.dot([1, 2], [3, 4]).data, 11);
   * ```
   */
  static dot(
    a: readonly (Value | number)[],
    b: readonly (Value | number)[],
  ): Value {
    if (!Array.isArray(a) || !Array.isArray(b)) {
      throw new TypeError(
        `Value.dot: expected two arrays of Values or numbers, got ${
          describeArgument(a)
        } and ${describeArgument(b)}`,
      );
    }
    if (a.length !== b.length) {
      throw new RangeError(
        `Value.dot: the two vectors must have the same length, got ${a.length} and ${b.length}`,
      );
    }
    const n = a.length;
    // Both vectors live in one array (a then b) to keep a single inputs list.
    const inputs = new Array<Value>(2 * n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = toValue(a[i], "dot");
      const y = toValue(b[i], "dot");
      inputs[i] = x;
      inputs[n + i] = y;
      total += x.data * y.data;
    }
    return Value.#result(total, "dot", inputs, n);
  }

  /**
   * `log(Σ e^x[i])`, computed stably by factoring out the largest term
   * (`m + log Σ e^(x[i]-m)`), so it never overflows. Its gradient is the
   * softmax of the inputs; cross-entropy and the stable logistic loss use it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(Value.logSumExp([1000, 1000]).data, 1000.6931471805599);
   * ```
   */
  static logSumExp(values: readonly (Value | number)[]): Value {
    if (!Array.isArray(values)) {
      throw new TypeError(
        `Value.logSumExp: expected a non-empty array of Values or numbers, got ${
          describeArgument(values)
        }`,
      );
    }
    if (values.length === 0) {
      throw new RangeError(
        "Value.logSumExp: expected a non-empty array of Values or numbers, got an empty array (the log of an empty sum is -Infinity)",
      );
    }
    const inputs = values.map((v) => toValue(v, "logSumExp"));
    const data = ops.logSumExpForward(inputs.map((v) => v.data));
    return Value.#result(data, "logsumexp", inputs);
  }

  /**
   * Apply the operation `op` of the op table to `inputs` (and `constant`,
   * the `Value.constant` it needs: a number exponent, a `dot` length), as
   * the matching method would: the same node, the same number, bit for bit.
   * For code that replays a recorded graph generically, such as the
   * playground's explorer; a program calls the methods.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * const a = new Value(2), b = new Value(3);
   * assert.equal(Value.fromOperation("*", [a, b]).data, 6);
   * assert.equal(Value.fromOperation("**", [a], 3).data, 8);
   * assert.equal(Value.fromOperation("dot", [a, b, b, a], 2).data, 12);
   * assert.throws(() => Value.fromOperation("tanh", [a, b]), RangeError);
   * ```
   */
  static fromOperation(
    op: Operation,
    inputs: readonly Value[],
    constant = 0,
  ): Value {
    if (!ops.isOperationName(op)) {
      throw new RangeError(
        `Value.fromOperation: unknown operation ${describeArgument(op)}`,
      );
    }
    if (!Array.isArray(inputs) || !inputs.every((v) => v instanceof Value)) {
      throw new TypeError(
        `Value.fromOperation: expected an array of Values as inputs, got ${
          describeArgument(inputs)
        }`,
      );
    }
    const spec = ops.OPERATIONS[op];
    const count = inputs.length;
    const takesConstant = spec.constant === "exponent" && count === 1;
    let problem: string | null = null;
    if (spec.arity !== "many" && count !== spec.arity && !takesConstant) {
      problem = `${op} takes ${spec.arity} input${spec.arity > 1 ? "s" : ""}`;
    } else {
      problem = spec.checkInputs?.(count, constant) ?? null;
    }
    if (problem !== null) {
      throw new RangeError(
        `Value.fromOperation: ${problem}, got ${count}`,
      );
    }
    const kept = takesConstant || spec.constant === "split" ? constant : 0;
    const data = spec.forward(inputs.map((v) => v.data), kept);
    return Value.#result(data, op, inputs.slice(), kept);
  }

  /**
   * Compute `d(this)/d(v)` for every value `v` this one depends on.
   *
   * Seeds `this.grad = 1`, then visits the graph in reverse topological order
   * (every node after all the nodes that use it), and at each node applies its
   * local chain-rule step, *adding* into its inputs' `grad` — so a value used
   * twice (`a.add(a)`, `x.mul(x)`) receives both contributions.
   *
   * As in PyTorch, the grads of leaves accumulate across calls: calling
   * `backward()` twice doubles them. Reset them with `leaf.grad = 0` or
   * `model.zeroGrad()` before each backward pass. Intermediate nodes are
   * recomputed from zero on every call.
   *
   * The topological sort is iterative, so a chain of a million nodes works.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * const x = new Value(3);
   * const y = x.mul(x); // y = x², dy/dx = 2x
   * y.backward();
   * assert.equal(x.grad, 6);
   * ```
   */
  backward(): void {
    const order = topologicalOrder(this);
    for (const node of order) if (node.op !== "") node.grad = 0;
    // d(this)/d(this) = 1; a leaf accumulates it like any other leaf grad.
    this.grad += 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].#chainRule();
  }

  /**
   * Add this node's contribution `out.grad · d(out)/d(input)` to each input.
   * The rules are the op table's (`ops.ts`), its kernels called directly so
   * that the dispatch stays one `switch`.
   */
  #chainRule(): void {
    const inputs = this.inputs;
    const g = this.grad;
    switch (this.op) {
      case "":
        return;
      case "+":
        inputs[0].grad += g;
        inputs[1].grad += g;
        return;
      case "-":
        inputs[0].grad += g;
        inputs[1].grad -= g;
        return;
      case "*":
        inputs[0].grad += inputs[1].data * g;
        inputs[1].grad += inputs[0].data * g;
        return;
      case "/": {
        const a = inputs[0].data, b = inputs[1].data;
        inputs[0].grad += g / b;
        inputs[1].grad += ops.divDenominatorGradient(a, b, g);
        return;
      }
      case "**": {
        const base = inputs[0].data;
        const k = inputs.length === 1 ? this.constant : inputs[1].data;
        if (ops.powHasBaseGradient(k)) {
          inputs[0].grad += ops.powLocalGradient(base, k) * g;
        }
        if (inputs.length === 2 && ops.powHasExponentGradient(base, k)) {
          inputs[1].grad += ops.powExponentLocalGradient(this.data, base) * g;
        }
        return;
      }
      case "neg":
        inputs[0].grad -= g;
        return;
      case "exp":
        inputs[0].grad += this.data * g; // (e^x)' = e^x, already computed
        return;
      case "log":
        inputs[0].grad += g / inputs[0].data;
        return;
      case "tanh":
        inputs[0].grad += ops.tanhLocalGradient(this.data) * g;
        return;
      case "relu":
        if (ops.reluPasses(this.data)) inputs[0].grad += g;
        return;
      case "sigmoid":
        inputs[0].grad += ops.sigmoidLocalGradient(this.data) * g;
        return;
      case "sin":
        inputs[0].grad += ops.sinLocalGradient(inputs[0].data) * g;
        return;
      case "abs":
        inputs[0].grad += ops.absLocalGradient(inputs[0].data) * g;
        return;
      case "sum":
        for (let i = 0; i < inputs.length; i++) inputs[i].grad += g;
        return;
      case "dot": {
        const n = this.constant;
        for (let i = 0; i < n; i++) {
          const a = inputs[i], b = inputs[n + i];
          a.grad += b.data * g;
          b.grad += a.data * g;
        }
        return;
      }
      case "logsumexp":
        for (let i = 0; i < inputs.length; i++) {
          inputs[i].grad +=
            ops.logSumExpLocalGradient(inputs[i].data, this.data) *
            g;
        }
        return;
    }
  }

  /**
   * A short description, e.g. `Value(data=4, grad=0, op=+)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./engine.ts";
   * assert.equal(String(new Value(2, "a")), "Value(a, data=2, grad=0)");
   * assert.equal(String(new Value(2).neg()), "Value(data=-2, grad=0, op=neg)");
   * ```
   */
  toString(): string {
    const name = this.label ? `${this.label}, ` : "";
    const op = this.op ? `, op=${this.op}` : "";
    return `Value(${name}data=${this.data}, grad=${this.grad}${op})`;
  }

  /**
   * Rich display in notebooks: Deno's Jupyter kernel calls this when a
   * value is a cell's result, and it shows the value's graph (see `toSvg`).
   */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return displayOf("Value", this);
  }
}

/**
 * Every node `root` depends on, inputs before the nodes that use them, `root`
 * last. Iterative depth-first search (an explicit stack instead of recursion)
 * so that deep graphs cannot overflow the call stack; a `visited` mark on each
 * node instead of a `Set` keeps it cheap, and is cleared before returning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topologicalOrder, Value } from "./engine.ts";
 * const a = new Value(1, "a");
 * const b = a.mul(2);
 * const c = b.add(a);
 * assert.equal(topologicalOrder(c).length, 4);
 * ```
 */
export function topologicalOrder(root: Value): Value[] {
  if (!(root instanceof Value)) {
    throw new TypeError(
      `topologicalOrder: expected a Value, got ${describeArgument(root)}`,
    );
  }
  const order: Value[] = [];
  // The stack holds a path from the root; nextInput[i] is how many of
  // stack[i]'s inputs have been explored so far.
  const stack: Value[] = [root];
  const nextInput: number[] = [0];
  root.visited = true;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top];
    const inputs = node.inputs;
    // Skip the inputs already placed without going round the outer loop:
    // in a network most are (shared weights, a layer's activations).
    let i = nextInput[top];
    while (i < inputs.length && inputs[i].visited) i++;
    if (i < inputs.length) {
      nextInput[top] = i + 1;
      const input = inputs[i];
      input.visited = true;
      stack.push(input);
      nextInput.push(0);
    } else {
      // All inputs are placed, so this node can follow them.
      stack.pop();
      nextInput.pop();
      order.push(node);
    }
  }
  for (const node of order) node.visited = false;
  return order;
}
