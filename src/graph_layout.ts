/**
 * A left-to-right layered drawing of a graph of `Value`s, in the manner of
 * Graphviz's `dot` (Sugiyama's method), small enough to read in one sitting:
 *
 * 1. **Layers.** Each value gets a box and each operation a small node between
 *    its inputs and its output. Leaves start in layer 0 and every operation
 *    goes one layer right of its furthest input (longest path), its output box
 *    one further. A leaf is then moved right to just before its first use,
 *    as the lecture's drawings do, so constants sit next to where they act.
 * 2. **Long edges** get an invisible point in every layer they cross, so they
 *    are routed between the boxes instead of through them.
 * 3. **Order within layers**: repeated barycenter sweeps (each node moves to
 *    the average position of its neighbours in the previous layer, left to
 *    right then right to left), keeping the order with the fewest crossings.
 * 4. **Vertical positions**: each node is pulled towards the average height of
 *    its neighbours while keeping the order and a gap between boxes — an
 *    isotonic regression, solved exactly by pool-adjacent-violators — so
 *    chains come out straight and nothing overlaps.
 *
 * Pure: no DOM, sizes come from a fixed character width. No recursion, so a
 * chain of thousands of values cannot overflow the call stack, and the work
 * grows about linearly with the graph: the invisible points of long edges are
 * capped (past the cap the longest edges are drawn straight instead), and
 * each sweep sorts each layer once. {@linkcode layoutSteps} is the same work
 * as a generator that pauses every few hundred nodes, so a page can spread a
 * big layout over many short tasks. The layers can also run top to bottom
 * (`direction: "down"`), for narrow screens.
 *
 * @module
 */

import { topologicalOrder, type Value } from "./engine.ts";
import { nodeNames, operationSymbol } from "./graph_format.ts";

/** Tuning of {@linkcode layoutGraph}; every field has a default. */
export interface LayoutOptions {
  /** Width of one character of the (monospace) box text, in pixels. Default 7.2. */
  characterWidth?: number;
  /** Horizontal space between layers. Default 36. */
  layerGap?: number;
  /** Vertical space between two boxes in a layer. Default 12. */
  nodeGap?: number;
  /** Space around the drawing. Default 16. */
  margin?: number;
  /** Barycenter sweeps for crossing reduction. Default 16. */
  sweeps?: number;
  /**
   * Most invisible points placed on long edges, in all. Past it the longest
   * edges are drawn straight (they may pass over boxes) so a value used all
   * along a long chain cannot make the layout quadratic. Default: ten per
   * value, at least 2000.
   */
  maximumBends?: number;
  /**
   * Which way the graph grows from its leaves to its root: `"right"` (the
   * lecture's drawings, the default) or `"down"` (rows instead of columns,
   * for a narrow screen).
   */
  direction?: LayoutDirection;
  /**
   * Text for the operation node of some values instead of the op table's
   * symbol (a collapsed neuron drawn as `relu(w·x+b)`).
   */
  symbols?: ReadonlyMap<Value, string>;
}

/** Which way a layout grows from the leaves to the root. */
export type LayoutDirection = "right" | "down";

/** A point in drawing coordinates (y grows downwards). */
export interface Point {
  /** Horizontal, pixels from the left. */
  x: number;
  /** Vertical, pixels from the top. */
  y: number;
}

/** A drawn node: a value's box or an operation's node. */
export interface LayoutNode {
  /** `v<i>` for the box of value i, `o<i>` for the operation producing it. */
  key: string;
  /** Box of a value or node of an operation. */
  kind: "value" | "op";
  /** The value (for an operation node: the value it produces). */
  value: Value;
  /** The text in it: the value's name, or the operation's symbol. */
  text: string;
  /** Column, from 0 at the left. */
  layer: number;
  /** Left edge. */
  x: number;
  /** Top edge. */
  y: number;
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

/** An arrow from a box to an operation, or from an operation to its box. */
export interface LayoutEdge {
  /** Where it starts. */
  from: LayoutNode;
  /** Where it ends. */
  to: LayoutNode;
  /** How many times the value is used by the operation (`x*x`: 2). */
  count: number;
  /** The route: source's right side, points between boxes, target's left side. */
  points: Point[];
}

/** Everything needed to draw a graph. */
export interface GraphLayout {
  /** Boxes and operation nodes (value box `v<i>` before its operation's `o<i>`). */
  nodes: LayoutNode[];
  /** The arrows. */
  edges: LayoutEdge[];
  /** Total width of the drawing. */
  width: number;
  /** Total height of the drawing. */
  height: number;
  /** The values in topological order (index i is the `i` of `v<i>`). */
  order: Value[];
  /** The name shown for each value (its label or a short expression). */
  names: Map<Value, string>;
  /** How many pairs of edges cross (after crossing reduction). */
  crossings: number;
  /** Which way it grows: edges leave boxes on the right, or at the bottom. */
  direction: LayoutDirection;
}

/**
 * Geometry of a value box: the name on the left, data and grad stacked on
 * the right.
 *
 * ```text
 * ┌────┬─────────────┐
 * │ x1 │ data 2.0000 │
 * │    │ grad -1.500 │
 * └────┴─────────────┘
 * ```
 */
export interface ValueBoxGeometry {
  /** Width of the name cell. */
  labelWidth: number;
  /** Width of the data/grad cell. */
  numberWidth: number;
  /** Total width. */
  width: number;
  /** Height. */
  height: number;
}

/** Height of a value box (two rows of text). */
export const VALUE_BOX_HEIGHT = 34;
/** Height of an operation node. */
export const OPERATION_NODE_HEIGHT = 24;
/** Characters in a number row: "data " plus up to 10 for the number. */
const NUMBER_CELL_CHARACTERS = 15;
const CELL_PADDING = 7;

/**
 * The size of a value box whose name cell shows `text`. The number cell has
 * a fixed width, so a box keeps its size whatever its data and grad become.
 *
 * @param text the text of the name cell
 * @param characterWidth width of one character, in pixels
 * @returns the box's cells and size
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueBoxGeometry } from "./graph_layout.ts";
 * const box = valueBoxGeometry("x1", 7.2);
 * assert.equal(box.width, box.labelWidth + box.numberWidth);
 * ```
 */
export function valueBoxGeometry(
  text: string,
  characterWidth: number,
): ValueBoxGeometry {
  const labelWidth = Math.max(2, text.length) * characterWidth +
    2 * CELL_PADDING;
  const numberWidth = NUMBER_CELL_CHARACTERS * characterWidth +
    2 * CELL_PADDING;
  return {
    labelWidth,
    numberWidth,
    width: labelWidth + numberWidth,
    height: VALUE_BOX_HEIGHT,
  };
}

/**
 * The width of an operation node showing `symbol`.
 *
 * @param symbol the operation's symbol
 * @param characterWidth width of one character, in pixels
 * @returns the width in pixels
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { operationNodeWidth } from "./graph_layout.ts";
 * assert.equal(operationNodeWidth("+", 7.2), 32);
 * assert.ok(operationNodeWidth("sigmoid", 7.2) > 40);
 * ```
 */
export function operationNodeWidth(
  symbol: string,
  characterWidth: number,
): number {
  return Math.max(32, symbol.length * characterWidth + 18);
}

/** A node while laying out, including the invisible points of long edges. */
interface WorkNode {
  key: string;
  kind: "value" | "op" | "dummy";
  value: Value | null;
  text: string;
  layer: number;
  width: number;
  height: number;
  predecessors: number[];
  successors: number[];
  /** Position within its layer. */
  position: number;
  /** Vertical center. */
  center: number;
}

/** Height reserved for an edge passing through a layer. */
const DUMMY_HEIGHT = 2;
/** Space between an edge passing through and anything next to it. */
const DUMMY_GAP = 5;
/** {@linkcode layoutSteps} pauses after about this many nodes' work. */
const PAUSE_EVERY = 400;

/**
 * Lay out the graph under `root` from left (leaves) to right (`root`).
 *
 * @param root the value whose graph to lay out
 * @param options tuning; every field has a default
 * @returns positions of every box, operation node and edge
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { layoutGraph } from "./graph_layout.ts";
 * const a = new Value(2, "a"), b = new Value(-3, "b"), c = new Value(10, "c");
 * const d = a.mul(b).add(c);
 * d.label = "d";
 * const layout = layoutGraph(d);
 * // boxes a, b, a*b, c, d and operations * and +
 * assert.equal(layout.nodes.length, 7);
 * const box = (label: string) =>
 *   layout.nodes.find((n) => n.value.label === label && n.kind === "value")!;
 * assert.ok(box("a").x < box("d").x);
 * ```
 */
export function layoutGraph(
  root: Value,
  options: LayoutOptions = {},
): GraphLayout {
  const steps = layoutSteps(root, options);
  for (let step = steps.next();; step = steps.next()) {
    if (step.done) return step.value;
  }
}

/**
 * {@linkcode layoutGraph} as a generator that pauses (yields) every little
 * while, so a page can spread the layout of a big graph over several tasks
 * and never block for long: call `next()` until it is `done`; its `value`
 * is then the layout. Each pause comes after a bounded amount of work (a
 * layer, a pass over a few hundred nodes); the result is the same as
 * `layoutGraph`'s.
 *
 * @param root the value whose graph to lay out
 * @param options as for {@linkcode layoutGraph}
 * @returns a generator whose last value is the layout
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { layoutGraph, layoutSteps } from "./graph_layout.ts";
 * let x = new Value(1, "x");
 * for (let i = 0; i < 50; i++) x = x.mul(1.01);
 * const steps = layoutSteps(x);
 * let pauses = 0;
 * let step = steps.next();
 * for (; !step.done; step = steps.next()) pauses++;
 * assert.ok(pauses > 1);
 * assert.deepEqual(
 *   step.value.nodes.map((node) => [node.x, node.y]),
 *   layoutGraph(x).nodes.map((node) => [node.x, node.y]),
 * );
 * ```
 */
export function* layoutSteps(
  root: Value,
  options: LayoutOptions = {},
): Generator<void, GraphLayout, void> {
  const characterWidth = options.characterWidth ?? 7.2;
  const layerGap = options.layerGap ?? 36;
  const nodeGap = options.nodeGap ?? 12;
  const margin = options.margin ?? 16;
  const sweeps = options.sweeps ?? 16;
  const direction = options.direction ?? "right";
  const down = direction === "down";
  const symbols = options.symbols;

  const order = topologicalOrder(root);
  const names = nodeNames(order);
  const indexOf = new Map<Value, number>();
  order.forEach((value, i) => indexOf.set(value, i));
  yield;

  // 1. Layers: longest path from the leaves, then leaves moved right.
  const valueLayer = new Array<number>(order.length).fill(0);
  const consumers: number[][] = order.map(() => []);
  order.forEach((value, i) => {
    if (value.op === "") return;
    let furthest = 0;
    for (const input of value.inputs) {
      const j = indexOf.get(input) as number;
      furthest = Math.max(furthest, valueLayer[j]);
      consumers[j].push(i);
    }
    valueLayer[i] = furthest + 2; // operation at furthest + 1, box after it
  });
  order.forEach((value, i) => {
    if (value.op !== "" || consumers[i].length === 0) return;
    let first = Infinity;
    for (const consumer of consumers[i]) {
      first = Math.min(first, valueLayer[consumer] - 1);
    }
    valueLayer[i] = first - 1;
  });
  yield;

  // 2. Nodes and edges; long edges get one dummy node per layer crossed.
  const nodes: WorkNode[] = [];
  const valueNode = new Array<number>(order.length);
  const operationNode = new Array<number>(order.length).fill(-1);
  const addNode = (node: Omit<WorkNode, "position" | "center">): number => {
    nodes.push({ ...node, position: 0, center: 0 });
    return nodes.length - 1;
  };
  for (let i = 0; i < order.length; i++) {
    if (i % PAUSE_EVERY === PAUSE_EVERY - 1) yield;
    const value = order[i];
    const text = names.get(value) ?? "";
    valueNode[i] = addNode({
      key: `v${i}`,
      kind: "value",
      value,
      text,
      layer: valueLayer[i],
      width: valueBoxGeometry(text, characterWidth).width,
      height: VALUE_BOX_HEIGHT,
      predecessors: [],
      successors: [],
    });
    if (value.op !== "") {
      const symbol = symbols?.get(value) ?? operationSymbol(value);
      operationNode[i] = addNode({
        key: `o${i}`,
        kind: "op",
        value,
        text: symbol,
        layer: valueLayer[i] - 1,
        width: operationNodeWidth(symbol, characterWidth),
        height: OPERATION_NODE_HEIGHT,
        predecessors: [],
        successors: [],
      });
    }
  }
  const link = (from: number, to: number): void => {
    nodes[from].successors.push(to);
    nodes[to].predecessors.push(from);
  };
  // Edges longer than `straightFrom` layers get no invisible points: with
  // the cap on their number, a value used all along a chain stays linear.
  const spans: number[] = [];
  order.forEach((value, i) => {
    if (value.op === "") return;
    const seen = new Set<Value>();
    for (const input of value.inputs) {
      if (seen.has(input)) continue;
      seen.add(input);
      spans.push(valueLayer[i] - 2 - valueLayer[indexOf.get(input) as number]);
    }
  });
  const straightFrom = longestBentSpan(
    spans,
    options.maximumBends ?? Math.max(2000, 10 * order.length),
  );
  /** Edges as drawn: their chain of work nodes, first to last. */
  const chains: { nodes: number[]; count: number }[] = [];
  let work = 0;
  for (let i = 0; i < order.length; i++) {
    const value = order[i];
    if (value.op === "") continue;
    if (work > PAUSE_EVERY) {
      work = 0;
      yield;
    }
    work += value.inputs.length;
    const operation = operationNode[i];
    const counts = new Map<number, number>();
    for (const input of value.inputs) {
      const j = indexOf.get(input) as number;
      counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    for (const [j, count] of counts) {
      const chain = [valueNode[j]];
      const span = nodes[operation].layer - valueLayer[j] - 1;
      for (
        let layer = valueLayer[j] + 1;
        span <= straightFrom && layer < nodes[operation].layer;
        layer++
      ) {
        chain.push(addNode({
          key: `d${j}-${i}-${layer}`,
          kind: "dummy",
          value: null,
          text: "",
          layer,
          width: 0,
          height: DUMMY_HEIGHT,
          predecessors: [],
          successors: [],
        }));
      }
      chain.push(operation);
      for (let k = 1; k < chain.length; k++) link(chain[k - 1], chain[k]);
      chains.push({ nodes: chain, count });
      work += chain.length;
    }
    link(operation, valueNode[i]);
    chains.push({ nodes: [operation, valueNode[i]], count: 1 });
  }
  yield;

  // 3. Order within layers. Start from a depth-first walk from the root that
  // takes inputs in order, so `a - b` starts with a above b.
  // A loop, not Math.max(...array): spreading a huge array overflows the stack.
  let layerCount = 0;
  for (const node of nodes) layerCount = Math.max(layerCount, node.layer + 1);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  const placed = new Uint8Array(nodes.length);
  function* place(start: number): Generator<void, void, void> {
    const stack: [number, number][] = [[start, 0]];
    placed[start] = 1;
    let steps = 0;
    while (stack.length > 0) {
      if (++steps % (4 * PAUSE_EVERY) === 0) yield;
      const top = stack[stack.length - 1];
      const node = nodes[top[0]];
      if (top[1] < node.predecessors.length) {
        const next = node.predecessors[top[1]++];
        if (!placed[next]) {
          placed[next] = 1;
          stack.push([next, 0]);
        }
      } else {
        stack.pop();
        layers[node.layer].push(top[0]);
      }
    }
  }
  yield* place(valueNode[order.length - 1]);
  for (let i = 0; i < nodes.length; i++) {
    if (!placed[i]) yield* place(i);
  }
  const setPositions = (): void => {
    for (const layer of layers) {
      layer.forEach((node, position) => nodes[node].position = position);
    }
  };
  setPositions();
  yield;
  let best = layers.map((layer) => layer.slice());
  let bestCrossings = yield* countCrossings(nodes, layers);
  yield;
  for (let sweep = 0; sweep < sweeps && bestCrossings > 0; sweep++) {
    const forward = sweep % 2 === 0;
    const start = forward ? 1 : layerCount - 2;
    let work = 0;
    for (
      let l = start;
      forward ? l < layerCount : l >= 0;
      l += forward ? 1 : -1
    ) {
      work += layers[l].length + 8;
      if (work > PAUSE_EVERY) {
        work = 0;
        yield;
      }
      const barycenter = new Map<number, number>();
      for (const node of layers[l]) {
        const neighbours = forward
          ? nodes[node].predecessors
          : nodes[node].successors;
        if (neighbours.length === 0) {
          barycenter.set(node, nodes[node].position);
          continue;
        }
        let total = 0;
        for (const neighbour of neighbours) total += nodes[neighbour].position;
        barycenter.set(node, total / neighbours.length);
      }
      // Array.prototype.sort is stable: ties keep their current order.
      layers[l].sort((a, b) =>
        (barycenter.get(a) as number) - (barycenter.get(b) as number)
      );
      layers[l].forEach((node, position) => nodes[node].position = position);
    }
    yield;
    const crossings = yield* countCrossings(nodes, layers);
    yield;
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layers.map((layer) => layer.slice());
    }
  }
  for (let l = 0; l < layerCount; l++) layers[l] = best[l];
  setPositions();

  // 4. Positions across the layers (vertical when growing right). A node's
  // breadth is its size across its layer, its depth its size along.
  const breadth = (node: WorkNode): number =>
    node.kind === "dummy" ? DUMMY_HEIGHT : down ? node.width : node.height;
  const depth = (node: WorkNode): number =>
    node.kind === "dummy" ? 0 : down ? node.height : node.width;
  const separation = (a: WorkNode, b: WorkNode): number =>
    (breadth(a) + breadth(b)) / 2 +
    (a.kind === "dummy" || b.kind === "dummy" ? DUMMY_GAP : nodeGap);
  for (const layer of layers) {
    let center = 0;
    layer.forEach((node, k) => {
      if (k > 0) center += separation(nodes[layer[k - 1]], nodes[node]);
      nodes[node].center = center;
    });
    const middle = center / 2;
    for (const node of layer) nodes[node].center -= middle;
  }
  function* relax(
    towards: "down" | "up" | "both",
  ): Generator<void, void, void> {
    const sequence = [...layers.keys()];
    if (towards === "up") sequence.reverse();
    let work = 0;
    for (const l of sequence) {
      const layer = layers[l];
      work += layer.length + 8;
      if (work > PAUSE_EVERY) {
        work = 0;
        yield;
      }
      const desired = layer.map((index) => {
        const node = nodes[index];
        const neighbours = towards === "down"
          ? node.predecessors
          : towards === "up"
          ? node.successors
          : [...node.predecessors, ...node.successors];
        if (neighbours.length === 0) return node.center;
        let total = 0;
        for (const neighbour of neighbours) total += nodes[neighbour].center;
        return total / neighbours.length;
      });
      const gaps = layer.map((index, k) =>
        k === 0 ? 0 : separation(nodes[layer[k - 1]], nodes[index])
      );
      const centers = placeInOrder(desired, gaps);
      layer.forEach((index, k) => nodes[index].center = centers[k]);
    }
  }
  for (let round = 0; round < 6; round++) {
    yield* relax("down");
    yield* relax("up");
  }
  yield* relax("both");
  yield* relax("both");
  // Last, each node at the mean of its inputs: chains come out level.
  yield* relax("down");

  // 5. Coordinates: columns (rows, growing down) as deep as their deepest
  // node. `layerWidth` and `layerX` are along the direction of growth.
  const layerWidth = layers.map((layer) => {
    let widest = 0;
    for (const index of layer) widest = Math.max(widest, depth(nodes[index]));
    return widest;
  });
  const layerX: number[] = [];
  let x = margin;
  for (let l = 0; l < layerCount; l++) {
    layerX.push(x);
    x += layerWidth[l] + (layerWidth[l] > 0 ? layerGap : layerGap / 2);
  }
  const width = x - (layerWidth[layerCount - 1] > 0 ? layerGap : layerGap / 2) +
    margin;
  let top = Infinity, bottom = -Infinity;
  for (const node of nodes) {
    top = Math.min(top, node.center - breadth(node) / 2);
    bottom = Math.max(bottom, node.center + breadth(node) / 2);
  }
  const shift = margin - top;
  yield;
  const result = new Map<number, LayoutNode>();
  nodes.forEach((node, i) => {
    if (node.kind === "dummy") return;
    const along = layerX[node.layer] +
      (layerWidth[node.layer] - depth(node)) / 2;
    const across = node.center + shift - breadth(node) / 2;
    result.set(i, {
      key: node.key,
      kind: node.kind,
      value: node.value as Value,
      text: node.text,
      layer: node.layer,
      x: down ? across : along,
      y: down ? along : across,
      width: node.width,
      height: node.height,
    });
  });
  /** A point at `along` in the direction of growth, `across` the other way. */
  const at = (along: number, across: number): Point =>
    down ? { x: across, y: along } : { x: along, y: across };
  const edges: LayoutEdge[] = chains.map((chain) => {
    const from = result.get(chain.nodes[0]) as LayoutNode;
    const to = result.get(chain.nodes[chain.nodes.length - 1]) as LayoutNode;
    const points: Point[] = [
      down
        ? { x: from.x + from.width / 2, y: from.y + from.height }
        : { x: from.x + from.width, y: from.y + from.height / 2 },
    ];
    for (const index of chain.nodes.slice(1, -1)) {
      const node = nodes[index];
      // Through the whole column, level, in the gap reserved for it.
      points.push(at(layerX[node.layer], node.center + shift));
      points.push(
        at(layerX[node.layer] + layerWidth[node.layer], node.center + shift),
      );
    }
    points.push(
      down
        ? { x: to.x + to.width / 2, y: to.y }
        : { x: to.x, y: to.y + to.height / 2 },
    );
    return { from, to, count: chain.count, points };
  });
  const across = bottom - top + 2 * margin;
  return {
    nodes: [...result.values()],
    edges,
    width: down ? across : width,
    height: down ? width : across,
    order,
    names,
    crossings: bestCrossings,
    direction,
  };
}

/**
 * Centers as close as possible (least squares) to `desired`, keeping their
 * order and at least `gaps[k]` between center k-1 and center k.
 *
 * Writing `center[k] = offset[k] + z[k]` with `offset` the running sum of the
 * gaps turns the constraints into `z` non-decreasing, and the closest
 * non-decreasing sequence to `desired - offset` is its isotonic regression:
 * pool adjacent violators, merging neighbouring blocks into their mean.
 */
function placeInOrder(desired: number[], gaps: number[]): number[] {
  const offsets: number[] = [];
  let running = 0;
  for (let k = 0; k < desired.length; k++) {
    running += gaps[k];
    offsets.push(running);
  }
  const blockMean: number[] = [];
  const blockSize: number[] = [];
  for (let k = 0; k < desired.length; k++) {
    let mean = desired[k] - offsets[k];
    let size = 1;
    while (blockMean.length > 0 && blockMean[blockMean.length - 1] > mean) {
      const previousSize = blockSize.pop() as number;
      const previousMean = blockMean.pop() as number;
      mean = (mean * size + previousMean * previousSize) /
        (size + previousSize);
      size += previousSize;
    }
    blockMean.push(mean);
    blockSize.push(size);
  }
  const centers: number[] = [];
  blockMean.forEach((mean, b) => {
    for (let k = 0; k < blockSize[b]; k++) {
      centers.push(offsets[centers.length] + mean);
    }
  });
  return centers;
}

/**
 * Edge crossings between consecutive layers (inversions, by merge sort);
 * pauses now and then, as {@linkcode layoutSteps} does.
 */
function* countCrossings(
  nodes: WorkNode[],
  layers: number[][],
): Generator<void, number, void> {
  let total = 0;
  let work = 0;
  for (const layer of layers) {
    work += layer.length + 8;
    if (work > PAUSE_EVERY) {
      work = 0;
      yield;
    }
    const pairs: [number, number][] = [];
    for (const index of layer) {
      for (const successor of nodes[index].successors) {
        pairs.push([nodes[index].position, nodes[successor].position]);
      }
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    total += countInversions(pairs.map((pair) => pair[1]));
  }
  return total;
}

/**
 * The largest edge span (in layers crossed) that still gets invisible
 * points, so that all such points together stay within `budget`: longest
 * edges are drawn straight first.
 */
function longestBentSpan(spans: number[], budget: number): number {
  let total = 0;
  for (const span of spans) total += span;
  if (total <= budget) return Infinity;
  const sorted = spans.slice().sort((a, b) => b - a);
  let k = 0;
  while (k < sorted.length && total > budget) {
    // Edges of equal span go straight together, so the rule is one number.
    const span = sorted[k];
    while (k < sorted.length && sorted[k] === span) total -= sorted[k++];
  }
  return k < sorted.length ? sorted[k] : 0;
}

/**
 * Inversions in `values` (pairs i < j with values[i] > values[j]), by a
 * bottom-up merge sort: O(n log n) and no recursion. Sorts `values`.
 */
function countInversions(values: number[]): number {
  let count = 0;
  let source = values, target = new Array<number>(values.length);
  for (let width = 1; width < values.length; width *= 2) {
    for (let start = 0; start < values.length; start += 2 * width) {
      const middle = Math.min(start + width, values.length);
      const end = Math.min(start + 2 * width, values.length);
      let i = start, j = middle, k = start;
      while (i < middle && j < end) {
        if (source[i] <= source[j]) target[k++] = source[i++];
        else {
          target[k++] = source[j++];
          count += middle - i;
        }
      }
      while (i < middle) target[k++] = source[i++];
      while (j < end) target[k++] = source[j++];
    }
    [source, target] = [target, source];
  }
  return count;
}

/**
 * The SVG path data of an edge through `points` (from a layout's
 * {@linkcode LayoutEdge}), with horizontal tangents at each point so edges
 * leave and enter boxes level. Coordinates are rounded to a tenth of a pixel:
 * shorter text, the same picture.
 *
 * @param points The edge's points, at least one.
 * @param direction `"down"` for a layout growing down: vertical tangents,
 *   so edges leave and enter boxes straight down.
 * @returns The `d` attribute of an SVG `<path>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { edgePath } from "./graph_layout.ts";
 * assert.equal(edgePath([{ x: 0, y: 0 }, { x: 10, y: 0 }]), "M0,0 L10,0");
 * assert.equal(edgePath([{ x: 0, y: 0 }, { x: 10, y: 4 }]), "M0,0 C5,0 5,4 10,4");
 * assert.equal(edgePath([{ x: 0, y: 0 }, { x: 4, y: 10 }], "down"), "M0,0 C0,5 4,5 4,10");
 * ```
 */
export function edgePath(
  points: readonly Point[],
  direction: LayoutDirection = "right",
): string {
  const r = (x: number): string => String(Math.round(x * 10) / 10);
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1], b = points[k];
    if (direction === "down") {
      if (a.x === b.x) {
        d += ` L${r(b.x)},${r(b.y)}`;
        continue;
      }
      const middle = (a.y + b.y) / 2;
      d += ` C${r(a.x)},${r(middle)} ${r(b.x)},${r(middle)} ${r(b.x)},${
        r(b.y)
      }`;
      continue;
    }
    if (a.y === b.y) {
      d += ` L${r(b.x)},${r(b.y)}`;
      continue;
    }
    const middle = (a.x + b.x) / 2;
    d += ` C${r(middle)},${r(a.y)} ${r(middle)},${r(b.y)} ${r(b.x)},${r(b.y)}`;
  }
  return d;
}
