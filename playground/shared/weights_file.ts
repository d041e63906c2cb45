/**
 * Reading a weights file chosen by the visitor. Anything wrong (not JSON,
 * not a model, a broken model) becomes a message naming the problem; the
 * caller changes nothing in that case.
 *
 * @module
 */

import { MLP } from "../../src/nn.ts";

/**
 * Files larger than this are refused before reading (a model is a few kB).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_WEIGHTS_FILE_BYTES } from "./weights_file.ts";
 * assert.equal(MAX_WEIGHTS_FILE_BYTES, 20 * 1024 * 1024);
 * ```
 */
export const MAX_WEIGHTS_FILE_BYTES = 20 * 1024 * 1024;

/** The outcome of reading a weights file. */
export type WeightsFileResult =
  | { ok: true; json: unknown; sizes: readonly number[] }
  | { ok: false; message: string };

/**
 * Check the text of a weights file: JSON, and a model `MLP.fromJSON`
 * accepts (the same validation the worker repeats before loading it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MLP } from "../../src/nn.ts";
 * import { parseWeightsText } from "./weights_file.ts";
 * const saved = JSON.stringify(new MLP(2, [4, 1]).toJSON());
 * assert.deepEqual(parseWeightsText(saved), {
 *   ok: true,
 *   json: JSON.parse(saved),
 *   sizes: [4, 1],
 * });
 * const broken = parseWeightsText("{", "model.json");
 * assert.equal(broken.ok, false);
 * ```
 */
export function parseWeightsText(
  text: string,
  name = "the file",
): WeightsFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `Could not load ${name}: it is not valid JSON (${detail}).`,
    };
  }
  try {
    const model = MLP.fromJSON(json);
    return { ok: true, json, sizes: [...model.sizes] };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message:
        `Could not load ${name}: it is not a micrograd model file (${detail}).`,
    };
  }
}

/**
 * Read and check a chosen file (a `File`, or anything with its name, size
 * and text); a file over {@linkcode MAX_WEIGHTS_FILE_BYTES} is refused unread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWeightsFile } from "./weights_file.ts";
 * const huge = { name: "big.json", size: 1e9, text: () => Promise.reject() };
 * const result = await parseWeightsFile(huge);
 * assert.equal(result.ok, false);
 * ```
 */
export async function parseWeightsFile(
  file: { name: string; size: number; text(): Promise<string> },
): Promise<WeightsFileResult> {
  if (file.size > MAX_WEIGHTS_FILE_BYTES) {
    return {
      ok: false,
      message: `Could not load ${file.name}: it is ${
        (file.size / 1024 / 1024).toFixed(1)
      } MB, far larger than any model the playground makes.`,
    };
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, message: `Could not read ${file.name}.` };
  }
  return parseWeightsText(text, file.name);
}
