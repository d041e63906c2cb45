/**
 * The command line: train a model on a toy dataset in the terminal and draw
 * its decision boundary, evaluate or continue a saved model, or print the
 * lecture's neuron as Graphviz DOT.
 *
 * ```sh
 * deno run -A src/cli.ts --dataset spiral --classes 3 --optimizer adam --learning-rate 0.05
 * deno run -A src/cli.ts --load model.json --evaluate
 * deno run -A src/cli.ts --data points.csv --features x,y,x2,y2 --hidden none
 * bun src/cli.ts graph | dot -Tsvg > neuron.svg
 * ```
 *
 * The config flags and their `--help` lines come from the config schema
 * (`CONFIG_SCHEMA` in `config.ts`): each row's `flag`, read with
 * `parseConfigField`; a refused value's error names its field, which the
 * schema maps back to the flag. What `resolveConfig` changes (e.g.
 * `--classes 3` on moons) is printed as a note.
 *
 * It runs unchanged in Deno, Bun and Node: only `node:` modules, no `Deno.*`.
 * Everything goes through {@linkcode main}, which takes the arguments and the
 * output streams and resolves to the exit code, so tests can drive it.
 * Exit codes: 0 done, 1 diverged or could not save, 2 a bad command line,
 * 130 stopped by Ctrl-C (after saving `--out`).
 *
 * @module
 */

import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { FieldRangeError, isFieldError } from "./checks.ts";
import { parseCsv, toCsv } from "./csv.ts";
import { type Dataset, datasetTask } from "./data.ts";
import {
  CONFIG_SCHEMA,
  type ConfigError,
  type ConfigField,
  type ConfigGroup,
  type ConfigTypeError,
  describeAllowed,
  describeResolution,
  estimateCost,
  formatConfigField,
  isConfigError,
  parseConfigField,
  resolveConfig,
  type TrainConfig,
  validateConfig,
} from "./config.ts";
import { Value } from "./engine.ts";
import { EXPORT_FORMATS, type ExportFormat, exportModel } from "./export.ts";
import { toDot } from "./graph.ts";
import { isIdentityFeatures } from "./features.ts";
import { toSvg } from "./svg.ts";
import { predictClass } from "./loss.ts";
import { MLP } from "./nn.ts";
import {
  checkStopRule,
  stopReason,
  type StopRule,
  stopRuleNeedsScores,
} from "./stop.ts";
import {
  DivergenceError,
  type Evaluation,
  type StepStats,
  Trainer,
} from "./train.ts";

/** Where the CLI writes: `process.stdout`-like objects. */
export interface OutputStream {
  /** Write a chunk of text. */
  write(text: string): unknown;
  /** True on an interactive terminal: progress is then one live line. */
  isTTY?: boolean;
}

/** The streams {@linkcode main} writes to, and how it hears Ctrl-C. */
export interface CliIO {
  /** Results and progress. */
  stdout: OutputStream;
  /** Errors and usage after a mistake. */
  stderr: OutputStream;
  /**
   * Register `stop`, to be called on an interrupt (the program passes
   * SIGINT): training then ends after the current step, still writing
   * `--out`. Returns a function that unregisters it. Optional.
   */
  onInterrupt?: (stop: () => void) => () => void;
}

/** Raised for a bad command line; {@linkcode main} turns it into exit code 2. */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit code after Ctrl-C: 128 + SIGINT, as shells report it. */
const INTERRUPTED = 130;

/** A config flag's placeholder in `--help`, by kind. */
const PLACEHOLDERS: Readonly<Record<ConfigField["kind"], string>> = {
  choice: "NAME",
  integer: "N",
  number: "X",
  seed: "N",
  boolean: "",
  layers: "SIZES",
  batch: "N",
  features: "LIST",
};

const GROUP_TITLES: Readonly<Record<ConfigGroup, string>> = {
  data: "Data",
  model: "Model",
  training: "Training",
};

/** Help text wrapped to 79 columns, continuation lines under the first. */
function helpLine(left: string, text: string): string {
  const column = 25;
  const width = 79 - column;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  const head = left.length < column - 1
    ? left.padEnd(column)
    : `${left}\n${" ".repeat(column)}`;
  return head + lines.join(`\n${" ".repeat(column)}`) + "\n";
}

/** The `--help` line of a config field, from its schema row. */
function fieldHelp(row: ConfigField): string {
  if (row.kind === "boolean") {
    return row.default
      ? helpLine(`  --no-${row.flag}`, `turn off: ${row.doc}`)
      : helpLine(`  --${row.flag}`, `turn on: ${row.doc}`);
  }
  const allowed = row.kind === "choice"
    ? (row.limits.choices ?? []).join(", ")
    : row.kind === "layers" || row.kind === "seed"
    ? ""
    : describeAllowed(row.key).replace(/, or null for the full batch$/, "");
  const text = `${row.doc}${allowed ? `: ${allowed}` : ""} (default ${
    formatConfigField(row.key, row.default)
  })`;
  return helpLine(`  --${row.flag} ${PLACEHOLDERS[row.kind]}`, text);
}

const SHORT_USAGE = `Usage: train [options]
       train graph
`;

/** The full `--help`: the config flags come from the schema. */
function usage(): string {
  let text = `${SHORT_USAGE}
Trains a small MLP on a toy 2-D dataset with micrograd-ts, showing progress,
then prints the final numbers and a picture of the decision boundary.
The defaults are micrograd's demo: 100 moons, MLP 2-16-16-1, hinge loss +
1e-4 L2, SGD with the linear decay 1.0 - 0.9*k/100, 100 steps.
`;
  for (const group of Object.keys(GROUP_TITLES) as ConfigGroup[]) {
    text += `\n${GROUP_TITLES[group]}:\n`;
    for (const row of CONFIG_SCHEMA) {
      if (row.group === group) text += fieldHelp(row);
    }
  }
  text += "\nYour own data:\n" +
    helpLine(
      "  --data FILE",
      "train on the points of a CSV file (x,y,label per line; labels " +
        "class indices, class names or real targets) instead of --dataset",
    ) +
    helpLine(
      "  --save-data FILE",
      "write the data trained on (generated or --data) as CSV",
    ) +
    "\nSaved models:\n" +
    helpLine(
      "  --load FILE",
      "start from the weights in FILE (saved by --out); --hidden and " +
        "--activation default to the model's",
    ) +
    helpLine("  --evaluate", "evaluate the model without training") +
    "\nOutput:\n" +
    helpLine(
      "  --out FILE",
      "save the weights as JSON (MLP.toJSON); checked before training, " +
        "written even after Ctrl-C",
    ) +
    helpLine(
      "  --export FORMAT",
      "also write the model as code: pytorch (a torch.nn.Sequential " +
        "script) or typescript (a module with no imports); to --out with " +
        ".py/.ts for .json, else model.py/model.ts",
    ) +
    helpLine("  --export-out FILE", "where --export writes") +
    "\nWhen to stop (the first target met, else after --steps):\n" +
    helpLine(
      "  --stop-at-loss X",
      "stop once the whole training set's data loss is at most X",
    ) +
    helpLine(
      "  --stop-at-accuracy X",
      "stop once the whole training set's accuracy (R² for a regression) " +
        "is at least X",
    ) +
    helpLine(
      "  --stop-at-test-accuracy X",
      "the same on the test set (see --test-fraction)",
    ) +
    helpLine(
      "  --log-every N",
      "when not on a terminal, print a progress line every N steps " +
        "(default: steps/10, and at least every second)",
    ) +
    helpLine("  -h, --help", "show this help") +
    `
Commands:
  graph                  print the lecture's neuron (o = tanh(x1*w1 + x2*w2 + b))
                         as Graphviz DOT, e.g. "train graph | dot -Tsvg > n.svg"
  graph --svg            the same as SVG, drawn by the library itself

Negative numbers need "=": --data-seed=-3. Ctrl-C stops after the current
step and still saves --out (exit code 130).
`;
  return text;
}

/** A parseArgs option. */
type OptionSpec = { type: "string" | "boolean"; short?: string };

/** The options of parseArgs: the schema's flags, then the CLI's own. */
const OPTIONS: Record<string, OptionSpec> = {
  ...Object.fromEntries(
    CONFIG_SCHEMA.flatMap((row): [string, OptionSpec][] =>
      row.kind === "boolean"
        ? [[row.flag, { type: "boolean" }], [`no-${row.flag}`, {
          type: "boolean",
        }]]
        : [[row.flag, { type: "string" }]]
    ),
  ),
  data: { type: "string" },
  "save-data": { type: "string" },
  load: { type: "string" },
  evaluate: { type: "boolean" },
  out: { type: "string" },
  export: { type: "string" },
  "export-out": { type: "string" },
  "log-every": { type: "string" },
  "stop-at-loss": { type: "string" },
  "stop-at-accuracy": { type: "string" },
  "stop-at-test-accuracy": { type: "string" },
  svg: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

type Flags = Record<string, string | boolean | undefined>;

/**
 * The flag a config error is about, from its `.field` via the schema:
 * `hidden[2]` -> `--hidden (layer 3)`.
 */
function flagOf(field: string): string | undefined {
  const layer = /^(\w+)\[(\d+)\]$/.exec(field);
  const key = layer ? layer[1] : field;
  const row = CONFIG_SCHEMA.find((candidate) => candidate.key === key);
  if (row === undefined) return undefined;
  const part = row.kind === "features" ? "feature" : "layer";
  return layer
    ? `--${row.flag} (${part} ${Number(layer[2]) + 1})`
    : `--${row.flag}`;
}

/** A config error as a usage error about the flag. */
function usageErrorFrom(error: ConfigError | ConfigTypeError): UsageError {
  const flag = flagOf(error.field);
  return new UsageError(
    flag === undefined
      ? error.message
      : `${flag} must be ${error.allowed}, got ${error.got}`,
  );
}

/** The config the flags ask for (unvalidated as a whole) and notes on how they were read. */
function configFromFlags(
  flags: Flags,
): { input: Partial<TrainConfig>; notes: string[] } {
  const input: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const row of CONFIG_SCHEMA) {
    if (row.kind === "boolean") {
      const on = flags[row.flag] === true;
      const off = flags[`no-${row.flag}`] === true;
      if (on && off) {
        throw new UsageError(
          `--${row.flag} and --no-${row.flag} contradict each other`,
        );
      }
      if (on || off) input[row.key] = on;
      continue;
    }
    const text = flags[row.flag];
    if (typeof text !== "string") continue;
    try {
      input[row.key] = parseConfigField(row.key, text);
    } catch (error) {
      if (isConfigError(error)) throw usageErrorFrom(error);
      throw error;
    }
    if (row.kind === "layers" && text.trim() === "") {
      notes.push(
        `--${row.flag} "" means no hidden layer (a linear model); --${row.flag} none says so`,
      );
    }
  }
  return { input: input as Partial<TrainConfig>, notes };
}

/** Why `path` cannot be written, or `null` when it can (checked before training). */
function unwritableReason(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return "it is a directory";
    accessSync(path, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "ENOENT") return (error as Error).message;
  }
  const directory = dirname(resolve(path));
  try {
    if (!statSync(directory).isDirectory()) {
      return `${directory} is not a directory`;
    }
    accessSync(directory, constants.W_OK);
    return null;
  } catch (error) {
    return (error as { code?: string }).code === "ENOENT"
      ? `the directory ${directory} does not exist`
      : `cannot write in ${directory}`;
  }
}

/** Read and check a model saved by `--out` (as `MLP.fromJSON` does). */
function loadModel(path: string): MLP {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `--load ${path}: cannot read it (${(error as Error).message})`,
    );
  }
  try {
    return MLP.fromJSON(JSON.parse(text));
  } catch (error) {
    throw new UsageError(
      `--load ${path} is not a saved model: ${(error as Error).message}`,
    );
  }
}

/** Read a CSV dataset for `--data` (as `parseCsv` does). */
function loadData(path: string): Dataset {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `--data ${path}: cannot read it (${(error as Error).message})`,
    );
  }
  try {
    return parseCsv(text);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof RangeError) {
      throw new UsageError(
        `--data ${path}: ${
          (error as Error).message.replace(/^parseCsv: /, "")
        }`,
      );
    }
    throw error;
  }
}

/** Refuse an output path that cannot be written, before training. */
function checkWritable(flag: string, path: unknown): void {
  if (typeof path !== "string") return;
  const reason = unwritableReason(path);
  if (reason !== null) {
    throw new UsageError(`--${flag} ${path}: cannot write there (${reason})`);
  }
}

/** Everything a training run needs, checked before it starts. */
interface Plan {
  config: TrainConfig;
  notes: string[];
  model: MLP | undefined;
  /** The points of `--data`, if given. */
  data: Dataset | undefined;
  logEvery: number | undefined;
  /** When training ends: after `config.steps`, or at the first target met. */
  stop: StopRule;
}

/** The stop flags, each with the `StopRule` field it sets. */
const STOP_FLAGS = [
  ["stop-at-loss", "loss"],
  ["stop-at-accuracy", "accuracy"],
  ["stop-at-test-accuracy", "testAccuracy"],
] as const;

/** The stop rule of the flags: the schedule's end, and any target given. */
function stopRuleFromFlags(flags: Flags): StopRule {
  const rule: StopRule = { steps: "schedule" };
  for (const [flag, field] of STOP_FLAGS) {
    const text = flags[flag];
    if (typeof text !== "string") continue;
    const value = text.trim() === "" ? NaN : Number(text);
    try {
      checkStopRule({ [field]: value }, "train");
    } catch (error) {
      if (!isFieldError(error)) throw error;
      throw new UsageError(
        `--${flag} must be ${error.allowed}, got ${JSON.stringify(text)}`,
      );
    }
    rule[field] = value;
  }
  return rule;
}

/** Read the flags into a plan, or throw a UsageError. */
function planFromFlags(flags: Flags): Plan {
  const { input, notes } = configFromFlags(flags);
  let model: MLP | undefined;
  if (typeof flags.load === "string") {
    model = loadModel(flags.load);
    // The model's own architecture unless the flags say otherwise.
    if (flags.hidden === undefined) input.hidden = model.sizes.slice(0, -1);
    if (flags.activation === undefined) input.activation = model.activation;
    if (flags.features === undefined && model.pointFeatures !== null) {
      input.features = [...model.pointFeatures];
    }
  }
  const data = typeof flags.data === "string"
    ? loadData(flags.data)
    : undefined;
  const shape = shapeOf(data);
  let config: TrainConfig;
  let resolution;
  try {
    config = validateConfig(input);
    resolution = describeResolution(config, shape);
  } catch (error) {
    if (isConfigError(error)) throw usageErrorFrom(error);
    throw error;
  }
  for (const note of resolution) {
    const row = CONFIG_SCHEMA.find((candidate) =>
      candidate.key === note.field
    )!;
    // --data decides the points and classes: their defaults need no note.
    const fromData = note.field === "points" || note.field === "classes";
    if (data !== undefined && fromData && flags[row.flag] === undefined) {
      continue;
    }
    notes.push(
      `--${row.flag} ${
        formatConfigField(note.field, note.given as never)
      } runs as ${
        // The data's points may be outside the flag's own limits (1 point).
        note.field === "points" ? String(note.effective) : formatConfigField(
          note.field,
          note.effective as never,
        )}: ${note.reason}`,
    );
  }
  if (data !== undefined && flags.dataset !== undefined) {
    notes.push(
      `--dataset ${flags.dataset} is not used: --data gives the points`,
    );
  }
  let logEvery: number | undefined;
  if (typeof flags["log-every"] === "string") {
    const text = flags["log-every"].trim();
    logEvery = Number(text);
    if (!/^\d+$/.test(text) || logEvery < 1) {
      throw new UsageError(
        `--log-every must be an integer >= 1, got ${JSON.stringify(text)}`,
      );
    }
  }
  checkWritable("out", flags.out);
  checkWritable("save-data", flags["save-data"]);
  exportTarget(flags); // refuse a bad --export before training
  const stop = stopRuleFromFlags(flags);
  return { config, notes, model, data, logEvery, stop };
}

/** The shape `resolveConfig` takes for `--data`'s points. */
function shapeOf(data: Dataset | undefined) {
  return data === undefined ? undefined : {
    task: datasetTask(data),
    points: data.x.length,
    classes: data.classes,
  };
}

/** `2-16-1`, or `x2,y2 -> 2-16-1` when the model reads other features. */
function describeModel(
  features: readonly string[] | null,
  sizes: readonly number[],
): string {
  const shape = sizes.join("-");
  return features === null || isIdentityFeatures(features as never)
    ? shape
    : `${features.join(",")} -> ${shape}`;
}

/** The Trainer for a plan; a loaded model of the wrong shape is a usage error. */
function makeTrainer(plan: Plan, flags: Flags): Trainer {
  try {
    return new Trainer(plan.config, { model: plan.model, data: plan.data });
  } catch (error) {
    if (
      plan.model !== undefined && error instanceof FieldRangeError &&
      error.field === "options.model"
    ) {
      const resolved = resolveConfig(plan.config, shapeOf(plan.data));
      throw new UsageError(
        `--load ${flags.load} holds an MLP ${
          describeModel(plan.model.pointFeatures, [
            plan.model.nin,
            ...plan.model.sizes,
          ])
        } (${plan.model.activation}), but the options ask for an MLP ${
          describeModel(resolved.features, [
            resolved.features.length,
            ...resolved.hidden,
            resolved.outputs,
          ])
        } (${resolved.activation}): drop --features, --hidden and --activation to use the model's, ` +
          `and choose --dataset, --classes and --loss for its ${
            plan.model.sizes[plan.model.sizes.length - 1]
          } output(s)`,
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

/** R² with three decimals (a dash when there is none). */
function formatR2(x: number | null | undefined): string {
  return x === null || x === undefined ? "-" : x.toFixed(3);
}

function progressText(stats: StepStats, total: number, rate: number): string {
  const width = String(total).length;
  const regression = stats.r2 !== null && stats.r2 !== undefined;
  const parts = [
    `step ${String(stats.step).padStart(width)}/${total}`,
    `loss ${formatLoss(stats.loss)}`,
    regression
      ? `R² ${formatR2(stats.r2)}`
      : `acc ${formatPercent(stats.trainAccuracy)}`,
  ];
  if (stats.testLoss !== null && stats.testAccuracy !== null) {
    parts.push(
      `test loss ${formatLoss(stats.testLoss)}`,
      regression
        ? `test R² ${formatR2(stats.testR2)}`
        : `test acc ${formatPercent(stats.testAccuracy)}`,
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
  // A regression shades the predicted value over the training targets' range.
  const regression = trainer.task === "regression";
  const ramp = " .:-=+*#%@";
  let low = Infinity, high = -Infinity;
  for (const t of trainer.train.y) {
    if (t < low) low = t;
    if (t > high) high = t;
  }
  if (!(high > low)) [low, high] = [low - 0.5, low + 0.5];
  const symbolAt = (x: number, y: number): string => {
    const scores = trainer.model.predict([x, y]);
    if (regression) {
      if (!Number.isFinite(scores[0])) return "?";
      const level = Math.floor(((scores[0] - low) / (high - low)) * 10);
      return ramp[Math.min(9, Math.max(0, level))];
    }
    // A non-finite score predicts no class (-1): draw it as "?".
    const predicted = predictClass(scores);
    return predicted < 0 ? "?" : background[predicted];
  };
  // Row 0 is the top of the picture, so y decreases down the rows.
  const canvas: string[][] = [];
  for (let row = 0; row < rows; row++) {
    const y = bounds.yMax - (row + 0.5) * cellHeight;
    const line: string[] = [];
    for (let column = 0; column < columns; column++) {
      line.push(symbolAt(bounds.xMin + (column + 0.5) * cellWidth, y));
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
    canvas[row][column] = regression ? "o" : pointSymbols[labels[i]];
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
  const legend = regression
    ? `points: o; background: the predicted value from ${
      formatLoss(low)
    } (" ") to ${formatLoss(high)} ("@")`
    : binary
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

/**
 * The config a command line asks for, validated, with the notes the CLI
 * would print (how input was read or reinterpreted), without training.
 *
 * @param args The arguments, as {@linkcode main} takes them.
 * @returns The config and the notes.
 * @throws {Error} a bad command line, with the message {@linkcode main} prints.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configFromArgs } from "./cli.ts";
 * const { config, notes } = configFromArgs(["--learning-rate", "0.05", "--classes", "3"]);
 * assert.equal(config.learningRate, 0.05);
 * assert.deepEqual(notes, ["--classes 3 runs as 2: the moons dataset always has 2 classes"]);
 * assert.throws(() => configFromArgs(["--steps", "1e"]), /--steps must be/);
 * ```
 */
export function configFromArgs(
  args: readonly string[],
): { config: TrainConfig; notes: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError((error as Error).message));
  }
  const { config, notes } = planFromFlags(parsed.values as Flags);
  return { config, notes };
}

/**
 * Let the event loop run, so a Ctrl-C is delivered. A timer, not
 * `setImmediate`: Deno does not poll for signals before an immediate.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((done) => setTimeout(done, 0));
}

/** Write the model to `--out`; returns false (after saying why) when it fails. */
function saveModel(trainer: Trainer, path: string, io: CliIO): boolean {
  try {
    writeFileSync(path, JSON.stringify(trainer.model.toJSON(), null, 2) + "\n");
  } catch (error) {
    io.stderr.write(
      `error: could not write the model to ${path}: ${
        (error as Error).message
      }\n`,
    );
    return false;
  }
  io.stdout.write(`\nsaved the weights to ${path}\n`);
  return true;
}

/** The file extension of `--export FORMAT`, by format. */
const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  pytorch: ".py",
  typescript: ".ts",
};

/**
 * What `--export` and `--export-out` ask for, checked (null without
 * `--export`): the format and the file, by default `--out` with `.py`/`.ts`
 * for its `.json`, else `model.py`/`model.ts`.
 */
function exportTarget(
  flags: Flags,
): { format: ExportFormat; path: string } | null {
  const format = flags.export;
  const given = flags["export-out"];
  if (format === undefined) {
    if (given !== undefined) {
      throw new UsageError("--export-out needs --export pytorch|typescript");
    }
    return null;
  }
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
    throw new UsageError(
      `--export must be one of ${EXPORT_FORMATS.join(", ")}, got ${
        JSON.stringify(format)
      }`,
    );
  }
  const extension = EXPORT_EXTENSIONS[format as ExportFormat];
  const path = typeof given === "string"
    ? given
    : typeof flags.out === "string"
    ? flags.out.replace(/(\.json)?$/, extension)
    : `model${extension}`;
  if (typeof flags.out === "string" && resolve(path) === resolve(flags.out)) {
    throw new UsageError(
      `--export-out ${path} is the --out file: give them different names`,
    );
  }
  const reason = unwritableReason(path);
  if (reason !== null) {
    throw new UsageError(
      `--export ${format}: cannot write ${path} (${reason})`,
    );
  }
  return { format: format as ExportFormat, path };
}

/** Write `--out` and `--export` (those asked for); false (after saying why) when one fails. */
function saveOutputs(trainer: Trainer, flags: Flags, io: CliIO): boolean {
  if (typeof flags.out === "string" && !saveModel(trainer, flags.out, io)) {
    return false;
  }
  const target = exportTarget(flags);
  if (target === null) return true;
  try {
    writeFileSync(target.path, exportModel(trainer.model, target.format));
  } catch (error) {
    io.stderr.write(
      `error: could not export the model to ${target.path}: ${
        (error as Error).message
      }\n`,
    );
    return false;
  }
  io.stdout.write(`exported the model (${target.format}) to ${target.path}\n`);
  return true;
}

/** A graph this large takes a noticeable time to build: say so first. */
const SLOW_FIRST_STEP_NODES = 50_000;

/** Train (or evaluate) with progress on `io.stdout`; resolves to the exit code. */
async function train(plan: Plan, flags: Flags, io: CliIO): Promise<number> {
  const trainer = makeTrainer(plan, flags);
  const effective = trainer.config;
  const resolved = resolveConfig(effective, shapeOf(plan.data));
  const regression = trainer.task === "regression";
  const logEvery = plan.logEvery ??
    Math.max(1, Math.round(effective.steps / 10));
  const live = io.stdout.isTTY === true;
  const out = io.stdout;
  out.write(
    `${
      plan.data !== undefined ? flags.data : effective.dataset
    }: ${trainer.train.x.length} training points${
      trainer.test.x.length > 0 ? `, ${trainer.test.x.length} test points` : ""
    }, ${regression ? "regression" : `${effective.classes} classes`}; MLP ${
      describeModel(trainer.model.pointFeatures, [
        trainer.model.nin,
        ...trainer.model.sizes,
      ])
    } (${effective.activation}); ${effective.loss} loss${
      effective.l2 > 0 ? ` + ${effective.l2} L2` : ""
    }${
      effective.l1 > 0 ? ` + ${effective.l1} L1` : ""
    }; ${effective.optimizer} lr ${effective.learningRate} (${effective.schedule}); ${
      effective.batchSize === null
        ? "full batch"
        : `batch ${effective.batchSize}`
    }${plan.model !== undefined ? `; weights from ${flags.load}` : ""}\n`,
  );
  for (const note of plan.notes) out.write(`note: ${note}\n`);
  const dataPath = flags["save-data"];
  if (typeof dataPath === "string") {
    try {
      writeFileSync(dataPath, toCsv(trainer.data));
    } catch (error) {
      io.stderr.write(
        `error: could not write the data to ${dataPath}: ${
          (error as Error).message
        }\n`,
      );
      return 1;
    }
    out.write(`wrote the ${trainer.data.x.length} points to ${dataPath}\n`);
  }

  if (flags.evaluate === true) {
    const parts: string[] = [];
    for (
      const [name, data] of [["train", trainer.train], [
        "test",
        trainer.test,
      ]] as const
    ) {
      const result = trainer.evaluate(data);
      if (result !== null) {
        parts.push(
          `${name} loss ${formatLoss(result.loss)}, ${
            regression
              ? `${name} R² ${formatR2(result.r2)}, ${name} MAE ${
                formatLoss(result.meanAbsoluteError ?? NaN)
              }`
              : `${name} accuracy ${formatPercent(result.accuracy)}`
          }`,
        );
      }
    }
    out.write(`evaluated without training: ${parts.join(", ")}\n\n`);
    out.write(renderBoundary(trainer));
    if (!saveOutputs(trainer, flags, io)) {
      return 1;
    }
    return 0;
  }

  let interrupted = false;
  const unsubscribe = io.onInterrupt?.(() => {
    interrupted = true;
  });
  // Deno binds a signal listener when its event loop next runs: let it.
  if (unsubscribe !== undefined) await yieldToEventLoop();
  const started = performance.now();
  let lastDrawn = -Infinity;
  let lastLine = started;
  let lastYield = started;
  let stats: StepStats | null = null;
  const rate = (): number => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? trainer.stepCount / seconds : 0;
  };
  const { nodes } = estimateCost(resolved);
  if (nodes >= SLOW_FIRST_STEP_NODES) {
    out.write(
      `first step: ${
        effective.compile ? "recording the tape" : "building the graph"
      } (up to ${nodes} nodes)...\n`,
    );
  }
  // The targets read the whole sets (Trainer.report), the step limit only
  // the step count: a run without targets pays for no evaluation.
  const targets = stopRuleNeedsScores(plan.stop);
  let stopped: string | null = null;
  try {
    while (stopped === null && !interrupted) {
      stats = trainer.step();
      stopped = stopReason(
        plan.stop,
        targets
          ? trainer.report()
          : { step: trainer.stepCount, scheduleSteps: effective.steps },
      );
      const last = stopped !== null;
      const now = performance.now();
      if (live) {
        // Redraw at most ~20 times a second: a terminal is slower than a step.
        if (last || now - lastDrawn > 50) {
          lastDrawn = now;
          out.write(
            `\r${progressBar(stats.step, effective.steps)} ${
              progressText(stats, effective.steps, rate())
            }\x1b[K`,
          );
        }
      } else if (stats.step % logEvery === 0 || last || now - lastLine > 1000) {
        // At least a line a second, however slow the steps.
        lastLine = now;
        out.write(`${progressText(stats, effective.steps, rate())}\n`);
      }
      // Let a Ctrl-C in, a few times a second (each yield costs a little).
      if (now - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  } catch (error) {
    if (live) out.write("\n");
    if (error instanceof DivergenceError) {
      io.stderr.write(
        `error: training diverged at step ${error.step}: the loss became ${error.value}.\n` +
          `hint: ${error.hint}${
            // Only a learning-rate divergence is cured by a smaller rate;
            // bad data or a NaN weight is named in the hint instead.
            error.kind === "learningRate"
              ? ` (try --learning-rate ${effective.learningRate / 10})`
              : ""}.\n`,
      );
      return 1;
    }
    throw error;
  } finally {
    unsubscribe?.();
  }
  if (live) out.write("\n");
  if (targets && stopped !== null) out.write(`\n${stopped}\n`);
  if (interrupted) {
    out.write(
      `\ninterrupted: stopped after step ${trainer.stepCount} of ${effective.steps}\n`,
    );
  }
  if (stats === null) {
    // Interrupted before the first step: nothing to report but the model.
    if (!saveOutputs(trainer, flags, io)) {
      return 1;
    }
    return INTERRUPTED;
  }
  const final = stats;
  const seconds = (performance.now() - started) / 1000;
  out.write(
    `\ndone: ${final.step} steps in ${seconds.toFixed(2)} s (${
      (final.step / seconds).toFixed(0)
    } steps/s), ${final.nodes} graph nodes per step, ${
      final.compiled ? "compiled tape" : "a new Value graph every step"
    }\n`,
  );
  const penalties = effective.l1 > 0 ? "L2 + L1" : "L2";
  out.write(
    `final loss ${formatLoss(final.loss)} (data ${
      formatLoss(final.dataLoss)
    } + ${penalties} ${formatLoss(final.regularizationLoss)}), ${
      regression
        ? `train R² ${formatR2(final.r2)}, train MAE ${
          formatLoss(final.meanAbsoluteError ?? NaN)
        }`
        : `train accuracy ${formatPercent(final.trainAccuracy)}`
    }${
      final.testLoss === null
        ? ""
        : regression
        ? `, test loss ${formatLoss(final.testLoss)}, test R² ${
          formatR2(final.testR2)
        }, test MAE ${formatLoss(final.testMeanAbsoluteError ?? NaN)}`
        : `, test loss ${formatLoss(final.testLoss)}, test accuracy ${
          formatPercent(final.testAccuracy ?? NaN)
        }`
    }\n`,
  );
  // The line above is the last step's own numbers (its batch, before its
  // update, as micrograd prints them); this one is the trained model now.
  const now = trainer.report();
  const measure = (evaluation: Evaluation): string =>
    regression
      ? `R² ${formatR2(evaluation.r2 ?? NaN)}`
      : `accuracy ${formatPercent(evaluation.accuracy)}`;
  out.write(
    `trained model (whole training set, after the last update): loss ${
      formatLoss(now.train.loss)
    }, ${measure(now.train)}${
      now.test === null
        ? ""
        : `; test loss ${formatLoss(now.test.loss)}, ${measure(now.test)}`
    }\n\n`,
  );
  out.write(renderBoundary(trainer));

  if (!saveOutputs(trainer, flags, io)) {
    return 1;
  }
  return interrupted ? INTERRUPTED : 0;
}

/** parseArgs' messages, shortened to what a user needs. */
function explainParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]} (train --help lists them)`;
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
 * `process.argv.slice(2)`), writing to `io`. Resolves to the exit code: 0
 * on success, 1 when training diverged or the model could not be saved, 2
 * for a bad command line (a short usage, then the error as the last line,
 * on `io.stderr`), 130 when `io.onInterrupt` stopped the training (the
 * model is still saved to `--out`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./cli.ts";
 * let text = "";
 * let errors = "";
 * const io = {
 *   stdout: { write: (s: string) => (text += s) },
 *   stderr: { write: (s: string) => (errors += s) },
 * };
 * assert.equal(await main(["--steps", "5"], io), 0);
 * assert.ok(text.includes("final loss"));
 * assert.equal(await main(["--points", "0x10"], io), 2);
 * assert.ok(errors.endsWith('error: --points must be an integer from 2 to 100000, got a string ("0x10")\n'));
 * ```
 */
export async function main(
  args: readonly string[],
  io: CliIO,
): Promise<number> {
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
      io.stdout.write(usage());
      return 0;
    }
    const [command, ...rest] = parsed.positionals;
    if (command === "graph") {
      const { svg, ...others } = flags;
      if (rest.length > 0 || Object.keys(others).length > 0) {
        throw new UsageError("graph takes no arguments and only --svg");
      }
      // --svg draws with the library's own layout (toSvg), as the explorer
      // and the notebooks do; without it, DOT for Graphviz.
      io.stdout.write(
        svg ? toSvg(lectureNeuron()) : toDot(lectureNeuron()),
      );
      return 0;
    }
    if (command !== undefined) {
      throw new UsageError(
        `unknown command ${
          JSON.stringify(command)
        } (the only command is "graph"; options start with --)`,
      );
    }
    if (flags.svg) {
      throw new UsageError(
        "--svg goes with the graph command: train graph --svg",
      );
    }
    return await train(planFromFlags(flags), flags, io);
  } catch (error) {
    if (error instanceof UsageError) {
      // The error goes last, where the eye lands; --help has the rest.
      io.stderr.write(
        `${SHORT_USAGE}Run "train --help" for every option.\n\nerror: ${error.message}\n`,
      );
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

/** Ctrl-C: the first stops training after the step; a second one kills as usual. */
function onSigint(stop: () => void): () => void {
  const handler = (): void => {
    process.removeListener("SIGINT", handler);
    stop();
  };
  process.on("SIGINT", handler);
  return () => process.removeListener("SIGINT", handler);
}

if (isEntryPoint()) {
  // Node and Deno report a closed pipe as a stream event, Bun by throwing.
  process.stdout.on("error", (error: unknown) => {
    if (isBrokenPipe(error)) process.exit(0);
    throw error;
  });
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt: onSigint,
  }).then(
    // exitCode rather than exit(): let the streams flush first.
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      if (!isBrokenPipe(error)) throw error;
    },
  );
}
