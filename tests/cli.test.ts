import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli.ts";
import { MLP } from "../src/nn.ts";
import { Trainer } from "../src/train.ts";

/** Run main() with in-memory streams. */
function runCli(
  args: string[],
  options: { tty?: boolean } = {},
): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = main(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
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
  test("--help prints the usage with every flag, exit 0", () => {
    const { code, stdout, stderr } = runCli(["--help"]);
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
    assert.equal(runCli(["-h"]).stdout, stdout);
  });

  test("an unknown flag: the message and the usage on stderr, exit 2", () => {
    const { code, stdout, stderr } = runCli(["--epochs", "3"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /^error: unknown option --epochs/);
    assert.match(stderr, /Usage: train \[options\]/);
  });

  const badValues: [string[], RegExp][] = [
    [["--points", "many"], /--points expects a number, got "many"/],
    [
      ["--points", "1"],
      /--points must be an integer from 2 to 100000, got the number 1/,
    ],
    [
      ["--dataset", "swiss"],
      /--dataset must be one of "moons", "circles", "xor", "spiral" or "blobs"/,
    ],
    [["--hidden", "16,x"], /--hidden expects a number, got "x"/],
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
    [["graph", "--steps", "3"], /graph takes no arguments or options/],
  ];
  for (const [args, message] of badValues) {
    test(`${args.join(" ")} -> exit 2`, () => {
      const { code, stderr } = runCli(args);
      assert.equal(code, 2);
      assert.match(stderr, message);
      assert.match(stderr, /Usage:/);
    });
  }
});

describe("training", () => {
  test("plain progress lines when piped, then the final numbers and the picture", () => {
    const { code, stdout, stderr } = runCli([...SMALL, "--log-every", "4"]);
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

  test("the numbers printed are the Trainer's", () => {
    const { stdout } = runCli(SMALL);
    const trainer = new Trainer({ points: 40, steps: 8, hidden: [8] });
    let last = trainer.step();
    while (trainer.stepCount < 8) last = trainer.step();
    assert.ok(stdout.includes(`final loss ${last.loss.toFixed(6)}`));
  });

  test("on a terminal: one live line redrawn with \\r", () => {
    const { code, stdout } = runCli(SMALL, { tty: true });
    assert.equal(code, 0);
    assert.match(stdout, /\r\[[#-]{24}\] step 8\/8 {2}loss/);
    assert.ok(!/\nstep \d/.test(stdout), "no plain progress lines");
  });

  test("test set, minibatches and --no-compile show up in the output", () => {
    const { code, stdout } = runCli([
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

  test("several classes: cross-entropy (with a note) and digits in the picture", () => {
    const { code, stdout } = runCli([
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
      /note: 3 classes need one output per class, so the loss is crossEntropy instead of hinge/,
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

  test("divergence: a readable message and a hint, exit 1", () => {
    const { code, stderr } = runCli([
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

describe("--out", () => {
  test("writes the weights as JSON that MLP.fromJSON loads back exactly", () => {
    const directory = mkdtempSync(join(tmpdir(), "micrograd-cli-"));
    try {
      const path = join(directory, "model.json");
      const { code, stdout } = runCli([...SMALL, "--out", path]);
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

  test("an unwritable path: a message and exit 1", () => {
    const { code, stderr } = runCli([
      ...SMALL,
      "--out",
      "/nonexistent-dir/for/sure/model.json",
    ]);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^error: could not write the model to \/nonexistent-dir\/for\/sure\/model.json/,
    );
  });
});

describe("graph", () => {
  test("prints the lecture's neuron as DOT, after backward", () => {
    const { code, stdout } = runCli(["graph"]);
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
      isDeno ? ["run", cli, ...args] : [cli, ...args],
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
});
