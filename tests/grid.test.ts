import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  checkGrid,
  dataBounds,
  evaluateGrid,
  type GridBounds,
  gridCellCenter,
  gridCellCenters,
  MAX_GRID_RESOLUTION,
} from "../src/grid.ts";
import { MLP } from "../src/nn.ts";
import { Trainer } from "../src/train.ts";

const square: GridBounds = { xMin: -2, xMax: 2, yMin: -1, yMax: 3 };

describe("cell centres", () => {
  test("cell (column, row) is centred at min + (index + 0.5)·size, row 0 at yMin", () => {
    assert.deepEqual(gridCellCenter(square, 4, 0, 0), [-1.5, -0.5]);
    assert.deepEqual(gridCellCenter(square, 4, 3, 1), [1.5, 0.5]);
    assert.deepEqual(gridCellCenter(square, 4, 3, 3), [1.5, 2.5]);
    const bounds = { xMin: 0.1, xMax: 0.7, yMin: -0.3, yMax: 0.2 };
    for (let row = 0; row < 7; row++) {
      for (let column = 0; column < 7; column++) {
        // today's formula, written out: the cell size first, then the offset
        assert.deepEqual(gridCellCenter(bounds, 7, column, row), [
          bounds.xMin + (column + 0.5) * ((bounds.xMax - bounds.xMin) / 7),
          bounds.yMin + (row + 0.5) * ((bounds.yMax - bounds.yMin) / 7),
        ]);
      }
    }
  });

  test("a non-square grid: columns across, rows up", () => {
    const shape = { columns: 4, rows: 2 };
    assert.deepEqual(gridCellCenter(square, shape, 1, 1), [-0.5, 2]);
    const [xs, ys] = gridCellCenters(square, shape);
    assert.deepEqual([...xs], [-1.5, -0.5, 0.5, 1.5, -1.5, -0.5, 0.5, 1.5]);
    assert.deepEqual([...ys], [0, 0, 0, 0, 2, 2, 2, 2]);
  });

  test("gridCellCenters lists every gridCellCenter in cell order", () => {
    const [xs, ys] = gridCellCenters(square, 5);
    assert.equal(xs.length, 25);
    for (let row = 0; row < 5; row++) {
      for (let column = 0; column < 5; column++) {
        const cell = row * 5 + column;
        assert.deepEqual(
          [xs[cell], ys[cell]],
          gridCellCenter(square, 5, column, row),
        );
      }
    }
  });

  test("a column or row outside the grid is refused, naming it", () => {
    assert.throws(() => gridCellCenter(square, 4, 4, 0), {
      name: "FieldRangeError",
      field: "column",
      message:
        "gridCellCenter: column must be an integer from 0 to 3, got the number 4",
    });
    assert.throws(() => gridCellCenter(square, 4, 0, -1), { field: "row" });
    assert.throws(() => gridCellCenter(square, 4, 0.5, 0), { field: "column" });
  });
});

describe("evaluateGrid: the model's outputs per cell", () => {
  test("row-major, row 0 at yMin, each cell is predict at its centre", () => {
    const model = new MLP(2, [5, 1], { seed: 3 });
    const grid = evaluateGrid(model, square, 4);
    assert.equal(grid.length, 16);
    for (let row = 0; row < 4; row++) {
      for (let column = 0; column < 4; column++) {
        assert.equal(
          grid[row * 4 + column],
          model.predict(gridCellCenter(square, 4, column, row))[0],
        );
      }
    }
  });

  test("several outputs are interleaved per cell; a non-square grid too", () => {
    const model = new MLP(2, [4, 3], { seed: 5 });
    const shape = { columns: 3, rows: 2 };
    const grid = evaluateGrid(model, square, shape);
    assert.equal(grid.length, 3 * 2 * 3);
    // cell (row 1, column 2) is cell 5: outputs 15, 16, 17
    assert.deepEqual(
      [...grid.subarray(15, 18)],
      model.predict(gridCellCenter(square, shape, 2, 1)),
    );
  });

  test("Trainer.evaluateGrid is evaluateGrid on the trainer's model, bit for bit", () => {
    const trainer = new Trainer({ dataset: "blobs", classes: 3, points: 30 });
    trainer.step();
    const bounds = trainer.dataBounds();
    assert.deepEqual(
      trainer.evaluateGrid(bounds, 9),
      evaluateGrid(trainer.model, bounds, 9),
    );
  });

  test("{ neurons: true }: every neuron per cell is MLP.activations at the centre", () => {
    const model = new MLP(2, [3, 4, 2], { activation: "tanh", seed: 11 });
    const shape = { columns: 5, rows: 3 };
    const grids = evaluateGrid(model, square, shape, { neurons: true });
    assert.equal(grids.columns, 5);
    assert.equal(grids.rows, 3);
    assert.deepEqual(grids.inputs, gridCellCenters(square, shape));
    assert.deepEqual(grids.layers.map((layer) => layer.length), [3, 4, 2]);
    for (let cell = 0; cell < 15; cell++) {
      const point = [grids.inputs[0][cell], grids.inputs[1][cell]];
      const expected = model.activations(point);
      for (let l = 0; l < expected.length; l++) {
        for (let j = 0; j < expected[l].length; j++) {
          assert.equal(grids.layers[l][j][cell], expected[l][j]);
        }
      }
    }
    // the outputs are the plain grid, exactly
    assert.deepEqual(grids.outputs, evaluateGrid(model, square, shape));
    assert.ok(
      evaluateGrid(model, square, 2, { neurons: false }) instanceof
        Float64Array,
    );
  });
});

describe("bad grids are refused, naming the field", () => {
  const model = new MLP(2, [1]);
  const cases: [() => unknown, string, string][] = [
    [() => evaluateGrid(model, null as never, 4), "FieldTypeError", "bounds"],
    [
      () => evaluateGrid(model, { ...square, xMin: "0" as never }, 4),
      "FieldTypeError",
      "bounds.xMin",
    ],
    [
      () => evaluateGrid(model, { ...square, yMax: NaN }, 4),
      "FieldRangeError",
      "bounds.yMax",
    ],
    [
      () => evaluateGrid(model, { ...square, yMax: Infinity }, 4),
      "FieldRangeError",
      "bounds.yMax",
    ],
    [
      () => evaluateGrid(model, { ...square, xMax: -2 }, 4),
      "FieldRangeError",
      "bounds",
    ],
    [() => evaluateGrid(model, square, 0), "FieldRangeError", "resolution"],
    [() => evaluateGrid(model, square, 2.5), "FieldRangeError", "resolution"],
    [
      () => evaluateGrid(model, square, MAX_GRID_RESOLUTION + 1),
      "FieldRangeError",
      "resolution",
    ],
    [
      () => evaluateGrid(model, square, "8" as never),
      "FieldTypeError",
      "resolution",
    ],
    [
      () => evaluateGrid(model, square, { columns: 0, rows: 2 }),
      "FieldRangeError",
      "resolution.columns",
    ],
    [
      () => evaluateGrid(model, square, { columns: 2 } as never),
      "FieldTypeError",
      "resolution.rows",
    ],
    [
      () =>
        evaluateGrid(model, square, { columns: 2, rows: 2, depth: 2 } as never),
      "FieldRangeError",
      "depth",
    ],
    [() => evaluateGrid({} as never, square, 4), "FieldTypeError", "model"],
    [
      () => evaluateGrid(new MLP(3, [1]), square, 4),
      "FieldRangeError",
      "model",
    ],
    [
      () => evaluateGrid(model, square, 4, { neuron: true } as never),
      "FieldRangeError",
      "neuron",
    ],
    [
      () => evaluateGrid(model, square, 4, { neurons: "yes" } as never),
      "FieldTypeError",
      "options.neurons",
    ],
  ];
  for (const [call, name, field] of cases) {
    test(`${field}: ${name}`, () => {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, name);
        assert.equal((error as { field?: string }).field, field);
        assert.match(error.message, /^evaluateGrid: /);
        return true;
      });
    });
  }

  test("the messages say what is allowed", () => {
    assert.throws(() => checkGrid({ ...square, xMax: -2 }, 4), {
      message:
        "evaluateGrid: bounds must have xMin < xMax and yMin < yMax, got x from -2 to -2 and y from -1 to 3",
    });
    assert.throws(() => checkGrid(square, 0, "Trainer.evaluateGrid"), {
      message:
        "Trainer.evaluateGrid: resolution must be an integer from 1 to 4096, got the number 0",
    });
    assert.throws(() => checkGrid(square, { columns: 2, rows: 1.5 }), {
      message:
        "evaluateGrid: resolution.rows must be an integer from 1 to 4096, got the number 1.5",
    });
  });

  test("Trainer.evaluateGrid names itself", () => {
    const trainer = new Trainer();
    assert.throws(() => trainer.evaluateGrid(square, 0), {
      field: "resolution",
      message: /^Trainer\.evaluateGrid: /,
    });
  });
});

describe("dataBounds", () => {
  test("the points' rectangle widened by the margin", () => {
    const points = [[0, 1], [2, -1], [1, 0.5]];
    assert.deepEqual(dataBounds(points, 0), {
      xMin: 0,
      xMax: 2,
      yMin: -1,
      yMax: 1,
    });
    assert.deepEqual(dataBounds(points), {
      xMin: -0.25,
      xMax: 2.25,
      yMin: -1.25,
      yMax: 1.25,
    });
  });

  test("flat in one direction: that direction gets 0.5 on each side", () => {
    assert.deepEqual(dataBounds([[1, 0], [1, 2]], 0), {
      xMin: 0.5,
      xMax: 1.5,
      yMin: 0,
      yMax: 2,
    });
  });

  test("bad points or margins are refused, naming them", () => {
    assert.throws(() => dataBounds([], 0), {
      name: "FieldRangeError",
      field: "points",
    });
    assert.throws(() => dataBounds(null as never), {
      name: "FieldTypeError",
      field: "points",
    });
    assert.throws(() => dataBounds([[0, 1], [2]]), { field: "points[1]" });
    assert.throws(() => dataBounds([[0, 1], [2, Infinity]]), {
      field: "points[1][1]",
    });
    assert.throws(() => dataBounds([[0, 1]], -1), {
      name: "FieldRangeError",
      field: "margin",
      message:
        "dataBounds: margin must be a finite number >= 0, got the number -1",
    });
  });
});
