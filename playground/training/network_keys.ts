/**
 * Arrow-key moves in the network diagram, as a pure function: the diagram
 * is one tab stop and the arrows walk its neurons and links.
 *
 * - On a neuron: ↑/↓ the neuron above or below in its column, Home/End
 *   the column's first or last; → its first outgoing link, ← its first
 *   incoming link.
 * - On a link: ↑/↓ the neighbouring link of the same fan (the links that
 *   leave the neuron it was entered from, or that arrive at it), → the
 *   neuron it goes to, ← the neuron it comes from.
 *
 * Every link is reachable: → from a neuron, then ↑/↓ through its fan.
 *
 * @module
 */

/** A neuron: column 0 holds the inputs, column `c` the layer `c - 1`. */
export interface NeuronItem {
  kind: "neuron";
  column: number;
  index: number;
}

/**
 * A link of `MLPJson.layers[layer][neuron].weights[input]`, from neuron
 * `input` of column `layer` to neuron `neuron` of column `layer + 1`;
 * `fan` says which end it was reached from (the end ↑/↓ keep).
 */
export interface LinkItem {
  kind: "link";
  layer: number;
  neuron: number;
  input: number;
  fan: "source" | "target";
}

/** What the diagram's focus is on. */
export type DiagramItem = NeuronItem | LinkItem;

/**
 * Where `key` moves the focus from `item`, in a network whose columns have
 * `counts` neurons (`[nin, ...sizes]`); `null` when the key does not move
 * it (an edge, or another key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { moveFocus } from "./network_keys.ts";
 * const counts = [2, 3, 1];
 * const input = { kind: "neuron", column: 0, index: 1 } as const;
 * assert.deepEqual(moveFocus(input, "ArrowUp", counts), { kind: "neuron", column: 0, index: 0 });
 * const link = moveFocus(input, "ArrowRight", counts);
 * assert.deepEqual(link, { kind: "link", layer: 0, neuron: 0, input: 1, fan: "source" });
 * assert.deepEqual(moveFocus(link!, "ArrowDown", counts), { ...link, neuron: 1 });
 * assert.deepEqual(moveFocus(link!, "ArrowRight", counts), { kind: "neuron", column: 1, index: 0 });
 * assert.equal(moveFocus(input, "ArrowLeft", counts), null);
 * ```
 */
export function moveFocus(
  item: DiagramItem,
  key: string,
  counts: readonly number[],
): DiagramItem | null {
  const last = counts.length - 1;
  if (item.kind === "neuron") {
    const { column, index } = item;
    const size = counts[column];
    const at = (i: number): NeuronItem | null =>
      i >= 0 && i < size && i !== index
        ? { kind: "neuron", column, index: i }
        : null;
    switch (key) {
      case "ArrowUp":
        return at(index - 1);
      case "ArrowDown":
        return at(index + 1);
      case "Home":
        return at(0);
      case "End":
        return at(size - 1);
      case "ArrowRight":
        return column < last
          ? {
            kind: "link",
            layer: column,
            neuron: 0,
            input: index,
            fan: "source",
          }
          : null;
      case "ArrowLeft":
        return column > 0
          ? {
            kind: "link",
            layer: column - 1,
            neuron: index,
            input: 0,
            fan: "target",
          }
          : null;
      default:
        return null;
    }
  }
  const { layer, neuron, input, fan } = item;
  // Along the fan: the far end varies, the end it was entered from stays.
  const along = (step: number): LinkItem | null => {
    if (fan === "source") {
      const next = neuron + step;
      return next >= 0 && next < counts[layer + 1]
        ? { ...item, neuron: next }
        : null;
    }
    const next = input + step;
    return next >= 0 && next < counts[layer] ? { ...item, input: next } : null;
  };
  switch (key) {
    case "ArrowUp":
      return along(-1);
    case "ArrowDown":
      return along(1);
    case "ArrowRight":
      return { kind: "neuron", column: layer + 1, index: neuron };
    case "ArrowLeft":
      return { kind: "neuron", column: layer, index: input };
    default:
      return null;
  }
}
