/**
 * gradientCheck: central finite differences against autograd.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Value } from "../src/engine.ts";
import { gradientCheck } from "../src/gradcheck.ts";

describe("gradientCheck", () => {
  test("agrees with autograd on a smooth function and reports each input", () => {
    // f(x, y) = x·y + tanh(x): df/dx = y + 1 - tanh²x, df/dy = x
    const result = gradientCheck(
      ([x, y]) => x.mul(y).add(x.tanh()),
      [0.5, -2],
    );
    assert.equal(result.value, 0.5 * -2 + Math.tanh(0.5));
    assert.equal(result.inputs.length, 2);
    assert.deepEqual(result.inputs.map((i) => i.index), [0, 1]);
    assert.equal(result.inputs[0].analytic, -2 + 1 - Math.tanh(0.5) ** 2);
    assert.equal(result.inputs[1].analytic, 0.5);
    for (const input of result.inputs) {
      assert.ok(Math.abs(input.numeric - input.analytic) < 1e-8);
      assert.ok(input.relativeError < 1e-8);
    }
    assert.equal(
      result.maxRelativeError,
      Math.max(...result.inputs.map((i) => i.relativeError)),
    );
  });

  test("catches a wrong gradient: an operand read as a plain number is a constant to autograd", () => {
    // x.mul(x.data) computes x² but autograd only sees x·c, so it reports
    // d/dx = x instead of 2x: the check must flag it.
    const result = gradientCheck(([x]) => x.mul(x.data), [3]);
    assert.equal(result.inputs[0].analytic, 3);
    assert.ok(Math.abs(result.inputs[0].numeric - 6) < 1e-6);
    assert.ok(result.maxRelativeError > 0.4);
  });

  test("is relative for large gradients and absolute for small ones", () => {
    // d(1e6·x²)/dx = 2e6·x: relative error stays tiny though the absolute
    // difference is far above 1e-8.
    const large = gradientCheck(([x]) => x.mul(x).mul(1e6), [100]);
    assert.ok(large.maxRelativeError < 1e-8);
    // A gradient that is exactly 0 is matched by a finite difference of ~0.
    const flat = gradientCheck(([x, y]) => x.mul(2).add(y.mul(0)), [1, 5]);
    assert.equal(flat.inputs[1].analytic, 0);
    assert.ok(flat.inputs[1].relativeError < 1e-9);
  });

  test("checks every engine operation", () => {
    const functions: [string, (v: Value[]) => Value, number[]][] = [
      ["sub and div", ([a, b]) => a.sub(b).div(b.add(3)), [0.7, 1.2]],
      ["pow with a number", ([a]) => a.pow(3.5), [1.3]],
      ["pow with a Value", ([a, b]) => a.pow(b), [1.3, -0.8]],
      ["neg, exp, log", ([a]) => a.neg().exp().add(1).log(), [0.4]],
      ["relu, sigmoid", ([a, b]) => a.relu().mul(b.sigmoid()), [0.9, -0.3]],
      ["sum", ([a, b, c]) => Value.sum([a, b.mul(b), c, a]), [1, 2, 3]],
      ["dot", ([a, b, c]) => Value.dot([a, b], [c, a]), [0.5, -1, 2]],
      ["logsumexp", ([a, b]) => Value.logSumExp([a, b, a.mul(b)]), [0.1, 2]],
    ];
    for (const [name, f, at] of functions) {
      const result = gradientCheck(f, at);
      assert.ok(
        result.maxRelativeError < 1e-7,
        `${name}: ${result.maxRelativeError}`,
      );
    }
  });

  test("calls f on fresh leaves each time, labelled x0, x1, ...", () => {
    const seen: Value[][] = [];
    gradientCheck((inputs) => {
      seen.push(inputs);
      return inputs[0].mul(inputs[1]);
    }, [1, 2]);
    assert.equal(seen.length, 1 + 2 * 2, "once for autograd, twice per input");
    assert.equal(new Set(seen.flat()).size, seen.length * 2, "no leaf reused");
    assert.deepEqual(seen[0].map((v) => v.label), ["x0", "x1"]);
  });

  test("a function of no inputs has no error", () => {
    const result = gradientCheck(() => new Value(4).mul(2), []);
    assert.deepEqual(result, { value: 8, inputs: [], maxRelativeError: 0 });
  });

  test("the step option changes the difference", () => {
    const coarse = gradientCheck(([x]) => x.exp(), [0], { step: 0.1 });
    const fine = gradientCheck(([x]) => x.exp(), [0], { step: 1e-6 });
    // central difference of e^x at 0 with step h: sinh(h)/h
    assert.ok(
      Math.abs(coarse.inputs[0].numeric - Math.sinh(0.1) / 0.1) < 1e-12,
    );
    assert.ok(fine.maxRelativeError < coarse.maxRelativeError);
  });

  test("a non-finite gradient is an infinite error unless both agree", () => {
    // d(sqrt x)/dx at 0 is Infinity for autograd; the difference is finite.
    const result = gradientCheck(([x]) => x.pow(0.5), [0]);
    assert.equal(result.inputs[0].analytic, Infinity);
    assert.equal(result.maxRelativeError, Infinity);
  });

  describe("bad input", () => {
    test("f must be a function", () => {
      assert.throws(
        () => gradientCheck("x" as unknown as () => Value, [1]),
        (e: unknown) =>
          e instanceof TypeError &&
          /f must be a function.*a string/.test(e.message),
      );
    });
    test("at must be an array of finite numbers", () => {
      const f = ([x]: Value[]) => x.mul(2);
      assert.throws(
        () => gradientCheck(f, 1 as unknown as number[]),
        (e: unknown) =>
          e instanceof TypeError &&
          /at must be an array.*the number 1/.test(e.message),
      );
      assert.throws(
        () => gradientCheck(f, [1, "2" as unknown as number]),
        (e: unknown) =>
          e instanceof TypeError && /at\[1\].*a string \("2"\)/.test(e.message),
      );
      assert.throws(
        () => gradientCheck(f, [NaN]),
        (e: unknown) =>
          e instanceof RangeError && /at\[0\].*NaN/.test(e.message),
      );
      assert.throws(() => gradientCheck(f, [Infinity]), RangeError);
    });
    test("the step must be a positive finite number", () => {
      const f = ([x]: Value[]) => x.mul(2);
      for (const step of [0, -1e-6, Infinity, NaN]) {
        assert.throws(
          () => gradientCheck(f, [1], { step }),
          (e: unknown) =>
            e instanceof RangeError && /options\.step/.test(e.message),
        );
      }
      assert.throws(
        () => gradientCheck(f, [1], { step: "1e-6" as unknown as number }),
        (e: unknown) =>
          e instanceof TypeError && /options\.step.*a string/.test(e.message),
      );
      assert.throws(
        () => gradientCheck(f, [1], null as unknown as { step: number }),
        (e: unknown) =>
          e instanceof TypeError && /options.*null/.test(e.message),
      );
    });
    test("unknown options are refused by name; PyTorch's eps suggests step", () => {
      const f = ([x]: Value[]) => x.mul(2);
      assert.throws(() => gradientCheck(f, [1], { eps: 1e-6 } as never), {
        name: "FieldRangeError",
        message:
          'gradientCheck: unknown option "eps" (did you mean "step"?); allowed options are step',
      });
      assert.throws(() => gradientCheck(f, [1], { h: 1e-6 } as never), {
        name: "FieldRangeError",
        message: /unknown option "h" \(did you mean "step"\?\)/,
      });
      assert.throws(() => gradientCheck(f, [1], { atol: 1e-6 } as never), {
        name: "FieldRangeError",
        message: /unknown option "atol"/,
      });
      assert.throws(
        () => gradientCheck(f, [1], [] as never),
        (e: unknown) => e instanceof TypeError && /options/.test(String(e)),
      );
    });
    test("f must return a Value", () => {
      assert.throws(
        () => gradientCheck(() => 3 as unknown as Value, [1]),
        (e: unknown) =>
          e instanceof TypeError &&
          /f must return a Value, got the number 3/.test(e.message),
      );
    });
  });
});
