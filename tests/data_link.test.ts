/**
 * Your points in a link (playground/shared/data_link.ts): version 2 carries
 * them bit for bit (full precision, far outliers, regression targets, class
 * names), version-1 links of before open as they did
 * (tests/fixtures/data_link_v1.json, made by the version-1 encoder), points
 * too many for a link go to local storage under an id of their own (two
 * tabs keep both; at most four kept), and nothing a link or storage holds
 * makes the page throw.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import v1Links from "./fixtures/data_link_v1.json" with { type: "json" };
import {
  type DataStorage,
  decodeUserData,
  encodeUserData,
  linkable,
  MAX_LINK_LENGTH,
  MAX_LINK_POINTS,
  MAX_STORED_DATASETS,
  readLinkData,
  STORAGE_KEY,
  writeLinkData,
} from "../playground/shared/data_link.ts";
import {
  addPoint,
  emptyData,
  MAX_UPLOAD_POINTS,
  type UserData,
} from "../playground/shared/user_data.ts";
import { Rng } from "../src/random.ts";

const bounds = { xMin: -2, xMax: 2, yMin: -1.5, yMax: 1.5 };

/** A Map as local storage; `limit` characters in all, beyond which it is full. */
function memoryStorage(
  limit = Infinity,
): { storage: DataStorage; stored: Map<string, string> } {
  const stored = new Map<string, string>();
  const used = () =>
    [...stored].reduce((n, [k, v]) => n + k.length + v.length, 0);
  return {
    stored,
    storage: {
      getItem: (key) => stored.get(key) ?? null,
      setItem: (key, value) => {
        const before = stored.get(key);
        stored.set(key, value);
        if (used() > limit) {
          if (before === undefined) stored.delete(key);
          else stored.set(key, before);
          throw new DOMException("full", "QuotaExceededError");
        }
      },
      removeItem: (key) => void stored.delete(key),
    },
  };
}

/** `n` points of full precision (uploaded, not clicked). */
function uploaded(
  n: number,
  task: "classification" | "regression",
  seed = 1,
): UserData {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => [rng.normal(), rng.uniform(-1, 1)]);
  return {
    task,
    classes: task === "regression" ? 0 : 3,
    x,
    y: x.map(([a, b], i) => task === "regression" ? a * b - 0.1 : i % 3),
    test: x.map((_, i) => i % 5 === 0),
    bounds,
  };
}

/** `n` points clicked on the grid (rounded to a thousandth). */
function clicked(n: number): UserData {
  let data = emptyData("classification", bounds);
  for (let i = 0; i < n; i++) {
    data = addPoint(data, Math.sin(i) * 1.9, Math.cos(i * 1.3), i % 3, 0, 0.2);
  }
  return data;
}

function roundTrip(data: UserData): UserData {
  return decodeUserData(encodeUserData(data));
}

describe("version 2 carries the points bit for bit", () => {
  test("full-precision uploads, classification and regression", () => {
    for (const task of ["classification", "regression"] as const) {
      const data = uploaded(500, task);
      assert.deepEqual(roundTrip(data), data);
    }
    const one: UserData = {
      ...emptyData("classification", bounds),
      x: [[0.22991773564538395, -1e-300]],
      y: [1],
      test: [true],
    };
    assert.deepEqual(roundTrip(one), one);
  });

  test("one far outlier leaves the others as they are", () => {
    const x = Array.from({ length: 50 }, (_, i) => [i / 49, (i * 7 % 50) / 50]);
    x.push([100000, 0.5]);
    const data: UserData = {
      task: "classification",
      classes: 2,
      x,
      y: x.map((_, i) => i % 2),
      test: x.map((_, i) => i % 4 === 0),
      bounds: { xMin: -1, xMax: 100001, yMin: -1, yMax: 2 },
    };
    const back = roundTrip(data);
    assert.deepEqual(back, data);
    assert.equal(back.x[1][0], 1 / 49);
    // Version 1 collapsed them (kept in the fixture as it decoded then).
    const old = v1Links.links.find((link) => link.name.startsWith("outlier"))!;
    assert.equal(decodeUserData(old.text).x[1][0], 0);
  });

  test("regression targets, -0, extremes and subnormals", () => {
    const data: UserData = {
      task: "regression",
      classes: 0,
      x: [[-0, 0], [1e300, -1e-300], [5e-324, -Number.MAX_VALUE], [0.1, 0.2]],
      y: [-0, 1e12 + 0.5, Number.MIN_VALUE, 1 / 3],
      test: [false, true, false, true],
      bounds: { xMin: -0, xMax: Number.MAX_VALUE, yMin: -1e308, yMax: 1e-300 },
    };
    const back = roundTrip(data);
    assert.deepEqual(back, data);
    assert.ok(Object.is(back.x[0][0], -0) && Object.is(back.y[0], -0));
  });

  test("class names: unicode, commas, quotes, fewer names than classes", () => {
    const names = ["cat", 'dög, "big"', "猫 🐈", "a\tb\nc", "'", "-0"];
    const data: UserData = {
      ...clicked(30),
      classes: 7,
      classNames: names,
    };
    const back = roundTrip(data);
    assert.deepEqual(back, data);
    const one: UserData = { ...clicked(5), classNames: ["only"] };
    assert.deepEqual(roundTrip(one), one);
    const none: UserData = { ...clicked(5), classNames: [] };
    assert.deepEqual(roundTrip(none), none);
    // 255 bytes of UTF-8 fit a length byte.
    const long: UserData = {
      ...clicked(5),
      classNames: ["é".repeat(127) + "x"],
    };
    assert.deepEqual(roundTrip(long), long);
  });

  test("names a length byte cannot carry are refused, never cut", () => {
    const long: UserData = { ...clicked(5), classNames: ["é".repeat(128)] };
    assert.throws(() => encodeUserData(long), /not carried by a link/);
    const lone: UserData = { ...clicked(5), classNames: ["a\ud800"] };
    assert.throws(() => encodeUserData(lone), /not carried by a link/);
  });

  test("empty data, of both tasks", () => {
    for (const task of ["classification", "regression"] as const) {
      const data = emptyData(task, bounds);
      assert.deepEqual(roundTrip(data), data);
    }
  });

  test("1,000 clicked points take under 7,000 characters, 1,000 uploaded ones under the link's limit", () => {
    const data = clicked(1000);
    const text = encodeUserData(data);
    assert.ok(text.length < 7000, `${text.length} characters`);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeUserData(text), data);
    const full = uploaded(1000, "classification");
    const fullText = encodeUserData(full);
    assert.ok(fullText.length < 23_000, `${fullText.length} characters`);
    assert.deepEqual(decodeUserData(fullText), full);
  });

  test("the worst 1,000 points still fit a link: float64 targets and ten 255-byte names", () => {
    assert.equal(MAX_LINK_POINTS, 1000);
    const worst: UserData = {
      ...uploaded(1000, "classification"),
      classes: 10,
      classNames: Array.from({ length: 10 }, (_, k) => `${k}`.repeat(255)),
    };
    const regression = uploaded(1000, "regression");
    for (const data of [worst, regression]) {
      const { value, stored } = writeLinkData(data, null);
      assert.equal(stored, false);
      assert.ok(value!.length <= MAX_LINK_LENGTH, `${value!.length}`);
      assert.deepEqual(readLinkData(value, null), { data, notes: [] });
    }
  });

  test("linkable keeps the points as they are (a copy)", () => {
    const data = { ...uploaded(20, "regression") };
    const kept = linkable(data);
    assert.deepEqual(kept, data);
    assert.notEqual(kept.x[0], data.x[0]);
    const named = { ...clicked(3), classNames: ["cat", "dog"] };
    assert.deepEqual(linkable(named), named);
  });

  test("any valid points: decode(encode(d)) deep-equals d (property)", () => {
    const coordinate = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -3000, max: 3000 }).map((k) => k / 1000),
      fc.integer({ min: -1e6, max: 1e6 }),
    );
    const corners = fc.tuple(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ).filter(([a, b]) => a !== b).map(([a, b]) => a < b ? [a, b] : [b, a]);
    const names = fc.uniqueArray(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
      { maxLength: 10 },
    );
    const data: fc.Arbitrary<UserData> = fc.record({
      regression: fc.boolean(),
      classes: fc.integer({ min: 2, max: 10 }),
      rows: fc.array(
        fc.tuple(coordinate, coordinate, fc.nat(), coordinate, fc.boolean()),
        { maxLength: 50 },
      ),
      names: fc.option(names, { nil: undefined }),
      xs: corners,
      ys: corners,
    }).map(({ regression, classes, rows, names, xs, ys }) => {
      const points: UserData = {
        task: regression ? "regression" : "classification",
        classes: regression ? 0 : classes,
        x: rows.map(([x, y]) => [x, y]),
        y: rows.map(([, , label, target]) =>
          regression ? target : label % classes
        ),
        test: rows.map(([, , , , test]) => test),
        bounds: { xMin: xs[0], xMax: xs[1], yMin: ys[0], yMax: ys[1] },
      };
      if (!regression && names !== undefined) {
        points.classNames = names.slice(0, classes);
      }
      return points;
    });
    fc.assert(
      fc.property(data, (points) => {
        assert.deepEqual(roundTrip(points), points);
        const { storage } = memoryStorage();
        const { value } = writeLinkData(points, storage);
        assert.deepEqual(readLinkData(value, storage).data, points);
      }),
      { numRuns: 300 },
    );
  });
});

describe("version-1 links of before", () => {
  test("decode exactly as they did (fixture made by the version-1 code)", () => {
    assert.ok(v1Links.links.length >= 8);
    for (const { name, text, data } of v1Links.links) {
      assert.ok(text.startsWith("AQ"), `${name} is version 1`);
      assert.deepEqual(decodeUserData(text), data, name);
      assert.deepEqual(readLinkData(text, null), { data, notes: [] }, name);
      // And written again, today's format keeps them as they are.
      assert.deepEqual(roundTrip(data as UserData), data, name);
    }
  });
});

describe("local storage: points too many for a link", () => {
  test("more than 1,000 points are stored under an id of their content", () => {
    const { storage, stored } = memoryStorage();
    const more = uploaded(1001, "classification");
    const { value, stored: inStorage } = writeLinkData(more, storage);
    assert.equal(inStorage, true);
    const id = /^local-([0-9a-f]{8})$/.exec(value!)![1];
    assert.ok(stored.has(`${STORAGE_KEY}-${id}`));
    assert.deepEqual(JSON.parse(stored.get(`${STORAGE_KEY}-index`)!), [id]);
    assert.deepEqual(readLinkData(value, storage), { data: more, notes: [] });
    // The same points, the same id, with or without storage.
    assert.equal(writeLinkData(linkable(more), null).value, value);
    // Points that fit a link leave storage as it is (another tab's).
    const few = clicked(10);
    assert.deepEqual(writeLinkData(few, storage), {
      value: encodeUserData(few),
      stored: false,
    });
    assert.equal(stored.size, 2);
  });

  test("two tabs' datasets are kept under different ids, both readable", () => {
    const { storage } = memoryStorage();
    const first = uploaded(1500, "classification", 1);
    const second = uploaded(1500, "regression", 2);
    const a = writeLinkData(first, storage).value;
    const b = writeLinkData(second, storage).value;
    assert.notEqual(a, b);
    assert.deepEqual(readLinkData(a, storage).data, first);
    assert.deepEqual(readLinkData(b, storage).data, second);
  });

  test(`at most ${MAX_STORED_DATASETS} are kept: the least recently written is dropped`, () => {
    const { storage, stored } = memoryStorage();
    const sets = Array.from(
      { length: MAX_STORED_DATASETS + 1 },
      (_, k) => uploaded(1001, "classification", k + 1),
    );
    const values = sets.map((data) => writeLinkData(data, storage).value);
    assert.equal(new Set(values).size, sets.length);
    const dropped = readLinkData(values[0], storage);
    assert.equal(dropped.data, null);
    assert.match(dropped.notes[0], /not in this browser, or were dropped/);
    for (let k = 1; k < sets.length; k++) {
      assert.deepEqual(readLinkData(values[k], storage).data, sets[k]);
    }
    assert.equal(stored.size, MAX_STORED_DATASETS + 1, "and the index");
    // Writing one again makes it the newest: the next drop takes another.
    writeLinkData(sets[1], storage);
    writeLinkData(sets[0], storage);
    assert.deepEqual(readLinkData(values[1], storage).data, sets[1]);
    assert.equal(readLinkData(values[2], storage).data, null);
  });

  test("names a link cannot carry go to storage (as JSON), kept exactly", () => {
    const { storage } = memoryStorage();
    const named: UserData = {
      ...clicked(10),
      classNames: ["x".repeat(300), "a\ud800"],
    };
    const { value, stored } = writeLinkData(named, storage);
    assert.equal(stored, true);
    assert.match(value!, /^local-[0-9a-f]{8}$/);
    assert.deepEqual(readLinkData(value, storage), { data: named, notes: [] });
  });

  test("old links' data=local still read the single key of before", () => {
    const { storage, stored } = memoryStorage();
    const old = uploaded(1200, "classification");
    stored.set(STORAGE_KEY, JSON.stringify(old));
    assert.deepEqual(readLinkData("local", storage), { data: old, notes: [] });
    const tampered = readLinkData("local", {
      ...storage,
      getItem: () => '{"task":"classification","x":[[0,NaN]]}',
    });
    assert.equal(tampered.data, null);
    assert.match(tampered.notes[0], /could not be read/);
  });

  test("full or disabled storage never throws", () => {
    const big = uploaded(2000, "regression");
    const measure = memoryStorage();
    const first = writeLinkData(big, measure.storage).value!;
    const size = measure.stored.get(`${STORAGE_KEY}-${first.slice(6)}`)!.length;
    // Room for one dataset: the older one is dropped to make room.
    const { storage, stored } = memoryStorage(size * 1.5);
    assert.equal(writeLinkData(big, storage).value, first);
    assert.deepEqual(readLinkData(first, storage).data, big);
    const second = uploaded(2000, "regression", 9);
    const next = writeLinkData(second, storage).value;
    assert.equal(readLinkData(first, storage).data, null);
    assert.deepEqual(readLinkData(next, storage).data, second);
    assert.deepEqual(JSON.parse(stored.get(`${STORAGE_KEY}-index`)!), [
      next!.slice(6),
    ]);
    // No room at all: the value is still the link's, nothing thrown.
    const tiny = memoryStorage(10).storage;
    assert.equal(writeLinkData(big, tiny).value, first);
    assert.match(readLinkData(first, tiny).notes[0], /this browser/);
    const disabled: DataStorage = {
      getItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
      removeItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
    };
    assert.equal(writeLinkData(big, disabled).value, first);
    assert.match(readLinkData(first, disabled).notes[0], /this browser/);
    assert.match(readLinkData("local", disabled).notes[0], /this browser/);
  });

  test("a garbled index is read as none and written afresh", () => {
    const { storage, stored } = memoryStorage();
    stored.set(`${STORAGE_KEY}-index`, '{"not": "a list"');
    const data = uploaded(1001, "classification");
    const { value } = writeLinkData(data, storage);
    assert.deepEqual(readLinkData(value, storage).data, data);
    assert.deepEqual(JSON.parse(stored.get(`${STORAGE_KEY}-index`)!), [
      value!.slice("local-".length),
    ]);
  });
});

describe("links that cannot be read give a note, never an exception", () => {
  test(`more than ${MAX_UPLOAD_POINTS} points in a link are refused`, () => {
    const most = clicked(1);
    const many = (n: number): UserData => ({
      ...most,
      x: Array.from({ length: n }, (_, i) => [i / 1000, 0]),
      y: Array.from({ length: n }, (_, i) => i % 2),
      test: Array.from({ length: n }, () => false),
    });
    // A hand-made link of 10,000 is taken (the page then stores them).
    const allowed = many(MAX_UPLOAD_POINTS);
    assert.deepEqual(readLinkData(encodeUserData(allowed), null).data, allowed);
    const refused = readLinkData(
      encodeUserData(many(MAX_UPLOAD_POINTS + 1)),
      null,
    );
    assert.equal(refused.data, null);
    assert.match(
      refused.notes[0],
      /10001 points; the playground takes at most 10000/,
    );
    // A header claiming four billion points is refused before anything else.
    const header = new Uint8Array(40);
    const view = new DataView(header.buffer);
    view.setUint8(0, 2);
    view.setUint32(3, 0xffffffff, true);
    view.setFloat64(15, 1, true);
    view.setFloat64(31, 1, true);
    const text = btoa(String.fromCharCode(...header)).replaceAll("+", "-")
      .replaceAll("/", "_").replace(/=+$/, "");
    assert.match(readLinkData(text, null).notes[0], /4294967295 points/);
  });

  test("every cut of a link, and every changed character, gives points or a note", () => {
    const data = { ...clicked(40), classes: 4, classNames: ["a", "b", "é"] };
    const text = encodeUserData(data);
    for (let end = 0; end < text.length; end++) {
      const { data: read, notes } = readLinkData(text.slice(0, end), null);
      if (end < text.length - 1) {
        assert.equal(read, null, `cut at ${end}`);
        assert.equal(notes.length, 1);
        assert.match(notes[0], /could not be read/);
      }
    }
    const cut = readLinkData(text.slice(0, 60), null).notes[0];
    assert.match(cut, /cut short|length does not match/);
    fc.assert(
      fc.property(
        fc.nat(text.length - 1),
        fc.constantFrom(
          ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_!%",
        ),
        (at, character) => {
          const changed = text.slice(0, at) + character + text.slice(at + 1);
          const { data: read, notes } = readLinkData(changed, null);
          assert.equal(notes.length, read === null ? 1 : 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("any string at all", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const { data, notes } = readLinkData(value, null);
        assert.equal(notes.length, data === null ? 1 : 0);
      }),
      { numRuns: 300 },
    );
    for (
      const value of ["", "AAAA", "Ag", "AQ", "local-", "local-XYZ", "<script>"]
    ) {
      const { data, notes } = readLinkData(value, null);
      assert.equal(data, null, value);
      assert.match(notes[0], /could not be read/, value);
    }
  });

  test("a version-2 link with a class beyond its classes, or NaN, is refused", () => {
    const bad: UserData = { ...clicked(3), y: [0, 5, 1] };
    // The encoder refuses such points too; so build the link by hand from a good one.
    const text = encodeUserData({ ...bad, y: [0, 1, 1] });
    const bytes = Uint8Array.from(
      atob(text.replaceAll("-", "+").replaceAll("_", "/")),
      (c) => c.charCodeAt(0),
    );
    // Header 40, two quantizers 10, then point 1 at 55: x, y (4), class.
    assert.equal(bytes[40 + 10 + 5 + 4], 1);
    bytes[40 + 10 + 5 + 4] = 5;
    const edited = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
      .replaceAll("/", "_").replace(/=+$/, "");
    assert.match(readLinkData(edited, null).notes[0], /class 5 is not a class/);
    assert.throws(() => encodeUserData(bad), RangeError);
    const nan: UserData = { ...clicked(2), x: [[0, NaN], [1, 1]] };
    assert.throws(() => encodeUserData(nan), /points\[0\]\[1\]/);
  });
});
