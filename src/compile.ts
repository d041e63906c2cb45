/**
 * `compile`: record a {@linkcode Value} graph once, then replay its forward
 * and backward passes as tight loops over typed arrays (see `tape.ts` for
 * the tape, `flatten.ts` for the recording, `layers.ts` for layer fusion,
 * `opcodes.ts` for its instruction set).
 *
 * @module
 */

import type { Value } from "./engine.ts";
import { CompiledGraph, type CompileOptions } from "./tape.ts";

export { CompiledGraph } from "./tape.ts";
export type { CompileOptions } from "./tape.ts";

/**
 * Record the graph under `root` as a {@linkcode CompiledGraph}, to replay
 * its forward and backward passes without building new `Value`s.
 *
 * Use it when the graph's shape stays the same and only leaf values change
 * (a model's parameters, a batch of the same size). Changing which nodes
 * exist needs a new `compile`.
 *
 * @param root The output of the graph (usually the loss).
 * @param options See {@linkcode CompileOptions}; unknown keys are refused.
 * @returns The tape, ready for `forward()` and `backward()`.
 * @throws {TypeError} if `root` is not a `Value` or `options` is not a plain
 * object; a `FieldRangeError` (a `RangeError`) naming an unknown option.
 *
 * @example Replay a neuron on new inputs
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile } from "./compile.ts";
 * import { Value } from "./engine.ts";
 *
 * const weights = [new Value(0.5), new Value(-1)];
 * const inputs = [new Value(0), new Value(0)];
 * const out = Value.dot(weights, inputs).tanh();
 * const tape = compile(out);
 * inputs[0].data = 2;
 * inputs[1].data = 1;
 * assert.equal(tape.forward(), 0); // tanh(0.5·2 - 1·1)
 * tape.backward();
 * assert.equal(weights[0].grad, 2); // d tanh(u)/du at 0 times input 2
 * // Options are checked: a misspelt one is named, with ours suggested.
 * assert.throws(() => compile(out, { fuselayers: false } as never), {
 *   name: "FieldRangeError",
 *   message: /unknown option "fuselayers" \(did you mean "fuseLayers"\?\)/,
 * });
 * ```
 */
export function compile(
  root: Value,
  options: CompileOptions = {},
): CompiledGraph {
  return new CompiledGraph(root, options);
}
