import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { main } from "../src/cli.ts";
import { stopReason } from "../src/stop.ts";
import { Trainer } from "../src/train.ts";

/** What main() wrote to each stream, and its exit code. */
async function runCli(args: string[]) {
  const written = { stdout: [] as string[], stderr: [] as string[] };
  const stream = (name: "stdout" | "stderr") => ({
    write: (text: string) => written[name].push(text),
  });
  const code = await main(args, {
    stdout: stream("stdout"),
    stderr: stream("stderr"),
  });
  return {
    code,
    stdout: written.stdout.join(""),
    stderr: written.stderr.join(""),
  };
}

describe("the CLI stops by the library's stop rule", () => {
  test("--stop-at-loss ends the run at the step stopReason names", async () => {
    const { code, stdout } = await runCli(["--stop-at-loss", "0.2"]);
    assert.equal(code, 0);
    // The same rule, run by hand.
    const trainer = new Trainer();
    const rule = { steps: "schedule" as const, loss: 0.2 };
    let reason: string | null = null;
    while (reason === null) {
      trainer.step();
      reason = stopReason(rule, trainer.report());
    }
    assert.ok(trainer.stepCount < 100, "the target comes first");
    assert.ok(stdout.includes(`\n${reason}\n`), stdout);
    assert.match(stdout, new RegExp(`done: ${trainer.stepCount} steps in`));
  });

  test("a target never met: the schedule ends the run, and says so", async () => {
    const { code, stdout } = await runCli([
      "--points",
      "40",
      "--steps",
      "6",
      "--stop-at-accuracy",
      "1",
      "--stop-at-test-accuracy",
      "1",
    ]);
    assert.equal(code, 0);
    assert.ok(stdout.includes("\nstopped at step 6: the schedule ended\n"));
    assert.match(stdout, /done: 6 steps in/);
  });

  test("without a target the output is as before: no stop line", async () => {
    const { stdout } = await runCli(["--points", "40", "--steps", "5"]);
    assert.match(stdout, /done: 5 steps in/);
    assert.doesNotMatch(stdout, /stopped at/);
  });

  for (
    const [flag, text, allowed] of [
      ["--stop-at-loss", "-1", "a finite number >= 0"],
      ["--stop-at-accuracy", "1.5", "a finite number <= 1"],
      ["--stop-at-test-accuracy", "high", "a finite number <= 1"],
      ["--stop-at-loss", "", "a finite number >= 0"],
    ]
  ) {
    test(`${flag} ${JSON.stringify(text)} is a usage error`, async () => {
      const { code, stderr } = await runCli([`${flag}=${text}`]);
      assert.equal(code, 2);
      assert.ok(
        stderr.trimEnd().endsWith(
          `error: ${flag} must be ${allowed}, got ${JSON.stringify(text)}`,
        ),
        stderr,
      );
    });
  }

  test("--help lists the stop flags", async () => {
    const { stdout } = await runCli(["--help"]);
    for (
      const flag of [
        "--stop-at-loss",
        "--stop-at-accuracy",
        "--stop-at-test-accuracy",
      ]
    ) {
      assert.ok(stdout.includes(flag), flag);
    }
  });
});
