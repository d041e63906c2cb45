/**
 * The playground's logic that does not need a browser: the URL hash
 * (settings in, settings out, garbage tolerated), the colour map, the loss
 * history, weights files, number formatting, the server's port option, and
 * the worker's training session (driven directly, without a worker).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { ACTIVATIONS } from "../src/activation.ts";
import {
  CONFIG_SCHEMA,
  type ConfigField,
  configField,
  DEFAULT_CONFIG,
  describeAllowed,
  OPTIMIZER_NAMES,
  resolveConfig,
  type TrainConfig,
  validateConfig,
} from "../src/config.ts";
import { DATASET_NAMES, datasetTask } from "../src/data.ts";
import { INITIALIZATIONS } from "../src/initialization.ts";
import { LOSS_NAMES } from "../src/loss.ts";
import { SCHEDULE_NAMES } from "../src/schedule.ts";
import { MLP } from "../src/nn.ts";
import { DivergenceError, Trainer } from "../src/train.ts";
import {
  defaultSettings,
  LIMITS,
  normalizeSettings,
  type PlaygroundSettings,
} from "../playground/shared/settings.ts";
import {
  formatHash,
  parseHash,
  readHash,
} from "../playground/shared/url_hash.ts";
import {
  configFromForm,
  formValues,
  REGRESSION_LEARNING_RATE,
} from "../playground/training/settings_form.ts";
import {
  binaryBelief,
  cellColor,
  classColor,
  divergingColor,
} from "../playground/shared/colormap.ts";
import {
  decisionColorer,
  divergingColorer,
  paintHeatmap,
} from "../playground/shared/heatmap.ts";
import {
  type HistoryPoint,
  LossHistory,
  measuredPoint,
} from "../playground/training/history.ts";
import { MENUS } from "../playground/training/menus.ts";
import {
  parseWeightsFile,
  parseWeightsText,
} from "../playground/shared/weights_file.ts";
import {
  formatAccuracy,
  formatLoss,
  formatTick,
} from "../playground/shared/format.ts";
import { portFromArguments } from "../playground/serve.ts";
import {
  describeFailure,
  type SessionHost,
  TrainingSession,
} from "../playground/worker/session.ts";
import type { ProgressReport } from "../playground/worker/protocol.ts";
import {
  addPoint,
  emptyData,
  nearestPoint,
  removePoint,
  resplit,
  splitData,
  type UserData,
} from "../playground/shared/user_data.ts";

describe("URL hash: parseHash / formatHash", () => {
  test("an unknown control to hide and a window out of bounds are not used, and say so", () => {
    const { settings, notes } = readHash(
      "#hide=learningRate,bogus,data&window=100000000",
    );
    assert.deepEqual(settings.hide, ["learningRate", "data"]);
    assert.equal(settings.chartWindow, null);
    assert.equal(notes.length, 2, JSON.stringify(notes));
    assert.match(notes.join(" "), /hide "bogus" is not a control/);
    assert.match(notes.join(" "), /window "100000000" was not used/);
    assert.equal(readHash("#window=250").settings.chartWindow, 250);
    assert.deepEqual(readHash("#window=250").notes, []);
  });

  test("an empty hash gives micrograd's demo with a 20% test split", () => {
    const settings = parseHash("");
    assert.deepEqual(settings, defaultSettings());
    const config = settings.config;
    assert.equal(config.dataset, "moons");
    assert.equal(config.points, 100);
    assert.deepEqual(config.hidden, [16, 16]);
    assert.equal(config.loss, "hinge");
    assert.equal(config.schedule, "linear");
    assert.equal(config.testFraction, 0.2);
    // 30 steps/s: the demo's 100 steps take about 3 s, and then it stops.
    assert.equal(settings.speed, 30);
    assert.equal(settings.view, "training");
    assert.deepEqual(settings.stop, { mode: "steps", value: null });
  });

  test("every setting survives a round trip through the hash", () => {
    const settings: PlaygroundSettings = {
      config: {
        ...DEFAULT_CONFIG,
        dataset: "spiral",
        points: 300,
        noise: 0.25,
        classes: 3,
        dataSeed: 7,
        testFraction: 0.3,
        hidden: [8, 12, 4],
        activation: "tanh",
        init: "xavier",
        loss: "crossEntropy",
        optimizer: "adam",
        learningRate: 0.01,
        schedule: "cosine",
        steps: 500,
        l2: 0.001,
        batchSize: 32,
        seed: 42,
        compile: false,
      },
      speed: 30,
      logScale: true,
      gridMode: "hard",
      showTest: false,
      view: "explorer",
      stop: { mode: "accuracy", value: 0.95 },
      chartWindow: 200,
      hide: ["dataset", "hidden", "optimizer"],
    };
    const hash = formatHash(settings);
    assert.match(hash, /stop=accuracy&stopValue=0.95&window=200/);
    assert.match(hash, /hide=dataset,hidden,optimizer/);
    assert.match(hash, /^#dataset=spiral&/);
    assert.match(hash, /hidden=8,12,4/);
    assert.deepEqual(parseHash(hash), settings);
    // With or without the leading "#".
    assert.deepEqual(parseHash(hash.slice(1)), settings);
  });

  test("a missing or malformed field falls back to its own default only", () => {
    const settings = parseHash(
      "#dataset=circles&points=abc&noise=0.3&hidden=4,x&speed=7",
    );
    assert.equal(settings.config.dataset, "circles");
    assert.equal(settings.config.noise, 0.3);
    assert.equal(settings.config.points, 100, "points=abc is not a number");
    assert.deepEqual(
      settings.config.hidden,
      [16, 16],
      "4,x is not a list of sizes",
    );
    assert.equal(settings.speed, 30, "7 is not one of the offered speeds");
  });

  test("values outside the controls' limits are refused", () => {
    const settings = parseHash(
      "#points=5&noise=-1&testFraction=0.95&hidden=16,0&learningRate=0&steps=1.5&l2=1e9&seed=-3",
    );
    assert.deepEqual(settings, defaultSettings());
  });

  test("no hidden layer (a linear model) is written as an empty list", () => {
    const hidden = (text: string) => parseHash(`#hidden=${text}`).config.hidden;
    assert.deepEqual(hidden("1,32"), [1, 32]);
    assert.deepEqual(hidden("33"), [16, 16], "more than 32 neurons");
    assert.deepEqual(
      hidden("1,2,3,4,5,6,7,8,9"),
      [16, 16],
      "more than 8 layers",
    );
    const settings = parseHash("#hidden=");
    assert.deepEqual(settings.config.hidden, []);
    assert.match(formatHash(settings), /hidden=&/);
  });

  test("garbage never throws and always yields settings the library accepts", () => {
    const garbage = [
      "#%E0%A4%A",
      "#<img src=x onerror=alert(1)>",
      "#dataset=<script>&loss=__proto__&hidden=constructor",
      "##==&&==",
      "#view=<b>bold</b>",
      "#" + "a".repeat(10_000),
    ];
    for (const hash of garbage) {
      const settings = parseHash(hash);
      assert.deepEqual(settings, defaultSettings(), hash.slice(0, 40));
    }
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (key, value, rest) => {
        const settings = parseHash(`#${key}=${value}&${rest}`);
        assert.deepEqual(validateConfig(settings.config), settings.config);
        assert.match(settings.view, /^[a-z][a-z0-9-]*$/);
      }),
      { numRuns: 300 },
    );
  });

  test("fields are made consistent: two-class datasets, losses for many classes, batch sizes", () => {
    const moons = parseHash("#dataset=moons&classes=4");
    assert.equal(moons.config.classes, 2, "moons always has two classes");
    const spiral = parseHash("#dataset=spiral&classes=4&loss=hinge");
    assert.equal(spiral.config.classes, 4);
    assert.equal(
      spiral.config.loss,
      "crossEntropy",
      "hinge has one output, not four",
    );
    const batch = parseHash("#points=100&testFraction=0.2&batchSize=80");
    assert.equal(
      batch.config.batchSize,
      null,
      "a batch of the whole training set is full batch",
    );
    const settings = defaultSettings();
    settings.config.batchSize = 16;
    assert.equal(normalizeSettings(settings).config.batchSize, 16);
  });
});

/** Values of a field inside its `ui` limits: the ends, a middle, every name. */
function uiSamples(row: ConfigField): unknown[] {
  const { range, choices, layers } = row.ui;
  switch (row.kind) {
    case "choice":
      return [...choices!];
    case "boolean":
      return [true, false];
    case "layers":
      return [
        [],
        [range!.min],
        Array.from({ length: layers!.max }, () => range!.max),
      ];
    case "batch":
      return [null, range!.min, 16];
    case "features":
      return [["x", "y"], ["x2", "y2"], ["sinx"], [...choices!].reverse()];
    default: {
      const { min = 0, max = min + 100, integer } = range!;
      const middle = integer ? Math.round((min + max) / 2) : (min + max) / 2;
      return [min, middle, max];
    }
  }
}

/** A text just outside a field's `ui` limits (or not one of its names). */
function outsideText(row: ConfigField): string {
  const { range, layers } = row.ui;
  switch (row.kind) {
    case "choice":
      return "nonsense";
    case "boolean":
      return "maybe";
    case "layers":
      return Array.from({ length: layers!.max + 1 }, () => "1").join(",");
    case "features":
      return "x,x"; // a feature twice
    default:
      return String(range!.max! * 2 + 1);
  }
}

describe("the config schema drives the form and the URL", () => {
  const base = defaultSettings();
  /** A config with `key` set to `value` on a dataset where it counts. */
  function withValue(key: keyof TrainConfig, value: unknown): TrainConfig {
    const dataset = key === "classes" ? { dataset: "blobs" } : {};
    return validateConfig({ ...base.config, ...dataset, [key]: value });
  }

  for (const row of CONFIG_SCHEMA) {
    test(`${row.key}: form text -> settings -> hash -> settings, within the ui limits`, () => {
      for (const value of uiSamples(row)) {
        const config = withValue(row.key, value);
        const label = `${row.key} = ${JSON.stringify(value)}`;
        if (row.kind !== "layers") {
          // The form: what the control shows reads back to the same config.
          const text = formValues(config).get(row.flag);
          assert.notEqual(
            text,
            undefined,
            `#${row.flag} is ${row.key}'s control`,
          );
          const read = configFromForm(base.config, formValues(config));
          // Picking a regression dataset at micrograd's rate takes the
          // rate that learns (and says so); everything else reads back.
          const preset = row.key === "dataset" &&
            datasetTask(config.dataset) === "regression";
          assert.equal(read.notes.length, preset ? 1 : 0, label);
          assert.deepEqual(
            read.config,
            preset
              ? { ...config, learningRate: REGRESSION_LEARNING_RATE }
              : config,
            label,
          );
        }
        // The URL: the settings the page keeps (the library's rules
        // applied) survive the hash exactly, under the field's URL key.
        const settings = normalizeSettings({ ...base, config });
        assert.deepEqual(
          settings.config[row.key],
          (resolveConfig(config) as TrainConfig)[row.key],
          label,
        );
        const hash = formatHash(settings);
        assert.ok(
          new URLSearchParams(hash.slice(1)).has(row.urlKey),
          `${label}: the hash has ${row.urlKey}`,
        );
        const reading = readHash(hash);
        assert.deepEqual(reading.settings, settings, label);
        assert.deepEqual(reading.notes, [], label);
      }
    });

    test(`${row.key}: text outside the ui limits falls back on its own, with a reason`, () => {
      const text = outsideText(row);
      // Another field of the same link is still used.
      const [otherKey, otherValue] = row.key === "steps"
        ? ["points", 50] as const
        : ["steps", 7] as const;
      const reading = readHash(
        `#${otherKey}=${otherValue}&${row.urlKey}=${encodeURIComponent(text)}`,
      );
      const expected = normalizeSettings({
        ...base,
        config: validateConfig({ ...base.config, [otherKey]: otherValue }),
      });
      assert.deepEqual(reading.settings, expected, row.key);
      assert.equal(reading.notes.length, 1, row.key);
      assert.match(reading.notes[0], new RegExp(`^${row.key}\\b`));
      if (row.kind !== "boolean" && row.kind !== "layers") {
        assert.ok(
          reading.notes[0].includes(describeAllowed(row.key, { ui: true })),
          reading.notes[0],
        );
      }
      if (row.kind !== "layers") {
        const values = new Map([[row.flag, text]]);
        const form = configFromForm(base.config, values);
        assert.deepEqual(
          form.config,
          base.config,
          `#${row.flag} keeps its value`,
        );
        assert.equal(form.notes.length, 1);
      }
    });
  }

  test("LIMITS are the schema's ui column", () => {
    for (const row of CONFIG_SCHEMA) {
      const range = row.ui.range;
      if (range === undefined || row.kind === "layers") continue;
      assert.deepEqual(LIMITS[row.key], {
        min: range.min ?? -Infinity,
        max: range.max ?? Infinity,
      });
    }
    const hidden = configField("hidden").ui;
    assert.deepEqual(LIMITS.layers, hidden.layers);
    assert.deepEqual(LIMITS.neurons, {
      min: hidden.range!.min,
      max: hidden.range!.max,
    });
  });

  test("what a link's values run as is said, not silently changed", () => {
    const { settings, notes } = readHash("#dataset=moons&classes=4&points=50");
    assert.equal(settings.config.classes, 2);
    assert.deepEqual(notes, [
      "classes 4 runs as 2: the moons dataset always has 2 classes.",
    ]);
  });
});

describe("menus and the library's names", () => {
  /** The option values of the page's menu `id` (written from MENUS). */
  function menuValues(id: string): string[] {
    const html = readFileSync(
      new URL("../playground/index.html", import.meta.url),
      "utf8",
    );
    assert.match(
      html,
      new RegExp(`<select id="${id}"`),
      `index.html has #${id}`,
    );
    return MENUS[id].map(([value]) => value);
  }

  test("every menu offers exactly the names the library accepts", () => {
    const menus: [string, readonly string[]][] = [
      ["dataset", DATASET_NAMES],
      ["activation", ACTIVATIONS],
      ["init", INITIALIZATIONS],
      ["loss", LOSS_NAMES],
      ["optimizer", OPTIMIZER_NAMES],
      ["schedule", SCHEDULE_NAMES],
    ];
    for (const [id, names] of menus) {
      // The menu's order is its own (most useful first); the set is the library's.
      assert.deepEqual(menuValues(id).sort(), [...names].sort(), id);
    }
  });

  test("the URL accepts every name the library knows, and only those", () => {
    const fields = {
      dataset: DATASET_NAMES,
      activation: ACTIVATIONS,
      init: INITIALIZATIONS,
      loss: LOSS_NAMES,
      optimizer: OPTIMIZER_NAMES,
      schedule: SCHEDULE_NAMES,
    } as const;
    const defaults = defaultSettings().config;
    for (const [field, names] of Object.entries(fields)) {
      const key = field as keyof typeof fields;
      for (const name of names) {
        assert.equal(parseHash(`#${key}=${name}`).config[key], name);
      }
      assert.equal(parseHash(`#${key}=nonsense`).config[key], defaults[key]);
    }
  });
});

describe("colour map", () => {
  test("the diverging map runs orange (class 0) through white to blue (class 1)", () => {
    assert.deepEqual(divergingColor(0), [255, 255, 255]);
    const orange = divergingColor(-1);
    const blue = divergingColor(1);
    assert.ok(orange[0] > orange[2], "class 0 end is orange");
    assert.ok(blue[2] > blue[0], "class 1 end is blue");
    assert.deepEqual(
      divergingColor(NaN),
      [255, 255, 255],
      "NaN is drawn as 'no idea'",
    );
    assert.deepEqual(divergingColor(5), blue, "clamped");
  });

  test("a logistic score is a logit: belief 0 at probability 1/2", () => {
    assert.equal(binaryBelief(0, "logistic"), 0);
    assert.ok(
      Math.abs(binaryBelief(2, "logistic") - (2 / (1 + Math.exp(-2)) - 1)) <
        1e-12,
    );
    assert.equal(binaryBelief(1, "hinge"), Math.tanh(1));
  });

  test("hard mode shows only the predicted class; soft mode shows confidence", () => {
    const weak = cellColor([0.05], 0, 1, "hinge", "soft");
    const strong = cellColor([0.05], 0, 1, "hinge", "hard");
    assert.ok(
      weak[0] > strong[0],
      "soft: a small positive score is nearly white",
    );
    assert.deepEqual(strong, divergingColor(1));
    // Three classes: the argmax class's colour.
    const cell = cellColor([0, 5, 1], 0, 3, "crossEntropy", "hard");
    const expected = classColor(1);
    assert.ok(Math.abs(cell[2] - (255 + (expected[2] - 255) * 0.75)) <= 1);
    // Equal scores: no idea, white.
    assert.deepEqual(cellColor([1, 1, 1], 0, 3, "crossEntropy", "soft"), [
      255,
      255,
      255,
    ]);
  });

  test("the painter puts grid row 0 (lowest y) at the bottom of the image", () => {
    // 2x2 grid, one output: bottom row class 0 (negative), top row class 1.
    const grid = [-1, -1, 1, 1];
    const pixels = new Uint8ClampedArray(2 * 2 * 4);
    paintHeatmap(pixels, 2, 2, decisionColorer(grid, 1, "hinge", "hard"));
    const topLeft = [...pixels.slice(0, 3)];
    const bottomLeft = [...pixels.slice(8, 11)];
    assert.deepEqual(topLeft, [...divergingColor(1)]);
    assert.deepEqual(bottomLeft, [...divergingColor(-1)]);
    assert.equal(pixels[3], 255, "opaque");
  });

  test("the decision grid and a neuron thumbnail are painted alike", () => {
    // Several cells a side on fewer pixels: each pixel takes the nearest cell.
    const values = Array.from({ length: 16 }, (_, cell) => cell / 8 - 1);
    const small = new Uint8ClampedArray(2 * 2 * 4);
    paintHeatmap(small, 2, 4, divergingColorer(values, (value) => value));
    const full = new Uint8ClampedArray(4 * 4 * 4);
    paintHeatmap(full, 4, 4, divergingColorer(values, (value) => value));
    // Pixel (0, 0) of the 2x2 image is cell (row 3, column 1) of the grid.
    assert.deepEqual([...small.slice(0, 4)], [...full.slice(4, 8)]);
    // A one-output decision grid in soft mode is the same diverging map.
    const soft = new Uint8ClampedArray(4 * 4 * 4);
    paintHeatmap(
      soft,
      4,
      4,
      decisionColorer(values, 1, "hinge", "soft"),
    );
    const tanh = new Uint8ClampedArray(4 * 4 * 4);
    paintHeatmap(tanh, 4, 4, divergingColorer(values, Math.tanh));
    assert.deepEqual(soft, tanh);
  });

  test("several outputs: a non-finite score predicts no class (white), as the library's predictClass", () => {
    assert.deepEqual(
      cellColor([Infinity, 1, 0], 0, 3, "crossEntropy", "hard"),
      [255, 255, 255],
    );
  });
});

function fakePoint(step: number, trainLoss = 1 / step): HistoryPoint {
  return {
    step,
    trainLoss,
    testLoss: null,
    trainScore: 0.5,
    testScore: null,
  };
}

describe("LossHistory", () => {
  test("keeps every point until full, then thins out but always shows the latest", () => {
    const history = new LossHistory(8);
    for (let step = 1; step <= 7; step++) history.add(fakePoint(step));
    assert.deepEqual(history.columns().steps, [1, 2, 3, 4, 5, 6, 7]);
    for (let step = 8; step <= 100; step++) history.add(fakePoint(step));
    const { steps } = history.columns();
    assert.ok(
      steps.length <= 9,
      `at most capacity + the latest, got ${steps.length}`,
    );
    assert.equal(steps[0], 1, "the start stays");
    assert.equal(steps[steps.length - 1], 100, "the newest step is shown");
    assert.ok(history.stride > 1);
    for (let i = 1; i < steps.length; i++) {
      assert.ok(steps[i] > steps[i - 1], "in order");
    }
  });

  test("measurements at uneven steps (a fast run's reports) are kept, thinned evenly", () => {
    const history = new LossHistory(16);
    let step = 0;
    for (let k = 0; k < 500; k++) {
      step += 1 + (k * 7919) % 37;
      history.add(fakePoint(step));
    }
    const { steps } = history.columns();
    assert.ok(
      steps.length >= 8 && steps.length <= 17,
      `${steps.length} points`,
    );
    assert.equal(steps[steps.length - 1], step);
    assert.ok(steps[0] <= 37, "the start stays");
  });

  test("a later measurement of the same step replaces it; an older one is ignored", () => {
    const history = new LossHistory();
    history.add(fakePoint(0, 1));
    history.add(fakePoint(5, 0.5));
    history.add(fakePoint(5, 0.4));
    history.add(fakePoint(3, 9));
    assert.deepEqual(history.columns().data[0], [0, 5]);
    assert.deepEqual(history.columns().data[1], [1, 0.4]);
  });

  test("the chart's points are the whole-set numbers the page shows (not a batch's)", () => {
    const trainer = new Trainer({ batchSize: 1, testFraction: 0.2 });
    const history = new LossHistory();
    history.add(measuredPoint(trainer.report()));
    for (let i = 0; i < 5; i++) trainer.step();
    const report = trainer.report();
    history.add(measuredPoint(report));
    const { data } = history.columns();
    assert.deepEqual(data[0], [0, 5]);
    assert.equal(data[1][1], report.train.loss);
    assert.equal(data[2][1], report.test!.loss);
    assert.equal(data[3][1], report.train.accuracy);
    assert.equal(data[4][1], report.test!.accuracy);
  });

  test("on a log scale, losses that are not positive become gaps", () => {
    const history = new LossHistory();
    history.add(fakePoint(1, 0.5));
    history.add(fakePoint(2, 0));
    assert.deepEqual(history.columns(false).data[1], [0.5, 0]);
    assert.deepEqual(history.columns(true).data[1], [0.5, null]);
    history.clear();
    assert.deepEqual(history.columns().steps, []);
  });
});

describe("weights files", () => {
  const json = JSON.stringify(new MLP(2, [4, 1], { seed: 3 }).toJSON());

  test("a saved model is accepted", () => {
    const result = parseWeightsText(json, "model.json");
    assert.equal(result.ok, true);
    if (result.ok) assert.deepEqual(result.sizes, [4, 1]);
  });

  test("anything else gets a message that names the file and the problem", () => {
    const notJson = parseWeightsText("{ nope", "a.json");
    assert.equal(notJson.ok, false);
    if (!notJson.ok) assert.match(notJson.message, /a\.json.*not valid JSON/);
    const broken = JSON.parse(json);
    broken.layers[0][0].weights.pop();
    const wrong = parseWeightsText(JSON.stringify(broken), "b.json");
    assert.equal(wrong.ok, false);
    if (!wrong.ok) {
      assert.match(wrong.message, /b\.json.*not a micrograd model/);
    }
  });

  test("a huge file is refused before it is read", async () => {
    let read = false;
    const result = await parseWeightsFile({
      name: "big.json",
      size: 1e9,
      text: () => {
        read = true;
        return Promise.resolve("");
      },
    });
    assert.equal(result.ok, false);
    assert.equal(read, false);
  });
});

describe("number formatting and the server's port", () => {
  test("numbers are plain numbers; missing ones a dash", () => {
    assert.equal(formatLoss(0.123456), "0.1235");
    assert.equal(formatLoss(12500), "1.250e+4");
    assert.equal(Number(formatLoss(0.00001234)), 0.00001234);
    assert.equal(formatLoss(null), "–");
    assert.equal(formatAccuracy(0.97), "0.970");
    assert.equal(formatAccuracy(undefined), "–");
    // One definition for the numbers row and the chart's legend.
    assert.equal(formatLoss(0.0005), "0.0005");
    assert.equal(formatLoss(-2000), "-2.000e+3");
    assert.equal(formatTick(0.5), "0.5");
    assert.equal(formatTick(20000), "2e+4");
  });

  test("--port beats PORT beats 8000", () => {
    assert.equal(portFromArguments([], undefined), 8000);
    assert.equal(portFromArguments([], "9000"), 9000);
    assert.equal(portFromArguments(["--port", "8123"], "9000"), 8123);
    assert.equal(portFromArguments(["--port=0"], undefined), 0);
    assert.throws(
      () => portFromArguments(["--port", "http"], undefined),
      RangeError,
    );
  });
});

/** A host with real time but no worker: yields through a macrotask. */
const host: SessionHost = {
  now: () => performance.now(),
  yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
  sleep: (milliseconds) =>
    new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

function until(
  condition: () => boolean,
  timeoutMilliseconds = 20_000,
): Promise<void> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (performance.now() - start > timeoutMilliseconds) {
        reject(new Error("timed out"));
      } else setTimeout(check, 5);
    };
    check();
  });
}

/** A new session whose reports are collected, in order. */
function listened(): { session: TrainingSession; reports: ProgressReport[] } {
  const session = new TrainingSession(host);
  const reports: ProgressReport[] = [];
  session.setListener((report) => {
    reports.push(report);
  });
  return { session, reports };
}

describe("TrainingSession (the worker's loop, without the worker)", () => {
  test("reset starts a run at step 0 with the data, the grid and the untrained loss", () => {
    const session = new TrainingSession(host);
    const snapshot = session.reset({ ...DEFAULT_CONFIG, testFraction: 0.2 });
    assert.equal(snapshot.stepCount, 0);
    assert.equal(snapshot.train.x.length, 80);
    assert.equal(snapshot.test.x.length, 20);
    assert.equal(snapshot.grid.values.length, snapshot.grid.resolution ** 2);
    assert.ok(snapshot.grid.resolution >= 64);
    assert.ok(snapshot.initial !== null && snapshot.initial.step === 0);
    // The untrained loss is the same number the first step reports.
    const first = session.trainer.step();
    assert.equal(snapshot.initial!.loss, first.loss);
    assert.equal(snapshot.initial!.testLoss, first.testLoss);
    assert.equal(
      session.reset({}).run,
      snapshot.run + 1,
      "each reset is a new run",
    );
  });

  test("the demo stops at step 100 with a reason; Play goes on past it", async () => {
    const { session, reports } = listened();
    session.reset({});
    session.play();
    await until(() => !session.running);
    await session.pause();
    assert.equal(session.trainer.stepCount, 100);
    const reasons = reports.map((report) => report.stopReason).filter(
      (reason) => reason !== null,
    );
    assert.deepEqual(reasons, ["stopped at step 100: the schedule ended"]);
    session.play();
    await until(() => session.trainer.stepCount >= 130);
    assert.ok(session.running, "Play goes on past the stop");
    const paused = await session.pause();
    session.play();
    await until(() => session.trainer.stepCount >= paused + 10);
    assert.ok(session.running, "and again after a Pause");
    await session.pause();
    session.setStopRule({ loss: 0.5 });
    session.reset({});
    session.play();
    await until(() => !session.running);
    const reason = reports.findLast((report) => report.stopReason !== null);
    assert.match(
      reason?.stopReason ?? "",
      /the training loss .* reached the target 0.5/,
    );
    assert.ok(reports.at(-1)!.report!.train.loss <= 0.5);
  });

  test("a target the model already meets stops Play at once, saying why; Play again goes past it", async () => {
    const { session, reports } = listened();
    session.setStopRule({ loss: 5 });
    session.reset({});
    session.play();
    await until(() =>
      reports.some((report) => report.stopReason !== null) &&
      !session.running
    );
    assert.equal(session.trainer.stepCount, 0, "no step was taken");
    assert.match(
      reports.find((report) => report.stopReason !== null)!.stopReason!,
      /stopped at step 0: the training loss .* reached the target 5/,
    );
    session.play();
    await until(() => session.trainer.stepCount >= 10);
    assert.ok(session.running, "the second Play goes on past the target");
    await session.pause();
  });

  test("a live change keeps the step count and the model; a new architecture is refused with why", async () => {
    const session = new TrainingSession(host);
    session.reset({ optimizer: "adam", learningRate: 0.05 });
    for (let i = 0; i < 5; i++) await session.step();
    const before = session.trainer.model.toJSON();
    const change = session.reconfigure({
      ...session.trainer.config,
      learningRate: 0.01,
    });
    assert.deepEqual(change, {
      live: true,
      changed: ["learningRate"],
      optimizerReset: false,
    });
    assert.equal(session.trainer.stepCount, 5);
    assert.deepEqual(session.trainer.model.toJSON(), before);
    assert.equal((await session.step())?.step, 6);
    assert.deepEqual(
      session.reconfigure({ ...session.trainer.config, optimizer: "sgd" }),
      { live: true, changed: ["optimizer"], optimizerReset: true },
    );
    assert.deepEqual(
      session.reconfigure({ ...session.trainer.config, hidden: [4] }),
      { live: false, reason: "the architecture changed" },
    );
    assert.equal(session.trainer.stepCount, 6);
  });

  test("reports carry the whole-set numbers: with batch size 1, the training set's", async () => {
    const { session, reports } = listened();
    session.reset({ batchSize: 1, testFraction: 0.2 });
    await session.step();
    const { report } = reports.at(-1)!;
    const trainer = session.trainer;
    assert.deepEqual(report!.train, trainer.evaluate(trainer.train));
    const { train, test } = report!.confusion!;
    const sum = (counts: number[][]) => counts.flat().reduce((a, b) => a + b);
    assert.equal(sum(train.counts), trainer.train.x.length);
    assert.equal(sum(test!.counts), trainer.test.x.length);
  });

  test("step takes exactly one step and reports it", async () => {
    const { session, reports } = listened();
    session.reset({});
    const stats = await session.step();
    assert.equal(stats?.step, 1);
    assert.equal(session.trainer.stepCount, 1);
    // The counter first (cheap), then the grid and whole-set numbers.
    assert.equal(reports.length, 2);
    assert.deepEqual(reports[0].stats.map((s) => s.step), [1]);
    assert.equal(reports[0].stepCount, 1);
    assert.equal(reports[0].grid, null);
    assert.equal(reports[0].report, null);
    assert.deepEqual(reports[1].stats, []);
    assert.equal(reports[1].stepCount, 1);
    assert.ok(reports[1].grid !== null, "a step's reports carry a fresh grid");
    assert.ok(reports[1].report !== null, "and fresh whole-set numbers");
  });

  test("a Pause sends the counter before computing the grid and the numbers", async () => {
    const { session, reports } = listened();
    session.reset({ hidden: [32, 32, 32, 32], points: 400 });
    session.play();
    await until(() => session.trainer.stepCount >= 3);
    const stopped = await session.pause();
    const [counter, full] = reports.slice(-2);
    assert.equal(counter.stepCount, stopped, "the final count comes first");
    assert.equal(counter.running, false);
    assert.equal(counter.grid, null, "before any grid is computed");
    assert.equal(counter.report, null, "and before the numbers");
    assert.equal(full.stepCount, stopped);
    assert.ok(full.grid !== null, "the grid follows");
    assert.ok(full.report !== null, "and the numbers");
  });

  test("pause stops training, and the last report matches the final step count", async () => {
    const { session, reports } = listened();
    session.reset({});
    session.play();
    await until(() => session.trainer.stepCount >= 20);
    const stopped = await session.pause();
    const last = reports[reports.length - 1];
    assert.equal(last.stepCount, stopped);
    assert.equal(last.running, false);
    // Every step was reported exactly once, in order.
    const steps = reports.flatMap((report) => report.stats.map((s) => s.step));
    assert.deepEqual(steps, Array.from({ length: stopped }, (_, i) => i + 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(session.trainer.stepCount, stopped, "no step after pause");
  });

  test("while the page has not drawn a report, the worker sends no other", async () => {
    const session = new TrainingSession(host);
    let calls = 0;
    let hold = true;
    const waiting: (() => void)[] = [];
    const releaseAll = () => waiting.splice(0).forEach((resolve) => resolve());
    session.setListener(() => {
      calls++;
      return hold
        ? new Promise<void>((resolve) => waiting.push(resolve))
        : undefined;
    });
    // No stop rule: a stop (like a Pause) sends its counter at once.
    session.setStopRule({});
    session.reset({});
    session.play();
    await until(() => session.trainer.stepCount >= 30 && calls >= 1);
    assert.equal(calls, 1, "one report in flight at a time");
    releaseAll();
    await until(() => calls >= 2);
    hold = false;
    releaseAll();
    const stopped = await session.pause();
    assert.ok(stopped >= 30);
  });

  test("the speed setting caps the steps per second", async () => {
    const session = new TrainingSession(host);
    session.reset({});
    session.setSpeed(10);
    const start = performance.now();
    session.play();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const steps = await session.pause();
    const seconds = (performance.now() - start) / 1000;
    assert.ok(steps >= 1, "the first step happens at once");
    assert.ok(
      steps <= 1 + Math.ceil(seconds * 10),
      `${steps} steps in ${seconds} s at 10/s`,
    );
  });

  test("a diverging run stops with the library's hint", async () => {
    const { session, reports } = listened();
    session.reset({ loss: "mse", learningRate: 100, activation: "linear" });
    session.play();
    await until(() => reports.some((report) => report.failure !== null));
    const failure = reports.find((report) => report.failure !== null)!.failure!;
    assert.equal(failure.name, "DivergenceError");
    assert.match(failure.hint, /learning rate/);
    assert.equal(session.running, false);
    // Reset starts clean.
    const fresh = session.reset({});
    assert.equal(fresh.stepCount, 0);
    assert.equal((await session.step())?.step, 1);
  });

  test("neuronGrids: every neuron over the plane; the last layer is the decision grid", () => {
    const session = new TrainingSession(host);
    const snapshot = session.reset({ hidden: [3, 2], activation: "tanh" });
    const grids = session.neuronGrids(8);
    assert.equal(grids.run, snapshot.run);
    assert.deepEqual(grids.layers.map((layer) => layer.length), [3, 2, 1]);
    assert.deepEqual(grids.activations, ["tanh", "tanh", "linear"]);
    assert.equal(grids.inputs[0].length, 64);
    for (const value of grids.layers[0][0]) {
      assert.ok(value > -1 && value < 1, "tanh range");
    }
    const decision = session.trainer.evaluateGrid(grids.bounds, 8);
    assert.deepEqual([...grids.layers[2][0]], [...decision]);
    assert.deepEqual(grids.model, session.modelJson());
    assert.throws(() => session.neuronGrids(0), RangeError);
  });

  test("parameterGradients: the gradient plain SGD then follows, with the weights it is for", async () => {
    const session = new TrainingSession(host);
    const snapshot = session.reset({
      hidden: [4],
      optimizer: "sgd",
      learningRate: 0.5,
      schedule: "constant",
      l2: 0.01,
      batchSize: null,
    });
    await session.step();
    const result = session.parameterGradients();
    assert.equal(result.run, snapshot.run);
    assert.equal(result.stepCount, 1);
    assert.equal(result.trainPoints, snapshot.train.x.length);
    assert.deepEqual(result.model, session.modelJson());
    await session.step();
    // One full-batch SGD step: w <- w - learningRate * d loss / d w.
    const after = session.modelJson();
    result.model.layers.forEach((neurons, l) =>
      neurons.forEach((neuron, j) =>
        neuron.weights.forEach((weight, i) => {
          const expected = weight -
            0.5 * result.gradients.layers[l][j].weights[i];
          const actual = after.layers[l][j].weights[i];
          assert.ok(
            Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(weight)),
            `weight ${l}:${j}:${i}: ${actual} vs ${expected}`,
          );
        })
      )
    );
  });

  test("describeFailure turns any error into a message and a hint", () => {
    const divergence = describeFailure(
      new DivergenceError(3, NaN, "lower it"),
      3,
    );
    assert.equal(divergence.hint, "lower it");
    assert.equal(divergence.step, 3);
    const other = describeFailure(new TypeError("boom"), 7);
    assert.equal(other.name, "TypeError");
    assert.equal(other.message, "boom");
    assert.match(other.hint, /Reset/);
  });

  test("loading weights: exact copy when they fit, no change when they do not", () => {
    const session = new TrainingSession(host);
    const before = session.reset({});
    const other = new Trainer({ hidden: [8], activation: "tanh", seed: 5 });
    for (let i = 0; i < 3; i++) other.step();
    const loaded = session.loadModel(other.model.toJSON());
    assert.deepEqual(loaded.config.hidden, [8]);
    assert.equal(loaded.config.activation, "tanh");
    assert.deepEqual(session.modelJson().layers, other.model.toJSON().layers);
    assert.equal(loaded.run, before.run + 1);

    const current = session.modelJson();
    const run = loaded.run;
    assert.throws(
      () => session.loadModel({ format: "micrograd-mlp" }),
      /MLP.fromJSON/,
    );
    assert.throws(
      () => session.loadModel(new MLP(3, [1]).toJSON()),
      /2 \(x and y\)/,
    );
    assert.throws(
      () => session.loadModel(new MLP(2, [4, 3]).toJSON()),
      /output/,
    );
    assert.deepEqual(session.modelJson(), current, "the model is untouched");
    assert.equal(
      session.reset({}).run,
      run + 1,
      "and no run was started by the failures",
    );
  });
});

describe("your own points: editing and the stable split (the link: tests/data_link.test.ts)", () => {
  const bounds = { xMin: -2, xMax: 2, yMin: -1.5, yMax: 1.5 };

  test("a point keeps its side of the split however many points are added or removed", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -2, max: 2, noNaN: true }),
            fc.double({ min: -1.5, max: 1.5, noNaN: true }),
            fc.integer({ min: 0, max: 3 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 1000 }),
        (clicks, seed) => {
          let data = emptyData("classification", bounds);
          const sides: boolean[] = [];
          for (const [x, y, label] of clicks) {
            data = addPoint(data, x, y, label, seed, 0.3);
            sides.push(data.test[data.test.length - 1]);
            // Every earlier point is still on its side.
            assert.deepEqual(data.test, sides);
          }
          const without = removePoint(data, 0);
          assert.deepEqual(without.test, sides.slice(1));
          assert.deepEqual(resplit(data, seed, 0.3).test, data.test);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("the nearest point within reach is removed; none when the click is far", () => {
    let data = emptyData("classification", bounds);
    data = addPoint(data, 0, 0, 0, 0, 0);
    data = addPoint(data, 1, 1, 1, 0, 0);
    assert.equal(nearestPoint(data, 0.05, -0.03), 0);
    assert.equal(nearestPoint(data, 1.5, -1.2), -1);
  });
});

describe("TrainingSession on your own points", () => {
  const bounds = { xMin: -2, xMax: 2, yMin: -2, yMax: 2 };
  function points(n: number, testFraction: number): UserData {
    let data = emptyData("classification", bounds);
    for (let i = 0; i < n; i++) {
      const side = i % 2;
      data = addPoint(
        data,
        side ? 1 + Math.sin(i) / 3 : -1 + Math.cos(i) / 3,
        Math.sin(i * 7),
        side,
        3,
        testFraction,
      );
    }
    return data;
  }

  test("the run trains on the training points and measures the test points, as the Trainer would", () => {
    const session = new TrainingSession(host);
    const data = points(40, 0.25);
    const { train, test } = splitData(data);
    const snapshot = session.reset(
      { ...DEFAULT_CONFIG, testFraction: 0.2 },
      data,
    );
    assert.equal(snapshot.own, true);
    assert.equal(snapshot.train.x.length, 0, "the page has the points");
    assert.equal(snapshot.config.testFraction, 0.2, "the settings are kept");
    assert.deepEqual(session.trainer.train.x, train.x);
    // The test numbers are those of the model before each update.
    const before = session.trainer.evaluate(test)!;
    assert.equal(snapshot.initial!.testLoss, before.loss);
    assert.equal(snapshot.initial!.testAccuracy, before.accuracy);
    assert.match(session.dataCsv(), /^# classes: 2\nx,y,label\n/);
  });

  test("parseData: the points of a file, split; a malformed file says line and column", async () => {
    const session = new TrainingSession(host);
    const good = await session.parseData(
      new Blob(["x,y,label\n0,0,a\n1,1,b\n2,0,c\n"]),
      0,
      0,
    );
    assert.ok(good.ok);
    if (good.ok) {
      assert.equal(good.data.classes, 3);
      assert.deepEqual(good.data.classNames, ["a", "b", "c"]);
    }
    const bad = await session.parseData(
      new Blob(["x,y,label\n0,0,0\n1,oops,1\n"]),
      0,
      0,
    );
    assert.deepEqual(
      bad.ok ? null : [bad.line, bad.column],
      [3, 3],
    );
    assert.ok(!bad.ok && /^line 3, column 3: y must be/.test(bad.message));
  });
});
