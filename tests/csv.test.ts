/**
 * Datasets as CSV: parseCsv(toCsv(d)) equals d for any dataset (a property
 * test), the format's liberties (header, delimiters, comments, CRLF, quoted
 * names) and every refusal, with its line and column.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CsvRangeError, CsvSyntaxError, parseCsv, toCsv } from "../src/csv.ts";
import { FieldRangeError, FieldTypeError } from "../src/checks.ts";
import {
  type Dataset,
  DATASET_NAMES,
  datasetFromPoints,
  makeDataset,
  makeSpiral,
} from "../src/data.ts";

const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true });
const point = fc.tuple(coordinate, coordinate);

/**
 * A class name, made mostly of what CSV treats specially (quotes,
 * delimiters, `#`, blanks at either end, digits that make it look like an
 * index or a number, U+2028), and any other character of Unicode.
 */
const anyName: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '"',
      ",",
      ";",
      "#",
      " ",
      "\t",
      "\u00a0",
      "\u2028",
      "\ufeff",
      "0",
      "7",
      "-",
      "+",
      ".",
      "e",
      "a",
    ),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 6,
});

/** A name a CSV file can hold: non-empty, no line break, no lone surrogate. */
const className = anyName.filter((name) =>
  name !== "" && !/[\r\n]|\p{Cs}/u.test(name)
);

/** Any classification dataset: k classes, labels below k, maybe named. */
const classification: fc.Arbitrary<Dataset> = fc.integer({ min: 1, max: 10 })
  .chain((classes) =>
    fc.tuple(
      fc.array(fc.tuple(point, fc.nat(classes - 1)), { maxLength: 30 }),
      fc.option(
        fc.uniqueArray(className, { minLength: classes, maxLength: classes }),
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
      { name: "FieldRangeError", field: "classNames[0]" },
    );
    assert.throws(() => toCsv({ x: [[0, NaN]], y: [0], classes: 2 }), {
      field: "x[0][1]",
    });
  });
});

/**
 * What a dataset reads back as: the library's canonical form (no task key
 * for a classification, no optional key set to undefined, no -0 class).
 */
function canonical(data: Dataset): Dataset {
  const regression = data.task === "regression";
  const out: Dataset = {
    x: data.x.map(([x, y]) => [x, y]),
    y: regression ? [...data.y] : data.y.map((label) => label + 0),
    classes: data.classes,
  };
  if (regression) out.task = "regression";
  if (data.classNames !== undefined) out.classNames = [...data.classNames];
  return out;
}

/**
 * Any object shaped roughly like a dataset: class counts and labels a
 * little out of range, names of any length (empty, repeated, with line
 * breaks or lone surrogates), any task, sometimes a key set to undefined or
 * an unknown key. About half are valid, so both sides get exercised.
 */
const roughDataset: fc.Arbitrary<Dataset> = fc.record({
  classes: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 10 }), weight: 6 },
    { arbitrary: fc.constantFrom(-1, 0, 11, 12, 2.5), weight: 1 },
  ),
  task: fc.oneof(
    { arbitrary: fc.constant("absent"), weight: 4 },
    { arbitrary: fc.constant("regression"), weight: 3 },
    { arbitrary: fc.constantFrom(undefined, "classification"), weight: 2 },
    { arbitrary: fc.constant("clustering"), weight: 1 },
  ),
  cleanLabels: fc.boolean(),
  names: fc.oneof(
    { arbitrary: fc.constant("absent"), weight: 3 },
    { arbitrary: fc.constant("fit"), weight: 4 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.array(anyName, { maxLength: 12 }), weight: 1 },
  ),
  extra: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.constantFrom("labels", "classnames"), weight: 1 },
  ),
  seed: fc.array(fc.tuple(point, fc.nat(), coordinate), { maxLength: 12 }),
  rough: fc.tuple(fc.nat(11), fc.constantFrom(-1, 0.5, NaN, 12, 1e308)),
  fitNames: fc.uniqueArray(className, { minLength: 12, maxLength: 12 }),
  badName: fc.tuple(fc.nat(11), anyName),
}).map(({ classes, task, cleanLabels, names, extra, seed, rough, ...more }) => {
  const regression = task === "regression";
  const k = Number.isInteger(classes) && classes > 0 ? classes : 2;
  const data: Record<string, unknown> = {
    x: seed.map(([p]) => p),
    // class indices below k, a few of class 0 as -0
    y: seed.map(([, label, target]) =>
      regression ? target : label % k || (label % 2 ? -0 : 0)
    ),
    classes: regression && cleanLabels ? 0 : classes,
  };
  if (!cleanLabels && seed.length > 0) {
    (data.y as number[])[rough[0] % seed.length] = rough[1];
  }
  if (task !== "absent") data.task = task;
  if (names === "fit") {
    const fit = more.fitNames.slice(0, Math.max(0, Math.min(k, 12)));
    // sometimes one name a CSV file cannot hold, or a repeat
    if (!cleanLabels) fit[more.badName[0] % fit.length] = more.badName[1];
    data.classNames = fit;
  } else if (names !== "absent") {
    data.classNames = names;
  }
  if (extra !== undefined) data[extra] = [];
  return data as unknown as Dataset;
});

describe("toCsv refuses what parseCsv would not read back", () => {
  test("any dataset toCsv accepts reads back equal; any other is a typed error naming the field", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(roughDataset, (data) => {
        let text: string;
        try {
          text = toCsv(data);
        } catch (error) {
          assert.ok(
            error instanceof FieldTypeError || error instanceof FieldRangeError,
            String(error),
          );
          assert.match(error.message, /^toCsv: /);
          assert.ok(error.field !== "", error.message);
          refused++;
          return;
        }
        accepted++;
        assert.deepEqual(parseCsv(text), canonical(data));
      }),
      { numRuns: 2000 },
    );
    // Both sides of the property were exercised.
    assert.ok(accepted > 200, `${accepted} accepted`);
    assert.ok(refused > 200, `${refused} refused`);
  });

  const twoPoints = { x: [[0, 1], [1, 1]], y: [0, 1] };
  const cases: [string, unknown, typeof FieldTypeError, string, string][] = [
    [
      "too few class names",
      { ...twoPoints, classes: 2, classNames: ["a"] },
      FieldRangeError,
      "classNames",
      "classNames must be an array of 2 names (one per class), got an array of length 1",
    ],
    [
      "too many class names",
      { ...twoPoints, classes: 2, classNames: ["a", "b", "c"] },
      FieldRangeError,
      "classNames",
      "classNames must be an array of 2 names (one per class), got an array of length 3",
    ],
    [
      "a repeated class name",
      { ...twoPoints, classes: 2, classNames: ["a", "a"] },
      FieldRangeError,
      "classNames[1]",
      'classNames[1] must be a non-empty name used by no other class, got a string ("a")',
    ],
    [
      "an empty class name",
      { ...twoPoints, classes: 2, classNames: ["", "b"] },
      FieldRangeError,
      "classNames[0]",
      'classNames[0] must be a non-empty name used by no other class, got a string ("")',
    ],
    [
      "a class name that is not a string",
      { ...twoPoints, classes: 2, classNames: ["a", 2] },
      FieldTypeError,
      "classNames[1]",
      "classNames[1] must be a non-empty string, got the number 2",
    ],
    [
      "a class name with a line break",
      { ...twoPoints, classes: 2, classNames: ["a", "b\r"] },
      FieldRangeError,
      "classNames[1]",
      'classNames[1] must be a name without line breaks or lone surrogates (a CSV line in a UTF-8 file cannot hold them), got a string ("b\\r")',
    ],
    [
      "a class name with a lone surrogate",
      { ...twoPoints, classes: 2, classNames: ["\ud83d", "b"] },
      FieldRangeError,
      "classNames[0]",
      'classNames[0] must be a name without line breaks or lone surrogates (a CSV line in a UTF-8 file cannot hold them), got a string ("\\ud83d")',
    ],
    [
      "more classes than parseCsv reads",
      { ...twoPoints, classes: 11 },
      FieldRangeError,
      "classes",
      "classes must be an integer from 1 to 10, got the number 11",
    ],
    [
      "a regression with classes",
      { ...twoPoints, classes: 2, task: "regression" },
      FieldRangeError,
      "classes",
      "classes must be 0 for a regression, got the number 2",
    ],
    [
      "a regression with class names",
      { ...twoPoints, classes: 0, task: "regression", classNames: ["a"] },
      FieldRangeError,
      "classNames",
      "classNames must be absent for a regression (its labels are targets, not classes), got an array of length 1",
    ],
    [
      "a typo for classNames",
      { ...twoPoints, classes: 2, classnames: ["a", "b"] },
      FieldRangeError,
      "classnames",
      'unknown field "classnames" (did you mean "classNames"?); allowed fields are x, y, classes, task, classNames',
    ],
    [
      "a hole in the points",
      // deno-lint-ignore no-sparse-arrays
      { x: [[0, 1], , [1, 1]], y: [0, 1, 0], classes: 2 },
      FieldTypeError,
      "x[1]",
      "x[1] must be a point [x, y] of two finite numbers, got an empty slot (a hole in a sparse array)",
    ],
    [
      "a label beyond the classes",
      { ...twoPoints, y: [0, 2], classes: 2 },
      FieldRangeError,
      "y[1]",
      "y[1] must be a class index (an integer from 0 to 1), got the number 2",
    ],
  ];
  for (const [name, data, type, field, message] of cases) {
    test(name, () => {
      assert.throws(() => toCsv(data as Dataset), (error: unknown) => {
        assert.ok(error instanceof type, `a ${type.name}: ${error}`);
        assert.equal((error as FieldTypeError).field, field);
        assert.equal((error as Error).message, `toCsv: ${message}`);
        return true;
      });
    });
  }

  test("more points than parseCsv reads", () => {
    const x = Array.from({ length: 1_000_001 }, () => [0, 0]);
    assert.throws(() => toCsv({ x, y: x.map(() => 0), classes: 1 }), {
      name: "FieldRangeError",
      field: "x",
      message:
        "toCsv: x must be an array of at most 1000000 points (as parseCsv reads), got an array of length 1000001",
    });
  });

  test("a class label -0 is written as class 0, and a task key of classification is the default", () => {
    const data: Dataset = {
      x: [[0, 0], [1, 1]],
      y: [-0, 1],
      classes: 2,
      task: "classification",
    };
    assert.equal(toCsv(data), "# classes: 2\nx,y,label\n0,0,0\n1,1,1\n");
    assert.deepEqual(parseCsv(toCsv(data)), {
      x: [[0, 0], [1, 1]],
      y: [0, 1],
      classes: 2,
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

  test("every field quoted (Excel, pandas' QUOTE_ALL): a quoted number is a number", () => {
    assert.deepEqual(
      parseCsv('"x","y","label"\r\n"0","1","1"\r\n"2","3.5","0"\r\n'),
      expected,
    );
    assert.deepEqual(parseCsv('"0";"1";"a"\n"2";"3.5";"b"\n'), {
      x: [[0, 1], [2, 3.5]],
      y: [0, 1],
      classes: 2,
      classNames: ["a", "b"],
    });
    assert.deepEqual(parseCsv('"0","0","0.5"\n"1","1","-2"\n'), {
      x: [[0, 0], [1, 1]],
      y: [0.5, -2],
      classes: 0,
      task: "regression",
    });
    // A quoted name is still a name, and once one label is a name, every
    // label is one (as unquoted).
    assert.deepEqual(parseCsv('0,0,"cat"\n').classNames, ["cat"]);
    assert.deepEqual(parseCsv('"0","0","1"\n1,1,b\n').classNames, ["1", "b"]);
    // Quoted text where a number belongs is refused as before.
    assert.throws(() => parseCsv('0,0,0\n"1","abc","1"\n'), {
      name: "CsvSyntaxError",
      message: 'parseCsv: line 2, column 5: y must be a number, got "abc"',
    });
    assert.throws(() => parseCsv('"",0,0\n'), {
      message: "parseCsv: line 1, column 1: x must be a number, got nothing",
    });
  });

  test("toCsv quotes no number", () => {
    for (const name of DATASET_NAMES) {
      const text = toCsv(makeDataset(name, { points: 30, seed: 5 }));
      assert.ok(!text.includes('"'), name);
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
