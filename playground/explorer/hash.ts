/**
 * The explorer's part of the page address, so a teacher can send a program
 * as a link: `program=` (the text, when typed), `preset=` (an example's id,
 * instead of its text) and `point=` (which training point). Only these keys
 * are read and written; the training view's keys are left as they are.
 *
 * @module
 */

/** What the explorer keeps in the address. */
export interface ExplorerHashState {
  /** A typed program (absent for an unchanged example). */
  program?: string;
  /** The selected example's id. */
  preset?: string;
  /** The training point, for the training-example preset. */
  point?: number;
  /** The open lesson, from 1. */
  lesson?: number;
}

/** The address keys the explorer owns. */
export const EXPLORER_HASH_KEYS: readonly string[] = Object.freeze([
  "program",
  "preset",
  "point",
  "lesson",
]);

/** Longer programs are not put in the address (a link would be unwieldy). */
export const MAXIMUM_HASH_PROGRAM = 20_000;

/** What an id (preset) may look like; anything else is ignored. */
const ID = /^[a-z][a-z0-9-]{0,47}$/;

function parameters(hash: string): URLSearchParams {
  try {
    return new URLSearchParams(String(hash).replace(/^#/, ""));
  } catch {
    return new URLSearchParams();
  }
}

/**
 * The explorer's state from an address hash (with or without `#`); fields
 * that are missing or malformed are left out. Never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readExplorerHash } from "./hash.ts";
 * assert.deepEqual(
 *   readExplorerHash("#view=explorer&program=a+%3D+2%0Ab+%3D+a*a"),
 *   { program: "a = 2\nb = a*a" },
 * );
 * assert.deepEqual(readExplorerHash("#preset=neuron&point=x"), { preset: "neuron" });
 * ```
 */
export function readExplorerHash(hash: string): ExplorerHashState {
  const params = parameters(hash);
  const state: ExplorerHashState = {};
  const program = params.get("program");
  if (program !== null && program.length <= MAXIMUM_HASH_PROGRAM) {
    state.program = program;
  }
  const preset = params.get("preset");
  if (preset !== null && ID.test(preset)) state.preset = preset;
  const point = Number(params.get("point") ?? "x");
  if (params.has("point") && Number.isSafeInteger(point) && point >= 0) {
    state.point = point;
  }
  const lesson = Number(params.get("lesson") ?? "x");
  if (params.has("lesson") && Number.isSafeInteger(lesson) && lesson >= 1) {
    state.lesson = lesson;
  }
  return state;
}

/**
 * `hash` with the explorer's keys set to `state` (a key absent from `state`
 * is removed) and every other key kept, in its order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeExplorerHash } from "./hash.ts";
 * assert.equal(
 *   writeExplorerHash("#dataset=moons&view=explorer&preset=lecture", { program: "y = 2*3" }),
 *   "#dataset=moons&view=explorer&program=y+%3D+2*3",
 * );
 * ```
 */
export function writeExplorerHash(
  hash: string,
  state: ExplorerHashState,
): string {
  const params = parameters(hash);
  for (const key of EXPLORER_HASH_KEYS) params.delete(key);
  if (
    state.program !== undefined &&
    state.program.length <= MAXIMUM_HASH_PROGRAM
  ) {
    params.set("program", state.program);
  }
  if (state.preset !== undefined) params.set("preset", state.preset);
  if (state.point !== undefined) params.set("point", String(state.point));
  if (state.lesson !== undefined) params.set("lesson", String(state.lesson));
  const text = params.toString().replaceAll("%2C", ",");
  return text === "" ? "" : `#${text}`;
}
