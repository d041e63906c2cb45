/**
 * Small DOM helpers of the training view: find an element of the page by id
 * (failing loudly if the page lacks it) and set text only when it changes.
 * DOM only.
 *
 * @module
 */

/** The page's element with this id; throws if there is none. */
export function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`playground: the page has no element #${id}`);
  }
  return found as T;
}

/** Set an element's text only when it changes (no needless repaint). */
export function setText(id: string, value: string): void {
  const target = element(id);
  if (target.textContent !== value) target.textContent = value;
}
