import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { configFromArgs } from "../src/cli.ts";
import {
  CONFIG_BUDGET,
  CONFIG_SCHEMA,
  ConfigError,
  type ConfigField,
  configFromParams,
  configToParams,
  ConfigTypeError,
  DEFAULT_CONFIG,
  describeResolution,
  estimateCost,
  formatConfigField,
  parseConfigField,
  resolveConfig,
  type TrainConfig,
  validateConfig,
} from "../src/config.ts";
import { FieldRangeError, FieldTypeError } from "../src/checks.ts";
import { Trainer } from "../src/train.ts";

/** A value of the row other than its default, inside the playground's limits. */
function sampleValue(row: ConfigField): unknown {
  const range = row.ui.range;
  switch (row.kind) {
    case "choice": {
      const choices = row.ui.choices!;
      return choices[choices.length - 1] === row.default
        ? choices[0]
        : choices[choices.length - 1];
    }
    case "boolean":
      return !row.default;
    case "layers":
      return [range!.max!, range!.min!, 3];
    case "batch":
      return 7;
    case "features":
      return [...row.ui.choices!].reverse().slice(0, 3);
    default:
      return range!.max;
  }
}

/** The CLI arguments that set `key` to `value`. */
function argsFor(row: ConfigField, value: unknown): string[] {
  if (row.kind === "boolean") {
    return [value ? `--${row.flag}` : `--no-${row.flag}`];
  }
  return [
    `--${row.flag}=${formatConfigField(row.key, value as never)}`,
  ];
}

describe("every schema row round-trips: CLI flag -> config -> URL -> config", () => {
  for (const row of CONFIG_SCHEMA) {
    for (const value of [row.default, sampleValue(row)]) {
      test(`${row.key} = ${JSON.stringify(value)}`, () => {
        const { config } = configFromArgs(argsFor(row, value));
        assert.deepEqual(config[row.key], value);
        assert.deepEqual(config, { ...validateConfig({ [row.key]: value }) });
        const hash = new URLSearchParams(configToParams(config)).toString();
        const params = new URLSearchParams(hash);
        for (const ui of [false, true]) {
          const back = configFromParams((key) => params.get(key), { ui });
          assert.deepEqual(back, { config, rejected: [] });
        }
      });
    }
  }

  test("the schema has one row per config field, with unique flags and URL keys", () => {
    assert.deepEqual(
      CONFIG_SCHEMA.map((row) => row.key),
      Object.keys(DEFAULT_CONFIG),
    );
    for (const column of ["flag", "urlKey"] as const) {
      const values = CONFIG_SCHEMA.map((row) => row[column]);
      assert.equal(new Set(values).size, values.length, `${column} unique`);
    }
    // Links made before the schema keep working: URL keys are the config keys.
    for (const row of CONFIG_SCHEMA) assert.equal(row.urlKey, row.key);
  });

  test("the playground's limits are never wider than the library's", () => {
    for (const row of CONFIG_SCHEMA) {
      const { ui, limits } = row;
      if (ui.range?.min !== undefined) {
        assert.ok(
          limits.range?.min === undefined || ui.range.min >= limits.range.min,
          row.key,
        );
      }
      if (limits.range?.max !== undefined) {
        assert.ok(ui.range?.max !== undefined, row.key);
        assert.ok(ui.range.max! <= limits.range.max, row.key);
      }
      for (const name of ui.choices ?? []) {
        assert.ok(limits.choices!.includes(name), `${row.key} ${name}`);
      }
      if (limits.layers) assert.ok(ui.layers!.max <= limits.layers.max);
      // the default is allowed in both
      const text = formatConfigField(row.key, row.default as never);
      assert.deepEqual(
        parseConfigField(row.key, text, { ui: true }),
        row.default,
      );
    }
  });

  test("the library's extremes survive format -> parse", () => {
    const cases: [keyof TrainConfig, unknown][] = [
      ["seed", -(2 ** 53 - 1)],
      ["dataSeed", 2 ** 53 - 1],
      ["learningRate", 1e-300],
      ["learningRate", 1e21],
      ["steps", 1_000_000_000],
      ["noise", 1e6],
      ["testFraction", 0.999],
      ["hidden", []],
      ["hidden", Array(32).fill(1024)],
      ["batchSize", 100_000],
      ["l2", 0],
    ];
    for (const [key, value] of cases) {
      const text = formatConfigField(key, value as never);
      assert.deepEqual(parseConfigField(key, text), value, `${key} ${text}`);
    }
  });
});

describe("text codecs are strict", () => {
  const refused: [keyof TrainConfig, string, string][] = [
    ["points", "0x10", "points"],
    ["points", "", "points"],
    ["points", "1e", "points"],
    ["points", "12abc", "points"],
    ["points", "12.5", "points"],
    ["noise", "Infinity", "noise"],
    ["noise", "NaN", "noise"],
    ["learningRate", "0", "learningRate"],
    ["hidden", "16,,16", "hidden[1]"],
    ["hidden", "16,0x10", "hidden[1]"],
    ["hidden", "16,16,", "hidden[2]"],
    ["batchSize", "all", "batchSize"],
    ["compile", "yes", "compile"],
    ["dataset", "Moons", "dataset"],
  ];
  for (const [key, text, field] of refused) {
    test(`${key} ${JSON.stringify(text)} -> ConfigError on ${field}`, () => {
      assert.throws(
        () => parseConfigField(key, text),
        (error) => error instanceof ConfigError && error.field === field,
      );
    });
  }

  test("accepted spellings", () => {
    assert.equal(parseConfigField("points", " 1e3 "), 1000);
    assert.equal(parseConfigField("learningRate", ".5"), 0.5);
    assert.equal(parseConfigField("seed", "-3"), -3);
    assert.deepEqual(parseConfigField("hidden", "none"), []);
    assert.deepEqual(parseConfigField("hidden", ""), []);
    assert.equal(parseConfigField("compile", "true"), true);
    assert.equal(parseConfigField("compile", "0"), false);
  });

  test("ui limits", () => {
    assert.equal(parseConfigField("points", "5000"), 5000);
    assert.throws(() => parseConfigField("points", "5000", { ui: true }), {
      field: "points",
      allowed: "an integer from 10 to 1000",
    });
    assert.throws(
      () => parseConfigField("hidden", "8,8,8,8,8,8,8,8,8", { ui: true }),
      { field: "hidden" },
    );
    assert.throws(() => parseConfigField("hidden", "64", { ui: true }), {
      field: "hidden[0]",
    });
  });

  test("unknown keys", () => {
    assert.throws(() => parseConfigField("lr" as never, "1"), {
      message: /unknown field "lr" \(did you mean "learningRate"\?\)/,
    });
    assert.throws(() => formatConfigField("epochs" as never, 3 as never), {
      field: "epochs",
    });
  });
});

describe("configFromParams never throws on the text", () => {
  test("each bad field falls back to its default alone and is reported", () => {
    const params = new URLSearchParams(
      "dataset=swiss&points=0x10&noise=0.3&hidden=8,x&compile=0&bogus=1",
    );
    const { config, rejected } = configFromParams((key) => params.get(key));
    assert.deepEqual(rejected, ["dataset", "points", "hidden"]);
    assert.equal(config.noise, 0.3);
    assert.equal(config.compile, false);
    assert.equal(config.points, DEFAULT_CONFIG.points);
    assert.deepEqual(config.hidden, [16, 16]);
  });

  test("fields fine alone but not together: the named one goes back to its default", () => {
    const params = new URLSearchParams("dataset=spiral&classes=10&points=5");
    const { config, rejected } = configFromParams((key) => params.get(key));
    assert.deepEqual(rejected, ["points"]);
    assert.equal(config.classes, 10);
    assert.equal(config.points, 100);
    const big = new URLSearchParams("points=100000&hidden=256,256");
    const result = configFromParams((key) => big.get(key));
    assert.deepEqual(result.rejected, ["points"]);
    assert.deepEqual(result.config.hidden, [256, 256]);
  });

  test("custom defaults and ui limits", () => {
    const params = new URLSearchParams("points=5000");
    const { config, rejected } = configFromParams((key) => params.get(key), {
      ui: true,
      defaults: { testFraction: 0.2 },
    });
    assert.deepEqual(rejected, ["points"]);
    assert.equal(config.points, 100);
    assert.equal(config.testFraction, 0.2);
  });
});

describe("validateConfig refuses with a typed error naming the field", () => {
  class Options {
    points = 10;
  }
  const cases: [string, unknown, "range" | "type", string, RegExp][] = [
    [
      "a Map",
      new Map([["points", 10]]),
      "type",
      "config",
      /an instance of Map/,
    ],
    ["an array", [1, 2], "type", "config", /an array of length 2/],
    [
      "a class instance",
      new Options(),
      "type",
      "config",
      /instance of Options/,
    ],
    ["a Date", new Date(0), "type", "config", /instance of Date/],
    [
      "an unknown key",
      { learning_rate: 0.1 },
      "range",
      "learning_rate",
      /did you mean "learningRate"/,
    ],
    [
      "a hole in hidden",
      { hidden: [16, , 16] },
      "type",
      "hidden[1]",
      /got a hole/,
    ],
    ["a non-integer size", { hidden: [16, 2.5] }, "range", "hidden[1]", /2\.5/],
    [
      "too many parameters",
      { hidden: Array(32).fill(1024) },
      "range",
      "hidden",
      /at most 500000 parameters/,
    ],
    [
      "too many points for the model",
      { points: 100_000, hidden: [256], batchSize: 10 },
      "range",
      "points",
      /points × parameters must be at most 20000000/,
    ],
    [
      "a full batch too large for one graph",
      { points: 100_000, hidden: [8] },
      "range",
      "points",
      /at most \d+ training points in a full batch/,
    ],
    [
      "a minibatch too large for one graph",
      { points: 100_000, hidden: [8], batchSize: 90_000 },
      "range",
      "batchSize",
      /batchSize must be an integer from 1 to \d+ for an MLP 2-8-1/,
    ],
    ["too much noise", { noise: 1e308 }, "range", "noise", /at most 1000000/],
  ];
  for (const [name, input, kind, field, message] of cases) {
    test(name, () => {
      assert.throws(() => validateConfig(input), (error) => {
        assert.ok(error instanceof ConfigError, "instanceof ConfigError");
        if (kind === "type") {
          assert.ok(error instanceof ConfigTypeError);
          assert.ok(error instanceof FieldTypeError);
          assert.ok(error instanceof TypeError);
        } else {
          assert.ok(error instanceof FieldRangeError);
          assert.ok(error instanceof RangeError);
        }
        assert.equal((error as ConfigError).field, field);
        assert.match((error as Error).message, message);
        assert.match((error as Error).message, /^validateConfig: /);
        return true;
      });
    });
  }

  test("Object.create(null) is a plain object", () => {
    const input = Object.create(null);
    input.points = 50;
    assert.equal(validateConfig(input).points, 50);
  });

  test("ConfigError's instanceof does not leak to other errors", () => {
    assert.ok(!(new RangeError("x") instanceof ConfigError));
    assert.ok(
      !(new FieldTypeError("x", { field: "f", allowed: "a" }) instanceof
        ConfigError),
    );
  });
});

describe("estimateCost and describeResolution", () => {
  test("the node estimate is an upper bound within 2x of the real graph", () => {
    const configs: Partial<TrainConfig>[] = [
      {},
      { hidden: [], l2: 0 },
      { hidden: [8, 8], points: 30, activation: "linear" },
      { dataset: "spiral", classes: 5, hidden: [8], points: 40 },
      {
        dataset: "blobs",
        classes: 10,
        hidden: [4, 4],
        points: 50,
        loss: "mse",
      },
      { loss: "logistic", batchSize: 10, testFraction: 0.2 },
      { loss: "mse", compile: false, points: 20 },
    ];
    for (const config of configs) {
      const real = new Trainer(config).step().nodes;
      const estimate = estimateCost(resolveConfig(config)).nodes;
      assert.ok(
        estimate >= real,
        `${JSON.stringify(config)}: ${estimate} < ${real}`,
      );
      assert.ok(
        estimate <= 2 * real,
        `${JSON.stringify(config)}: ${estimate} > 2 × ${real}`,
      );
    }
  });

  test("the playground's largest settings fit the budget", () => {
    const largest = resolveConfig({
      dataset: "spiral",
      classes: 6,
      points: 1000,
      hidden: Array(8).fill(32),
    });
    const cost = estimateCost(largest);
    assert.ok(cost.nodes <= CONFIG_BUDGET.nodes);
    assert.ok(cost.pointParameters <= CONFIG_BUDGET.pointParameters);
    assert.ok(cost.parameters <= CONFIG_BUDGET.parameters);
  });

  test("notes name every field the rules changed", () => {
    assert.deepEqual(
      describeResolution({
        dataset: "spiral",
        classes: 3,
        loss: "mse",
        batchSize: 100,
      }).map((note) => [note.field, note.given, note.effective]),
      [["loss", "mse", "crossEntropy"], ["batchSize", 100, null]],
    );
  });
});
