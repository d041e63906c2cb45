/**
 * The Lessons panel at the top of the explorer: a menu of the ten lessons
 * (`lessons.ts`), the chosen lesson's sentences and task, its answer boxes,
 * a Check button and the check's result, Previous / Next, the passed
 * lessons marked (and kept in local storage), and for lesson 9 the
 * hand-training panel, for lesson 10 the link to the moons demo.
 *
 * Stable ids: `lessons` (the menu; each lesson's option has
 * `data-lesson="N"` and `data-passed`), `lesson-text`, `lesson-task`,
 * `lesson-answer-ID` (inputs), `lesson-check`, `lesson-result` (with
 * `data-passed`), `lesson-previous`, `lesson-next`, `lesson-moons` (the
 * demo link), and for the hand training `mlp-lr`, `mlp-step`, `mlp-step10`,
 * `mlp-reset`, `mlp-forget-zero`, `mlp-graph`, `mlp-log`, `mlp-loss`.
 *
 * @module
 */

import type { Value } from "../../src/engine.ts";
import { button, checkbox, html, labelledInput, liveRegion } from "./dom.ts";
import { formatShortNumber } from "./format.ts";
import {
  HandTraining,
  LECTURE_LEARNING_RATE,
  LECTURE_XS,
  LECTURE_YS,
} from "./hand_training.ts";
import {
  type DerivativeState,
  type Lesson,
  LESSONS,
  type LessonState,
  type ProgressStorage,
  readProgress,
  type TrainingSummary,
  writeProgress,
} from "./lessons.ts";

/** What the lessons need from the explorer around them. */
export interface LessonHost {
  /** Load an explorer preset (by id). */
  choosePreset(id: string): void;
  /** The explorer's part of a {@linkcode LessonState}. */
  explorerState(): Pick<
    LessonState,
    "source" | "backwardRan" | "buggy" | "grads"
  >;
  /** The derivative view's numbers (null when its program is wrong). */
  derivativeState(): DerivativeState | null;
  /** Put the derivative view back to the lecture's function and show it. */
  showDerivative(): void;
  /** Open the PyTorch code and show it. */
  showPytorch(): void;
  /** Draw a graph built elsewhere in the explorer. */
  showGraph(output: Value, caption: string): void;
  /** The open lesson changed: rewrite the address. */
  lessonChanged(): void;
  /** The training view's state, for lesson 10 (null when unknown). */
  training(): TrainingSummary | null;
  /** The address of the moons demo in the training view (`#view=training&...`). */
  moonsLink: string;
  /** Where progress is kept (null: not kept). */
  storage: ProgressStorage | null;
}

/** A mounted Lessons panel. */
export interface LessonsPanel {
  /** Its root element. */
  element: HTMLElement;
  /** The open lesson's number, or null. */
  current(): number | null;
  /**
   * Open lesson `number` (null closes the panel's lesson); with
   * `loadPreset` its preset replaces the program.
   */
  open(number: number | null, loadPreset: boolean): void;
}

const STYLE = `
.lessons { border: 1px solid #d0ebff; background: #f8fbff; border-radius: 6px; padding: 8px 10px; display: flex; flex-direction: column; gap: 6px; }
.lessons .explorer-row label { white-space: nowrap; }
.lessons .lesson-text, .lessons .lesson-task { margin: 0; font-size: 0.92em; }
.lessons .lesson-task { font-weight: 600; }
.lessons .lesson-answers { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
.lessons .lesson-answers label { font-weight: 400; font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.lessons .lesson-answers input { width: 6em; }
.lessons .lesson-answers input[aria-invalid="true"] { outline: 2px solid #e03131; }
.lessons .lesson-result { margin: 0; font-size: 0.9em; min-height: 1.2em; }
.lessons .lesson-result[data-passed="true"] { color: #2b8a3e; }
.lessons .lesson-result[data-passed="false"] { color: #c92a2a; }
.lessons .lesson-progress { font-size: 0.85em; color: #475467; }
.lessons pre { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin: 0; max-height: 12em; overflow-y: auto; background: #fff; border: 1px solid #e9ecef; border-radius: 4px; padding: 4px 6px; }
`;

/** The menu's text for a lesson, with a mark when passed. */
function optionText(lesson: Lesson, passed: boolean): string {
  return `${passed ? "✓ " : ""}${lesson.number}. ${lesson.title}`;
}

/**
 * Build the Lessons panel (not yet in the document: append `element`).
 *
 * @example
 * ```ts ignore
 * const lessons = mountLessons(document, host);
 * root.prepend(lessons.element);
 * lessons.open(3, true);
 * ```
 */
export function mountLessons(
  document: Document,
  host: LessonHost,
): LessonsPanel {
  const element = html(document, "section", {
    class: "lessons",
    "aria-label": "Guided lessons",
  });
  const style = html(document, "style");
  style.textContent = STYLE;

  const menuRow = html(document, "div", { class: "explorer-row" });
  const menuLabel = html(document, "label", { for: "lessons" }, "Lessons");
  const menu = html(document, "select", { id: "lessons" });
  menu.appendChild(
    html(document, "option", { value: "" }, "Free exploration (no lesson)"),
  );
  const options = new Map<number, HTMLOptionElement>();
  for (const lesson of LESSONS) {
    const option = html(document, "option", {
      value: String(lesson.number),
      "data-lesson": String(lesson.number),
    });
    options.set(lesson.number, option);
    menu.appendChild(option);
  }
  const previous = button(document, "lesson-previous", "‹ Previous");
  const next = button(document, "lesson-next", "Next ›");
  const progress = html(document, "span", {
    id: "lesson-progress",
    class: "lesson-progress",
  });
  menuRow.append(menuLabel, menu, previous, next, progress);

  const body = html(document, "div", { id: "lesson-body" });
  body.hidden = true;
  const title = html(document, "strong", { id: "lesson-title" });
  const text = html(document, "p", { id: "lesson-text", class: "lesson-text" });
  const task = html(document, "p", { id: "lesson-task", class: "lesson-task" });
  const answers = html(document, "div", { class: "lesson-answers" });
  const extra = html(document, "div", { class: "lesson-extra" });
  const checkRow = html(document, "div", { class: "explorer-row" });
  const check = button(document, "lesson-check", "Check");
  const result = liveRegion(document, "p", "lesson-result", "lesson-result");
  checkRow.append(check, result);
  body.append(title, text, task, answers, extra, checkRow);
  element.append(style, menuRow, body);

  // ---- Lesson 9: the hand-training panel (made when first shown) ----
  const hand = new HandTraining();
  let handUsed = false;
  let handPanel: HTMLElement | null = null;

  function handTrainingPanel(): HTMLElement {
    if (handPanel) return handPanel;
    const panel = html(document, "div", {
      id: "mlp-panel",
      class: "explorer-column",
    });
    const data = html(
      document,
      "pre",
      {},
      LECTURE_XS.map((x, i) =>
        `xs[${i}] = [${x.join(", ")}]   ys[${i}] = ${LECTURE_YS[i]}`
      ).join("\n"),
    );
    const row = html(document, "div", { class: "explorer-row" });
    const [lrLabel, lr] = labelledInput(document, "mlp-lr", "lr", {
      type: "number",
      step: "0.01",
      min: "0",
      max: "1",
      value: String(LECTURE_LEARNING_RATE),
    });
    lr.style.width = "5em";
    const stepButton = button(document, "mlp-step", "One step", {
      title: "forward, zero_grad, backward, p.data -= lr * p.grad",
    });
    const tenButton = button(document, "mlp-step10", "10 steps");
    const resetButton = button(document, "mlp-reset", "Reset weights");
    const graphButton = button(document, "mlp-graph", "Draw the loss graph", {
      title: "Show this loss, through the current weights, in the graph view",
    });
    const [forgetLabel, forget] = checkbox(
      document,
      "mlp-forget-zero",
      "forget zero_grad",
      "The lecture's other bug: without zero_grad each step adds its grads to the last step's",
    );
    row.append(
      lrLabel,
      lr,
      stepButton,
      tenButton,
      resetButton,
      graphButton,
      forgetLabel,
    );
    const loss = liveRegion(document, "p", "mlp-loss", "lesson-progress");
    const log = html(document, "pre", { id: "mlp-log" });
    const learningRate = (): number => {
      const value = Number(lr.value);
      return Number.isFinite(value) && value >= 0 ? value : 0;
    };
    const show = (): void => {
      const current = hand.loss();
      loss.dataset.value = String(current);
      loss.dataset.steps = String(hand.steps);
      loss.textContent = `After ${hand.steps} step${
        hand.steps === 1 ? "" : "s"
      }: loss = ${formatShortNumber(current)}`;
      log.textContent = hand.history.map((step) =>
        `step ${step.step}: loss ${formatShortNumber(step.loss)}  ypred [${
          step.predictions.map((y) => formatShortNumber(y)).join(", ")
        }]`
      ).join("\n");
      log.scrollTop = log.scrollHeight;
    };
    const steps = (count: number): void => {
      handUsed = true;
      for (let i = 0; i < count; i++) hand.step(learningRate(), forget.checked);
      show();
    };
    stepButton.addEventListener("click", () => steps(1));
    tenButton.addEventListener("click", () => steps(10));
    resetButton.addEventListener("click", () => {
      hand.reset();
      show();
    });
    graphButton.addEventListener("click", () => {
      const { loss: output } = hand.lossGraph();
      host.showGraph(
        output,
        `The hand-trained MLP's loss over the four examples, after ${hand.steps} steps`,
      );
    });
    panel.append(data, row, loss, log);
    show();
    handPanel = panel;
    return panel;
  }

  // ---- Lesson 10: the link to the demo ----
  const moons = html(document, "a", {
    id: "lesson-moons",
    href: host.moonsLink,
  }, "Open micrograd's moons demo in the training view");

  // ---- State ----
  let open: Lesson | null = null;
  const passed = readProgress(host.storage);

  function refreshMenu(): void {
    for (const lesson of LESSONS) {
      const option = options.get(lesson.number) as HTMLOptionElement;
      option.textContent = optionText(lesson, passed.has(lesson.number));
      option.dataset.passed = String(passed.has(lesson.number));
    }
    progress.textContent = `${passed.size} of ${LESSONS.length} passed`;
    previous.disabled = !open || open.number === 1;
    next.disabled = open !== null && open.number === LESSONS.length;
  }

  function state(): LessonState {
    const typed: Record<string, string> = {};
    for (const input of answers.querySelectorAll("input")) {
      typed[input.dataset.answer ?? ""] = input.value;
    }
    return {
      ...host.explorerState(),
      answers: typed,
      derivative: host.derivativeState(),
      handTraining: handUsed ? { steps: hand.steps, loss: hand.loss() } : null,
      training: host.training(),
    };
  }

  function runCheck(): void {
    if (!open) return;
    const outcome = open.check(state());
    result.textContent = outcome.message;
    result.dataset.passed = String(outcome.passed);
    for (const input of answers.querySelectorAll("input")) {
      if (outcome.wrong.includes(input.dataset.answer ?? "")) {
        input.setAttribute("aria-invalid", "true");
      } else input.removeAttribute("aria-invalid");
    }
    if (outcome.passed && !passed.has(open.number)) {
      passed.add(open.number);
      writeProgress(host.storage, passed);
      refreshMenu();
    }
  }

  function show(number: number | null, loadPreset: boolean): void {
    const lesson = LESSONS.find((candidate) => candidate.number === number) ??
      null;
    open = lesson;
    menu.value = lesson ? String(lesson.number) : "";
    body.hidden = !lesson;
    answers.replaceChildren();
    extra.replaceChildren();
    result.textContent = "";
    delete result.dataset.passed;
    refreshMenu();
    if (!lesson) {
      host.lessonChanged();
      return;
    }
    title.textContent =
      `Lesson ${lesson.number} of ${LESSONS.length}: ${lesson.title}`;
    text.textContent = lesson.text;
    task.textContent = `To do: ${lesson.task}`;
    for (const answer of lesson.answers) {
      const [label, input] = labelledInput(
        document,
        `lesson-answer-${answer.id}`,
        answer.label,
        { type: "text", inputmode: "decimal", autocomplete: "off" },
      );
      input.dataset.answer = answer.id;
      const pair = html(document, "span");
      pair.append(label, document.createTextNode(" = "), input);
      answers.appendChild(pair);
    }
    if (loadPreset && lesson.preset) host.choosePreset(lesson.preset);
    if (lesson.panel === "hand-training") {
      extra.appendChild(handTrainingPanel());
    }
    if (lesson.panel === "moons") extra.appendChild(moons);
    if (loadPreset && lesson.panel === "derivative") host.showDerivative();
    if (lesson.panel === "pytorch") host.showPytorch();
    host.lessonChanged();
  }

  menu.addEventListener("change", () => {
    const number = menu.value === "" ? null : Number(menu.value);
    show(number, true);
  });
  previous.addEventListener("click", () => {
    if (open && open.number > 1) show(open.number - 1, true);
  });
  next.addEventListener("click", () => show((open?.number ?? 0) + 1, true));
  check.addEventListener("click", runCheck);
  answers.addEventListener("keydown", (event) => {
    if (event.key === "Enter") runCheck();
  });
  refreshMenu();

  return {
    element,
    current: () => open?.number ?? null,
    open: show,
  };
}
