/**
 * Datasets as CSV: parseCsv(toCsv(d)) equals d for any dataset (a property
 * test), the format's liberties (header, delimiters, comments, CRLF, quoted
 * names) and every refusal, with its line and column.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CsvRangeError, CsvSyntaxError, parseCsv, toCsv } from "../src/csv.ts";
import {
  type Dataset,
  DATASET_NAMES,
  datasetFromPoints,
  makeDataset,
  makeSpiral,
} from "../src/data.ts";

const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true });
const point = fc.tuple(coordinate, coordinate);

/** Any classification dataset: k classes, labels below k, maybe named. */
const classification: fc.Arbitrary<Dataset> = fc.integer({ min: 1, max: 10 })
  .chain((classes) =>
    fc.tuple(
      fc.array(fc.tuple(point, fc.nat(classes - 1)), { maxLength: 30 }),
      fc.option(
        fc.uniqueArray(
          fc.string({ minLength: 1, maxLength: 6 }).filter((name) =>
            !/[\r\n]/.test(name)
          ),
          { minLength: classes, maxLength: classes },
        ),
        { nil: undefined },
      ),
    ).map(([rows, classNames]) =>
      datasetFromPoints(
        rows.map(([p]) => p),
        rows.map(([, label]) => label),
        classNames === undefined ? { classes } : { classNames },
      )
    )
  );

/** Any regression dataset. */
const regression: fc.Arbitrary<Dataset> = fc.array(
  fc.tuple(point, coordinate),
  { maxLength: 30 },
).map((rows) =>
  datasetFromPoints(rows.map(([p]) => p), rows.map(([, t]) => t), {
    task: "regression",
  })
);

describe("parseCsv(toCsv(d)) equals d", () => {
  test("any classification dataset, named or not", () => {
    fc.assert(
      fc.property(classification, (data) => {
        assert.deepEqual(parseCsv(toCsv(data)), data);
      }),
      { numRuns: 300 },
    );
  });

  test("any regression dataset (integer targets, -0 and 5e-324 too)", () => {
    fc.assert(
      fc.property(regression, (data) => {
        assert.deepEqual(parseCsv(toCsv(data)), data);
      }),
      { numRuns: 300 },
    );
    const edge = datasetFromPoints([[-0, 5e-324], [1e308, -1]], [3, -0], {
      task: "regression",
    });
    assert.deepEqual(parseCsv(toCsv(edge)), edge);
  });

  test("every generated dataset", () => {
    for (const name of DATASET_NAMES) {
      const data = makeDataset(name, { points: 50, classes: 4, seed: 2 });
      assert.deepEqual(parseCsv(toCsv(data)), data, name);
    }
  });

  test("what toCsv writes", () => {
    const data = makeSpiral(3, { classes: 3, seed: 1 });
    const lines = toCsv(data).split("\n");
    assert.deepEqual(lines.slice(0, 2), ["# classes: 3", "x,y,label"]);
    assert.equal(lines.length, 3 + 2 + 1); // a final newline
    const named = datasetFromPoints([[0, 0], [1, 1]], [0, 1], {
      classNames: ['a "b"', "c,d"],
    });
    assert.equal(
      toCsv(named),
      '# classes: "a ""b""","c,d"\nx,y,label\n0,0,"a ""b"""\n1,1,"c,d"\n',
    );
    assert.throws(
      () => toCsv({ x: [[0, 0]], y: [0], classes: 1, classNames: ["a\nb"] }),
      { name: "FieldRangeError", field: "classNames" },
    );
    assert.throws(() => toCsv({ x: [[0, NaN]], y: [0], classes: 2 }), {
      field: "x[0][1]",
    });
  });
});

describe("parseCsv reads what people write", () => {
  const expected = { x: [[0, 1], [2, 3.5]], y: [1, 0], classes: 2 };

  test("header or not; comma, semicolon or tab; CRLF; comments; blank lines", () => {
    for (
      const text of [
        "x,y,label\n0,1,1\n2,3.5,0\n",
        "0,1,1\n2,3.5,0",
        "x;y;label\r\n0;1;1\r\n2;3.5;0\r\n",
        "a\tb\tc\n0\t1\t1\n\n2\t3.5\t0\n",
        "# my points\n\n  x , y , label\n 0 , 1 , 1 # the first\n# more\n2,3.5,0\n",
        "0,1,1\r2,3.5,0\r",
      ]
    ) {
      assert.deepEqual(parseCsv(text), expected, JSON.stringify(text));
    }
  });

  test("class names: numbered in order of first appearance, kept for legends", () => {
    const data = parseCsv(
      '0,0,dog\n1,1,cat\n2,2,dog\n3,3,"the ""bird"", too"\n',
    );
    assert.deepEqual(data.y, [0, 1, 0, 2]);
    assert.deepEqual(data.classNames, ["dog", "cat", 'the "bird", too']);
    assert.equal(data.classes, 3);
    // once one label is a name, every label is a name
    assert.deepEqual(parseCsv("0,0,1\n1,1,b\n").classNames, ["1", "b"]);
  });

  test("integer labels: classes is the largest + 1 (at least 2), or the # classes line", () => {
    assert.equal(parseCsv("0,0,0\n1,1,0\n").classes, 2);
    assert.equal(parseCsv("0,0,0\n1,1,4\n").classes, 5);
    assert.equal(parseCsv("# classes: 7\n0,0,0\n").classes, 7);
    assert.deepEqual(
      parseCsv("# classes: a,b,c\n0,0,c\n").classNames,
      ["a", "b", "c"],
    );
  });

  test("regression: a fractional label, a # task line, or the task option", () => {
    assert.deepEqual(parseCsv("0,0,0.5\n1,1,2\n"), {
      x: [[0, 0], [1, 1]],
      y: [0.5, 2],
      classes: 0,
      task: "regression",
    });
    assert.equal(parseCsv("# task: regression\n0,0,1\n").task, "regression");
    assert.equal(parseCsv("0,0,-3\n", { task: "regression" }).y[0], -3);
    assert.equal(parseCsv("0,0,1\n").task, undefined);
  });

  test("an empty file or a header alone is an empty dataset", () => {
    assert.deepEqual(parseCsv(""), { x: [], y: [], classes: 2 });
    assert.deepEqual(parseCsv("x,y,label\n"), { x: [], y: [], classes: 2 });
  });
});

describe("parseCsv refuses a bad line, naming its line and column", () => {
  const cases: [
    string,
    string,
    typeof CsvSyntaxError | typeof CsvRangeError,
    string,
  ][] = [
    [
      "a missing column",
      "x,y,label\n0,0,0\n1,1\n",
      CsvSyntaxError,
      "line 3, column 1: row must be 3 columns (x, y, label), got 2 columns",
    ],
    [
      "an extra column",
      "0,0,0\n1,1,1,7\n",
      CsvSyntaxError,
      "line 2, column 7: row must be 3 columns (x, y, label), got 4 columns",
    ],
    [
      "text for a coordinate",
      "0,0,0\n1, abc ,1\n",
      CsvSyntaxError,
      'line 2, column 4: y must be a number, got "abc"',
    ],
    [
      "NaN",
      "0,0,0\nNaN,1,1\n",
      CsvSyntaxError,
      'line 2, column 1: x must be a number, got "NaN"',
    ],
    [
      "an empty coordinate",
      "0,0,0\n,1,1\n",
      CsvSyntaxError,
      "line 2, column 1: x must be a number, got nothing",
    ],
    [
      "a number beyond a double",
      "0,0,0\n1,1e999,1\n",
      CsvRangeError,
      'line 2, column 3: y must be a finite number (at most about 1.8e308 in size), got "1e999"',
    ],
    [
      "a negative class index",
      "0,0,0\n1,1,-1\n",
      CsvRangeError,
      "line 2, column 5: label must be a class index from 0 to 9 (or a class name; for a regression, a # task: regression line), got -1",
    ],
    [
      "a class beyond the # classes line",
      "# classes: 2\n0,0,0\n1,1,2\n",
      CsvRangeError,
      "line 3, column 5: label must be a class index from 0 to 1 (the # classes line), got 2",
    ],
    [
      "an eleventh class name",
      Array.from({ length: 11 }, (_, i) => `0,0,c${i}`).join("\n"),
      CsvRangeError,
      'line 11, column 5: label must be one of at most 10 classes, got an eleventh class "c10"',
    ],
    [
      "a name the # classes line does not list",
      "# classes: a,b\n0,0,a\n0,0,z\n",
      CsvRangeError,
      'line 3, column 5: label must be one of the classes the # classes line names (a, b), got "z"',
    ],
    [
      "an unclosed quote",
      '0,0,"cat\n',
      CsvSyntaxError,
      'line 1, column 5: row must be a closing quote ("), got none',
    ],
    [
      "an unknown task",
      "# task: clustering\n0,0,0\n",
      CsvRangeError,
      'line 1, column 9: task must be "classification" or "regression", got "clustering"',
    ],
  ];
  for (const [name, text, type, message] of cases) {
    test(name, () => {
      assert.throws(() => parseCsv(text), (error: unknown) => {
        assert.ok(error instanceof type, `a ${type.name}`);
        assert.equal((error as Error).message, `parseCsv: ${message}`);
        const { line, column } = error as CsvSyntaxError;
        assert.match(message, new RegExp(`^line ${line}, column ${column}:`));
        return true;
      });
    });
  }

  test("with the classification task forced, a fraction is a class name", () => {
    const data = parseCsv("0,0,0.5\n", { task: "classification" });
    assert.deepEqual(data.classNames, ["0.5"]);
  });

  test("a bad line anywhere means no dataset at all (nothing partial)", () => {
    const good = Array.from({ length: 1000 }, (_, i) => `${i},${i},${i % 2}`);
    assert.throws(() => parseCsv([...good, "1,2"].join("\n")), {
      line: 1001,
    });
  });

  test("not a string, or a bad task option", () => {
    assert.throws(() => parseCsv(42 as never), TypeError);
    assert.throws(() => parseCsv("", { task: "cluster" as never }), RangeError);
  });
});
