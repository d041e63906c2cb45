/**
 * Small DOM helpers of the training view: find an element of the page by id
 * (failing loudly if the page lacks it), set text only when it changes, and
 * offer text as a file download.
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

/**
 * Offer `text` as a file download named `name` (a link clicked once; the
 * object URL is released a little later, after the download started).
 */
export function downloadText(text: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
