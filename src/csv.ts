/**
 * Datasets as CSV text: {@linkcode parseCsv} reads a file of your own
 * points, {@linkcode toCsv} writes any dataset so that `parseCsv` reads it
 * back equal.
 *
 * The format: one point per line, three columns `x, y, label`, separated by
 * commas, semicolons or tabs (the first data line decides); an optional
 * header line (`x,y,label`, any names); blank lines, and `#` comments (whole
 * lines, or after the last column); CRLF or LF line ends. A field may be
 * quoted (`"a, b"`, with `""` for a quote). Labels are class indices
 * (`0`, `1`, …), class names (`cat`, `dog`: numbered in order of first
 * appearance, the names kept as the dataset's `classNames` for legends), or
 * real numbers for a regression (any label with a fraction makes one).
 *
 * Two comment lines before the data say what a label cannot: `# task:
 * regression` (for targets that happen to be integers) and `# classes: 3`
 * or `# classes: cat,dog` (the class count, or the names in index order,
 * including classes without points). `toCsv` writes them.
 *
 * A bad line is refused as a whole file, never a partial dataset: a
 * {@linkcode CsvSyntaxError} (a `SyntaxError`) when the text is not
 * three fields of numbers, a {@linkcode CsvRangeError} (a `RangeError`)
 * when a value is out of range; both carry the `line` and `column` (from 1)
 * and say them in the message.
 *
 * @module
 */

import {
  checkInteger,
  checkOptions,
  describeArgument,
  failField,
  FieldRangeError,
} from "./checks.ts";
import {
  checkDataset,
  type Dataset,
  datasetFromPoints,
  datasetTask,
  MAX_DATASET_CLASSES,
  MAX_DATASET_POINTS,
  type Task,
} from "./data.ts";

/** Where in the text an error is, and what was wrong there. */
export interface CsvErrorDetails {
  /** The line, from 1. */
  line: number;
  /** The column (character) the bad field starts at, from 1. */
  column: number;
  /** What is wrong there: `"x"`, `"y"`, `"label"`, `"row"`, `"task"`, `"classes"`. */
  field: string;
  /** What would have been accepted. */
  allowed: string;
}

/**
 * A line of a CSV dataset that is not three fields of numbers (a missing or
 * extra column, text where a number belongs, an unclosed quote). A
 * `SyntaxError` with the `line` and `column`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CsvSyntaxError, parseCsv } from "./csv.ts";
 * assert.throws(() => parseCsv("x,y,label\n0,1,0\n0,oops,1\n"), (error) =>
 *   error instanceof CsvSyntaxError && error instanceof SyntaxError &&
 *   error.line === 3 && error.column === 3 && error.field === "y");
 * ```
 */
export class CsvSyntaxError extends SyntaxError {
  /** The line, from 1. */
  readonly line: number;
  /** The column the bad field starts at, from 1. */
  readonly column: number;
  /** The field at fault (`"x"`, `"y"`, `"label"`, `"row"`). */
  readonly field: string;
  /** What would have been accepted. */
  readonly allowed: string;

  /**
   * Make the error (`parseCsv` throws it).
   *
   * @param message The whole message, naming the line and column.
   * @param details Where, and what was wrong.
   */
  constructor(message: string, details: CsvErrorDetails) {
    super(message);
    this.name = "CsvSyntaxError";
    this.line = details.line;
    this.column = details.column;
    this.field = details.field;
    this.allowed = details.allowed;
  }
}

/**
 * A value of a CSV dataset out of range: a coordinate too large for a
 * double, a class index that is negative or beyond the classes, too many
 * classes or points. A `RangeError` (a `FieldRangeError`) with the `line`
 * and `column`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CsvRangeError, parseCsv } from "./csv.ts";
 * assert.throws(() => parseCsv("0,0,0\n1,1e999,1\n"), (error) =>
 *   error instanceof CsvRangeError && error instanceof RangeError &&
 *   error.line === 2 && error.column === 3);
 * ```
 */
export class CsvRangeError extends FieldRangeError {
  /** The line, from 1. */
  readonly line: number;
  /** The column the bad field starts at, from 1. */
  readonly column: number;

  /**
   * Make the error (`parseCsv` throws it).
   *
   * @param message The whole message, naming the line and column.
   * @param details Where, and what was wrong.
   */
  constructor(message: string, details: CsvErrorDetails) {
    super(message, { field: details.field, allowed: details.allowed });
    this.name = "CsvRangeError";
    this.line = details.line;
    this.column = details.column;
  }
}

/** Options of {@linkcode parseCsv}. */
export interface CsvOptions {
  /**
   * Read the labels as class indices or names (`"classification"`) or as
   * targets (`"regression"`); default: a `# task:` line, else regression
   * when some label is a number with a fraction.
   */
  task?: Task;
}

/** One field of a line, with the column it starts at. */
interface Field {
  text: string;
  column: number;
}

/** One data line, split. */
interface Row {
  line: number;
  fields: Field[];
}

/** Throw the error for `field` at `line`: `parseCsv: line L, column C: ...`. */
function fail(
  kind: "syntax" | "range",
  line: number,
  column: number,
  field: string,
  allowed: string,
  got: string,
): never {
  const message =
    `parseCsv: line ${line}, column ${column}: ${field} must be ${allowed}, got ${got}`;
  const details = { line, column, field, allowed };
  throw kind === "syntax"
    ? new CsvSyntaxError(message, details)
    : new CsvRangeError(message, details);
}

/**
 * Split a line into fields at `delimiter` (outside quotes), stopping at an
 * unquoted `#`. Whitespace around a field is dropped; a quoted field keeps
 * its inside exactly.
 */
function splitFields(text: string, delimiter: string, line: number): Field[] {
  const fields: Field[] = [];
  let i = 0;
  for (;;) {
    while (
      i < text.length && (text[i] === " " || text[i] === "\t") &&
      text[i] !== delimiter
    ) i++;
    const column = i + 1;
    let value = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) {
          fail("syntax", line, column, "row", 'a closing quote (")', "none");
        }
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      while (
        i < text.length && (text[i] === " " || text[i] === "\t") &&
        text[i] !== delimiter
      ) i++;
      if (i < text.length && text[i] !== delimiter && text[i] !== "#") {
        fail(
          "syntax",
          line,
          i + 1,
          "row",
          "a delimiter after a quoted field",
          JSON.stringify(text[i]),
        );
      }
    } else {
      while (i < text.length && text[i] !== delimiter && text[i] !== "#") {
        value += text[i++];
      }
      value = value.trim();
    }
    fields.push({ text: value, column });
    if (i < text.length && text[i] === delimiter) {
      i++;
      continue;
    }
    return fields;
  }
}

/** A decimal number as people write it (no `0x`, `Infinity` or `NaN`). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** An integer label. */
const INTEGER = /^[+-]?\d+$/;

/** A coordinate or target: decimal text of a finite number. */
function readNumber(field: Field, line: number, name: string): number {
  // A quoted number is a number: Excel, or pandas with QUOTE_ALL, quote
  // every field.
  if (!DECIMAL.test(field.text)) {
    fail(
      "syntax",
      line,
      field.column,
      name,
      "a number",
      field.text === "" ? "nothing" : JSON.stringify(field.text),
    );
  }
  const value = Number(field.text);
  if (!Number.isFinite(value)) {
    fail(
      "range",
      line,
      field.column,
      name,
      "a finite number (at most about 1.8e308 in size)",
      JSON.stringify(field.text),
    );
  }
  return value;
}

/** What the `#` lines before the data said. */
interface Directives {
  task?: Task;
  classes?: number;
  classNames?: string[];
}

/** Read a `# task: …` or `# classes: …` comment line before the data. */
function readDirective(
  comment: string,
  line: number,
  directives: Directives,
): void {
  // `s`: a class name may hold U+2028 or U+2029, which `.` would not match.
  const match = /^#\s*(task|classes)\s*:\s*(.*)$/is.exec(comment.trim());
  if (match === null) return;
  const key = match[1].toLowerCase();
  const value = match[2].trim();
  const column = comment.indexOf(match[2]) + 1;
  if (key === "task") {
    if (value !== "classification" && value !== "regression") {
      fail(
        "range",
        line,
        column,
        "task",
        '"classification" or "regression"',
        JSON.stringify(value),
      );
    }
    directives.task = value;
    return;
  }
  if (INTEGER.test(value)) {
    const count = Number(value);
    if (count < 1 || count > MAX_DATASET_CLASSES) {
      fail(
        "range",
        line,
        column,
        "classes",
        `a class count from 1 to ${MAX_DATASET_CLASSES}`,
        value,
      );
    }
    directives.classes = count;
    return;
  }
  const fields = splitFields(value, ",", line);
  const names: string[] = [];
  for (const field of fields) {
    const at = column + field.column - 1;
    if (field.text === "" || names.includes(field.text)) {
      fail(
        "range",
        line,
        at,
        "classes",
        "distinct, non-empty class names",
        JSON.stringify(field.text),
      );
    }
    names.push(field.text);
  }
  if (names.length > MAX_DATASET_CLASSES) {
    fail(
      "range",
      line,
      column,
      "classes",
      `at most ${MAX_DATASET_CLASSES} class names`,
      `${names.length} names`,
    );
  }
  directives.classNames = names;
}

/** The delimiter a data line uses: tab, else semicolon, else comma. */
function detectDelimiter(text: string): string {
  const unquoted = text.replace(/"(?:[^"]|"")*"/g, "");
  if (unquoted.includes("\t")) return "\t";
  if (unquoted.includes(";")) return ";";
  return ",";
}

/** Whether a line is blank or a whole-line comment. */
function isSkipped(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === "" || trimmed.startsWith("#");
}

/**
 * Read a dataset from CSV text (see the module's description of the
 * format): `x, y, label` per line, header optional, comma, semicolon or
 * tab, `#` comments, CRLF. Labels are class indices, class names (numbered
 * in order of first appearance, kept as `classNames`) or, for a
 * regression, real numbers. The whole text is checked before a dataset is
 * made: the first bad line throws, naming its line and column.
 *
 * @param text The file's text.
 * @param options `task` to say how to read the labels (default: detected).
 * @returns A dataset equal to what `datasetFromPoints` makes of the same points.
 * @throws {CsvSyntaxError} a line that is not three fields of numbers.
 * @throws {CsvRangeError} a value out of range (a coordinate beyond a
 *   double, a class index below 0 or beyond the classes, more than 10
 *   classes or 1,000,000 points).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv } from "./csv.ts";
 * const data = parseCsv("x;y;label\r\n# two cats and a dog\r\n0;1;cat\r\n1;0;dog\r\n2;2;cat\r\n");
 * assert.deepEqual(data, {
 *   x: [[0, 1], [1, 0], [2, 2]],
 *   y: [0, 1, 0],
 *   classes: 2,
 *   classNames: ["cat", "dog"],
 * });
 * assert.equal(parseCsv("0\t0\t0.5\n1\t1\t-2\n").task, "regression");
 * assert.throws(() => parseCsv("0,0,0\n1,1\n"), {
 *   name: "CsvSyntaxError",
 *   message: "parseCsv: line 2, column 1: row must be 3 columns (x, y, label), got 2 columns",
 * });
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  if (typeof text !== "string") {
    throw new TypeError(
      `parseCsv: text must be a string, got ${describeArgument(text)}`,
    );
  }
  const optionTask = options?.task;
  if (
    optionTask !== undefined && optionTask !== "classification" &&
    optionTask !== "regression"
  ) {
    throw new RangeError(
      `parseCsv: options.task must be "classification" or "regression", got ${
        describeArgument(optionTask)
      }`,
    );
  }
  const lines = text.split(/\r\n|\n|\r/);
  const directives: Directives = {};
  const rows: Row[] = [];
  let delimiter: string | null = null;
  let header = false;
  for (let l = 0; l < lines.length; l++) {
    const content = lines[l];
    const line = l + 1;
    if (isSkipped(content)) {
      if (delimiter === null && content.trim() !== "") {
        readDirective(content, line, directives);
      }
      continue;
    }
    if (delimiter === null) delimiter = detectDelimiter(content);
    const fields = splitFields(content, delimiter, line);
    if (
      rows.length === 0 && !header && !DECIMAL.test(fields[0].text) &&
      (fields.length < 2 || !DECIMAL.test(fields[1].text))
    ) {
      // A header: its names do not matter, only that it has three columns.
      header = true;
      if (fields.length !== 3) {
        fail(
          "syntax",
          line,
          1,
          "row",
          "3 columns (x, y, label)",
          `${fields.length} column${fields.length === 1 ? "" : "s"}`,
        );
      }
      continue;
    }
    if (fields.length !== 3) {
      fail(
        "syntax",
        line,
        fields.length > 3 ? fields[3].column : 1,
        "row",
        "3 columns (x, y, label)",
        `${fields.length} column${fields.length === 1 ? "" : "s"}`,
      );
    }
    if (rows.length >= MAX_DATASET_POINTS) {
      fail(
        "range",
        line,
        1,
        "row",
        `at most ${MAX_DATASET_POINTS} points`,
        "one more",
      );
    }
    rows.push({ line, fields });
  }
  const points = rows.map((row) => [
    readNumber(row.fields[0], row.line, "x"),
    readNumber(row.fields[1], row.line, "y"),
  ]);
  const task = optionTask ?? directives.task ?? detectTask(rows, directives);
  if (task === "regression") {
    const targets = rows.map((row) =>
      readNumber(row.fields[2], row.line, "label")
    );
    return datasetFromPoints(points, targets, { task });
  }
  const { labels, classNames, classes } = readClasses(rows, directives);
  return datasetFromPoints(points, labels, {
    classes,
    ...(classNames === undefined ? {} : { classNames }),
  });
}

/** Regression when some label is a number with a fraction, and none a name. */
function detectTask(rows: readonly Row[], directives: Directives): Task {
  if (directives.classes !== undefined || directives.classNames) {
    return "classification";
  }
  let fraction = false;
  for (const row of rows) {
    const label = row.fields[2];
    if (!DECIMAL.test(label.text)) return "classification";
    if (!INTEGER.test(label.text)) fraction = true;
  }
  return fraction ? "regression" : "classification";
}

/** The class of every row, by index or by name, and the class count. */
function readClasses(
  rows: readonly Row[],
  directives: Directives,
): { labels: number[]; classNames?: string[]; classes: number } {
  const declared = directives.classNames;
  const byName = declared !== undefined ||
    rows.some((row) => !INTEGER.test(row.fields[2].text));
  const labels: number[] = [];
  if (byName) {
    const names = declared ? [...declared] : [];
    for (const { line, fields: [, , field] } of rows) {
      let index = names.indexOf(field.text);
      if (index < 0) {
        if (declared !== undefined || field.text === "") {
          fail(
            "range",
            line,
            field.column,
            "label",
            declared !== undefined
              ? `one of the classes the # classes line names (${
                declared.join(", ")
              })`
              : "a class index or name",
            field.text === "" ? "nothing" : JSON.stringify(field.text),
          );
        }
        if (names.length >= MAX_DATASET_CLASSES) {
          fail(
            "range",
            line,
            field.column,
            "label",
            `one of at most ${MAX_DATASET_CLASSES} classes`,
            `an eleventh class ${JSON.stringify(field.text)}`,
          );
        }
        index = names.push(field.text) - 1;
      }
      labels.push(index);
    }
    return { labels, classNames: names, classes: Math.max(1, names.length) };
  }
  const count = directives.classes;
  const limit = count ?? MAX_DATASET_CLASSES;
  let classes = count ?? 2;
  for (const { line, fields: [, , field] } of rows) {
    const label = Number(field.text) + 0; // "-0" is class 0
    if (label < 0 || label >= limit) {
      fail(
        "range",
        line,
        field.column,
        "label",
        `a class index from 0 to ${limit - 1}${
          count === undefined
            ? " (or a class name; for a regression, a # task: regression line)"
            : " (the # classes line)"
        }`,
        field.text,
      );
    }
    if (count === undefined && label >= classes) classes = label + 1;
    labels.push(label);
  }
  return { labels, classes };
}

/** A number as text that reads back as the same double, -0 included. */
function formatNumber(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** A class name as a field: quoted when it would not read back as itself. */
function formatName(name: string): string {
  return /^[^\s",;#][^",;#\t]*(?<!\s)$/.test(name) && !INTEGER.test(name)
    ? name
    : `"${name.replaceAll('"', '""')}"`;
}

/** The keys of a {@linkcode Dataset}: `toCsv` refuses others (a typo such as `classnames` would lose the names). */
const DATASET_KEYS = ["x", "y", "classes", "task", "classNames"];

/**
 * Check that `dataset` is one `parseCsv` can read back once written: a valid
 * dataset ({@linkcode checkDataset}: points, labels, class names), no
 * unknown keys, no more points or classes than `parseCsv` takes, a
 * regression without classes, and class names a CSV file can hold.
 */
function checkWritable(dataset: unknown): Dataset {
  const where = "toCsv";
  const data = checkDataset(dataset, where);
  checkOptions(data, where, DATASET_KEYS, "dataset");
  if (data.x.length > MAX_DATASET_POINTS) {
    failField(
      "range",
      where,
      "x",
      `an array of at most ${MAX_DATASET_POINTS} points (as parseCsv reads)`,
      data.x,
    );
  }
  if (datasetTask(data) === "regression") {
    if (data.classes !== 0) {
      failField("range", where, "classes", "0 for a regression", data.classes);
    }
    if (data.classNames !== undefined) {
      failField(
        "range",
        where,
        "classNames",
        "absent for a regression (its labels are targets, not classes)",
        data.classNames,
      );
    }
    return data;
  }
  checkInteger(data.classes, where, "classes", 1, MAX_DATASET_CLASSES);
  data.classNames?.forEach((name, i) => {
    // A line break would end the line; a lone surrogate (half of an emoji)
    // cannot be written to a UTF-8 file, so would not read back.
    if (/[\r\n]|\p{Cs}/u.test(name)) {
      failField(
        "range",
        where,
        `classNames[${i}]`,
        "a name without line breaks or lone surrogates (a CSV line in a UTF-8 file cannot hold them)",
        name,
      );
    }
  });
  return data;
}

/**
 * Write a dataset as CSV text that {@linkcode parseCsv} reads back equal
 * (deep-equal: numbers are written as the shortest text of the same double,
 * -0 included). A header `x,y,label`, then one line per point; before it, a
 * `# task: regression` line for a regression, and a `# classes:` line with
 * the class count or, when the dataset has `classNames`, the names (the
 * labels are then written as names).
 *
 * The dataset is checked first, so that nothing `parseCsv` would refuse is
 * written: besides what {@linkcode checkDataset} checks (points, labels,
 * `classNames` one distinct, non-empty name per class), at most 1,000,000
 * points and 10 classes, a regression with `classes` 0 and no names, class
 * names without line breaks, and no keys a dataset does not have. Every
 * dataset the library makes (the generators, `datasetFromPoints`,
 * `parseCsv`) reads back deep-equal; another reads back equal in meaning,
 * with what the CSV does not distinguish in its canonical form: a `task:
 * "classification"` key or an optional key set to `undefined` absent, and a
 * class label -0 as 0.
 *
 * @param dataset Any valid dataset (checked first).
 * @returns The text, lines ending in `\n`.
 * @throws {FieldTypeError} a value of the wrong type, named (`x[3][1]`,
 *   `classNames[1]`).
 * @throws {FieldRangeError} a value out of range, named (`classNames`,
 *   `classes`, `y[7]`), or an unknown key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetFromPoints } from "./data.ts";
 * import { parseCsv, toCsv } from "./csv.ts";
 * const data = datasetFromPoints([[0.5, -1], [2, 3]], [1, 0], { classNames: ["a", "b"] });
 * assert.equal(toCsv(data), "# classes: a,b\nx,y,label\n0.5,-1,b\n2,3,a\n");
 * assert.deepEqual(parseCsv(toCsv(data)), data);
 * assert.throws(() => toCsv({ ...data, classNames: ["a", "a"] }), {
 *   name: "FieldRangeError",
 *   field: "classNames[1]",
 *   message: 'toCsv: classNames[1] must be a non-empty name used by no other class, got a string ("a")',
 * });
 * assert.throws(() => toCsv({ ...data, classNames: ["a"] }), { field: "classNames" });
 * assert.throws(() => toCsv({ ...data, classes: 11, classNames: undefined }), { field: "classes" });
 * ```
 */
export function toCsv(dataset: Dataset): string {
  checkWritable(dataset);
  const lines: string[] = [];
  const regression = datasetTask(dataset) === "regression";
  const names = dataset.classNames;
  if (regression) {
    lines.push("# task: regression");
  } else if (names !== undefined) {
    lines.push(`# classes: ${names.map(formatName).join(",")}`);
  } else {
    lines.push(`# classes: ${dataset.classes}`);
  }
  lines.push("x,y,label");
  for (let i = 0; i < dataset.x.length; i++) {
    const [x, y] = dataset.x[i];
    const label = dataset.y[i];
    // A class index is written as `String`, -0 as 0 (as parseCsv reads it).
    const text = regression
      ? formatNumber(label)
      : names === undefined
      ? String(label)
      : formatName(names[label]);
    lines.push(`${formatNumber(x)},${formatNumber(y)},${text}`);
  }
  return lines.join("\n") + "\n";
}
