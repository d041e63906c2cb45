// The library's own pictures: toSvg (the graph of a Value, laid out by
// layoutGraph) and mlpToSvg (a network diagram), their escaping, their limits,
// and the rich display that makes a Value or an MLP draw itself in a notebook.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  hingeLoss,
  layoutGraph,
  MAXIMUM_DRAWN_VALUES,
  MLP,
  mlpToSvg,
  toSvg,
  Value,
} from "../mod.ts";

/**
 * A strict enough XML well-formedness check for generated SVG: tags nest and
 * close, attribute values are quoted, and text holds no raw `<` or stray `&`.
 * Returns the text content, entities decoded.
 */
function checkWellFormed(svg: string): string {
  const stack: string[] = [];
  let text = "";
  const token =
    /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let match: RegExpExecArray | null;
  let seen = 0;
  while ((match = token.exec(svg)) !== null) {
    assert.equal(
      match.index,
      seen,
      `unparsable at ${svg.slice(seen, seen + 40)}`,
    );
    seen = token.lastIndex;
    const [, closing, name, attributes, selfClosing, content, stray] = match;
    assert.equal(
      stray,
      undefined,
      `a raw "<" at ${svg.slice(match.index, match.index + 40)}`,
    );
    if (content !== undefined) {
      for (const amp of content.matchAll(/&([^;\s]*;)?/g)) {
        assert.match(
          amp[0],
          /^&(amp|lt|gt|quot|#39);$/,
          `stray & in ${content}`,
        );
      }
      text += content.replace(/&lt;/g, "<").replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      continue;
    }
    for (const amp of (attributes ?? "").matchAll(/&([^;\s"]*;)?/g)) {
      assert.match(
        amp[0],
        /^&(amp|lt|gt|quot|#39);$/,
        `stray & in ${attributes}`,
      );
    }
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes nothing open`);
    } else if (!selfClosing) stack.push(name);
  }
  assert.equal(seen, svg.length);
  assert.deepEqual(stack, [], "every element is closed");
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(text, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  return text;
}

function lectureNeuron(): Value {
  const x1 = new Value(2, "x1"), x2 = new Value(0, "x2");
  const w1 = new Value(-3, "w1"), w2 = new Value(1, "w2");
  const b = new Value(6.8813735870195432, "b");
  const n = x1.mul(w1).add(x2.mul(w2)).add(b);
  n.label = "n";
  const o = n.tanh();
  o.label = "o";
  o.backward();
  return o;
}

describe("toSvg", () => {
  it("draws a box per value with its label, data and grad, and a node per operation", () => {
    const o = lectureNeuron();
    const svg = toSvg(o);
    const text = checkWellFormed(svg);
    for (
      const label of ["x1", "x2", "w1", "w2", "b", "n", "o", "tanh", "+", "*"]
    ) {
      assert.ok(text.includes(label), `shows ${label}`);
    }
    assert.ok(text.includes("data 0.7071"), "o = 0.7071");
    assert.ok(text.includes("grad -1.5000"), "x1.grad = -1.5");
    // 10 values: 10 boxes (rect) plus the background; 5 operations.
    assert.equal(svg.match(/<rect /g)!.length, 11);
    assert.equal(svg.match(/<ellipse /g)!.length, 5);
    assert.match(
      svg,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/,
    );
  });

  it("shows a value used twice with one arrow marked ×2 (the a + a case)", () => {
    const a = new Value(3, "a");
    const b = a.add(a);
    b.backward();
    const svg = toSvg(b);
    assert.ok(svg.includes("×2"));
    assert.ok(checkWellFormed(svg).includes("grad 2.0000"));
  });

  it("escapes labels with quotes, <, &, braces, |, backslashes, line breaks and characters XML forbids", () => {
    const nasty = [
      `say "hi"`,
      "a<b>&c",
      "{x|y}",
      "back\\slash",
      "two\nlines",
      "it's",
      "bell\u0007",
      "lone\uD800surrogate",
      "]]>",
    ];
    let total: Value = new Value(0, "zero");
    for (const label of nasty) total = total.add(new Value(1, label));
    total.label = "<total>";
    const text = checkWellFormed(toSvg(total));
    for (
      const label of [
        `say "hi"`,
        "a<b>&c",
        "{x|y}",
        "back\\slash",
        "two↵lines",
        "it's",
        "<total>",
        "]]>",
      ]
    ) {
      assert.ok(text.includes(label), `shows ${label}`);
    }
    assert.ok(
      text.includes("bell\uFFFD") && text.includes("lone\uFFFDsurrogate"),
    );
  });

  it("draws an MLP's loss graph for one example", () => {
    const model = new MLP(2, [4, 4, 1], { seed: 3 });
    const [score] = model.forward([0.5, -1]);
    const loss = hingeLoss([[score]], [1]);
    loss.backward();
    const svg = toSvg(loss);
    checkWellFormed(svg);
    assert.ok(
      svg.includes("L0.N0.w0") || svg.includes("L0."),
      "weights are named",
    );
  });

  it("refuses a graph over maximumValues with a notice, quickly, and draws it when asked", () => {
    let x = new Value(1, "x");
    for (let i = 0; i < 400; i++) x = x.mul(0.99).add(0.01);
    x.label = "y";
    const start = performance.now();
    const notice = toSvg(x);
    const text = checkWellFormed(notice);
    assert.ok(performance.now() - start < 1000);
    assert.ok(
      text.includes(`too large to draw (the limit is ${MAXIMUM_DRAWN_VALUES})`),
      text,
    );
    assert.ok(text.includes("maximumValues: 1601"), text);
    const full = toSvg(x, { maximumValues: 2000 });
    assert.equal(full.match(/<ellipse /g)!.length, 800);
  });

  it("rejects what is not a Value, and a bad limit", () => {
    assert.throws(() => toSvg(3 as unknown as Value), {
      name: "TypeError",
      message: "toSvg: expected a Value as root, got the number 3",
    });
    assert.throws(
      () => toSvg(new Value(1), { maximumValues: 0 }),
      RangeError,
    );
  });
});

describe("layoutGraph", () => {
  it("lays out a chain of thousands of values without recursion, in about linear time", () => {
    let x = new Value(1, "x");
    for (let i = 0; i < 3000; i++) x = x.mul(0.999).add(0.001);
    const start = performance.now();
    const layout = layoutGraph(x);
    assert.equal(layout.order.length, 12001);
    assert.ok(performance.now() - start < 10_000);
  });

  it("keeps a value used all along a long chain from making the layout quadratic", () => {
    const w = new Value(0.5, "w");
    let h = new Value(1, "h");
    for (let i = 0; i < 1500; i++) h = h.mul(w).add(w);
    const layout = layoutGraph(h, { maximumBends: 5000 });
    // Every edge is there (3 per operation), the longest ones straight.
    assert.equal(layout.edges.length, 3 * 3000);
    assert.equal(layout.nodes.length, 3002 + 3000);
    let bends = 0, straight = 0;
    for (const edge of layout.edges) {
      bends += (edge.points.length - 2) / 2;
      if (edge.points.length === 2 && edge.to.x - edge.from.x > 500) straight++;
    }
    assert.ok(bends <= 5000, `${bends} bends`);
    assert.ok(straight > 0);
  });

  it("places no two boxes on top of each other (the lecture's neuron)", () => {
    const layout = layoutGraph(lectureNeuron());
    const nodes = layout.nodes;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width &&
          a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${a.key} overlaps ${b.key}`);
      }
    }
  });
});

describe("mlpToSvg", () => {
  it("draws micrograd's demo network: a circle per input and neuron, a line per weight", () => {
    const model = new MLP(2, [16, 16, 1], { seed: 1 });
    const svg = mlpToSvg(model);
    const text = checkWellFormed(svg);
    assert.equal(svg.match(/<circle /g)!.length, 35);
    assert.equal(svg.match(/<line /g)!.length, 2 * 16 + 16 * 16 + 16);
    assert.ok(text.includes("337 parameters"));
    assert.ok(text.includes("relu · 16") && text.includes("linear · 1"));
  });

  it("leaves the links out of a network too large, and says so", () => {
    const svg = mlpToSvg(new MLP(64, [64, 64, 1]), { maximumLinks: 1000 });
    const text = checkWellFormed(svg);
    assert.equal(svg.match(/<line /g), null);
    assert.ok(
      text.includes("8256 links: too many to draw (the limit is 1000)"),
    );
  });

  it("rejects what is not an MLP", () => {
    assert.throws(() => mlpToSvg({} as MLP), TypeError);
  });
});

describe("rich display in notebooks", () => {
  const display = Symbol.for("Jupyter.display");
  type Displayable = { [display]: () => Record<string, string> };

  it("shows a Value as its graph, with its text as a fallback", () => {
    const o = lectureNeuron();
    const bundle = (o as unknown as Displayable)[display]();
    assert.deepEqual(Object.keys(bundle).sort(), [
      "image/svg+xml",
      "text/plain",
    ]);
    assert.equal(bundle["image/svg+xml"], toSvg(o));
    assert.equal(bundle["text/plain"], String(o));
  });

  it("shows an MLP as its network diagram", () => {
    const model = new MLP(3, [4, 4, 1], { seed: 2 });
    const bundle = (model as unknown as Displayable)[display]();
    assert.equal(bundle["image/svg+xml"], mlpToSvg(model));
    assert.equal(bundle["text/plain"], String(model));
  });
});
