/**
 * The one grid evaluator: a rectangle of the plane cut into cells, each
 * evaluated at its centre. It is what the decision boundary is drawn from
 * (the playground's heat map, the CLI's text picture) and what every
 * neuron's small heat map shows.
 *
 * The layout is the same everywhere: cells are numbered row-major, **row 0
 * at `yMin`** (the bottom), so cell `(row, column)` is number
 * `row * columns + column`, and its centre is
 * `x = xMin + (column + 0.5)·((xMax - xMin) / columns)`,
 * `y = yMin + (row + 0.5)·((yMax - yMin) / rows)`
 * ({@linkcode gridCellCenter}; the only place that formula is written).
 * {@linkcode evaluateGrid} stores output `o` of cell `c` at index
 * `c * outputs + o`. A painter whose row 0 is the top flips the rows.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { evaluateGrid, gridCellCenter } from "./grid.ts";
 * const model = new MLP(2, [4, 1]);
 * const bounds = { xMin: 0, xMax: 4, yMin: 0, yMax: 2 };
 * const grid = evaluateGrid(model, bounds, 2); // 2 × 2 cells, 1 output
 * assert.deepEqual(gridCellCenter(bounds, 2, 1, 0), [3, 0.5]); // column 1, row 0
 * assert.equal(grid[0 * 2 + 1], model.predict([3, 0.5])[0]);
 * ```
 *
 * @module
 */

import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOptions,
  failField,
  FieldRangeError,
  isPlainObject,
} from "./checks.ts";
import { checkPlanePoint } from "./data.ts";
import { type FeatureName, featureValues } from "./features.ts";
import { MLP } from "./nn.ts";
import { PackedModel } from "./packed.ts";

// Born here; it lives with the datasets now, which check their points with it.
export { checkPlanePoint } from "./data.ts";

/** A rectangle of the plane (`xMin < xMax`, `yMin < yMax`, all finite). */
export interface GridBounds {
  /** Left edge. */
  xMin: number;
  /** Right edge. */
  xMax: number;
  /** Bottom edge (row 0 of a grid). */
  yMin: number;
  /** Top edge. */
  yMax: number;
}

/** A grid that is not square: `columns` cells across, `rows` cells up. */
export interface GridShape {
  /** Cells across, from `xMin` to `xMax`. */
  columns: number;
  /** Cells up, from `yMin` to `yMax`. */
  rows: number;
}

/**
 * How finely to cut the rectangle: a number `n` for `n × n` cells, or a
 * {@linkcode GridShape} (e.g. the CLI's 60 × 24 characters). Each side is
 * an integer from 1 to {@linkcode MAX_GRID_RESOLUTION}.
 */
export type GridResolution = number | GridShape;

/**
 * The most cells a grid may have along one side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGrid, MAX_GRID_RESOLUTION } from "./grid.ts";
 * const bounds = { xMin: 0, xMax: 1, yMin: 0, yMax: 1 };
 * assert.throws(() => checkGrid(bounds, MAX_GRID_RESOLUTION + 1), RangeError);
 * ```
 */
export const MAX_GRID_RESOLUTION = 4096;

/** Options of {@linkcode evaluateGrid}. */
export interface GridOptions {
  /**
   * Also return every neuron's output per cell (a {@linkcode NeuronGrids}),
   * not only the model's outputs. Default `false`.
   */
  neurons?: boolean;
}

/**
 * Every neuron's output over a grid, from {@linkcode evaluateGrid} with
 * `{ neurons: true }`. Each `Float64Array` has one number per cell, in the
 * grid's cell order (row-major, row 0 at `yMin`).
 */
export interface NeuronGrids {
  /** Cells across. */
  columns: number;
  /** Cells up. */
  rows: number;
  /**
   * The network's inputs per cell, i.e. the cell centres: `inputs[0]` is x,
   * `inputs[1]` is y (what {@linkcode gridCellCenters} returns).
   */
  inputs: [Float64Array, Float64Array];
  /**
   * The input features the model reads (`model.pointFeatures`, `["x", "y"]`
   * without features), in its input order.
   */
  featureNames: readonly FeatureName[];
  /**
   * `features[i][cell]`: input feature `featureNames[i]` at each cell's
   * centre, what the first layer reads (for the feature heat maps; `x` and
   * `y` are the very arrays of `inputs`).
   */
  features: Float64Array[];
  /**
   * `layers[l][j][cell]`: neuron `j` of layer `l` after its activation,
   * exactly `model.activations(centre)[l][j]`.
   */
  layers: Float64Array[][];
  /**
   * The model's outputs, interleaved per cell: exactly what
   * {@linkcode evaluateGrid} returns without the option (the last layer of
   * `layers`, rearranged).
   */
  outputs: Float64Array;
}

/** The plain-number rules every grid shares, for `where`'s messages. */
function checkBounds(bounds: unknown, where: string): GridBounds {
  if (bounds === null || typeof bounds !== "object") {
    failField(
      "type",
      where,
      "bounds",
      "an object { xMin, xMax, yMin, yMax }",
      bounds,
    );
  }
  for (const key of ["xMin", "xMax", "yMin", "yMax"]) {
    checkNumber(
      (bounds as Record<string, unknown>)[key],
      where,
      `bounds.${key}`,
    );
  }
  const checked = bounds as unknown as GridBounds;
  if (!(checked.xMin < checked.xMax) || !(checked.yMin < checked.yMax)) {
    const allowed = "a rectangle with xMin < xMax and yMin < yMax";
    throw new FieldRangeError(
      `${where}: bounds must have xMin < xMax and yMin < yMax, got x from ${checked.xMin} to ${checked.xMax} and y from ${checked.yMin} to ${checked.yMax}`,
      { field: "bounds", allowed },
    );
  }
  return checked;
}

/** One side's cell count. */
function checkSide(value: unknown, where: string, field: string): number {
  return checkInteger(value, where, field, 1, MAX_GRID_RESOLUTION);
}

/**
 * Check a grid's bounds and resolution, as every function here does first,
 * and return the resolution as a {@linkcode GridShape}. Errors are
 * `FieldTypeError`/`FieldRangeError` naming the field (`bounds`,
 * `bounds.xMin`, `resolution`, `resolution.rows`, …).
 *
 * @param bounds The rectangle: an object of four finite numbers with
 *   `xMin < xMax` and `yMin < yMax`.
 * @param resolution Cells per side, or `{ columns, rows }`.
 * @param where The name messages start with (default `"evaluateGrid"`).
 * @returns The number of columns and rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGrid } from "./grid.ts";
 * const bounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
 * assert.deepEqual(checkGrid(bounds, 8), { columns: 8, rows: 8 });
 * assert.deepEqual(checkGrid(bounds, { columns: 60, rows: 24 }), { columns: 60, rows: 24 });
 * assert.throws(() => checkGrid({ ...bounds, xMax: -2 }, 8), {
 *   name: "FieldRangeError",
 *   field: "bounds",
 * });
 * assert.throws(() => checkGrid(bounds, 0), {
 *   message: "evaluateGrid: resolution must be an integer from 1 to 4096, got the number 0",
 * });
 * ```
 */
export function checkGrid(
  bounds: unknown,
  resolution: unknown,
  where: string = "evaluateGrid",
): GridShape {
  checkBounds(bounds, where);
  if (typeof resolution === "number") {
    const side = checkSide(resolution, where, "resolution");
    return { columns: side, rows: side };
  }
  if (!isPlainObject(resolution)) {
    failField(
      "type",
      where,
      "resolution",
      `an integer from 1 to ${MAX_GRID_RESOLUTION} or { columns, rows }`,
      resolution,
    );
  }
  checkOptions(resolution, where, ["columns", "rows"], "resolution");
  return {
    columns: checkSide(resolution.columns, where, "resolution.columns"),
    rows: checkSide(resolution.rows, where, "resolution.rows"),
  };
}

/**
 * The centre of cell `index` of `count` cells from `min` to `max`: the one
 * formula of this module (and of the library and the playground). The cell
 * size is divided first, then multiplied, so every caller rounds alike.
 */
function cellCentre(
  min: number,
  max: number,
  count: number,
  index: number,
): number {
  return min + (index + 0.5) * ((max - min) / count);
}

/**
 * The centre `[x, y]` of cell `(column, row)` of a grid over `bounds`
 * (row 0 at `yMin`).
 *
 * @param bounds The rectangle.
 * @param resolution Cells per side, or `{ columns, rows }`.
 * @param column From 0 (at `xMin`) to `columns - 1`.
 * @param row From 0 (at `yMin`) to `rows - 1`.
 * @returns The point `[x, y]` the cell is evaluated at.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridCellCenter } from "./grid.ts";
 * const bounds = { xMin: -2, xMax: 2, yMin: -1, yMax: 3 };
 * assert.deepEqual(gridCellCenter(bounds, 4, 3, 1), [1.5, 0.5]);
 * assert.deepEqual(gridCellCenter(bounds, { columns: 2, rows: 1 }, 0, 0), [-1, 1]);
 * assert.throws(() => gridCellCenter(bounds, 4, 4, 0), { field: "column" });
 * ```
 */
export function gridCellCenter(
  bounds: GridBounds,
  resolution: GridResolution,
  column: number,
  row: number,
): [number, number] {
  const where = "gridCellCenter";
  const { columns, rows } = checkGrid(bounds, resolution, where);
  checkInteger(column, where, "column", 0, columns - 1);
  checkInteger(row, where, "row", 0, rows - 1);
  return [
    cellCentre(bounds.xMin, bounds.xMax, columns, column),
    cellCentre(bounds.yMin, bounds.yMax, rows, row),
  ];
}

/**
 * Every cell's centre, in cell order: `[xs, ys]` where `xs[c]`, `ys[c]` is
 * the centre of cell `c = row * columns + column`. These are the inputs the
 * network sees at each cell.
 *
 * @param bounds The rectangle.
 * @param resolution Cells per side, or `{ columns, rows }`.
 * @returns The x and the y of every cell's centre.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridCellCenter, gridCellCenters } from "./grid.ts";
 * const bounds = { xMin: 0, xMax: 3, yMin: 0, yMax: 1 };
 * const [xs, ys] = gridCellCenters(bounds, { columns: 3, rows: 2 });
 * assert.deepEqual([...xs], [0.5, 1.5, 2.5, 0.5, 1.5, 2.5]);
 * assert.deepEqual([...ys], [0.25, 0.25, 0.25, 0.75, 0.75, 0.75]);
 * assert.deepEqual([xs[4], ys[4]], gridCellCenter(bounds, { columns: 3, rows: 2 }, 1, 1));
 * ```
 */
export function gridCellCenters(
  bounds: GridBounds,
  resolution: GridResolution,
): [Float64Array, Float64Array] {
  const { columns, rows } = checkGrid(bounds, resolution, "gridCellCenters");
  return centres(bounds, columns, rows);
}

/** {@linkcode gridCellCenters} without the checks. */
function centres(
  bounds: GridBounds,
  columns: number,
  rows: number,
): [Float64Array, Float64Array] {
  const xs = new Float64Array(columns * rows);
  const ys = new Float64Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    const y = cellCentre(bounds.yMin, bounds.yMax, rows, row);
    for (let column = 0; column < columns; column++) {
      xs[row * columns + column] = cellCentre(
        bounds.xMin,
        bounds.xMax,
        columns,
        column,
      );
      ys[row * columns + column] = y;
    }
  }
  return [xs, ys];
}

/** The model must read a point of the plane. */
function checkPlaneModel(model: unknown, where: string): MLP {
  if (!(model instanceof MLP)) {
    failField("type", where, "model", "an MLP", model);
  }
  if (model.pointFeatures === null) {
    const allowed =
      "an MLP with 2 inputs or input features (it reads a point of the plane)";
    throw new FieldRangeError(
      `${where}: model must be ${allowed}, got an MLP with ${model.nin} inputs`,
      { field: "model", allowed },
    );
  }
  return model;
}

/**
 * The model's outputs at every cell of a grid over `bounds`, for drawing
 * the decision boundary: output `o` of cell `(row, column)` is at index
 * `(row * columns + column) * outputs + o`, row 0 at `yMin`, each cell
 * evaluated at its centre ({@linkcode gridCellCenter}) with
 * `model.predict` (no graph is built). With one output a positive value
 * means class 1; with several the largest wins (`predictClass`).
 *
 * With `{ neurons: true }` it returns a {@linkcode NeuronGrids} instead:
 * every neuron's output per cell too (from `model.activations`, the same
 * numbers bit for bit), for per-neuron heat maps.
 *
 * @param model An MLP reading a point of the plane (2 inputs, or input features).
 * @param bounds The rectangle (see {@linkcode checkGrid}).
 * @param resolution Cells per side, or `{ columns, rows }`.
 * @param options `{ neurons: true }` for every neuron's output.
 * @returns The outputs per cell, interleaved.
 *
 * @example The decision grid
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { evaluateGrid } from "./grid.ts";
 * const model = new MLP(2, [4, 3]); // 3 outputs
 * const grid = evaluateGrid(model, { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2);
 * assert.equal(grid.length, 2 * 2 * 3);
 * // cell (row 1, column 0) is centred at (0.25, 0.75); its outputs are 6..8
 * assert.deepEqual([...grid.subarray(6, 9)], model.predict([0.25, 0.75]));
 * ```
 */
export function evaluateGrid(
  model: MLP,
  bounds: GridBounds,
  resolution: GridResolution,
  options?: GridOptions & { neurons?: false },
): Float64Array;
/**
 * Every neuron's output at every cell of a grid over `bounds` (see the
 * other signature for the layout), computed with `model.activations`.
 *
 * @param model An MLP reading a point of the plane (2 inputs, or input features).
 * @param bounds The rectangle (see {@linkcode checkGrid}).
 * @param resolution Cells per side, or `{ columns, rows }`.
 * @param options `{ neurons: true }`.
 * @returns The cell centres, every neuron's grid and the outputs.
 *
 * @example Per-neuron heat maps
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { evaluateGrid } from "./grid.ts";
 * const model = new MLP(2, [3, 1]);
 * const bounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
 * const grids = evaluateGrid(model, bounds, 4, { neurons: true });
 * assert.deepEqual(grids.layers.map((layer) => layer.length), [3, 1]);
 * assert.equal(grids.layers[0][2].length, 16);
 * // cell 5 is (row 1, column 1), centred at (-0.25, -0.25)
 * assert.equal(grids.layers[0][2][5], model.activations([-0.25, -0.25])[0][2]);
 * assert.deepEqual(grids.outputs, evaluateGrid(model, bounds, 4));
 * ```
 */
export function evaluateGrid(
  model: MLP,
  bounds: GridBounds,
  resolution: GridResolution,
  options: GridOptions & { neurons: true },
): NeuronGrids;
/**
 * The outputs per cell, or with `{ neurons: true }` every neuron's too.
 *
 * @param model An MLP reading a point of the plane (2 inputs, or input features).
 * @param bounds The rectangle (see {@linkcode checkGrid}).
 * @param resolution Cells per side, or `{ columns, rows }`.
 * @param options `{ neurons: true }` for every neuron's output.
 * @returns The outputs per cell, or a {@linkcode NeuronGrids}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "./nn.ts";
 * import { evaluateGrid, type GridOptions } from "./grid.ts";
 * const options: GridOptions = { neurons: false };
 * const grid = evaluateGrid(new MLP(2, [1]), { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 3, options);
 * assert.ok(grid instanceof Float64Array);
 * ```
 */
export function evaluateGrid(
  model: MLP,
  bounds: GridBounds,
  resolution: GridResolution,
  options?: GridOptions,
): Float64Array | NeuronGrids;
export function evaluateGrid(
  model: MLP,
  bounds: GridBounds,
  resolution: GridResolution,
  options?: GridOptions,
): Float64Array | NeuronGrids {
  const where = "evaluateGrid";
  checkPlaneModel(model, where);
  const { columns, rows } = checkGrid(bounds, resolution, where);
  const { neurons = false } = checkOptions(options, where, ["neurons"]);
  checkBoolean(neurons, where, "options.neurons");
  return neurons
    ? neuronGrids(model, bounds, columns, rows)
    : outputGrid(model, bounds, columns, rows);
}

/** The model's outputs per cell, with `predict` (the decision grid). */
function outputGrid(
  model: MLP,
  bounds: GridBounds,
  columns: number,
  rows: number,
): Float64Array {
  const outputs = model.sizes[model.sizes.length - 1];
  const grid = new Float64Array(columns * rows * outputs);
  // Thousands of cells: read the weights from flat arrays (same numbers).
  const packed = new PackedModel(model);
  const point = [0, 0];
  for (let row = 0; row < rows; row++) {
    point[1] = cellCentre(bounds.yMin, bounds.yMax, rows, row);
    for (let column = 0; column < columns; column++) {
      point[0] = cellCentre(bounds.xMin, bounds.xMax, columns, column);
      const scores = packed.run(point);
      const base = (row * columns + column) * outputs;
      for (let o = 0; o < outputs; o++) grid[base + o] = scores[o];
    }
  }
  return grid;
}

/** Every neuron's output per cell, with `activations`. */
function neuronGrids(
  model: MLP,
  bounds: GridBounds,
  columns: number,
  rows: number,
): NeuronGrids {
  const cells = columns * rows;
  const inputs = centres(bounds, columns, rows);
  const layers = model.sizes.map((size) =>
    Array.from({ length: size }, () => new Float64Array(cells))
  );
  const outputs = model.sizes[model.sizes.length - 1];
  const interleaved = new Float64Array(cells * outputs);
  const featureNames = model.pointFeatures ?? [];
  const features = featureNames.map((name) =>
    name === "x"
      ? inputs[0]
      : name === "y"
      ? inputs[1]
      : new Float64Array(cells)
  );
  const packed = new PackedModel(model);
  const point = [0, 0];
  for (let cell = 0; cell < cells; cell++) {
    const values = featureValues(
      inputs[0][cell],
      inputs[1][cell],
      featureNames,
    );
    for (let i = 0; i < features.length; i++) features[i][cell] = values[i];
  }
  for (let cell = 0; cell < cells; cell++) {
    point[0] = inputs[0][cell];
    point[1] = inputs[1][cell];
    packed.run(point);
    const values = packed.layers;
    for (let l = 0; l < values.length; l++) {
      const layer = values[l];
      for (let j = 0; j < layer.length; j++) layers[l][j][cell] = layer[j];
    }
    const last = values[values.length - 1];
    for (let o = 0; o < outputs; o++) interleaved[cell * outputs + o] = last[o];
  }
  return {
    columns,
    rows,
    inputs,
    featureNames,
    features,
    layers,
    outputs: interleaved,
  };
}

/**
 * The smallest rectangle holding every point, widened by `margin` on each
 * side: a good default view for a grid. A set of points flat in one
 * direction (all on one vertical or horizontal line) with `margin` 0 gets
 * 0.5 on each side in that direction, so the rectangle always has an area.
 *
 * @param points At least one `[x, y]` point of finite numbers.
 * @param margin Extra room on each side, in data units (default 0.25).
 * @param where The name messages start with (default `"dataBounds"`).
 * @returns The rectangle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dataBounds } from "./grid.ts";
 * assert.deepEqual(dataBounds([[0, 1], [2, -1]], 0.5), { xMin: -0.5, xMax: 2.5, yMin: -1.5, yMax: 1.5 });
 * assert.deepEqual(dataBounds([[1, 1]], 0), { xMin: 0.5, xMax: 1.5, yMin: 0.5, yMax: 1.5 });
 * assert.throws(() => dataBounds([], 0), { field: "points" });
 * assert.throws(() => dataBounds([[0, NaN]]), { field: "points[0][1]" });
 * ```
 */
export function dataBounds(
  points: readonly (readonly number[])[],
  margin: number = 0.25,
  where: string = "dataBounds",
): GridBounds {
  checkNumber(margin, where, "margin", { min: 0 });
  if (!Array.isArray(points) || points.length === 0) {
    failField(
      Array.isArray(points) ? "range" : "type",
      where,
      "points",
      "a non-empty array of [x, y] points",
      points,
    );
  }
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const [x, y] = checkPlanePoint(points[i], where, `points[${i}]`);
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  // A dataset flat in one direction still needs a rectangle with area.
  const xMargin = xMax - xMin + 2 * margin <= 0 ? 0.5 : margin;
  const yMargin = yMax - yMin + 2 * margin <= 0 ? 0.5 : margin;
  return {
    xMin: xMin - xMargin,
    xMax: xMax + xMargin,
    yMin: yMin - yMargin,
    yMax: yMax + yMargin,
  };
}
