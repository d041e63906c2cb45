/**
 * The playground's views (tabs). The training view is always there; another
 * view (the graph explorer) registers itself by adding an entry to
 * {@linkcode EXTRA_VIEWS}. Each view gets its own container,
 * `<section id="ID-view">`, and a tab button `id="tab-ID"`; the tab bar
 * appears once there is more than one view. The chosen view is kept in the
 * URL hash as `view=ID`.
 *
 * @module
 */

import type * as Comlink from "comlink";
import type { Dataset } from "../../src/data.ts";
import type { MLPJson } from "../../src/model_json.ts";
import type { TrainConfig } from "../../src/config.ts";
import type {
  ProgressReport,
  RunSnapshot,
  TrainingWorkerApi,
} from "../worker/protocol.ts";

/** What the training view shares with other views. */
export interface TrainingContext {
  /** The current run's configuration (as the Trainer validated it). */
  config(): TrainConfig;
  /** The current run's data. */
  data(): { train: Dataset; test: Dataset };
  /** The current model's weights, fetched from the worker. */
  modelJson(): Promise<MLPJson>;
  /** Called with every new run (reset, settings change, loaded weights). Returns an unsubscribe function. */
  onRun(listener: (snapshot: RunSnapshot) => void): () => void;
  /** Called with every progress report of the current run, before it is drawn. */
  onProgress(listener: (report: ProgressReport) => void): () => void;
  /** The training worker (commands go through the training view normally). */
  worker(): Comlink.Remote<TrainingWorkerApi>;
}

/** Everything a view may use. */
export interface PlaygroundContext {
  training: TrainingContext;
}

/** A view of the playground. */
export interface PlaygroundView {
  /** Short id: the tab is `tab-ID`, the container `ID-view`, the hash `view=ID`. */
  id: string;
  /** The tab's text. */
  title: string;
  /** Build the view's content into its container (called once, at start-up). */
  mount(
    container: HTMLElement,
    context: PlaygroundContext,
  ): void | Promise<void>;
  /** Called when the view's tab is shown. */
  show?(): void;
  /** Called when another tab is chosen. */
  hide?(): void;
}

/** Views besides training, in tab order. The explorer adds itself here. */
export const EXTRA_VIEWS: PlaygroundView[] = [];

/**
 * Build the tab bar and containers; returns a function that selects a view
 * by id (an unknown id selects the first view). DOM only.
 */
export function setUpViews(
  views: readonly PlaygroundView[],
  tabs: HTMLElement,
  parent: HTMLElement,
  onSelect: (id: string) => void,
): (id: string) => void {
  const containers = new Map<string, HTMLElement>();
  const buttons = new Map<string, HTMLButtonElement>();
  tabs.replaceChildren();
  tabs.setAttribute("role", "tablist");
  for (const view of views) {
    let container = document.getElementById(`${view.id}-view`);
    if (container === null) {
      container = document.createElement("section");
      container.id = `${view.id}-view`;
      container.className = "view";
      container.hidden = true;
      parent.append(container);
    }
    container.setAttribute("role", "tabpanel");
    container.setAttribute("aria-labelledby", `tab-${view.id}`);
    containers.set(view.id, container);
    const button = document.createElement("button");
    button.type = "button";
    button.id = `tab-${view.id}`;
    button.setAttribute("role", "tab");
    button.setAttribute("aria-controls", container.id);
    button.textContent = view.title;
    button.addEventListener("click", () => onSelect(view.id));
    buttons.set(view.id, button);
    tabs.append(button);
  }
  tabs.hidden = views.length < 2;
  let current: string | null = null;
  return (id: string) => {
    const target = containers.has(id) ? id : views[0].id;
    if (target === current) return;
    for (const view of views) {
      const selected = view.id === target;
      containers.get(view.id)!.hidden = !selected;
      buttons.get(view.id)!.setAttribute("aria-selected", String(selected));
      if (selected) view.show?.();
      else if (view.id === current) view.hide?.();
    }
    current = target;
  };
}
