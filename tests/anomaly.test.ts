/**
 * findAnomaly: where a NaN or an infinity was born, in data and in grads.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { topologicalOrder, Value } from "../src/engine.ts";
import { findAnomaly } from "../src/anomaly.ts";

describe("findAnomaly", () => {
  test("returns null when every data and grad is finite", () => {
    const x = new Value(0.5, "x");
    const y = x.tanh().mul(3).exp();
    assert.equal(findAnomaly(y), null);
    y.backward();
    assert.equal(findAnomaly(y), null);
  });

  test("points at the log of a negative number, not at the NaN loss downstream", () => {
    const x = new Value(-1, "x");
    const h = x.log();
    h.label = "h1";
    const loss = h.tanh().mul(2).add(Value.sum([h, 1]));
    loss.backward();
    const anomaly = findAnomaly(loss)!;
    assert.equal(anomaly.node, h);
    assert.equal(anomaly.field, "data");
    assert.equal(anomaly.op, "log");
    assert.deepEqual(anomaly.inputs, [-1]);
    assert.equal(anomaly.index, topologicalOrder(loss).indexOf(h));
    assert.equal(
      anomaly.message,
      `log of -1 gave NaN at node #${anomaly.index} (label h1): the logarithm of a negative number is NaN`,
    );
  });

  test("explains the usual ways a number stops being finite", () => {
    const cases: [string, () => Value, RegExp][] = [
      [
        "log of 0",
        () => new Value(0).log(),
        /log of 0 gave -Infinity.*logarithm of 0/,
      ],
      [
        "division by 0",
        () => new Value(1).div(0),
        /div of 1, 0 gave Infinity.*division by zero/,
      ],
      [
        "exp overflow",
        () => new Value(800).exp(),
        /exp of 800 gave Infinity.*709\.78/,
      ],
      [
        "a negative base to a fractional power",
        () => new Value(-8).pow(1 / 3),
        /pow of -8 \(exponent 0\.333\d*\) gave NaN.*fractional power/,
      ],
      [
        "0 to a negative power",
        () => new Value(0).pow(new Value(-1)),
        /0 to a negative power/,
      ],
      [
        "overflow of a product",
        () => new Value(1e200).mul(1e200),
        /mul of 1e\+200, 1e\+200 gave Infinity.*too large/,
      ],
      [
        "overflow of a sum",
        () => Value.sum([1e308, 1e308]),
        /sum of 1e\+308, 1e\+308 gave Infinity/,
      ],
    ];
    for (const [name, make, expected] of cases) {
      const anomaly = findAnomaly(make().tanh());
      assert.ok(anomaly, name);
      assert.equal(anomaly.field, "data", name);
      assert.match(anomaly.message, expected, name);
    }
  });

  test("reports a non-finite leaf as where the NaN came from", () => {
    const w = new Value(NaN, "w");
    const anomaly = findAnomaly(w.mul(2).relu())!;
    assert.equal(anomaly.node, w);
    assert.equal(anomaly.op, "");
    assert.deepEqual(anomaly.inputs, []);
    assert.match(anomaly.message, /leaf node #\d+ \(label w\) holds NaN/);
  });

  test("reports the first birth in forward order when there are several", () => {
    const a = new Value(-1, "a");
    const first = a.log(); // NaN, earlier
    first.label = "first";
    const second = new Value(0).log(); // -Infinity, later
    const root = first.add(second);
    const anomaly = findAnomaly(root)!;
    const order = topologicalOrder(root);
    assert.equal(anomaly.node, first);
    assert.ok(order.indexOf(first) < order.indexOf(second));
  });

  test("finds a gradient that blew up although every data is finite", () => {
    // sqrt(x) at 0 is 0, but its derivative 1/(2 sqrt x) is Infinity there.
    const x = new Value(0, "x");
    const root = x.pow(0.5).add(1);
    root.backward();
    const anomaly = findAnomaly(root)!;
    assert.equal(anomaly.field, "grad");
    assert.equal(anomaly.node, x);
    assert.equal(anomaly.index, 0);
    assert.match(
      anomaly.message,
      /the grad of node #0 \(label x\) is Infinity.*pow at node #1 \(inputs 0, exponent 0\.5\)/,
    );
  });

  test("checks grads in backward order: the first bad grad nearest the root", () => {
    // zero = z - z holds 0; sqrt(zero) has derivative 1/(2·0) = Infinity, so
    // zero.grad is born Infinity; it then reaches z as Infinity - Infinity =
    // NaN. The report names zero, where it started, not z.
    const z = new Value(2, "z");
    const zero = z.sub(z);
    zero.label = "zero";
    const root = zero.pow(0.5).mul(3).add(z);
    root.backward();
    assert.ok(Number.isNaN(z.grad));
    const anomaly = findAnomaly(root)!;
    assert.equal(anomaly.field, "grad");
    assert.equal(anomaly.node, zero);
    assert.equal(anomaly.op, "-");
    assert.deepEqual(anomaly.inputs, [2, 2]);
  });

  test("a data anomaly is reported before any grad anomaly", () => {
    const x = new Value(-2, "x");
    const root = x.log().add(x.pow(0.5));
    root.backward();
    assert.equal(findAnomaly(root)!.field, "data");
  });

  test("works on a deep graph", () => {
    let v = new Value(1, "start");
    for (let i = 0; i < 100_000; i++) v = v.mul(1.01);
    const anomaly = findAnomaly(v.add(0))!;
    assert.equal(anomaly.field, "data");
    assert.equal(anomaly.op, "*");
    assert.ok(Number.isFinite(anomaly.inputs[0]));
  });

  test("rejects a non-Value root with a TypeError naming it", () => {
    assert.throws(
      () => findAnomaly(null as unknown as Value),
      (e: unknown) =>
        e instanceof TypeError && /findAnomaly.*got null/.test(e.message),
    );
  });
});
