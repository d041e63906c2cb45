/**
 * The benchmark: micrograd's demo and three harder workloads, each run with
 * the `Value` engine (a new graph every step), the compiled tape (one graph
 * recorded, then replayed) and a hand-written `Float64Array` baseline of the
 * same math (bench/baseline.ts).
 *
 *   deno run -A --v8-flags=--expose-gc bench/bench.ts   (deno task bench)
 *   bun bench/bench.ts                                  (bun run bench)
 *
 * (`--expose-gc` lets Deno force a collection for the heap before/after
 * columns; without it the benchmark still runs and says so.) With the demo
 * it also times the library's `Trainer` end to end, with and without the tape.
 *
 * Options:
 *   --json              one JSON object per line instead of the table
 *   --workload a,b      only these workloads (demo, large, minibatch, chain)
 *   --runs N            timed runs per engine (default: per workload)
 *   --soak [--steps N] [--engine value,compiled]
 *                       memory check instead: the large workload for N steps
 *                       (default 1000) with the tape and/or the Value engine,
 *                       printing the heap before, at its peak and after
 *
 * Before any time is printed, every engine's loss at every step is checked
 * against the Value engine's (the tape must match to 1e-12, the baseline to
 * 1e-9: it adds the same terms in a different order); a mismatch exits 1.
 * The value/compiled engines run the library's own `MLP`, `lossFromTargets`,
 * `l2Penalty`, `SGD` and `learningRateAt`, so this measures what users run.
 *
 * @module
 */

import process from "node:process";
import { readFileSync } from "node:fs";
import { compile } from "../src/compile.ts";
import { topologicalOrder, Value } from "../src/engine.ts";
import { makeMoons } from "../src/data.ts";
import { MLP } from "../src/nn.ts";
import { encodeTargets, l2Penalty, lossFromTargets } from "../src/loss.ts";
import { SGD } from "../src/optim.ts";
import { learningRateAt } from "../src/schedule.ts";
import { Rng } from "../src/random.ts";
import { Trainer } from "../src/train.ts";
import { BaselineMLP, chainBaseline } from "./baseline.ts";

// ---------------------------------------------------------------------------
// Workloads

type EngineName = "value" | "compiled" | "baseline";
const ENGINES: readonly EngineName[] = ["value", "compiled", "baseline"];

interface TrainingWorkload {
  kind: "training";
  name: string;
  description: string;
  points: number;
  hidden: number[];
  steps: number;
  /** null = full batch */
  batchSize: number | null;
  runs: number;
}
interface ChainWorkload {
  kind: "chain";
  name: string;
  description: string;
  nodes: number;
  steps: number;
  runs: number;
}
type Workload = TrainingWorkload | ChainWorkload;

const L2 = 1e-4;
const MODEL_SEED = 1337;
const DATA_SEED = 0;
const BATCH_SEED = 7;

const WORKLOADS: Workload[] = [
  {
    kind: "training",
    name: "demo",
    description:
      "micrograd's demo: 100 moons, MLP 2-16-16-1, hinge + L2, full batch",
    points: 100,
    hidden: [16, 16],
    steps: 100,
    batchSize: null,
    runs: 9,
  },
  {
    kind: "training",
    name: "large",
    description: "1,000 moons, MLP 2-64-64-1, full batch",
    points: 1000,
    hidden: [64, 64],
    steps: 10,
    batchSize: null,
    runs: 3,
  },
  {
    kind: "training",
    name: "minibatch",
    description: "100 moons, MLP 2-16-16-1, minibatches of 32",
    points: 100,
    hidden: [16, 16],
    steps: 100,
    batchSize: 32,
    runs: 9,
  },
  {
    kind: "chain",
    name: "chain",
    description: "forward + backward() on a 1,000,000-node chain",
    nodes: 1_000_000,
    steps: 3,
    runs: 3,
  },
];

// ---------------------------------------------------------------------------
// Measuring

/** Force a full collection if the runtime lets us (Bun always; Deno with --expose-gc). */
function collectGarbage(): boolean {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun) {
    bun.gc(true);
    return true;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
    return true;
  }
  return false;
}

function heapMB(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Heap bytes per `Value` made by a binary operation (`a.mul(b)`), its inputs
 * array included: a million of them, measured between two full collections
 * (the array that keeps them alive is allocated before the first).
 */
function bytesPerNode(): number {
  const count = 1_000_000;
  const a = new Value(1), b = new Value(2);
  const kept = new Array<Value>(count);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) kept[i] = a.mul(b);
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  return (after - before) / kept.length;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What one run of one engine on one workload did. */
interface RunResult {
  losses: number[];
  /** Wall time of the steps, excluding `setupMilliseconds`. */
  stepMilliseconds: number;
  /** One-off work before the first step (graph recording + compile). */
  setupMilliseconds: number;
  /** Graph nodes per step: built (value) or replayed (compiled); 0 for baseline. */
  nodesPerStep: number;
  /** Largest heap seen right after a backward pass (only when sampling). */
  peakHeapMB: number;
}

/**
 * Run `steps` training steps; `sampleHeap` adds a heap reading per step
 * (untimed runs only); `afterStep` is called after each step with the model
 * still alive (the memory soak uses it).
 */
type Runner = (
  steps: number,
  sampleHeap: boolean,
  afterStep?: (step: number) => void,
) => RunResult;

// ---------------------------------------------------------------------------
// Training workloads with the three engines

interface TrainingSetup {
  inputs: number[][];
  labels: number[];
  /** Rows of every step's batch, drawn up front so all engines see the same. */
  batches: Int32Array[];
  batchSize: number;
}

function prepareTraining(w: TrainingWorkload, steps: number): TrainingSetup {
  const data = makeMoons(w.points, { noise: 0.1, seed: DATA_SEED });
  const batchSize = w.batchSize ?? w.points;
  const rng = new Rng(BATCH_SEED);
  const all = Int32Array.from(data.x.keys());
  const batches: Int32Array[] = [];
  for (let k = 0; k < steps; k++) {
    if (w.batchSize === null) {
      batches.push(all);
    } else {
      // micrograd: np.random.permutation(n)[:batch_size]
      const order = rng.shuffle(Array.from(data.x.keys()));
      batches.push(Int32Array.from(order.slice(0, batchSize)));
    }
  }
  return { inputs: data.x, labels: data.y, batches, batchSize };
}

function newModel(w: TrainingWorkload): MLP {
  return new MLP(2, [...w.hidden, 1], { seed: MODEL_SEED });
}

/** micrograd's objective: mean hinge loss + α Σ p², as the library builds it. */
function objective(model: MLP, scores: Value[][], targets: Value[][]): Value {
  return lossFromTargets("hinge", scores, targets).add(
    l2Penalty(model.parameters(), L2),
  );
}

function valueRunner(w: TrainingWorkload, setup: TrainingSetup): Runner {
  const targetNumbers = encodeTargets("hinge", setup.labels, 1);
  return (steps, sampleHeap, afterStep) => {
    const model = newModel(w);
    const parameters = model.parameters();
    const optimizer = new SGD(parameters, { learningRate: 1.0 });
    const losses: number[] = [];
    let nodesPerStep = 0, peakHeapMB = 0;
    const start = performance.now();
    for (let k = 0; k < steps; k++) {
      const rows = setup.batches[k];
      const scores: Value[][] = [];
      const targets: Value[][] = [];
      for (const row of rows) {
        scores.push(model.forward(setup.inputs[row]));
        targets.push([new Value(targetNumbers[row][0])]);
      }
      const loss = objective(model, scores, targets);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step(learningRateAt("linear", 1.0, k, steps));
      losses.push(loss.data);
      if (sampleHeap) {
        peakHeapMB = Math.max(peakHeapMB, heapMB());
        if (k === 0) nodesPerStep = topologicalOrder(loss).length;
      }
      afterStep?.(k);
    }
    return {
      losses,
      stepMilliseconds: performance.now() - start,
      setupMilliseconds: 0,
      nodesPerStep,
      peakHeapMB,
    };
  };
}

function compiledRunner(w: TrainingWorkload, setup: TrainingSetup): Runner {
  const targetNumbers = encodeTargets("hinge", setup.labels, 1);
  return (steps, sampleHeap, afterStep) => {
    const setupStart = performance.now();
    const model = newModel(w);
    const parameters = model.parameters();
    const optimizer = new SGD(parameters, { learningRate: 1.0 });
    // Record one graph over leaf Values for the batch's inputs and targets;
    // every step writes the new batch into them and replays.
    const inputs = Array.from(
      { length: setup.batchSize },
      () => [new Value(0), new Value(0)],
    );
    const targets = Array.from(
      { length: setup.batchSize },
      () => [new Value(0)],
    );
    const tape = compile(
      objective(model, inputs.map((x) => model.forward(x)), targets),
    );
    const setupMilliseconds = performance.now() - setupStart;
    const losses: number[] = [];
    let peakHeapMB = 0;
    const start = performance.now();
    for (let k = 0; k < steps; k++) {
      const rows = setup.batches[k];
      for (let s = 0; s < rows.length; s++) {
        const x = setup.inputs[rows[s]];
        inputs[s][0].data = x[0];
        inputs[s][1].data = x[1];
        targets[s][0].data = targetNumbers[rows[s]][0];
      }
      optimizer.zeroGrad();
      const loss = tape.forward();
      tape.backward();
      optimizer.step(learningRateAt("linear", 1.0, k, steps));
      losses.push(loss);
      if (sampleHeap) peakHeapMB = Math.max(peakHeapMB, heapMB());
      afterStep?.(k);
    }
    return {
      losses,
      stepMilliseconds: performance.now() - start,
      setupMilliseconds,
      nodesPerStep: tape.nodeCount,
      peakHeapMB,
    };
  };
}

function baselineRunner(w: TrainingWorkload, setup: TrainingSetup): Runner {
  const n = setup.inputs.length;
  const inputs = new Float64Array(n * 2);
  const targets = new Float64Array(n);
  setup.inputs.forEach(([a, b], i) => {
    inputs[2 * i] = a;
    inputs[2 * i + 1] = b;
  });
  setup.labels.forEach((label, i) => (targets[i] = label === 1 ? 1 : -1));
  return (steps, sampleHeap) => {
    const setupStart = performance.now();
    // Same initial weights as the library's MLP with the same seed.
    const network = new BaselineMLP(
      newModel(w).layers.map((layer, l, layers) => {
        const fanIn = layer.neurons[0].weights.length;
        const size = layer.neurons.length;
        const weights = new Float64Array(size * fanIn);
        const biases = new Float64Array(size);
        layer.neurons.forEach((neuron, j) => {
          neuron.weights.forEach((v, i) => (weights[j * fanIn + i] = v.data));
          biases[j] = neuron.bias.data;
        });
        return { fanIn, size, weights, biases, relu: l < layers.length - 1 };
      }),
    );
    const setupMilliseconds = performance.now() - setupStart;
    const losses: number[] = [];
    let peakHeapMB = 0;
    const start = performance.now();
    for (let k = 0; k < steps; k++) {
      losses.push(
        network.lossAndGradient(inputs, targets, setup.batches[k], L2),
      );
      network.sgdStep(learningRateAt("linear", 1.0, k, steps));
      if (sampleHeap) peakHeapMB = Math.max(peakHeapMB, heapMB());
    }
    return {
      losses,
      stepMilliseconds: performance.now() - start,
      setupMilliseconds,
      nodesPerStep: 0,
      peakHeapMB,
    };
  };
}

// ---------------------------------------------------------------------------
// The chain: v = x, then alternately v·a and v + b, 1,000,000 nodes in all.

const CHAIN_X = 0.5, CHAIN_A = 0.9999, CHAIN_B = 0.0001;

function chainRunners(w: ChainWorkload): Record<EngineName, Runner> {
  const operations = w.nodes - 3; // x, a and b are the other three nodes
  const build = (x: Value, a: Value, b: Value): Value => {
    let v = x;
    for (let i = 0; i < operations; i++) v = i % 2 === 0 ? v.mul(a) : v.add(b);
    return v;
  };
  // The "loss" compared across engines: the chain's value plus its gradients.
  const summary = (v: number, gx: number, ga: number, gb: number): number =>
    v + gx + ga + gb;
  return {
    value: (steps, sampleHeap) => {
      const losses: number[] = [];
      let nodesPerStep = 0, peakHeapMB = 0;
      const start = performance.now();
      for (let k = 0; k < steps; k++) {
        const x = new Value(CHAIN_X), a = new Value(CHAIN_A);
        const b = new Value(CHAIN_B);
        const root = build(x, a, b);
        root.backward();
        losses.push(summary(root.data, x.grad, a.grad, b.grad));
        if (sampleHeap) {
          peakHeapMB = Math.max(peakHeapMB, heapMB());
          if (k === 0) nodesPerStep = topologicalOrder(root).length;
        }
      }
      return {
        losses,
        stepMilliseconds: performance.now() - start,
        setupMilliseconds: 0,
        nodesPerStep,
        peakHeapMB,
      };
    },
    compiled: (steps, sampleHeap) => {
      const setupStart = performance.now();
      const x = new Value(CHAIN_X), a = new Value(CHAIN_A);
      const b = new Value(CHAIN_B);
      const tape = compile(build(x, a, b));
      const setupMilliseconds = performance.now() - setupStart;
      const losses: number[] = [];
      let peakHeapMB = 0;
      const start = performance.now();
      for (let k = 0; k < steps; k++) {
        x.grad = a.grad = b.grad = 0;
        const v = tape.forward();
        tape.backward();
        losses.push(summary(v, x.grad, a.grad, b.grad));
        if (sampleHeap) peakHeapMB = Math.max(peakHeapMB, heapMB());
      }
      return {
        losses,
        stepMilliseconds: performance.now() - start,
        setupMilliseconds,
        nodesPerStep: tape.nodeCount,
        peakHeapMB,
      };
    },
    baseline: (steps, sampleHeap) => {
      const values = new Float64Array(operations);
      const gradients = new Float64Array(3);
      const losses: number[] = [];
      let peakHeapMB = 0;
      const start = performance.now();
      for (let k = 0; k < steps; k++) {
        gradients.fill(0);
        const v = chainBaseline(
          CHAIN_X,
          CHAIN_A,
          CHAIN_B,
          operations,
          values,
          gradients,
        );
        losses.push(summary(v, gradients[0], gradients[1], gradients[2]));
        if (sampleHeap) peakHeapMB = Math.max(peakHeapMB, heapMB());
      }
      return {
        losses,
        stepMilliseconds: performance.now() - start,
        setupMilliseconds: 0,
        nodesPerStep: 0,
        peakHeapMB,
      };
    },
  };
}

function runnersFor(w: Workload): Record<EngineName, Runner> {
  if (w.kind === "chain") return chainRunners(w);
  const setup = prepareTraining(w, w.steps);
  return {
    value: valueRunner(w, setup),
    compiled: compiledRunner(w, setup),
    baseline: baselineRunner(w, setup),
  };
}

// ---------------------------------------------------------------------------
// Checking and timing

interface Row {
  workload: string;
  engine: EngineName;
  msPerStep: number;
  ratioToBaseline: number;
  nodesPerStep: number;
  heapMB: number;
  loss: number;
  setupMs: number;
  heapBeforeMB: number;
  heapAfterMB: number;
}

/** Losses must agree step by step, or the timings compare different work. */
function checkLosses(
  workload: string,
  reference: number[],
  engine: EngineName,
  losses: number[],
): void {
  const tolerance = engine === "compiled" ? 1e-12 : 1e-9;
  for (let k = 0; k < reference.length; k++) {
    const expected = reference[k], actual = losses[k];
    const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    if (!(error <= tolerance)) {
      throw new Error(
        `bench: ${workload}: the ${engine} engine's loss at step ${k} is ${actual}, ` +
          `the value engine's is ${expected} (relative error ${error} > ${tolerance}); ` +
          `timings would compare different computations, so none are printed`,
      );
    }
  }
}

function benchmark(w: Workload, runsOverride: number | null): Row[] {
  const runners = runnersFor(w);
  const runs = runsOverride ?? w.runs;
  // 1. Check run (also the warm-up): every engine, heap sampled, losses compared.
  const checks = {} as Record<
    EngineName,
    { result: RunResult; before: number; after: number }
  >;
  for (const engine of ENGINES) {
    collectGarbage();
    const before = heapMB();
    const result = runners[engine](w.steps, true);
    collectGarbage();
    const after = heapMB();
    checks[engine] = { result, before, after };
  }
  for (const engine of ENGINES) {
    checkLosses(
      w.name,
      checks.value.result.losses,
      engine,
      checks[engine].result.losses,
    );
  }
  // 2. One more untimed run each: a forced GC can throw away V8's optimized
  // code, so the timed runs below force none.
  for (const engine of ENGINES) runners[engine](w.steps, false);
  // 3. Timed runs, engines interleaved so drift in machine load hits all.
  const times: Record<EngineName, number[]> = {
    value: [],
    compiled: [],
    baseline: [],
  };
  const setups: Record<EngineName, number[]> = {
    value: [],
    compiled: [],
    baseline: [],
  };
  for (let r = 0; r < runs; r++) {
    for (const engine of ENGINES) {
      const result = runners[engine](w.steps, false);
      times[engine].push(result.stepMilliseconds / w.steps);
      setups[engine].push(result.setupMilliseconds);
    }
  }
  const baselineMs = median(times.baseline);
  return ENGINES.map((engine) => {
    const { result, before, after } = checks[engine];
    const msPerStep = median(times[engine]);
    return {
      workload: w.name,
      engine,
      msPerStep,
      ratioToBaseline: msPerStep / baselineMs,
      nodesPerStep: result.nodesPerStep,
      heapMB: result.peakHeapMB,
      loss: result.losses[result.losses.length - 1],
      setupMs: median(setups[engine]),
      heapBeforeMB: before,
      heapAfterMB: after,
    };
  });
}

// ---------------------------------------------------------------------------
// Output

function runtimeDescription(): string {
  const global = globalThis as {
    Bun?: { version: string };
    Deno?: { version: { deno: string; v8: string } };
  };
  if (global.Bun) return `Bun ${global.Bun.version}`;
  if (global.Deno) {
    return `Deno ${global.Deno.version.deno} (V8 ${global.Deno.version.v8})`;
  }
  return `Node ${process.version}`;
}

function cpuDescription(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const model = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? "unknown CPU";
    return `${model}, ${navigator.hardwareConcurrency} logical cores`;
  } catch {
    return `${navigator.hardwareConcurrency} logical cores`;
  }
}

function formatNumber(x: number, digits: number): string {
  return x.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function printTable(rows: Row[], gcAvailable: boolean): void {
  const header = [
    "workload",
    "engine",
    "ms/step",
    "× baseline",
    "setup ms",
    "nodes/step",
    "heap peak MB",
    "heap before → after MB",
    "final loss",
  ];
  const lines = rows.map((r) => [
    r.workload,
    r.engine,
    formatNumber(r.msPerStep, r.msPerStep < 1 ? 4 : 2),
    formatNumber(r.ratioToBaseline, 1),
    formatNumber(r.setupMs, 1),
    formatNumber(r.nodesPerStep, 0),
    formatNumber(r.heapMB, 1),
    `${formatNumber(r.heapBeforeMB, 1)} → ${formatNumber(r.heapAfterMB, 1)}`,
    r.loss.toPrecision(12),
  ]);
  console.log(`| ${header.join(" | ")} |`);
  console.log(
    `| ${header.map((_header, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`,
  );
  for (const line of lines) console.log(`| ${line.join(" | ")} |`);
  console.log();
  console.log(
    "ms/step: median over timed runs after a checked warm-up run; the compiled tape's one-off " +
      "recording + compile is the setup column, not in ms/step. nodes/step: graph nodes built " +
      "(value) or replayed (compiled). heap peak: largest heap in use right after a backward " +
      "pass." +
      (gcAvailable
        ? " before/after: after a forced GC."
        : " No forced GC available (run Deno with --v8-flags=--expose-gc): before/after include garbage."),
  );
}

// ---------------------------------------------------------------------------
// End to end: the library's Trainer on its defaults (micrograd's demo), as
// the CLI and the playground run it -- accuracy and bookkeeping included.

interface TrainerResult {
  compile: boolean;
  msPerStep: number;
  steps: number;
  loss: number;
  trainAccuracy: number;
}

function benchmarkTrainer(runs: number): TrainerResult[] {
  const once = (compile: boolean) => {
    const trainer = new Trainer({ compile });
    const steps = trainer.config.steps;
    const start = performance.now();
    let last = trainer.step();
    for (let k = 1; k < steps; k++) last = trainer.step();
    return { ms: (performance.now() - start) / steps, last, steps };
  };
  return [false, true].map((compile) => {
    once(compile); // warm-up
    const times: number[] = [];
    let result = once(compile);
    for (let r = 0; r < runs; r++) {
      result = once(compile);
      times.push(result.ms);
    }
    return {
      compile,
      msPerStep: median(times),
      steps: result.steps,
      loss: result.last.loss,
      trainAccuracy: result.last.trainAccuracy,
    };
  });
}

// ---------------------------------------------------------------------------
// Memory soak: does training for many steps grow the heap?

function soak(
  steps: number,
  engines: readonly ("value" | "compiled")[],
  json: boolean,
): void {
  const w = WORKLOADS.find((x) => x.name === "large") as TrainingWorkload;
  const setup = prepareTraining(w, steps);
  for (const engine of engines) {
    const runner = engine === "value"
      ? valueRunner(w, setup)
      : compiledRunner(w, setup);
    collectGarbage();
    const before = heapMB();
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    // Heap after a forced GC at ten points during training, with the model
    // (and the tape) alive: if graphs of earlier steps were kept, it grows.
    const probes: { step: number; heapMB: number }[] = [];
    const every = Math.max(1, Math.floor(steps / 10));
    const start = performance.now();
    const result = runner(steps, true, (k) => {
      if (k === 0 || (k + 1) % every === 0) {
        collectGarbage();
        probes.push({ step: k + 1, heapMB: heapMB() });
      }
    });
    const seconds = (performance.now() - start) / 1000;
    collectGarbage();
    const after = heapMB();
    const rss = process.memoryUsage().rss / 2 ** 20;
    const line = {
      workload: `large-soak`,
      engine,
      steps,
      seconds,
      heapBeforeMB: before,
      heapPeakMB: result.peakHeapMB,
      heapAfterMB: after,
      heapDuringTrainingMB: probes,
      rssBeforeMB: rssBefore,
      rssAfterMB: rss,
      loss: result.losses[result.losses.length - 1],
    };
    if (json) {
      console.log(JSON.stringify(line));
    } else {
      console.log(
        `${engine}: ${steps} steps of the large workload in ${
          seconds.toFixed(1)
        } s; heap ${before.toFixed(1)} MB before, peak ${
          result.peakHeapMB.toFixed(1)
        } MB, ${after.toFixed(1)} MB after (RSS ${rssBefore.toFixed(0)} → ${
          rss.toFixed(0)
        } MB); final loss ${line.loss}`,
      );
      console.log(
        `  heap after GC during training (step: MB): ${
          probes.map((p) => `${p.step}: ${p.heapMB.toFixed(1)}`).join(", ")
        }`,
      );
    }
  }
}

// ---------------------------------------------------------------------------

const FLAGS = ["--json", "--soak"];
const OPTIONS = ["--workload", "--runs", "--steps", "--engine"];

function main(args: string[]): void {
  for (let i = 0; i < args.length; i++) {
    if (OPTIONS.includes(args[i]) && i + 1 < args.length) {
      i++; // its value
    } else if (!FLAGS.includes(args[i])) {
      throw new RangeError(
        `bench: unknown or incomplete argument ${JSON.stringify(args[i])}; ` +
          `flags: ${FLAGS.join(" ")}; options with a value: ${
            OPTIONS.join(" ")
          }`,
      );
    }
  }
  const json = args.includes("--json");
  const option = (name: string): string | null => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : null;
  };
  const runsText = option("--runs");
  const runs = runsText === null ? null : Number(runsText);
  if (runs !== null && !(Number.isInteger(runs) && runs >= 1)) {
    throw new RangeError(
      `bench: --runs must be a positive integer, got ${runsText}`,
    );
  }
  const gcAvailable = collectGarbage();
  if (args.includes("--soak")) {
    const stepsText = option("--steps") ?? "1000";
    const steps = Number(stepsText);
    if (!(Number.isInteger(steps) && steps >= 1)) {
      throw new RangeError(
        `bench: --steps must be a positive integer, got ${stepsText}`,
      );
    }
    const engineText = option("--engine") ?? "compiled,value";
    const engines = engineText.split(",");
    for (const engine of engines) {
      if (engine !== "value" && engine !== "compiled") {
        throw new RangeError(
          `bench: --engine must list value and/or compiled, got ${engineText}`,
        );
      }
    }
    if (!json) console.log(`${runtimeDescription()} on ${cpuDescription()}`);
    soak(steps, engines as ("value" | "compiled")[], json);
    return;
  }
  const names = option("--workload")?.split(",") ??
    WORKLOADS.map((w) => w.name);
  for (const name of names) {
    if (!WORKLOADS.some((w) => w.name === name)) {
      throw new RangeError(
        `bench: unknown workload ${JSON.stringify(name)}; choose from ${
          WORKLOADS.map((w) => w.name).join(", ")
        }`,
      );
    }
  }
  if (!json) {
    console.log(`${runtimeDescription()} on ${cpuDescription()}`);
    for (const w of WORKLOADS) {
      if (names.includes(w.name)) {
        console.log(`  ${w.name}: ${w.description}, ${w.steps} steps`);
      }
    }
    console.log();
  }
  const rows: Row[] = [];
  for (const w of WORKLOADS) {
    if (!names.includes(w.name)) continue;
    rows.push(...benchmark(w, runs));
  }
  // Printed only now, after every workload's losses were checked.
  if (json) {
    for (const row of rows) console.log(JSON.stringify(row));
    return;
  }
  printTable(rows, gcAvailable);
  if (gcAvailable) {
    console.log(
      `\nA Value made by a binary operation costs ${
        Math.round(bytesPerNode())
      } bytes of heap, its inputs array included.`,
    );
  }
  if (names.includes("demo")) {
    console.log();
    console.log(
      "End to end, the library's Trainer with its defaults (micrograd's demo, accuracy and stats included):",
    );
    for (const r of benchmarkTrainer(runs ?? 3)) {
      console.log(
        `  compile: ${r.compile}: ${
          formatNumber(r.msPerStep, 3)
        } ms/step, ${r.steps} steps in ${
          formatNumber((r.msPerStep * r.steps) / 1000, 3)
        } s; final loss ${
          r.loss.toPrecision(6)
        }, train accuracy ${r.trainAccuracy}`,
      );
    }
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
