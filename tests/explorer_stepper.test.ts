/**
 * The explorer's step-by-step backward pass (and the forward re-run and
 * nudge check it sits beside): the same order and the same numbers as
 * Value.backward(), one node at a time, each step shown as a formula.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { topologicalOrder, type Value } from "../src/engine.ts";
import { MLP } from "../src/nn.ts";
import type { LossName } from "../src/loss.ts";
import { buildGraph } from "../playground/explorer/parser.ts";
import { BackwardStepper } from "../playground/explorer/stepper.ts";
import { cloneGraph, recomputeData } from "../playground/explorer/forward.ts";
import { nudgeLeaf } from "../playground/explorer/nudge.ts";
import {
  PRESETS,
  trainingExampleGraph,
} from "../playground/explorer/presets.ts";
import {
  formatBoxNumber,
  formatShortNumber,
} from "../playground/explorer/format.ts";

/** Build a graph twice: once for backward(), once for the stepper. */
function compareWithBackward(build: () => Value): void {
  const reference = build();
  reference.backward();
  const expected = topologicalOrder(reference).map((v) => v.grad);

  const stepped = build();
  const stepper = new BackwardStepper(stepped);
  const steps = stepper.finish();
  const order = topologicalOrder(stepped);
  // Bit for bit, not approximately: the stepper does the engine's arithmetic.
  assert.deepEqual(order.map((v) => v.grad), expected);
  // Every node visited exactly once, in reverse topological order.
  assert.equal(steps.length, order.length);
  assert.deepEqual(steps.map((s) => s.node), [...order].reverse());
  assert.equal(new Set(steps.map((s) => s.node)).size, order.length);
}

const lossNames: LossName[] = ["hinge", "mse", "logistic", "crossEntropy"];

describe("BackwardStepper gives exactly the grads of backward()", () => {
  for (const preset of PRESETS) {
    test(`preset ${preset.id}`, () => {
      compareWithBackward(() => buildGraph(preset.source).output);
    });
  }

  for (const loss of lossNames) {
    test(`one training example through an MLP, ${loss} loss (dot, sum, logsumexp, relu, tanh nodes)`, () => {
      const outputs = loss === "crossEntropy" ? 3 : 1;
      const model = new MLP(2, [4, 3, outputs], {
        seed: 7,
        activation: "tanh",
      });
      const json = model.toJSON();
      compareWithBackward(() =>
        trainingExampleGraph({
          model: json,
          point: [0.3, -1.2],
          label: 1,
          loss,
        })
      );
    });
  }

  test("every operation, including value exponents, 0**k and relu at 0", () => {
    const sources = [
      "a = 2; b = 3; y = a**b",
      "a = 0; b = 2; y = a**b + a**0",
      "a = 0; y = relu(a) + relu(-a) + sigmoid(a)",
      "a = 1.5; b = -0.5; y = exp(a) / log(a) - b * tanh(b) + -a",
      "x = 3; y = x * x * x",
    ];
    for (const source of sources) {
      compareWithBackward(() => buildGraph(source).output);
    }
  });

  test("the grads do not depend on what was there before: stepping starts from zero", () => {
    const { output, values } = buildGraph("a = 2; b = a * 3");
    output.backward();
    output.backward(); // leaves accumulate: a.grad = 6
    assert.equal(values.get("a")?.grad, 6);
    new BackwardStepper(output).finish();
    assert.equal(values.get("a")?.grad, 3);
  });
});

describe("each step as a formula with numbers", () => {
  test("the lecture's neuron, step by step", () => {
    const { output } = buildGraph(
      PRESETS.find((p) => p.id === "neuron")!.source,
    );
    const stepper = new BackwardStepper(output);
    assert.equal(stepper.total, 10);
    const first = stepper.step()!;
    assert.equal(first.node.label, "o");
    assert.deepEqual(first.formulas, [
      "o.grad = 1 (d o / d o)",
      "n.grad += (1 - o.data²) * o.grad = (1 - 0.7071²) * 1 = 0.5",
    ]);
    const formulas: string[] = [];
    for (let step = stepper.step(); step; step = stepper.step()) {
      formulas.push(...step.formulas);
    }
    assert.ok(
      formulas.includes("x1.grad += w1.data * x1w1.grad = -3 * 0.5 = -1.5"),
    );
    assert.ok(
      formulas.includes("w1.grad += x1.data * x1w1.grad = 2 * 0.5 = 1"),
    );
    assert.ok(formulas.includes("b.grad += n.grad = 0.5"));
    assert.ok(
      formulas.includes("w1 is a leaf: nothing to pass back; d o / d w1 = 1"),
    );
    assert.ok(stepper.done);
    assert.equal(stepper.step(), null);
  });

  test("a step reports which grads it changed, from what to what", () => {
    const { output, values } = buildGraph("a = 2; b = -3; c = a * b");
    const step = new BackwardStepper(output).step()!;
    assert.deepEqual(
      step.updates.map((
        u,
      ) => [u.input.label, u.before, u.contribution, u.after]),
      [["a", 0, -3, -3], ["b", 0, 2, 2]],
    );
    assert.equal(values.get("a")?.grad, -3);
  });

  test("unnamed intermediate values are named by their expression", () => {
    const { output } = buildGraph("x = 0.5; w = -1; o = tanh(x*w)");
    const step = new BackwardStepper(output).step()!;
    assert.equal(
      step.formulas[1],
      "(x*w).grad += (1 - o.data²) * o.grad = (1 - (-0.4621)²) * 1 = 0.7864",
    );
  });

  test("subtraction, division and powers show their local derivatives", () => {
    const formulas = (source: string) =>
      new BackwardStepper(buildGraph(source).output).step()!.formulas.slice(1);
    assert.deepEqual(formulas("a = 5; b = 2; y = a - b"), [
      "a.grad += y.grad = 1",
      "b.grad += -y.grad = -1",
    ]);
    assert.deepEqual(formulas("a = 3; b = 2; y = a / b"), [
      "a.grad += y.grad / b.data = 1 / 2 = 0.5",
      "b.grad += -y.grad * a.data / b.data² = -1 * 3 / 2² = -0.75",
    ]);
    assert.deepEqual(formulas("a = 3; y = a**2"), [
      "a.grad += 2 * a.data**(2 - 1) * y.grad = 2 * 3**1 * 1 = 6",
    ]);
    assert.deepEqual(formulas("a = -1; y = relu(a)"), [
      "a.grad += 0 (relu is flat where its input is <= 0)",
    ]);
  });

  test("rewind starts over from the output", () => {
    const { output } = buildGraph("a = 2; y = a * 3");
    const stepper = new BackwardStepper(output);
    stepper.finish();
    stepper.rewind();
    assert.equal(stepper.next, output);
    assert.equal(stepper.step()?.index, 0);
  });
});

describe("re-running the forward pass", () => {
  test("after a leaf changes, recomputeData gives exactly what a fresh build gives", () => {
    for (const preset of PRESETS) {
      const first = buildGraph(preset.source);
      const leaf = [...first.values.values()].find((v) => v.op === "")!;
      leaf.data += 0.25;
      recomputeData(topologicalOrder(first.output));
      const edited = preset.source.replace(
        new RegExp(`^${leaf.label} = .*$`, "m"),
        `${leaf.label} = ${leaf.data}`,
      );
      assert.equal(
        first.output.data,
        buildGraph(edited).output.data,
        preset.id,
      );
    }
  });

  test("cloneGraph copies structure, labels and data, not grads, and shares nothing", () => {
    const { output, values } = buildGraph("a = 2; b = a * a + 1");
    output.backward();
    const copies = cloneGraph(output);
    const copy = copies.get(output)!;
    assert.equal(copy.data, 5);
    assert.equal(copy.label, "b");
    assert.equal(copy.grad, 0);
    copies.get(values.get("a")!)!.data = 10;
    assert.equal(values.get("a")?.data, 2);
  });
});

describe("nudging a leaf", () => {
  test("the finite-difference slope matches autograd (the lecture's check)", () => {
    const { output, values } = buildGraph(
      PRESETS.find((p) => p.id === "neuron")!.source,
    );
    const result = nudgeLeaf(output, values.get("x1")!, 1e-6);
    assert.ok(Math.abs(result.gradient - -1.5) < 1e-12);
    assert.ok(Math.abs(result.slope - -1.5) < 1e-4);
    assert.equal(result.before, 2);
    assert.equal(result.after, 2 + 1e-6);
  });

  test("the graph on screen is not changed by a nudge", () => {
    const { output, values } = buildGraph("a = 2; b = a * 3");
    nudgeLeaf(output, values.get("a")!, 0.5);
    assert.equal(values.get("a")?.data, 2);
    assert.equal(output.data, 6);
    assert.equal(values.get("a")?.grad, 0);
  });

  test("h = 0 gives no slope; a non-leaf or a bad h is refused", () => {
    const { output, values } = buildGraph("a = 2; b = a * 3");
    assert.ok(Number.isNaN(nudgeLeaf(output, values.get("a")!, 0).slope));
    assert.throws(() => nudgeLeaf(output, output, 0.1), RangeError);
    assert.throws(() => nudgeLeaf(output, values.get("a")!, NaN), RangeError);
  });
});

describe("presets", () => {
  test("micrograd's test_sanity_check gives PyTorch's numbers", () => {
    const { output, values } = buildGraph(
      PRESETS.find((p) => p.id === "sanity-check")!.source,
    );
    output.backward();
    assert.equal(output.data, -20);
    assert.equal(values.get("x")?.grad, 46);
  });

  test("micrograd's test_more_ops gives PyTorch's numbers", () => {
    const { output, values } = buildGraph(
      PRESETS.find((p) => p.id === "more-ops")!.source,
    );
    output.backward();
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
    assert.ok(close(output.data, 24.70408163265306));
    assert.ok(close(values.get("a")!.grad, 138.83381924198252));
    assert.ok(close(values.get("b")!.grad, 645.5772594752186));
  });

  test("the lecture's L = (a*b + c) * f and the exp form of the neuron", () => {
    const lecture = buildGraph(PRESETS.find((p) => p.id === "lecture")!.source);
    lecture.output.backward();
    assert.equal(lecture.output.data, -8);
    assert.deepEqual(
      ["a", "b", "c", "f"].map((name) => lecture.values.get(name)?.grad),
      [6, -4, -2, 4],
    );
    const neuron = buildGraph(
      PRESETS.find((p) => p.id === "neuron-exp")!.source,
    );
    neuron.output.backward();
    assert.equal(neuron.output.data.toFixed(4), "0.7071");
    assert.ok(Math.abs(neuron.values.get("w1")!.grad - 1) < 1e-9);
  });

  test("one training example: labelled inputs, parameters, neurons, scores, target and loss; same loss as the model", () => {
    const model = new MLP(2, [3, 1], { seed: 3 });
    const loss = trainingExampleGraph({
      model: model.toJSON(),
      point: [0.5, -1],
      label: 0,
      loss: "hinge",
    });
    const labels = new Set(topologicalOrder(loss).map((v) => v.label));
    for (
      const label of [
        "x0",
        "x1",
        "L0.N0.w0",
        "L0.N2.b",
        "L0.N1",
        "L1.N0.w2",
        "score",
        "y",
        "loss",
      ]
    ) {
      assert.ok(labels.has(label), `has ${label}`);
    }
    const [score] = model.predict([0.5, -1]);
    assert.equal(loss.data, Math.max(0, 1 + score)); // label 0 is y = -1
  });

  test("one training example rejects malformed weights and points", () => {
    const json = new MLP(2, [3, 1], { seed: 3 }).toJSON();
    assert.throws(() =>
      trainingExampleGraph({
        model: { nope: 1 },
        point: [0, 0],
        label: 0,
        loss: "hinge",
      })
    );
    assert.throws(
      () =>
        trainingExampleGraph({
          model: json,
          point: [0],
          label: 0,
          loss: "hinge",
        }),
      RangeError,
    );
  });
});

describe("number formats", () => {
  test("boxes use 4 decimals, at most 10 characters", () => {
    assert.equal(formatBoxNumber(0.7071067811865476), "0.7071");
    assert.equal(formatBoxNumber(-1.4999999999999993), "-1.5000");
    assert.equal(formatBoxNumber(-1e-9), "-1.00e-9");
    assert.equal(formatBoxNumber(-0.00001), "-1.00e-5");
    assert.equal(formatBoxNumber(0), "0.0000");
    assert.equal(formatBoxNumber(Infinity), "Infinity");
    for (const x of [-99999.99999, 1e300, -1.234e-300, NaN, -Infinity]) {
      assert.ok(formatBoxNumber(x).length <= 10, `${x}`);
    }
  });

  test("formulas use short numbers", () => {
    assert.equal(formatShortNumber(0.4999999999999998), "0.5");
    assert.equal(formatShortNumber(-3), "-3");
    assert.equal(formatShortNumber(6.881373587019543), "6.881");
    assert.equal(formatShortNumber(2e-7), "2e-7");
  });
});
