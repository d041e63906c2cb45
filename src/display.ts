/**
 * The hook behind rich display in notebooks. Deno's Jupyter kernel shows a
 * cell's result by calling its `[Symbol.for("Jupyter.display")]()` method;
 * `Value` and `MLP` answer through {@linkcode displayOf}, and the drawing
 * module (`svg.ts`) registers how to draw them with
 * {@linkcode registerDisplay} when it is loaded (`mod.ts` loads it).
 *
 * The registry is why this works without an import circle: the engine and
 * the network know only this module, which imports nothing; the drawing
 * code imports the engine, never the other way round. Outside notebooks
 * nothing calls the method, so it costs nothing.
 *
 * @module
 */

/** A Jupyter MIME bundle: MIME type to content, e.g. `{"image/svg+xml": "<svg…"}`. */
export type MimeBundle = Record<string, string>;

/** The kinds of object that know how to display themselves. */
export type DisplayKind = "Value" | "MLP";

const renderers = new Map<DisplayKind, (object: unknown) => MimeBundle>();

/**
 * Set how objects of `kind` are shown as a notebook cell's result (the last
 * registration wins).
 *
 * @param kind which class the renderer draws
 * @param render returns the MIME bundle for one object of that class
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { displayOf, registerDisplay } from "./display.ts";
 * registerDisplay("MLP", (model) => ({ "text/plain": `drawn ${model}` }));
 * assert.deepEqual(displayOf("MLP", "m"), { "text/plain": "drawn m" });
 * ```
 */
export function registerDisplay(
  kind: DisplayKind,
  render: (object: unknown) => MimeBundle,
): void {
  renderers.set(kind, render);
}

/**
 * The MIME bundle for `object` as the renderer registered for `kind` draws
 * it. Without a renderer (the drawing module was never loaded), or if
 * drawing fails, the object's text, so a notebook cell never errors just
 * because of how its result is shown.
 *
 * @param kind which class `object` belongs to
 * @param object the cell's result
 * @returns the MIME bundle to show
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { displayOf, registerDisplay } from "./display.ts";
 * registerDisplay("Value", () => {
 *   throw new Error("no room");
 * });
 * assert.deepEqual(displayOf("Value", 5), {
 *   "text/plain": "5\n(could not draw it: no room)",
 * });
 * ```
 */
export function displayOf(kind: DisplayKind, object: unknown): MimeBundle {
  const render = renderers.get(kind);
  if (!render) return { "text/plain": String(object) };
  try {
    return render(object);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { "text/plain": `${object}\n(could not draw it: ${reason})` };
  }
}
