/**
 * The autograd engine: every operation's value and gradient against PyTorch,
 * the accumulation semantics of backward(), deep graphs, non-finite numbers,
 * bad input, the topological order, and random graphs against finite
 * differences.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type Operation, topologicalOrder, Value } from "../src/engine.ts";
import { gradientCheck } from "../src/gradcheck.ts";
import { OPERATIONS } from "../src/ops.ts";
import reference from "./fixtures/torch_reference.json" with { type: "json" };

// --- PyTorch reference -------------------------------------------------------

/** A number in the fixture: JSON has no NaN/Infinity, so they are strings. */
type FixtureNumber = number | "NaN" | "Infinity" | "-Infinity";
/** An expression: a name, a constant, or [operation, operand...]. */
type Expression = string | number | [string, ...unknown[]];

interface ReferenceCase {
  name: string;
  inputs: Record<string, FixtureNumber>;
  steps: [string, Expression][];
  data: FixtureNumber[];
  grads: Record<string, FixtureNumber>;
}

function decode(x: FixtureNumber): number {
  return typeof x === "number" ? x : Number(x);
}

/** Build one expression of the fixture format (see the generator's docstring). */
function build(expression: Expression, names: Map<string, Value>): Value {
  if (typeof expression === "string") {
    const value = names.get(expression);
    if (value === undefined) throw new Error(`unknown name ${expression}`);
    return value;
  }
  // A constant where a Value is needed (the left of `2 * x`) is a leaf.
  if (typeof expression === "number") return new Value(expression);
  const [op, ...args] = expression;
  // Operands stay plain numbers where the API takes `Value | number`, so the
  // number-operand path of each method is what gets tested.
  const operand = (x: unknown): Value | number =>
    typeof x === "number" ? x : build(x as Expression, names);
  const operands = (xs: unknown[]): (Value | number)[] => xs.map(operand);
  switch (op) {
    case "add":
      return build(args[0] as Expression, names).add(operand(args[1]));
    case "sub":
      return build(args[0] as Expression, names).sub(operand(args[1]));
    case "mul":
      return build(args[0] as Expression, names).mul(operand(args[1]));
    case "div":
      return build(args[0] as Expression, names).div(operand(args[1]));
    case "pow":
      return build(args[0] as Expression, names).pow(operand(args[1]));
    case "neg":
      return build(args[0] as Expression, names).neg();
    case "exp":
      return build(args[0] as Expression, names).exp();
    case "log":
      return build(args[0] as Expression, names).log();
    case "tanh":
      return build(args[0] as Expression, names).tanh();
    case "relu":
      return build(args[0] as Expression, names).relu();
    case "sigmoid":
      return build(args[0] as Expression, names).sigmoid();
    case "sin":
      return build(args[0] as Expression, names).sin();
    case "abs":
      return build(args[0] as Expression, names).abs();
    case "sum":
      return Value.sum(operands(args));
    case "logsumexp":
      return Value.logSumExp(operands(args));
    case "dot":
      return Value.dot(
        operands(args[0] as unknown[]),
        operands(args[1] as unknown[]),
      );
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

/**
 * Equal to relative 1e-9, with an absolute floor of 1e-300 so that an
 * expected 0 accepts a tiny rounding residue but nothing of any size; NaN
 * and the infinities must match exactly.
 */
function assertClose(actual: number, expected: number, what: string): void {
  if (!Number.isFinite(expected)) {
    assert.ok(
      Object.is(actual, expected) ||
        (Number.isNaN(actual) && Number.isNaN(expected)),
      `${what}: expected ${expected}, got ${actual}`,
    );
    return;
  }
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-300);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, got ${actual} (difference ${
      Math.abs(actual - expected)
    })`,
  );
}

const cases = (reference as unknown as { cases: ReferenceCase[] }).cases;

describe("every operation matches PyTorch (float64, relative 1e-9)", () => {
  test("the fixture covers every operation", () => {
    const used = new Set<string>();
    const visit = (e: unknown): void => {
      if (Array.isArray(e)) {
        if (typeof e[0] === "string") used.add(e[0]);
        e.forEach(visit);
      }
    };
    for (const c of cases) for (const [, e] of c.steps) visit(e);
    for (const { name: op } of Object.values(OPERATIONS)) {
      assert.ok(used.has(op), `no fixture case uses ${op}`);
    }
  });

  for (const c of cases) {
    test(c.name, () => {
      const names = new Map<string, Value>();
      const leaves = new Map<string, Value>();
      for (const [name, x] of Object.entries(c.inputs)) {
        const leaf = new Value(decode(x), name);
        names.set(name, leaf);
        leaves.set(name, leaf);
      }
      let output: Value | undefined;
      c.steps.forEach(([name, expression], i) => {
        output = build(expression, names);
        names.set(name, output);
        assertClose(output.data, decode(c.data[i]), `data of step ${name}`);
      });
      output!.backward();
      for (const [name, expected] of Object.entries(c.grads)) {
        assertClose(
          leaves.get(name)!.grad,
          decode(expected),
          `grad of ${name}`,
        );
      }
    });
  }

  test("micrograd's test_sanity_check: y = -20, x.grad = 46", () => {
    const x = new Value(-4);
    const z = new Value(2).mul(x).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    assert.equal(y.data, -20);
    assert.equal(x.grad, 46);
  });

  test("micrograd's test_more_ops", () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(new Value(1).add(c).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(new Value(10).div(f));
    g.backward();
    assertClose(g.data, 24.70408163265306, "g");
    assertClose(a.grad, 138.83381924198252, "a.grad");
    assertClose(b.grad, 645.5772594752186, "b.grad");
  });
});

// --- the lecture and backward() semantics -----------------------------------

describe("backward()", () => {
  test("the lecture's d = a*b + c gives a.grad = -3, b.grad = 2, c.grad = 1", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const c = new Value(10, "c");
    const d = a.mul(b).add(c);
    d.backward();
    assert.equal(d.data, 4);
    assert.equal(d.grad, 1);
    assert.deepEqual([a.grad, b.grad, c.grad], [-3, 2, 1]);
  });

  test("a node used twice gets both contributions", () => {
    const a = new Value(3);
    a.add(a).backward();
    assert.equal(a.grad, 2);
    const x = new Value(-1.5);
    x.mul(x).backward();
    assert.equal(x.grad, -3);
  });

  test("calling backward() twice accumulates into leaves, as in PyTorch", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const ab = a.mul(b);
    const d = ab.add(a); // d = a*b + a: dd/da = b + 1 = -2, dd/db = a = 2
    d.backward();
    assert.deepEqual([a.grad, b.grad], [-2, 2]);
    d.backward();
    assert.deepEqual([a.grad, b.grad], [-4, 4], "leaves accumulate");
    // Intermediate nodes are recomputed from zero, not double counted:
    assert.equal(ab.grad, 1);
    assert.equal(d.grad, 1);
  });

  test("backward() on a leaf accumulates 1 into it, like any leaf", () => {
    const x = new Value(4);
    x.backward();
    x.backward();
    assert.equal(x.grad, 2);
  });

  test("resetting leaf grads to 0 makes a second backward() equal the first", () => {
    const x = new Value(0.5);
    const y = x.tanh().mul(x);
    y.backward();
    const first = x.grad;
    x.grad = 0;
    y.backward();
    assert.equal(x.grad, first);
  });

  test("a second graph sharing leaves adds its gradient to theirs", () => {
    const w = new Value(1.5);
    w.mul(2).backward();
    w.mul(w).backward();
    assert.equal(w.grad, 2 + 3);
  });

  test("a chain of 1,000,000 nodes (no recursion limit)", () => {
    const x = new Value(0.5, "x");
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = y.add(1);
    y.backward();
    assert.equal(y.data, 1_000_000.5);
    assert.equal(x.grad, 1);
    // and a chain of a million negations: the sign flips back every 2
    const z = new Value(2);
    let w = z;
    for (let i = 0; i < 1_000_000; i++) w = w.neg();
    w.backward();
    assert.equal(w.data, 2);
    assert.equal(z.grad, 1, "an even number of negations");
  });
});

// --- non-finite numbers ------------------------------------------------------

describe("overflow and non-finite numbers", () => {
  for (const x of [1000, -1000, 1e308, -1e308, Infinity, -Infinity]) {
    test(`tanh and sigmoid of ${x} are finite with a finite gradient`, () => {
      const v = new Value(x);
      const t = v.tanh();
      t.backward();
      assert.equal(t.data, Math.sign(x));
      assert.equal(v.grad, 0);
      const w = new Value(x);
      const s = w.sigmoid();
      s.backward();
      assert.equal(s.data, x > 0 ? 1 : 0);
      assert.equal(w.grad, 0);
    });
  }

  test("exp overflows to Infinity past ~709.78, and its gradient too", () => {
    assert.ok(Number.isFinite(new Value(709).exp().data));
    const x = new Value(710);
    const y = x.exp();
    y.backward();
    assert.equal(y.data, Infinity);
    assert.equal(x.grad, Infinity);
    assert.equal(new Value(-1000).exp().data, 0);
  });

  test("log of 0 is -Infinity, log of a negative number is NaN", () => {
    const zero = new Value(0);
    const logZero = zero.log();
    logZero.backward();
    assert.equal(logZero.data, -Infinity);
    assert.equal(zero.grad, Infinity);
    const negative = new Value(-1);
    const logNegative = negative.log();
    logNegative.backward();
    assert.ok(Number.isNaN(logNegative.data));
    assert.equal(negative.grad, -1, "1/x is still defined (PyTorch agrees)");
  });

  test("NaN and Infinity are accepted as data, as in PyTorch", () => {
    assert.ok(Number.isNaN(new Value(NaN).add(1).data));
    assert.equal(new Value(Infinity).mul(2).data, Infinity);
    assert.ok(Number.isNaN(new Value(Infinity).sub(Infinity).data));
  });

  test("relu passes NaN through instead of hiding it (as PyTorch does)", () => {
    assert.ok(Number.isNaN(new Value(NaN).relu().data));
  });

  test("logSumExp of huge and tiny inputs stays finite", () => {
    const big = Value.logSumExp([1e4, 1e4]);
    assertClose(big.data, 1e4 + Math.LN2, "logsumexp(1e4, 1e4)");
    assertClose(Value.logSumExp([-1e4, -1e4]).data, -1e4 + Math.LN2, "small");
    assert.equal(Value.logSumExp([-Infinity, -Infinity]).data, -Infinity);
  });

  test("division of the gradient does not overflow for large denominators", () => {
    // d(a/b)/db = -a/b² must be computed as -(a/b)/b: b² overflows at 1e200.
    const a = new Value(3e150);
    const b = new Value(2e160);
    a.div(b).backward();
    assertClose(b.grad, -(3e150 / 2e160) / 2e160, "b.grad");
  });
});

// --- bad input ---------------------------------------------------------------

describe("bad input throws a TypeError naming what was passed", () => {
  const bad: [string, unknown, RegExp][] = [
    ["a string", "2", /a string \("2"\)/],
    ["undefined", undefined, /undefined/],
    ["null", null, /null/],
    ["an object", { data: 2 }, /an object/],
    ["a bigint", 2n, /a bigint \(2n\)/],
    ["an array", [2], /an array/],
    ["a boolean", true, /a boolean/],
  ];
  const binary = ["add", "sub", "mul", "div", "pow"] as const;

  for (const [what, input, named] of bad) {
    test(`${what} as data`, () => {
      assert.throws(
        () => new Value(input as number),
        (e: unknown) =>
          e instanceof TypeError && /new Value/.test(e.message) &&
          named.test(e.message),
      );
    });
    for (const method of binary) {
      test(`${what} as the operand of ${method}`, () => {
        const a = new Value(1);
        assert.throws(
          () => a[method](input as number),
          (e: unknown) =>
            e instanceof TypeError && e.message.includes(method) &&
            named.test(e.message),
        );
      });
    }
    test(`${what} inside Value.sum, Value.dot and Value.logSumExp`, () => {
      const check = (f: () => unknown, name: string) =>
        assert.throws(
          f,
          (e: unknown) =>
            e instanceof TypeError && e.message.includes(name) &&
            named.test(e.message),
        );
      check(() => Value.sum([1, input as number]), "sum");
      check(() => Value.dot([1, 2], [3, input as number]), "dot");
      check(() => Value.dot([input as number, 2], [3, 4]), "dot");
      check(() => Value.logSumExp([input as number, 1]), "logSumExp");
    });
    if (!Array.isArray(input)) {
      test(`${what} instead of the array of Value.sum, Value.dot and Value.logSumExp`, () => {
        const check = (f: () => unknown, name: string) =>
          assert.throws(
            f,
            (e: unknown) =>
              e instanceof TypeError && e.message.includes(name) &&
              named.test(e.message),
          );
        check(() => Value.sum(input as number[]), "sum");
        check(() => Value.dot(input as number[], [1]), "dot");
        check(() => Value.dot([1], input as number[]), "dot");
        check(() => Value.logSumExp(input as number[]), "logSumExp");
      });
    }
  }

  test("a non-string label is a TypeError", () => {
    assert.throws(() => new Value(1, 5 as unknown as string), TypeError);
  });

  test("topologicalOrder of a non-Value is a TypeError", () => {
    assert.throws(
      () => topologicalOrder({} as Value),
      /topologicalOrder: expected a Value, got an object/,
    );
  });

  test("Value.dot of vectors of different lengths is a RangeError", () => {
    assert.throws(
      () => Value.dot([1, 2, 3], [1, 2]),
      (e: unknown) => e instanceof RangeError && /got 3 and 2/.test(e.message),
    );
  });

  test("Value.logSumExp of an empty array is a RangeError", () => {
    assert.throws(() => Value.logSumExp([]), RangeError);
  });

  test("the empty sum is 0 and the empty dot product is 0", () => {
    assert.equal(Value.sum([]).data, 0);
    assert.equal(Value.dot([], []).data, 0);
  });
});

// --- topological order -------------------------------------------------------

describe("topologicalOrder", () => {
  test("lists every node once, inputs before users, root last", () => {
    const a = new Value(1, "a");
    const b = new Value(2, "b");
    const c = a.mul(b);
    const d = c.add(a).tanh();
    const e = Value.sum([d, c, a, d]);
    const order = topologicalOrder(e);
    assert.equal(order.length, new Set(order).size, "no duplicates");
    assert.equal(order.at(-1), e);
    for (const v of [a, b, c, d]) assert.ok(order.includes(v));
    const position = new Map(order.map((v, i) => [v, i]));
    for (const node of order) {
      for (const input of node.inputs) {
        assert.ok(position.get(input)! < position.get(node)!);
      }
    }
  });

  test("does not include nodes the root does not depend on", () => {
    const a = new Value(1);
    const unused = a.mul(3);
    const root = a.add(2);
    assert.ok(!topologicalOrder(root).includes(unused));
    assert.deepEqual(topologicalOrder(a), [a], "a leaf alone");
  });

  test("leaves every visited mark cleared", () => {
    const a = new Value(1);
    const root = a.mul(a).add(a.exp());
    const order = topologicalOrder(root);
    assert.ok(order.every((v) => v.visited === false));
    assert.deepEqual(topologicalOrder(root), order, "the same order again");
  });
});

// --- property tests: random graphs against finite differences --------------

/** One random operation applied to earlier nodes (domain-safe by construction). */
type RandomStep = { op: Operation | "constant-pow"; picks: number[] };

/**
 * Build a random graph over `leaves`: each step applies an operation to
 * earlier nodes (chosen by `picks`, so nodes get reused), keeping every
 * operation inside the region where it is smooth: log and division take
 * `1 + x²`-shaped positive arguments, pow a positive base, relu is avoided
 * near its kink by construction (its input is shifted away from 0).
 */
function buildRandomGraph(leaves: Value[], steps: RandomStep[]): Value {
  const nodes: Value[] = [...leaves];
  const pick = (k: number): Value => nodes[k % nodes.length];
  // Squash a node into (-2, 2) so chains of exp and pow stay well scaled.
  const squash = (v: Value): Value => v.tanh().mul(2);
  const positive = (v: Value): Value => v.mul(v).add(1); // >= 1
  for (const { op, picks } of steps) {
    const [i, j, k] = picks;
    let out: Value;
    switch (op) {
      case "+":
        out = pick(i).add(pick(j));
        break;
      case "-":
        out = pick(i).sub(pick(j));
        break;
      case "*":
        out = squash(pick(i)).mul(squash(pick(j)));
        break;
      case "/":
        out = pick(i).div(positive(squash(pick(j))));
        break;
      case "**":
        out = positive(squash(pick(i))).pow(squash(pick(j)));
        break;
      case "constant-pow":
        out = squash(pick(i)).pow((k % 3) + 2); // integer power 2..4
        break;
      case "neg":
        out = pick(i).neg();
        break;
      case "exp":
        out = squash(pick(i)).exp();
        break;
      case "log":
        out = positive(squash(pick(i))).log();
        break;
      case "tanh":
        out = pick(i).tanh();
        break;
      case "sigmoid":
        out = pick(i).sigmoid();
        break;
      case "relu":
        // relu of 3 + tanh(x) > 2 or of -3 + tanh(x) < -2: never at the kink
        out = squash(pick(i)).add(k % 2 === 0 ? 3 : -3).relu();
        break;
      case "sum":
        out = Value.sum([pick(i), pick(j), pick(k)]);
        break;
      case "dot":
        out = Value.dot([squash(pick(i)), pick(j)], [pick(k), squash(pick(i))]);
        break;
      case "logsumexp":
        out = Value.logSumExp([pick(i), pick(j), pick(k)]);
        break;
      default:
        throw new Error(`no such operation ${op}`);
    }
    nodes.push(out);
  }
  // The root depends on the last node and, through a sum, on every leaf, so
  // every input has a gradient to check.
  return Value.sum([squash(nodes[nodes.length - 1]), ...leaves.map(squash)]);
}

const randomStep: fc.Arbitrary<RandomStep> = fc.record({
  op: fc.constantFrom<RandomStep["op"]>(
    "+",
    "-",
    "*",
    "/",
    "**",
    "constant-pow",
    "neg",
    "exp",
    "log",
    "tanh",
    "sigmoid",
    "relu",
    "sum",
    "dot",
    "logsumexp",
  ),
  picks: fc.array(fc.nat(1000), { minLength: 3, maxLength: 3 }),
});

describe("property: autograd matches central finite differences", () => {
  test("on random expression graphs with reused nodes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(randomStep, { minLength: 1, maxLength: 12 }),
        (at, steps) => {
          const result = gradientCheck(
            (leaves) => buildRandomGraph(leaves, steps),
            at,
          );
          assert.ok(
            result.maxRelativeError < 1e-6,
            `max relative error ${result.maxRelativeError}: ${
              JSON.stringify(result.inputs)
            }`,
          );
        },
      ),
      { numRuns: 1000, seed: 20240601 },
    );
  });

  test("backward() gives the same gradients as a fresh graph each time", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(randomStep, { minLength: 1, maxLength: 8 }),
        (at, steps) => {
          const leaves = at.map((x) => new Value(x));
          const root = buildRandomGraph(leaves, steps);
          root.backward();
          const once = leaves.map((v) => v.grad);
          for (const leaf of leaves) leaf.grad = 0;
          root.backward();
          assert.deepEqual(leaves.map((v) => v.grad), once);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
