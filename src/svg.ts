/**
 * Pictures as SVG text, with no dependencies: {@linkcode toSvg} draws the
 * graph behind a `Value` the way micrograd's `draw_dot` does (a box per
 * value with its label, data and grad, an operation node between inputs and
 * result, left to right), laid out by {@linkcode layoutGraph};
 * {@linkcode mlpToSvg} draws an `MLP` as columns of neurons joined by links
 * coloured by the weight's sign.
 *
 * Loading this module also registers both drawings for rich display, so in
 * a Deno notebook a `Value` or an `MLP` left as a cell's result draws
 * itself (see `display.ts`).
 *
 * The SVG carries its look in attributes (no style sheet, no ids), so it
 * looks the same inline in a page, as an image, in VS Code, Jupyter and on
 * GitHub, and several drawings can share one page.
 *
 * @module
 */

import { type MimeBundle, registerDisplay } from "./display.ts";
import { topologicalOrder, Value } from "./engine.ts";
import { formatBoxNumber } from "./graph_format.ts";
import {
  edgePath,
  layoutGraph,
  type LayoutOptions,
  valueBoxGeometry,
} from "./graph_layout.ts";
import type { MLP } from "./nn.ts";
import { describeArgument } from "./checks.ts";

/** Options of {@linkcode toSvg}. */
export interface SvgOptions {
  /**
   * Largest graph drawn, in values. A bigger one gets a short notice
   * instead (its size, its root's numbers and how to draw it anyway): a
   * drawing of thousands of boxes is unreadable and slow to show.
   * Default 500.
   */
  maximumValues?: number;
  /** Tuning of the layout (gaps, sweeps); see {@linkcode LayoutOptions}. */
  layout?: LayoutOptions;
}

/** Default of {@linkcode SvgOptions.maximumValues}. */
export const MAXIMUM_DRAWN_VALUES = 500;

/** Width of one character of 12px monospace text, as the layout assumes. */
const CHARACTER_WIDTH = 7.2;
const FONT =
  'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12"';
const TEXT_COLOR = "#1d2939";
const MUTED_COLOR = "#667085";
const GRAD_COLOR = "#862e9c";

/**
 * Characters XML 1.0 does not allow at all (most control characters, lone
 * surrogates, U+FFFE and U+FFFF); they become U+FFFD.
 */
// Matching control characters is the point here.
const NOT_XML =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * `text` made safe inside an SVG (or any XML) element or quoted attribute:
 * `& < > " '` escaped, characters XML forbids replaced by U+FFFD, and line
 * breaks shown as `↵` (a drawn label is one line).
 *
 * @param text any string, such as a value's label
 * @returns the escaped text
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeSvgText } from "./svg.ts";
 * assert.equal(escapeSvgText(`a<b & "c"`), "a&lt;b &amp; &quot;c&quot;");
 * assert.equal(escapeSvgText("two\nlines"), "two↵lines");
 * ```
 */
export function escapeSvgText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, "↵")
    .replace(NOT_XML, "\uFFFD")
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Coordinates rounded to a tenth of a pixel: shorter text, same picture. */
function r(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Opening tag of a standalone SVG document of the given size. */
function svgOpen(width: number, height: number, description: string): string {
  const w = Math.ceil(width), h = Math.ceil(height);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${
    escapeSvgText(description)
  }" ${FONT}>\n<rect width="100%" height="100%" fill="#ffffff"/>`;
}

function checkMaximum(value: unknown, where: string): number {
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < 1
  ) {
    throw new RangeError(
      `${where}: expected a positive integer, got ${describeArgument(value)}`,
    );
  }
  return value;
}

/** The notice drawn instead of a graph too large to draw. */
function tooLargeSvg(root: Value, values: number, maximum: number): string {
  const lines = [
    `A graph of ${values} values: too large to draw (the limit is ${maximum}).`,
    `Its root${root.label ? ` ${root.label}` : ""}: data ${
      formatBoxNumber(root.data)
    }, grad ${formatBoxNumber(root.grad)}.`,
    `toSvg(root, { maximumValues: ${values} }) draws it anyway;`,
    "toDot(root) gives its Graphviz source.",
  ];
  let longest = 0;
  for (const line of lines) longest = Math.max(longest, line.length);
  const width = longest * CHARACTER_WIDTH + 32;
  const height = lines.length * 18 + 26;
  const text = lines.map((line, k) =>
    `<text x="16" y="${24 + 18 * k}" fill="${
      k === 0 ? TEXT_COLOR : MUTED_COLOR
    }">${escapeSvgText(line)}</text>`
  );
  return [
    svgOpen(width, height, `Computation graph of ${values} values, not drawn`),
    `<rect x="4" y="4" width="${r(width - 8)}" height="${
      r(height - 8)
    }" rx="6" fill="#fff8e6" stroke="#d9a40b"/>`,
    ...text,
    "</svg>",
  ].join("\n") + "\n";
}

/**
 * The graph behind `root` as a standalone SVG document, drawn like
 * micrograd's `draw_dot`: left to right, a box per value with its name,
 * `data` and `grad` (4 decimals), a small node per operation between its
 * inputs and its result, the root's box outlined in green. Unlabelled
 * values are named by their expression, like `(x1*w1)`. Each box has a
 * tooltip (`<title>`) with the full-precision numbers.
 *
 * Labels may hold any text: quotes, `<`, `&` and line breaks are escaped.
 * A graph of more than `maximumValues` values (default 500) is not drawn:
 * the result is a small notice saying how big it is and how to draw it
 * anyway, so a notebook never freezes on a huge picture.
 *
 * @param root the value whose graph to draw
 * @param options size limit and layout tuning
 * @returns the SVG document as text
 * @throws {TypeError} if `root` is not a `Value`
 *
 * @example The lecture's first graph
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./engine.ts";
 * import { toSvg } from "./svg.ts";
 * const a = new Value(2, "a"), b = new Value(-3, "b"), c = new Value(10, "c");
 * const d = a.mul(b).add(c);
 * d.label = "d";
 * d.backward();
 * const svg = toSvg(d);
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes(">data 4.0000</text>"));
 * assert.ok(svg.includes(">grad -3.0000</text>")); // a.grad
 * ```
 */
export function toSvg(root: Value, options: SvgOptions = {}): string {
  if (!(root instanceof Value)) {
    throw new TypeError(
      `toSvg: expected a Value as root, got ${describeArgument(root)}`,
    );
  }
  const maximum = checkMaximum(
    options.maximumValues ?? MAXIMUM_DRAWN_VALUES,
    "toSvg: options.maximumValues",
  );
  const values = topologicalOrder(root).length;
  if (values > maximum) return tooLargeSvg(root, values, maximum);

  const layout = layoutGraph(root, {
    ...options.layout,
    characterWidth: CHARACTER_WIDTH,
  });
  const parts = [
    svgOpen(
      layout.width,
      layout.height,
      `Computation graph of ${values} values`,
    ),
  ];
  parts.push(`<g fill="none" stroke="#98a2b3" stroke-width="1.3">`);
  for (const edge of layout.edges) {
    parts.push(`<path d="${edgePath(edge.points)}"/>`);
  }
  parts.push("</g>", `<g fill="${MUTED_COLOR}">`);
  for (const edge of layout.edges) {
    // The arrowhead, drawn rather than a <marker>: markers need ids, which
    // clash when several drawings share one page.
    const end = edge.points[edge.points.length - 1];
    parts.push(
      `<path d="M${r(end.x)},${r(end.y)} l-7,-3.5 v7 z"/>`,
    );
    if (edge.count > 1) {
      parts.push(
        `<text x="${r(end.x - 10)}" y="${
          r(end.y - 6)
        }" font-size="10" text-anchor="end">×${edge.count}</text>`,
      );
    }
  }
  parts.push("</g>");
  for (const node of layout.nodes) {
    const at = `transform="translate(${r(node.x)},${r(node.y)})"`;
    if (node.kind === "op") {
      parts.push(
        `<g ${at}><ellipse cx="${r(node.width / 2)}" cy="${
          r(node.height / 2)
        }" rx="${r(node.width / 2)}" ry="${
          r(node.height / 2)
        }" fill="#eef1f5" stroke="${MUTED_COLOR}" stroke-width="1.2"/><text x="${
          r(node.width / 2)
        }" y="${
          r(node.height / 2 + 4)
        }" text-anchor="middle" font-weight="700" fill="${TEXT_COLOR}">${
          escapeSvgText(node.text)
        }</text></g>`,
      );
      continue;
    }
    const value = node.value;
    const box = valueBoxGeometry(node.text, CHARACTER_WIDTH);
    const isRoot = value === root;
    const fill = value.op === "" ? "#f5f8ff" : "#ffffff";
    const stroke = isRoot
      ? `stroke="#027a48" stroke-width="2.4"`
      : `stroke="#475467" stroke-width="1.2"`;
    const nameStyle = value.label
      ? `font-weight="700" fill="${TEXT_COLOR}"`
      : `font-style="italic" fill="${MUTED_COLOR}"`;
    const title = `${node.text}: data ${value.data}, grad ${value.grad}`;
    parts.push(
      `<g ${at}><title>${escapeSvgText(title)}</title><rect width="${
        r(box.width)
      }" height="${box.height}" rx="4" fill="${fill}" ${stroke}/><line x1="${
        r(box.labelWidth)
      }" y1="0" x2="${
        r(box.labelWidth)
      }" y2="${box.height}" stroke="#98a2b3"/>` +
        `<text x="${r(box.labelWidth / 2)}" y="${
          r(box.height / 2 + 4)
        }" text-anchor="middle" ${nameStyle}>${
          escapeSvgText(node.text)
        }</text>` +
        `<text x="${r(box.labelWidth + 7)}" y="14" fill="${TEXT_COLOR}">data ${
          formatBoxNumber(value.data)
        }</text>` +
        `<text x="${r(box.labelWidth + 7)}" y="28" fill="${GRAD_COLOR}">grad ${
          formatBoxNumber(value.grad)
        }</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** Options of {@linkcode mlpToSvg}. */
export interface NetworkSvgOptions {
  /**
   * Most links drawn. A bigger network is drawn with its neurons but
   * without links (and says so). Default 5000.
   */
  maximumLinks?: number;
}

const POSITIVE = "#1c64d8";
const NEGATIVE = "#e8590c";

/**
 * An MLP as a network diagram: a column of inputs, then a column of neurons
 * per layer (its activation and size on top), a link from every input of a
 * neuron to it, blue for a positive weight and orange for a negative one,
 * thicker and darker the larger the weight. Each link's tooltip gives its
 * weight, each neuron's its bias.
 *
 * @param model the network
 * @param options the limit on links drawn
 * @returns the SVG document as text
 *
 * @example micrograd's demo network
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { mlpToSvg } from "./svg.ts";
 * const svg = mlpToSvg(new MLP(2, [16, 16, 1], { seed: 1 }));
 * assert.ok(svg.startsWith("<svg"));
 * // 2·16 + 16·16 + 16·1 links, 2 + 16 + 16 + 1 circles
 * assert.equal(svg.match(/<line /g)!.length, 304);
 * assert.equal(svg.match(/<circle /g)!.length, 35);
 * ```
 */
export function mlpToSvg(model: MLP, options: NetworkSvgOptions = {}): string {
  if (
    typeof model !== "object" || model === null ||
    !Array.isArray((model as { layers?: unknown }).layers)
  ) {
    throw new TypeError(
      `mlpToSvg: expected an MLP, got ${describeArgument(model)}`,
    );
  }
  const maximumLinks = checkMaximum(
    options.maximumLinks ?? 5000,
    "mlpToSvg: options.maximumLinks",
  );
  const columns = [model.nin, ...model.sizes];
  let tallest = 0, links = 0;
  for (let c = 0; c < columns.length; c++) {
    tallest = Math.max(tallest, columns[c]);
    if (c > 0) links += columns[c - 1] * columns[c];
  }
  const drawLinks = links <= maximumLinks;
  // Spacing shrinks for wide layers so the picture stays under ~900 px tall.
  const spacing = Math.min(28, 860 / tallest);
  const radius = Math.max(1.5, Math.min(9, spacing * 0.35));
  const columnGap = 150, top = 48, left = 60;
  const width = left * 2 + columnGap * (columns.length - 1);
  const height = top + tallest * spacing + 40;
  const y = (c: number, k: number): number =>
    top + (tallest - columns[c]) * spacing / 2 + (k + 0.5) * spacing;
  const x = (c: number): number => left + c * columnGap;

  let largest = 0;
  for (const layer of model.layers) {
    for (const neuron of layer.neurons) {
      for (const w of neuron.weights) {
        const size = Math.abs(w.data);
        if (size > largest && Number.isFinite(size)) largest = size;
      }
    }
  }
  const parts = [
    svgOpen(
      width,
      height,
      `Network diagram of an MLP with ${model.nin} inputs and layers [${
        model.sizes.join(", ")
      }]`,
    ),
  ];
  if (drawLinks) {
    parts.push(`<g stroke-linecap="round">`);
    model.layers.forEach((layer, l) => {
      layer.neurons.forEach((neuron, j) => {
        neuron.weights.forEach((w, i) => {
          const t = largest > 0 && Number.isFinite(w.data)
            ? Math.abs(w.data) / largest
            : 0;
          parts.push(
            `<line x1="${r(x(l))}" y1="${r(y(l, i))}" x2="${r(x(l + 1))}" y2="${
              r(y(l + 1, j))
            }" stroke="${w.data >= 0 ? POSITIVE : NEGATIVE}" stroke-width="${
              (0.4 + 2.6 * t).toFixed(2)
            }" stroke-opacity="${(0.2 + 0.8 * t).toFixed(2)}"><title>${
              escapeSvgText(
                `layer ${l + 1}, neuron ${j}, input ${i}: w = ${w.data}`,
              )
            }</title></line>`,
          );
        });
      });
    });
    parts.push("</g>");
  }
  for (let c = 0; c < columns.length; c++) {
    const last = c === columns.length - 1;
    const heading = c === 0 ? "inputs" : last ? "output" : `layer ${c}`;
    const detail = c === 0
      ? String(columns[c])
      : `${last ? model.outputActivation : model.activation} · ${columns[c]}`;
    parts.push(
      `<text x="${
        r(x(c))
      }" y="18" text-anchor="middle" font-weight="700" fill="${TEXT_COLOR}">${heading}</text>`,
      `<text x="${r(x(c))}" y="33" text-anchor="middle" fill="${MUTED_COLOR}">${
        escapeSvgText(detail)
      }</text>`,
    );
    for (let k = 0; k < columns[c]; k++) {
      const tip = c === 0
        ? `x${k}`
        : `layer ${c}, neuron ${k}: bias ${
          model.layers[c - 1].neurons[k].bias.data
        }`;
      parts.push(
        `<circle cx="${r(x(c))}" cy="${r(y(c, k))}" r="${r(radius)}" fill="${
          c === 0 ? "#f5f8ff" : "#ffffff"
        }" stroke="#475467" stroke-width="1.2"><title>${
          escapeSvgText(tip)
        }</title></circle>`,
      );
    }
  }
  const note = drawLinks
    ? `${model.parameters().length} parameters · blue: positive weight, orange: negative`
    : `${links} links: too many to draw (the limit is ${maximumLinks})`;
  parts.push(
    `<text x="${r(width / 2)}" y="${
      r(height - 14)
    }" text-anchor="middle" font-size="11" fill="${MUTED_COLOR}">${
      escapeSvgText(note)
    }</text>`,
    "</svg>",
  );
  return parts.join("\n") + "\n";
}

/** How notebooks show a `Value`: its graph, and its text as a fallback. */
function displayValue(value: unknown): MimeBundle {
  return {
    "image/svg+xml": toSvg(value as Value),
    "text/plain": String(value),
  };
}

/** How notebooks show an `MLP`: its diagram, and its text as a fallback. */
function displayNetwork(model: unknown): MimeBundle {
  return {
    "image/svg+xml": mlpToSvg(model as MLP),
    "text/plain": String(model),
  };
}

registerDisplay("Value", displayValue);
registerDisplay("MLP", displayNetwork);
