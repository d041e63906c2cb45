/**
 * How drawings of a graph write numbers and name nodes: fixed-width numbers
 * for the boxes (so a box never changes size when its data changes), short
 * ones for formulas, and a readable name for every node, labelled or not.
 * Shared by `layoutGraph`, `toSvg` and the playground's graph explorer.
 *
 * @module
 */

import type { Value } from "./engine.ts";
import { operationLabel, OPERATIONS } from "./ops.ts";

/**
 * A number for a value box, at most 10 characters: 4 decimals like
 * micrograd's drawings (`0.7071`, `-1.5000`), exponent form when it would
 * not fit or would round to zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBoxNumber } from "./graph_format.ts";
 * assert.equal(formatBoxNumber(0.70710678), "0.7071");
 * assert.equal(formatBoxNumber(-1.5), "-1.5000");
 * assert.equal(formatBoxNumber(1e12), "1.00e+12");
 * assert.equal(formatBoxNumber(1e21), "1.00e+21");
 * assert.equal(formatBoxNumber(1e-7), "1.00e-7");
 * ```
 */
export function formatBoxNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  const text = x.toFixed(4);
  // From 1e21 on, toFixed itself switches to exponent form ("1e+21").
  if (
    text.length > 10 || magnitude >= 1e21 ||
    (magnitude !== 0 && magnitude < 5e-5)
  ) {
    return x.toExponential(2);
  }
  // "-0.0000" for a tiny negative number reads as a sign error; drop the sign.
  return text === "-0.0000" ? "0.0000" : text;
}

/**
 * A number for a formula: up to 4 significant digits without trailing zeros
 * (`-3`, `0.5`, `0.7071`), exponent form for very large or small numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatShortNumber } from "./graph_format.ts";
 * assert.equal(formatShortNumber(-3), "-3");
 * assert.equal(formatShortNumber(0.4999999999999999), "0.5");
 * assert.equal(formatShortNumber(1234567), "1.235e+6");
 * ```
 */
export function formatShortNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e5 || magnitude < 1e-4) {
    const [mantissa, exponent] = x.toExponential(3).split("e");
    return `${String(Number(mantissa))}e${exponent}`;
  }
  return String(Number(x.toPrecision(4)));
}

/** Longer synthesized names are replaced by a short one (`mul2`). */
const MAXIMUM_NAME_LENGTH = 20;

/** Whether `text` is one parenthesised group, like `(a+b)` (not `(a)*(b)`). */
function isOneGroup(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0 && i < text.length - 1) {
      return false;
    }
  }
  return true;
}

/**
 * Names for every node of a graph, for formulas: a node's label if it has
 * one, the number itself for an unlabelled leaf (a constant), and for an
 * unlabelled operation a short expression of its inputs' names, like
 * `(x1*w1)` or `tanh(x*w)`. An expression longer than 20 characters gives
 * way to the operation's name and a counter, `mul1`, `add2`, `tanh1` (never
 * one of the graph's labels), so every name stays short and readable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topologicalOrder, Value } from "./engine.ts";
 * import { nodeNames } from "./graph_format.ts";
 * const x = new Value(2, "x"), w = new Value(-3, "w");
 * const y = x.mul(w).add(1);
 * y.label = "y";
 * const names = nodeNames(topologicalOrder(y));
 * assert.equal(names.get(y.inputs[0]), "(x*w)");
 * assert.equal(names.get(y.inputs[1]), "1");
 * const long = x.mul(w).add(x.neg().sigmoid()).mul(w.mul(x).add(1));
 * const longNames = nodeNames(topologicalOrder(long));
 * assert.equal(longNames.get(long.inputs[0].inputs[1]), "sigmoid(-x)");
 * assert.equal(longNames.get(long), "mul1");
 * ```
 */
export function nodeNames(order: readonly Value[]): Map<Value, string> {
  const names = new Map<Value, string>();
  const taken = new Set<string>();
  for (const node of order) if (node.label) taken.add(node.label);
  const counters = new Map<string, number>();
  const shortName = (base: string): string => {
    let k = counters.get(base) ?? 0;
    let name: string;
    do name = `${base}${++k}`; while (taken.has(name));
    counters.set(base, k);
    taken.add(name);
    return name;
  };
  for (const node of order) {
    if (node.label) {
      names.set(node, node.label);
      continue;
    }
    if (node.op === "") {
      names.set(node, formatShortNumber(node.data));
      continue;
    }
    const inputNames = node.inputs.map((input) => names.get(input) ?? "?");
    // Written as the op table says it is written: a + b, -a, tanh(a).
    const { name: operation, symbol, notation } = OPERATIONS[node.op];
    let name: string;
    if (notation === "infix" && node.inputs.length === 2) {
      name = `(${inputNames[0]}${symbol}${inputNames[1]})`;
    } else if (notation === "infix") {
      // a number operand kept as the constant: x**2
      name = `(${inputNames[0]}${symbol}${formatShortNumber(node.constant)})`;
    } else if (notation === "prefix") {
      name = `(${symbol}${inputNames[0]})`;
    } else if (node.inputs.length === 1) {
      // tanh(x*w), not tanh((x*w)): the call's parentheses group already.
      const inner = inputNames[0];
      name = `${symbol}(${isOneGroup(inner) ? inner.slice(1, -1) : inner})`;
    } else {
      name = "";
    }
    names.set(
      node,
      name && name.length <= MAXIMUM_NAME_LENGTH ? name : shortName(operation),
    );
  }
  return names;
}

/**
 * The symbol drawn in an operation's node: `+`, `*`, `**2`, `tanh`, ...
 * (the op table's label, with the exponent written short).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { operationSymbol } from "./graph_format.ts";
 * assert.equal(operationSymbol(new Value(3).pow(2)), "**2");
 * assert.equal(operationSymbol(new Value(1).neg()), "-x");
 * ```
 */
export function operationSymbol(node: Value): string {
  return operationLabel(
    node.op,
    node.inputs.length,
    node.constant,
    formatShortNumber,
  );
}
