/**
 * Classroom links: a link's `hide=` list (e.g. `hide=dataset,hidden,optimizer`)
 * hides those controls, so a teacher can hand out a page with only the
 * learning rate to play with (as TF Playground's hidden-properties links
 * do). A config field's name hides its control and label; `data`,
 * `network` and `training` hide a whole settings panel; `speed`, `stop`,
 * `save` and `export` the page's own controls. The names are
 * `HIDEABLE` (`shared/settings.ts`). DOM only.
 *
 * @module
 */

import { CONFIG_SCHEMA } from "../../src/config.ts";
import { HIDEABLE } from "../shared/settings.ts";

/** The elements a non-config name hides, by id. */
const PAGE_PARTS: Readonly<Record<string, readonly string[]>> = {
  data: ["data-panel"],
  network: ["network-panel"],
  training: ["training-panel"],
  speed: ["speed-control"],
  stop: ["stop-control"],
  save: ["weights-buttons"],
  export: ["export-buttons"],
  hidden: ["layers", "layers-header"],
};

/** The elements that make up the control named `name`. */
function partsOf(name: string): HTMLElement[] {
  const ids = PAGE_PARTS[name];
  if (ids !== undefined) {
    return ids.map((id) =>
      document.getElementById(id) ??
        document.querySelector<HTMLElement>(`.${id}`)
    ).filter((part): part is HTMLElement => part !== null);
  }
  const row = CONFIG_SCHEMA.find((field) => field.key === name);
  const control = row === undefined ? null : document.getElementById(row.flag);
  if (control === null || row === undefined) return [];
  if (name === "features") {
    return [control.closest<HTMLElement>("fieldset") ?? control];
  }
  const label = document.querySelector<HTMLElement>(`label[for="${row.flag}"]`);
  // A checkbox sits in its label; the data seed shares a row with a button.
  const box = control.closest<HTMLElement>("label, .with-button") ?? control;
  return label === null ? [box] : [label, box];
}

/** The settings panels, which a link may also empty control by control. */
const PANELS: readonly string[] = [
  "data-panel",
  "network-panel",
  "training-panel",
];

/**
 * Hide the controls named in `hide` and show every other hideable one. A
 * settings panel left with nothing but its heading is hidden too, so the
 * page's layout gives its room to the charts (see `.columns` in style.css).
 */
export function applyHidden(hide: readonly string[]): void {
  for (const name of HIDEABLE) {
    const hidden = hide.includes(name);
    for (const part of partsOf(name)) {
      if (part.hidden !== hidden) part.hidden = hidden;
    }
  }
  for (const id of PANELS) {
    const panel = document.getElementById(id);
    if (panel === null || panel.hidden) continue;
    const empty = [...panel.children].every((child) =>
      child.tagName === "H2" || (child as HTMLElement).hidden
    );
    if (empty) panel.hidden = true;
  }
}
