// Behaviour of src/loss.ts: how labels become targets, each loss against
// hand-computed values and finite-difference gradients, numerical stability
// at scores of ±1000, graphs whose shape ignores the label values, the L2
// penalty, accuracy, and the errors bad input gets.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { testErrorCases } from "./error_cases.ts";
import { topologicalOrder, Value } from "../src/engine.ts";
import { Rng } from "../src/random.ts";
// The losses by name, the per-loss wrappers, then the rest.
import { LOSS_NAMES, lossFromTargets, type LossName } from "../src/loss.ts";
import { bceWithLogitsLoss, hingeLoss, mseLoss } from "../src/loss.ts";
import { softmaxCrossEntropyLoss } from "../src/loss.ts";
import { accuracy, encodeTargets, l2Penalty } from "../src/loss.ts";

const wrappers: Record<
  LossName,
  (scores: Value[][], labels: number[]) => Value
> = {
  hinge: hingeLoss,
  mse: mseLoss,
  logistic: bceWithLogitsLoss,
  crossEntropy: softmaxCrossEntropyLoss,
};

/** Wrap a batch of plain scores as leaf Values. */
function leaves(scores: number[][]): Value[][] {
  return scores.map((row) => row.map((s) => new Value(s)));
}

function assertClose(actual: number, expected: number, tolerance = 1e-12) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `expected ${expected}, got ${actual}`,
  );
}

/**
 * Compare autograd with central finite differences for a loss of a batch of
 * scores (our own small gradient checker, independent of src/gradcheck.ts).
 */
function checkGradients(
  loss: (scores: Value[][]) => Value,
  at: number[][],
): void {
  const scores = leaves(at);
  loss(scores).backward();
  const h = 1e-6;
  for (let i = 0; i < at.length; i++) {
    for (let j = 0; j < at[i].length; j++) {
      const up = at.map((row) => [...row]);
      const down = at.map((row) => [...row]);
      up[i][j] += h;
      down[i][j] -= h;
      const numeric = (loss(leaves(up)).data - loss(leaves(down)).data) /
        (2 * h);
      assert.ok(
        Math.abs(scores[i][j].grad - numeric) < 1e-7,
        `d loss / d scores[${i}][${j}]: autograd ${
          scores[i][j].grad
        }, numeric ${numeric}`,
      );
    }
  }
}

/** The operations of a graph in order, with their input counts. */
function shape(root: Value): string[] {
  return topologicalOrder(root).map((node) =>
    `${node.op || "leaf"}/${node.inputs.length}`
  );
}

describe("encodeTargets: labels are class indices, each loss maps them as it needs", () => {
  test("hinge: label 0 -> -1, label 1 -> +1", () => {
    assert.deepEqual(encodeTargets("hinge", [0, 1, 1], 1), [[-1], [1], [1]]);
  });
  test("mse with one output: like hinge, ±1", () => {
    assert.deepEqual(encodeTargets("mse", [1, 0], 1), [[1], [-1]]);
  });
  test("mse with k outputs: one-hot", () => {
    assert.deepEqual(encodeTargets("mse", [2, 0], 3), [[0, 0, 1], [1, 0, 0]]);
  });
  test("logistic: the label itself, a probability target 0 or 1", () => {
    assert.deepEqual(encodeTargets("logistic", [0, 1], 1), [[0], [1]]);
  });
  test("crossEntropy: one-hot, also for two classes", () => {
    assert.deepEqual(encodeTargets("crossEntropy", [1, 0], 2), [[0, 1], [
      1,
      0,
    ]]);
  });
  test("an empty batch encodes to nothing", () => {
    assert.deepEqual(encodeTargets("hinge", [], 1), []);
  });
});

describe("hinge loss (micrograd's max-margin loss)", () => {
  test("mean of relu(1 - y·score)", () => {
    // y = +1, -1, -1: margins 1-2 < 0, 1+0.5, 1-0.3
    const loss = hingeLoss(leaves([[2], [0.5], [-0.3]]), [1, 0, 0]);
    assertClose(loss.data, (0 + 1.5 + 0.7) / 3);
  });

  test("gradient: -y/n where the margin is violated, 0 where it is met", () => {
    const scores = leaves([[2], [0.5], [-0.3]]);
    hingeLoss(scores, [1, 0, 0]).backward();
    assert.equal(scores[0][0].grad, 0);
    assertClose(scores[1][0].grad, 1 / 3);
    assertClose(scores[2][0].grad, 1 / 3);
  });

  test("zero once every sample is on its side with margin 1", () => {
    assert.equal(hingeLoss(leaves([[1], [-1.5]]), [1, 0]).data, 0);
  });

  test("gradients match finite differences", () => {
    checkGradients(
      (s) => hingeLoss(s, [1, 0, 1, 0]),
      [[0.3], [0.2], [-0.7], [-2]],
    );
  });
});

describe("mean squared error", () => {
  test("one output: against ±1, mean over samples", () => {
    const scores = leaves([[0.5], [0]]);
    const loss = mseLoss(scores, [1, 0]);
    assertClose(loss.data, (0.25 + 1) / 2);
    loss.backward();
    // d/ds (s-t)²/n = 2(s-t)/n
    assertClose(scores[0][0].grad, 2 * (0.5 - 1) / 2);
    assertClose(scores[1][0].grad, 2 * (0 + 1) / 2);
  });

  test("k outputs: against one-hot, mean over every output (PyTorch's MSELoss)", () => {
    const loss = mseLoss(leaves([[1, 2, 3], [0, 1, 0]]), [2, 1]);
    // (1 + 4 + 4) + (0 + 0 + 0), over 6 entries
    assertClose(loss.data, 9 / 6);
  });

  test("gradients match finite differences", () => {
    checkGradients(
      (s) => mseLoss(s, [2, 0, 1]),
      [[0.1, -0.4, 1.3], [2, 0.5, -1], [0, 0, 0.7]],
    );
  });
});

describe("logistic loss (binary cross-entropy on logits)", () => {
  test("matches -[y log σ(z) + (1-y) log(1-σ(z))] for moderate scores", () => {
    const z = [0.3, -1.2, 2.5, 0];
    const labels = [1, 0, 0, 1];
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const expected = z.reduce(
      (total, zi, i) =>
        total -
        (labels[i] === 1 ? Math.log(sigmoid(zi)) : Math.log(1 - sigmoid(zi))),
      0,
    ) / z.length;
    const loss = bceWithLogitsLoss(leaves(z.map((zi) => [zi])), labels);
    assertClose(loss.data, expected);
  });

  test("a score of 0 costs log 2 whatever the label", () => {
    assertClose(bceWithLogitsLoss(leaves([[0]]), [1]).data, Math.LN2);
    assertClose(bceWithLogitsLoss(leaves([[0]]), [0]).data, Math.LN2);
  });

  test("gradient is (σ(z) - y)/n", () => {
    const scores = leaves([[0.3], [-1.2]]);
    bceWithLogitsLoss(scores, [1, 0]).backward();
    assertClose(scores[0][0].grad, (1 / (1 + Math.exp(-0.3)) - 1) / 2);
    assertClose(scores[1][0].grad, (1 / (1 + Math.exp(1.2)) - 0) / 2);
  });

  test("stable at scores of ±1000: exact losses, gradients of 0 or ±1, no NaN", () => {
    const cases: [number, number, number, number][] = [
      // score, label, loss, gradient
      [1000, 1, 0, 0],
      [1000, 0, 1000, 1],
      [-1000, 1, 1000, -1],
      [-1000, 0, 0, 0],
    ];
    for (const [z, label, expectedLoss, expectedGrad] of cases) {
      const score = new Value(z);
      const loss = bceWithLogitsLoss([[score]], [label]);
      loss.backward();
      assert.equal(loss.data, expectedLoss, `loss at z=${z}, y=${label}`);
      assert.equal(score.grad, expectedGrad, `grad at z=${z}, y=${label}`);
    }
  });

  test("gradients match finite differences", () => {
    checkGradients(
      (s) => bceWithLogitsLoss(s, [1, 0, 1]),
      [[0.8], [-0.1], [-3]],
    );
  });
});

describe("softmax cross-entropy", () => {
  test("mean of logSumExp(s) - s[label]", () => {
    const scores = [[1, 2, 3], [0.5, -0.5, 0]];
    const labels = [0, 2];
    const expected = scores.reduce(
      (total, row, i) =>
        total + Math.log(row.reduce((a, s) => a + Math.exp(s), 0)) -
        row[labels[i]],
      0,
    ) / 2;
    assertClose(softmaxCrossEntropyLoss(leaves(scores), labels).data, expected);
  });

  test("equal scores over k classes cost log k", () => {
    assertClose(
      softmaxCrossEntropyLoss(leaves([[0, 0, 0]]), [1]).data,
      Math.log(3),
    );
  });

  test("gradient is (softmax(s) - onehot)/n", () => {
    const scores = leaves([[1, 2, 3]]);
    softmaxCrossEntropyLoss(scores, [0]).backward();
    const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertClose(scores[0][0].grad, Math.exp(1) / total - 1);
    assertClose(scores[0][1].grad, Math.exp(2) / total);
    assertClose(scores[0][2].grad, Math.exp(3) / total);
  });

  test("stable at scores of ±1000", () => {
    const right = leaves([[1000, -1000]]);
    const rightLoss = softmaxCrossEntropyLoss(right, [0]);
    rightLoss.backward();
    assert.equal(rightLoss.data, 0);
    assert.deepEqual(right[0].map((s) => s.grad), [0, 0]);

    const wrong = leaves([[1000, -1000]]);
    const wrongLoss = softmaxCrossEntropyLoss(wrong, [1]);
    wrongLoss.backward();
    assert.equal(wrongLoss.data, 2000);
    assert.deepEqual(wrong[0].map((s) => s.grad), [1, -1]);
  });

  test("gradients match finite differences", () => {
    checkGradients(
      (s) => softmaxCrossEntropyLoss(s, [3, 0]),
      [[0.1, 0.2, -0.3, 0.4], [2, -1, 0.5, 0]],
    );
  });
});

describe("lossFromTargets: target leaves, a graph shaped by the batch alone", () => {
  const rng = new Rng(8);
  const cases: [LossName, number, number[], number[]][] = [
    ["hinge", 1, [0, 1, 1, 0], [1, 1, 0, 0]],
    ["mse", 1, [0, 1, 1, 0], [1, 0, 0, 0]],
    ["mse", 3, [0, 2, 1, 0], [2, 2, 2, 1]],
    ["logistic", 1, [0, 1, 1, 0], [0, 0, 0, 0]],
    ["crossEntropy", 3, [0, 2, 1, 0], [1, 1, 0, 2]],
  ];
  for (const [loss, outputs, labelsA, labelsB] of cases) {
    const at = labelsA.map(() =>
      Array.from({ length: outputs }, () => rng.uniform(-2, 2))
    );

    test(`${loss} with ${outputs} output(s): the wrapper equals lossFromTargets on encodeTargets leaves`, () => {
      const targets = leaves(encodeTargets(loss, labelsA, outputs));
      assert.equal(
        lossFromTargets(loss, leaves(at), targets).data,
        wrappers[loss](leaves(at), labelsA).data,
      );
    });

    test(`${loss} with ${outputs} output(s): same graph shape for other labels, and the target leaves are in it`, () => {
      const targetsA = leaves(encodeTargets(loss, labelsA, outputs));
      const targetsB = leaves(encodeTargets(loss, labelsB, outputs));
      const rootA = lossFromTargets(loss, leaves(at), targetsA);
      const rootB = lossFromTargets(loss, leaves(at), targetsB);
      assert.deepEqual(shape(rootA), shape(rootB));
      const nodes = new Set(topologicalOrder(rootA));
      for (const row of targetsA) {
        for (const target of row) assert.ok(nodes.has(target));
      }
    });
  }

  test("graph sizes: hinge 3 nodes per sample, cross-entropy 1 per sample plus a batch dot", () => {
    const count = (root: Value) =>
      topologicalOrder(root).filter((n) => n.op !== "").length;
    const n = 10;
    const binary = Array.from({ length: n }, () => [0.5]);
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    // mul, sub, relu per sample; sum and mean for the batch
    assert.equal(count(hingeLoss(leaves(binary), labels)), 3 * n + 2);
    // logSumExp per sample; sum, dot, sub, mean for the batch
    const triple = Array.from({ length: n }, () => [0.1, 0.2, 0.3]);
    assert.equal(
      count(softmaxCrossEntropyLoss(leaves(triple), labels)),
      n + 4,
    );
    // one difference per entry; dot and mean
    assert.equal(count(mseLoss(leaves(triple), labels)), 3 * n + 2);
  });
});

describe("l2Penalty", () => {
  test("strength · Σ p², as one dot node and one multiplication", () => {
    const parameters = [new Value(3), new Value(4)];
    const penalty = l2Penalty(parameters, 0.01);
    assertClose(penalty.data, 0.25);
    assert.equal(penalty.op, "*");
    assert.equal(penalty.inputs[0].op, "dot");
  });

  test("gradient 2 · strength · p pulls weights towards 0", () => {
    const parameters = [new Value(3), new Value(-4)];
    l2Penalty(parameters, 0.01).backward();
    assertClose(parameters[0].grad, 0.06);
    assertClose(parameters[1].grad, -0.08);
  });

  test("no parameters or zero strength cost nothing", () => {
    assert.equal(l2Penalty([], 0.5).data, 0);
    assert.equal(l2Penalty([new Value(2)], 0).data, 0);
  });
});

describe("accuracy", () => {
  test("one output: class 1 iff the score is > 0", () => {
    assert.equal(accuracy([[0.3], [-2], [1], [0]], [1, 0, 0, 0]), 3 / 4);
  });
  test("k outputs: the argmax, the first one on ties", () => {
    assert.equal(
      accuracy([[0.1, 0.9, 0.3], [2, 1, 2], [0, 0, 5]], [1, 0, 2]),
      1,
    );
    assert.equal(accuracy([[1, 1]], [1]), 0);
  });
  test("all wrong is 0", () => {
    assert.equal(accuracy([[1], [-1]], [0, 1]), 0);
  });
});

describe("bad input throws errors that name the argument", () => {
  const cases: [string, () => unknown, typeof TypeError, RegExp][] = [
    [
      "a label of 2 for a binary loss",
      () => hingeLoss(leaves([[1], [2]]), [1, 2]),
      RangeError,
      /hingeLoss: labels\[1\] must be a class index \(an integer from 0 to 1\), got the number 2/,
    ],
    [
      "a negative label",
      () => softmaxCrossEntropyLoss(leaves([[1, 2, 3]]), [-1]),
      RangeError,
      /softmaxCrossEntropyLoss: labels\[0\].*from 0 to 2\), got the number -1/,
    ],
    [
      "a fractional label",
      () => mseLoss(leaves([[1]]), [0.5]),
      RangeError,
      /mseLoss: labels\[0\]/,
    ],
    [
      "a label out of range for k outputs",
      () => mseLoss(leaves([[1, 2]]), [2]),
      RangeError,
      /from 0 to 1\), got the number 2/,
    ],
    [
      "a string label",
      () => bceWithLogitsLoss(leaves([[1]]), ["1" as unknown as number]),
      TypeError,
      /bceWithLogitsLoss: labels\[0\] must be a class index.*a string/,
    ],
    [
      "labels not an array",
      () => hingeLoss(leaves([[1]]), 1 as unknown as number[]),
      TypeError,
      /hingeLoss: labels must be an array/,
    ],
    [
      "fewer labels than samples",
      () => hingeLoss(leaves([[1], [2]]), [1]),
      RangeError,
      /hingeLoss: scores and labels must have one entry per sample each, got 2 scores and 1 labels/,
    ],
    [
      "hinge with 2 outputs",
      () => hingeLoss(leaves([[1, 2]]), [1]),
      RangeError,
      /"hinge" loss needs a model with exactly 1 output.*got 2 outputs/,
    ],
    [
      "logistic with 3 outputs",
      () => bceWithLogitsLoss(leaves([[1, 2, 3]]), [1]),
      RangeError,
      /"logistic" loss needs a model with exactly 1 output/,
    ],
    [
      "cross-entropy with 1 output",
      () => softmaxCrossEntropyLoss(leaves([[1]]), [1]),
      RangeError,
      /"crossEntropy" loss needs a model with at least 2 outputs/,
    ],
    [
      "an empty batch",
      () => hingeLoss([], []),
      RangeError,
      /hingeLoss: scores must be a non-empty array \(at least one sample\), got an array of length 0/,
    ],
    [
      "numbers instead of Values",
      () => hingeLoss([[1]] as unknown as Value[][], [1]),
      TypeError,
      /hingeLoss: scores\[0\]\[0\] must be a Value, got the number 1/,
    ],
    [
      "a flat array of scores",
      () => hingeLoss([new Value(1)] as unknown as Value[][], [1]),
      TypeError,
      /scores\[0\] must be an array of Values/,
    ],
    [
      "ragged scores",
      () => mseLoss(leaves([[1, 2], [1]]), [0, 1]),
      RangeError,
      /every scores\[i\] must have the same, non-zero length/,
    ],
    [
      "encodeTargets with an unknown loss",
      () => encodeTargets("focal" as LossName, [0], 1),
      RangeError,
      /encodeTargets: loss must be one of "hinge", "mse", "logistic" or "crossEntropy", got a string \("focal"\)/,
    ],
    [
      "encodeTargets with 0 outputs",
      () => encodeTargets("mse", [0], 0),
      RangeError,
      /encodeTargets: outputs must be a positive integer/,
    ],
    [
      "lossFromTargets with an unknown loss",
      () => lossFromTargets("l1" as LossName, leaves([[1]]), leaves([[1]])),
      RangeError,
      /lossFromTargets: loss must be one of/,
    ],
    [
      "lossFromTargets with fewer targets than scores",
      () => lossFromTargets("mse", leaves([[1], [2]]), leaves([[1]])),
      RangeError,
      /got 2 scores and 1 targets/,
    ],
    [
      "lossFromTargets with targets of the wrong width",
      () => lossFromTargets("mse", leaves([[1, 2]]), leaves([[1]])),
      RangeError,
      /each targets\[i\] must have 2 entries/,
    ],
    [
      "l2Penalty with a negative strength",
      () => l2Penalty([new Value(1)], -1),
      RangeError,
      /l2Penalty: strength must be a finite number >= 0, got the number -1/,
    ],
    [
      "l2Penalty with a NaN strength",
      () => l2Penalty([new Value(1)], NaN),
      RangeError,
      /strength.*NaN/,
    ],
    [
      "l2Penalty with a string strength",
      () => l2Penalty([new Value(1)], "1" as unknown as number),
      TypeError,
      /strength/,
    ],
    [
      "l2Penalty with a number parameter",
      () => l2Penalty([1] as unknown as Value[], 1),
      TypeError,
      /l2Penalty: parameters\[0\] must be a Value/,
    ],
    [
      "accuracy of nothing",
      () => accuracy([], []),
      RangeError,
      /accuracy: scores must be a non-empty array \(at least one sample\)/,
    ],
    [
      "accuracy with Values instead of numbers",
      () => accuracy([[new Value(1)]] as unknown as number[][], [1]),
      TypeError,
      /accuracy: scores\[0\]\[0\] must be a number, got an instance of Value/,
    ],
    [
      "accuracy with a label out of range",
      () => accuracy([[1, 2]], [5]),
      RangeError,
      /accuracy: labels\[0\]/,
    ],
    [
      "accuracy with mismatched lengths",
      () => accuracy([[1], [2]], [1]),
      RangeError,
      /accuracy: scores and labels must have one entry per sample/,
    ],
  ];
  testErrorCases(cases);

  test("LOSS_NAMES lists every loss", () => {
    assert.deepEqual([...LOSS_NAMES].sort(), Object.keys(wrappers).sort());
  });
});

describe("bad data never becomes a silent number", () => {
  const leaves1 = (rows: number[][]) =>
    rows.map((row) => row.map((s) => new Value(s)));

  test("every loss refuses a non-finite or fractional label, naming labels[i]", () => {
    const cases: [string, (labels: number[]) => unknown, number][] = [
      ["hingeLoss", (y) => hingeLoss(leaves1([[1], [2], [3]]), y), 1],
      ["mseLoss", (y) => mseLoss(leaves1([[1], [2], [3]]), y), 1],
      [
        "bceWithLogitsLoss",
        (y) => bceWithLogitsLoss(leaves1([[1], [2], [3]]), y),
        1,
      ],
      [
        "softmaxCrossEntropyLoss",
        (y) => softmaxCrossEntropyLoss(leaves1([[1, 2], [2, 1], [3, 0]]), y),
        2,
      ],
      ["encodeTargets", (y) => encodeTargets("crossEntropy", y, 3), 3],
      ["accuracy", (y) => accuracy([[1], [2], [3]], y), 1],
    ];
    for (const [name, call] of cases) {
      for (const bad of [NaN, Infinity, -Infinity, 0.5, -1, 7]) {
        assert.throws(() => call([0, 1, bad]), {
          name: "FieldRangeError",
          field: "labels[2]",
          message: new RegExp(`^${name}: labels\\[2\\] must be a class index`),
        }, `${name} with ${bad}`);
      }
      assert.throws(() => call([0, "1" as never, 0]), {
        name: "FieldTypeError",
        field: "labels[1]",
      }, name);
    }
  });

  test("lossFromTargets refuses a non-finite target, naming targets[i][j]", () => {
    const scores = leaves1([[1, 2], [3, 4]]);
    for (const bad of [NaN, Infinity]) {
      assert.throws(
        () => lossFromTargets("mse", scores, leaves1([[0, 1], [bad, 0]])),
        {
          name: "FieldRangeError",
          field: "targets[1][0]",
          message:
            /^lossFromTargets: targets\[1\]\[0\] must be a Value holding a finite number/,
        },
      );
    }
  });

  test("a NaN or infinite score is never counted as correct", () => {
    assert.equal(accuracy([[NaN], [Infinity], [-Infinity]], [0, 1, 0]), 0);
    assert.equal(accuracy([[NaN, 0], [0, Infinity], [1, 0]], [0, 1, 0]), 1 / 3);
  });

  test("a diverged model's scores still give a (NaN) loss, so divergence is seen", () => {
    assert.ok(Number.isNaN(hingeLoss(leaves1([[NaN]]), [1]).data));
  });

  test("errors carry the field", () => {
    assert.throws(() => l2Penalty([new Value(1)], -1), {
      name: "FieldRangeError",
      field: "strength",
    });
    assert.throws(() => l2Penalty([new Value(1), 2 as never], 1), {
      name: "FieldTypeError",
      field: "parameters[1]",
    });
    assert.throws(() => hingeLoss(leaves1([[1, 2]]), [0]), {
      name: "FieldRangeError",
      field: "outputs",
    });
    assert.throws(() => hingeLoss(leaves1([[1], [2]]), [0]), {
      name: "FieldRangeError",
      field: "labels",
    });
  });
});
