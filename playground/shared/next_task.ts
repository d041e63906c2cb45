/**
 * Yielding to the event loop between pieces of work, so that no single task
 * holds the thread for long: the worker between training slices (a Pause
 * can come in), the page between the stages of its start-up (input,
 * frames and the worker's messages can come in). A `MessageChannel`
 * message is a new task at once, without `setTimeout`'s 4 ms clamp.
 *
 * @module
 */

/**
 * A function whose promise resolves in a new task.
 *
 * @returns `() => Promise<void>`, one channel shared by its calls.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeYield } from "./next_task.ts";
 * const nextTask = makeYield();
 * const order: string[] = [];
 * const done = nextTask().then(() => order.push("task"));
 * await Promise.resolve().then(() => order.push("microtask"));
 * await done;
 * assert.deepEqual(order, ["microtask", "task"]);
 * ```
 */
export function makeYield(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}
