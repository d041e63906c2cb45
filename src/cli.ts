/**
 * The command line: train a model on a toy dataset in the terminal and draw
 * its decision boundary, or print the lecture's neuron as Graphviz DOT.
 *
 * ```sh
 * deno run -A src/cli.ts --dataset spiral --classes 3 --optimizer adam --learning-rate 0.05
 * bun src/cli.ts graph | dot -Tsvg > neuron.svg
 * ```
 *
 * It runs unchanged in Deno, Bun and Node: only `node:` modules, no `Deno.*`.
 * Everything goes through {@linkcode main}, which takes the arguments and the
 * output streams and returns the exit code, so tests can drive it.
 *
 * @module
 */

import { writeFileSync } from "node:fs";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Value } from "./engine.ts";
import { toDot } from "./graph.ts";
import { DEFAULT_CONFIG, type TrainConfig, validateConfig } from "./config.ts";
import { DivergenceError, type StepStats, Trainer } from "./train.ts";

/** Where the CLI writes: `process.stdout`-like objects. */
export interface OutputStream {
  /** Write a chunk of text. */
  write(text: string): unknown;
  /** True on an interactive terminal: progress is then one live line. */
  isTTY?: boolean;
}

/** The streams {@linkcode main} writes to. */
export interface CliIO {
  /** Results and progress. */
  stdout: OutputStream;
  /** Errors and usage after a mistake. */
  stderr: OutputStream;
}

/** Raised for a bad command line; {@linkcode main} turns it into exit code 2. */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const USAGE = `Usage: train [options]
       train graph

Trains a small MLP on a toy 2-D dataset with micrograd-ts, showing progress,
then prints the final numbers and a picture of the decision boundary.
The defaults are micrograd's demo: 100 moons, MLP 2-16-16-1, hinge loss +
1e-4 L2, SGD with the linear decay 1.0 - 0.9*k/100, 100 steps.

Data:
  --dataset NAME         moons, circles, xor, spiral or blobs (default ${DEFAULT_CONFIG.dataset})
  --points N             number of points (default ${DEFAULT_CONFIG.points})
  --noise X              std of the gaussian noise on the points (default ${DEFAULT_CONFIG.noise})
  --classes K            classes of spiral and blobs, 2..10 (default ${DEFAULT_CONFIG.classes})
  --data-seed N          seed of the data and the train/test split (default ${DEFAULT_CONFIG.dataSeed})
  --test-fraction X      share of points held out for testing, in [0, 1) (default ${DEFAULT_CONFIG.testFraction})
Model:
  --hidden SIZES         hidden layer sizes, comma-separated (default ${
  DEFAULT_CONFIG.hidden.join(",")
};
                         "none" for a linear model)
  --activation NAME      relu, tanh, sigmoid or linear (default ${DEFAULT_CONFIG.activation})
  --init NAME            uniform, xavier or he (default ${DEFAULT_CONFIG.init})
Training:
  --loss NAME            hinge, logistic, mse or crossEntropy (default ${DEFAULT_CONFIG.loss};
                         more than 2 classes always use crossEntropy)
  --optimizer NAME       sgd, momentum or adam (default ${DEFAULT_CONFIG.optimizer})
  --learning-rate X      base learning rate (default ${DEFAULT_CONFIG.learningRate})
  --schedule NAME        constant, linear, cosine or step (default ${DEFAULT_CONFIG.schedule})
  --steps N              number of steps (default ${DEFAULT_CONFIG.steps})
  --l2 X                 L2 penalty strength (default ${DEFAULT_CONFIG.l2})
  --batch-size N         samples per step, or "full" (default full)
  --seed N               seed of the weights and the minibatches (default ${DEFAULT_CONFIG.seed})
  --no-compile           build a new Value graph every step instead of
                         replaying a compiled tape (slower; same numbers)
Output:
  --out FILE             save the trained weights as JSON (MLP.toJSON)
  --log-every N          when not on a terminal, print a progress line every
                         N steps (default: steps/10)
  -h, --help             show this help

Commands:
  graph                  print the lecture's neuron (o = tanh(x1*w1 + x2*w2 + b))
                         as Graphviz DOT, e.g. "train graph | dot -Tsvg > n.svg"

Negative numbers need "=": --data-seed=-3.
`;

const OPTIONS = {
  dataset: { type: "string" },
  points: { type: "string" },
  noise: { type: "string" },
  classes: { type: "string" },
  "data-seed": { type: "string" },
  "test-fraction": { type: "string" },
  hidden: { type: "string" },
  activation: { type: "string" },
  init: { type: "string" },
  loss: { type: "string" },
  optimizer: { type: "string" },
  "learning-rate": { type: "string" },
  schedule: { type: "string" },
  steps: { type: "string" },
  l2: { type: "string" },
  "batch-size": { type: "string" },
  seed: { type: "string" },
  compile: { type: "boolean" },
  "no-compile": { type: "boolean" },
  out: { type: "string" },
  "log-every": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Config fields whose flag takes a plain number. */
const NUMBER_FIELDS = [
  "points",
  "noise",
  "classes",
  "dataSeed",
  "testFraction",
  "learningRate",
  "steps",
  "l2",
  "seed",
] as const;

/** Config fields whose flag takes a name. */
const NAME_FIELDS = [
  "dataset",
  "activation",
  "init",
  "loss",
  "optimizer",
  "schedule",
] as const;

/** `learningRate` -> `learning-rate`. */
function kebab(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || Number.isNaN(value)) {
    throw new UsageError(
      `--${flag} expects a number, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

type Flags = { [K in keyof typeof OPTIONS]?: string | boolean };

/** Turn the parsed flags into a (validated) config. */
function configFromFlags(flags: Flags): TrainConfig {
  const input: Record<string, unknown> = {};
  for (const field of NUMBER_FIELDS) {
    const text = flags[kebab(field) as keyof Flags];
    if (typeof text === "string") {
      input[field] = parseNumber(kebab(field), text);
    }
  }
  for (const field of NAME_FIELDS) {
    const text = flags[field];
    if (typeof text === "string") input[field] = text;
  }
  if (typeof flags.hidden === "string") {
    const text = flags.hidden.trim();
    input.hidden = text === "" || text === "none"
      ? []
      : text.split(",").map((size) => parseNumber("hidden", size.trim()));
  }
  if (typeof flags["batch-size"] === "string") {
    const text = flags["batch-size"];
    input.batchSize = text === "full" ? null : parseNumber("batch-size", text);
  }
  if (flags.compile && flags["no-compile"]) {
    throw new UsageError("--compile and --no-compile contradict each other");
  }
  if (flags["no-compile"]) input.compile = false;
  try {
    return validateConfig(input);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      // "validateConfig: learningRate must be ..." -> "--learning-rate must be ..."
      throw new UsageError(
        error.message.replace(
          /^validateConfig: (\w+)(\[(\d+)\])?/,
          (_, field: string, _index, position?: string) =>
            position === undefined
              ? `--${kebab(field)}`
              : `--${kebab(field)} (layer ${Number(position) + 1})`,
        ),
      );
    }
    throw error;
  }
}

/** `0.012345` style numbers for the progress and summary lines. */
function formatLoss(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-4 && x !== 0)
    ? x.toExponential(3)
    : x.toFixed(6);
}

function formatPercent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function progressText(stats: StepStats, total: number, rate: number): string {
  const width = String(total).length;
  const parts = [
    `step ${String(stats.step).padStart(width)}/${total}`,
    `loss ${formatLoss(stats.loss)}`,
    `acc ${formatPercent(stats.trainAccuracy)}`,
  ];
  if (stats.testLoss !== null && stats.testAccuracy !== null) {
    parts.push(
      `test loss ${formatLoss(stats.testLoss)}`,
      `test acc ${formatPercent(stats.testAccuracy)}`,
    );
  }
  parts.push(`${rate.toFixed(0)} steps/s`);
  return parts.join("  ");
}

function progressBar(done: number, total: number, width = 24): string {
  const filled = Math.round((width * done) / total);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/**
 * The decision boundary as text: every character cell shows the class the
 * model predicts at its centre (the background), with the training points
 * drawn on top (`o`/`x` for two classes, the digit of the class otherwise).
 */
function renderBoundary(
  trainer: Trainer,
  columns: number = 60,
  rows: number = 24,
): string {
  const bounds = trainer.dataBounds(0.25);
  const classes = trainer.config.classes;
  const binary = classes === 2;
  const background = [" ", ".", ":", "-", "=", "+", "~", "^", "'", ","];
  const pointSymbols = binary
    ? ["o", "x"]
    : Array.from({ length: classes }, (_, c) => String(c));
  const cellWidth = (bounds.xMax - bounds.xMin) / columns;
  const cellHeight = (bounds.yMax - bounds.yMin) / rows;
  const predictClass = (scores: number[]): number => {
    if (scores.length === 1) return scores[0] > 0 ? 1 : 0;
    let best = 0;
    for (let c = 1; c < scores.length; c++) {
      if (scores[c] > scores[best]) best = c;
    }
    return best;
  };
  // Row 0 is the top of the picture, so y decreases down the rows.
  const canvas: string[][] = [];
  for (let row = 0; row < rows; row++) {
    const y = bounds.yMax - (row + 0.5) * cellHeight;
    const line: string[] = [];
    for (let column = 0; column < columns; column++) {
      const x = bounds.xMin + (column + 0.5) * cellWidth;
      line.push(background[predictClass(trainer.model.predict([x, y]))]);
    }
    canvas.push(line);
  }
  const { x: points, y: labels } = trainer.train;
  for (let i = 0; i < points.length; i++) {
    const column = Math.min(
      columns - 1,
      Math.floor((points[i][0] - bounds.xMin) / cellWidth),
    );
    const row = Math.min(
      rows - 1,
      Math.floor((bounds.yMax - points[i][1]) / cellHeight),
    );
    canvas[row][column] = pointSymbols[labels[i]];
  }
  const top = bounds.yMax.toFixed(2);
  const bottom = bounds.yMin.toFixed(2);
  const margin = Math.max(top.length, bottom.length) + 1;
  const border = `${" ".repeat(margin)}+${"-".repeat(columns)}+`;
  const lines = [border];
  canvas.forEach((line, row) => {
    const label = row === 0 ? top : row === rows - 1 ? bottom : "";
    lines.push(`${label.padStart(margin - 1)} |${line.join("")}|`);
  });
  lines.push(border);
  const left = bounds.xMin.toFixed(2);
  const right = bounds.xMax.toFixed(2);
  lines.push(
    `${" ".repeat(margin)}${left}${right.padStart(columns + 2 - left.length)}`,
  );
  const legend = binary
    ? `points: o = class 0, x = class 1; background: "${
      background[0]
    }" = predicted 0, "${background[1]}" = predicted 1`
    : `points: the class digit; background: ${
      background.slice(0, classes).map((symbol, c) => `"${symbol}" = ${c}`)
        .join(", ")
    }`;
  lines.push(legend);
  return lines.join("\n") + "\n";
}

/** The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b), after backward. */
function lectureNeuron(): Value {
  const x1 = new Value(2.0, "x1");
  const x2 = new Value(0.0, "x2");
  const w1 = new Value(-3.0, "w1");
  const w2 = new Value(1.0, "w2");
  // A bias chosen so that n = 0.8814 and o = tanh(n) = 0.7071 (a round grad).
  const b = new Value(6.8813735870195432, "b");
  const x1w1 = x1.mul(w1);
  x1w1.label = "x1*w1";
  const x2w2 = x2.mul(w2);
  x2w2.label = "x2*w2";
  const x1w1x2w2 = x1w1.add(x2w2);
  x1w1x2w2.label = "x1*w1 + x2*w2";
  const n = x1w1x2w2.add(b);
  n.label = "n";
  const o = n.tanh();
  o.label = "o";
  o.backward();
  return o;
}

/** Train with progress on `io.stdout`; returns the exit code. */
function train(config: TrainConfig, flags: Flags, io: CliIO): number {
  let logEvery = Math.max(1, Math.round(config.steps / 10));
  if (typeof flags["log-every"] === "string") {
    logEvery = parseNumber("log-every", flags["log-every"]);
    if (!Number.isInteger(logEvery) || logEvery < 1) {
      throw new UsageError(
        `--log-every must be an integer >= 1, got ${flags["log-every"]}`,
      );
    }
  }
  const trainer = new Trainer(config);
  const effective = trainer.config;
  const live = io.stdout.isTTY === true;
  const out = io.stdout;
  out.write(
    `${effective.dataset}: ${trainer.train.x.length} training points${
      trainer.test.x.length > 0 ? `, ${trainer.test.x.length} test points` : ""
    }, ${effective.classes} classes; MLP ${
      [2, ...trainer.model.sizes].join("-")
    } (${effective.activation}); ${effective.loss} loss${
      effective.l2 > 0 ? ` + ${effective.l2} L2` : ""
    }; ${effective.optimizer} lr ${effective.learningRate} (${effective.schedule}); ${
      effective.batchSize === null
        ? "full batch"
        : `batch ${effective.batchSize}`
    }\n`,
  );
  if (effective.loss !== config.loss) {
    out.write(
      `note: ${effective.classes} classes need one output per class, so the loss is crossEntropy instead of ${config.loss}\n`,
    );
  }

  const started = performance.now();
  let lastDrawn = -Infinity;
  let stats: StepStats | null = null;
  const rate = (): number => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? trainer.stepCount / seconds : 0;
  };
  try {
    for (let k = 0; k < effective.steps; k++) {
      stats = trainer.step();
      const last = k === effective.steps - 1;
      if (live) {
        // Redraw at most ~20 times a second: a terminal is slower than a step.
        const now = performance.now();
        if (last || now - lastDrawn > 50) {
          lastDrawn = now;
          out.write(
            `\r${progressBar(stats.step, effective.steps)} ${
              progressText(stats, effective.steps, rate())
            }\x1b[K`,
          );
        }
      } else if (stats.step % logEvery === 0 || last) {
        out.write(`${progressText(stats, effective.steps, rate())}\n`);
      }
    }
  } catch (error) {
    if (live) out.write("\n");
    if (error instanceof DivergenceError) {
      io.stderr.write(
        `error: training diverged at step ${error.step}: the loss became ${error.value}.\n` +
          `hint: ${error.hint} (try --learning-rate ${
            effective.learningRate / 10
          }).\n`,
      );
      return 1;
    }
    throw error;
  }
  if (live) out.write("\n");
  const final = stats!;
  const seconds = (performance.now() - started) / 1000;
  out.write(
    `\ndone: ${final.step} steps in ${seconds.toFixed(2)} s (${
      (final.step / seconds).toFixed(0)
    } steps/s), ${final.nodes} graph nodes per step, ${
      final.compiled ? "compiled tape" : "a new Value graph every step"
    }\n`,
  );
  out.write(
    `final loss ${formatLoss(final.loss)} (data ${
      formatLoss(final.dataLoss)
    } + L2 ${formatLoss(final.regularizationLoss)}), train accuracy ${
      formatPercent(final.trainAccuracy)
    }${
      final.testLoss !== null && final.testAccuracy !== null
        ? `, test loss ${formatLoss(final.testLoss)}, test accuracy ${
          formatPercent(final.testAccuracy)
        }`
        : ""
    }\n\n`,
  );
  out.write(renderBoundary(trainer));

  if (typeof flags.out === "string") {
    try {
      writeFileSync(
        flags.out,
        JSON.stringify(trainer.model.toJSON(), null, 2) + "\n",
      );
    } catch (error) {
      io.stderr.write(
        `error: could not write the model to ${flags.out}: ${
          (error as Error).message
        }\n`,
      );
      return 1;
    }
    out.write(`\nsaved the weights to ${flags.out}\n`);
  }
  return 0;
}

/** parseArgs' messages, shortened to what a user needs. */
function explainParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]} (see the list below)`;
  const ambiguous = /Option '([^' ]+)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    return `${
      ambiguous[1]
    } needs a value; a value starting with "-" must be attached with "=", as in ${
      ambiguous[1]
    }=-3`;
  }
  const missing = /Option '([^' ]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message;
}

/**
 * Run the CLI with `args` (without the runtime and script, i.e.
 * `process.argv.slice(2)`), writing to `io`. Returns the exit code: 0 on
 * success, 1 when training diverged or the model could not be saved, 2 for a
 * bad command line (the message and the usage go to `io.stderr`).
 *
 * @example
 * ```ts
 * import { main } from "./cli.ts";
 * let text = "";
 * const io = { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => {} } };
 * console.log(main(["--steps", "5"], io), text.includes("final loss")); // 0 true
 * ```
 */
export function main(args: readonly string[], io: CliIO): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: OPTIONS,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(explainParseError((error as Error).message));
    }
    const flags = parsed.values as Flags;
    if (flags.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const [command, ...rest] = parsed.positionals;
    if (command === "graph") {
      if (rest.length > 0 || Object.keys(flags).length > 0) {
        throw new UsageError("graph takes no arguments or options");
      }
      io.stdout.write(toDot(lectureNeuron()));
      return 0;
    }
    if (command !== undefined) {
      throw new UsageError(
        `unknown command ${
          JSON.stringify(command)
        } (the only command is "graph"; options start with --)`,
      );
    }
    return train(configFromFlags(flags), flags, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

/** True when this file is the program being run (not imported by a test). */
function isEntryPoint(): boolean {
  const meta = import.meta as ImportMeta & { main?: boolean };
  if (typeof meta.main === "boolean") return meta.main; // Deno, Bun
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === import.meta.url;
}

/** A write to a closed pipe (`train | head`): the reader has seen enough. */
function isBrokenPipe(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EPIPE";
}

if (isEntryPoint()) {
  // Node and Deno report a closed pipe as a stream event, Bun by throwing.
  process.stdout.on("error", (error: unknown) => {
    if (isBrokenPipe(error)) process.exit(0);
    throw error;
  });
  try {
    // exitCode rather than exit(): let the streams flush first.
    process.exitCode = main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } catch (error) {
    if (!isBrokenPipe(error)) throw error;
  }
}
