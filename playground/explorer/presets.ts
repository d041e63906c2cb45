/**
 * Ready-made programs for the explorer — the lecture's examples and
 * micrograd's own test expressions — and the graph of one training example
 * through the playground's current network.
 *
 * @module
 */

import { Value } from "../../src/engine.ts";
import {
  encodeTargets,
  lossFromTargets,
  type LossName,
} from "../../src/loss.ts";
import { MLP } from "../../src/nn.ts";

/** A program in the explorer's language, with a title for the picker. */
export interface Preset {
  /** Stable identifier (used in the picker's `value`). */
  id: string;
  /** Shown in the picker. */
  title: string;
  /** The program. */
  source: string;
}

/**
 * The programs offered by the preset picker; the first is shown on load.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PRESETS } from "./presets.ts";
 * assert.deepEqual(PRESETS.map((preset) => preset.id), [
 *   "neuron",
 *   "lecture",
 *   "d-abc",
 *   "chain-rule",
 *   "neuron-exp",
 *   "a-plus-a",
 *   "sanity-check",
 *   "more-ops",
 * ]);
 * ```
 */
export const PRESETS: readonly Preset[] = Object.freeze([
  {
    id: "neuron",
    title: "A neuron: tanh(x1*w1 + x2*w2 + b)",
    source: `# The lecture's neuron, every step named:
# inputs x1, x2, weights w1, w2, bias b.
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432  # nice numbers
x1w1 = x1*w1
x2w2 = x2*w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = tanh(n)
`,
  },
  {
    id: "lecture",
    title: "The lecture's first graph: L = (a*b + c) * f",
    source: `# Karpathy's first example: d = a*b + c, then L = d * f.
a = 2.0
b = -3.0
c = 10.0
e = a*b
d = e + c
f = -2.0
L = d * f
`,
  },
  {
    id: "d-abc",
    title: "Three inputs: d = a*b + c",
    source: `# The lecture's first expression. Nudge a, b or c by a little h:
# how much does d move, per unit of h?
a = 2.0
b = -3.0
c = 10.0
d = a*b + c
`,
  },
  {
    id: "chain-rule",
    title: "The chain rule through + and *: L = (a + b) * c * d",
    source: `# Backpropagation is the chain rule, one node at a time:
# + passes its grad to both inputs unchanged; * gives each input
# the other input's data times its grad.
a = 3.0
b = -1.0
c = 5.0
d = -4.0
s = a + b
p = s * c
L = p * d
`,
  },
  {
    id: "neuron-exp",
    title: "The neuron with tanh written with exp",
    source: `# tanh(n) = (e^2n - 1) / (e^2n + 1): same output, same gradients.
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
e = exp(2*n)
o = (e - 1) / (e + 1)
`,
  },
  {
    id: "a-plus-a",
    title: "A value used twice: b = a + a",
    source: `# b = 2a, so db/da = 2: both uses of a add to its grad.
# With "buggy engine" ticked, the second contribution replaces the
# first (= instead of +=) and a.grad comes out 1: the lecture's bug.
a = 3.0
b = a + a
`,
  },
  {
    id: "sanity-check",
    title: "micrograd test_sanity_check",
    source:
      `# micrograd's test_sanity_check (PyTorch agrees: y = -20, x.grad = 46).
x = -4.0
z = 2 * x + 2 + x
q = relu(z) + z * x
h = relu(z * z)
y = h + q + q * x
`,
  },
  {
    id: "more-ops",
    title: "micrograd test_more_ops",
    source:
      `# micrograd's test_more_ops. Python's "c += c + 1" updates c in place;
# here every name is assigned once, so it becomes c2 = c + (c + 1).
# PyTorch agrees: g2 = 24.7041, a.grad = 138.8338, b.grad = 645.5773.
a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c2 = c + (c + 1)
c3 = c2 + (1 + c2 + (-a))
d2 = d + (d * 2 + relu(b + a))
d3 = d2 + (3 * d2 + relu(b - a))
e = c3 - d3
f = e**2
g = f / 2.0
g2 = g + 10.0 / f
`,
  },
]);

/** The picker's entry for {@linkcode trainingExampleGraph}. */
export const TRAINING_EXAMPLE_PRESET_ID = "training-example";

/** One point of the playground's data and the network to push it through. */
export interface TrainingExample {
  /** The network's weights as written by the library's `MLP.toJSON`. */
  model: unknown;
  /** The point's coordinates (one per network input). */
  point: readonly number[];
  /** Its class, 0..k-1. */
  label: number;
  /** The loss the playground trains with. */
  loss: LossName;
  /** Which sample of the training set it is (for the caption). */
  index?: number;
  /** How many samples the training set has (for the caption). */
  count?: number;
}

/**
 * The graph of the loss of one training example through a network: its
 * inputs as the network labels them (`x, y` with the plane's features,
 * `x0, x1` without), each neuron's weights `L<l>.N<j>.w<i>` and bias `L<l>.N<j>.b`,
 * its output `L<l>.N<j>`, the scores `score` (or `score0`, `score1`, ...),
 * the targets `y` (or `y0`, ...) and the output `loss`. The L2 penalty is
 * left out: this is the data loss of a single point.
 *
 * @throws {TypeError | RangeError} from `MLP.fromJSON` or the loss functions
 *   when the weights or the label are invalid.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "../../src/nn.ts";
 * import { trainingExampleGraph } from "./presets.ts";
 * const model = new MLP(2, [4, 1], { seed: 1 });
 * const loss = trainingExampleGraph({ model: model.toJSON(), point: [0.5, -0.2], label: 1, loss: "hinge" });
 * assert.equal(loss.label, "loss");
 * assert.ok(loss.data >= 0); // a hinge loss
 * ```
 */
export function trainingExampleGraph(example: TrainingExample): Value {
  const model = MLP.fromJSON(example.model);
  if (!Array.isArray(example.point) || example.point.length !== model.nin) {
    throw new RangeError(
      `trainingExampleGraph: point must hold ${model.nin} numbers (the network's inputs), got ${
        Array.isArray(example.point) ? `${example.point.length}` : "no array"
      }`,
    );
  }
  const scores = model.forward(example.point);
  // Name each hidden neuron's output after its parameters' prefix, L<l>.N<j>,
  // walking back from the scores through each neuron's dot node.
  let layerOutputs: Value[] = scores;
  for (let l = model.layers.length - 1; l > 0; l--) {
    layerOutputs = previousLayerOutputs(layerOutputs);
    layerOutputs.forEach((value, j) => {
      if (!value.label) value.label = `L${l - 1}.N${j}`;
    });
  }
  const outputs = scores.length;
  scores.forEach((score, j) => {
    score.label = outputs === 1 ? "score" : `score${j}`;
  });
  const [encoded] = encodeTargets(example.loss, [example.label], outputs);
  const targets = encoded.map((target, j) =>
    new Value(target, encoded.length === 1 ? "y" : `y${j}`)
  );
  const loss = lossFromTargets(example.loss, [scores], [targets]);
  loss.label = "loss";
  return loss;
}

/**
 * The previous layer's outputs, found from this layer's: a neuron's output is
 * `activation(dot(weights, inputs) + bias)` (without the activation when it
 * is linear), and its `dot` node holds the inputs after the weights.
 */
function previousLayerOutputs(layerOutputs: Value[]): Value[] {
  let node: Value | undefined = layerOutputs[0];
  while (node && node.op !== "dot") node = node.inputs[0];
  if (!node) return [];
  return node.inputs.slice(node.constant);
}
