/**
 * The collapsed view of a graph: each neuron drawn as one box, its weights,
 * bias and weighted sum hidden inside, so the 445-value graph of one
 * training example becomes a few dozen readable boxes.
 *
 * A neuron is found by its shape, not its names: an activation (`tanh`,
 * `relu`, `sigmoid`) of a sum, or a sum with a `dot` among its inputs (a
 * linear output neuron), whose body — the `+`, `*`, `dot` and `sum` nodes
 * under it used nowhere else — is hidden together with the leaves only that
 * body uses (its weights and bias). What else the body reads (the previous
 * layer's outputs, the inputs) becomes the box's inputs.
 *
 * The drawing is of a stand-in graph of new `Value`s with the same shape as
 * the visible part; {@linkcode CollapsedGraph.realOf} maps each stand-in to
 * the value it shows, whose numbers the drawing reads.
 *
 * @module
 */

import { topologicalOrder, Value } from "../../src/engine.ts";
import type { Operation } from "../../src/ops.ts";

/** A graph with its neurons collapsed, ready for `layoutGraph`. */
export interface CollapsedGraph {
  /** The stand-in of the root. */
  root: Value;
  /** Stand-in → the real value whose numbers it shows. */
  realOf: Map<Value, Value>;
  /** Operation text of each neuron's stand-in: `relu(w·x+b)`. */
  symbols: Map<Value, string>;
  /**
   * Each hidden real value → the real head of the neuron box hiding it, so
   * that stepping through `backward()` can show where a hidden step is.
   */
  ownerOf: Map<Value, Value>;
  /** How many neurons were collapsed. */
  neurons: number;
}

const ACTIVATIONS: ReadonlySet<Operation> = new Set<Operation>([
  "tanh",
  "relu",
  "sigmoid",
]);
/** Operations a neuron's body is made of. */
const BODY: ReadonlySet<Operation> = new Set<Operation>([
  "+",
  "*",
  "dot",
  "sum",
]);

/**
 * Collapse every neuron under `root` (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "../../src/nn.ts";
 * import { collapseNeurons } from "./collapse.ts";
 * const model = new MLP(2, [3, 1], { seed: 1 });
 * const out = model.forward([0.5, -1])[0];
 * const collapsed = collapseNeurons(out);
 * assert.equal(collapsed.neurons, 4);
 * assert.equal(collapsed.realOf.get(collapsed.root), out);
 * // The output neuron's bias is hidden in the output's box.
 * assert.equal(collapsed.ownerOf.get(model.layers[1].neurons[0].bias), out);
 * ```
 */
export function collapseNeurons(root: Value): CollapsedGraph {
  const order = topologicalOrder(root);
  const users = new Map<Value, number>();
  for (const node of order) {
    for (const input of new Set(node.inputs)) {
      users.set(input, (users.get(input) ?? 0) + 1);
    }
  }
  const hidden = new Set<Value>();
  const ownerOf = new Map<Value, Value>();
  /** Neuron head → [its inputs (frontier), its operation text]. */
  const neurons = new Map<Value, { inputs: Value[]; text: string }>();

  /**
   * The body under `start`: what it hides (private `+ * dot sum` nodes and
   * leaves) and what it reads from outside.
   */
  const bodyOf = (start: Value): { inside: Value[]; frontier: Value[] } => {
    const inside: Value[] = [];
    const frontier: Value[] = [];
    const seen = new Set<Value>();
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop() as Value;
      for (const input of node.inputs) {
        if (seen.has(input)) continue;
        seen.add(input);
        const private_ = (users.get(input) ?? 0) === 1;
        if (private_ && (input.op === "" || BODY.has(input.op))) {
          inside.push(input);
          if (input.op !== "") stack.push(input);
        } else {
          frontier.push(input);
        }
      }
    }
    return { inside, frontier };
  };
  const hasProducts = (body: Value): boolean =>
    body.inputs.some((input) => input.op === "dot" || input.op === "*") ||
    body.inputs.some((input) =>
      input.op === "+" && (users.get(input) ?? 0) === 1 && hasProducts(input)
    );

  /**
   * Make `head` a neuron box over `body`, unless the body reads nothing
   * from outside (a lone neuron of leaves: one box would show nothing).
   */
  const collapse = (head: Value, body: Value, text: string): void => {
    const { inside, frontier } = bodyOf(body);
    if (frontier.length === 0) return;
    for (const value of inside) {
      hidden.add(value);
      ownerOf.set(value, head);
    }
    if (body !== head) {
      hidden.add(body);
      ownerOf.set(body, head);
    }
    neurons.set(head, { inputs: frontier, text });
  };

  // From the root back, so an outer neuron is found before what it hides.
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (hidden.has(node)) continue;
    const body = node.inputs[0];
    if (
      ACTIVATIONS.has(node.op) && body && (body.op === "+" ||
        body.op === "sum") &&
      (users.get(body) ?? 0) === 1 && hasProducts(body)
    ) {
      collapse(node, body, `${node.op}(w·x+b)`);
    } else if (
      node.op === "+" && node.inputs.some((input) => input.op === "dot")
    ) {
      collapse(node, node, "w·x+b");
    }
  }

  const standIn = new Map<Value, Value>();
  const realOf = new Map<Value, Value>();
  const symbols = new Map<Value, string>();
  for (const node of order) {
    if (hidden.has(node)) continue;
    const neuron = neurons.get(node);
    let copy: Value;
    if (neuron) {
      const inputs = neuron.inputs.map((input) => standIn.get(input) as Value);
      // A box with an operation node in front of it; "sum" takes any count.
      copy = Value.fromOperation("sum", inputs);
      symbols.set(copy, neuron.text);
    } else if (node.op === "") {
      copy = new Value(node.data);
    } else {
      const inputs = node.inputs.map((input) => standIn.get(input) as Value);
      copy = Value.fromOperation(node.op, inputs, node.constant);
    }
    copy.label = node.label;
    standIn.set(node, copy);
    realOf.set(copy, node);
  }
  return {
    root: standIn.get(root) as Value,
    realOf,
    symbols,
    ownerOf,
    neurons: neurons.size,
  };
}
