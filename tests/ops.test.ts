/**
 * The op table (src/ops.ts) against the engine and the tape: for every
 * operation, its forward rule gives the number the `Value` method gives and
 * the tape replays, and its chain rule adds exactly what `backward()` and the
 * tape add, the subtle cases included; its metadata matches what the
 * explorer's language accepts.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compile } from "../src/compile.ts";
import { Value } from "../src/engine.ts";
import {
  backwardOrder,
  FUNCTION_NAMES,
  type LocalStep,
  localTerms,
  OPERATION_NAMES,
  operationLabel,
  type OperationName,
  OPERATIONS,
} from "../src/ops.ts";
import {
  buildGraph,
  FUNCTION_NAMES as PARSER_FUNCTIONS,
} from "../playground/explorer/parser.ts";
import { operationSymbol } from "../playground/explorer/format.ts";

/** One case: the inputs' data, and the constant (exponent or dot length). */
interface Case {
  inputs: number[];
  constant?: number;
}

/** Build `op` on `leaves` with the engine's public method. */
function build(op: OperationName, leaves: Value[], constant: number): Value {
  const [a, b] = leaves;
  switch (op) {
    case "+":
      return a.add(b);
    case "-":
      return a.sub(b);
    case "*":
      return a.mul(b);
    case "/":
      return a.div(b);
    case "**":
      return leaves.length === 1 ? a.pow(constant) : a.pow(b);
    case "neg":
      return a.neg();
    case "tanh":
      return a.tanh();
    case "exp":
      return a.exp();
    case "log":
      return a.log();
    case "relu":
      return a.relu();
    case "sigmoid":
      return a.sigmoid();
    case "sin":
      return a.sin();
    case "abs":
      return a.abs();
    case "sum":
      return Value.sum(leaves);
    case "dot":
      return Value.dot(leaves.slice(0, constant), leaves.slice(constant));
    case "logsumexp":
      return Value.logSumExp(leaves);
  }
}

const CASES: Record<OperationName, Case[]> = {
  "+": [{ inputs: [2, -3] }, { inputs: [Infinity, -Infinity] }],
  "-": [{ inputs: [5, 2] }, { inputs: [-0, 0] }],
  "*": [{ inputs: [2, -3] }, { inputs: [0, Infinity] }],
  "/": [
    { inputs: [3, 2] },
    { inputs: [1, 0] }, // division by zero
    { inputs: [0, 0] },
    { inputs: [1e200, 1e200] }, // b² overflows; -(a/b)/b does not
    { inputs: [1, 1e-200] },
  ],
  "**": [
    { inputs: [3], constant: 2 },
    { inputs: [0], constant: 0 }, // 0**0: no base gradient at all
    { inputs: [0], constant: 0.5 }, // infinite slope at 0
    { inputs: [-8], constant: 1 / 3 }, // NaN
    { inputs: [2, 3] },
    { inputs: [0, 2] }, // no exponent gradient where the base is 0
    { inputs: [0, 0] },
    { inputs: [0, -1] },
    { inputs: [-2, 0.5] },
  ],
  "neg": [{ inputs: [2] }, { inputs: [0] }],
  "tanh": [{ inputs: [0.5] }, { inputs: [1000] }, { inputs: [-1000] }],
  "exp": [{ inputs: [1] }, { inputs: [1000] }, { inputs: [-1000] }],
  "log": [{ inputs: [2] }, { inputs: [0] }, { inputs: [-1] }],
  "relu": [
    { inputs: [2] },
    { inputs: [-2] },
    { inputs: [0] }, // gradient 0 at 0, as in PyTorch
    { inputs: [NaN] }, // NaN passes, forward and backward
    { inputs: [-0] },
  ],
  "sigmoid": [
    { inputs: [0] },
    { inputs: [3] },
    { inputs: [-1000] }, // the textbook 1/(1+e^1000) overflows
    { inputs: [1000] },
  ],
  "sin": [
    { inputs: [0] },
    { inputs: [-2.5] },
    { inputs: [1e5] },
    { inputs: [Infinity] },
    { inputs: [NaN] },
  ],
  "abs": [
    { inputs: [-2] },
    { inputs: [0] },
    { inputs: [-0] },
    { inputs: [NaN] },
  ],
  "sum": [{ inputs: [] }, { inputs: [1, 2, 3.5] }],
  "dot": [
    { inputs: [1, 2, 3, 4], constant: 2 },
    { inputs: [], constant: 0 },
    { inputs: [Infinity, 0, 0, 1], constant: 2 },
  ],
  "logsumexp": [
    { inputs: [1, 2, 3] },
    { inputs: [1000, 1000] }, // e^1000 overflows; the stable form does not
    { inputs: [-Infinity, -Infinity] },
    { inputs: [Infinity, 1] },
    { inputs: [NaN, 1] },
  ],
};

/** Grads the table says a fresh leaf (grad 0) ends with: 0 + term. */
function expectedGrads(terms: (number | null)[]): number[] {
  return terms.map((term) => (term === null ? 0 : 0 + term));
}

/** The grad passed into the operation in every check. */
const GRADS = [1, -0.5, 3];

describe("ops: every operation's rules equal the engine and the tape", () => {
  test("every operation has cases", () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...OPERATION_NAMES].sort());
  });

  for (const op of OPERATION_NAMES) {
    for (const { inputs, constant = 0 } of CASES[op]) {
      const name = `${op} of [${inputs.join(", ")}]${
        constant ? ` (constant ${constant})` : ""
      }`;
      test(name, () => {
        const spec = OPERATIONS[op];
        // Forward: the table, the method, fromOperation and the tape.
        const leaves = inputs.map((x) => new Value(x));
        const node = build(op, leaves, constant);
        assert.equal(node.op, op);
        const expected = spec.forward(inputs, node.constant);
        assert.ok(Object.is(node.data, expected), `method: ${node.data}`);
        const rebuilt = Value.fromOperation(op, leaves, node.constant);
        assert.ok(Object.is(rebuilt.data, expected), `fromOperation`);
        const tape = compile(node);
        assert.ok(Object.is(tape.forward(), expected), `tape forward`);

        for (const g of GRADS) {
          const step: LocalStep = {
            inputs,
            out: node.data,
            grad: g,
            constant: node.constant,
          };
          const want = expectedGrads(localTerms(op, step));
          // The engine: seed the node's grad with g through a `* g`.
          const engineLeaves = inputs.map((x) => new Value(x));
          build(op, engineLeaves, constant).mul(g).backward();
          assert.deepEqual(
            engineLeaves.map((l) => l.grad),
            want,
            `engine, g=${g}`,
          );
          // The tape, fused or not.
          for (const fuseLayers of [true, false]) {
            const tapeLeaves = inputs.map((x) => new Value(x));
            const root = build(op, tapeLeaves, constant).mul(g);
            const replay = compile(root, { fuseLayers });
            replay.forward();
            replay.backward();
            assert.deepEqual(
              tapeLeaves.map((l) => l.grad),
              want,
              `tape (fuseLayers ${fuseLayers}), g=${g}`,
            );
          }
        }
      });
    }
  }

  test("the subtle cases are what the table documents", () => {
    const step = (inputs: number[], out: number, constant = 0): LocalStep => ({
      inputs,
      out,
      grad: 1,
      constant,
    });
    assert.ok(Number.isNaN(OPERATIONS.relu.forward([NaN], 0)));
    assert.deepEqual(localTerms("relu", step([NaN], NaN)), [1]);
    assert.deepEqual(localTerms("relu", step([0], 0)), [null]);
    assert.equal(OPERATIONS.sigmoid.forward([-1000], 0), 0);
    assert.deepEqual(localTerms("**", step([0], 1, 0)), [null]);
    assert.deepEqual(localTerms("**", step([0, 2], 0)), [0, null]);
    assert.deepEqual(localTerms("/", step([1e200, 1e200], 1)), [
      1e-200,
      -1e-200,
    ]);
    assert.equal(
      OPERATIONS.logsumexp.forward([1000, 1000], 0),
      1000 + Math.LN2,
    );
  });
});

describe("ops: the table's metadata", () => {
  test("each row is keyed by its op, with a distinct name", () => {
    for (const op of OPERATION_NAMES) assert.equal(OPERATIONS[op].op, op);
    const names = OPERATION_NAMES.map((op) => OPERATIONS[op].name);
    assert.equal(new Set(names).size, names.length);
  });

  test("one gradient rule per input (one for all inputs of a list)", () => {
    for (const op of OPERATION_NAMES) {
      const { arity, gradients } = OPERATIONS[op];
      assert.equal(gradients.length, arity === "many" ? 1 : arity, op);
    }
  });

  test("the backward order visits every input once", () => {
    assert.deepEqual(backwardOrder("dot", 6, 3), [0, 3, 1, 4, 2, 5]);
    for (const op of OPERATION_NAMES) {
      const count = OPERATIONS[op].arity === "many" ? 4 : 2;
      const order = backwardOrder(op, count, 2);
      assert.deepEqual([...order].sort(), [0, 1, 2, 3].slice(0, count), op);
    }
  });

  test("the explorer's language knows exactly the table's functions", () => {
    assert.deepEqual(PARSER_FUNCTIONS, FUNCTION_NAMES);
    for (const name of FUNCTION_NAMES) {
      assert.equal(OPERATIONS[name].arity, 1);
      const { output } = buildGraph(`x = 0.5; y = ${name}(x)`);
      assert.equal(output.op, name);
      assert.ok(Object.is(output.data, OPERATIONS[name].forward([0.5], 0)));
    }
  });

  test("every infix operation is written with its symbol in the language", () => {
    const infix = OPERATION_NAMES.filter((op) =>
      OPERATIONS[op].notation === "infix"
    );
    assert.deepEqual(infix, ["+", "-", "*", "/", "**"]);
    for (const op of infix) {
      const { output } = buildGraph(
        `a = 2; b = 3; y = a ${OPERATIONS[op].symbol} b`,
      );
      assert.equal(output.op, op);
    }
    const prefix = OPERATION_NAMES.filter((op) =>
      OPERATIONS[op].notation === "prefix"
    );
    for (const op of prefix) {
      const { output } = buildGraph(`a = 2; y = ${OPERATIONS[op].symbol}a`);
      assert.equal(output.op, op);
    }
  });

  test("labels: toDot's and the explorer's come from the same rule", () => {
    assert.equal(operationLabel("**", 1, 2), "**2");
    assert.equal(operationSymbol(new Value(2).pow(0.12345)), "**0.1235");
    assert.equal(operationLabel("neg", 1, 0), "-x");
    assert.equal(operationSymbol(new Value(2).neg()), "-x");
    for (const op of OPERATION_NAMES) {
      if (OPERATIONS[op].notation === "prefix") continue;
      assert.equal(operationLabel(op, 2, 0), OPERATIONS[op].symbol, op);
    }
  });

  test("fromOperation refuses a wrong number of inputs or an unknown op", () => {
    const a = new Value(1);
    assert.throws(() => Value.fromOperation("+", [a]), {
      name: "RangeError",
      message: /\+ takes 2 inputs, got 1/,
    });
    assert.throws(() => Value.fromOperation("dot", [a, a, a], 1), {
      name: "RangeError",
      message: /a dot of 1 pairs has 2 inputs, got 3/,
    });
    assert.throws(() => Value.fromOperation("logsumexp", []), RangeError);
    assert.throws(
      () => Value.fromOperation("cube" as OperationName, [a]),
      /unknown operation a string \("cube"\)/,
    );
    assert.throws(
      () => Value.fromOperation("+", [a, 2 as unknown as Value]),
      TypeError,
    );
  });
});
