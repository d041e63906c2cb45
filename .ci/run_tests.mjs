// Runs every test runner (and, with --ci, every static check) and ends with
// one line: "N passed, N failed", the totals over all of them.
// Usage: node .ci/run_tests.mjs [--ci]
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules", ".bin", name);
const ci = process.argv.includes("--ci");
// NO_COLOR alone: with FORCE_COLOR=0 as well, Deno prints colour.
const env = { ...process.env, NO_COLOR: "1" };
delete env.FORCE_COLOR;

let passed = 0;
let failed = 0;
const failures = [];

function run(name, command, args, { parse, timeoutMinutes = 30 } = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMinutes * 60 * 1000,
  });
  const output = (result.stdout ?? "") + (result.stderr ?? "");
  process.stdout.write(output);
  const ok = result.status === 0;
  let counts = parse ? parse(output) : null;
  if (!counts) {
    counts = ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  }
  // A runner that exits non-zero must count as a failure even if its own
  // summary says otherwise (a crash after the summary, a timeout).
  if (!ok && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  if (!ok) failures.push(name);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `=== ${name}: ${
      ok ? "ok" : "FAILED"
    } (${counts.passed} passed, ${counts.failed} failed, ${seconds}s)`,
  );
}

// Deno counts describe blocks and their tests separately in its summary; to
// count tests the way Bun does (leaves only), read its JUnit report instead.
function denoJunitCounter(junitPath) {
  return (output) => {
    if (!existsSync(junitPath)) return parseDenoSummary(output);
    const xml = readFileSync(junitPath, "utf8");
    const cases = [
      ...xml.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g),
    ]
      .map((match) => ({
        name: match[1],
        failed: match[2].includes("<failure"),
      }));
    const parents = new Set();
    for (const { name } of cases) {
      const parts = name.split(" &gt; ");
      for (let i = 1; i < parts.length; i++) {
        parents.add(parts.slice(0, i).join(" &gt; "));
      }
    }
    const leaves = cases.filter((testCase) => !parents.has(testCase.name));
    const failedLeaves = leaves.filter((testCase) => testCase.failed).length;
    return { passed: leaves.length - failedLeaves, failed: failedLeaves };
  };
}

// "ok | 97 passed (12 steps) | 0 failed"
function parseDenoSummary(output) {
  const match = [
    ...output.matchAll(/(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g),
  ].pop();
  if (!match) return null;
  return { passed: Number(match[1]), failed: Number(match[2]) };
}

// " 97 pass\n 0 fail"
function parseBun(output) {
  const pass = [...output.matchAll(/^\s*(\d+) pass$/gm)].pop();
  const fail = [...output.matchAll(/^\s*(\d+) fail$/gm)].pop();
  if (!pass || !fail) return null;
  return { passed: Number(pass[1]), failed: Number(fail[1]) };
}

function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      "The browser tests need Debian's chromium at /usr/bin/chromium: run `sudo apt-get install -y chromium` first.",
    );
    return;
  }
  console.log(
    "Installing Debian's chromium for the browser tests (apt-get)...",
  );
  const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env: aptEnv });
  spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: "inherit",
    env: aptEnv,
  });
}

// "# pass 879\n# fail 0" (node --test with the TAP reporter)
function parseNodeTap(output) {
  const pass = [...output.matchAll(/^# pass (\d+)$/gm)].pop();
  const fail = [...output.matchAll(/^# fail (\d+)$/gm)].pop();
  if (!pass || !fail) return null;
  return { passed: Number(pass[1]), failed: Number(fail[1]) };
}

/**
 * The machine's own Node (20 on CI), not the Node 24 dev dependency that
 * `npm test` puts first on PATH: the smoke test is about the Node users have.
 */
function systemNode() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}

const deno = bin("deno");
const bun = bin("bun");
const node24 = bin("node");

if (ci) {
  run("deno fmt", deno, ["fmt", "--check"]);
  run("deno lint", deno, ["lint"]);
  run("deno check", deno, ["task", "check"]);
  run("deno doc --lint", deno, ["doc", "--lint", "mod.ts"]);
  run("deno publish --dry-run", deno, [
    "publish",
    "--dry-run",
    "--allow-dirty",
  ]);
}

const reports = mkdtempSync(join(tmpdir(), "micrograd-junit-"));
run(
  "deno test (unit + doc examples)",
  deno,
  [
    "test",
    "-A",
    "--doc",
    `--junit-path=${join(reports, "unit.xml")}`,
    "mod.ts",
    "src/",
    "playground/",
    "tests/",
  ],
  { parse: denoJunitCounter(join(reports, "unit.xml")) },
);
// Bun gives each test 5 s by default; the child-process tests (CLI, config
// limits, notebooks) take longer on a loaded 2-core machine.
run("bun test", bun, ["test", "--timeout", "120000"], { parse: parseBun });
// Node 22+ strips types, so Node 24 (a dev dependency) runs the same
// node:test files: the third runtime the library claims.
run(
  "node --test (Node 24)",
  node24,
  [
    "--test",
    "--test-reporter=tap",
    ...readdirSync(join(root, "tests"))
      .filter((file) => file.endsWith(".test.ts"))
      .sort()
      .map((file) => join("tests", file)),
  ],
  { parse: parseNodeTap },
);

// The package must also work in plain Node: bundle mod.ts and run the lecture's example.
{
  const dir = mkdtempSync(join(tmpdir(), "micrograd-node-"));
  const bundle = join(dir, "micrograd.mjs");
  run("esbuild bundle of mod.ts", bin("esbuild"), [
    "mod.ts",
    "--bundle",
    "--format=esm",
    "--platform=neutral",
    `--outfile=${bundle}`,
  ]);
  const smoke = join(dir, "smoke.mjs");
  writeFileSync(
    smoke,
    `import * as micrograd from ${JSON.stringify(bundle)};
const { Value } = micrograd;
const a = new Value(2), b = new Value(-3), c = new Value(10);
const d = a.mul(b).add(c);
d.backward();
if (d.data !== 4 || a.grad !== -3 || b.grad !== 2 || c.grad !== 1) throw new Error("wrong gradients in Node");
if (micrograd.MLP && micrograd.Trainer) {
  const trainer = new micrograd.Trainer({ steps: 20 });
  for (let i = 0; i < 20; i++) trainer.step();
  if (trainer.stepCount !== 20) throw new Error("trainer did not step in Node");
}
console.log("Node " + process.version + ": mod.ts works (lecture example and 20 training steps)");
`,
  );
  run("node smoke import of mod.ts", systemNode(), [smoke]);
}

if (existsSync(join(root, "src", "cli.ts"))) {
  run("CLI smoke run (deno)", deno, [
    "run",
    "-A",
    "src/cli.ts",
    "--steps",
    "5",
  ]);
  run("CLI smoke run (bun)", bun, ["src/cli.ts", "--steps", "5"]);
}

// Every browser test file, so a new one cannot be forgotten here.
const browserTests = readdirSync(join(root, "tests"))
  .filter((file) => file.endsWith(".e2e.ts"))
  .sort()
  .map((file) => join("tests", file));
if (browserTests.length > 0) {
  ensureChromium();
  run(
    "browser tests (deno + playwright + chromium)",
    deno,
    [
      "test",
      "-A",
      `--junit-path=${join(reports, "browser.xml")}`,
      ...browserTests,
    ],
    { parse: denoJunitCounter(join(reports, "browser.xml")) },
  );
}

console.log("");
if (failures.length > 0) console.log(`Failed: ${failures.join("; ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
