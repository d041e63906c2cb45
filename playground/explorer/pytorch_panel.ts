/**
 * The explorer's "The same program in PyTorch" panel: a `<details>` with the
 * program `pytorch.ts` writes for what is drawn, and a Copy button (the
 * clipboard where the page may write it, else the code is selected for
 * Ctrl+C).
 *
 * Stable ids: `pytorch-panel` (the details), `pytorch-code` (the pre),
 * `pytorch-copy` (the button), `pytorch-status` (what Copy did).
 *
 * @module
 */

import { button, html, liveRegion } from "./dom.ts";
import type { Program } from "./parser.ts";
import { pytorchProgram } from "./pytorch.ts";

/** What the panel shows for a graph that was not built from a program. */
const NO_PROGRAM =
  "# This graph is not built from a program, so there is no PyTorch\n" +
  "# program for it here. (The training view exports a trained network\n" +
  "# as a PyTorch script.)\n";

/** What the panel shows while the program has an error. */
const PROGRAM_ERROR =
  "# Fix the program above to see its PyTorch equivalent.\n";

/** A mounted PyTorch panel. */
export interface PytorchPanel {
  /** Its root element (a closed `<details>` at first). */
  element: HTMLDetailsElement;
  /** Show the code of `program` (null: the graph has none; "error": the program is wrong). */
  show(program: Program | null | "error"): void;
  /** Open the panel. */
  open(): void;
}

/**
 * Build the panel; `beforeCopy` is called first on Copy (the explorer
 * brings the code up to date with its box there).
 *
 * @example
 * ```ts ignore
 * const pytorch = mountPytorchPanel(document, () => flush());
 * root.append(pytorch.element);
 * pytorch.show(parseProgram("x = 2; y = tanh(x)"));
 * ```
 */
export function mountPytorchPanel(
  document: Document,
  beforeCopy: () => void,
): PytorchPanel {
  const element = html(document, "details", {
    id: "pytorch-panel",
    class: "pytorch-panel",
  });
  const row = html(document, "div", { class: "explorer-row" });
  const copy = button(document, "pytorch-copy", "Copy", {
    title: "Copy the PyTorch program",
  });
  const status = liveRegion(document, "span", "pytorch-status", "step-status");
  row.append(copy, status);
  const code = html(document, "pre", {
    id: "pytorch-code",
    class: "pytorch-code",
  });
  element.append(
    html(document, "summary", {}, "The same program in PyTorch"),
    row,
    code,
  );

  copy.addEventListener("click", async () => {
    beforeCopy();
    const view = document.defaultView;
    try {
      if (!view?.navigator.clipboard) throw new Error("no clipboard");
      await view.navigator.clipboard.writeText(code.textContent ?? "");
      status.textContent = "Copied.";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = view?.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
    }
  });

  return {
    element,
    show(program: Program | null | "error"): void {
      status.textContent = "";
      code.textContent = program === "error"
        ? PROGRAM_ERROR
        : program
        ? pytorchProgram(program)
        : NO_PROGRAM;
    },
    open(): void {
      element.open = true;
    },
  };
}
