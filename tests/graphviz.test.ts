// Graphviz as a check, not a dependency: toDot's output, rendered by real
// Graphviz (compiled to WebAssembly: @viz-js/viz, a dev dependency only),
// for every explorer preset, the explorer's training-example graph, a
// trained MLP's loss, and labels full of characters DOT and record labels
// give meaning to.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { instance, type Viz } from "@viz-js/viz";
import {
  hingeLoss,
  l2Penalty,
  makeMoons,
  MLP,
  toDot,
  traceGraph,
  Value,
} from "../mod.ts";
import { buildGraph } from "../playground/explorer/parser.ts";
import {
  PRESETS,
  trainingExampleGraph,
} from "../playground/explorer/presets.ts";

let viz: Viz;

/**
 * Render `dot` to SVG and return the text Graphviz drew, one entry per
 * `<text>` element, XML entities decoded. Fails on any Graphviz error.
 */
function renderedText(dot: string): string[] {
  const result = viz.render(dot, { format: "svg" });
  const errors = result.errors.filter((error) => error.level !== "warning");
  assert.equal(result.status, "success", JSON.stringify(result.errors));
  assert.deepEqual(errors, []);
  const svg = result.output!;
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) =>
    match[1]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&#45;/g, "-")
      .replace(/&#160;/g, " ")
      .replace(/&amp;/g, "&")
  );
}

/** Every value's label and every operation drawn, each exactly once or more. */
function assertDrawsEveryNode(root: Value, texts: string[]): void {
  const { nodes } = traceGraph(root);
  const drawn = new Set(texts.map((text) => text.trim()));
  for (const node of nodes) {
    for (const line of node.label.split(/\r\n|\r|\n/)) {
      if (line.trim() !== "") {
        assert.ok(
          drawn.has(line.trim()),
          `label line ${JSON.stringify(line)} not drawn`,
        );
      }
    }
    if (node.op !== "") {
      assert.ok(
        drawn.has(node.operationText),
        `operation ${node.operationText}`,
      );
    }
  }
  // One "data" and one "grad" field per value.
  assert.equal(
    texts.filter((text) => text.startsWith("data ")).length,
    nodes.length,
  );
  assert.equal(
    texts.filter((text) => text.startsWith("grad ")).length,
    nodes.length,
  );
}

describe("toDot in real Graphviz", () => {
  before(async () => {
    viz = await instance();
  });

  for (const preset of PRESETS) {
    it(`renders the explorer preset "${preset.id}"`, () => {
      const root = buildGraph(preset.source).output;
      root.backward();
      assertDrawsEveryNode(root, renderedText(toDot(root)));
    });
  }

  it("renders the explorer's training-example graph", () => {
    const model = new MLP(2, [4, 4, 1], { seed: 7 });
    const loss = trainingExampleGraph({
      model: model.toJSON(),
      point: [0.5, -0.25],
      label: 1,
      loss: "hinge",
    });
    loss.backward();
    assertDrawsEveryNode(loss, renderedText(toDot(loss)));
  });

  it("renders a trained MLP's loss graph", () => {
    const { x, y } = makeMoons(8, { noise: 0.1, seed: 3 });
    const model = new MLP(2, [4, 4, 1], { seed: 3 });
    let loss = new Value(0);
    for (let step = 0; step < 5; step++) {
      const scores = x.map((xi) => model.forward(xi));
      loss = hingeLoss(scores, y).add(l2Penalty(model.parameters(), 1e-4));
      model.zeroGrad();
      loss.backward();
      for (const p of model.parameters()) p.data -= 0.5 * p.grad;
    }
    loss.label = "loss";
    assertDrawsEveryNode(loss, renderedText(toDot(loss)));
  });

  it("keeps labels with quotes, braces, |, <, >, backslashes and line breaks intact", () => {
    const labels = [
      `say "hi"`,
      "{braces}",
      "a|b",
      "<port>",
      "x < y > z",
      "back\\slash",
      "ends with \\",
      "two\nlines",
      "crlf\r\nbreak",
      "\\n is not a break",
      "a & b",
      '{ | } < > " \\',
    ];
    let total = new Value(0, "start");
    for (const label of labels) total = total.add(new Value(1, label));
    total.label = 'the "sum"';
    total.backward();
    const texts = renderedText(toDot(total));
    assertDrawsEveryNode(total, texts);
    const drawn = texts.map((text) => text.trim());
    for (
      const expected of [
        `say "hi"`,
        "{braces}",
        "a|b",
        "<port>",
        "back\\slash",
        "ends with \\",
        "two",
        "lines",
        "\\n is not a break",
        '{ | } < > " \\',
      ]
    ) {
      assert.ok(
        drawn.includes(expected),
        `${JSON.stringify(expected)} in ${JSON.stringify(drawn)}`,
      );
    }
  });
});
