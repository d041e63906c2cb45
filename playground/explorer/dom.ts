/**
 * Small DOM helpers for the explorer's views: elements built with
 * `createElement`, attributes set one by one and text only ever assigned to
 * `textContent` (user text never goes through HTML parsing).
 *
 * @module
 */

/**
 * An element `tag` with `attributes` and `text`.
 *
 * @example
 * ```ts ignore
 * const label = html(document, "label", { for: "expr" }, "Program");
 * ```
 */
export function html<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  attributes: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  if (text) element.textContent = text;
  return element;
}

/**
 * A `<button type="button">` with an id, its text and any other attributes.
 *
 * @example
 * ```ts ignore
 * const forward = button(document, "forward", "Forward");
 * ```
 */
export function button(
  document: Document,
  id: string,
  text: string,
  attributes: Record<string, string> = {},
): HTMLButtonElement {
  return html(document, "button", { id, type: "button", ...attributes }, text);
}

/**
 * An element whose changes are announced politely (`aria-live`).
 *
 * @example
 * ```ts ignore
 * const status = liveRegion(document, "div", "step-status", "step-status");
 * ```
 */
export function liveRegion<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  id: string,
  className: string,
): HTMLElementTagNameMap[K] {
  return html(document, tag, { id, class: className, "aria-live": "polite" });
}

/**
 * A labelled checkbox: `<label><input type="checkbox" id> text</label>`.
 *
 * @example
 * ```ts ignore
 * const [label, box] = checkbox(document, "collapse", "collapse neurons");
 * ```
 */
export function checkbox(
  document: Document,
  id: string,
  text: string,
  title = "",
): [HTMLLabelElement, HTMLInputElement] {
  const label = html(document, "label", { class: "explorer-check" });
  if (title) label.title = title;
  const input = html(document, "input", { id, type: "checkbox" });
  label.append(input, document.createTextNode(` ${text}`));
  return [label, input];
}

/**
 * An `<input>` with its `<label for>`: `[label, input]`.
 *
 * @example
 * ```ts ignore
 * const [label, x] = labelledInput(document, "derivative-x", "x", { type: "number" });
 * ```
 */
export function labelledInput(
  document: Document,
  id: string,
  text: string,
  attributes: Record<string, string>,
): [HTMLLabelElement, HTMLInputElement] {
  return [
    html(document, "label", { for: id }, text),
    html(document, "input", { id, ...attributes }),
  ];
}

/**
 * Offer `text` as a file download.
 *
 * @example
 * ```ts ignore
 * download(document, "graph.dot", "text/vnd.graphviz", "digraph {}");
 * ```
 */
export function download(
  document: Document,
  filename: string,
  type: string,
  text: string,
): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = html(document, "a", { href: url, download: filename });
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
