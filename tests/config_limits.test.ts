/**
 * Every config the validator accepts trains a step without crashing the
 * process: configs at the validator's own limits (found by searching for the
 * largest accepted value) each train one step in a child process whose heap
 * is capped at 2 GB, and the next value up is refused with a ConfigError.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  CONFIG_BUDGET,
  ConfigError,
  type TrainConfig,
  validateConfig,
} from "../src/config.ts";

const deno = fileURLToPath(
  new URL("../node_modules/.bin/deno", import.meta.url),
);
const train = new URL("../src/train.ts", import.meta.url).href;
/** The heap cap of the child: what the budget promises to stay within. */
const HEAP_MB = 2048;

/** Whether validateConfig accepts it; anything else than a ConfigError fails the test. */
function accepted(config: Partial<TrainConfig>): boolean {
  try {
    validateConfig(config);
    return true;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return false;
  }
}

/** The largest n in [low, high] with make(n) accepted (accepted(low) must hold). */
function largestAccepted(
  low: number,
  high: number,
  make: (n: number) => Partial<TrainConfig>,
): number {
  assert.ok(accepted(make(low)), `${JSON.stringify(make(low))} is accepted`);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (accepted(make(middle))) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Train one step in a memory-capped child; returns its step's node count. */
function trainOneStepInChild(config: Partial<TrainConfig>): number {
  const code = `
    import process from "node:process";
    import { Trainer } from ${JSON.stringify(train)};
    const stats = new Trainer(JSON.parse(process.env.CONFIG)).step();
    console.log(JSON.stringify({ nodes: stats.nodes }));
  `;
  const result = spawnSync(
    deno,
    ["eval", `--v8-flags=--max-old-space-size=${HEAP_MB}`, code],
    {
      encoding: "utf8",
      env: { NO_COLOR: "1", CONFIG: JSON.stringify(config) },
      timeout: 60_000,
    },
  );
  assert.equal(
    result.status,
    0,
    `${JSON.stringify(config)}: ${result.signal ?? ""} ${result.stderr}`,
  );
  return JSON.parse(result.stdout).nodes;
}

/** Each shape pushes one field to the largest value the validator accepts. */
const shapes: [string, (n: number) => Partial<TrainConfig>, number, number][] =
  [
    ["points, a linear model", (n) => ({ points: n, hidden: [] }), 2, 100_000],
    [
      "width of 32 layers",
      (n) => ({ points: 20, hidden: Array(32).fill(n) }),
      1,
      1024,
    ],
    ["width of two layers", (n) => ({ points: 20, hidden: [n, n] }), 1, 1024],
    [
      "minibatch",
      (n) => ({ points: 100_000, hidden: [8], batchSize: n }),
      1,
      100_000,
    ],
    ["full batch", (n) => ({ points: n, hidden: [32, 32] }), 2, 100_000],
    [
      "full batch, Value engine",
      (n) => ({ points: n, hidden: [32, 32], compile: false }),
      2,
      100_000,
    ],
    [
      "10 classes with cross-entropy",
      (n) => ({ dataset: "spiral", classes: 10, points: n, hidden: [64] }),
      10,
      100_000,
    ],
  ];

describe(
  `configs at the validator's limits train a step in a ${HEAP_MB} MB heap`,
  {
    skip: !existsSync(deno) && "needs node_modules/.bin/deno",
  },
  () => {
    for (const [name, make, low, high] of shapes) {
      test(name, () => {
        const largest = largestAccepted(low, high, make);
        if (largest < high) {
          assert.ok(!accepted(make(largest + 1)), "one more is refused");
        }
        const nodes = trainOneStepInChild(make(largest));
        assert.ok(nodes <= CONFIG_BUDGET.nodes, `${nodes} nodes`);
      });
    }
  },
);
