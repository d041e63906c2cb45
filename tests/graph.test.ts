/**
 * Graph export: traceGraph's plain { nodes, edges } and toDot's Graphviz text.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { topologicalOrder, Value } from "../src/engine.ts";
import { toDot, traceGraph } from "../src/graph.ts";
import { buildGraph } from "../playground/explorer/parser.ts";
import { operationSymbol } from "../playground/explorer/format.ts";

/** The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b), after backward(). */
function lectureNeuron(): Value {
  const { output } = buildGraph(
    "x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432\n" +
      "x1w1 = x1*w1; x2w2 = x2*w2; x1w1x2w2 = x1w1 + x2w2\n" +
      "n = x1w1x2w2 + b; o = tanh(n)",
  );
  output.backward();
  return output;
}

describe("traceGraph", () => {
  test("lists every value once, in topological order, with ids 0..n-1", () => {
    const { nodes, edges } = traceGraph(lectureNeuron());
    assert.equal(nodes.length, 10);
    assert.deepEqual(nodes.map((n) => n.id), [...nodes.keys()]);
    assert.equal(nodes.at(-1)!.label, "o");
    for (const edge of edges) assert.ok(edge.from < edge.to);
    assert.equal(edges.length, 2 + 2 + 2 + 2 + 1);
  });

  test("carries label, data, grad and operation of each value", () => {
    const { nodes } = traceGraph(lectureNeuron());
    const byLabel = new Map(nodes.map((n) => [n.label, n]));
    const o = byLabel.get("o")!;
    assert.equal(o.op, "tanh");
    assert.equal(o.kind, "value");
    assert.ok(Math.abs(o.data - Math.SQRT1_2) < 1e-12);
    assert.equal(o.grad, 1);
    const w1 = byLabel.get("w1")!;
    assert.equal(w1.op, "");
    assert.ok(Math.abs(w1.grad - 1) < 1e-12, "w1.grad = x1 · (1 - o²) = 1");
    assert.equal(byLabel.get("x1w1")!.op, "*");
  });

  test("edges point from each input to the value computed from it", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const { nodes, edges } = traceGraph(a.mul(b));
    assert.deepEqual(nodes.map((n) => n.label), ["a", "b", ""]);
    assert.deepEqual(edges, [
      { from: 0, to: 2, inputIndex: 0 },
      { from: 1, to: 2, inputIndex: 1 },
    ]);
  });

  test("a value used twice has two edges", () => {
    const a = new Value(3, "a");
    const { nodes, edges } = traceGraph(a.add(a));
    assert.equal(nodes.length, 2);
    assert.deepEqual(edges, [
      { from: 0, to: 1, inputIndex: 0 },
      { from: 0, to: 1, inputIndex: 1 },
    ]);
  });

  test("labels come from the op table, the same as the explorer draws", () => {
    const x = new Value(2);
    const root = Value.sum([x.neg(), x.tanh(), x.pow(3), x.mul(x)]);
    const { nodes } = traceGraph(root);
    const operations = topologicalOrder(root).filter((n) => n.op !== "");
    assert.deepEqual(
      nodes.filter((n) => n.op !== "").map((n) => n.operationText),
      ["-x", "tanh", "**3", "*", "sum"],
    );
    assert.deepEqual(
      operations.map(operationSymbol),
      ["-x", "tanh", "**3", "*", "sum"],
    );
  });

  test("a power with a number exponent shows it, as micrograd's **2 does", () => {
    const x = new Value(3);
    const { nodes } = traceGraph(x.pow(2).add(x.pow(new Value(2))));
    const powers = nodes.filter((n) => n.op === "**");
    assert.deepEqual(powers.map((n) => n.operationText).sort(), ["**", "**2"]);
  });

  test("ids are stable: the same graph traces the same way twice", () => {
    const o = lectureNeuron();
    assert.deepEqual(traceGraph(o), traceGraph(o));
  });

  test("is plain data: survives structuredClone and JSON", () => {
    const trace = traceGraph(lectureNeuron());
    assert.deepEqual(structuredClone(trace), trace);
    assert.deepEqual(JSON.parse(JSON.stringify(trace)), trace);
  });

  test("handles a deep chain without recursion", () => {
    let v = new Value(0);
    for (let i = 0; i < 100_000; i++) v = v.add(1);
    const { nodes, edges } = traceGraph(v);
    assert.equal(nodes.length, 200_001);
    assert.equal(edges.length, 200_000);
  });

  test("rejects a non-Value root with a TypeError naming it", () => {
    assert.throws(
      () => traceGraph(undefined as unknown as Value),
      (e: unknown) =>
        e instanceof TypeError && /traceGraph.*got undefined/.test(e.message),
    );
  });
});

describe("toDot", () => {
  test("draws the lecture's neuron as micrograd's draw_dot does", () => {
    const dot = toDot(lectureNeuron());
    assert.match(dot, /^digraph G \{\n/);
    assert.match(dot, /rankdir=LR;/);
    assert.ok(dot.endsWith("}\n"));
    // a record box per value: label | data | grad, to 4 decimals
    assert.ok(dot.includes('label="{ o | data 0.7071 | grad 1.0000 }"'));
    assert.ok(dot.includes('label="{ x1 | data 2.0000 | grad -1.5000 }"'));
    assert.ok(dot.includes('label="{ w2 | data 1.0000 | grad 0.0000 }"'));
    // 5 leaves and 5 computed values, each with its operation node
    assert.equal(dot.match(/shape=record/g)!.length, 10);
    assert.equal(dot.match(/shape=ellipse/g)!.length, 5);
    assert.ok(dot.includes('label="tanh"'));
  });

  test("puts an operation node between the inputs and the output", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const c = a.mul(b);
    c.label = "c";
    assert.equal(
      toDot(c),
      [
        "digraph G {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica"];',
        '  n0 [shape=record, label="{ a | data 2.0000 | grad 0.0000 }"];',
        '  n1 [shape=record, label="{ b | data -3.0000 | grad 0.0000 }"];',
        '  n2 [shape=record, label="{ c | data -6.0000 | grad 0.0000 }"];',
        '  n2_op [shape=ellipse, label="*"];',
        "  n2_op -> n2;",
        "  n0 -> n2_op;",
        "  n1 -> n2_op;",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("escapes labels so that any label gives valid DOT", () => {
    const v = new Value(1, 'say "hi" {a|b} <port> back\\slash\nnext line');
    const dot = toDot(v);
    assert.ok(
      dot.includes(
        String
          .raw`label="{ say \"hi\" \{a\|b\} \<port\> back\\slash\nnext line | data 1.0000 | grad 0.0000 }"`,
      ),
      dot,
    );
    // Outside escapes, no quote ends the label early.
    const labelLine = dot.split("\n").find((l) => l.includes("say"))!;
    const unescapedQuotes = labelLine.replace(/\\./g, "").match(/"/g)!;
    assert.equal(unescapedQuotes.length, 2);
  });

  test("shows non-finite numbers by name", () => {
    const dot = toDot(new Value(-1).log());
    assert.ok(dot.includes("data NaN"));
  });

  test("rejects a non-Value root with a TypeError naming it", () => {
    assert.throws(
      () => toDot("a" as unknown as Value),
      (e: unknown) =>
        e instanceof TypeError && /toDot.*a string \("a"\)/.test(e.message),
    );
  });
});
