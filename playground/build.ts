/**
 * Bundle the playground into `playground/dist/`: a self-contained static
 * site (index.html at its root) that any static server can host.
 *
 * `deno run -A playground/build.ts` or `bun playground/build.ts`
 * (`--dev` keeps the bundles unminified).
 *
 * The page (`main.ts`) and the training worker (`worker/worker.ts`) are
 * separate ESM entries, written as `main.js` and `worker.js`; the page starts
 * the worker by that output name (`WORKER_BUNDLE` in `main.ts`; keep the two names in step), since
 * esbuild does not follow `new URL("./worker/worker.ts", import.meta.url)`.
 *
 * @module
 */

import * as esbuild from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";

/** The playground's source folder (this file's folder). */
export const PLAYGROUND_DIR: string = dirname(fileURLToPath(import.meta.url));
/** Where the site is written. */
export const DIST_DIR: string = join(PLAYGROUND_DIR, "dist");

/** Options for {@linkcode buildPlayground}. */
export interface BuildOptions {
  /** Output folder (default `playground/dist`). */
  outdir?: string;
  /** Minify the bundles (default true). */
  minify?: boolean;
}

/**
 * Build the site and return the folder it was written to. Stops esbuild's
 * helper process afterwards, so the caller's process can exit.
 */
export async function buildPlayground(
  options: BuildOptions = {},
): Promise<string> {
  const outdir = options.outdir ?? DIST_DIR;
  const minify = options.minify ?? true;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  try {
    await esbuild.build({
      absWorkingDir: join(PLAYGROUND_DIR, ".."),
      entryPoints: {
        main: join(PLAYGROUND_DIR, "main.ts"),
        worker: join(PLAYGROUND_DIR, "worker", "worker.ts"),
      },
      outdir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome110", "firefox115", "safari16"],
      minify,
      sourcemap: "linked",
      legalComments: "linked",
      logLevel: "warning",
    });
  } finally {
    await esbuild.stop();
  }
  const modules = join(PLAYGROUND_DIR, "..", "node_modules");
  await copyFile(
    join(PLAYGROUND_DIR, "index.html"),
    join(outdir, "index.html"),
  );
  await copyFile(join(PLAYGROUND_DIR, "style.css"), join(outdir, "style.css"));
  await copyFile(
    join(modules, "uplot", "dist", "uPlot.min.css"),
    join(outdir, "uPlot.min.css"),
  );
  return outdir;
}

if (import.meta.main) {
  const dev = process.argv.includes("--dev");
  const outdir = await buildPlayground({ minify: !dev });
  console.log(`Playground built into ${outdir}`);
}
