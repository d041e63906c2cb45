/**
 * The network diagram's arrow keys (`moveFocus`) and the neuron formula's
 * words and numbers (`neuronFormula`, `formatCell`, `readCoordinate`), pure
 * helpers of the playground.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type DiagramItem,
  moveFocus,
} from "../playground/training/network_keys.ts";
import {
  formatCell,
  inputNames,
  neuronFormula,
  POINT_LIMIT,
  readCoordinate,
} from "../playground/training/neuron_formula.ts";
import { FEATURE_NAMES } from "../src/features.ts";
import { MLP } from "../src/nn.ts";

/** Every item reachable from `start` with the arrow keys. */
function reachable(start: DiagramItem, counts: number[]): Set<string> {
  const key = (item: DiagramItem): string =>
    item.kind === "neuron"
      ? `n${item.column}:${item.index}`
      : `l${item.layer}:${item.neuron}:${item.input}`;
  const seen = new Map<string, DiagramItem>();
  const queue: DiagramItem[] = [start];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const item = queue.pop()!;
    const id = key(item) + (item.kind === "link" ? item.fan : "");
    if (visited.has(id)) continue;
    visited.add(id);
    seen.set(key(item), item);
    for (const k of ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]) {
      const next = moveFocus(item, k, counts);
      if (next) queue.push(next);
    }
  }
  return new Set(seen.keys());
}

describe("moveFocus", () => {
  it("reaches every neuron and every link from the first input", () => {
    const counts = [3, 4, 2, 1];
    const found = reachable({ kind: "neuron", column: 0, index: 0 }, counts);
    const neurons = counts.reduce((a, b) => a + b, 0);
    let links = 0;
    for (let c = 1; c < counts.length; c++) links += counts[c] * counts[c - 1];
    assert.equal(found.size, neurons + links);
  });

  it("keeps the fan it was entered from", () => {
    const counts = [2, 3];
    const fromTarget = moveFocus(
      { kind: "neuron", column: 1, index: 2 },
      "ArrowLeft",
      counts,
    );
    assert.deepEqual(fromTarget, {
      kind: "link",
      layer: 0,
      neuron: 2,
      input: 0,
      fan: "target",
    });
    assert.deepEqual(moveFocus(fromTarget!, "ArrowDown", counts), {
      ...fromTarget,
      input: 1,
    });
    assert.equal(
      moveFocus({ ...fromTarget!, input: 1 }, "ArrowDown", counts),
      null,
    );
  });

  it("ignores other keys and the edges", () => {
    const item = { kind: "neuron", column: 1, index: 0 } as const;
    assert.equal(moveFocus(item, "a", [2, 1]), null);
    assert.equal(moveFocus(item, "ArrowRight", [2, 1]), null);
    assert.equal(moveFocus(item, "ArrowUp", [2, 1]), null);
  });
});

describe("neuronFormula", () => {
  it("prints the library's output, and sums as MLP.activations does", () => {
    const model = new MLP(2, [3, 2], { seed: 4, features: ["x", "y2"] });
    const point = [0.3, -1.7];
    const layers = model.activations(point);
    const neuron = model.layers[1].neurons[1];
    const formula = neuronFormula({
      activation: neuron.activation,
      names: inputNames(1, 3, ["x", "y2"]),
      inputs: layers[0],
      weights: neuron.weights.map((w) => w.data),
      bias: neuron.bias.data,
      output: layers[1][1],
    });
    // The output layer is linear: the sum is the output, bit for bit.
    assert.equal(formula.preActivation, layers[1][1]);
    assert.match(formula.symbolic, /·L0:0 \+ .*·L0:2 \+ \S+ = \S+$/);
    assert.deepEqual(inputNames(0, 2, ["x", "y2"]), ["x", "y²"]);
  });

  it("writes the activation around the sum", () => {
    const formula = neuronFormula({
      activation: "tanh",
      names: ["x"],
      inputs: [0],
      weights: [2],
      bias: 0,
      output: 0,
    });
    assert.equal(formula.symbolic, "tanh(2·x + 0) = 0");
    assert.equal(formula.plugged, "tanh(2·0 + 0) = tanh(0) = 0");
  });
});

describe("formatCell", () => {
  it("fits 7 characters from 1e-9 to 1e9, either sign", () => {
    for (let exponent = -9; exponent <= 9; exponent += 0.137) {
      for (const sign of [1, -1]) {
        const value = sign * 10 ** exponent * 1.2345678;
        const text = formatCell(value);
        assert.ok(text.length <= 7, `${value} → ${text}`);
        // Close to the value: within 5% (2 significant digits at least).
        assert.ok(
          Math.abs(Number(text) - value) <= 0.05 * Math.abs(value),
          `${value} → ${text}`,
        );
      }
    }
  });
});

describe("readCoordinate", () => {
  it("refuses an empty field, a word, and anything beyond the limit", () => {
    assert.deepEqual(readCoordinate(" 1.5 ", "x"), { value: 1.5 });
    assert.deepEqual(readCoordinate("−2", "y"), { value: -2 });
    assert.deepEqual(readCoordinate(String(-POINT_LIMIT), "y"), {
      value: -POINT_LIMIT,
    });
    for (const text of ["", "  ", "abc", "1e300", "-1e999", "1000000.5"]) {
      assert.ok("refused" in readCoordinate(text, "x"), text);
    }
    const long = readCoordinate("9".repeat(400), "x");
    assert.ok("refused" in long && long.refused.length < 120, "shortened");
  });

  it("keeps every feature and activation finite at the limit", () => {
    const model = new MLP(FEATURE_NAMES.length, [16, 16, 1], {
      seed: 3,
      features: FEATURE_NAMES,
    });
    for (const x of [POINT_LIMIT, -POINT_LIMIT]) {
      for (const y of [POINT_LIMIT, -POINT_LIMIT]) {
        for (const layer of model.activations([x, y])) {
          assert.ok(layer.every(Number.isFinite), `at (${x}, ${y})`);
        }
      }
    }
  });
});
