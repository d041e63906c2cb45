// The lecture notebooks (notebooks/*.ipynb), executed with Deno's Jupyter
// kernel by .ci/run_notebooks.py (Debian's python3-nbclient, run with
// /usr/bin/python3), offline: no cell raises, the lecture's numbers come out,
// the demo learns, graphs and plots are drawn inline, the committed outputs
// match a fresh execution, and the notebooks' code type-checks.
//
// Deno only: Bun and Node run this file too (it is a *.test.ts), but the
// notebooks need the Deno kernel, and executing them three times would only
// triple the time.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PYTHON = "/usr/bin/python3";
const NOTEBOOKS = readdirSync(join(ROOT, "notebooks"))
  .filter((name) => name.endsWith(".ipynb"))
  .sort();

/** The parts of a notebook this test reads. */
interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
}

const joined = (text: string | string[] | undefined): string =>
  Array.isArray(text) ? text.join("") : text ?? "";

function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}

/** All the text a notebook shows: printed lines and text results. */
function shownText(notebook: Notebook): string {
  const parts: string[] = [];
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      parts.push(joined(output.text), joined(output.data?.["text/plain"]));
    }
  }
  return parts.join("\n");
}

/** A line that reports a duration (differs between runs). */
const TIMING = /\bms\b|x faster/;

/**
 * What must not change between two executions of a cell: its outputs' kinds
 * and MIME types, their text without timing lines, and the library's own
 * pictures exactly (Plot's charts: their kind only; a cell that reports
 * timings: its text only).
 */
function comparable(cell: Cell): unknown[] {
  return (cell.outputs ?? []).map((output) => {
    const text = [joined(output.text), joined(output.data?.["text/plain"])]
      .join("")
      .split("\n")
      .filter((line) => !TIMING.test(line))
      .join("\n");
    const svg = joined(output.data?.["image/svg+xml"]);
    return {
      type: output.output_type,
      mime: Object.keys(output.data ?? {}).sort(),
      text,
      svg: svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width=')
        ? svg
        : "",
    };
  });
}

const inDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

/**
 * Run a program to completion (Deno's own API: node:child_process in Deno
 * rewrites a command line that mentions the deno binary).
 */
function run(
  command: string,
  args: string[],
  timeoutSeconds = 600,
): { status: number; stdout: string; stderr: string } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutSeconds * 1000);
  try {
    const result = new Deno.Command(command, {
      args,
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      signal: controller.signal,
    }).outputSync();
    const decoder = new TextDecoder();
    return {
      status: result.code,
      stdout: decoder.decode(result.stdout),
      stderr: decoder.decode(result.stderr),
    };
  } catch (error) {
    return { status: -1, stdout: "", stderr: String(error) };
  } finally {
    clearTimeout(timer);
  }
}

if (!inDeno) {
  it("the lecture notebooks execute under deno test only", {
    skip: "Deno only: the notebooks run on Deno's Jupyter kernel",
  }, () => {});
}

describe("the lecture notebooks", { skip: !inDeno }, () => {
  const executed = new Map<string, Notebook>();
  const committed = new Map<string, Notebook>();
  let report = "";

  before(() => {
    const probe = run(PYTHON, ["-c", "import nbclient, nbformat"]);
    assert.equal(
      probe.status,
      0,
      `${PYTHON} cannot import nbclient, so the notebooks cannot be executed: ` +
        `install Debian's python3-nbclient (apt-get install -y python3-nbclient). ${probe.stderr}`,
    );
    const out = mkdtempSync(join(tmpdir(), "micrograd-notebooks-"));
    const execution = run(PYTHON, [
      join(ROOT, ".ci", "run_notebooks.py"),
      "--deno",
      Deno.execPath(),
      "--out",
      out,
    ]);
    report = `${execution.stdout}\n${execution.stderr}`;
    assert.ok(
      execution.stdout.includes('"notebook"'),
      `run_notebooks.py did not run:\n${report}`,
    );
    for (const name of NOTEBOOKS) {
      executed.set(name, readNotebook(join(out, name)));
      committed.set(name, readNotebook(join(ROOT, "notebooks", name)));
    }
  });

  it("executes every notebook without a cell raising", () => {
    assert.ok(NOTEBOOKS.length >= 4, `notebooks: ${NOTEBOOKS.join(", ")}`);
    for (const [name, notebook] of executed) {
      notebook.cells.forEach((cell, index) => {
        for (const output of cell.outputs ?? []) {
          assert.notEqual(
            output.output_type,
            "error",
            `${name}, cell ${index}: ${output.ename}: ${output.evalue}\n${report}`,
          );
        }
        if (cell.cell_type === "code") {
          assert.ok(
            (cell as { execution_count?: number }).execution_count,
            `${name}, cell ${index} did not run`,
          );
        }
      });
    }
  });

  it("1: the slope of f and the sensitivities of a*b + c", () => {
    const text = shownText(executed.get("01_derivatives.ipynb")!);
    assert.match(text, /x = 3\.0000 {3}estimate 14\.0003 {3}exact 14\.0000/);
    assert.match(text, /dd\/da ≈ -3\.0000/);
    assert.match(text, /dd\/db ≈ 2\.0000/);
    assert.match(text, /dd\/dc ≈ 1\.0000/);
  });

  it("2: the lecture's gradients, the neuron, a + a, and micrograd's test values", () => {
    const text = shownText(executed.get("02_value_and_backprop.ipynb")!);
    assert.match(text, /a\.grad = -3, b\.grad = 2, c\.grad = 1/);
    assert.match(text, /o = 0\.7071/);
    assert.match(text, /x1\.grad = -1\.5/);
    assert.match(text, /a\.grad = 2\b/); // a + a
    assert.match(text, /a\.grad = -3, b\.grad = -8/);
    assert.match(text, /sanity check: y = -20, x\.grad = 46\b/);
    assert.match(text, /more ops: g = 24\.7040816326530/);
    assert.match(
      text,
      /a\.grad = 138\.8338192419825\d*, b\.grad = 645\.577259475218\d*/,
    );
  });

  it("3: the MLP's loss falls step by step on the lecture's four examples", () => {
    const text = shownText(executed.get("03_mlp.ipynb")!);
    const losses = [...text.matchAll(/step (\d+): loss ([\d.]+)/g)]
      .map((match) => Number(match[2]));
    assert.equal(losses.length, 20);
    assert.ok(losses[19] < 0.05 && losses[19] < losses[0] / 10, `${losses}`);
  });

  it("4: micrograd's demo prints its 100-step log and reaches accuracy >= 0.97", () => {
    const text = shownText(executed.get("04_micrograd_demo.ipynb")!);
    const steps = [
      ...text.matchAll(/step (\d+) loss ([\d.e-]+), accuracy ([\d.]+)%/g),
    ];
    assert.equal(steps.length, 100);
    assert.equal(steps[99][1], "99");
    const accuracy = Number(steps[99][3]) / 100;
    assert.ok(accuracy >= 0.97, `final accuracy ${accuracy}`);
    assert.match(text, /too large to draw|after training/);
  });

  it("draws every Value and MLP left as a cell's result, and every plot, inline", () => {
    let graphs = 0, networks = 0, plots = 0;
    for (const [name, notebook] of executed) {
      notebook.cells.forEach((cell, index) => {
        for (const output of cell.outputs ?? []) {
          if (output.output_type !== "execute_result") continue;
          const plain = joined(output.data?.["text/plain"]);
          const svg = joined(output.data?.["image/svg+xml"]) ||
            joined(output.data?.["text/html"]);
          const where = `${name}, cell ${index}`;
          if (plain.startsWith("Value(") || plain.startsWith("MLP of")) {
            assert.match(
              svg,
              /^<svg /,
              `${where} shows a ${plain.slice(0, 5)} without its picture`,
            );
            if (plain.startsWith("Value(")) graphs++;
            else networks++;
          } else if (joined(cell.source).includes("plot(")) {
            assert.match(svg, /^<svg /, `${where}: the plot is missing`);
            plots++;
          }
        }
      });
    }
    assert.ok(graphs >= 8, `${graphs} graphs`);
    assert.ok(networks >= 3, `${networks} network diagrams`);
    assert.ok(plots >= 4, `${plots} plots`);
  });

  it("has committed outputs that match a fresh execution (timings aside)", () => {
    for (const name of NOTEBOOKS) {
      const fresh = executed.get(name)!.cells;
      const saved = committed.get(name)!.cells;
      assert.equal(saved.length, fresh.length, `${name}: cells`);
      saved.forEach((cell, index) => {
        assert.deepEqual(
          comparable(cell),
          comparable(fresh[index]),
          `${name}, cell ${index}: the committed outputs are stale; refresh them with ` +
            "/usr/bin/python3 .ci/run_notebooks.py --in-place",
        );
      });
    }
  });

  it("type-checks the notebooks' code", () => {
    const dir = mkdtempSync(join(tmpdir(), "micrograd-notebook-code-"));
    const mod = pathToFileURL(join(ROOT, "mod.ts")).href;
    const files = NOTEBOOKS.map((name) => {
      const code = committed.get(name)!.cells
        .filter((cell) => cell.cell_type === "code")
        .map((cell) =>
          joined(cell.source).replaceAll('"../mod.ts"', `"${mod}"`)
        )
        .join("\n\n");
      const file = join(dir, name.replace(/\.ipynb$/, ".ts"));
      writeFileSync(file, `${code}\n\nexport {};\n`);
      return file;
    });
    const check = run(Deno.execPath(), [
      "check",
      "--config",
      join(ROOT, "deno.json"),
      ...files,
    ]);
    assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  });
});
