// The README is part of the product: every TypeScript example in it that
// imports "@x/micrograd" is run here against mod.ts, so it cannot rot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const readme = readFileSync(
  fileURLToPath(new URL("../README.md", import.meta.url)),
  "utf8",
);
const modUrl = new URL("../mod.ts", import.meta.url).href;

const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match) => match[1])
  .filter((code) => /from "@x\/micrograd";/.test(code))
  // The install snippet imports from the registry, which tests must not need.
  .filter((code) => !code.includes("jsr:"));

test("the README has runnable examples", () => {
  assert.ok(examples.length >= 4, `found only ${examples.length}`);
});

const directory = mkdtempSync(join(tmpdir(), "micrograd-readme-"));
examples.forEach((code, index) => {
  const firstLine = code.split("\n").find((line) => line.includes("import"));
  test(`README example ${index + 1} runs (${firstLine})`, async () => {
    const logged: unknown[][] = [];
    const source = code
      .replaceAll('"@x/micrograd"', JSON.stringify(modUrl))
      .replaceAll("console.log(", "__log(");
    const file = join(directory, `example_${index + 1}.ts`);
    writeFileSync(
      file,
      source.replace(
        /^(import .*;\n)+/m,
        (imports) =>
          imports + "const __log = (globalThis as any).__readmeLog;\n",
      ),
    );
    (globalThis as Record<string, unknown>).__readmeLog = (
      ...args: unknown[]
    ) => logged.push(args);
    await import(pathToFileURL(file).href);
    // Every `// value` comment after a console.log is what it must print.
    const expected = [...code.matchAll(/console\.log\((.*)\); \/\/ (.*)$/gm)]
      .map((match) => match[2]);
    expected.forEach((text, i) => {
      if (/^[-\d.\s]+$|^(true|false)$/.test(text)) {
        assert.equal(logged[i].map(String).join(" "), text);
      }
    });
  });
});
