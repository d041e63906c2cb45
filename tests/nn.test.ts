// Behaviour of src/nn.ts: Neuron, Layer, MLP — sizes, seeded initialisation,
// the graph a forward pass builds, predict() agreeing with forward(), and
// exact JSON round trips with thorough validation.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { testErrorCases } from "./error_cases.ts";
import { topologicalOrder, Value } from "../src/engine.ts";
import { Rng } from "../src/random.ts";
import { type Activation, ACTIVATIONS } from "../src/activation.ts";
import type { MLPJson } from "../src/model_json.ts";
import { INITIALIZATIONS } from "../src/initialization.ts";
import { Layer, MLP, Neuron } from "../src/nn.ts";
import { FieldRangeError } from "../src/checks.ts";
import { readFileSync } from "node:fs";

/** Number of nodes in the graph of `root` that are not leaves. */
function operationCount(root: Value): number {
  return topologicalOrder(root).filter((node) => node.op !== "").length;
}

/** Mean and standard deviation of some numbers. */
function meanAndStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

function weightData(model: MLP): number[] {
  return model.parameters().map((p) => p.data);
}

describe("MLP sizes and parameter order", () => {
  test("micrograd's demo network 2-16-16-1 has 337 parameters", () => {
    // 16·(2+1) + 16·(16+1) + 1·(16+1)
    assert.equal(new MLP(2, [16, 16, 1]).parameters().length, 337);
  });

  test("micrograd's README network 3-4-4-1 has 41 parameters", () => {
    assert.equal(new MLP(3, [4, 4, 1]).parameters().length, 41);
  });

  test("exposes nin, sizes and one Layer per size", () => {
    const model = new MLP(3, [5, 2]);
    assert.equal(model.nin, 3);
    assert.deepEqual(model.sizes, [5, 2]);
    assert.equal(model.layers.length, 2);
    assert.equal(model.layers[0].neurons.length, 5);
    assert.equal(model.layers[0].neurons[0].weights.length, 3);
    assert.equal(model.layers[1].neurons[0].weights.length, 5);
  });

  test("sizes is a copy: changing the array passed in changes nothing", () => {
    const nouts = [4, 1];
    const model = new MLP(2, nouts);
    nouts[0] = 99;
    assert.deepEqual(model.sizes, [4, 1]);
  });

  test("parameters(): layer by layer, neuron by neuron, weights then bias", () => {
    const model = new MLP(2, [2, 1]);
    const [l0, l1] = model.layers;
    const expected = [
      l0.neurons[0].weights[0],
      l0.neurons[0].weights[1],
      l0.neurons[0].bias,
      l0.neurons[1].weights[0],
      l0.neurons[1].weights[1],
      l0.neurons[1].bias,
      l1.neurons[0].weights[0],
      l1.neurons[0].weights[1],
      l1.neurons[0].bias,
    ];
    const actual = model.parameters();
    assert.equal(actual.length, expected.length);
    expected.forEach((p, i) => assert.equal(actual[i], p, `parameter ${i}`));
    // Layer and Neuron follow the same order.
    assert.deepEqual(l0.parameters(), expected.slice(0, 6));
    assert.deepEqual(l1.neurons[0].parameters(), expected.slice(6));
  });

  test("parameters carry labels naming their place", () => {
    const model = new MLP(2, [3, 1]);
    assert.equal(model.layers[0].neurons[2].weights[1].label, "L0.N2.w1");
    assert.equal(model.layers[1].neurons[0].bias.label, "L1.N0.b");
  });

  test("zeroGrad() resets every parameter's gradient", () => {
    const model = new MLP(2, [4, 1]);
    const [score] = model.forward([0.3, -0.7]);
    score.backward();
    assert.ok(model.parameters().some((p) => p.grad !== 0));
    model.zeroGrad();
    assert.ok(model.parameters().every((p) => p.grad === 0));
  });

  test("toString() prints the structure the way micrograd does", () => {
    assert.equal(
      String(new MLP(2, [2, 1])),
      "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]",
    );
  });
});

describe("activations", () => {
  test("hidden layers relu and output linear by default, as in micrograd", () => {
    const model = new MLP(2, [3, 3, 1]);
    assert.equal(model.activation, "relu");
    assert.equal(model.outputActivation, "linear");
    assert.deepEqual(
      model.layers.map((layer) => layer.neurons[0].activation),
      ["relu", "relu", "linear"],
    );
  });

  test("activation and outputActivation are configurable", () => {
    const model = new MLP(2, [3, 1], {
      activation: "tanh",
      outputActivation: "sigmoid",
    });
    assert.equal(model.layers[0].neurons[0].activation, "tanh");
    assert.equal(model.layers[1].neurons[0].activation, "sigmoid");
    const [p] = model.forward([1, 2]);
    assert.ok(p.data > 0 && p.data < 1);
  });

  test("a neuron computes activation(w·x + b)", () => {
    const x = [new Value(1.5), new Value(-2)];
    for (const activation of ACTIVATIONS) {
      const neuron = new Neuron(2, { activation });
      neuron.weights[0].data = 0.5;
      neuron.weights[1].data = 0.25;
      neuron.bias.data = 0.1;
      const z = 0.5 * 1.5 + 0.25 * -2 + 0.1; // 0.35
      const expected = {
        relu: Math.max(0, z),
        tanh: Math.tanh(z),
        sigmoid: 1 / (1 + Math.exp(-z)),
        linear: z,
      }[activation];
      assert.ok(
        Math.abs(neuron.forward(x).data - expected) < 1e-15,
        activation,
      );
    }
  });

  test("relu neurons output 0 for a negative weighted sum", () => {
    const neuron = new Neuron(1, { activation: "relu" });
    neuron.weights[0].data = 1;
    assert.equal(neuron.forward([new Value(-3)]).data, 0);
  });
});

describe("graph size: a neuron is a dot node, not 2n nodes", () => {
  test("a relu/tanh/sigmoid neuron adds 3 nodes (dot, +, activation), a linear one 2", () => {
    const x = Array.from({ length: 10 }, (_, i) => new Value(i));
    for (const activation of ACTIVATIONS) {
      const out = new Neuron(10, { activation }).forward(x);
      assert.equal(
        operationCount(out),
        activation === "linear" ? 2 : 3,
        activation,
      );
      const ops = topologicalOrder(out).filter((n) => n.op !== "").map((n) =>
        n.op
      );
      assert.deepEqual(ops.slice(0, 2), ["dot", "+"]);
    }
  });

  test("the 2-16-16-1 forward pass builds 98 operation nodes over 339 leaves", () => {
    const model = new MLP(2, [16, 16, 1]);
    const [score] = model.forward([0.5, -0.5]);
    const nodes = topologicalOrder(score);
    const leaves = nodes.filter((n) => n.op === "");
    // 2 inputs + 337 parameters; 16·3 + 16·3 + 1·2 operations.
    assert.equal(leaves.length, 339);
    assert.equal(nodes.length - leaves.length, 98);
  });

  test("numbers are wrapped as input leaves once per call, shared by all neurons", () => {
    const model = new MLP(2, [8, 1]);
    const [score] = model.forward([0.5, -0.5]);
    const inputs = topologicalOrder(score).filter((n) =>
      n.op === "" && n.label.startsWith("x")
    );
    assert.deepEqual(inputs.map((n) => n.label).sort(), ["x0", "x1"]);
    assert.deepEqual(inputs.map((n) => n.data).sort(), [-0.5, 0.5]);
  });

  test("Value inputs are used as given, so gradients reach them", () => {
    const model = new MLP(2, [4, 1], { activation: "tanh" });
    const x0 = new Value(0.3), x1 = new Value(-0.8);
    const [score] = model.forward([x0, x1]);
    score.backward();
    // Central differences through predict().
    const h = 1e-6;
    const numeric0 = (model.predict([0.3 + h, -0.8])[0] -
      model.predict([0.3 - h, -0.8])[0]) / (2 * h);
    const numeric1 = (model.predict([0.3, -0.8 + h])[0] -
      model.predict([0.3, -0.8 - h])[0]) / (2 * h);
    assert.ok(Math.abs(x0.grad - numeric0) < 1e-7);
    assert.ok(Math.abs(x1.grad - numeric1) < 1e-7);
  });

  test("forward() always returns an array, even for one output", () => {
    const out = new MLP(2, [1]).forward([1, 1]);
    assert.ok(Array.isArray(out));
    assert.equal(out.length, 1);
    assert.ok(out[0] instanceof Value);
  });

  test("backward through the model gives the finite-difference gradient of every weight", () => {
    const model = new MLP(3, [5, 4, 2], {
      activation: "tanh",
      outputActivation: "sigmoid",
      seed: 11,
    });
    const x = [0.4, -1.2, 0.9];
    // A scalar of both outputs, so every weight matters.
    const f = (out: number[]) => out[0] - 2 * out[1];
    const [a, b] = model.forward(x);
    a.sub(b.mul(2)).backward();
    const h = 1e-6;
    for (const p of model.parameters()) {
      const saved = p.data;
      p.data = saved + h;
      const up = f(model.predict(x));
      p.data = saved - h;
      const down = f(model.predict(x));
      p.data = saved;
      const numeric = (up - down) / (2 * h);
      assert.ok(
        Math.abs(p.grad - numeric) <= 1e-7 * Math.max(1, Math.abs(numeric)),
        `${p.label}: autograd ${p.grad} vs numeric ${numeric}`,
      );
    }
  });
});

describe("predict(): forward() without a graph, bit for bit", () => {
  for (const activation of ACTIVATIONS) {
    for (const outputActivation of ACTIVATIONS) {
      test(`hidden ${activation}, output ${outputActivation}`, () => {
        const model = new MLP(2, [7, 5, 3], {
          activation,
          outputActivation,
          seed: 5,
        });
        const rng = new Rng(99);
        for (let i = 0; i < 50; i++) {
          // Include large inputs so tanh/sigmoid saturate.
          const scale = i < 40 ? 2 : 500;
          const x = [rng.uniform(-scale, scale), rng.uniform(-scale, scale)];
          const viaGraph = model.forward(x).map((v) => v.data);
          assert.deepEqual(model.predict(x), viaGraph);
        }
      });
    }
  }

  test("predict() builds no Values and leaves gradients alone", () => {
    const model = new MLP(2, [4, 1]);
    model.parameters()[0].grad = 0.5;
    model.predict([1, 2]);
    assert.equal(model.parameters()[0].grad, 0.5);
  });

  test("NaN inputs propagate to the outputs as in forward()", () => {
    const model = new MLP(1, [1], { outputActivation: "linear" });
    assert.ok(Number.isNaN(model.predict([NaN])[0]));
    assert.ok(Number.isNaN(model.forward([NaN])[0].data));
  });
});

describe("seeded initialisation", () => {
  test("the same seed gives the same weights; another seed, others", () => {
    for (const init of INITIALIZATIONS) {
      const a = new MLP(2, [16, 16, 1], { seed: 42, init });
      const b = new MLP(2, [16, 16, 1], { seed: 42, init });
      const c = new MLP(2, [16, 16, 1], { seed: 43, init });
      assert.deepEqual(weightData(a), weightData(b), init);
      assert.notDeepEqual(weightData(a), weightData(c), init);
    }
  });

  test("the default seed is 1337 (micrograd's demo seed)", () => {
    assert.deepEqual(
      weightData(new MLP(2, [3, 1])),
      weightData(new MLP(2, [3, 1], { seed: 1337 })),
    );
  });

  test("uniform: weights drawn in parameter order as rng.uniform(-1, 1), biases 0", () => {
    const model = new MLP(2, [3, 2], { seed: 7 });
    const rng = new Rng(7);
    for (const layer of model.layers) {
      for (const neuron of layer.neurons) {
        for (const w of neuron.weights) {
          assert.equal(w.data, rng.uniform(-1, 1));
        }
        assert.equal(neuron.bias.data, 0);
      }
    }
  });

  test("an Rng can be passed instead of a seed, and is advanced by the draws", () => {
    const rng = new Rng(7);
    const model = new MLP(2, [3, 2], { rng });
    assert.deepEqual(
      weightData(model),
      weightData(new MLP(2, [3, 2], { seed: 7 })),
    );
    // 2·3 + 3·2 = 12 weights were drawn.
    const reference = new Rng(7);
    for (let i = 0; i < 12; i++) reference.next();
    assert.equal(rng.next(), reference.next());
  });

  test("xavier: uniform within ±sqrt(6 / (fanIn + fanOut)), biases 0", () => {
    const model = new MLP(100, [50], { init: "xavier" });
    const limit = Math.sqrt(6 / 150); // 0.2
    const weights = model.layers[0].neurons.flatMap((n) =>
      n.weights.map((w) => w.data)
    );
    assert.ok(weights.every((w) => Math.abs(w) <= limit));
    // 5000 draws reach close to the limit and have the uniform's std a/√3.
    assert.ok(Math.max(...weights.map(Math.abs)) > 0.99 * limit);
    const { std } = meanAndStd(weights);
    assert.ok(Math.abs(std - limit / Math.sqrt(3)) < 0.03 * limit);
    assert.ok(model.layers[0].neurons.every((n) => n.bias.data === 0));
  });

  test("he: normal with mean 0 and std sqrt(2 / fanIn), biases 0", () => {
    const model = new MLP(200, [100], { init: "he" });
    const weights = model.layers[0].neurons.flatMap((n) =>
      n.weights.map((w) => w.data)
    );
    const { mean, std } = meanAndStd(weights);
    const expected = Math.sqrt(2 / 200); // 0.1
    assert.ok(Math.abs(mean) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(std - expected) < 0.03 * expected, `std ${std}`);
    assert.ok(model.layers[0].neurons.every((n) => n.bias.data === 0));
  });

  test("uniform: weights lie in [-1, 1) whatever the layer size", () => {
    const weights = weightData(new MLP(50, [50, 50]));
    const nonZero = weights.filter((w) => w !== 0);
    assert.ok(nonZero.every((w) => w >= -1 && w < 1));
    assert.ok(Math.max(...nonZero) > 0.99 && Math.min(...nonZero) < -0.99);
  });
});

describe("bad arguments throw errors that say what is wrong", () => {
  const cases: [string, () => unknown, typeof TypeError, RegExp][] = [
    [
      "nin 0",
      () => new MLP(0, [1]),
      RangeError,
      /nin must be a positive integer, got the number 0/,
    ],
    ["nin negative", () => new MLP(-2, [1]), RangeError, /nin.*-2/],
    ["nin non-integer", () => new MLP(1.5, [1]), RangeError, /nin.*1\.5/],
    ["nin NaN", () => new MLP(NaN, [1]), RangeError, /nin.*NaN/],
    [
      "nin a string",
      () => new MLP("2" as unknown as number, [1]),
      TypeError,
      /nin.*a string \("2"\)/,
    ],
    [
      "nouts not an array",
      () => new MLP(2, 3 as unknown as number[]),
      TypeError,
      /nouts must be an array/,
    ],
    [
      "nouts empty",
      () => new MLP(2, []),
      RangeError,
      /nouts must be a non-empty array of layer sizes \(the last one is the outputs\), got an array of length 0/,
    ],
    [
      "a size of 0",
      () => new MLP(2, [16, 0, 1]),
      RangeError,
      /nouts\[1\] must be a positive integer, got the number 0/,
    ],
    [
      "a non-integer size",
      () => new MLP(2, [2.5]),
      RangeError,
      /nouts\[0\].*2\.5/,
    ],
    [
      "an unknown activation",
      () => new MLP(2, [1], { activation: "gelu" as Activation }),
      RangeError,
      /new MLP: activation must be one of "relu", "tanh", "sigmoid" or "linear", got a string \("gelu"\)/,
    ],
    [
      "an unknown output activation",
      () => new MLP(2, [1], { outputActivation: "softmax" as Activation }),
      RangeError,
      /new MLP: outputActivation must be one of/,
    ],
    [
      "an unknown init",
      () => new MLP(2, [1], { init: "zeros" as "he" }),
      RangeError,
      /new MLP: init must be one of "uniform", "xavier" or "he"/,
    ],
    [
      "a non-integer seed",
      () => new MLP(2, [1], { seed: 0.5 }),
      RangeError,
      /new MLP: seed must be a safe integer, got the number 0\.5/,
    ],
    [
      "both seed and rng",
      () => new MLP(2, [1], { seed: 1, rng: new Rng(1) }),
      TypeError,
      /new MLP: rng must be absent when seed is given \(give either seed or rng, not both\)/,
    ],
    [
      "an rng that is not an Rng",
      () => new MLP(2, [1], { rng: {} as Rng }),
      TypeError,
      /new MLP: rng must be an Rng, got an object/,
    ],
    [
      "options not an object",
      () => new MLP(2, [1], "relu" as unknown as object),
      TypeError,
      /new MLP: options must be a plain object with some of activation, outputActivation, init, seed, rng, features, got a string/,
    ],
    ["Neuron with nin 0", () => new Neuron(0), RangeError, /new Neuron: nin/],
    ["Layer with nout 0", () => new Layer(2, 0), RangeError, /new Layer: nout/],
  ];
  testErrorCases(cases, "new MLP/Layer/Neuron: ");

  const model = new MLP(2, [3, 1]);
  const inputCases: [string, () => unknown, typeof TypeError, RegExp][] = [
    [
      "forward: too few inputs",
      () => model.forward([1]),
      RangeError,
      /MLP\.forward: x must be an array of 2 numbers or Values \(the model's nin\), got an array of length 1/,
    ],
    [
      "forward: too many inputs",
      () => model.forward([1, 2, 3]),
      RangeError,
      /array of 2 .*got an array of length 3/,
    ],
    [
      "forward: not an array",
      () => model.forward(1 as unknown as number[]),
      TypeError,
      /MLP\.forward: x must be an array/,
    ],
    [
      "forward: a string input",
      () => model.forward([1, "2" as unknown as number]),
      TypeError,
      /x\[1\] must be a number or a Value, got a string/,
    ],
    [
      "forward: undefined input",
      () => model.forward([undefined as unknown as number, 1]),
      TypeError,
      /x\[0\].*undefined/,
    ],
    [
      "predict: wrong length",
      () => model.predict([1, 2, 3]),
      RangeError,
      /MLP\.predict: x must be an array of 2 numbers/,
    ],
    [
      "predict: a Value input",
      () => model.predict([1, new Value(2) as unknown as number]),
      TypeError,
      /MLP\.predict: x\[1\] must be a number, got an instance of Value/,
    ],
    [
      "predict: not an array",
      () => model.predict(null as unknown as number[]),
      TypeError,
      /MLP\.predict: x must be an array/,
    ],
    [
      "Neuron.forward: numbers instead of Values",
      () => new Neuron(2).forward([1, 2] as unknown as Value[]),
      TypeError,
      /Neuron\.forward: x\[0\] must be a Value/,
    ],
    [
      "Neuron.forward: wrong length",
      () => new Neuron(2).forward([new Value(1)]),
      RangeError,
      /Neuron\.forward: x must be an array of 2 Values \(the number of inputs\), got an array of length 1/,
    ],
    [
      "Layer.forward: wrong length",
      () => new Layer(3, 2).forward([new Value(1)]),
      RangeError,
      /Layer\.forward: x must be an array of 3 Values/,
    ],
  ];
  testErrorCases(inputCases);
});

describe("toJSON / fromJSON", () => {
  const model = new MLP(2, [4, 3, 2], {
    activation: "tanh",
    outputActivation: "sigmoid",
    init: "he",
    seed: 21,
  });

  test("toJSON() writes a plain, self-describing object", () => {
    const json = model.toJSON();
    assert.equal(json.format, "micrograd-mlp");
    assert.equal(json.version, 1);
    assert.equal(json.nin, 2);
    assert.deepEqual(json.sizes, [4, 3, 2]);
    assert.equal(json.activation, "tanh");
    assert.equal(json.outputActivation, "sigmoid");
    assert.equal(json.layers.length, 3);
    assert.equal(json.layers[1].length, 3);
    assert.deepEqual(json.layers[1][2], {
      weights: model.layers[1].neurons[2].weights.map((w) => w.data),
      bias: model.layers[1].neurons[2].bias.data,
    });
    // JSON.stringify uses toJSON.
    assert.deepEqual(JSON.parse(JSON.stringify(model)), json);
  });

  test("a round trip through a JSON string keeps every weight and prediction bit for bit", () => {
    const copy = MLP.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(weightData(copy), weightData(model));
    assert.equal(copy.activation, "tanh");
    assert.equal(copy.outputActivation, "sigmoid");
    assert.deepEqual(copy.sizes, model.sizes);
    const rng = new Rng(3);
    for (let i = 0; i < 20; i++) {
      const x = [rng.uniform(-3, 3), rng.uniform(-3, 3)];
      assert.deepEqual(copy.predict(x), model.predict(x));
    }
  });

  test("fromJSON() also accepts the JSON string itself", () => {
    const copy = MLP.fromJSON(JSON.stringify(model));
    assert.deepEqual(weightData(copy), weightData(model));
  });

  test("the copy is independent of the original", () => {
    const copy = MLP.fromJSON(model.toJSON());
    copy.parameters()[0].data += 1;
    assert.notEqual(copy.parameters()[0].data, model.parameters()[0].data);
  });

  test("toJSON() refuses a diverged model (JSON cannot hold NaN)", () => {
    const broken = new MLP(2, [2, 1]);
    broken.layers[1].neurons[0].weights[1].data = NaN;
    assert.throws(() => broken.toJSON(), {
      name: "FieldRangeError",
      message: /layers\[1\]\[0\]\.weights\[1\] is NaN/,
    });
  });

  /** A fresh valid JSON object to break in one place. */
  function valid(): MLPJson {
    return new MLP(2, [2, 1], { seed: 1 }).toJSON();
  }
  type Json = Record<string, unknown> & MLPJson;
  const malformed: [string, () => unknown, typeof TypeError, RegExp][] = [
    [
      "null",
      () => null,
      TypeError,
      /expected an object written by MLP\.toJSON, got null/,
    ],
    ["an array", () => [], TypeError, /got an array/],
    ["a string that is not JSON", () => "{nope", TypeError, /not valid JSON/],
    [
      "a missing format",
      () => ({ ...valid(), format: undefined }),
      TypeError,
      /json\.format must be "micrograd-mlp", got undefined/,
    ],
    [
      "another format",
      () => ({ ...valid(), format: "keras" }),
      TypeError,
      /json\.format/,
    ],
    [
      "a future version",
      () => ({ ...valid(), version: 2 }),
      RangeError,
      /json\.version must be 1/,
    ],
    [
      "nin 0",
      () => ({ ...valid(), nin: 0 }),
      RangeError,
      /json\.nin must be a positive integer/,
    ],
    ["nin a string", () => ({ ...valid(), nin: "2" }), TypeError, /json\.nin/],
    [
      "sizes missing",
      () => ({ ...valid(), sizes: undefined }),
      TypeError,
      /json\.sizes must be an array/,
    ],
    [
      "sizes empty",
      () => ({ ...valid(), sizes: [], layers: [] }),
      RangeError,
      /json\.sizes must list at least one/,
    ],
    [
      "a negative size",
      () => ({ ...valid(), sizes: [2, -1] }),
      RangeError,
      /json\.sizes\[1\]/,
    ],
    [
      "an unknown activation",
      () => ({ ...valid(), activation: "swish" }),
      RangeError,
      /json\.activation must be one of/,
    ],
    [
      "a missing output activation",
      () => ({ ...valid(), outputActivation: undefined }),
      TypeError,
      /json\.outputActivation/,
    ],
    [
      "layers missing",
      () => ({ ...valid(), layers: undefined }),
      TypeError,
      /json\.layers must be an array/,
    ],
    [
      "fewer layers than sizes",
      () => {
        const j = valid();
        j.layers.pop();
        return j;
      },
      RangeError,
      /json\.layers must have 2 layers/,
    ],
    [
      "a layer that is not an array",
      () => {
        const j = valid() as Json;
        (j.layers as unknown[])[1] = {};
        return j;
      },
      TypeError,
      /json\.layers\[1\] must be an array of neurons/,
    ],
    [
      "a missing neuron",
      () => {
        const j = valid();
        j.layers[0].pop();
        return j;
      },
      RangeError,
      /json\.layers\[0\] must have 2 neurons/,
    ],
    [
      "a neuron that is a number",
      () => {
        const j = valid() as Json;
        (j.layers[0] as unknown[])[1] = 5;
        return j;
      },
      TypeError,
      /json\.layers\[0\]\[1\] must be an object \{ weights, bias \}/,
    ],
    [
      "too few weights",
      () => {
        const j = valid();
        j.layers[1][0].weights.pop();
        return j;
      },
      RangeError,
      /json\.layers\[1\]\[0\]\.weights must have 2 numbers/,
    ],
    [
      "weights not an array",
      () => {
        const j = valid() as Json;
        (j.layers[0][0] as unknown as Record<string, unknown>).weights = "1,2";
        return j;
      },
      TypeError,
      /weights must be an array/,
    ],
    [
      "a null weight (NaN written by JSON.stringify)",
      () => {
        const j = valid() as Json;
        (j.layers[0][1].weights as unknown[])[0] = null;
        return j;
      },
      TypeError,
      /json\.layers\[0\]\[1\]\.weights\[0\] must be a finite number, got null/,
    ],
    [
      "an infinite weight",
      () => {
        const j = valid();
        j.layers[0][0].weights[1] = Infinity;
        return j;
      },
      RangeError,
      /weights\[1\] must be a finite number, got the number Infinity/,
    ],
    [
      "a string weight",
      () => {
        const j = valid() as Json;
        (j.layers[0][0].weights as unknown[])[0] = "0.5";
        return j;
      },
      TypeError,
      /weights\[0\] must be a finite number, got a string/,
    ],
    [
      "the very last bias missing",
      () => {
        const j = valid() as Json;
        delete (j.layers[1][0] as Partial<{ bias: number }>).bias;
        return j;
      },
      TypeError,
      /json\.layers\[1\]\[0\]\.bias must be a finite number, got undefined/,
    ],
    [
      "the very last bias NaN",
      () => {
        const j = valid();
        j.layers[1][0].bias = NaN;
        return j;
      },
      RangeError,
      /json\.layers\[1\]\[0\]\.bias/,
    ],
  ];
  for (const [name, make, type, message] of malformed) {
    test(`fromJSON rejects ${name} with a ${type.name}, and changes nothing`, () => {
      const input = make();
      const before = structuredClone(input);
      assert.throws(() => MLP.fromJSON(input), (error: unknown) => {
        assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
        assert.match((error as Error).message, /^MLP\.fromJSON: /);
        assert.match((error as Error).message, message);
        return true;
      });
      // The input is left as it was (validation only reads it).
      assert.deepEqual(input, before);
    });
  }

  test("extra fields are ignored (room for metadata such as training config)", () => {
    const copy = MLP.fromJSON({ ...valid(), note: "trained on moons" });
    assert.deepEqual(copy.sizes, [2, 1]);
  });
});

describe("options objects refuse unknown keys, naming them", () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      "MLP with PyTorch-style nonlin",
      () => new MLP(2, [1], { nonlin: "tanh" } as never),
      /^new MLP: unknown option "nonlin" \(did you mean "activation"\?\); allowed options are activation, outputActivation, init, seed, rng, features$/,
    ],
    [
      "MLP with a typo",
      () => new MLP(2, [1], { activaton: "tanh" } as never),
      /unknown option "activaton" \(did you mean "activation"\?\)/,
    ],
    [
      "MLP with labelPrefix (a Layer option)",
      () => new MLP(2, [1], { labelPrefix: "x" } as never),
      /^new MLP: unknown option "labelPrefix"/,
    ],
    [
      "Layer with fanOut (a Neuron option)",
      () => new Layer(2, 1, { fanOut: 3 } as never),
      /^new Layer: unknown option "fanOut"/,
    ],
    [
      "Neuron with random_state",
      () => new Neuron(2, { random_state: 1 } as never),
      /^new Neuron: unknown option "random_state" \(did you mean "seed"\?\)/,
    ],
  ];
  testErrorCases(
    cases.map((
      [name, call, message],
    ) => [name, call, FieldRangeError, message]),
  );

  test("a Map, an array or a class instance is not an options object", () => {
    for (const options of [new Map(), [], new Rng(1)]) {
      assert.throws(() => new MLP(2, [1], options as never), {
        name: "FieldTypeError",
        field: "options",
      });
    }
  });

  test("errors carry the field", () => {
    assert.throws(() => new MLP(2, [4, 0, 1]), {
      name: "FieldRangeError",
      field: "nouts[1]",
    });
    assert.throws(() => new Neuron(2, { fanOut: 0 }), {
      name: "FieldRangeError",
      field: "fanOut",
    });
    assert.throws(() => new Layer(2, 2, { labelPrefix: 3 as never }), {
      name: "FieldTypeError",
      field: "labelPrefix",
    });
  });

  test("a hole in nouts is named, not skipped", () => {
    // deno-lint-ignore no-sparse-arrays
    assert.throws(() => new MLP(2, [16, , 1] as number[]), {
      name: "FieldTypeError",
      message: "new MLP: nouts[1] must be a positive integer, got undefined",
    });
  });
});

describe("clone()", () => {
  const model = new MLP(2, [5, 3, 2], {
    activation: "tanh",
    outputActivation: "sigmoid",
    init: "xavier",
    seed: 11,
  });

  test("predicts the same numbers, bit for bit, with the same structure", () => {
    const copy = model.clone();
    assert.deepEqual(copy.sizes, model.sizes);
    assert.equal(copy.activation, "tanh");
    assert.equal(copy.outputActivation, "sigmoid");
    assert.deepEqual(weightData(copy), weightData(model));
    for (const x of [[0, 0], [0.3, -1.7], [5, 2]]) {
      assert.deepEqual(copy.activations(x), model.activations(x));
    }
    assert.equal(String(copy), String(model));
  });

  test("shares no Value with the original", () => {
    const copy = model.clone();
    const originals = new Set(model.parameters());
    assert.ok(copy.parameters().every((p) => !originals.has(p)));
    copy.parameters()[3].data = 42;
    copy.zeroGrad();
    assert.notEqual(model.parameters()[3].data, 42);
  });

  test("copies labels, gradients and per-neuron activations", () => {
    const source = new MLP(2, [2, 1], { seed: 2 });
    source.layers[0].neurons[1].activation = "sigmoid";
    source.parameters()[0].label = "custom";
    const [score] = source.forward([0.5, 0.25]);
    score.backward();
    const copy = source.clone();
    assert.equal(copy.layers[0].neurons[1].activation, "sigmoid");
    assert.equal(copy.parameters()[0].label, "custom");
    assert.deepEqual(
      copy.parameters().map((p) => p.grad),
      source.parameters().map((p) => p.grad),
    );
    assert.deepEqual(copy.predict([1, 2]), source.predict([1, 2]));
  });

  test("copies a diverged model, which toJSON cannot", () => {
    const broken = new MLP(1, [1]);
    broken.parameters()[0].data = NaN;
    assert.throws(() => broken.toJSON(), RangeError);
    assert.ok(Number.isNaN(broken.clone().parameters()[0].data));
  });
});

describe("model_json.ts does not import nn.ts", () => {
  test("no import of nn.ts, not even for a type", () => {
    const source = readFileSync(
      new URL("../src/model_json.ts", import.meta.url),
      "utf8",
    );
    const imports = source.split("\n").filter((line) =>
      /^\s*(import|export)\b.*from\s/.test(line) || /^\s*\} from /.test(line)
    );
    assert.ok(imports.length > 0);
    assert.ok(
      imports.every((line) => !line.includes("nn.ts")),
      imports.join("\n"),
    );
  });
});
