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
import {
  FEATURE_NAMES,
  type FeatureName,
  featureValues,
} from "../src/features.ts";
import { predictClass } from "../src/loss.ts";
import { MLP } from "../src/nn.ts";
import { accurateSin } from "../src/portable_math.ts";
import { Rng } from "../src/random.ts";
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

/**
 * Check the exported module gives MLP.predict's numbers, bit for bit, and
 * its features(x, y) the library's input features.
 */
async function assertSamePredictions(
  model: MLP,
  points: readonly number[][],
  types = true,
): Promise<void> {
  const source = exportModel(model, "typescript", { types });
  assert.doesNotMatch(source, /^import |Math\.sin\(/m);
  const module = await importSource(source, types ? ".mts" : ".mjs");
  const features = model.pointFeatures ?? [];
  for (const [x, y] of [...points, ...EDGE_POINTS]) {
    const ours = model.predict([x, y]);
    // deepStrictEqual compares with Object.is: NaN equals NaN, -0 is not 0.
    assert.deepStrictEqual(module.predict(x, y), ours, `at (${x}, ${y})`);
    assert.equal(module.predictClass(x, y), predictClass(ours));
    assert.deepStrictEqual(
      module.features(x, y),
      featureValues(x, y, features),
      `features at (${x}, ${y})`,
    );
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

  it("applies the model's features in features(x, y), in the library's order", async () => {
    const model = new MLP(7, [1], { features: [...FEATURE_NAMES], seed: 4 });
    const expressions = [
      "x",
      "y",
      "x * x",
      "y * y",
      "x * y",
      "sin(x)",
      "sin(y)",
    ];
    assert.deepEqual(
      inputFeatures(model).map((feature) => feature.typescript),
      expressions,
    );
    const typescript = exportModel(model, "typescript");
    assert.match(
      typescript,
      new RegExp(`\\n  return \\[${escape(expressions.join(", "))}\\];\\n`),
    );
    assert.match(
      typescript,
      /^\/\/ A micrograd-ts MLP 7-1 \(no hidden layer, linear output\) on features x, y, x2, y2, xy, sinx, siny,/,
    );
    assert.match(
      exportModel(model, "pytorch"),
      /def sin\(t\):\n.*\n {4}return math\.sin\(t\) if math\.isfinite\(t\) else math\.nan\n\n\ndef features\(x, y\):\n.*\n {4}return \[x, y, x \* x, y \* y, x \* y, sin\(x\), sin\(y\)\]\n/,
    );
    // Reordered and partial feature lists keep the model's order.
    const reordered = new MLP(3, [2, 1], { features: ["siny", "xy", "x"] });
    const module = await importSource(
      exportModel(reordered, "typescript"),
      ".mts",
    );
    assert.deepStrictEqual(module.features(0.5, -2), [
      accurateSin(-2),
      -1,
      0.5,
    ]);
    // No sine, no sin function: the plain model's code is unchanged.
    const plain = exportModel(
      new MLP(2, [1], { features: ["x2", "y2"] }),
      "pytorch",
    );
    assert.doesNotMatch(plain, /sin/);
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

/** `text` with the characters special in a regular expression escaped. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The doubles just below and just above `x` (finite, nonzero `x`). */
function neighbours(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  return [-1n, 1n].map((step) => {
    view.setBigInt64(0, bits + step);
    return view.getFloat64(0);
  });
}

/**
 * Inputs for the sine: multiples of π/2 and π and their neighbouring
 * doubles (where the argument reduction matters most), seeded random values
 * at every scale from 1e-320 to 1e300, the extremes, ±0, NaN and ±Infinity.
 */
function sineInputs(): number[] {
  const inputs = [
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    -5e-324,
    2 ** -1022,
    1e-310,
    1e-300,
    1e-20,
    1e-8,
    0.5,
    Math.PI / 4,
    1e5,
    1e6,
    -1e6,
    2 ** 20,
    1e9,
    1e15,
    2 ** 53,
    1e22,
    1e300,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
  ];
  for (let k = -64; k <= 64; k++) {
    for (const multiple of [k * Math.PI / 2, k * Math.PI, k * 1000 * Math.PI]) {
      inputs.push(multiple);
      if (multiple !== 0) inputs.push(...neighbours(multiple));
    }
  }
  const rng = new Rng(8);
  for (let exponent = -320; exponent <= 300; exponent += 5) {
    for (let i = 0; i < 8; i++) {
      inputs.push(rng.uniform(-1, 1) * 10 ** exponent);
    }
  }
  for (let i = 0; i < 2000; i++) inputs.push(rng.uniform(-20, 20));
  return inputs;
}

/** A model trained on `features`, and its training points. */
function trainedOn(
  features: FeatureName[],
  config: Partial<TrainConfig>,
): [MLP, number[][]] {
  const [model, points] = trained({ features, ...config });
  assert.deepEqual(model.features, features);
  return [model, points];
}

describe("exportModel: input features, bit for bit", () => {
  it("circles on x², y² with no hidden layer", async () => {
    const [model, points] = trainedOn(["x2", "y2"], {
      dataset: "circles",
      hidden: [],
      optimizer: "adam",
      learningRate: 0.1,
      steps: 40,
    });
    await assertSamePredictions(model, points);
    // The point itself would give other numbers: the features matter.
    const module = await importSource(
      exportModel(model, "typescript"),
      ".mts",
    );
    assert.deepStrictEqual(module.features(3, -0.5), [9, 0.25]);
    // The same weights reading the point itself predict something else:
    // what the export wrote before it knew about features.
    const { features: _, ...json } = model.toJSON();
    const onPoint = MLP.fromJSON(json);
    const [x, y] = points[0];
    assert.deepStrictEqual(module.predict(x, y), model.predict([x, y]));
    assert.notDeepStrictEqual(module.predict(x, y), onPoint.predict([x, y]));
  });

  it("all seven features, tanh 8-1, and as plain JavaScript", async () => {
    const [model, points] = trainedOn([...FEATURE_NAMES], {
      dataset: "spiral",
      activation: "tanh",
      hidden: [8],
      optimizer: "adam",
      learningRate: 0.05,
      steps: 30,
    });
    await assertSamePredictions(model, points);
    await assertSamePredictions(model, points, false);
  });

  it("sin x, sin y on a three-class spiral", async () => {
    const [model, points] = trainedOn(["sinx", "siny"], {
      dataset: "spiral",
      classes: 3,
      hidden: [8],
      optimizer: "adam",
      learningRate: 0.05,
      steps: 30,
    });
    await assertSamePredictions(model, points);
  });

  it("the module's sine is accurateSin, bit for bit, in TypeScript and JavaScript", async () => {
    const model = new MLP(2, [1], { features: ["sinx", "siny"] });
    const inputs = sineInputs();
    assert.ok(inputs.length > 3000);
    for (const types of [true, false]) {
      const module = await importSource(
        exportModel(model, "typescript", { types }),
        types ? ".mts" : ".mjs",
      );
      for (const x of inputs) {
        const [sinx, siny] = module.features(x, -x);
        // Object.is: NaN equals NaN, -0 is not 0.
        assert.ok(Object.is(sinx, accurateSin(x)), `sin(${x})`);
        assert.ok(Object.is(siny, accurateSin(-x)), `sin(${-x})`);
      }
    }
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

  it("covers every input feature, x² and y² with no hidden layer, and the sines alone", () => {
    const features = REFERENCE.cases.map((c) => c.model.features ?? []);
    assert.deepEqual(
      [...new Set(features.flat())].sort(),
      [...FEATURE_NAMES].sort(),
    );
    assert.ok(
      REFERENCE.cases.some((c) =>
        c.model.features?.join() === "x2,y2" && c.model.sizes.length === 1
      ),
    );
    assert.ok(features.some((list) => list.join() === "sinx,siny"));
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

  it("a model whose features are unknown, repeated or not one per input", () => {
    const cases: [unknown, string, string][] = [
      [["x2", "z"], "FieldRangeError", "model.features[1]"],
      [["x", "x"], "FieldRangeError", "model.features"],
      [["x", "y", "xy"], "FieldRangeError", "model.features"],
      [[], "FieldRangeError", "model.features"],
      ["x2", "FieldTypeError", "model.features"],
      [[2, "y"], "FieldTypeError", "model.features[0]"],
    ];
    for (const [features, name, field] of cases) {
      // A model altered after it was built (new MLP checks its features).
      const altered = new MLP(2, [3, 1], { features: ["x2", "y2"], seed: 1 });
      (altered as { features: unknown }).features = features;
      for (const format of EXPORT_FORMATS) {
        assert.throws(() => exportModel(altered, format), {
          name,
          field,
          message: /^exportModel: model\.features/,
        }, JSON.stringify(features));
      }
    }
    assert.throws(
      () =>
        inputFeatures(
          new MLP(2, [1], { features: ["x", "sinx"] }).layers as never,
        ),
    );
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
