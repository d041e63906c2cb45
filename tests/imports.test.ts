// The import graph: no circles (type-only imports count: they are a circle for
// a reader even when the compiler erases them), and nothing `mod.ts` reaches
// imports `node:` or a package, so the library runs unchanged everywhere.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every `.ts` file below `dir` (relative to the repository root). */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === "dist" || name === "node_modules") continue;
    if (statSync(join(ROOT, path)).isDirectory()) {
      files.push(...sourceFiles(path));
    } else if (name.endsWith(".ts")) files.push(path);
  }
  return files;
}

/**
 * The specifiers a file imports or re-exports, type-only ones included;
 * comments (where doc examples live) are left out.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const specifiers: string[] = [];
  const pattern =
    /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;
  for (const match of text.matchAll(pattern)) {
    specifiers.push(match[1] ?? match[2] ?? match[3]);
  }
  return specifiers;
}

/** The repository-relative file a relative specifier names, or null for a package or `node:` module. */
function target(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  return relative(ROOT, resolve(ROOT, dirname(from), specifier));
}

const FILES = ["mod.ts", ...sourceFiles("src"), ...sourceFiles("playground")];
const GRAPH = new Map<string, string[]>(
  FILES.map((file) => [
    file,
    importsOf(file)
      .map((specifier) => target(file, specifier))
      .filter((to): to is string => to !== null && to.endsWith(".ts")),
  ]),
);

/** One circle as a list of files (first = last), or null. */
function findCircle(): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  // Iterative depth-first search keeps the stack in `path`.
  for (const start of GRAPH.keys()) {
    if (state.has(start)) continue;
    const stack: { file: string; next: number }[] = [{ file: start, next: 0 }];
    state.set(start, "open");
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = GRAPH.get(top.file) ?? [];
      if (top.next < edges.length) {
        const to = edges[top.next++];
        if (state.get(to) === "open") {
          return [...path.slice(path.indexOf(to)), to];
        }
        if (!state.has(to)) {
          state.set(to, "open");
          path.push(to);
          stack.push({ file: to, next: 0 });
        }
      } else {
        state.set(top.file, "done");
        path.pop();
        stack.pop();
      }
    }
  }
  return null;
}

describe("the import graph", () => {
  it("has every relative import pointing at a file that exists", () => {
    for (const [file, targets] of GRAPH) {
      for (const to of targets) {
        assert.ok(
          statSync(join(ROOT, to), { throwIfNoEntry: false })?.isFile(),
          `${file} imports ${to}, which does not exist`,
        );
      }
    }
  });

  it("has no circle, type-only imports included", () => {
    const circle = findCircle();
    assert.equal(circle, null, `import circle: ${circle?.join(" -> ")}`);
  });

  it("keeps mod.ts free of node: modules and packages", () => {
    const seen = new Set<string>();
    const queue = ["mod.ts"];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of importsOf(file)) {
        const to = target(file, specifier);
        assert.notEqual(
          to,
          null,
          `${file} imports "${specifier}": the library must have no dependencies`,
        );
        queue.push(to!);
      }
    }
    assert.ok(seen.has("src/engine.ts"));
    assert.ok(!seen.has("src/cli.ts"), "mod.ts must not reach the CLI");
  });
});
