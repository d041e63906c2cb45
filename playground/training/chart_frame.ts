/**
 * What every chart of the training view does with its container: label it
 * for assistive technology (a chart is one image) and follow its size.
 * DOM only.
 *
 * @module
 */

/**
 * Mark `container` as an image described by `label` and call `onResize`
 * whenever its size changes; disconnect the returned observer on destroy.
 */
export function watchChart(
  container: HTMLElement,
  label: string,
  onResize: () => void,
): ResizeObserver {
  container.setAttribute("role", "img");
  container.setAttribute("aria-label", label);
  const observer = new ResizeObserver(() => onResize());
  observer.observe(container);
  return observer;
}
