/**
 * The explorer's tiny language: a learner writes
 *
 * ```text
 * x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432
 * o = tanh(x1*w1 + x2*w2 + b)
 * ```
 *
 * and gets a graph of library `Value`s, one labelled node per name, with the
 * last assigned name as the output.
 *
 * The language, precisely:
 * - A program is assignments `name = expression`, separated by newlines or
 *   `;`. Blank lines, extra `;` and `#` comments (to the end of the line) are
 *   ignored. Inside parentheses a newline does not end the statement.
 * - Expressions: numbers (`2`, `-3`, `0.5`, `.5`, `1e-3`, `6.02E+23`), names
 *   assigned on an earlier line, `+ - * /`, `**`, unary minus, parentheses and
 *   the one-argument functions of the op table (`tanh exp log relu sigmoid`,
 *   see `FUNCTION_NAMES`).
 * - Precedence as in Python: `**` binds tightest and is right-associative
 *   (`2**3**2` is `2**(3**2)` = 512) and binds tighter than a unary minus on
 *   its left (`-2**2` is `-(2**2)` = -4) but accepts one on its right
 *   (`2**-1` = 0.5); then unary minus; then `* /`; then `+ -`, all left-associative.
 * - A minus sign directly in front of a number is part of the number: `w = -3`
 *   makes a leaf holding -3 (not a negation node), as the lecture writes it.
 * - A number exponent (`x**2`, `x**-1`) is a constant, as in micrograd; any
 *   other exponent is a `Value` and gets a gradient too.
 * - Every name is assigned exactly once: the program describes a graph of
 *   values, not a sequence of updates to variables, so `c = c + 1` is an error
 *   (write `c2 = c + 1`). `y = x` is an error too: it would not make a node,
 *   only a second name for `x`.
 * - Dividing by a zero literal is not an error: it gives ±Infinity (or NaN
 *   for `0/0`), as IEEE 754 arithmetic does.
 *
 * The parser is hand-written (a tokenizer and a recursive-descent parser); no
 * text is ever handed to `eval`, `Function` or HTML. Every error is a
 * {@linkcode ParseError} carrying the line and column of the offending text.
 *
 * @module
 */

import { editDistance } from "../../src/checks.ts";
import { Value } from "../../src/engine.ts";
import { FUNCTION_NAMES, type FunctionName } from "../../src/ops.ts";

/** A place in the source text. `line` and `column` count from 1. */
export interface SourcePosition {
  /** Index of the character in the source string (counts from 0). */
  offset: number;
  /** Line number, from 1. */
  line: number;
  /** Column number (in UTF-16 code units), from 1. */
  column: number;
}

/** A stretch of source text; `end` is just past its last character. */
export interface SourceSpan {
  /** Where it starts. */
  start: SourcePosition;
  /** Just past where it ends. */
  end: SourcePosition;
}

// The one-argument functions the language knows: the op table's operations
// written `name(x)`, so a new one is callable here without a change.
export { FUNCTION_NAMES } from "../../src/ops.ts";
export type { FunctionName } from "../../src/ops.ts";

/** A binary operator of the language. */
export type BinaryOperator = "+" | "-" | "*" | "/" | "**";

/** A number literal (a leading minus directly on a number is folded in). */
export interface NumberLiteral {
  /** Discriminant. */
  kind: "number";
  /** The number it stands for. */
  value: number;
  /** Where it is. */
  span: SourceSpan;
}

/** A reference to a name assigned on an earlier line. */
export interface NameReference {
  /** Discriminant. */
  kind: "name";
  /** The name. */
  name: string;
  /** Where it is. */
  span: SourceSpan;
}

/** `-operand` (for anything but a plain number). */
export interface Negation {
  /** Discriminant. */
  kind: "negate";
  /** What is negated. */
  operand: Expression;
  /** From the minus sign to the end of the operand. */
  span: SourceSpan;
}

/** `left operator right`. */
export interface BinaryExpression {
  /** Discriminant. */
  kind: "binary";
  /** The operator. */
  operator: BinaryOperator;
  /** Left operand. */
  left: Expression;
  /** Right operand. */
  right: Expression;
  /** Where the operator itself is (for errors and highlighting). */
  operatorSpan: SourceSpan;
  /** The whole expression. */
  span: SourceSpan;
}

/** `function(argument)`. */
export interface FunctionCall {
  /** Discriminant. */
  kind: "call";
  /** Which function. */
  callee: FunctionName;
  /** Its argument. */
  argument: Expression;
  /** The whole call, from the function name to the closing parenthesis. */
  span: SourceSpan;
}

/** Any expression of the language. */
export type Expression =
  | NumberLiteral
  | NameReference
  | Negation
  | BinaryExpression
  | FunctionCall;

/** One line `name = expression`. */
export interface Assignment {
  /** The name being assigned. */
  name: string;
  /** Where the name is. */
  nameSpan: SourceSpan;
  /** The right-hand side. */
  expression: Expression;
  /** From the name to the end of the expression. */
  span: SourceSpan;
}

/** A parsed program: its assignments in order; the last one is the output. */
export interface Program {
  /** The text it was parsed from. */
  source: string;
  /** The assignments, in source order (never empty). */
  assignments: Assignment[];
  /** The name of the output (the last assigned name). */
  output: string;
  /**
   * How many values evaluating it creates (numbers and operations; a
   * number exponent is a constant, not a value): an upper bound on the
   * output's graph, known before anything is built.
   */
  valueCount: number;
}

/**
 * A syntax or name error in a program, with where it is.
 *
 * `message` reads `line 2, column 7: <reason>`; `reason` is the part after
 * the position, for showing next to a caret under {@linkcode ParseError.lineText}.
 */
export class ParseError extends Error {
  /** Line of the error, from 1. */
  readonly line: number;
  /** Column of the error, from 1. */
  readonly column: number;
  /** Offset of the error in the source, from 0. */
  readonly offset: number;
  /** How many characters the error covers (at least 1, for a caret). */
  readonly length: number;
  /** What is wrong, without the position. */
  readonly reason: string;
  /** The full text of the line the error is on (without the newline). */
  readonly lineText: string;

  /** Make an error at `span` (as produced by the parser). */
  constructor(reason: string, source: string, start: number, end: number) {
    const position = positionAt(source, start);
    super(`line ${position.line}, column ${position.column}: ${reason}`);
    this.name = "ParseError";
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
    this.offset = start;
    this.length = Math.max(1, end - start);
    const lineStart = start - (position.column - 1);
    let lineEnd = source.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = source.length;
    this.lineText = source.slice(lineStart, lineEnd).replace(/\r$/, "");
  }
}

/** Offsets where each line starts (0 first), for {@linkcode positionIn}. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

/**
 * Line and column of `offset` by binary search over `starts` (from
 * {@linkcode lineStarts}): the parser asks this for every node, so a scan
 * from the start of the text each time would make parsing quadratic.
 */
function positionIn(starts: readonly number[], offset: number): SourcePosition {
  let low = 0, high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { offset, line: low + 1, column: offset - starts[low] + 1 };
}

/** Line and column (from 1) of `offset` in `source`. */
function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

type TokenKind =
  | "number"
  | "name"
  | "+"
  | "-"
  | "*"
  | "/"
  | "**"
  | "("
  | ")"
  | "="
  | ","
  | "separator"
  | "end";

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const NUMBER_PATTERN = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME_PATTERN = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NAME_CHARACTER = /[\p{L}\p{N}_.]/u;

/** Split the source into tokens; newlines inside parentheses are skipped. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === "\n" || c === ";") {
      // A newline inside parentheses continues the statement, as in Python;
      // a `;` there is left in, so the parser can report the missing `)`.
      if (c === "\n" && depth > 0) {
        i++;
        continue;
      }
      tokens.push({ kind: "separator", text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if ((c >= "0" && c <= "9") || c === ".") {
      NUMBER_PATTERN.lastIndex = i;
      const match = NUMBER_PATTERN.exec(source);
      if (!match) {
        throw new ParseError(
          "a '.' must be part of a number, like 0.5",
          source,
          i,
          i + 1,
        );
      }
      const end = i + match[0].length;
      const next = source[end];
      if (next !== undefined && NAME_CHARACTER.test(next)) {
        // "1e" or "1.2.3": the number itself is malformed. ("2x" is left to
        // the parser, which suggests writing 2*x.)
        const exponentStarted = (next === "e" || next === "E") &&
          !/[eE]/.test(match[0]);
        if (exponentStarted || next === "." || /\d/.test(next)) {
          let badEnd = end;
          while (
            badEnd < source.length && NAME_CHARACTER.test(source[badEnd])
          ) {
            badEnd++;
          }
          throw new ParseError(
            `malformed number '${source.slice(i, badEnd)}'`,
            source,
            i,
            badEnd,
          );
        }
      }
      tokens.push({ kind: "number", text: match[0], start: i, end });
      i = end;
      continue;
    }
    NAME_PATTERN.lastIndex = i;
    const name = NAME_PATTERN.exec(source);
    if (name) {
      const end = i + name[0].length;
      tokens.push({ kind: "name", text: name[0], start: i, end });
      i = end;
      continue;
    }
    if (c === "*" && source[i + 1] === "*") {
      tokens.push({ kind: "**", text: "**", start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (
      c === "+" || c === "-" || c === "*" || c === "/" || c === "(" ||
      c === ")" || c === "=" || c === ","
    ) {
      if (c === "(") depth++;
      if (c === ")" && depth > 0) depth--;
      tokens.push({ kind: c, text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    const codePoint = source.codePointAt(i) ?? 0;
    const character = String.fromCodePoint(codePoint);
    let hint = "";
    if (c === "^") hint = ": write powers with ** (x**2)";
    else if (c === "[" || c === "{") hint = ": group with ( and )";
    throw new ParseError(
      `unexpected character '${character}'${hint}`,
      source,
      i,
      i + character.length,
    );
  }
  tokens.push({
    kind: "end",
    text: "",
    start: source.length,
    end: source.length,
  });
  return tokens;
}

/** How the parser names a token in an error message. */
function describeToken(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the program";
    case "separator":
      return token.text === ";" ? "';'" : "the end of the line";
    case "number":
      return `the number ${token.text}`;
    case "name":
      return `the name '${token.text}'`;
    default:
      return `'${token.text}'`;
  }
}

/** The closest candidate within edit distance 2, if any. */
function closest(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** Deep nesting beyond this is refused instead of overflowing the stack. */
const MAXIMUM_NESTING = 200;

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  readonly #lineStarts: number[];
  #index = 0;
  #depth = 0;
  /** Values the program will create (see `Program.valueCount`). */
  #values = 0;
  /** Names assigned so far, with the line they were assigned on. */
  readonly #defined = new Map<string, number>();
  /** Every `name =` at the start of a statement, for "used before defined". */
  readonly #assignedLater = new Map<string, number>();

  constructor(source: string) {
    this.#source = source;
    this.#lineStarts = lineStarts(source);
    this.#tokens = tokenize(source);
    let statementStart = true;
    for (let i = 0; i < this.#tokens.length; i++) {
      const token = this.#tokens[i];
      if (
        statementStart && token.kind === "name" &&
        this.#tokens[i + 1].kind === "=" && !this.#assignedLater.has(token.text)
      ) {
        this.#assignedLater.set(token.text, this.#lineOf(token.start));
      }
      statementStart = token.kind === "separator";
    }
  }

  #lineOf(offset: number): number {
    return positionIn(this.#lineStarts, offset).line;
  }

  #span(start: number, end: number): SourceSpan {
    return {
      start: positionIn(this.#lineStarts, start),
      end: positionIn(this.#lineStarts, end),
    };
  }

  #peek(): Token {
    return this.#tokens[this.#index];
  }

  #advance(): Token {
    const token = this.#tokens[this.#index];
    if (token.kind !== "end") this.#index++;
    return token;
  }

  #error(reason: string, token: Token): ParseError {
    return new ParseError(reason, this.#source, token.start, token.end);
  }

  parseProgram(): Program {
    const assignments: Assignment[] = [];
    while (true) {
      while (this.#peek().kind === "separator") this.#advance();
      if (this.#peek().kind === "end") break;
      assignments.push(this.#parseAssignment());
      const next = this.#peek();
      if (next.kind !== "separator" && next.kind !== "end") {
        throw this.#error(this.#unexpectedAfterExpression(next), next);
      }
    }
    if (assignments.length === 0) {
      throw new ParseError(
        "empty program: write at least one line like `y = 2 * x`, with x assigned before it",
        this.#source,
        0,
        0,
      );
    }
    return {
      source: this.#source,
      assignments,
      output: assignments[assignments.length - 1].name,
      valueCount: this.#values,
    };
  }

  #unexpectedAfterExpression(token: Token): string {
    const found = describeToken(token);
    if (token.kind === "name" && this.#tokens[this.#index + 1].kind === "=") {
      return `expected the end of the line before '${token.text} =': ` +
        "separate assignments with a newline or ';'";
    }
    if (
      token.kind === "name" || token.kind === "number" || token.kind === "("
    ) {
      const previous = this.#tokens[this.#index - 1];
      return `expected an operator or the end of the line, found ${found}: ` +
        `to multiply, write ${previous.text}*${token.text}`;
    }
    if (token.kind === ")") {
      return "unmatched ')': there is no '(' before it";
    }
    if (token.kind === "=") {
      return "unexpected '=': write one assignment per line (or separate them with ';')";
    }
    if (token.kind === ",") {
      return "unexpected ',': functions take one argument and separate statements with ';'";
    }
    return `expected an operator or the end of the line, found ${found}`;
  }

  #parseAssignment(): Assignment {
    const nameToken = this.#advance();
    if (nameToken.kind !== "name") {
      throw this.#error(
        `expected a name to assign, like \`y = ...\`, found ${
          describeToken(nameToken)
        }`,
        nameToken,
      );
    }
    const name = nameToken.text;
    const equals = this.#peek();
    if (equals.kind !== "=") {
      throw this.#error(
        `expected '=' after '${name}': every line is \`name = expression\``,
        equals,
      );
    }
    if (isFunctionName(name)) {
      throw this.#error(
        `'${name}' is a built-in function and cannot be assigned; choose another name`,
        nameToken,
      );
    }
    const earlier = this.#defined.get(name);
    if (earlier !== undefined) {
      throw this.#error(
        `'${name}' is already assigned on line ${earlier}; every name is assigned once ` +
          `(the program describes a graph of values), so use a new name like '${name}2'`,
        nameToken,
      );
    }
    this.#advance();
    const expression = this.#parseExpression();
    if (expression.kind === "name") {
      throw new ParseError(
        `'${name} = ${expression.name}' would only give '${expression.name}' a second name, ` +
          `not make a new node; use '${expression.name}' directly`,
        this.#source,
        nameToken.start,
        expression.span.end.offset,
      );
    }
    this.#defined.set(name, this.#lineOf(nameToken.start));
    return {
      name,
      nameSpan: this.#span(nameToken.start, nameToken.end),
      expression,
      span: this.#span(nameToken.start, expression.span.end.offset),
    };
  }

  /** additive := multiplicative (('+' | '-') multiplicative)* */
  #parseExpression(): Expression {
    let left = this.#parseMultiplicative();
    while (this.#peek().kind === "+" || this.#peek().kind === "-") {
      const operator = this.#advance();
      const right = this.#parseMultiplicative();
      left = this.#binary(operator, left, right);
    }
    return left;
  }

  /** multiplicative := unary (('*' | '/') unary)* */
  #parseMultiplicative(): Expression {
    let left = this.#parseUnary();
    while (this.#peek().kind === "*" || this.#peek().kind === "/") {
      const operator = this.#advance();
      const right = this.#parseUnary();
      left = this.#binary(operator, left, right);
    }
    return left;
  }

  #binary(operator: Token, left: Expression, right: Expression): Expression {
    // One operation node; a number exponent is its constant, not a leaf.
    this.#values += operator.kind === "**" && right.kind === "number" ? 0 : 1;
    return {
      kind: "binary",
      operator: operator.kind as BinaryOperator,
      left,
      right,
      operatorSpan: this.#span(operator.start, operator.end),
      span: this.#span(left.span.start.offset, right.span.end.offset),
    };
  }

  /** unary := '-' unary | power */
  #parseUnary(): Expression {
    const token = this.#peek();
    if (token.kind === "-") {
      this.#enter(token);
      this.#advance();
      const operand = this.#parseUnary();
      this.#depth--;
      const span = this.#span(token.start, operand.span.end.offset);
      // "-3" is the number -3, a leaf, as the lecture writes `w1 = -3`.
      if (operand.kind === "number") {
        return { kind: "number", value: -operand.value, span };
      }
      this.#values++;
      return { kind: "negate", operand, span };
    }
    if (token.kind === "+") {
      throw this.#error(
        "unexpected '+': a unary plus is not needed, write the number or name alone",
        token,
      );
    }
    return this.#parsePower();
  }

  /** power := primary ('**' unary)?  (right-associative through unary) */
  #parsePower(): Expression {
    const base = this.#parsePrimary();
    if (this.#peek().kind !== "**") return base;
    const operator = this.#advance();
    this.#enter(operator);
    const exponent = this.#parseUnary();
    this.#depth--;
    return this.#binary(operator, base, exponent);
  }

  #enter(token: Token): void {
    if (++this.#depth > MAXIMUM_NESTING) {
      throw this.#error(
        `expression nested more than ${MAXIMUM_NESTING} levels deep`,
        token,
      );
    }
  }

  /** primary := number | name | function '(' expression ')' | '(' expression ')' */
  #parsePrimary(): Expression {
    const token = this.#advance();
    switch (token.kind) {
      case "number":
        this.#values++;
        return {
          kind: "number",
          value: Number(token.text),
          span: this.#span(token.start, token.end),
        };
      case "name":
        return this.#parseNameOrCall(token);
      case "(": {
        this.#enter(token);
        const inner = this.#parseExpression();
        this.#depth--;
        const closing = this.#expectClosing(token);
        // Parentheses only group (no node of their own), but they belong to
        // the expression's span.
        return { ...inner, span: this.#span(token.start, closing.end) };
      }
      default: {
        const what = token.kind === "end" || token.kind === "separator"
          ? `an expression, found ${describeToken(token)}`
          : `a number, a name or '(', found ${describeToken(token)}`;
        throw this.#error(`expected ${what}`, token);
      }
    }
  }

  #expectClosing(opening: Token): Token {
    const token = this.#peek();
    if (token.kind === ")") return this.#advance();
    if (token.kind === ",") {
      throw this.#error("functions take exactly one argument", token);
    }
    throw new ParseError(
      `missing ')' to close the '(' at column ${
        positionAt(this.#source, opening.start).column
      }, found ${describeToken(token)}`,
      this.#source,
      token.start,
      token.end,
    );
  }

  #parseNameOrCall(token: Token): Expression {
    const name = token.text;
    if (this.#peek().kind === "(") {
      if (!isFunctionName(name)) {
        if (this.#defined.has(name)) {
          throw this.#error(
            `'${name}' is a value, not a function: to multiply, write ${name}*(...)`,
            token,
          );
        }
        const suggestion = closest(name, FUNCTION_NAMES);
        throw this.#error(
          `unknown function '${name}'${
            suggestion ? ` (did you mean '${suggestion}'?)` : ""
          }; the functions are ${FUNCTION_NAMES.join(", ")}`,
          token,
        );
      }
      const opening = this.#advance();
      this.#enter(opening);
      if (this.#peek().kind === ")") {
        throw this.#error(
          `'${name}' takes one argument, like ${name}(x)`,
          this.#peek(),
        );
      }
      const argument = this.#parseExpression();
      this.#depth--;
      const closing = this.#expectClosing(opening);
      this.#values++;
      return {
        kind: "call",
        callee: name,
        argument,
        span: this.#span(token.start, closing.end),
      };
    }
    if (isFunctionName(name)) {
      throw this.#error(
        `'${name}' is a function: call it with an argument, like ${name}(x)`,
        token,
      );
    }
    if (!this.#defined.has(name)) {
      const laterLine = this.#assignedLater.get(name);
      const currentLine = this.#lineOf(token.start);
      let reason: string;
      if (laterLine !== undefined && laterLine >= currentLine) {
        reason = laterLine === currentLine
          ? `'${name}' is not defined yet: a name cannot be used in its own definition`
          : `'${name}' is used before it is assigned (on line ${laterLine}); assign it first`;
      } else {
        const suggestion = closest(name, this.#defined.keys());
        reason = `'${name}' is not defined${
          suggestion ? ` (did you mean '${suggestion}'?)` : ""
        }`;
      }
      throw this.#error(reason, token);
    }
    return { kind: "name", name, span: this.#span(token.start, token.end) };
  }
}

/**
 * Parse a program of the explorer's language into its syntax tree.
 *
 * @throws {ParseError} on any syntax error, a name used before it is
 *   assigned, an unknown function, a name assigned twice or an empty program.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseProgram } from "./parser.ts";
 * const program = parseProgram("a = 2; b = -3; c = a*b + 1");
 * assert.equal(program.output, "c");
 * assert.equal(program.assignments.length, 3);
 * assert.equal(program.valueCount, 5); // 2, -3, a*b, 1 and the sum
 * ```
 */
export function parseProgram(source: string): Program {
  if (typeof source !== "string") {
    throw new TypeError(
      `parseProgram: expected the program as a string, got ${typeof source}`,
    );
  }
  return new Parser(source).parseProgram();
}

/** The result of running a program: its graph of values. */
export interface EvaluatedProgram {
  /** The parsed program. */
  program: Program;
  /** The node of the last assigned name. */
  output: Value;
  /** Every assigned name's node, in assignment order. */
  values: Map<string, Value>;
}

/**
 * The value of `expression`, building its nodes. Iterative (an explicit
 * stack, operands before the operation), so `a * a * … * a` with thousands
 * of factors, a left-leaning tree that deep, cannot overflow the call stack.
 */
function evaluateExpression(
  expression: Expression,
  values: ReadonlyMap<string, Value>,
): Value {
  const results: Value[] = [];
  // [expression, whether its operands are already on `results`]
  const stack: [Expression, boolean][] = [[expression, false]];
  while (stack.length > 0) {
    const [node, ready] = stack.pop() as [Expression, boolean];
    switch (node.kind) {
      case "number":
        results.push(new Value(node.value));
        continue;
      case "name": {
        const value = values.get(node.name);
        // The parser already checked every name; this guards against a
        // hand-built Program.
        if (!value) throw new RangeError(`'${node.name}' is not defined`);
        results.push(value);
        continue;
      }
      case "negate":
        if (!ready) stack.push([node, true], [node.operand, false]);
        else results.push((results.pop() as Value).neg());
        continue;
      case "call":
        if (!ready) {
          if (!FUNCTION_NAMES.includes(node.callee)) {
            throw new RangeError(`unknown function '${node.callee}'`);
          }
          stack.push([node, true], [node.argument, false]);
        } else {
          results.push(
            Value.fromOperation(node.callee, [results.pop() as Value]),
          );
        }
        continue;
      case "binary": {
        // A literal exponent is a constant (micrograd's `x**2`), not a node.
        const constantExponent = node.operator === "**" &&
          node.right.kind === "number";
        if (!ready) {
          stack.push([node, true]);
          if (!constantExponent) stack.push([node.right, false]);
          stack.push([node.left, false]);
          continue;
        }
        if (constantExponent) {
          const left = results.pop() as Value;
          results.push(left.pow((node.right as NumberLiteral).value));
          continue;
        }
        const right = results.pop() as Value;
        const left = results.pop() as Value;
        // Each operator is the op table's operation of the same symbol.
        results.push(Value.fromOperation(node.operator, [left, right]));
        continue;
      }
    }
  }
  return results[0];
}

/**
 * Build the graph of a parsed program: one library `Value` per operation and
 * number, each assigned name as the label of its node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateProgram, parseProgram } from "./parser.ts";
 * const { output, values } = evaluateProgram(parseProgram("x = 3; y = x**2"));
 * assert.equal(output.label, "y");
 * assert.equal(output.data, 9);
 * assert.equal(values.get("x")?.data, 3);
 * ```
 */
export function evaluateProgram(program: Program): EvaluatedProgram {
  const values = new Map<string, Value>();
  let output: Value | null = null;
  for (const assignment of program.assignments) {
    output = evaluateExpression(assignment.expression, values);
    output.label = assignment.name;
    values.set(assignment.name, output);
  }
  if (!output) throw new RangeError("evaluateProgram: the program is empty");
  return { program, output, values };
}

/**
 * Parse and evaluate in one step: source text in, graph of `Value`s out.
 *
 * @throws {ParseError} as {@linkcode parseProgram} does.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildGraph } from "./parser.ts";
 * const { output, values } = buildGraph(
 *   "x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432\n" +
 *     "o = tanh(x1*w1 + x2*w2 + b)",
 * );
 * output.backward();
 * assert.equal(output.data.toFixed(4), "0.7071");
 * assert.equal(values.get("x1")?.grad.toFixed(4), "-1.5000");
 * ```
 */
export function buildGraph(source: string): EvaluatedProgram {
  return evaluateProgram(parseProgram(source));
}
