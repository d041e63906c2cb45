/**
 * Build the playground and serve it on http://localhost:8000 (or `--port N`,
 * or the `PORT` environment variable; `--no-build` serves the existing
 * build). Uses `node:http`, so it runs unchanged under Deno and Bun:
 * `deno run -A playground/serve.ts`, `bun playground/serve.ts`.
 *
 * @module
 */

import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import process from "node:process";
import { buildPlayground, DIST_DIR } from "./build.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/** A running static server. */
export interface StaticServer {
  /** `http://localhost:PORT/` */
  url: string;
  port: number;
  /** Stop listening and close open connections. */
  close(): Promise<void>;
}

/**
 * Serve the files under `root` (GET and HEAD only; `/` is `index.html`; no
 * path may leave `root`). `port` 0 picks a free port.
 */
export function serveDirectory(
  root: string,
  port: number,
): Promise<StaticServer> {
  const base = normalize(root);
  const server: Server = createServer(async (request, response) => {
    const method = request.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      response.writeHead(405, {
        "content-type": "text/plain",
        allow: "GET, HEAD",
      });
      response.end("Method not allowed\n");
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(
        new URL(request.url ?? "/", "http://localhost").pathname,
      );
    } catch {
      response.writeHead(400, { "content-type": "text/plain" });
      response.end("Bad request\n");
      return;
    }
    if (pathname.endsWith("/")) pathname += "index.html";
    const file = normalize(join(base, pathname));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403, { "content-type": "text/plain" });
      response.end("Forbidden\n");
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": CONTENT_TYPES[extname(file)] ??
          "application/octet-stream",
        "content-length": String(body.byteLength),
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      });
      response.end(method === "HEAD" ? undefined : body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("Not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actualPort = typeof address === "object" && address
        ? address.port
        : port;
      resolve({
        url: `http://localhost:${actualPort}/`,
        port: actualPort,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * The port from `--port N` / `--port=N`, else `PORT`, else 8000.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { portFromArguments } from "./serve.ts";
 * assert.equal(portFromArguments(["--port", "8123"], "9000"), 8123);
 * assert.equal(portFromArguments([], "9000"), 9000);
 * assert.equal(portFromArguments([], undefined), 8000);
 * assert.throws(() => portFromArguments(["--port=http"], undefined), RangeError);
 * ```
 */
export function portFromArguments(
  args: readonly string[],
  environment: string | undefined,
): number {
  let text: string | undefined = environment;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") text = args[i + 1];
    else if (args[i].startsWith("--port=")) {
      text = args[i].slice("--port=".length);
    }
  }
  if (text === undefined || text === "") return 8000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(
      `serve: the port must be an integer from 0 to 65535, got "${text}"`,
    );
  }
  return port;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const port = portFromArguments(args, process.env.PORT);
  if (!args.includes("--no-build")) await buildPlayground();
  const server = await serveDirectory(DIST_DIR, port);
  console.log(`Playground: ${server.url}  (Ctrl+C to stop)`);
}
