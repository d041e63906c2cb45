import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compile, type CompiledGraph } from "../src/compile.ts";
import { topologicalOrder, Value } from "../src/engine.ts";
import { OPERATION_NAMES, OPERATIONS as OPS } from "../src/ops.ts";

/**
 * Equal to 1e-12 relative error, with NaN equal to NaN and infinities equal
 * only to themselves (the compiled tape must reproduce those too).
 */
function assertClose(actual: number, expected: number, what: string): void {
  if (Object.is(actual, expected)) return;
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    assert.fail(`${what}: got ${actual}, expected ${expected}`);
  }
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= 1e-12 * scale,
    `${what}: got ${actual}, expected ${expected}`,
  );
}

/** Leaf grads start here, so accumulation (not overwriting) is checked. */
const INITIAL_GRAD = 0.25;

/**
 * Run `Value.backward` and `compile(root)` on the same graph and check that
 * the tape's root value, every node's value and grad, and every leaf's
 * accumulated `.grad` equal the Value engine's.
 */
function assertTapeMatchesEngine(root: Value): CompiledGraph {
  const nodes = topologicalOrder(root);
  const leaves = nodes.filter((node) => node.op === "");
  for (const leaf of leaves) leaf.grad = INITIAL_GRAD;
  root.backward();
  const engineGrads = nodes.map((node) => node.grad);

  for (const leaf of leaves) leaf.grad = INITIAL_GRAD;
  const tape = compile(root);
  assertClose(tape.forward(), root.data, "root value");
  tape.backward();
  nodes.forEach((node, i) => {
    const name = `node ${i} (${node.op || "leaf"})`;
    assertClose(tape.valueOf(node), node.data, `${name} value`);
    assertClose(tape.gradOf(node), engineGrads[i], `${name} grad`);
    if (node.op === "") {
      assertClose(node.grad, engineGrads[i], `${name} .grad written back`);
    }
  });
  return tape;
}

describe("compile: every operation equals the Value engine", () => {
  const cases: [string, (a: Value, b: Value, c: Value) => Value][] = [
    ["add", (a, b) => a.add(b)],
    ["add a number", (a) => a.add(2.5)],
    ["add itself (a + a)", (a) => a.add(a)],
    ["sub", (a, b) => a.sub(b)],
    ["mul", (a, b) => a.mul(b)],
    ["mul itself (x * x)", (a) => a.mul(a)],
    ["div", (a, b) => a.div(b)],
    ["div by zero", (a) => a.div(0)],
    ["div by a huge number (b² overflows)", (a) => a.div(1e200)],
    ["pow by a number", (a) => a.pow(3)],
    ["pow by a fraction", (_a, b) => b.pow(0.5)],
    ["pow by zero at zero", () => new Value(0).pow(0)],
    ["pow by a Value", (_a, b, c) => b.pow(c)],
    ["pow by a Value at base zero", (_a, _b, c) => new Value(0).pow(c)],
    ["pow of a negative base", (a, _b, c) => a.pow(c)],
    ["neg", (a) => a.neg()],
    ["exp", (a) => a.exp()],
    ["exp overflowing", (a) => a.mul(1000).exp()],
    ["log", (_a, b) => b.log()],
    ["log of a negative number", (a) => a.log()],
    ["tanh", (a) => a.tanh()],
    ["tanh saturated", (a) => a.mul(-1000).tanh()],
    ["relu positive", (_a, b) => b.relu()],
    ["relu negative", (a) => a.relu()],
    ["relu at zero", () => new Value(0).relu()],
    ["relu of NaN", (a) => a.log().relu()],
    ["sigmoid", (a) => a.sigmoid()],
    [
      "sigmoid at ±1000",
      (a) => a.mul(1000).sigmoid().add(a.mul(-1000).sigmoid()),
    ],
    ["sum", (a, b, c) => Value.sum([a, b, c, 4])],
    ["sum with repeats", (a, b) => Value.sum([a, b, a, a])],
    ["empty sum", () => Value.sum([])],
    ["dot", (a, b, c) => Value.dot([a, b, c], [c, a, 2])],
    ["dot with itself", (a, b) => Value.dot([a, b], [a, b])],
    ["logsumexp", (a, b, c) => Value.logSumExp([a, b, c])],
    ["logsumexp of large values", (a) => Value.logSumExp([a.mul(1000), 1000])],
    ["logsumexp of -Infinity", () => Value.logSumExp([-Infinity, -Infinity])],
    // A zero grad reaching a node must still turn 0 · Infinity into NaN.
    ["zero grad times Infinity", (_a, b) => b.mul(Infinity).neg().relu()],
    [
      "zero grad through a dot with Infinity",
      (_a, b, c) => Value.dot([b, c], [-Infinity, 1]).relu(),
    ],
    ["zero grad into pow at base 0", () => new Value(0).pow(0.5).mul(0)],
    ["zero grad into a division by a tiny number", (a) => a.div(1e-200).mul(0)],
  ];
  for (const [name, build] of cases) {
    test(name, () => {
      const a = new Value(-1.5, "a");
      const b = new Value(2.25, "b");
      const c = new Value(0.75, "c");
      // Use the result twice and mix ops, so grads flow through a shared node.
      const out = build(a, b, c);
      assertTapeMatchesEngine(out.mul(out.tanh()).add(out));
      assertTapeMatchesEngine(build(a, b, c));
    });
  }
});

describe("compile: replay", () => {
  test("forward re-reads leaf data: replay equals rebuilding the graph", () => {
    const build = (x: number, w: number) => {
      const xv = new Value(x), wv = new Value(w);
      return { xv, wv, out: wv.mul(xv).add(1).tanh().pow(2) };
    };
    const original = build(0.5, -0.3);
    const tape = compile(original.out);
    original.xv.data = 2;
    original.wv.data = 0.7;
    original.wv.grad = 0;
    const replayed = tape.forward();
    tape.backward();

    const rebuilt = build(2, 0.7);
    rebuilt.out.backward();
    assert.equal(replayed, rebuilt.out.data);
    assert.equal(original.wv.grad, rebuilt.wv.grad);
    assert.equal(original.xv.grad, rebuilt.xv.grad);
    assert.equal(tape.valueOf(original.out), rebuilt.out.data);
  });

  test("the Value objects of intermediate nodes keep their build-time data", () => {
    const x = new Value(1);
    const hidden = x.mul(2);
    const tape = compile(hidden.add(1));
    x.data = 10;
    assert.equal(tape.forward(), 21);
    assert.equal(tape.valueOf(hidden), 20);
    assert.equal(hidden.data, 2);
  });

  test("valueOf before the first forward gives the values the graph was built with", () => {
    const x = new Value(3);
    const y = x.mul(x);
    const tape = compile(y.add(1));
    x.data = 100;
    assert.equal(tape.valueOf(y), 9);
  });
});

describe("compile: gradients accumulate like Value.backward", () => {
  test("backward twice doubles the leaf grads", () => {
    const x = new Value(3);
    const tape = compile(x.mul(x).add(x));
    tape.forward();
    tape.backward();
    assert.equal(x.grad, 7);
    tape.backward();
    assert.equal(x.grad, 14);
  });

  test("a graph that is a single leaf accumulates too", () => {
    const x = new Value(4);
    const tape = compile(x);
    tape.forward();
    tape.backward();
    tape.backward();
    assert.equal(x.grad, 2);
  });

  test("intermediate grads start from zero on every backward", () => {
    const x = new Value(3);
    const hidden = x.mul(2);
    const tape = compile(hidden.mul(hidden));
    tape.forward();
    tape.backward();
    tape.backward();
    assert.equal(tape.gradOf(hidden), 12); // not 24
    assert.equal(x.grad, 48);
  });

  test("zeroing the leaves' grads between steps resets them", () => {
    const x = new Value(2);
    const tape = compile(x.exp());
    tape.forward();
    tape.backward();
    x.grad = 0;
    tape.backward();
    assert.equal(x.grad, Math.exp(2));
  });

  test("a number constant is a leaf too, and gets a grad like in the Value engine", () => {
    const x = new Value(2);
    const two = new Value(5);
    const root = x.mul(two);
    const tape = compile(root);
    assert.equal(tape.leafCount, 2);
    assert.equal(tape.nodeCount, 3);
    tape.forward();
    tape.backward();
    assert.equal(two.grad, 2);
  });

  test("a leaf grad of -0 ends as the Value engine leaves it", () => {
    // -0 + 0 is +0: even zero contributions must be added to a -0.
    const build = () => {
      const x = new Value(2), y = new Value(1);
      x.grad = -0;
      // relu clamps -2, so x receives 1 · (+0): -0 + +0 = +0.
      return { x, root: x.mul(y).neg().relu() };
    };
    const byValue = build();
    byValue.root.backward();
    const byTape = build();
    const tape = compile(byTape.root);
    tape.forward();
    tape.backward();
    assert.ok(Object.is(byTape.x.grad, byValue.x.grad), `${byTape.x.grad}`);
  });

  test("a graph that is a single leaf seeds its grad with 1, as Value.backward does", () => {
    const x = new Value(4);
    x.grad = 10;
    const tape = compile(x);
    assert.equal(tape.forward(), 4);
    tape.backward();
    const y = new Value(4);
    y.grad = 10;
    y.backward();
    assert.equal(x.grad, y.grad);
  });
});

// A random expression graph: some leaves, then operations whose operands are
// earlier nodes (so nodes get reused), picked by index.
// Every operation of the op table, plus a power and a sum with a number
// operand (a constant exponent, a constant leaf).
const STEP_KINDS = [...OPERATION_NAMES, "powNumber", "addNumber"] as const;
interface Step {
  operation: (typeof STEP_KINDS)[number];
  operands: number[];
  exponent: number;
}
const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  operation: fc.constantFrom(...STEP_KINDS),
  operands: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  exponent: fc.constantFrom(0, 1, 2, 3, 0.5, -1, -2.5),
});
const leafValue = fc.double({ min: -3, max: 3, noNaN: true });
const programArbitrary = fc.record({
  leafCount: fc.integer({ min: 1, max: 5 }),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 30 }),
  first: fc.array(leafValue, { minLength: 5, maxLength: 5 }),
  second: fc.array(leafValue, { minLength: 5, maxLength: 5 }),
});

function buildProgram(
  leafCount: number,
  steps: readonly Step[],
  leafData: readonly number[],
): { leaves: Value[]; root: Value } {
  const leaves = leafData.slice(0, leafCount).map((x) => new Value(x));
  const nodes: Value[] = [...leaves];
  const pick = (i: number): Value => nodes[i % nodes.length];
  for (const { operation, operands, exponent } of steps) {
    const inputs = operands.map(pick);
    let out: Value;
    if (operation === "powNumber") {
      out = inputs[0].pow(exponent);
    } else if (operation === "addNumber") {
      out = inputs[0].add(exponent);
    } else {
      // Built from the table's arity, so a new operation is covered too.
      const { arity, constant } = OPS[operation];
      const count = arity === "many" ? inputs.length : arity;
      out = Value.fromOperation(
        operation,
        inputs.slice(0, count),
        constant === "split" ? count / 2 : 0,
      );
    }
    nodes.push(out);
  }
  // Root: the sum of the last three nodes, so most of the graph matters.
  return { leaves, root: Value.sum(nodes.slice(-3)) };
}

describe("compile: random graphs (property tests)", () => {
  test("forward and backward equal the Value engine on every node", () => {
    fc.assert(
      fc.property(programArbitrary, ({ leafCount, steps, first }) => {
        const { root } = buildProgram(leafCount, steps, first);
        assertTapeMatchesEngine(root);
      }),
      { numRuns: 300 },
    );
  });

  test("replaying with new leaf data equals rebuilding the graph with it", () => {
    fc.assert(
      fc.property(programArbitrary, ({ leafCount, steps, first, second }) => {
        const recorded = buildProgram(leafCount, steps, first);
        const tape = compile(recorded.root);
        recorded.leaves.forEach((leaf, i) => {
          leaf.data = second[i];
          leaf.grad = 0;
        });
        const replayed = tape.forward();
        tape.backward();

        const rebuilt = buildProgram(leafCount, steps, second);
        rebuilt.root.backward();
        assertClose(replayed, rebuilt.root.data, "root value");
        rebuilt.leaves.forEach((leaf, i) => {
          assertClose(recorded.leaves[i].grad, leaf.grad, `leaf ${i} grad`);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("compile: neurons (dot, + bias, relu), which the tape runs fused", () => {
  const neuronCases: [string, (w: Value[], x: Value[], b: Value) => Value][] = [
    ["dot + bias, relu", (w, x, b) => Value.dot(w, x).add(b).relu()],
    ["dot + bias, no activation", (w, x, b) => Value.dot(w, x).add(b)],
    ["the sum also used after the relu", (w, x, b) => {
      const sum = Value.dot(w, x).add(b);
      return sum.relu().mul(sum);
    }],
    ["the dot also used elsewhere", (w, x, b) => {
      const dot = Value.dot(w, x);
      return dot.add(b).relu().add(dot.mul(dot));
    }],
    ["dot + itself", (w, x) => {
      const dot = Value.dot(w, x);
      return dot.add(dot).relu();
    }],
    ["two layers sharing inputs", (w, x, b) => {
      const h = [Value.dot(w, x).add(b).relu(), Value.dot(w, x).add(b).tanh()];
      return Value.dot(h, [w[0], w[1]]).add(b);
    }],
  ];
  for (const [name, build] of neuronCases) {
    test(name, () => {
      fc.assert(
        fc.property(
          fc.array(leafValue, { minLength: 7, maxLength: 7 }),
          fc.constantFrom(0, 1, Infinity, NaN),
          (numbers, special) => {
            const w = numbers.slice(0, 3).map((v) => new Value(v));
            const x = numbers.slice(3, 6).map((v) => new Value(v));
            // Sometimes a non-finite input, to take the exact (no skip) path.
            if (special !== 1) x[2].data = special === 0 ? x[2].data : special;
            const b = new Value(numbers[6]);
            assertTapeMatchesEngine(build(w, x, b));
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

describe("compile: layers (neurons sharing one input vector), which the tape runs fused", () => {
  // A layer of `size` neurons over the inputs `x`; `wire` may rewire a
  // neuron's weights, inputs or bias to test the cases the tape must not
  // fuse (or must fuse exactly).
  function layer(
    weights: Value[][],
    x: Value[],
    biases: Value[],
    relu: boolean,
  ): Value[] {
    return weights.map((w, j) => {
      const z = Value.dot(w, x).add(biases[j]);
      return relu ? z.relu() : z;
    });
  }
  const cases: [
    string,
    (w: Value[][], x: Value[], b: Value[], relu: boolean) => Value,
  ][] = [
    [
      "a plain layer (odd size: a pair and a single neuron)",
      (w, x, b, relu) => Value.sum(layer(w, x, b, relu)),
    ],
    ["two layers, the second reading the first's outputs", (w, x, b, relu) => {
      const hidden = layer(w, x, b, relu);
      return Value.sum(layer(w, hidden, b, relu));
    }],
    [
      "an input used twice in the vector",
      (w, x, b, relu) => Value.sum(layer(w, [x[0], x[0], x[2]], b, relu)),
    ],
    [
      "an input that is also a weight",
      (w, x, b, relu) => Value.sum(layer(w, [w[1][0], x[1], x[2]], b, relu)),
    ],
    [
      "an input that is also a bias",
      (w, x, b, relu) => Value.sum(layer(w, x, [b[0], x[1], b[2]], relu)),
    ],
    [
      "neurons sharing their weights and bias",
      (w, x, b, relu) =>
        Value.sum(layer([w[0], w[0], w[0]], x, [b[0], b[0], b[0]], relu)),
    ],
    ["a neuron's sum also used outside it", (w, x, b, relu) => {
      const sums = w.map((weights, j) => Value.dot(weights, x).add(b[j]));
      const outputs = sums.map((z) => (relu ? z.relu() : z));
      return Value.sum(outputs).add(sums[1].mul(sums[1]));
    }],
    ["a neuron's dot also used outside it", (w, x, b, relu) => {
      const dots = w.map((weights) => Value.dot(weights, x));
      const outputs = dots.map((d, j) => {
        const z = d.add(b[j]);
        return relu ? z.relu() : z;
      });
      return Value.sum(outputs).add(dots[0].tanh());
    }],
    [
      "the next neuron's bias is the previous neuron's output",
      (w, x, b, relu) => {
        const first = Value.dot(w[0], x).add(b[0]);
        const firstOut = relu ? first.relu() : first;
        const second = Value.dot(w[1], x).add(firstOut);
        return (relu ? second.relu() : second).mul(firstOut);
      },
    ],
    ["outputs used by a hinge loss (most grads 0)", (w, x, b, relu) => {
      const outputs = layer(w, x, b, relu);
      const margins = outputs.map((o) => new Value(1).sub(o.mul(3)).relu());
      return Value.sum(margins).mul(1 / 3);
    }],
  ];
  for (const [name, build] of cases) {
    for (const relu of [true, false]) {
      test(`${name}, ${relu ? "relu" : "linear"}`, () => {
        fc.assert(
          fc.property(
            fc.array(leafValue, { minLength: 15, maxLength: 15 }),
            fc.constantFrom(1, 1, 0, Infinity, NaN),
            (numbers, special) => {
              const values = numbers.map((v) => new Value(v));
              // 3 neurons with 3 weights each, 3 inputs, 3 biases
              const w = [
                values.slice(0, 3),
                values.slice(3, 6),
                values.slice(6, 9),
              ];
              const x = values.slice(9, 12);
              const b = values.slice(12, 15);
              // Sometimes a 0 (dead units) or a non-finite input (no skipping).
              if (special !== 1) x[2].data = special;
              assertTapeMatchesEngine(build(w, x, b, relu));
            },
          ),
          { numRuns: 60 },
        );
      });
    }
  }

  test("replaying a layer over many steps stays bit-identical", () => {
    // The fused path keeps buffers between calls: replay with changing data.
    const w = [0, 1, 2, 3].map((j) =>
      [0, 1].map((i) => new Value(Math.sin(j * 3 + i)))
    );
    const x = [new Value(0), new Value(0)];
    const b = [0, 1, 2, 3].map((j) => new Value(Math.cos(j)));
    const hidden = w.map((wj, j) => Value.dot(wj, x).add(b[j]).relu());
    const root = Value.dot(hidden, hidden);
    const tape = compile(root);
    for (let step = 0; step < 20; step++) {
      x[0].data = Math.sin(step);
      x[1].data = Math.cos(step * 1.3);
      for (const v of [...w.flat(), ...b, ...x]) v.grad = 0;
      const replayed = tape.forward();
      tape.backward();
      const tapeGrads = [...w.flat(), ...b, ...x].map((v) => v.grad);
      for (const v of [...w.flat(), ...b, ...x]) v.grad = 0;
      const rebuiltHidden = w.map((wj, j) => Value.dot(wj, x).add(b[j]).relu());
      const rebuilt = Value.dot(rebuiltHidden, rebuiltHidden);
      rebuilt.backward();
      assert.equal(replayed, rebuilt.data, `root at step ${step}`);
      [...w.flat(), ...b, ...x].forEach((v, i) => {
        assert.equal(tapeGrads[i], v.grad, `grad ${i} at step ${step}`);
      });
    }
  });
});

describe("compile: an MLP trained with the tape equals one trained with Value", () => {
  // A 2-8-8-1 ReLU MLP on a batch of 12 points, micrograd's hinge loss plus
  // an L2 penalty, trained with SGD: the tape replays one recorded graph,
  // the Value engine rebuilds its graph every step.
  const sizes = [2, 8, 8, 1];
  const points = Array.from({ length: 12 }, (_, i) => [
    Math.sin(i * 1.7),
    Math.cos(i * 0.9),
  ]);
  const labels = points.map((p) => (p[0] * p[1] > 0 ? 1 : -1));

  function makeParameters(): Value[][][] {
    // layers[l][neuron] = [bias, ...weights], deterministic pseudo-random
    let seed = 1;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 2 - 1;
    };
    const layers: Value[][][] = [];
    for (let l = 1; l < sizes.length; l++) {
      layers.push(
        Array.from(
          { length: sizes[l] },
          () =>
            Array.from({ length: sizes[l - 1] + 1 }, () => new Value(next())),
        ),
      );
    }
    return layers;
  }

  function lossGraph(
    layers: Value[][][],
    inputs: Value[][],
    targets: Value[],
  ): Value {
    const margins: Value[] = inputs.map((x, sample) => {
      let activations: Value[] = x;
      layers.forEach((layer, l) => {
        activations = layer.map(([bias, ...weights]) => {
          const z = Value.dot(weights, activations).add(bias);
          return l < layers.length - 1 ? z.relu() : z;
        });
      });
      return activations[0].mul(targets[sample]).neg().add(1).relu();
    });
    const parameters = layers.flat(2);
    const dataLoss = Value.sum(margins).mul(1 / inputs.length);
    return dataLoss.add(Value.dot(parameters, parameters).mul(1e-4));
  }

  test("parameters, losses and grads stay bit-identical over 20 SGD steps", () => {
    const byValue = makeParameters();
    const byTape = makeParameters();
    const tapeInputs = points.map((p) => p.map((x) => new Value(x)));
    const tapeTargets = labels.map((y) => new Value(y));
    const tape = compile(lossGraph(byTape, tapeInputs, tapeTargets));
    const steps = 20;
    for (let k = 0; k < steps; k++) {
      const rate = 1.0 - (0.9 * k) / steps;

      const loss = lossGraph(
        byValue,
        points.map((p) => p.map((x) => new Value(x))),
        labels.map((y) => new Value(y)),
      );
      for (const p of byValue.flat(2)) p.grad = 0;
      loss.backward();
      for (const p of byValue.flat(2)) p.data -= rate * p.grad;

      for (const p of byTape.flat(2)) p.grad = 0;
      const tapeLoss = tape.forward();
      tape.backward();
      assert.equal(tapeLoss, loss.data, `loss at step ${k}`);
      byTape.flat(2).forEach((p, i) => {
        assert.equal(p.grad, byValue.flat(2)[i].grad, `grad ${i} at step ${k}`);
      });
      for (const p of byTape.flat(2)) p.data -= rate * p.grad;
    }
  });

  test("the unfused tape (fuseLayers: false) gives the same bits as the fused one", () => {
    const fused = makeParameters();
    const plain = makeParameters();
    const inputs = () => points.map((p) => p.map((x) => new Value(x)));
    const targets = () => labels.map((y) => new Value(y));
    const fusedTape = compile(lossGraph(fused, inputs(), targets()));
    const plainTape = compile(lossGraph(plain, inputs(), targets()), {
      fuseLayers: false,
    });
    for (let k = 0; k < 10; k++) {
      for (const p of [...fused.flat(2), ...plain.flat(2)]) p.grad = 0;
      assert.equal(plainTape.forward(), fusedTape.forward(), `loss ${k}`);
      fusedTape.backward();
      plainTape.backward();
      const a = fused.flat(2), b = plain.flat(2);
      a.forEach((p, i) => assert.equal(b[i].grad, p.grad, `grad ${i}, ${k}`));
      for (const p of [...a, ...b]) p.data -= 0.5 * p.grad;
    }
  });
});

describe("compile: sizes and errors", () => {
  test("nodeCount counts every node once, shared ones included", () => {
    const a = new Value(1);
    const b = a.mul(a);
    const tape = compile(b.add(b));
    assert.equal(tape.nodeCount, 3);
    assert.equal(tape.leafCount, 1);
  });

  test("a chain of 200,000 nodes compiles and replays (no recursion)", () => {
    const x = new Value(1);
    let node = x;
    for (let i = 0; i < 200_000; i++) node = node.mul(1);
    const tape = compile(node);
    assert.equal(tape.nodeCount, 400_001);
    x.data = 2;
    assert.equal(tape.forward(), 2);
    tape.backward();
    assert.equal(x.grad, 1);
  });

  test("compiling leaves every node's data and grad as they were", () => {
    const x = new Value(2);
    const hidden = x.mul(3).tanh();
    const root = hidden.add(x);
    root.backward();
    const before = topologicalOrder(root).map((n) => [n.data, n.grad]);
    compile(root);
    assert.deepEqual(
      topologicalOrder(root).map((n) => [n.data, n.grad]),
      before,
    );
  });

  test("compile of something that is not a Value throws a TypeError naming it", () => {
    assert.throws(
      () => compile(3 as unknown as Value),
      {
        name: "TypeError",
        message: /expected a Value as root, got the number 3/,
      },
    );
  });

  test("options: unknown keys are refused by name, with ours suggested", () => {
    const root = new Value(1).add(2);
    assert.throws(() => compile(root, { fuseLayer: true } as never), {
      name: "FieldRangeError",
      message:
        'compile: unknown option "fuseLayer" (did you mean "fuseLayers"?); allowed options are fuseLayers',
    });
    assert.throws(() => compile(root, { cache: true } as never), {
      name: "FieldRangeError",
      message: /unknown option "cache"; allowed options are fuseLayers/,
    });
    assert.throws(() => compile(root, { fuse_layers: false } as never), {
      name: "FieldRangeError",
      message: /did you mean "fuseLayers"/,
    });
    assert.throws(
      () => compile(root, new Map() as never),
      (e: unknown) =>
        e instanceof TypeError && /compile: options/.test(String(e)),
    );
    assert.throws(() => compile(root, { fuseLayers: "no" } as never), {
      name: "FieldTypeError",
      message: /compile: options.fuseLayers must be true or false/,
    });
    assert.equal(compile(root, {}).forward(), 3);
    assert.equal(compile(root, undefined).forward(), 3);
  });

  test("valueOf and gradOf of a node outside the graph throw a RangeError", () => {
    const tape = compile(new Value(1).add(2));
    assert.throws(() => tape.valueOf(new Value(1)), {
      name: "RangeError",
      message: /valueOf: expected a node of the compiled graph/,
    });
    assert.throws(() => tape.gradOf("x" as unknown as Value), {
      name: "RangeError",
      message: /gradOf: .*a string \("x"\)/,
    });
  });
});

describe("compile: reading nodes by index", () => {
  test("indexOf + valueAt/gradAt read the same numbers as valueOf/gradOf", () => {
    const x = new Value(1.5);
    const hidden = x.mul(x).tanh();
    const tape = compile(hidden.mul(3).add(x));
    const index = tape.indexOf(hidden);
    x.data = -0.5;
    tape.forward();
    tape.backward();
    assert.equal(tape.valueAt(index), tape.valueOf(hidden));
    assert.equal(tape.gradAt(index), tape.gradOf(hidden));
    assert.equal(tape.valueAt(index), Math.tanh(0.25));
  });

  test("the tape keeps working after the recorded graph is dropped", () => {
    const w = new Value(2);
    const x = new Value(0);
    let scoreIndex: number;
    const tape = (() => {
      const score = w.mul(x);
      const recorded = compile(score.sub(1).pow(2));
      scoreIndex = recorded.indexOf(score);
      return recorded; // score and the rest are no longer referenced here
    })();
    x.data = 3;
    assert.equal(tape.forward(), 25);
    assert.equal(tape.valueAt(scoreIndex!), 6);
    tape.backward();
    assert.equal(w.grad, 30); // 2 (w·x - 1) · x
  });

  test("a bad index throws a RangeError naming the allowed range", () => {
    const tape = compile(new Value(1).add(2));
    for (const bad of [-1, 3, 1.5, NaN]) {
      assert.throws(() => tape.valueAt(bad), {
        name: "RangeError",
        message: /valueAt: index must be an integer from 0 to 2/,
      });
    }
    assert.throws(() => tape.gradAt("0" as unknown as number), {
      name: "RangeError",
      message: /gradAt: .*a string \("0"\)/,
    });
    assert.throws(() => tape.indexOf(new Value(1)), {
      name: "RangeError",
      message: /indexOf: expected a node of the compiled graph/,
    });
  });
});
