/**
 * Evaluating a model over many points without a graph: `MLP.predict` point
 * by point (every weight read through its `Value`) against a
 * {@linkcode PackedModel} (the weights copied once into flat arrays), which
 * `evaluateGrid` and the Trainer's whole-set numbers use. The playground's
 * worker runs both every few reports: a 64 × 64 decision grid and the
 * training and test sets.
 *
 *   deno task bench:evaluate        (deno run bench/evaluate.ts)
 *   bun bench/evaluate.ts
 *
 * Prints a markdown table: for each model size, the median milliseconds
 * of each way over `--runs` runs (default 9, after two warm-up runs) and
 * their ratio. Before timing, it checks that both give the same numbers bit
 * for bit (a mismatch exits 1).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { MLP } from "../src/nn.ts";
import { PackedModel } from "../src/packed.ts";
import { markdownTable, median } from "./statistics.ts";

/** A model size and the points it is evaluated at. */
interface Case {
  name: string;
  hidden: number[];
  points: number;
}

const CASES: readonly Case[] = [
  { name: "demo 2-16-16-1, 64 × 64 grid", hidden: [16, 16], points: 4096 },
  {
    name: "8 × 32 hidden, 64 × 64 grid",
    hidden: [32, 32, 32, 32, 32, 32, 32, 32],
    points: 4096,
  },
  {
    name: "8 × 32 hidden, 1,000 points",
    hidden: [32, 32, 32, 32, 32, 32, 32, 32],
    points: 1000,
  },
];

/** Points spread over [-2, 2]², deterministic. */
function pointsOf(count: number): number[][] {
  const side = Math.ceil(Math.sqrt(count));
  return Array.from({ length: count }, (_, i) => [
    -2 + (4 * (i % side)) / side,
    -2 + (4 * Math.floor(i / side)) / side,
  ]);
}

function time(run: () => void, runs: number): number {
  for (let i = 0; i < 2; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { runs: { type: "string", default: "9" } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 1000) {
  console.error(`--runs must be an integer from 1 to 1000, got ${values.runs}`);
  process.exit(2);
}

const rows: string[][] = [];
for (const { name, hidden, points: count } of CASES) {
  const model = new MLP(2, [...hidden, 1], { init: "he", seed: 3 });
  const points = pointsOf(count);
  const packed = new PackedModel(model);
  for (const point of points) {
    const expected = model.predict(point)[0];
    if (!Object.is(packed.run(point)[0], expected)) {
      console.error(`bench: ${name}: PackedModel differs from predict`);
      process.exit(1);
    }
  }
  let sink = 0;
  const perPoint = time(() => {
    for (const point of points) sink += model.predict(point)[0];
  }, runs);
  const flat = time(() => {
    const pack = new PackedModel(model); // packing is part of the cost
    for (const point of points) sink += pack.run(point)[0];
  }, runs);
  if (Number.isNaN(sink)) console.error("(sink)");
  rows.push([
    name,
    perPoint.toFixed(1),
    flat.toFixed(1),
    `${(perPoint / flat).toFixed(1)}x`,
  ]);
}
console.log(
  markdownTable(
    ["model and points", "predict ms", "PackedModel ms", "speed-up"],
    rows,
    1,
  ),
);
