import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli.ts";
import { CONFIG_SCHEMA } from "../src/config.ts";
import { parseCsv, toCsv } from "../src/csv.ts";
import { makeDataset } from "../src/data.ts";
import { MLP } from "../src/nn.ts";
import { Trainer } from "../src/train.ts";

/** Run main() with in-memory streams. */
async function runCli(
  args: string[],
  options: {
    tty?: boolean;
    onInterrupt?: (stop: () => void) => () => void;
  } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty },
    stderr: { write: (text: string) => (stderr += text) },
    onInterrupt: options.onInterrupt,
  });
  return { code, stdout, stderr };
}

/** The last line of a usage error: the error itself. */
function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 1];
}

/** The characters inside the picture's frame, row after row. */
function canvasOf(stdout: string): string[] {
  return stdout.split("\n")
    .filter((line) => /^ *-?[\d.]* \|.{60}\|$/.test(line))
    .map((row) => row.slice(row.indexOf("|") + 1, -1));
}

/** A quick run: few points and steps, to keep the suite fast. */
const SMALL = ["--points", "40", "--steps", "8", "--hidden", "8"];

describe("help and mistakes", () => {
  test("--help prints the usage with every flag, exit 0", async () => {
    const { code, stdout, stderr } = await runCli(["--help"]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(stdout, /^Usage: train \[options\]/);
    for (
      const flag of [
        "--dataset",
        "--points",
        "--noise",
        "--classes",
        "--data-seed",
        "--test-fraction",
        "--hidden",
        "--activation",
        "--init",
        "--loss",
        "--optimizer",
        "--learning-rate",
        "--schedule",
        "--steps",
        "--l2",
        "--batch-size",
        "--seed",
        "--no-compile",
        "--out",
        "graph",
      ]
    ) {
      assert.ok(stdout.includes(flag), `usage mentions ${flag}`);
    }
    assert.equal((await runCli(["-h"])).stdout, stdout);
    // every schema row has its flag and its doc line
    for (const row of CONFIG_SCHEMA) {
      const flag = row.kind === "boolean"
        ? `--no-${row.flag}`
        : `--${row.flag}`;
      assert.ok(stdout.includes(flag), `usage mentions ${flag}`);
      assert.ok(
        stdout.replace(/\n +/g, " ").includes(row.doc),
        `usage has the doc of ${row.key}`,
      );
    }
  });

  test("an unknown flag: a short usage, then the error as the last line, exit 2", async () => {
    const { code, stdout, stderr } = await runCli(["--epochs", "3"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /^Usage: train \[options\]/);
    assert.match(stderr, /Run "train --help" for every option/);
    assert.match(lastLine(stderr), /^error: unknown option --epochs/);
    assert.ok(!stderr.includes("--learning-rate"), "not the whole --help");
  });

  const badValues: [string[], RegExp][] = [
    [
      ["--points", "many"],
      /--points must be an integer from 2 to 100000, got a string \("many"\)/,
    ],
    [["--points", "0x10"], /--points must be an integer .*"0x10"/],
    [["--points", ""], /--points must be an integer .*got a string \(""\)/],
    [["--noise", "1e"], /--noise must be .*"1e"/],
    [["--steps", "12abc"], /--steps must be .*"12abc"/],
    [["--learning-rate", "Infinity"], /--learning-rate must be/],
    [
      ["--points", "1"],
      /--points must be an integer from 2 to 100000, got the number 1/,
    ],
    [
      ["--dataset", "swiss"],
      /--dataset must be one of "moons", "circles", "xor", "spiral", "blobs", "plane" or "gaussians"/,
    ],
    [
      ["--hidden", "16,x"],
      /--hidden \(layer 2\) must be an integer from 1 to 1024, got a string \("x"\)/,
    ],
    [
      ["--hidden", "1024,1024,1024"],
      /--hidden must be layer sizes giving at most 500000 parameters .*2103297 parameters/,
    ],
    [
      ["--points", "100000", "--hidden", "64,64"],
      /--points must be at most \d+ training points in a full batch/,
    ],
    [["--compile", "--no-compile"], /--compile and --no-compile contradict/],
    [
      ["--out", "/nonexistent-dir/for/sure/model.json"],
      /--out \/nonexistent-dir\/for\/sure\/model.json: cannot write there \(the directory \/nonexistent-dir\/for\/sure does not exist\)/,
    ],
    [
      ["--load", "/nonexistent-dir/model.json"],
      /--load \/nonexistent-dir\/model.json: cannot read it/,
    ],
    [
      ["--hidden", "16,0"],
      /--hidden \(layer 2\) must be an integer from 1 to 1024/,
    ],
    [["--learning-rate=-1"], /--learning-rate must be a finite number > 0/],
    [["--test-fraction", "1"], /--test-fraction must be a number in \[0, 1\)/],
    [["--batch-size", "0"], /--batch-size must be an integer from 1/],
    [
      ["--data-seed", "-3"],
      /--data-seed needs a value; a value starting with "-" must be attached with "="/,
    ],
    [["--steps"], /--steps needs a value/],
    [["--log-every", "0"], /--log-every must be an integer >= 1/],
    [["fit"], /unknown command "fit"/],
    [["graph", "--steps", "3"], /graph takes no arguments and only --svg/],
    [["--svg"], /--svg goes with the graph command/],
  ];
  for (const [args, message] of badValues) {
    test(`${args.join(" ")} -> exit 2`, async () => {
      const { code, stdout, stderr } = await runCli(args);
      assert.equal(code, 2);
      assert.equal(stdout, "", "refused before anything runs");
      assert.match(lastLine(stderr), message);
      assert.match(stderr, /Usage:/);
    });
  }
});

describe("training", () => {
  test("plain progress lines when piped, then the final numbers and the picture", async () => {
    const { code, stdout, stderr } = await runCli([
      ...SMALL,
      "--log-every",
      "4",
    ]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(
      stdout,
      /^moons: 40 training points, 2 classes; MLP 2-8-1 \(relu\); hinge loss \+ 0.0001 L2; sgd lr 1 \(linear\); full batch\n/,
    );
    const progress = stdout.split("\n").filter((line) =>
      line.startsWith("step ")
    );
    assert.equal(progress.length, 2);
    assert.match(
      progress[0],
      /^step 4\/8 {2}loss \d+\.\d{6} {2}acc \d+\.\d% {2}\d+ steps\/s$/,
    );
    assert.ok(!stdout.includes("\r"), "no carriage returns in a pipe");
    assert.match(
      stdout,
      /done: 8 steps in \d+\.\d\d s \(\d+ steps\/s\), \d+ graph nodes per step, compiled tape/,
    );
    assert.match(
      stdout,
      /final loss \d+\.\d{6} \(data \d+\.\d{6} \+ L2 \d+\.\d{6}\), train accuracy \d+\.\d%/,
    );
    // the picture: a 60-wide frame around 24 rows, points and a legend
    const lines = stdout.split("\n");
    const frame = lines.filter((line) => /^ +\+-{60}\+$/.test(line));
    assert.equal(frame.length, 2);
    const rows = canvasOf(stdout);
    assert.equal(rows.length, 24);
    const canvas = rows.join("");
    assert.ok(
      canvas.includes("o") && canvas.includes("x"),
      "training points are drawn",
    );
    assert.match(
      stdout,
      /points: o = class 0, x = class 1; background: " " = predicted 0, "." = predicted 1/,
    );
  });

  test("the numbers printed are the Trainer's", async () => {
    const { stdout } = await runCli(SMALL);
    const trainer = new Trainer({ points: 40, steps: 8, hidden: [8] });
    let last = trainer.step();
    while (trainer.stepCount < 8) last = trainer.step();
    assert.ok(stdout.includes(`final loss ${last.loss.toFixed(6)}`));
  });

  test("on a terminal: one live line redrawn with \\r", async () => {
    const { code, stdout } = await runCli(SMALL, { tty: true });
    assert.equal(code, 0);
    assert.match(stdout, /\r\[[#-]{24}\] step 8\/8 {2}loss/);
    assert.ok(!/\nstep \d/.test(stdout), "no plain progress lines");
  });

  test("test set, minibatches and --no-compile show up in the output", async () => {
    const { code, stdout } = await runCli([
      ...SMALL,
      "--test-fraction",
      "0.25",
      "--batch-size",
      "10",
      "--no-compile",
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /30 training points, 10 test points/);
    assert.match(stdout, /batch 10/);
    assert.match(stdout, /test loss \d+\.\d{6}, test accuracy \d+\.\d%/);
    assert.match(stdout, /a new Value graph every step/);
  });

  test("several classes: cross-entropy (with a note) and digits in the picture", async () => {
    const { code, stdout } = await runCli([
      "--dataset",
      "blobs",
      "--classes",
      "3",
      "--points",
      "30",
      "--steps",
      "5",
      "--hidden",
      "none",
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /MLP 2-3 \(relu\); crossEntropy loss/);
    assert.match(
      stdout,
      /note: --loss hinge runs as crossEntropy: 3 classes need one output per class, which only crossEntropy has/,
    );
    assert.match(
      stdout,
      /points: the class digit; background: " " = 0, "\." = 1, ":" = 2/,
    );
    const canvas = canvasOf(stdout).join("");
    for (const digit of ["0", "1", "2"]) {
      assert.ok(canvas.includes(digit), `class ${digit} is drawn`);
    }
  });

  test("divergence: a readable message and a hint, exit 1", async () => {
    const { code, stderr } = await runCli([
      "--learning-rate",
      "1e6",
      "--schedule",
      "constant",
      "--points",
      "40",
    ]);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^error: training diverged at step \d+: the loss became (Infinity|NaN)\.\n/,
    );
    assert.match(
      stderr,
      /hint: lower the learning rate, currently 1000000 \(try --learning-rate 100000\)/,
    );
  });
});

/** Run `body` with a fresh temporary directory, removed afterwards. */
async function inTemporaryDirectory(
  body: (directory: string) => Promise<void>,
): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
  try {
    await body(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe("--data, --save-data, --features, --l1 and regression", () => {
  test("--save-data writes the generated data; --data trains on it, same numbers", async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, "points.csv");
      const generated = await runCli([...SMALL, "--save-data", path]);
      assert.equal(generated.code, 0);
      assert.match(generated.stdout, /wrote the 40 points to /);
      const data = parseCsv(readFileSync(path, "utf8"));
      assert.deepEqual(data, makeDataset("moons", { points: 40, seed: 1337 }));
      const loaded = await runCli([...SMALL.slice(2), "--data", path]);
      assert.equal(loaded.code, 0);
      assert.match(loaded.stdout, /points\.csv: 40 training points, 2 classes/);
      const final = (text: string) => /final loss .*/.exec(text)![0];
      assert.equal(final(loaded.stdout), final(generated.stdout));
    });
  });

  test("--data with class names, features, L1 and a test split", async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, "three.csv");
      const data = makeDataset("blobs", { points: 60, classes: 3, seed: 4 });
      writeFileSync(
        path,
        toCsv({ ...data, classNames: ["red", "green", "blue"] }),
      );
      const { code, stdout } = await runCli([
        "--data",
        path,
        "--features",
        "x,y,xy",
        "--l1",
        "0.001",
        "--test-fraction",
        "0.2",
        "--steps",
        "5",
        "--hidden",
        "4",
        "--dataset",
        "moons",
      ]);
      assert.equal(code, 0);
      assert.match(
        stdout,
        /three\.csv: 48 training points, 12 test points, 3 classes; MLP x,y,xy -> 3-4-3 \(relu\); crossEntropy loss \+ 0\.0001 L2 \+ 0\.001 L1/,
      );
      assert.match(
        stdout,
        /note: --dataset moons is not used: --data gives the points/,
      );
      assert.match(stdout, /data .* \+ L2 \+ L1 /);
    });
  });

  test("a malformed CSV is a usage error naming the line and column", async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, "bad.csv");
      writeFileSync(path, "x,y,label\n0,0,0\n1,one,1\n");
      const { code, stdout, stderr } = await runCli(["--data", path]);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.equal(
        lastLine(stderr),
        `error: --data ${path}: line 3, column 3: y must be a number, got "one"`,
      );
      const missing = await runCli(["--data", join(directory, "none.csv")]);
      assert.equal(missing.code, 2);
      assert.match(lastLine(missing.stderr), /cannot read it/);
    });
  });

  test("a regression dataset reports R² and MAE and shades the value", async () => {
    const { code, stdout } = await runCli([
      "--dataset",
      "plane",
      "--points",
      "60",
      "--steps",
      "20",
      "--hidden",
      "4",
      "--test-fraction",
      "0.2",
      "--optimizer",
      "adam",
      "--learning-rate",
      "0.05",
    ]);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /plane: 48 training points, 12 test points, regression; MLP 2-4-1 \(relu\); mse loss/,
    );
    assert.match(
      stdout,
      /note: --loss hinge runs as mse: the plane dataset is a regression/,
    );
    assert.match(
      stdout,
      /step +\d+\/20 +loss \S+ +R² -?\d\.\d{3} +test loss \S+ +test R² /,
    );
    assert.match(
      stdout,
      /train R² -?\d\.\d{3}, train MAE \S+, test loss \S+, test R² -?\d\.\d{3}, test MAE /,
    );
    assert.match(
      stdout,
      /points: o; background: the predicted value from \S+ \(" "\) to \S+ \("@"\)/,
    );
  });

  test("--features and --l1 go through the schema; bad values name the flag", async () => {
    const bad = await runCli(["--features", "x,z"]);
    assert.equal(bad.code, 2);
    assert.match(
      lastLine(bad.stderr),
      /^error: --features \(feature 2\) must be one of "x", "y", "x2", "y2", "xy", "sinx" or "siny", got a string \("z"\)$/,
    );
    const twice = await runCli(["--features", "x,x"]);
    assert.match(
      lastLine(twice.stderr),
      /--features must be a non-empty list of distinct features/,
    );
    const negative = await runCli(["--l1=-1"]);
    assert.match(lastLine(negative.stderr), /^error: --l1 must be /);
  });

  test("--load keeps the model's features; other features are a usage error", async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, "model.json");
      const saved = await runCli([
        ...SMALL,
        "--features",
        "x2,y2",
        "--out",
        path,
      ]);
      assert.equal(saved.code, 0);
      const again = await runCli([
        "--load",
        path,
        "--steps",
        "2",
        "--points",
        "40",
      ]);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /MLP x2,y2 -> 2-8-1/);
      const other = await runCli([
        "--load",
        path,
        "--features",
        "x,y",
        "--points",
        "40",
      ]);
      assert.equal(other.code, 2);
      assert.match(
        lastLine(other.stderr),
        /holds an MLP x2,y2 -> 2-8-1 \(relu\), but the options ask for an MLP 2-8-1/,
      );
    });
  });
});

describe("--out", () => {
  test("writes the weights as JSON that MLP.fromJSON loads back exactly", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      const { code, stdout } = await runCli([...SMALL, "--out", path]);
      assert.equal(code, 0);
      assert.ok(stdout.includes(`saved the weights to ${path}`));
      const model = MLP.fromJSON(JSON.parse(readFileSync(path, "utf8")));
      assert.deepEqual(model.sizes, [8, 1]);
      const trainer = new Trainer({ points: 40, steps: 8, hidden: [8] });
      while (trainer.stepCount < 8) trainer.step();
      assert.deepEqual(model.toJSON(), trainer.model.toJSON());
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test("an unwritable path is refused before training (exit 2, nothing trained)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      for (
        const [path, reason] of [
          ["/nonexistent-dir/for/sure/model.json", /does not exist/],
          [directory, /it is a directory/],
          [join(directory, "file.txt", "model.json"), /not a directory/],
        ] as const
      ) {
        writeFileSync(join(directory, "file.txt"), "");
        const { code, stdout, stderr } = await runCli([
          ...SMALL,
          "--out",
          path,
        ]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(lastLine(stderr), reason);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("notes on reinterpreted input", () => {
  test('--classes on moons, a batch >= the training set, --hidden ""', async () => {
    const { code, stdout } = await runCli([
      ...SMALL,
      "--classes",
      "3",
      "--batch-size",
      "500",
      "--hidden",
      "",
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /MLP 2-1 \(relu\)/);
    assert.match(
      stdout,
      /note: --classes 3 runs as 2: the moons dataset always has 2 classes/,
    );
    assert.match(
      stdout,
      /note: --batch-size 500 runs as full: a batch of 500 is at least the 40 training points/,
    );
    assert.match(stdout, /note: --hidden "" means no hidden layer/);
  });

  test("--loss mse with 3 classes runs crossEntropy, with a note", async () => {
    const { stdout } = await runCli([
      "--dataset",
      "spiral",
      "--classes",
      "3",
      "--loss",
      "mse",
      "--points",
      "30",
      "--steps",
      "2",
      "--hidden",
      "4",
    ]);
    assert.match(stdout, /crossEntropy loss/);
    assert.match(stdout, /note: --loss mse runs as crossEntropy/);
  });

  test("no notes for the defaults", async () => {
    const { stdout } = await runCli(SMALL);
    assert.ok(!stdout.includes("note:"));
  });

  test("a large graph announces the first step before it runs", async () => {
    const { stdout } = await runCli([
      "--points",
      "1000",
      "--hidden",
      "16",
      "--steps",
      "1",
    ]);
    const lines = stdout.split("\n");
    const first = lines.findIndex((line) =>
      line.startsWith("first step: recording the tape (up to ")
    );
    const progress = lines.findIndex((line) => line.startsWith("step 1/1"));
    assert.ok(first > 0 && first < progress, "announced before step 1");
  });
});

describe("--load and --evaluate", () => {
  test("continue a saved model: its architecture by default, same numbers as one long run", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      const common = ["--points", "40", "--schedule", "constant"];
      const first = await runCli([
        ...common,
        "--steps",
        "4",
        "--hidden",
        "8,4",
        "--activation",
        "tanh",
        "--out",
        path,
      ]);
      assert.equal(first.code, 0);
      const second = await runCli([...common, "--steps", "3", "--load", path]);
      assert.equal(second.code, 0, second.stderr);
      assert.match(
        second.stdout,
        /MLP 2-8-4-1 \(tanh\); .*; weights from .*model.json\n/,
      );
      // Same as a Trainer given the loaded model (SGD has no state to lose).
      const model = MLP.fromJSON(JSON.parse(readFileSync(path, "utf8")));
      const trainer = new Trainer({
        points: 40,
        schedule: "constant",
        steps: 3,
        hidden: [8, 4],
        activation: "tanh",
      }, { model });
      let last = trainer.step();
      while (trainer.stepCount < 3) last = trainer.step();
      assert.ok(second.stdout.includes(`final loss ${last.loss.toFixed(6)}`));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test("--evaluate prints the loaded model's numbers without training", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      await runCli([...SMALL, "--out", path]);
      const { code, stdout } = await runCli([
        "--points",
        "40",
        "--load",
        path,
        "--evaluate",
      ]);
      assert.equal(code, 0);
      assert.match(
        stdout,
        /evaluated without training: train loss \d+\.\d{6}, train accuracy \d+\.\d%/,
      );
      assert.ok(!/^step /m.test(stdout));
      assert.equal(canvasOf(stdout).length, 24);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test("a mismatched architecture or a bad file is a usage error", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      await runCli([...SMALL, "--out", path]);
      const wrongHidden = await runCli(["--load", path, "--hidden", "4"]);
      assert.equal(wrongHidden.code, 2);
      assert.match(
        lastLine(wrongHidden.stderr),
        /--load .*model.json holds an MLP 2-8-1 \(relu\), but the options ask for an MLP 2-4-1 \(relu\)/,
      );
      const wrongOutputs = await runCli([
        "--load",
        path,
        "--dataset",
        "spiral",
        "--classes",
        "3",
      ]);
      assert.equal(wrongOutputs.code, 2);
      assert.match(lastLine(wrongOutputs.stderr), /an MLP 2-8-3/);
      const junk = join(directory, "junk.json");
      writeFileSync(junk, JSON.stringify({ sizes: [1] }));
      const bad = await runCli(["--load", junk]);
      assert.equal(bad.code, 2);
      assert.match(
        lastLine(bad.stderr),
        /--load .*junk.json is not a saved model/,
      );
      writeFileSync(junk, "{not json");
      assert.equal((await runCli(["--load", junk])).code, 2);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("interrupting", () => {
  test("an interrupt stops after the current step, reports it and still saves --out (exit 130)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      let unsubscribed = false;
      const { code, stdout } = await runCli(
        [...SMALL, "--steps", "1000000", "--out", path],
        {
          onInterrupt: (stop) => {
            setTimeout(stop, 100);
            return () => {
              unsubscribed = true;
            };
          },
        },
      );
      assert.equal(code, 130);
      assert.ok(unsubscribed);
      const stopped = /interrupted: stopped after step (\d+) of 1000000/.exec(
        stdout,
      );
      assert.ok(stopped, stdout.slice(-500));
      assert.ok(Number(stopped[1]) < 1000000);
      assert.match(stdout, /final loss/);
      const model = MLP.fromJSON(JSON.parse(readFileSync(path, "utf8")));
      assert.deepEqual(model.sizes, [8, 1]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("graph", () => {
  test("--svg draws the neuron with the library's own layout", async () => {
    const { code, stdout } = await runCli(["graph", "--svg"]);
    assert.equal(code, 0);
    assert.match(stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(stdout, /<\/svg>\n$/);
    // every value of the lecture's neuron is a box with its label
    for (const label of ["o", "n", "b", "x1", "w1", "x2", "w2"]) {
      assert.match(stdout, new RegExp(`>${label}<`));
    }
  });

  test("prints the lecture's neuron as DOT, after backward", async () => {
    const { code, stdout } = await runCli(["graph"]);
    assert.equal(code, 0);
    assert.match(stdout, /^digraph G \{/);
    // o = tanh(n) = 0.7071 and the lecture's gradients
    for (
      const record of [
        "{ o | data 0.7071 | grad 1.0000 }",
        "{ n | data 0.8814 | grad 0.5000 }",
        "{ b | data 6.8814 | grad 0.5000 }",
        "{ x1 | data 2.0000 | grad -1.5000 }",
        "{ w1 | data -3.0000 | grad 1.0000 }",
        "{ x2 | data 0.0000 | grad 0.5000 }",
        "{ w2 | data 1.0000 | grad 0.0000 }",
        "{ x1*w1 + x2*w2 | data -6.0000 | grad 0.5000 }",
      ]
    ) {
      assert.ok(stdout.includes(record), `has ${record}`);
    }
    assert.match(stdout, /label="tanh"/);
  });
});

describe("as a program", () => {
  // One real process per runtime check: the entry point and the exit code.
  const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
  const isDeno = "Deno" in globalThis;
  const command = (args: string[]) =>
    spawnSync(
      process.execPath,
      isDeno ? ["run", "-A", cli, ...args] : [cli, ...args],
      {
        encoding: "utf8",
      },
    );

  test("exit code 2 for a bad flag, 0 and DOT for graph", () => {
    const bad = command(["--bogus"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown option --bogus/);
    const graph = command(["graph"]);
    assert.equal(graph.status, 0);
    assert.match(graph.stdout, /^digraph G \{/);
  });

  test("Ctrl-C (SIGINT) after the first progress line: exits 130 with a valid --out", async () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      const args = [
        ...SMALL,
        "--steps",
        "100000000",
        "--log-every",
        "50",
        "--out",
        path,
      ];
      const child = spawn(
        process.execPath,
        isDeno ? ["run", "-A", cli, ...args] : [cli, ...args],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((done, fail) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          fail(new Error(`no exit after SIGINT: ${stdout} ${stderr}`));
        }, 30_000);
        child.stdout.on("data", (chunk) => {
          const first = !stdout.includes("\nstep ");
          stdout += chunk;
          if (first && stdout.includes("\nstep ")) {
            // Not child.kill("SIGINT"): in Deno 2.9 it kills a Deno child
            // outright; process.kill sends the signal itself.
            process.kill(child.pid!, "SIGINT");
          }
        });
        child.on("exit", (status) => {
          clearTimeout(timer);
          done(status);
        });
      });
      assert.equal(code, 130, stderr);
      assert.match(stdout, /interrupted: stopped after step \d+ of 100000000/);
      const model = MLP.fromJSON(JSON.parse(readFileSync(path, "utf8")));
      assert.deepEqual(model.sizes, [8, 1]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
