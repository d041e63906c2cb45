import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { testErrorCases } from "./error_cases.ts";
// The generators, then the split and the checks.
import { makeBlobs, makeCircles, makeMoons } from "../src/data.ts";
import { makeDataset, makeSpiral, makeXor } from "../src/data.ts";
import {
  type Dataset,
  DATASET_NAMES,
  datasetTask,
  MAX_NOISE,
} from "../src/data.ts";
import { checkDataset, checkLabels, trainTestSplit } from "../src/data.ts";
import { datasetFromPoints } from "../src/data.ts";
import { FieldRangeError, FieldTypeError } from "../src/checks.ts";

function countLabels(data: Dataset): number[] {
  const counts = new Array<number>(data.classes).fill(0);
  for (const label of data.y) counts[label]++;
  return counts;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe("every generator", () => {
  for (const name of DATASET_NAMES) {
    test(`${name}: same seed gives the same data, another seed other data`, () => {
      const a = makeDataset(name, { points: 40, noise: 0.1, seed: 3 });
      const b = makeDataset(name, { points: 40, noise: 0.1, seed: 3 });
      const c = makeDataset(name, { points: 40, noise: 0.1, seed: 4 });
      assert.deepEqual(a, b);
      assert.notDeepEqual(a.x, c.x);
    });

    test(`${name}: n points of two finite coordinates, labels in 0..classes-1`, () => {
      const data = makeDataset(name, { points: 37, noise: 0.2, seed: 1 });
      assert.equal(data.x.length, 37);
      assert.equal(data.y.length, 37);
      for (const point of data.x) {
        assert.equal(point.length, 2);
        assert.ok(point.every(Number.isFinite));
      }
      for (const label of data.y) {
        assert.ok(
          datasetTask(name) === "regression"
            ? Number.isFinite(label)
            : Number.isInteger(label) && label >= 0 && label < data.classes,
        );
      }
    });

    if (datasetTask(name) === "regression") {
      test(`${name}: changing only the noise keeps the points, moves the targets`, () => {
        const clean = makeDataset(name, { points: 30, noise: 0, seed: 8 });
        const noisy = makeDataset(name, { points: 30, noise: 0.3, seed: 8 });
        assert.deepEqual(clean.x, noisy.x);
        assert.notDeepEqual(clean.y, noisy.y);
        assert.equal(clean.task, "regression");
        assert.equal(clean.classes, 0);
      });
    } else {
      test(`${name}: changing only the noise keeps the labels' order`, () => {
        const clean = makeDataset(name, { points: 30, noise: 0, seed: 8 });
        const noisy = makeDataset(name, { points: 30, noise: 0.3, seed: 8 });
        assert.deepEqual(clean.y, noisy.y);
      });
    }
  }
});

describe("regression: the first points are bit-identical in every runtime", () => {
  // Written once; Deno (V8) and Bun (JavaScriptCore) must both reproduce them,
  // which is why the generators use the portable sin/cos/log.
  test("makeMoons(100, noise 0.1, seed 0)", () => {
    const data = makeMoons(100, { noise: 0.1, seed: 0 });
    assert.deepEqual(data.x.slice(0, 3), [
      [1.8458084514328392, 0.22026699366425245],
      [-0.8149657152436818, 0.6856431149851473],
      [0.1876493581203294, 0.07435174248360013],
    ]);
    assert.deepEqual(data.y.slice(0, 10), [1, 0, 1, 1, 0, 1, 1, 1, 0, 0]);
  });

  test("makeCircles, makeSpiral, makeBlobs, makeXor", () => {
    assert.deepEqual(
      makeCircles(6, { noise: 0.05, seed: 9, factor: 0.3 }).x.slice(0, 2),
      [
        [0.2939008704205903, 0.07637987361929949],
        [-0.17269274450641237, -0.2736774667342699],
      ],
    );
    const spiral = makeSpiral(9, { noise: 0.02, seed: 4, classes: 3 });
    assert.deepEqual(spiral.x.slice(0, 2), [
      [-0.10421976993004936, -0.3430551869662188],
      [-0.6427850102081608, 0.03141030618829204],
    ]);
    assert.deepEqual(spiral.y, [1, 1, 1, 2, 2, 0, 0, 0, 2]);
    const blobs = makeBlobs(10, { noise: 0.1, seed: 5, classes: 10 });
    assert.deepEqual(blobs.x.slice(0, 2), [
      [-0.1850864967495917, -0.40481198821461856],
      [-0.48313941465268767, -1.1443915377436358],
    ]);
    assert.deepEqual(makeXor(6, { noise: 0.1, seed: 2 }).x.slice(0, 2), [
      [0.09247014007182941, 0.3098710332757483],
      [-0.4045561131077273, 0.1411309520183619],
    ]);
  });
});

describe("geometry (noise 0 puts points exactly on their shapes)", () => {
  test("moons: sklearn's split (floor(n/2) outer, the rest inner) and half circles", () => {
    const data = makeMoons(101, { noise: 0, seed: 2 });
    assert.deepEqual(countLabels(data), [50, 51]);
    for (let i = 0; i < data.x.length; i++) {
      const [x, y] = data.x[i];
      if (data.y[i] === 0) {
        // upper half of the unit circle centred at (0, 0)
        assert.ok(Math.abs(Math.hypot(x, y) - 1) < 1e-12);
        assert.ok(y >= -1e-12);
      } else {
        // lower half of the unit circle centred at (1, 0.5)
        assert.ok(Math.abs(Math.hypot(x - 1, y - 0.5) - 1) < 1e-12);
        assert.ok(y <= 0.5 + 1e-12);
      }
    }
    // linspace includes both ends: the tips of the moons are there.
    const has = (px: number, py: number) =>
      data.x.some(([x, y]) =>
        Math.abs(x - px) < 1e-12 && Math.abs(y - py) < 1e-12
      );
    assert.ok(has(1, 0) && has(-1, 0) && has(0, 0.5) && has(2, 0.5));
  });

  test("circles: radius 1 and factor, angles evenly spaced without endpoint", () => {
    const data = makeCircles(8, { noise: 0, factor: 0.25, seed: 1 });
    assert.deepEqual(countLabels(data), [4, 4]);
    const angles: number[] = [];
    for (let i = 0; i < 8; i++) {
      const [x, y] = data.x[i];
      const radius = data.y[i] === 0 ? 1 : 0.25;
      assert.ok(Math.abs(Math.hypot(x, y) - radius) < 1e-12);
      if (data.y[i] === 0) angles.push(Math.atan2(y, x));
    }
    // 4 outer points at 0, π/2, π, 3π/2: never a repeated point at 2π.
    const quarterTurns = angles.map((a) =>
      Math.round((a / (Math.PI / 2) + 4) % 4)
    );
    assert.deepEqual(quarterTurns.sort(), [0, 1, 2, 3]);
  });

  test("xor: balanced, class 1 exactly where the signs differ, inside the square", () => {
    const data = makeXor(200, { noise: 0, seed: 6 });
    assert.deepEqual(countLabels(data), [100, 100]);
    for (let i = 0; i < 200; i++) {
      const [x, y] = data.x[i];
      assert.ok(Math.abs(x) <= 1 && Math.abs(y) <= 1);
      assert.equal(x * y < 0 ? 1 : 0, data.y[i]);
    }
  });

  test("spiral: radii in (0, 1], one arm per class, balanced", () => {
    const data = makeSpiral(100, { classes: 4, noise: 0, seed: 1 });
    assert.deepEqual(countLabels(data), [25, 25, 25, 25]);
    for (const [x, y] of data.x) {
      const r = Math.hypot(x, y);
      assert.ok(r > 0 && r <= 1 + 1e-12);
    }
    // the outermost point of arm j sits at angle 2πj/4 + 4 (measured from +y)
    for (let c = 0; c < 4; c++) {
      const outer = data.x.find((p, i) =>
        data.y[i] === c && Math.abs(Math.hypot(p[0], p[1]) - 1) < 1e-12
      )!;
      const angle = (2 * Math.PI * c) / 4 + 4;
      assert.ok(Math.abs(outer[0] - Math.sin(angle)) < 1e-12);
      assert.ok(Math.abs(outer[1] - Math.cos(angle)) < 1e-12);
    }
  });

  test("spiral and blobs with n not divisible by classes: the first classes get one more", () => {
    assert.deepEqual(countLabels(makeSpiral(11, { classes: 3, seed: 0 })), [
      4,
      4,
      3,
    ]);
    assert.deepEqual(countLabels(makeBlobs(11, { classes: 3, seed: 0 })), [
      4,
      4,
      3,
    ]);
  });

  test("blobs: at noise 0 each class is a single centre, centres kept apart", () => {
    for (const classes of [2, 5, 10]) {
      const data = makeBlobs(10 * classes, { classes, noise: 0, seed: 12 });
      const centres: number[][] = [];
      for (let i = 0; i < data.x.length; i++) {
        const c = data.y[i];
        if (!centres[c]) centres[c] = data.x[i];
        assert.deepEqual(data.x[i], centres[c]);
      }
      for (let a = 0; a < classes; a++) {
        assert.ok(centres[a].every((v) => Math.abs(v) <= 1));
        for (let b = a + 1; b < classes; b++) {
          const distance = Math.hypot(
            centres[a][0] - centres[b][0],
            centres[a][1] - centres[b][1],
          );
          assert.ok(
            distance > 0.3,
            `centres ${a} and ${b} are ${distance} apart`,
          );
        }
      }
    }
  });
});

describe("noise", () => {
  test("moons: the offsets from the clean points have the requested standard deviation", () => {
    const clean = makeMoons(2000, { noise: 0, seed: 21 });
    const noisy = makeMoons(2000, { noise: 0.2, seed: 21 });
    const offsets: number[] = [];
    for (let i = 0; i < clean.x.length; i++) {
      offsets.push(
        noisy.x[i][0] - clean.x[i][0],
        noisy.x[i][1] - clean.x[i][1],
      );
    }
    const m = mean(offsets);
    const std = Math.sqrt(mean(offsets.map((d) => (d - m) ** 2)));
    assert.ok(Math.abs(m) < 0.02, `mean offset ${m}`);
    assert.ok(Math.abs(std - 0.2) < 0.01, `std of offsets ${std}`);
  });

  test("blobs: points scatter around their centre with std noise", () => {
    const data = makeBlobs(3000, { classes: 3, noise: 0.05, seed: 2 });
    const clean = makeBlobs(3000, { classes: 3, noise: 0, seed: 2 });
    const offsets = data.x.map((p, i) => p[0] - clean.x[i][0]);
    const std = Math.sqrt(mean(offsets.map((d) => d * d)));
    assert.ok(Math.abs(std - 0.05) < 0.003, `std ${std}`);
  });
});

describe("trainTestSplit", () => {
  const data = makeMoons(50, { noise: 0.1, seed: 5 });

  test("puts round(n·fraction) points in test, the rest in train, each point once", () => {
    const { train, test: held } = trainTestSplit(data, 0.3, 1);
    assert.equal(held.x.length, 15);
    assert.equal(train.x.length, 35);
    assert.equal(train.classes, 2);
    const key = (p: number[], label: number) => `${p[0]},${p[1]},${label}`;
    const all = [
      ...train.x.map((p, i) => key(p, train.y[i])),
      ...held.x.map((p, i) => key(p, held.y[i])),
    ].sort();
    assert.deepEqual(all, data.x.map((p, i) => key(p, data.y[i])).sort());
  });

  test("is seeded: same seed same split, other seed other split", () => {
    assert.deepEqual(
      trainTestSplit(data, 0.2, 4),
      trainTestSplit(data, 0.2, 4),
    );
    assert.notDeepEqual(
      trainTestSplit(data, 0.2, 4).test.x,
      trainTestSplit(data, 0.2, 5).test.x,
    );
  });

  test("fraction 0 keeps everything for training, in order, as a copy", () => {
    const { train, test: held } = trainTestSplit(data, 0, 1);
    assert.deepEqual(train, data);
    assert.equal(held.x.length, 0);
    train.x[0][0] = 99;
    assert.notEqual(data.x[0][0], 99);
  });

  test("always leaves at least one training point", () => {
    const { train, test: held } = trainTestSplit(
      makeMoons(2, { seed: 0 }),
      0.99,
      0,
    );
    assert.equal(train.x.length, 1);
    assert.equal(held.x.length, 1);
  });

  test("rejects a bad fraction or dataset", () => {
    assert.throws(() => trainTestSplit(data, 1, 0), RangeError);
    assert.throws(() => trainTestSplit(data, -0.1, 0), RangeError);
    assert.throws(
      () => trainTestSplit(data, NaN, 0),
      /trainTestSplit: testFraction must be a number in \[0, 1\), got the number NaN/,
    );
    assert.throws(
      () => trainTestSplit(data, "0.2" as unknown as number, 0),
      TypeError,
    );
    assert.throws(
      () => trainTestSplit(data, 0.2, 1.5),
      /seed must be a safe integer/,
    );
    assert.throws(
      () => trainTestSplit({ x: [[0, 0]], y: [], classes: 2 }, 0.2, 0),
      TypeError,
    );
  });
});

describe("validation names the parameter, what it got and what is allowed", () => {
  test("n", () => {
    assert.throws(() => makeMoons(1), {
      name: "FieldRangeError",
      message:
        "makeMoons: n must be an integer from 2 to 1000000, got the number 1",
    });
    assert.throws(() => makeCircles(10.5), RangeError);
    assert.throws(() => makeXor(Infinity), RangeError);
    assert.throws(() => makeMoons("10" as unknown as number), {
      name: "FieldTypeError",
      message:
        'makeMoons: n must be an integer from 2 to 1000000, got a string ("10")',
    });
    // multi-class generators need at least one point per class
    assert.throws(
      () => makeSpiral(3, { classes: 4 }),
      /n must be an integer from 4/,
    );
  });

  test("noise, seed, factor, classes", () => {
    assert.throws(
      () => makeMoons(10, { noise: -0.1 }),
      /makeMoons: noise must be a number in \[0, 1000000\], got the number -0.1/,
    );
    assert.throws(() => makeMoons(10, { noise: NaN }), RangeError);
    assert.throws(
      () => makeXor(10, { noise: "0.1" as unknown as number }),
      TypeError,
    );
    assert.throws(
      () => makeMoons(10, { seed: 0.5 }),
      /seed must be a safe integer/,
    );
    assert.throws(
      () => makeCircles(10, { factor: 1 }),
      /makeCircles: factor must be a number in \[0, 1\) \(the inner circle's radius\), got the number 1/,
    );
    assert.throws(
      () => makeSpiral(10, { classes: 1 }),
      /classes must be an integer from 2 to 10, got the number 1/,
    );
    assert.throws(() => makeBlobs(100, { classes: 11 }), RangeError);
    assert.throws(() => makeBlobs(100, { classes: 2.5 }), RangeError);
    assert.throws(
      () => makeMoons(10, 5 as unknown as object),
      /makeMoons: options must be a plain object with some of noise, seed, got the number 5/,
    );
  });

  test("makeDataset: unknown names list the known ones", () => {
    assert.throws(() => makeDataset("swiss-roll" as never), {
      name: "FieldRangeError",
      message:
        'makeDataset: name must be one of "moons", "circles", "xor", "spiral", "blobs", "plane" or "gaussians", got a string ("swiss-roll")',
    });
  });

  test("makeDataset: binary datasets have 2 classes whatever classes says", () => {
    assert.equal(makeDataset("moons", { classes: 5 }).classes, 2);
    assert.equal(makeDataset("blobs", { classes: 5 }).classes, 5);
    assert.equal(makeDataset("spiral").classes, 3);
    assert.equal(makeDataset("moons").x.length, 100);
  });
});

describe("generators refuse unknown options, naming them", () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      "makeMoons with scikit-learn's random_state",
      () => makeMoons(10, { random_state: 1 } as never),
      /^makeMoons: unknown option "random_state" \(did you mean "seed"\?\); allowed options are noise, seed$/,
    ],
    [
      "makeCircles with a typo",
      () => makeCircles(10, { factr: 0.3 } as never),
      /^makeCircles: unknown option "factr" \(did you mean "factor"\?\)/,
    ],
    [
      "makeXor with classes",
      () => makeXor(10, { classes: 3 } as never),
      /^makeXor: unknown option "classes"/,
    ],
    [
      "makeSpiral with n_classes",
      () => makeSpiral(10, { n_classes: 3 } as never),
      /^makeSpiral: unknown option "n_classes" \(did you mean "classes"\?\)/,
    ],
    [
      "makeBlobs with noise_level",
      () => makeBlobs(10, { noise_level: 0.1 } as never),
      /^makeBlobs: unknown option "noise_level" \(did you mean "noise"\?\)/,
    ],
    [
      "makeDataset with n_samples",
      () => makeDataset("moons", { n_samples: 50 } as never),
      /^makeDataset: unknown option "n_samples" \(did you mean "points"\?\)/,
    ],
  ];
  testErrorCases(
    cases.map((
      [name, call, message],
    ) => [name, call, FieldRangeError, message]),
  );

  test("a Map is not an options object", () => {
    assert.throws(() => makeMoons(10, new Map() as never), {
      name: "FieldTypeError",
      field: "options",
    });
  });

  test("makeDataset names its own options", () => {
    assert.throws(() => makeDataset("moons", { points: 1 }), {
      name: "FieldRangeError",
      field: "points",
      message:
        "makeDataset: points must be an integer from 2 to 1000000, got the number 1",
    });
    assert.throws(() => makeDataset("spiral", { points: 3, classes: 4 }), {
      field: "points",
      message: /from 4 to/,
    });
    assert.throws(() => makeDataset("xor", { seed: 0.5 }), { field: "seed" });
  });
});

describe("noise that could overflow is refused up front", () => {
  test("noise above MAX_NOISE, for every generator", () => {
    for (
      const make of [makeMoons, makeCircles, makeXor, makeSpiral, makeBlobs]
    ) {
      assert.throws(() => make(10, { noise: 1e308 }), {
        name: "FieldRangeError",
        field: "noise",
        message:
          /noise must be a number in \[0, 1000000\], got the number 1e\+308/,
      });
    }
    assert.throws(() => makeDataset("moons", { noise: Infinity }), {
      field: "noise",
    });
  });

  test("the largest noise allowed still gives finite points", () => {
    for (const name of DATASET_NAMES) {
      const data = makeDataset(name, {
        points: 500,
        noise: MAX_NOISE,
        seed: 3,
      });
      assert.ok(data.x.every((p) => p.every(Number.isFinite)), name);
    }
  });
});

describe("checkDataset and trainTestSplit refuse bad data, naming the index", () => {
  const good = () => makeSpiral(12, { classes: 3, seed: 1 });
  const cases: [string, (d: Dataset) => unknown, string, string, RegExp][] = [
    [
      "a NaN coordinate",
      (d) => (d.x[3][1] = NaN),
      "FieldRangeError",
      "x[3][1]",
      /x\[3\]\[1\] must be a finite number, got the number NaN/,
    ],
    [
      "an infinite coordinate",
      (d) => (d.x[0][0] = -Infinity),
      "FieldRangeError",
      "x[0][0]",
      /got the number -Infinity/,
    ],
    [
      "a string coordinate",
      (d) => (d.x[2][0] = "1" as never),
      "FieldTypeError",
      "x[2][0]",
      /x\[2\]\[0\] must be a finite number, got a string/,
    ],
    [
      "a 3-D point",
      (d) => d.x[5].push(0),
      "FieldRangeError",
      "x[5]",
      /x\[5\] must be a point \[x, y\] of two finite numbers, got an array of length 3/,
    ],
    [
      "a point that is not an array",
      (d) => (d.x[1] = 7 as never),
      "FieldTypeError",
      "x[1]",
      /x\[1\] must be a point/,
    ],
    [
      "a label out of range",
      (d) => (d.y[7] = 3),
      "FieldRangeError",
      "y[7]",
      /y\[7\] must be a class index \(an integer from 0 to 2\), got the number 3/,
    ],
    [
      "a fractional label",
      (d) => (d.y[4] = 0.5),
      "FieldRangeError",
      "y[4]",
      /y\[4\]/,
    ],
    [
      "a NaN label",
      (d) => (d.y[0] = NaN),
      "FieldRangeError",
      "y[0]",
      /y\[0\].*NaN/,
    ],
    [
      "a string label",
      (d) => (d.y[2] = "1" as never),
      "FieldTypeError",
      "y[2]",
      /y\[2\]/,
    ],
    [
      "classes missing",
      (d) => delete (d as Partial<Dataset>).classes,
      "FieldTypeError",
      "classes",
      /classes must be a positive integer, got undefined/,
    ],
  ];
  for (const [name, breakIt, type, field, message] of cases) {
    test(name, () => {
      const data = good();
      breakIt(data);
      for (
        const call of [
          () => trainTestSplit(data, 0.25, 0),
          () => checkDataset(data, "trainTestSplit"),
        ]
      ) {
        assert.throws(call, (error: unknown) => {
          assert.equal((error as Error).name, type);
          assert.equal((error as FieldRangeError).field, field);
          assert.match((error as Error).message, /^trainTestSplit: /);
          assert.match((error as Error).message, message);
          return true;
        });
      }
    });
  }

  test("checkDataset checks labels against a given number of classes", () => {
    const data = makeMoons(10, { seed: 2 });
    assert.equal(checkDataset(data, "evaluate", 2), data);
    data.y[9] = 1;
    assert.throws(() => checkDataset(data, "evaluate", 1), {
      name: "FieldRangeError",
      message:
        /^evaluate: y\[\d\] must be a class index \(an integer from 0 to 0\)/,
    });
    assert.deepEqual(
      checkDataset({ x: [], y: [], classes: 2 }, "evaluate").x,
      [],
    );
  });

  test("checkLabels names the argument", () => {
    assert.throws(() => checkLabels([0, 1, Infinity], "f", "labels", 2), {
      name: "FieldRangeError",
      field: "labels[2]",
    });
    assert.throws(() => checkLabels("01", "f", "labels", 2), {
      name: "FieldTypeError",
      field: "labels",
    });
  });
});

describe("a sparse array's hole is refused by index, not copied", () => {
  const hole = "got an empty slot (a hole in a sparse array)";
  // deno-lint-ignore no-sparse-arrays
  const holeyPoints = [[0, 0], , [1, 1]] as number[][];
  // deno-lint-ignore no-sparse-arrays
  const holeyLabels = [0, , 1] as number[];
  const three = [[0, 0], [0, 1], [1, 1]];
  const cases: [string, () => unknown, string, string][] = [
    [
      "a hole in the points",
      () => datasetFromPoints(holeyPoints, [0, 1, 0]),
      "points[1]",
      `datasetFromPoints: points[1] must be a point [x, y] of two finite numbers, ${hole}`,
    ],
    [
      "a hole in the class labels",
      () => datasetFromPoints(three, holeyLabels),
      "labels[1]",
      `datasetFromPoints: labels[1] must be a class index, ${hole}`,
    ],
    [
      "a hole in the regression targets",
      () => datasetFromPoints(three, holeyLabels, { task: "regression" }),
      "labels[1]",
      `datasetFromPoints: labels[1] must be a finite number (a regression target), ${hole}`,
    ],
    [
      "a hole in the class names",
      () =>
        datasetFromPoints(three, [0, 1, 2], {
          // deno-lint-ignore no-sparse-arrays
          classNames: ["a", , "c"] as string[],
        }),
      "classNames[1]",
      `datasetFromPoints: classNames[1] must be a non-empty string, ${hole}`,
    ],
    [
      "a hole in a dataset's points",
      () => checkDataset({ x: holeyPoints, y: [0, 1, 0], classes: 2 }, "f"),
      "x[1]",
      `f: x[1] must be a point [x, y] of two finite numbers, ${hole}`,
    ],
    [
      "a hole in a dataset's labels",
      () => checkDataset({ x: three, y: holeyLabels, classes: 2 }, "f"),
      "y[1]",
      `f: y[1] must be a class index (an integer from 0 to 1), ${hole}`,
    ],
  ];
  for (const [name, call, field, message] of cases) {
    test(name, () => {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof FieldTypeError, String(error));
        assert.equal(error.field, field);
        assert.equal(error.message, message);
        return true;
      });
    });
  }

  test("undefined written in the slot is refused too (as a value)", () => {
    assert.throws(
      () => datasetFromPoints([[0, 0], undefined as never], [0, 1]),
      {
        name: "FieldTypeError",
        field: "points[1]",
        message: /got undefined$/,
      },
    );
  });
});

describe("class names: one per class, named when they fall short", () => {
  test("too few names for the labels blames classNames and says how many", () => {
    assert.throws(
      () =>
        datasetFromPoints([[0, 0], [1, 1], [2, 2]], [0, 2, 1], {
          classNames: ["a"],
        }),
      {
        name: "FieldRangeError",
        field: "classNames",
        message:
          "datasetFromPoints: classNames must be one name per class: at least 3 names, as labels[1] is 2 (or pass classes to say how many), got an array of length 1",
      },
    );
    // With classes given, the names must match it, and a label beyond it is the label's fault.
    assert.throws(
      () => datasetFromPoints([[0, 0]], [0], { classes: 2, classNames: ["a"] }),
      {
        field: "classNames",
        message:
          "datasetFromPoints: classNames must be an array of 2 names (one per class), got an array of length 1",
      },
    );
    assert.throws(
      () =>
        datasetFromPoints([[0, 0]], [2], {
          classes: 2,
          classNames: ["a", "b"],
        }),
      { field: "labels[0]" },
    );
    // A label no dataset can have is still the label's fault.
    assert.throws(
      () => datasetFromPoints([[0, 0]], [10], { classNames: ["a"] }),
      { field: "labels[0]", message: /from 0 to 9/ },
    );
    // Names for classes without points are fine.
    assert.equal(
      datasetFromPoints([[0, 0]], [0], { classNames: ["a", "b", "c"] }).classes,
      3,
    );
  });

  test("checkDataset refuses names that do not fit the dataset's classes", () => {
    const data = { x: [[0, 0], [1, 1]], y: [0, 1], classes: 2 };
    const cases: [unknown, string, RegExp][] = [
      [
        ["a"],
        "classNames",
        /classNames must be an array of 2 names \(one per class\)/,
      ],
      [["a", "a"], "classNames[1]", /a non-empty name used by no other class/],
      [["", "b"], "classNames[0]", /a non-empty name used by no other class/],
      [["a", 1], "classNames[1]", /a non-empty string, got the number 1/],
      ["ab", "classNames", /an array of 1 to 10 distinct, non-empty names/],
    ];
    for (const [classNames, field, message] of cases) {
      assert.throws(
        () => checkDataset({ ...data, classNames }, "trainTestSplit"),
        { field, message },
        field,
      );
    }
    const named = { ...data, classNames: ["a", "b"] };
    assert.equal(checkDataset(named, "trainTestSplit"), named);
  });

  test("a class label -0 becomes 0 (a class index has no sign)", () => {
    const data = datasetFromPoints([[0, 0], [1, 1]], [-0, 1]);
    assert.ok(Object.is(data.y[0], 0));
    const fit = datasetFromPoints([[0, 0]], [-0], { task: "regression" });
    assert.ok(Object.is(fit.y[0], -0), "a target keeps its sign");
  });
});
