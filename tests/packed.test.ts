import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACTIVATIONS } from "../src/activation.ts";
import { MLP } from "../src/nn.ts";
import { PackedModel, predictAll } from "../src/packed.ts";
import { Rng } from "../src/random.ts";
import { Trainer } from "../src/train.ts";

/** Same bits, NaN and the sign of zero included. */
function assertSameBits(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Object.is(actual[i], expected[i]),
      `index ${i}: ${actual[i]} is not ${expected[i]}`,
    );
  }
}

describe("PackedModel", () => {
  for (const activation of ACTIVATIONS) {
    test(`every layer equals MLP.activations bit for bit (${activation})`, () => {
      const model = new MLP(2, [16, 16, 3], { activation, seed: 11 });
      const packed = new PackedModel(model);
      const rng = new Rng(4);
      for (let k = 0; k < 200; k++) {
        const point = [rng.uniform(-4, 4), rng.uniform(-4, 4)];
        packed.run(point);
        const expected = model.activations(point);
        packed.layers.forEach((layer, l) => assertSameBits(layer, expected[l]));
      }
    });
  }

  test("input features are computed as the model does", () => {
    const features = ["x2", "y2", "xy", "sinx", "siny"] as const;
    const model = new MLP(features.length, [8, 1], {
      features: [...features],
      seed: 2,
    });
    const packed = new PackedModel(model);
    for (const point of [[0.3, -2], [3, 3], [-1e3, 7]]) {
      assertSameBits(packed.run(point), model.predict(point));
    }
  });

  test("a model with no features reads any input size", () => {
    const model = new MLP(5, [4, 2], { seed: 9 });
    const input = [1, -2, 0.5, 3, -0.25];
    assertSameBits(new PackedModel(model).run(input), model.predict(input));
  });

  test("NaN in, NaN out (as the model)", () => {
    const model = new MLP(2, [4, 1], { seed: 1 });
    const scores = new PackedModel(model).run([NaN, 0]);
    assert.ok(Number.isNaN(scores[0]));
    assertSameBits(scores, model.predict([NaN, 0]));
  });

  test("a pack is a snapshot: later parameter changes are not seen", () => {
    const model = new MLP(2, [1], { seed: 1 });
    const packed = new PackedModel(model);
    const before = Array.from(packed.run([1, 1]));
    model.parameters()[0].data += 1;
    assert.deepEqual(Array.from(packed.run([1, 1])), before);
    assert.notDeepEqual(Array.from(new PackedModel(model).run([1, 1])), before);
  });

  test("predictAll equals predict point by point after training", () => {
    const trainer = new Trainer({ hidden: [8, 8], steps: 5 });
    for (let i = 0; i < 5; i++) trainer.step();
    const points = trainer.test.x;
    assert.deepEqual(
      predictAll(trainer.model, points),
      points.map((point) => trainer.model.predict(point)),
    );
  });
});
