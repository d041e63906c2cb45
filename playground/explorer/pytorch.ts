/**
 * The explorer's program as a PyTorch program, the way the lecture checks
 * micrograd against PyTorch: every name assigned a plain number becomes a
 * float64 tensor with `requires_grad=True`, every other line the same
 * expression with torch's operations, then `.backward()` on the output and
 * a print of each leaf's grad.
 *
 * The text is generated from the parsed program (the syntax tree), never
 * from the source text: the language's precedence is Python's, so an
 * expression needs parentheses in the same places; a function is called by
 * its op-table name (`torch.tanh`, `torch.relu`, …). Two things differ from
 * Python and are handled here:
 * - arithmetic on two numbers would be done by Python's floats (which raise
 *   on `1 / 0`) and a function of a number would get no tensor, so one
 *   number of such an operation is made a (constant) float64 tensor;
 * - a name that is a Python keyword or would hide one of the program's own
 *   names (`lambda`, `torch`, `print`) gets a trailing `_` in the code (the
 *   prints keep the program's name).
 *
 * @module
 */

import { OPERATIONS } from "../../src/ops.ts";
import type { Expression, Program } from "./parser.ts";

/**
 * Python's keywords, and the names the generated code itself uses: a
 * program name among them is renamed.
 */
const RESERVED = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "float",
  "print",
  "torch",
]);

/** How a number is made a tensor that keeps no gradient. */
function constantTensor(text: string): string {
  return `torch.tensor(${text}, dtype=torch.float64)`;
}

/**
 * A double as a Python float literal that reads back as the same double:
 * JavaScript's shortest round-trip digits (Python's `repr` chooses the same
 * digits), with `.0` on whole numbers, `-0.0`, and `float("inf")` /
 * `float("nan")` for the values Python has no literal for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonFloat } from "./pytorch.ts";
 * assert.equal(pythonFloat(2), "2.0");
 * assert.equal(pythonFloat(-0), "-0.0");
 * assert.equal(pythonFloat(6.8813735870195432), "6.881373587019543");
 * assert.equal(pythonFloat(1e-7), "1e-07");
 * assert.equal(pythonFloat(1e300), "1e+300");
 * assert.equal(pythonFloat(-Infinity), '-float("inf")');
 * ```
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (x === Infinity) return 'float("inf")';
  if (x === -Infinity) return '-float("inf")';
  if (Object.is(x, -0)) return "-0.0";
  const text = String(x);
  if (/^-?\d+$/.test(text)) return `${text}.0`;
  // Python writes a one-digit exponent with two digits (1e-07).
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

/** A number as an exponent: a whole number stays whole, as in `x**2`. */
function pythonExponent(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : pythonFloat(x);
}

/**
 * How tightly each kind of expression binds, as Python's grammar has it:
 * `+ -` 1, `* /` 2, unary minus 3, `**` 4, a name, call or parenthesised
 * expression 5.
 */
function precedence(expression: Expression): number {
  switch (expression.kind) {
    case "number":
      // -3.0 is a unary minus applied to 3.0 in Python.
      return expression.value < 0 || Object.is(expression.value, -0) ? 3 : 5;
    case "name":
    case "call":
      return 5;
    case "negate":
      return 3;
    case "binary":
      return expression.operator === "**"
        ? 4
        : expression.operator === "*" || expression.operator === "/"
        ? 2
        : 1;
  }
}

/** Text for the program's expressions, with its names mapped to Python's. */
class Printer {
  readonly #names: ReadonlyMap<string, string>;

  constructor(names: ReadonlyMap<string, string>) {
    this.#names = names;
  }

  /**
   * `expression` as Python, in parentheses when it binds less tightly than
   * `minimum`. With `tensor`, a plain number is made a constant tensor (it
   * is the argument of a function, or the only operand of an operation on
   * numbers alone).
   */
  print(expression: Expression, minimum = 0, tensor = false): string {
    const text = this.#bare(expression, tensor);
    const binds = tensor && expression.kind === "number"
      ? 5
      : precedence(expression);
    return binds < minimum ? `(${text})` : text;
  }

  #bare(expression: Expression, tensor: boolean): string {
    switch (expression.kind) {
      case "number":
        return tensor
          ? constantTensor(pythonFloat(expression.value))
          : pythonFloat(expression.value);
      case "name":
        return this.#names.get(expression.name) ?? expression.name;
      case "negate":
        // `- -a` is legal Python but reads as a typo.
        return `-${this.print(expression.operand, 4)}`;
      case "call":
        return `torch.${OPERATIONS[expression.callee].name}(${
          this.print(expression.argument, 0, true)
        })`;
      case "binary": {
        const { operator, left, right } = expression;
        // Numbers on both sides: the left one is a tensor, so torch (not
        // Python's floats) computes it, as the engine does.
        const numbers = left.kind === "number" && right.kind === "number";
        if (operator === "**") {
          const exponent = right.kind === "number"
            ? pythonExponent(right.value)
            : this.print(right, 3);
          // A power's base is a primary in Python: (-3.0)**2, (a*b)**2.
          return `${this.print(left, 5, numbers)}**${exponent}`;
        }
        const level = operator === "*" || operator === "/" ? 2 : 1;
        return `${this.print(left, level, numbers)} ${operator} ${
          this.print(right, level + 1)
        }`;
      }
    }
  }
}

/** The names whose values the output depends on. */
function namesUsedBy(program: Program): Set<string> {
  const byName = new Map(
    program.assignments.map((assignment) => [assignment.name, assignment]),
  );
  const used = new Set<string>([program.output]);
  const pending = [program.output];
  while (pending.length > 0) {
    const assignment = byName.get(pending.pop() as string);
    if (!assignment) continue;
    const expressions: Expression[] = [assignment.expression];
    while (expressions.length > 0) {
      const expression = expressions.pop() as Expression;
      switch (expression.kind) {
        case "name":
          if (!used.has(expression.name)) {
            used.add(expression.name);
            pending.push(expression.name);
          }
          break;
        case "negate":
          expressions.push(expression.operand);
          break;
        case "call":
          expressions.push(expression.argument);
          break;
        case "binary":
          expressions.push(expression.left, expression.right);
          break;
      }
    }
  }
  return used;
}

/**
 * Python names for the program's names: each as it is, unless it is a
 * keyword or a name the code uses (then `name_`, `name__`, … until it is
 * free). Python reads identifiers in NFKC form, so two names that agree
 * there would be one variable: the later one is renamed too.
 */
function pythonNames(program: Program): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>(
    program.assignments.map((assignment) => assignment.name.normalize("NFKC")),
  );
  const claimed = new Set<string>();
  for (const { name } of program.assignments) {
    let python = name;
    const normal = name.normalize("NFKC");
    if (RESERVED.has(normal) || claimed.has(normal)) {
      python = `${normal}_`;
      while (taken.has(python) || claimed.has(python)) python += "_";
    }
    claimed.add(python.normalize("NFKC"));
    names.set(name, python);
  }
  return names;
}

/**
 * The PyTorch program equivalent to an explorer program: the same values
 * and, printed, the same grads of its leaves (the names assigned a plain
 * number that the output depends on), computed by PyTorch in float64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseProgram } from "./parser.ts";
 * import { pytorchProgram } from "./pytorch.ts";
 * const python = pytorchProgram(parseProgram("x = 2; w = -3; o = tanh(x*w + 1)"));
 * assert.match(python, /^x = torch\.tensor\(2\.0, dtype=torch\.float64, requires_grad=True\)$/m);
 * assert.match(python, /^o = torch\.tanh\(x \* w \+ 1\.0\)$/m);
 * assert.match(python, /^o\.backward\(\)$/m);
 * assert.match(python, /^print\("w\.grad =", w\.grad\.item\(\)\)$/m);
 * ```
 */
export function pytorchProgram(program: Program): string {
  const names = pythonNames(program);
  const printer = new Printer(names);
  const used = namesUsedBy(program);
  const leaves: string[] = [];
  const lines = [
    "# The same program in PyTorch (float64, as the explorer computes).",
    "import torch",
    "",
  ];
  for (const { name, expression } of program.assignments) {
    const python = names.get(name) ?? name;
    if (expression.kind === "number") {
      lines.push(
        `${python} = torch.tensor(${
          pythonFloat(expression.value)
        }, dtype=torch.float64, requires_grad=True)`,
      );
      if (used.has(name)) leaves.push(name);
      continue;
    }
    lines.push(`${python} = ${printer.print(expression, 0, true)}`);
  }
  const output = names.get(program.output) ?? program.output;
  const value = `print(${
    JSON.stringify(`${program.output} =`)
  }, ${output}.item())`;
  if (leaves.length === 0) {
    // Numbers alone: torch records no graph, and backward() would raise.
    lines.push(
      "",
      "# The output depends on no leaf (a name = a number): no grad to compute.",
      value,
    );
    return lines.join("\n") + "\n";
  }
  lines.push("", `${output}.backward()`, value);
  for (const leaf of leaves) {
    lines.push(
      `print(${JSON.stringify(`${leaf}.grad =`)}, ${
        names.get(leaf) ?? leaf
      }.grad.item())`,
    );
  }
  return lines.join("\n") + "\n";
}
