// Behaviour of src/optim.ts: SGD (plain, momentum, weight decay) and Adam
// against hand-computed single steps and against PyTorch's optimizers over
// several steps, the per-step learning-rate override, and option validation.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { testErrorCases } from "./error_cases.ts";
import { Value } from "../src/engine.ts";
import { MLP } from "../src/nn.ts";
import { hingeLoss } from "../src/loss.ts";
import { Adam, BaseOptimizer, type Optimizer, SGD } from "../src/optim.ts";
import { FieldRangeError } from "../src/checks.ts";

function assertClose(actual: number, expected: number, tolerance = 1e-12) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `expected ${expected}, got ${actual}`,
  );
}

/** Run `optimizer` on one parameter fed the given gradients; its data after each step. */
function trajectory(
  make: (parameters: Value[]) => Optimizer,
  start: number,
  gradients: number[],
): number[] {
  const p = new Value(start);
  const optimizer = make([p]);
  return gradients.map((g) => {
    optimizer.zeroGrad();
    p.grad = g;
    optimizer.step();
    return p.data;
  });
}

// PyTorch 2 (float64) references, from:
//   p = torch.tensor([2.0], requires_grad=True); opt = <optimizer>([p])
//   for g in [4.0, 2.0, -1.0, 0.5, 3.0]: opt.zero_grad(); p.grad = torch.tensor([g]); opt.step()
const GRADIENTS = [4, 2, -1, 0.5, 3];

describe("SGD", () => {
  test("one step is micrograd's p.data -= learning_rate * p.grad", () => {
    const w = new Value(2);
    const optimizer = new SGD([w], { learningRate: 0.1 });
    w.mul(w).backward(); // grad 2w = 4
    optimizer.step();
    assertClose(w.data, 2 - 0.1 * 4);
  });

  test("step(rate) uses that rate for this step only", () => {
    const w = new Value(1);
    const optimizer = new SGD([w], { learningRate: 0.1 });
    w.grad = 2;
    optimizer.step(0.5);
    assert.equal(w.data, 0); // 1 - 0.5·2
    optimizer.step();
    assertClose(w.data, -0.2); // back to the base rate: 0 - 0.1·2
    optimizer.step(0);
    assertClose(w.data, -0.2); // a rate of 0 changes nothing
  });

  test("momentum accumulates a velocity v ← μv + g", () => {
    // Constant gradient 1, μ = 0.9, rate 0.1: steps of 0.1, 0.19, 0.271
    const path = trajectory(
      (ps) => new SGD(ps, { learningRate: 0.1, momentum: 0.9 }),
      0,
      [1, 1, 1],
    );
    assertClose(path[0], -0.1);
    assertClose(path[1], -0.1 - 0.19);
    assertClose(path[2], -0.1 - 0.19 - 0.271);
  });

  test("momentum carries the parameter on after the gradient vanishes", () => {
    const path = trajectory(
      (ps) => new SGD(ps, { learningRate: 1, momentum: 0.5 }),
      0,
      [1, 0, 0],
    );
    assert.deepEqual(path, [-1, -1.5, -1.75]);
  });

  test("weight decay adds λ·p to the gradient", () => {
    const w = new Value(2);
    const optimizer = new SGD([w], { learningRate: 0.5, weightDecay: 0.1 });
    optimizer.step(); // grad 0 + 0.1·2 = 0.2
    assertClose(w.data, 2 - 0.5 * 0.2);
  });

  test("momentum and weight decay together match torch.optim.SGD", () => {
    const path = trajectory(
      (ps) =>
        new SGD(ps, { learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 }),
      2,
      GRADIENTS,
    );
    const torch = [
      1.598,
      1.034602,
      0.626509198,
      0.20859916700200004,
      -0.467728460063202,
    ];
    path.forEach((p, i) => assertClose(p, torch[i], 1e-14));
  });

  test("defaults: rate 0.1, no momentum, no weight decay", () => {
    const optimizer = new SGD([]);
    assert.equal(optimizer.learningRate, 0.1);
    assert.equal(optimizer.momentum, 0);
    assert.equal(optimizer.weightDecay, 0);
  });

  test("zeroGrad() resets gradients; stepCount counts steps", () => {
    const w = new Value(1);
    const optimizer = new SGD([w]);
    w.grad = 3;
    optimizer.step();
    optimizer.step();
    assert.equal(optimizer.stepCount, 2);
    optimizer.zeroGrad();
    assert.equal(w.grad, 0);
  });

  test("the parameter list is copied: later changes to the array do not matter", () => {
    const parameters = [new Value(1)];
    const optimizer = new SGD(parameters, { learningRate: 1 });
    parameters.push(new Value(5));
    parameters[1].grad = 1;
    optimizer.step();
    assert.equal(parameters[1].data, 5);
  });
});

describe("Adam", () => {
  test("the first step moves each parameter by about the rate, whatever the gradient's size", () => {
    // m̂ = g, v̂ = g², so the step is rate · g / (|g| + ε)
    for (const g of [4, -0.001, 250]) {
      const w = new Value(2);
      w.grad = g;
      new Adam([w], { learningRate: 0.1 }).step();
      assertClose(w.data, 2 - 0.1 * g / (Math.abs(g) + 1e-8), 1e-15);
    }
  });

  test("two steps by hand, with bias correction", () => {
    // Step 1 (g = 4): m = 0.4, v = 0.016, p = 2 - 0.1·4/(4 + 1e-8)
    // Step 2 (g = 2): m = 0.9·0.4 + 0.1·2 = 0.56, v = 0.999·0.016 + 0.001·4
    //   = 0.019984; m̂ = 0.56/(1 - 0.9²), v̂ = 0.019984/(1 - 0.999²)
    const path = trajectory(
      (ps) => new Adam(ps, { learningRate: 0.1 }),
      2,
      [4, 2],
    );
    const first = 2 - 0.1 * 4 / (4 + 1e-8);
    const mHat = 0.56 / (1 - 0.81);
    const vHat = 0.019984 / (1 - 0.998001);
    assertClose(path[0], first, 1e-15);
    assertClose(path[1], first - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8));
  });

  test("matches torch.optim.Adam with default betas", () => {
    const path = trajectory(
      (ps) => new Adam(ps, { learningRate: 0.1 }),
      2,
      GRADIENTS,
    );
    const torch = [
      1.90000000025,
      1.806782036663685,
      1.7504158992224932,
      1.6982056401336652,
      1.631446688067045,
    ];
    path.forEach((p, i) => assertClose(p, torch[i], 1e-14));
  });

  test("matches torch.optim.Adam with other betas, epsilon and weight decay", () => {
    const path = trajectory(
      (ps) =>
        new Adam(ps, {
          learningRate: 0.05,
          beta1: 0.8,
          beta2: 0.99,
          epsilon: 1e-6,
          weightDecay: 0.1,
        }),
      2,
      GRADIENTS,
    );
    const torch = [
      1.9500000119047591,
      1.903885826580759,
      1.8769551394409203,
      1.8517284145196868,
      1.8169190295252349,
    ];
    path.forEach((p, i) => assertClose(p, torch[i], 1e-14));
  });

  test("defaults are PyTorch's: rate 0.001, betas 0.9 and 0.999, epsilon 1e-8", () => {
    const optimizer = new Adam([]);
    assert.equal(optimizer.learningRate, 0.001);
    assert.equal(optimizer.beta1, 0.9);
    assert.equal(optimizer.beta2, 0.999);
    assert.equal(optimizer.epsilon, 1e-8);
    assert.equal(optimizer.weightDecay, 0);
  });

  test("step(rate) overrides the base rate for one step", () => {
    const w = new Value(0);
    w.grad = -5;
    const optimizer = new Adam([w], { learningRate: 0.001 });
    optimizer.step(0.5);
    assertClose(w.data, 0.5 * 5 / (5 + 1e-8), 1e-15);
    assert.equal(optimizer.stepCount, 1);
  });
});

describe("optimizers train a model", () => {
  for (
    const [name, make] of [
      ["SGD", (ps: Value[]) => new SGD(ps, { learningRate: 0.1 })],
      [
        "SGD with momentum",
        (ps: Value[]) => new SGD(ps, { learningRate: 0.05, momentum: 0.9 }),
      ],
      ["Adam", (ps: Value[]) => new Adam(ps, { learningRate: 0.02 })],
    ] as const
  ) {
    test(`${name} drives the hinge loss on a separable toy set down`, () => {
      const x = [[2, 1], [1, 2], [-1, -2], [-2, -1]];
      const labels = [1, 1, 0, 0];
      const model = new MLP(2, [4, 1], { seed: 3 });
      const optimizer = make(model.parameters());
      const lossAt = () => hingeLoss(x.map((xi) => model.forward(xi)), labels);
      const initial = lossAt().data;
      for (let i = 0; i < 30; i++) {
        const loss = lossAt();
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
      }
      const final = lossAt().data;
      assert.ok(final < initial / 2, `loss ${initial} -> ${final}`);
    });
  }
});

describe("bad options throw errors that name the option", () => {
  const w = new Value(1);
  const cases: [string, () => unknown, typeof TypeError, RegExp][] = [
    [
      "parameters not an array",
      () => new SGD(w as unknown as Value[]),
      TypeError,
      /new SGD: parameters must be an array of Values/,
    ],
    [
      "a number among the parameters",
      () => new Adam([w, 2 as unknown as Value]),
      TypeError,
      /new Adam: parameters\[1\] must be a Value, got the number 2/,
    ],
    [
      "a parameter listed twice",
      () => new SGD([w, new Value(2), w]),
      RangeError,
      /parameters\[2\] is the same Value as parameters\[0\]/,
    ],
    [
      "options null",
      () => new SGD([w], null as unknown as object),
      TypeError,
      /new SGD: options must be a plain object with some of learningRate, momentum, weightDecay, got null/,
    ],
    [
      "a negative learning rate",
      () => new SGD([w], { learningRate: -0.1 }),
      RangeError,
      /new SGD: learningRate must be a finite number >= 0, got the number -0\.1/,
    ],
    [
      "an infinite learning rate",
      () => new Adam([w], { learningRate: Infinity }),
      RangeError,
      /new Adam: learningRate.*Infinity/,
    ],
    [
      "a string learning rate",
      () => new SGD([w], { learningRate: "0.1" as unknown as number }),
      TypeError,
      /new SGD: learningRate.*a string/,
    ],
    [
      "momentum 1",
      () => new SGD([w], { momentum: 1 }),
      RangeError,
      /new SGD: momentum must be a number in \[0, 1\), got the number 1/,
    ],
    [
      "negative momentum",
      () => new SGD([w], { momentum: -0.5 }),
      RangeError,
      /new SGD: momentum/,
    ],
    [
      "negative weight decay",
      () => new SGD([w], { weightDecay: -1 }),
      RangeError,
      /new SGD: weightDecay/,
    ],
    [
      "NaN weight decay for Adam",
      () => new Adam([w], { weightDecay: NaN }),
      RangeError,
      /new Adam: weightDecay.*NaN/,
    ],
    [
      "beta1 of 1",
      () => new Adam([w], { beta1: 1 }),
      RangeError,
      /new Adam: beta1 must be a number in \[0, 1\)/,
    ],
    [
      "beta2 above 1",
      () => new Adam([w], { beta2: 1.5 }),
      RangeError,
      /new Adam: beta2/,
    ],
    [
      "epsilon 0",
      () => new Adam([w], { epsilon: 0 }),
      RangeError,
      /new Adam: epsilon must be a finite number > 0/,
    ],
    [
      "SGD.step with a negative rate",
      () => new SGD([w]).step(-1),
      RangeError,
      /SGD\.step: learningRate must be a finite number >= 0/,
    ],
    [
      "Adam.step with a NaN rate",
      () => new Adam([w]).step(NaN),
      RangeError,
      /Adam\.step: learningRate.*NaN/,
    ],
  ];
  testErrorCases(cases);

  test("a rejected step changes nothing", () => {
    const p = new Value(1);
    p.grad = 1;
    const optimizer = new Adam([p]);
    assert.throws(() => optimizer.step(-1), RangeError);
    assert.equal(p.data, 1);
    assert.equal(optimizer.stepCount, 0);
  });
});

describe("unknown options are refused, naming the key and suggesting ours", () => {
  const w = new Value(1);
  const cases: [string, () => unknown, RegExp][] = [
    [
      "SGD with PyTorch's lr",
      () => new SGD([w], { lr: 0.1 } as never),
      /^new SGD: unknown option "lr" \(did you mean "learningRate"\?\); allowed options are learningRate, momentum, weightDecay$/,
    ],
    [
      "SGD with weight_decay",
      () => new SGD([w], { weight_decay: 0.1 } as never),
      /unknown option "weight_decay" \(did you mean "weightDecay"\?\)/,
    ],
    [
      "SGD with a typo",
      () => new SGD([w], { momentun: 0.9 } as never),
      /unknown option "momentun" \(did you mean "momentum"\?\)/,
    ],
    [
      "SGD with nesterov",
      () => new SGD([w], { nesterov: true } as never),
      /unknown option "nesterov" \(did you mean "momentum \(Nesterov momentum is not offered\)"\?\)/,
    ],
    [
      "Adam with betas",
      () => new Adam([w], { betas: [0.9, 0.99] } as never),
      /unknown option "betas" \(did you mean "beta1 and beta2"\?\)/,
    ],
    [
      "Adam with eps",
      () => new Adam([w], { eps: 1e-6 } as never),
      /unknown option "eps" \(did you mean "epsilon"\?\)/,
    ],
    [
      "Adam with momentum (an SGD option)",
      () => new Adam([w], { momentum: 0.9 } as never),
      /^new Adam: unknown option "momentum"/,
    ],
  ];
  testErrorCases(
    cases.map((
      [name, call, message],
    ) => [name, call, FieldRangeError, message]),
  );

  test("the field of a bad option value is the option's name", () => {
    assert.throws(() => new Adam([w], { beta2: 1 }), {
      name: "FieldRangeError",
      field: "beta2",
    });
    assert.throws(() => new SGD([w], new Map() as never), {
      name: "FieldTypeError",
      field: "options",
    });
  });
});

describe("BaseOptimizer", () => {
  test("SGD and Adam share it", () => {
    const w = new Value(1);
    assert.ok(new SGD([w]) instanceof BaseOptimizer);
    assert.ok(new Adam([w]) instanceof BaseOptimizer);
  });

  test("a subclass only writes its update rule", () => {
    class SignDescent extends BaseOptimizer {
      constructor(parameters: readonly Value[]) {
        super("SignDescent", parameters, {}, ["learningRate"], 0.5);
      }
      protected update(parameters: Value[], rate: number, t: number): void {
        for (const p of parameters) p.data -= rate * Math.sign(p.grad) * t;
      }
    }
    const p = new Value(0);
    p.grad = -3;
    const optimizer = new SignDescent([p]);
    optimizer.step();
    optimizer.step(0.25);
    assert.equal(p.data, 0.5 * 1 + 0.25 * 2);
    assert.equal(optimizer.stepCount, 2);
    assert.throws(() => optimizer.step(-1), {
      name: "FieldRangeError",
      message: /^SignDescent\.step: learningRate/,
    });
    optimizer.zeroGrad();
    assert.equal(p.grad, 0);
  });
});
