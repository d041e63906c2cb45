/**
 * The network diagram's arrow keys (`moveFocus`) and the neuron formula's
 * words and numbers (`neuronFormula`), pure helpers of the playground.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type DiagramItem,
  moveFocus,
} from "../playground/training/network_keys.ts";
import {
  inputNames,
  neuronFormula,
} from "../playground/training/neuron_formula.ts";
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
