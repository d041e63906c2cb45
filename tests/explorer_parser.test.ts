/**
 * The explorer's tiny language: what each construct means, how tightly the
 * operators bind, what the graph it builds looks like, and where errors are
 * reported.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "../src/engine.ts";
import {
  buildGraph,
  type Expression,
  ParseError,
  parseProgram,
} from "../playground/explorer/parser.ts";

/** The output's data of a program. */
function run(source: string): number {
  return buildGraph(source).output.data;
}

/** The error a program raises (fails the test if it parses). */
function errorOf(source: string): ParseError {
  try {
    buildGraph(source);
  } catch (error) {
    assert.ok(
      error instanceof ParseError,
      `expected a ParseError, got ${error}`,
    );
    return error;
  }
  assert.fail(`expected ${JSON.stringify(source)} to be rejected`);
}

/** The expression as fully parenthesised text, to check how it grouped. */
function shape(expression: Expression): string {
  switch (expression.kind) {
    case "number":
      return String(expression.value);
    case "name":
      return expression.name;
    case "negate":
      return `(-${shape(expression.operand)})`;
    case "call":
      return `${expression.callee}(${shape(expression.argument)})`;
    case "binary":
      return `(${shape(expression.left)} ${expression.operator} ${
        shape(expression.right)
      })`;
  }
}

function parsedShape(expression: string): string {
  const program = parseProgram(`a = 1; b = 2; c = 3; y = ${expression}`);
  return shape(program.assignments[3].expression);
}

describe("numbers", () => {
  test("integers, decimals, leading and trailing dots, exponents", () => {
    assert.equal(run("y = 42"), 42);
    assert.equal(run("y = 0.5"), 0.5);
    assert.equal(run("y = .5"), 0.5);
    assert.equal(run("y = 2."), 2);
    assert.equal(run("y = 1e-3"), 0.001);
    assert.equal(run("y = 6.02E+23"), 6.02e23);
    assert.equal(run("y = 6.8813735870195432"), 6.8813735870195432);
  });

  test("a minus sign on a number makes a negative leaf, not a negation node", () => {
    const { output } = buildGraph("w = -3");
    assert.equal(output.op, "");
    assert.equal(output.data, -3);
    assert.equal(output.label, "w");
  });

  test("malformed numbers are reported where they are", () => {
    const exponent = errorOf("y = 1e + 2");
    assert.match(exponent.reason, /malformed number '1e'/);
    assert.equal(exponent.column, 5);
    assert.match(errorOf("y = 1.2.3").reason, /malformed number '1\.2\.3'/);
  });
});

describe("operators and precedence", () => {
  test("the four arithmetic operators and powers", () => {
    assert.equal(run("a = 7; y = a + 2"), 9);
    assert.equal(run("a = 7; y = a - 2"), 5);
    assert.equal(run("a = 7; y = a * 2"), 14);
    assert.equal(run("a = 7; y = a / 2"), 3.5);
    assert.equal(run("a = 3; y = a ** 2"), 9);
  });

  test("* and / bind tighter than + and -, all left-associative", () => {
    assert.equal(parsedShape("a + b * c"), "(a + (b * c))");
    assert.equal(parsedShape("a - b - c"), "((a - b) - c)");
    assert.equal(parsedShape("a / b / c"), "((a / b) / c)");
    assert.equal(parsedShape("a * b + c / a"), "((a * b) + (c / a))");
    assert.equal(run("y = 10 - 4 - 3"), 3);
    assert.equal(run("y = 8 / 4 / 2"), 1);
  });

  test("** is right-associative and binds tighter than a unary minus on its left, as in Python", () => {
    assert.equal(parsedShape("a ** b ** c"), "(a ** (b ** c))");
    assert.equal(run("y = 2 ** 3 ** 2"), 512);
    assert.equal(parsedShape("-a ** 2"), "(-(a ** 2))");
    assert.equal(run("y = -2**2"), -4);
    assert.equal(run("y = (-2)**2"), 4);
  });

  test("** accepts a unary minus on its right: 2**-1 = 0.5", () => {
    assert.equal(run("y = 2**-1"), 0.5);
    assert.equal(parsedShape("a ** -b"), "(a ** (-b))");
  });

  test("unary minus binds tighter than * and can repeat", () => {
    assert.equal(parsedShape("-a * b"), "((-a) * b)");
    assert.equal(run("a = 3; y = --a"), 3);
    assert.equal(run("y = 2 * -3"), -6);
  });

  test("parentheses group", () => {
    assert.equal(parsedShape("(a + b) * c"), "((a + b) * c)");
    assert.equal(run("y = (1 + 2) * (3 + 4)"), 21);
  });

  test("a number exponent is a constant of the ** node; any other exponent is an input with a gradient", () => {
    const constant = buildGraph("x = 3; y = x**2").output;
    assert.equal(constant.inputs.length, 1);
    assert.equal(constant.constant, 2);
    const negativeConstant = buildGraph("x = 4; y = x**-0.5").output;
    assert.equal(negativeConstant.inputs.length, 1);
    assert.equal(negativeConstant.data, 0.5);
    const { output, values } = buildGraph("x = 2; k = 3; y = x**k");
    assert.equal(output.inputs.length, 2);
    output.backward();
    assert.equal(values.get("k")?.grad, 8 * Math.log(2));
  });

  test("division by a zero literal gives Infinity (or NaN for 0/0), not an error", () => {
    assert.equal(run("y = 1 / 0"), Infinity);
    assert.equal(run("y = -1 / 0"), -Infinity);
    assert.ok(Number.isNaN(run("y = 0 / 0")));
    assert.equal(run("x = 5; y = x / (x - 5)"), Infinity);
  });
});

describe("functions", () => {
  test("tanh exp log relu sigmoid each make their node", () => {
    assert.equal(run("y = tanh(0.5)"), Math.tanh(0.5));
    assert.equal(run("y = exp(1)"), Math.E);
    assert.equal(run("y = log(1)"), 0);
    assert.equal(run("y = relu(-2)"), 0);
    assert.equal(run("y = relu(2)"), 2);
    assert.equal(run("y = sigmoid(0)"), 0.5);
    const ops = ["tanh", "exp", "log", "relu", "sigmoid"].map((name) =>
      buildGraph(`y = ${name}(1)`).output.op
    );
    assert.deepEqual(ops, ["tanh", "exp", "log", "relu", "sigmoid"]);
  });

  test("function calls nest and take any expression", () => {
    assert.equal(run("x = 2; y = exp(log(x) * 2)"), Math.exp(Math.log(2) * 2));
  });

  test("an unknown function is named, with a suggestion for a typo", () => {
    const error = errorOf("x = 1; y = tahn(x)");
    assert.match(
      error.reason,
      /unknown function 'tahn' \(did you mean 'tanh'\?\)/,
    );
    assert.equal(error.column, 12);
    assert.match(
      errorOf("y = max(1)").reason,
      /the functions are tanh, exp, log, relu, sigmoid/,
    );
  });

  test("a function takes exactly one argument and must be called", () => {
    assert.match(errorOf("y = tanh()").reason, /takes one argument/);
    assert.match(errorOf("y = tanh(1, 2)").reason, /exactly one argument/);
    assert.match(errorOf("y = tanh").reason, /is a function: call it/);
    assert.match(
      errorOf("tanh = 2").reason,
      /built-in function and cannot be assigned/,
    );
  });

  test("calling a value is refused with a hint to multiply", () => {
    assert.match(
      errorOf("x = 2; y = x(3)").reason,
      /'x' is a value, not a function: to multiply, write x\*\(...\)/,
    );
  });
});

describe("programs and the graph they build", () => {
  test("the lecture's neuron: every name labels its node, the last name is the output", () => {
    const { output, values } = buildGraph(
      "x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432; o = tanh(x1*w1 + x2*w2 + b)",
    );
    assert.equal(output.label, "o");
    assert.equal(output.data.toFixed(4), "0.7071");
    assert.deepEqual([...values.keys()], ["x1", "x2", "w1", "w2", "b", "o"]);
    for (const [name, value] of values) assert.equal(value.label, name);
    output.backward();
    assert.ok(Math.abs((values.get("x1") as Value).grad - -1.5) < 1e-12);
    assert.ok(Math.abs((values.get("w1") as Value).grad - 1) < 1e-12);
  });

  test("a name used twice is one node, so its gradient collects both uses", () => {
    const { output, values } = buildGraph("a = 3; b = a + a");
    assert.equal(output.inputs[0], output.inputs[1]);
    output.backward();
    assert.equal(values.get("a")?.grad, 2);
  });

  test("unnamed numbers inside expressions are unlabelled constant leaves", () => {
    const { output } = buildGraph("x = 2; y = 3 * x");
    const [three] = output.inputs;
    assert.equal(three.op, "");
    assert.equal(three.label, "");
    assert.equal(three.data, 3);
  });

  test("statements are separated by newlines or ';'; blank lines, extra ';' and comments are ignored", () => {
    const program = parseProgram(
      "# a comment line\n\na = 1;; b = 2 # trailing comment\r\n;\nc = a + b\n",
    );
    assert.deepEqual(program.assignments.map((a) => a.name), ["a", "b", "c"]);
    assert.equal(program.output, "c");
  });

  test("a newline inside parentheses continues the statement", () => {
    assert.equal(run("a = 1\ny = (a +\n  2) * 3"), 9);
  });

  test("names may hold letters, digits and underscores (Unicode letters too)", () => {
    assert.equal(run("x_1 = 2; β2 = 3; y = x_1 * β2"), 6);
  });

  test("every node of the AST knows where it came from", () => {
    const program = parseProgram("a = 2\nbb = a * (a + 10)");
    const second = program.assignments[1];
    assert.deepEqual(second.nameSpan.start, { offset: 6, line: 2, column: 1 });
    const expression = second.expression;
    assert.equal(expression.kind, "binary");
    if (expression.kind !== "binary") return;
    assert.deepEqual(expression.operatorSpan.start, {
      offset: 13,
      line: 2,
      column: 8,
    });
    assert.equal(expression.span.start.column, 6);
    assert.equal(expression.span.end.column, 18);
    // Parentheses make no node but belong to the span of what they group.
    assert.equal(expression.right.span.start.column, 10);
    assert.equal(expression.right.span.end.column, 18);
  });
});

describe("errors carry a position and a clear reason", () => {
  test("an empty program (or only comments) is an error at line 1, column 1", () => {
    for (const source of ["", "   \n\n", "# nothing yet", ";;"]) {
      const error = errorOf(source);
      assert.match(error.reason, /empty program/);
      assert.equal(error.line, 1);
      assert.equal(error.column, 1);
    }
  });

  test("a name that is not defined", () => {
    const error = errorOf("a = 1\ny = a + bee");
    assert.equal(error.line, 2);
    assert.equal(error.column, 9);
    assert.equal(error.length, 3);
    assert.match(error.reason, /'bee' is not defined/);
    assert.equal(error.message, "line 2, column 9: 'bee' is not defined");
    assert.equal(error.lineText, "y = a + bee");
  });

  test("a typo in a name gets a suggestion", () => {
    assert.match(
      errorOf("weight = 1; y = 2 * wieght").reason,
      /did you mean 'weight'\?/,
    );
  });

  test("a name used before the line that assigns it, or in its own definition", () => {
    const early = errorOf("y = x * 2\nx = 3");
    assert.match(
      early.reason,
      /'x' is used before it is assigned \(on line 2\)/,
    );
    assert.equal(early.column, 5);
    assert.match(
      errorOf("x = x + 1").reason,
      /cannot be used in its own definition/,
    );
  });

  test("assigning a name twice is refused: the program is a graph, not a sequence of updates", () => {
    const error = errorOf("c = 1\nc = c + 1");
    assert.equal(error.line, 2);
    assert.equal(error.column, 1);
    assert.match(error.reason, /'c' is already assigned on line 1/);
    assert.match(error.reason, /'c2'/);
  });

  test("y = x is refused: it would make no node, only a second name", () => {
    assert.match(errorOf("x = 1; y = x").reason, /second name/);
    assert.match(errorOf("x = 1; y = (x)").reason, /second name/);
  });

  test("missing ')' points at what came instead and at the '('", () => {
    const error = errorOf("a = 1\ny = (a + 2");
    assert.match(
      error.reason,
      /missing '\)' to close the '\(' at column 5, found the end of the program/,
    );
    assert.equal(error.line, 2);
    assert.equal(error.column, 11);
    assert.match(
      errorOf("y = tanh(1; z = 2").reason,
      /missing '\)'.*found ';'/,
    );
  });

  test("an unmatched ')'", () => {
    assert.match(errorOf("y = 1 + 2)").reason, /unmatched '\)'/);
  });

  test("unexpected tokens name what was found", () => {
    const dangling = errorOf("y = 2 *\nz = 1");
    assert.match(
      dangling.reason,
      /expected an expression, found the end of the line/,
    );
    assert.equal(dangling.line, 1);
    assert.equal(dangling.column, 8);
    assert.match(
      errorOf("y = * 2").reason,
      /expected a number, a name or '\(', found '\*'/,
    );
    assert.match(errorOf("2 = y").reason, /expected a name to assign/);
    assert.match(errorOf("x = 1; x + 1").reason, /expected '=' after 'x'/);
    assert.match(errorOf("y = +2").reason, /unary plus/);
  });

  test("juxtaposition suggests an explicit operator", () => {
    assert.match(errorOf("x = 2; y = 2x").reason, /to multiply, write 2\*x/);
    assert.match(
      errorOf("a = 1 b = 2").reason,
      /separate assignments with a newline or ';'/,
    );
  });

  test("characters outside the language are reported, with hints for common ones", () => {
    const caret = errorOf("x = 2; y = x ^ 2");
    assert.match(
      caret.reason,
      /unexpected character '\^': write powers with \*\*/,
    );
    assert.equal(caret.column, 14);
    assert.match(errorOf("y = 2 @ 3").reason, /unexpected character '@'/);
    assert.match(errorOf("y = [1]").reason, /group with \( and \)/);
  });

  test("absurdly deep nesting is an error, not a stack overflow", () => {
    const deep = "y = " + "(".repeat(5000) + "1" + ")".repeat(5000);
    assert.match(errorOf(deep).reason, /nested more than 200 levels/);
    assert.match(errorOf("y = " + "-".repeat(5000) + "1").reason, /nested/);
  });

  test("the source must be a string", () => {
    assert.throws(() => parseProgram(42 as unknown as string), TypeError);
  });

  test("nothing is ever evaluated as JavaScript", () => {
    // Text that would do something as JS is just a syntax error here.
    assert.throws(() => buildGraph("y = alert(1)"), ParseError);
    assert.throws(() => buildGraph("y = globalThis.x"), ParseError);
    assert.throws(() => buildGraph('y = "1" + 2'), ParseError);
  });
});

describe("big programs", () => {
  /** A program of `lines` lines, each using the one before. */
  function chain(lines: number): string {
    const out = ["a0 = 1.5"];
    for (let i = 1; i < lines; i++) {
      out.push(`a${i} = tanh(a${i - 1} * 0.9 + ${i % 7})`);
    }
    return out.join("\n");
  }

  test("building the graph grows about linearly with the program (no quadratic line counting)", () => {
    const time = (lines: number): number => {
      const source = chain(lines);
      let best = Infinity;
      for (let round = 0; round < 3; round++) {
        const start = performance.now();
        buildGraph(source);
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    time(500); // warm up
    const small = time(1000), large = time(8000);
    // Linear: 8x the lines, about 8x the time; quadratic would be 64x.
    assert.ok(large < 30 * Math.max(small, 1), `${small} ms → ${large} ms`);
  });

  test("the count of values is known from the parse, before anything is built", () => {
    assert.equal(parseProgram(chain(3000)).valueCount, 3000 + 2999 * 4);
    assert.equal(parseProgram("x = 3; y = x**2").valueCount, 2);
    assert.equal(parseProgram("x = 3; y = -x; z = -3").valueCount, 3);
  });

  test("a 20,000-factor product evaluates without overflowing the stack", () => {
    const { output } = buildGraph(
      `a = 1\np = ${Array(20000).fill("a").join(" * ")}`,
    );
    assert.equal(output.data, 1);
  });
});
