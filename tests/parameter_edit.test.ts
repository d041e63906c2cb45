/**
 * Editing one parameter by hand (`Trainer.setParameter`, the playground's
 * weight editor) reaches every path a step can take: the compiled tape
 * replays with the new value, the uncompiled graph is built from it, and
 * Adam's moments are read, not reset.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Trainer } from "../src/train.ts";

describe("Trainer.setParameter", () => {
  for (const compile of [true, false]) {
    it(`the next ${compile ? "compiled" : "uncompiled"} step uses the new value`, () => {
      const trainer = new Trainer({ compile });
      // Record (and replay) the tape before the edit.
      trainer.step();
      trainer.step();
      trainer.setParameter(0, 3, 1, 2.5);
      trainer.setParameter(1, 0, "bias", -0.75);
      // gradients() builds a fresh graph from the parameters' values.
      const expected = trainer.gradients();
      const stats = trainer.step();
      assert.equal(stats.loss, expected.loss);
      // And it is not what the unedited model gives.
      const unedited = new Trainer({ compile });
      unedited.step();
      unedited.step();
      assert.notEqual(unedited.step().loss, stats.loss);
    });
  }

  it("changes predictions and the grid at once", () => {
    const trainer = new Trainer();
    const before = trainer.model.predict([0.5, 0.5])[0];
    const grid = trainer.evaluateGrid(trainer.dataBounds(), 4);
    const last = trainer.model.layers.length - 1;
    const output = trainer.model.layers[last].neurons[0];
    trainer.setParameter(last, 0, "bias", output.bias.data + 1);
    // The output is linear: it moves by the bias's change (up to rounding).
    const after = trainer.model.predict([0.5, 0.5])[0];
    assert.ok(Math.abs(after - (before + 1)) < 1e-12);
    assert.notDeepEqual(trainer.evaluateGrid(trainer.dataBounds(), 4), grid);
  });

  it("keeps Adam's moments", () => {
    const trainer = new Trainer({ optimizer: "adam", learningRate: 0.05 });
    trainer.step();
    const before = trainer.optimizerMoments();
    trainer.setParameter(0, 0, 0, 1);
    assert.deepEqual(trainer.optimizerMoments(), before);
    assert.ok(before !== null && before.v.some((v) => v > 0));
  });

  it("refuses what does not exist", () => {
    const trainer = new Trainer({ hidden: [4] });
    assert.throws(() => trainer.setParameter(2, 0, 0, 1), RangeError);
    assert.throws(() => trainer.setParameter(0, 0, 2, 1), {
      message: /input must be an integer from 0 to 1/,
    });
    assert.throws(() => trainer.setParameter(0, 0, 0, NaN), RangeError);
    assert.throws(
      () => trainer.setParameter(0, 0, "b" as "bias", 1),
      TypeError,
    );
  });
});
