/**
 * Reading a weights file chosen by the visitor. Anything wrong (not JSON,
 * not a model, a broken model) becomes a message naming the problem; the
 * caller changes nothing in that case.
 *
 * @module
 */

import { MLP } from "../src/nn.ts";

/** Files larger than this are refused before reading (a model is a few kB). */
export const MAX_WEIGHTS_FILE_BYTES = 20 * 1024 * 1024;

/** The outcome of reading a weights file. */
export type WeightsFileResult =
  | { ok: true; json: unknown; sizes: readonly number[] }
  | { ok: false; message: string };

/**
 * Check the text of a weights file: JSON, and a model `MLP.fromJSON`
 * accepts (the same validation the worker repeats before loading it).
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

/** Read and check a chosen file. */
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
