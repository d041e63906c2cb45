/**
 * The explorer's graph layout: inputs on the left, output on the right, an
 * operation node between its inputs and its result, no overlapping boxes,
 * and edges routed between boxes rather than through them.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Value } from "../src/engine.ts";
import { MLP } from "../src/nn.ts";
import { buildGraph } from "../playground/explorer/parser.ts";
import {
  type GraphLayout,
  layoutGraph,
  type LayoutNode,
  layoutSteps,
  valueBoxGeometry,
} from "../playground/explorer/layout.ts";
import { collapseNeurons } from "../playground/explorer/collapse.ts";
import {
  PRESETS,
  trainingExampleGraph,
} from "../playground/explorer/presets.ts";
import {
  CHARACTER_WIDTH,
  fittedViewHeight,
  MAXIMUM_FIT_SCALE,
} from "../playground/explorer/drawing.ts";

interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlap(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width &&
    a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every pair of drawn nodes that overlap (should be none). */
function overlappingPairs(layout: GraphLayout): string[] {
  const pairs: string[] = [];
  const nodes = layout.nodes;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      if (overlap(nodes[i], nodes[j])) {
        pairs.push(`${nodes[i].key}/${nodes[j].key}`);
      }
    }
  }
  return pairs;
}

/** Does the segment from p to q pass through the inside of `box`? */
function segmentCrossesBox(
  p: { x: number; y: number },
  q: { x: number; y: number },
  box: Rectangle,
): boolean {
  // Sample the segment; boxes are at least 24px tall, edges are short.
  for (let t = 0.02; t < 1; t += 0.02) {
    const x = p.x + (q.x - p.x) * t, y = p.y + (q.y - p.y) * t;
    if (
      x > box.x + 1 && x < box.x + box.width - 1 && y > box.y + 1 &&
      y < box.y + box.height - 1
    ) return true;
  }
  return false;
}

function boxOf(layout: GraphLayout, label: string): LayoutNode {
  const node = layout.nodes.find((n) =>
    n.kind === "value" && n.value.label === label
  );
  assert.ok(node, `no box labelled ${label}`);
  return node;
}

const presetGraphs = PRESETS.map((preset) => ({
  name: preset.id,
  root: buildGraph(preset.source).output,
}));

/** The loss graph of one point through micrograd's 2-16-16-1 demo MLP. */
function demoTrainingExample() {
  const model = new MLP(2, [16, 16, 1], { seed: 1337 });
  return trainingExampleGraph({
    model: model.toJSON(),
    point: [0.5, -0.25],
    label: 1,
    loss: "hinge",
  });
}

describe("layoutGraph on every preset", () => {
  for (const { name, root } of presetGraphs) {
    test(`${name}: no two boxes or operation nodes overlap`, () => {
      const layout = layoutGraph(root);
      assert.deepEqual(overlappingPairs(layout), []);
    });

    test(`${name}: one box per value, one node per operation, all inside the drawing`, () => {
      const layout = layoutGraph(root);
      const operations = layout.order.filter((value) => value.op !== "").length;
      assert.equal(
        layout.nodes.filter((n) => n.kind === "value").length,
        layout.order.length,
      );
      assert.equal(
        layout.nodes.filter((n) => n.kind === "op").length,
        operations,
      );
      for (const node of layout.nodes) {
        assert.ok(node.x >= 0 && node.y >= 0, `${node.key} starts inside`);
        assert.ok(
          node.x + node.width <= layout.width + 1e-9,
          `${node.key} ends inside (x)`,
        );
        assert.ok(
          node.y + node.height <= layout.height + 1e-9,
          `${node.key} ends inside (y)`,
        );
      }
    });

    test(`${name}: every arrow goes left to right and between boxes, not through them`, () => {
      const layout = layoutGraph(root);
      for (const edge of layout.edges) {
        assert.ok(
          edge.from.x + edge.from.width <= edge.to.x,
          `${edge.from.key} -> ${edge.to.key}`,
        );
        for (let k = 1; k < edge.points.length; k++) {
          assert.ok(edge.points[k].x >= edge.points[k - 1].x);
          for (const node of layout.nodes) {
            if (node === edge.from || node === edge.to) continue;
            assert.ok(
              !segmentCrossesBox(edge.points[k - 1], edge.points[k], node),
              `${edge.from.key} -> ${edge.to.key} crosses ${node.key}`,
            );
          }
        }
      }
    });
  }
});

describe("the shape of the drawing", () => {
  test("inputs on the left, the output rightmost, each operation between its inputs and its result", () => {
    const { output } = buildGraph(
      PRESETS.find((p) => p.id === "neuron")!.source,
    );
    const layout = layoutGraph(output);
    const o = boxOf(layout, "o");
    for (const node of layout.nodes) {
      if (node !== o) {
        assert.ok(node.x + node.width <= o.x, `${node.key} left of o`);
      }
    }
    for (const leaf of ["x1", "x2", "w1", "w2"]) {
      assert.equal(boxOf(layout, leaf).layer, 0);
    }
    for (const node of layout.nodes.filter((n) => n.kind === "op")) {
      const result = layout.nodes.find((n) =>
        n.kind === "value" && n.value === node.value
      )!;
      assert.equal(result.layer, node.layer + 1);
      for (const input of node.value.inputs) {
        const box = layout.nodes.find((n) =>
          n.kind === "value" && n.value === input
        )!;
        assert.ok(box.layer < node.layer);
      }
    }
  });

  test("a leaf sits just before its first use (the bias next to its +, as in the lecture)", () => {
    const { output } = buildGraph(
      PRESETS.find((p) => p.id === "neuron")!.source,
    );
    const layout = layoutGraph(output);
    const plus = layout.nodes.find((n) =>
      n.kind === "op" && n.value.label === "n"
    )!;
    assert.equal(boxOf(layout, "b").layer, plus.layer - 1);
  });

  test("the neuron draws without crossings, and a chain comes out level", () => {
    const { output } = buildGraph(
      PRESETS.find((p) => p.id === "neuron")!.source,
    );
    const layout = layoutGraph(output);
    assert.equal(layout.crossings, 0);
    const n = boxOf(layout, "n"), o = boxOf(layout, "o");
    assert.ok(Math.abs(n.y + n.height / 2 - (o.y + o.height / 2)) < 1);
  });

  test("a value used twice (x*x) gets one arrow marked with the count", () => {
    const x = new Value(3, "x");
    const y = x.mul(x);
    const layout = layoutGraph(y);
    const intoMultiply = layout.edges.filter((e) => e.to.kind === "op");
    assert.equal(intoMultiply.length, 1);
    assert.equal(intoMultiply[0].count, 2);
  });

  test("a single leaf is a one-box drawing", () => {
    const layout = layoutGraph(buildGraph("a = 2").output);
    assert.equal(layout.nodes.length, 1);
    assert.equal(layout.edges.length, 0);
    assert.ok(layout.width > 0 && layout.height > 0);
  });

  test("boxes have a fixed size per label, whatever their numbers", () => {
    const small = buildGraph("a = 2; b = 3; y = a*b").output;
    const large = buildGraph("a = 2e300; b = -3e300; y = a*b").output; // -Infinity
    const widths = (root: Value) => layoutGraph(root).nodes.map((n) => n.width);
    assert.deepEqual(widths(small), widths(large));
    const box = valueBoxGeometry("x1", 7.2);
    assert.equal(box.width, box.labelWidth + box.numberWidth);
  });

  test("the layout is a pure function: the same graph gives the same drawing", () => {
    const { output } = buildGraph(
      PRESETS.find((p) => p.id === "more-ops")!.source,
    );
    const strip = (layout: GraphLayout) =>
      layout.nodes.map((n) => [n.key, n.x, n.y, n.width, n.height]);
    assert.deepEqual(strip(layoutGraph(output)), strip(layoutGraph(output)));
  });

  test("crossing reduction: micrograd's test_more_ops stays nearly planar", () => {
    const { output } = buildGraph(
      PRESETS.find((p) => p.id === "more-ops")!.source,
    );
    const layout = layoutGraph(output);
    assert.ok(layout.nodes.length >= 50);
    assert.ok(layout.crossings <= 12, `${layout.crossings} crossings`);
  });
});

describe("larger graphs", () => {
  test("a 60-node random expression graph has no overlaps", () => {
    // A deterministic pseudo-random DAG mixing every unary and binary op.
    let state = 12345;
    const next = () =>
      (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pool: Value[] = [];
    for (let i = 0; i < 8; i++) pool.push(new Value(next() * 2 - 1, `x${i}`));
    const pick = () => pool[Math.floor(next() * pool.length)];
    while (pool.length < 60) {
      const r = next();
      const a = pick(), b = pick();
      const v = r < 0.2
        ? a.add(b)
        : r < 0.4
        ? a.mul(b)
        : r < 0.5
        ? a.sub(b)
        : r < 0.6
        ? a.tanh()
        : r < 0.7
        ? a.relu()
        : r < 0.8
        ? a.pow(2)
        : r < 0.9
        ? a.sigmoid()
        : a.neg();
      pool.push(v);
    }
    const root = Value.sum(pool.slice(-10));
    const layout = layoutGraph(root);
    assert.deepEqual(overlappingPairs(layout), []);
  });

  test("one training example through micrograd's 2-16-16-1 MLP: hundreds of nodes, no overlaps, fast", () => {
    const loss = demoTrainingExample();
    const started = performance.now();
    const layout = layoutGraph(loss);
    const milliseconds = performance.now() - started;
    assert.ok(layout.order.length > 400);
    assert.deepEqual(overlappingPairs(layout), []);
    assert.ok(milliseconds < 5000, `${milliseconds} ms`);
    // Inputs on the left, the loss on the right.
    assert.equal(boxOf(layout, "x0").layer, 0);
    assert.equal(
      boxOf(layout, "loss").layer,
      Math.max(...layout.nodes.map((n) => n.layer)),
    );
  });
});

describe("big graphs, in slices, and the other direction", () => {
  test("a 2,000-factor product lays out without recursion, in pauses of bounded work", () => {
    const { output } = buildGraph(
      `a = 1.0001\np = ${Array(2000).fill("a").join(" * ")}`,
    );
    const steps = layoutSteps(output);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    assert.ok(pauses > 50, `${pauses} pauses`);
    assert.equal(step.value.order.length, 2000);
    const once = layoutGraph(output);
    assert.deepEqual(
      step.value.nodes.map((node) => [node.key, node.x, node.y]),
      once.nodes.map((node) => [node.key, node.x, node.y]),
    );
  });

  test("top to bottom: rows instead of columns, no overlaps, edges leave at the bottom", () => {
    for (const preset of PRESETS) {
      const { output } = buildGraph(preset.source);
      const layout = layoutGraph(output, {
        characterWidth: CHARACTER_WIDTH,
        direction: "down",
      });
      assert.equal(layout.direction, "down");
      assert.deepEqual(overlappingPairs(layout), [], preset.id);
      const root = layout.nodes.find((node) =>
        node.kind === "value" && node.value === output
      )!;
      for (const node of layout.nodes) {
        assert.ok(node.y <= root.y, `${node.key} above the output`);
      }
      for (const edge of layout.edges) {
        const start = edge.points[0];
        assert.equal(start.y, edge.from.y + edge.from.height);
        const end = edge.points[edge.points.length - 1];
        assert.equal(end.y, edge.to.y);
      }
    }
  });

  test("collapsed neurons: a 2-16-16-1 MLP is 33 boxes of neurons, drawn without overlaps", () => {
    const model = new MLP(2, [16, 16, 1], { seed: 3 });
    const loss = trainingExampleGraph({
      model: model.toJSON(),
      point: [0.3, -0.7],
      label: 1,
      loss: "hinge",
    });
    const collapsed = collapseNeurons(loss);
    assert.equal(collapsed.neurons, 33);
    const layout = layoutGraph(collapsed.root, {
      characterWidth: CHARACTER_WIDTH,
      symbols: collapsed.symbols,
    });
    assert.ok(layout.order.length < 60, `${layout.order.length} boxes`);
    assert.deepEqual(overlappingPairs(layout), []);
    assert.equal(
      layout.nodes.filter((node) => node.text === "relu(w·x+b)").length,
      32,
    );
    for (const value of layout.order) {
      assert.ok(collapsed.realOf.has(value), "every box shows a real value");
    }
  });
});

describe("the graph view's height (fittedViewHeight)", () => {
  const limits = { minimum: 240, maximum: 576 };

  test("the lecture's neuron at 1280 px: drawn near natural size, so the view is short", () => {
    const neuron = PRESETS.find((preset) => preset.id === "neuron")!;
    const layout = layoutGraph(buildGraph(neuron.source).output, {
      characterWidth: CHARACTER_WIDTH,
    });
    assert.ok(layout.width > 3 * layout.height, "a wide, short graph");
    // 1246 px wide view: the width-filling scale leaves it well under 240.
    const scale = (1246 - 24) / layout.width;
    assert.ok(scale > 0.9 && scale < 1.1, `about 1x: ${scale}`);
    assert.equal(fittedViewHeight(layout, 1246, limits), 240);
  });

  test("height is the graph's at the width-filling scale plus Fit's margins", () => {
    // 1000 x 400 in a 524 px view: scale 0.5, 200 + 24.
    assert.equal(
      fittedViewHeight({ width: 1000, height: 400 }, 524, {
        minimum: 100,
        maximum: 1000,
      }),
      224,
    );
  });

  test("a small graph is enlarged at most MAXIMUM_FIT_SCALE times, as Fit does", () => {
    const height = fittedViewHeight({ width: 100, height: 100 }, 1200, {
      minimum: 10,
      maximum: 10_000,
    });
    assert.equal(height, 100 * MAXIMUM_FIT_SCALE + 24);
  });

  test("a tall graph (an MLP's loss) is capped at the maximum", () => {
    const loss = demoTrainingExample();
    const layout = layoutGraph(loss, { characterWidth: CHARACTER_WIDTH });
    assert.equal(fittedViewHeight(layout, 1246, limits), 576);
  });

  test("an empty graph or a hidden view (width 0) gets the minimum", () => {
    assert.equal(fittedViewHeight({ width: 0, height: 0 }, 800, limits), 240);
    assert.equal(
      fittedViewHeight({ width: 500, height: 300 }, 0, limits),
      240,
    );
  });
});
