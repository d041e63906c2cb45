// exportModel: the TypeScript module predicts exactly what MLP.predict does
// (imported from a temporary file, in whichever runtime runs this test), the
// PyTorch script is the one whose outputs tests/fixtures/export_reference.json
// recorded (generate_export_reference.py; no Python needed here), the CLI's
// --export writes them, and bad arguments are refused with typed errors.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { main } from "../src/cli.ts";
import type { TrainConfig } from "../src/config.ts";
import { EXPORT_FORMATS, exportModel, inputFeatures } from "../src/export.ts";
import { predictClass } from "../src/loss.ts";
import { MLP } from "../src/nn.ts";
import { Trainer } from "../src/train.ts";
import type { MLPJson } from "../src/model_json.ts";

const DIRECTORY = mkdtempSync(join(tmpdir(), "micrograd-export-"));
after(() => rmSync(DIRECTORY, { recursive: true, force: true }));

/** What an exported TypeScript module exports. */
interface ExportedModule {
  features(x: number, y: number): number[];
  predict(x: number, y: number): number[];
  predictClass(x: number, y: number): number;
}

let fileCount = 0;

/**
 * Write `source` to a fresh file and import it: `.mts` for TypeScript (an
 * ES module in Deno, Bun and Node, whose type stripping runs it), `.mjs`
 * for plain JavaScript.
 */
async function importSource(
  source: string,
  extension: ".mts" | ".mjs",
): Promise<ExportedModule> {
  const path = join(DIRECTORY, `model${fileCount++}${extension}`);
  writeFileSync(path, source);
  return await import(pathToFileURL(path).href) as ExportedModule;
}

/** A model trained for `config.steps` steps, with its training points. */
function trained(config: Partial<TrainConfig>): [MLP, number[][]] {
  const trainer = new Trainer(config);
  while (trainer.stepCount < trainer.config.steps) trainer.step();
  return [trainer.model, trainer.train.x.map((point) => [...point])];
}

/**
 * Points beyond the data: a grid, the extremes that saturate tanh and send
 * sigmoid down its e^z / (1 + e^z) branch, overflow, -0 and NaN.
 */
const EDGE_POINTS: number[][] = [
  ...Array.from({ length: 49 }, (_, i) => [(i % 7) - 3, Math.floor(i / 7) - 3]),
  [0, 0],
  [-0, -0],
  [1e-320, -5e-324],
  [40, -40],
  [-800, 3],
  [1e300, -1e300],
  [Infinity, 0],
  [NaN, 1],
];

/** Check the exported module gives MLP.predict's numbers, bit for bit. */
async function assertSamePredictions(
  model: MLP,
  points: readonly number[][],
  types = true,
): Promise<void> {
  const source = exportModel(model, "typescript", { types });
  const module = await importSource(source, types ? ".mts" : ".mjs");
  for (const [x, y] of [...points, ...EDGE_POINTS]) {
    const ours = model.predict([x, y]);
    // deepStrictEqual compares with Object.is: NaN equals NaN, -0 is not 0.
    assert.deepStrictEqual(module.predict(x, y), ours, `at (${x}, ${y})`);
    assert.equal(module.predictClass(x, y), predictClass(ours));
  }
}

describe("exportModel: the TypeScript module equals MLP.predict bit for bit", () => {
  it("micrograd's demo, trained 100 steps (relu 16-16-1)", async () => {
    await assertSamePredictions(...trained({}));
  });

  it("tanh and sigmoid hidden layers", async () => {
    await assertSamePredictions(
      ...trained({ activation: "tanh", hidden: [8, 8], steps: 30 }),
    );
    await assertSamePredictions(
      ...trained({
        dataset: "circles",
        activation: "sigmoid",
        hidden: [8],
        optimizer: "adam",
        learningRate: 0.05,
        steps: 30,
      }),
    );
  });

  it("three classes (cross-entropy, argmax class)", async () => {
    const [model, points] = trained({
      dataset: "spiral",
      classes: 3,
      hidden: [16, 8],
      optimizer: "adam",
      learningRate: 0.05,
      steps: 40,
    });
    assert.equal(model.sizes.at(-1), 3);
    await assertSamePredictions(model, points);
  });

  it("every activation as the output's, a linear model, and plain JavaScript", async () => {
    for (const outputActivation of ["relu", "tanh", "sigmoid"] as const) {
      const model = new MLP(2, [6, 2], {
        activation: "linear",
        outputActivation,
        init: "he",
        seed: 11,
      });
      await assertSamePredictions(model, []);
    }
    const linear = new MLP(2, [1], { seed: 5 });
    await assertSamePredictions(linear, []);
    // All scores tied (every weight 0): the first class, as predictClass says.
    const tied = new MLP(2, [3], { seed: 5 });
    for (const p of tied.parameters()) p.data = 0;
    await assertSamePredictions(tied, []);
    const [demo, points] = trained({ steps: 10 });
    const javascript = exportModel(demo, "typescript", { types: false });
    assert.doesNotMatch(javascript, /: number|interface /);
    await assertSamePredictions(demo, points, false);
  });

  it("writes every weight exactly: 0.1 + 0.2, subnormals, 1e21, -0", async () => {
    const model = new MLP(2, [2, 1], { activation: "linear" });
    const [first, second] = model.layers[0].neurons;
    const [out] = model.layers[1].neurons;
    first.weights[0].data = 0.1 + 0.2;
    first.weights[1].data = -0;
    first.bias.data = 5e-324;
    second.weights[0].data = 123456789012345680000;
    second.weights[1].data = 1e-7;
    second.bias.data = -1.5e21;
    out.weights[0].data = 1 / 3;
    out.weights[1].data = 2 ** -1022;
    out.bias.data = -0;
    const source = exportModel(model, "typescript");
    assert.match(source, /\[0\.30000000000000004, -0\]/);
    assert.match(source, /biases: \[5e-324, -1\.5e\+21\]/);
    await assertSamePredictions(model, [[1, 1], [-1e-310, 7]]);
    // The Python literals read back as the same doubles too (Python's
    // float() and JavaScript's Number() both round correctly).
    const python = exportModel(model, "pytorch");
    assert.match(python, /\[0\.30000000000000004, -0\.0\]/);
    assert.match(python, /\[123456789012345680000\.0, 1e-7\]/);
    assert.match(python, /\[5e-324, -1\.5e\+21\]/);
  });

  it("builds the input vector in one function, features(x, y)", async () => {
    const model = new MLP(2, [3, 1], { seed: 2 });
    assert.deepEqual(inputFeatures(model).map((feature) => feature.name), [
      "x",
      "y",
    ]);
    const module = await importSource(
      exportModel(model, "typescript"),
      ".mts",
    );
    assert.deepEqual(module.features(0.5, -2), [0.5, -2]);
    assert.match(
      exportModel(model, "pytorch"),
      /def features\(x, y\):\n.*\n {4}return \[x, y\]\n/,
    );
  });

  it("puts the comment at the top of the file, one comment line per line", () => {
    const model = new MLP(2, [1]);
    const comment = "trained by the playground\nhttps://example.org/#seed=3 */";
    assert.ok(
      exportModel(model, "typescript", { comment }).startsWith(
        "// trained by the playground\n// https://example.org/#seed=3 */\n// A micrograd-ts MLP 2-1",
      ),
    );
    assert.ok(
      exportModel(model, "pytorch", { comment }).startsWith(
        '#!/usr/bin/env python3\n# trained by the playground\n# https://example.org/#seed=3 */\n"""A micrograd-ts MLP 2-1',
      ),
    );
  });
});

/** One model of tests/fixtures/export_reference.json. */
interface ReferenceCase {
  name: string;
  model: MLPJson;
  points: number[][];
  script: string;
  outputs: number[][];
  classes: number[];
}

const REFERENCE = JSON.parse(
  readFileSync(
    new URL("./fixtures/export_reference.json", import.meta.url),
    "utf8",
  ),
) as { torch: string; tolerance: number; cases: ReferenceCase[] };

describe("exportModel: the PyTorch script matches PyTorch's recorded outputs", () => {
  it("covers relu, tanh, sigmoid and linear layers and several outputs", () => {
    const activations = new Set(
      REFERENCE.cases.flatMap((
        c,
      ) => [c.model.activation, c.model.outputActivation]),
    );
    assert.deepEqual([...activations].sort(), [
      "linear",
      "relu",
      "sigmoid",
      "tanh",
    ]);
    assert.ok(REFERENCE.cases.some((c) => c.model.sizes.at(-1) === 3));
    assert.equal(REFERENCE.tolerance, 1e-12);
  });

  for (const reference of REFERENCE.cases) {
    it(reference.name, () => {
      const model = MLP.fromJSON(reference.model);
      // The script PyTorch ran is the one exportModel writes today; after a
      // change to the exporter, rerun generate_export_reference.py.
      assert.equal(exportModel(model, "pytorch"), reference.script);
      reference.points.forEach(([x, y], p) => {
        const ours = model.predict([x, y]);
        const theirs = reference.outputs[p];
        assert.equal(ours.length, theirs.length);
        ours.forEach((value, j) => {
          const error = Math.abs(value - theirs[j]) /
            Math.max(1, Math.abs(theirs[j]));
          assert.ok(
            error <= 1e-12,
            `${reference.name} at (${x}, ${y}) output ${j}: ours ${value}, PyTorch ${
              theirs[j]
            }`,
          );
        });
        assert.equal(predictClass(ours), reference.classes[p]);
      });
    });
  }
});

describe("exportModel: refusals", () => {
  const model = new MLP(2, [3, 1], { seed: 1 });

  it("an unknown format, naming the allowed ones", () => {
    assert.deepEqual(EXPORT_FORMATS, ["pytorch", "typescript"]);
    assert.throws(() => exportModel(model, "onnx" as never), {
      name: "FieldRangeError",
      field: "format",
      message:
        'exportModel: format must be one of "pytorch" or "typescript", got a string ("onnx")',
    });
    assert.throws(() => exportModel(model, undefined as never), {
      name: "FieldTypeError",
      field: "format",
    });
  });

  it("something that is not an MLP", () => {
    for (const notModel of [model.toJSON(), null, {}, model.layers[0]]) {
      assert.throws(() => exportModel(notModel as never, "pytorch"), {
        name: "FieldTypeError",
        field: "model",
        message:
          /^exportModel: model must be an MLP \(MLP\.fromJSON turns a saved model back into one\), got /,
      });
    }
  });

  it("unknown or mistyped options", () => {
    assert.throws(
      () => exportModel(model, "typescript", { type: false } as never),
      {
        name: "FieldRangeError",
        field: "type",
        message:
          /^exportModel: unknown option "type" \(did you mean "types"\?\)/,
      },
    );
    assert.throws(() => exportModel(model, "pytorch", new Map() as never), {
      name: "FieldTypeError",
      field: "options",
    });
    assert.throws(
      () => exportModel(model, "pytorch", { comment: 3 } as never),
      {
        name: "FieldTypeError",
        field: "options.comment",
      },
    );
    assert.throws(
      () => exportModel(model, "typescript", { types: "no" } as never),
      {
        name: "FieldTypeError",
        field: "options.types",
      },
    );
  });

  it("a model that does not read a point (x, y)", () => {
    assert.throws(() => exportModel(new MLP(3, [1]), "typescript"), {
      name: "FieldRangeError",
      field: "model.nin",
      message:
        "exportModel: model.nin must be 2 (the exported predict(x, y) reads a point: x, y), got the number 3",
    });
  });

  it("a NaN or infinite weight (a diverged model)", () => {
    const diverged = new MLP(2, [3, 1], { seed: 1 });
    diverged.layers[1].neurons[0].weights[2].data = NaN;
    assert.throws(() => exportModel(diverged, "pytorch"), {
      name: "FieldRangeError",
      field: "model.layers[1].neurons[0].weights[2]",
    });
    diverged.layers[1].neurons[0].weights[2].data = 1;
    diverged.layers[0].neurons[1].bias.data = -Infinity;
    assert.throws(() => exportModel(diverged, "typescript"), {
      name: "FieldRangeError",
      field: "model.layers[0].neurons[1].bias",
    });
  });

  it("a layer whose neurons disagree on the activation", () => {
    const mixed = new MLP(2, [3, 1], { seed: 1 });
    mixed.layers[0].neurons[2].activation = "tanh";
    assert.throws(() => exportModel(mixed, "pytorch"), {
      name: "FieldRangeError",
      field: "model.layers[0].neurons[2].activation",
    });
  });
});

/** Run the CLI with in-memory streams. */
async function runCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe("CLI --export", () => {
  it("trains, saves --out and writes the TypeScript export next to it", async () => {
    const out = join(DIRECTORY, "cli.json");
    const { code, stdout } = await runCli([
      "--steps",
      "5",
      "--out",
      out,
      "--export",
      "typescript",
    ]);
    assert.equal(code, 0);
    const path = join(DIRECTORY, "cli.ts");
    assert.ok(stdout.endsWith(`exported the model (typescript) to ${path}\n`));
    assert.ok(existsSync(path));
    const saved = MLP.fromJSON(readFileSync(out, "utf8"));
    const source = readFileSync(path, "utf8");
    assert.equal(source, exportModel(saved, "typescript"));
    const module = await importSource(source, ".mts");
    for (const [x, y] of EDGE_POINTS) {
      assert.deepStrictEqual(module.predict(x, y), saved.predict([x, y]));
    }
  });

  it("--export pytorch --export-out FILE, also with --evaluate on a loaded model", async () => {
    const out = join(DIRECTORY, "weights.json");
    const script = join(DIRECTORY, "script.py");
    const trainedRun = await runCli([
      "--steps",
      "5",
      "--out",
      out,
      "--export",
      "pytorch",
      "--export-out",
      script,
    ]);
    assert.equal(trainedRun.code, 0);
    const saved = MLP.fromJSON(readFileSync(out, "utf8"));
    assert.equal(readFileSync(script, "utf8"), exportModel(saved, "pytorch"));
    const again = join(DIRECTORY, "again.py");
    const evaluated = await runCli([
      "--load",
      out,
      "--evaluate",
      "--export",
      "pytorch",
      "--export-out",
      again,
    ]);
    assert.equal(evaluated.code, 0);
    assert.equal(readFileSync(again, "utf8"), readFileSync(script, "utf8"));
  });

  it("refuses a bad --export before training (exit 2)", async () => {
    const cases: [string[], string][] = [
      [
        ["--export", "onnx"],
        '--export must be one of pytorch, typescript, got "onnx"',
      ],
      [
        ["--export-out", "x.py"],
        "--export-out needs --export pytorch|typescript",
      ],
      [
        ["--export", "pytorch", "--export-out", join(DIRECTORY, "no", "x.py")],
        `--export pytorch: cannot write ${
          join(DIRECTORY, "no", "x.py")
        } (the directory ${join(DIRECTORY, "no")} does not exist)`,
      ],
      [
        [
          "--out",
          join(DIRECTORY, "same"),
          "--export",
          "typescript",
          "--export-out",
          join(DIRECTORY, "same"),
        ],
        `--export-out ${
          join(DIRECTORY, "same")
        } is the --out file: give them different names`,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli(["--steps", "1", ...args]);
      assert.equal(code, 2, args.join(" "));
      assert.equal(stdout, "");
      assert.ok(stderr.endsWith(`error: ${message}\n`), stderr);
    }
  });

  it("--help lists --export and --export-out", async () => {
    const { stdout } = await runCli(["--help"]);
    assert.match(
      stdout,
      /--export FORMAT +also write the model as code: pytorch/,
    );
    assert.match(stdout, /--export-out FILE +where --export writes/);
  });
});
