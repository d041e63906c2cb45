/**
 * Exporting a computation graph: Graphviz DOT in the style of micrograd's
 * `draw_dot`, and a plain `{ nodes, edges }` trace for custom renderers.
 *
 * @module
 */

import { describeArgument } from "./checks.ts";
import { topologicalOrder, Value } from "./engine.ts";
import { type Operation, operationLabel } from "./ops.ts";

/** One value in a {@linkcode traceGraph} trace. */
export interface GraphNode {
  /** Position in topological order: inputs have smaller ids, the root the largest. */
  id: number;
  /** The value's label (`""` if it has none). */
  label: string;
  /** The value's data (may be NaN or ±Infinity, which JSON writes as null). */
  data: number;
  /** The value's grad. */
  grad: number;
  /** The operation that produced it; `""` for a leaf. */
  op: Operation;
  /**
   * The operation as the drawing shows it, the op table's label: its symbol,
   * with the exponent of a power with a number exponent as micrograd draws
   * it (`"**2"`), and `"-x"` for a negation; `""` for a leaf.
   */
  operationText: string;
  /** Always `"value"` (the operation is a property of its output value). */
  kind: "value";
}

/** An edge from an input to the value computed from it. */
export interface GraphEdge {
  /** Id of the input node. */
  from: number;
  /** Id of the node computed from it. */
  to: number;
  /**
   * Which input of `to` this is (0-based). A value used twice, as in
   * `a.add(a)`, has two edges that differ only here; in a `dot` of n pairs
   * positions 0..n-1 are the first vector and n..2n-1 the second.
   */
  inputIndex: number;
}

/** The result of {@linkcode traceGraph}. */
export interface GraphTrace {
  /** Every value the root depends on, in topological order (root last). */
  nodes: GraphNode[];
  /** One edge per input of every operation, in the order of `nodes`. */
  edges: GraphEdge[];
}

function checkRoot(root: unknown, caller: string): asserts root is Value {
  if (!(root instanceof Value)) {
    throw new TypeError(
      `${caller}: expected a Value as root, got ${describeArgument(root)}`,
    );
  }
}

/**
 * The graph behind `root` as plain data (numbers, strings and arrays only),
 * for drawing it yourself or sending it to a worker with `postMessage`.
 * Node ids are positions in topological order, so the same graph always
 * gets the same ids and every edge goes from a smaller id to a larger one.
 *
 * @param root the value whose graph to trace
 * @returns the nodes and edges
 * @throws {TypeError} if `root` is not a `Value`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { traceGraph } from "./graph.ts";
 * const a = new Value(2, "a");
 * const b = new Value(-3, "b");
 * const { nodes, edges } = traceGraph(a.mul(b));
 * assert.deepEqual(nodes.map((n) => n.op), ["", "", "*"]);
 * assert.deepEqual(edges, [
 *   { from: 0, to: 2, inputIndex: 0 },
 *   { from: 1, to: 2, inputIndex: 1 },
 * ]);
 * ```
 */
export function traceGraph(root: Value): GraphTrace {
  checkRoot(root, "traceGraph");
  const order = topologicalOrder(root);
  const ids = new Map<Value, number>();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let id = 0; id < order.length; id++) {
    const value = order[id];
    ids.set(value, id);
    nodes.push({
      id,
      label: value.label,
      data: value.data,
      grad: value.grad,
      op: value.op,
      operationText: operationLabel(
        value.op,
        value.inputs.length,
        value.constant,
      ),
      kind: "value",
    });
    // Inputs precede their output in topological order, so they have ids.
    value.inputs.forEach((input, inputIndex) => {
      edges.push({ from: ids.get(input) as number, to: id, inputIndex });
    });
  }
  return { nodes, edges };
}

/**
 * Characters that mean something inside a Graphviz record label (fields,
 * ports, grouping) or a quoted DOT string; each is escaped with a backslash.
 */
const RECORD_SPECIAL = /[\\{}|<>"]/g;

function escapeRecordText(text: string): string {
  return text
    .replace(RECORD_SPECIAL, (c) => `\\${c}`)
    // A raw line break would end the quoted string's line; \n is Graphviz's
    // own line break inside a label.
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** `%.4f`, as micrograd's drawing formats data and grad. */
function formatNumber(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/**
 * The graph behind `root` in Graphviz DOT, drawn as micrograd's `draw_dot`
 * draws it: left to right, a record box per value (`label | data 4.0000 |
 * grad 1.0000`) and, for each computed value, an operation node between its
 * inputs and it. Render it with `dot -Tsvg graph.dot > graph.svg`.
 *
 * Labels are escaped, so any label (with quotes, braces, `|`, `<`, line
 * breaks) gives valid DOT.
 *
 * @param root the value whose graph to draw
 * @returns the DOT source
 * @throws {TypeError} if `root` is not a `Value`
 *
 * @example A tiny neuron
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { toDot } from "./graph.ts";
 * const x = new Value(0.5, "x");
 * const w = new Value(-2, "w");
 * const o = x.mul(w).tanh();
 * o.label = "o";
 * o.backward();
 * const dot = toDot(o);
 * assert.ok(dot.startsWith("digraph"));
 * assert.ok(dot.includes('label="{ o | data -0.7616 | grad 1.0000 }"'));
 * ```
 */
export function toDot(root: Value): string {
  checkRoot(root, "toDot");
  const { nodes, edges } = traceGraph(root);
  const lines = [
    "digraph G {",
    "  rankdir=LR;",
    '  node [fontname="Helvetica"];',
  ];
  for (const node of nodes) {
    const label = `{ ${escapeRecordText(node.label)} | data ${
      formatNumber(node.data)
    } | grad ${formatNumber(node.grad)} }`;
    lines.push(`  n${node.id} [shape=record, label="${label}"];`);
    if (node.op !== "") {
      // The operation gets its own small node so it reads as a step between
      // the inputs and the result, as in micrograd's drawings.
      lines.push(
        `  n${node.id}_op [shape=ellipse, label="${
          escapeRecordText(node.operationText)
        }"];`,
      );
      lines.push(`  n${node.id}_op -> n${node.id};`);
    }
  }
  for (const edge of edges) {
    lines.push(`  n${edge.from} -> n${edge.to}_op;`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
