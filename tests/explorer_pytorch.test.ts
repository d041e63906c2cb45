/**
 * The explorer's PyTorch code (playground/explorer/pytorch.ts): how it is
 * written, and that PyTorch computes with it what the explorer's backward()
 * computes (against tests/fixtures/explorer_torch_reference.json, made by
 * running the code with torch; these tests need no Python).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { topologicalOrder } from "../src/engine.ts";
import { FUNCTION_NAMES } from "../src/ops.ts";
import { buildGraph, parseProgram } from "../playground/explorer/parser.ts";
import { PRESETS } from "../playground/explorer/presets.ts";
import { pythonFloat, pytorchProgram } from "../playground/explorer/pytorch.ts";
import { TORCH_CASES } from "./fixtures/explorer_torch_programs.ts";

interface ReferenceCase {
  name: string;
  source: string;
  python: string;
  printed: Record<string, number>;
}

const REFERENCE: { torch: string; cases: ReferenceCase[] } = JSON.parse(
  readFileSync(
    new URL("./fixtures/explorer_torch_reference.json", import.meta.url),
    "utf8",
  ),
);

/** The code's lines that compute (no comments, imports or blanks). */
function body(source: string): string[] {
  return pytorchProgram(parseProgram(source)).split("\n").filter((line) =>
    line !== "" && !line.startsWith("#") && line !== "import torch"
  );
}

/** The right-hand side of the line assigning `name`. */
function line(source: string, name: string): string {
  const found = body(source).find((text) => text.startsWith(`${name} = `));
  assert.ok(found, `a line assigns ${name}`);
  return found.slice(name.length + 3);
}

describe("pytorchProgram: what it writes", () => {
  test("the lecture's neuron: float64 leaves with requires_grad, torch.tanh, backward, a print per leaf", () => {
    const preset = PRESETS.find((candidate) => candidate.id === "neuron")!;
    assert.deepEqual(body(preset.source), [
      "x1 = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)",
      "x2 = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)",
      "w1 = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)",
      "w2 = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)",
      "b = torch.tensor(6.881373587019543, dtype=torch.float64, requires_grad=True)",
      "x1w1 = x1 * w1",
      "x2w2 = x2 * w2",
      "x1w1x2w2 = x1w1 + x2w2",
      "n = x1w1x2w2 + b",
      "o = torch.tanh(n)",
      "o.backward()",
      'print("o =", o.item())',
      'print("x1.grad =", x1.grad.item())',
      'print("x2.grad =", x2.grad.item())',
      'print("w1.grad =", w1.grad.item())',
      'print("w2.grad =", w2.grad.item())',
      'print("b.grad =", b.grad.item())',
    ]);
    assert.match(
      pytorchProgram(parseProgram(preset.source)),
      /^# The same program in PyTorch.*\nimport torch\n\n/,
    );
  });

  test("every function of the op table is torch's function of the same name", () => {
    for (const name of FUNCTION_NAMES) {
      assert.equal(line(`x = 2; y = ${name}(x)`, "y"), `torch.${name}(x)`);
    }
  });

  test("parentheses exactly where Python needs them (its precedence is the language's)", () => {
    const cases: [string, string][] = [
      ["a*b + c", "a * b + c"],
      ["(a + b)*c", "(a + b) * c"],
      ["a - (b - c)", "a - (b - c)"],
      ["a - b - c", "a - b - c"],
      ["a / (b * c)", "a / (b * c)"],
      ["a / b * c", "a / b * c"],
      ["-a*b", "-a * b"],
      ["-(a*b)", "-(a * b)"],
      ["-a**2", "-a**2"],
      ["(-a)**2", "(-a)**2"],
      ["a**b**c", "a**b**c"],
      ["(a**b)**c", "(a**b)**c"],
      ["a**-b", "a**-b"],
      ["a**(b + c)", "a**(b + c)"],
      ["(a*b)**2", "(a * b)**2"],
      ["a**2", "a**2"],
      ["a**0.5", "a**0.5"],
      ["a**-1", "a**-1"],
      ["-(-a)", "-(-a)"],
      ["a * -3", "a * -3.0"],
      ["(-3)**b * a", "(-3.0)**b * a"],
      ["2*a + .5", "2.0 * a + 0.5"],
    ];
    for (const [expression, python] of cases) {
      assert.equal(
        line(`a = 1.5; b = 2; c = -0.5; y = ${expression}`, "y"),
        python,
        expression,
      );
    }
  });

  test("operations on numbers alone are done by torch on a constant tensor, not by Python's floats", () => {
    const tensor = (x: string): string =>
      `torch.tensor(${x}, dtype=torch.float64)`;
    // 1/0 would raise ZeroDivisionError in Python; as a tensor it is inf.
    assert.equal(
      line("a = 2; y = a * (1/0)", "y"),
      `a * (${tensor("1.0")} / 0.0)`,
    );
    assert.equal(
      line("a = 2; y = tanh(3) * a", "y"),
      `torch.tanh(${tensor("3.0")}) * a`,
    );
    assert.equal(line("a = 2; y = 2**3 + a", "y"), `${tensor("2.0")}**3 + a`);
    assert.equal(
      line("a = 2; y = -(4*5) + a", "y"),
      `-(${tensor("4.0")} * 5.0) + a`,
    );
  });

  test("numbers read back as the same doubles", () => {
    for (
      const x of [
        0.1,
        -2.5,
        6.8813735870195432,
        1e-7,
        1.5e-300,
        5e-324,
        1e21,
        123456789012345680000,
        Number.MAX_VALUE,
        2 ** 53 + 2,
      ]
    ) {
      const text = pythonFloat(x);
      assert.match(text, /^-?(\d+\.\d+|\d+(\.\d+)?e[+-]\d\d+)$/, text);
      assert.equal(Number(text), x, text);
    }
    assert.equal(pythonFloat(3), "3.0");
    assert.equal(pythonFloat(-0), "-0.0");
    assert.equal(pythonFloat(NaN), 'float("nan")');
    assert.equal(pythonFloat(Infinity), 'float("inf")');
  });

  test("names that are Python keywords or the code's own names are renamed; the prints keep the program's names", () => {
    const code = pytorchProgram(
      parseProgram(
        "lambda = 2; lambda_ = 3; torch = 1; y = lambda * lambda_ * torch",
      ),
    );
    assert.match(code, /^lambda__ = torch\.tensor\(2\.0/m);
    assert.match(code, /^lambda_ = torch\.tensor\(3\.0/m);
    assert.match(code, /^torch_ = torch\.tensor\(1\.0/m);
    assert.match(code, /^y = lambda__ \* lambda_ \* torch_$/m);
    assert.match(
      code,
      /^print\("lambda\.grad =", lambda__\.grad\.item\(\)\)$/m,
    );
    assert.match(code, /^print\("torch\.grad =", torch_\.grad\.item\(\)\)$/m);
  });

  test("a leaf the output does not use gets no print (its grad would be None)", () => {
    const lines = body("a = 1; unused = 2; y = a * 3");
    assert.ok(lines.includes('print("a.grad =", a.grad.item())'));
    assert.ok(!lines.some((text) => text.includes("unused.grad")));
  });

  test("an output of numbers alone is printed without backward() (torch would raise)", () => {
    assert.deepEqual(body("y = 2 * 3"), [
      "y = torch.tensor(2.0, dtype=torch.float64) * 3.0",
      'print("y =", y.item())',
    ]);
  });

  test("a program that is one leaf differentiates it with respect to itself", () => {
    assert.deepEqual(body("a = 4").slice(1), [
      "a.backward()",
      'print("a =", a.item())',
      'print("a.grad =", a.grad.item())',
    ]);
  });
});

describe("pytorchProgram: PyTorch agrees with backward()", () => {
  test("the fixture covers every preset and every case of explorer_torch_programs.ts", () => {
    assert.deepEqual(
      REFERENCE.cases.map(({ name, source }) => ({ name, source })),
      TORCH_CASES.map(({ name, source }) => ({ name, source })),
      "run tests/fixtures/generate_explorer_torch_reference.py",
    );
  });

  for (const reference of REFERENCE.cases) {
    test(`${reference.name}: the code is the one PyTorch ran, and its prints are our values and grads`, () => {
      assert.equal(
        pytorchProgram(parseProgram(reference.source)),
        reference.python,
        "the generator changed: rerun tests/fixtures/generate_explorer_torch_reference.py",
      );
      const { output, values, program } = buildGraph(reference.source);
      output.backward();
      const ours: Record<string, number> = {
        [`${program.output} =`]: output.data,
      };
      const inGraph = new Set(topologicalOrder(output));
      for (const [name, value] of values) {
        if (value.op === "" && inGraph.has(value)) {
          ours[`${name}.grad =`] = value.grad;
        }
      }
      const printed = Object.fromEntries(
        Object.entries(reference.printed).map((
          [label, x],
        ) => [`${label} =`, x]),
      );
      assert.deepEqual(Object.keys(ours).sort(), Object.keys(printed).sort());
      for (const [label, theirs] of Object.entries(printed)) {
        const mine = ours[label];
        assert.ok(
          Math.abs(mine - theirs) <= 1e-12 * Math.max(1, Math.abs(theirs)),
          `${label} ours ${mine}, PyTorch ${theirs}`,
        );
      }
    });
  }
});
