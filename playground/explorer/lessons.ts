/**
 * The guided lessons: the lecture in ten steps, each a preset, two or three
 * sentences, one thing to do and a check of it. This file is the content
 * and the checks, pure code (no DOM): a check reads a {@linkcode LessonState}
 * (what the page shows and what the learner typed) and says whether the
 * step is done, and if not, what is missing or wrong. Expected gradients
 * are always computed by the engine (`backward()`) from the program in the
 * box, never written here. The panel is `lessons_view.ts`.
 *
 * Progress (which lessons were passed) is kept in local storage under
 * {@linkcode LESSON_PROGRESS_KEY}.
 *
 * @module
 */

import { formatShortNumber } from "./format.ts";
import { buildGraph } from "./parser.ts";
import { BackwardStepper } from "./stepper.ts";

/** The derivative view's numbers, for lesson 1. */
export interface DerivativeState {
  /** Where x is. */
  x: number;
  /** The step h. */
  h: number;
  /** `(f(x+h) − f(x)) / h`. */
  secant: number;
  /** df/dx by backward(). */
  exact: number;
}

/** The hand-trained MLP of lesson 9. */
export interface HandTrainingState {
  /** Steps taken. */
  steps: number;
  /** The loss at the current weights. */
  loss: number;
}

/** What the training view reports, for lesson 10. */
export interface TrainingSummary {
  /** The dataset being trained on. */
  dataset: string;
  /** Steps taken in the current run. */
  steps: number;
  /** The last reported training accuracy, in [0, 1] (NaN before any step). */
  trainAccuracy: number;
}

/** Everything a check may look at. */
export interface LessonState {
  /** The program in the explorer's box. */
  source: string;
  /** Whether the grads shown come from a backward pass (Backward, or Step backward to the end). */
  backwardRan: boolean;
  /** Whether the buggy engine is ticked. */
  buggy: boolean;
  /** The grad shown on each named value of the drawn graph. */
  grads: Readonly<Record<string, number>>;
  /** What the learner typed in each answer box, by answer id. */
  answers: Readonly<Record<string, string>>;
  /** The derivative view, when it shows a function. */
  derivative: DerivativeState | null;
  /** The MLP of lesson 9, once made. */
  handTraining: HandTrainingState | null;
  /** The training view, when known. */
  training: TrainingSummary | null;
}

/** A box the learner types a number in. */
export interface LessonAnswer {
  /** Its id (`lesson-answer-ID` in the page). */
  id: string;
  /** Its label, e.g. `dL/da`. */
  label: string;
}

/** What a check says. */
export interface LessonResult {
  /** Whether the step is done. */
  passed: boolean;
  /** One or two sentences for the learner. */
  message: string;
  /** The answer ids that are wrong or missing. */
  wrong: string[];
}

/** A part of the page a lesson brings into view. */
export type LessonPanel = "derivative" | "pytorch" | "hand-training" | "moons";

/** One step of the lecture. */
export interface Lesson {
  /** 1..10, its place in the lecture (and `lesson=N` in the address). */
  number: number;
  /** Short title. */
  title: string;
  /** The explorer preset it loads, or null to keep the program. */
  preset: string | null;
  /** Two or three sentences. */
  text: string;
  /** The one thing to do. */
  task: string;
  /** The boxes to type numbers in (none for a check of the page). */
  answers: readonly LessonAnswer[];
  /** A part of the page it uses, if any. */
  panel: LessonPanel | null;
  /** Whether the task is done. */
  check(state: LessonState): LessonResult;
}

/**
 * How far a typed number may be from the engine's and still count:
 * 1% (of the value, at least of 1), so 0.707 and -1.5 are read as meant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeEnough } from "./lessons.ts";
 * assert.equal(closeEnough(-1.5, -1.4999999999999998), true);
 * assert.equal(closeEnough(0.707, 0.7071067811865476), true);
 * assert.equal(closeEnough(1, 2), false);
 * ```
 */
export function closeEnough(typed: number, expected: number): boolean {
  return Math.abs(typed - expected) <= 0.01 * Math.max(1, Math.abs(expected));
}

/**
 * A typed number: decimal or a fraction like `-3/2`; null when it is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTypedNumber } from "./lessons.ts";
 * assert.equal(readTypedNumber(" -1.5 "), -1.5);
 * assert.equal(readTypedNumber("1/2"), 0.5);
 * assert.equal(readTypedNumber("−2"), -2); // a typographic minus
 * assert.equal(readTypedNumber(""), null);
 * assert.equal(readTypedNumber("six"), null);
 * ```
 */
export function readTypedNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[−–]/g, "-").replace(/\s+/g, "");
  if (cleaned === "") return null;
  const fraction = /^(-?[\d.]+(?:e[+-]?\d+)?)\/(-?[\d.]+(?:e[+-]?\d+)?)$/i
    .exec(cleaned);
  const value = fraction
    ? Number(fraction[1]) / Number(fraction[2])
    : Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/** Each named value's grad after a backward pass of the program (buggy or not). */
function engineGradients(
  source: string,
  buggy = false,
): Map<string, number> {
  const { output, values } = buildGraph(source);
  if (buggy) new BackwardStepper(output, { buggy: true }).finish();
  else output.backward();
  return new Map([...values].map(([name, value]) => [name, value.grad]));
}

/** What an answer box should hold, computed from the program in the box. */
type Expectation = (source: string) => number;

/** The grad of `name` by backward(). */
const gradOf = (name: string, buggy = false): Expectation => (source) => {
  const grad = engineGradients(source, buggy).get(name);
  if (grad === undefined) {
    throw new RangeError(
      `the program has no value named ${name}: choose the lesson again to get its program back`,
    );
  }
  return grad;
};

/**
 * Check typed answers against the engine: passed when every one is close
 * enough; otherwise the message says which are missing and which are wrong
 * (not what they should be).
 */
function checkAnswers(
  state: LessonState,
  answers: readonly LessonAnswer[],
  expectations: Readonly<Record<string, Expectation>>,
  success: string,
): LessonResult {
  const missing: LessonAnswer[] = [];
  const wrong: LessonAnswer[] = [];
  for (const answer of answers) {
    const typed = readTypedNumber(state.answers[answer.id] ?? "");
    if (typed === null) {
      missing.push(answer);
      continue;
    }
    let expected: number;
    try {
      expected = expectations[answer.id](state.source);
    } catch (error) {
      return {
        passed: false,
        message: `The program in the box does not fit this lesson: ${
          error instanceof Error ? error.message : String(error)
        }.`,
        wrong: [],
      };
    }
    if (!closeEnough(typed, expected)) wrong.push(answer);
  }
  if (missing.length === 0 && wrong.length === 0) {
    return { passed: true, message: success, wrong: [] };
  }
  const list = (items: LessonAnswer[]): string =>
    items.map((answer) => answer.label).join(", ");
  const parts: string[] = [];
  if (wrong.length > 0) {
    const right = answers.length - wrong.length - missing.length;
    parts.push(
      `Not right yet: ${list(wrong)}.${
        right > 0 ? ` The other${right === 1 ? " is" : "s are"} right.` : ""
      }`,
    );
  }
  if (missing.length > 0) parts.push(`Type a number for ${list(missing)}.`);
  return {
    passed: false,
    message: parts.join(" "),
    wrong: [...wrong, ...missing].map((answer) => answer.id),
  };
}

/** A lesson whose task is typing grads (or slopes) that backward() knows. */
function answerLesson(
  fields: Omit<Lesson, "check" | "answers">,
  answers: readonly (LessonAnswer & { expected: Expectation })[],
  success: string,
): Lesson {
  const expectations = Object.fromEntries(
    answers.map((answer) => [answer.id, answer.expected]),
  );
  const boxes = answers.map(({ id, label }) => ({ id, label }));
  return {
    ...fields,
    answers: boxes,
    check: (state) => checkAnswers(state, boxes, expectations, success),
  };
}

/** Answers for the grads of the named values, each labelled by `label(name)`. */
function gradAnswers(
  label: (name: string) => string,
  names: readonly string[],
): (LessonAnswer & { expected: Expectation })[] {
  return names.map((name) => ({
    id: name,
    label: label(name),
    expected: gradOf(name),
  }));
}

const failed = (message: string): LessonResult => ({
  passed: false,
  message,
  wrong: [],
});

/** The tanh neuron's leaves, whose grads lesson 6 compares. */
const NEURON_LEAVES = ["x1", "x2", "w1", "w2", "b"];

/**
 * The lecture's tanh neuron (the `neuron` preset's numbers), for lesson 6:
 * its leaf grads by backward().
 */
const TANH_NEURON =
  "x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.8813735870195432\n" +
  "o = tanh(x1*w1 + x2*w2 + b)";

/** Lesson 9's goal. */
const HAND_TRAINING_GOAL = 0.1;
/** Lesson 10's goal. */
const MOONS_GOAL = 0.95;

/**
 * The ten lessons, in the lecture's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LESSONS } from "./lessons.ts";
 * assert.equal(LESSONS.length, 10);
 * assert.deepEqual(LESSONS.map((lesson) => lesson.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
 * const backprop = LESSONS[2];
 * const state = {
 *   source: "a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d * f",
 *   backwardRan: false, buggy: false, grads: {}, derivative: null, handTraining: null, training: null,
 *   answers: { L: "1", d: "-2", f: "4", e: "-2", c: "-2", a: "6", b: "-4" },
 * };
 * assert.equal(backprop.check(state).passed, true);
 * const wrong = backprop.check({ ...state, answers: { ...state.answers, a: "-6" } });
 * assert.equal(wrong.passed, false);
 * assert.deepEqual(wrong.wrong, ["a"]);
 * ```
 */
export const LESSONS: readonly Lesson[] = Object.freeze([
  {
    number: 1,
    title: "The derivative as a slope",
    preset: null,
    text:
      "A derivative is a slope: nudge x by a small h and see how much f moves per unit of h, (f(x+h) − f(x)) / h. The plot shows f(x) = 3x² − 4x + 5, that secant (orange) and the exact slope backward() computes (green); at x = 3 it is 14.",
    task:
      "Set h to 0.01 or less, then move x (drag on the plot or type it) to where f is flat: where the secant's slope is about 0 (between −0.1 and 0.1).",
    answers: [],
    panel: "derivative",
    check(state: LessonState): LessonResult {
      const derivative = state.derivative;
      if (!derivative) {
        return failed(
          "The derivative view shows no function: fix its program (or choose this lesson again).",
        );
      }
      if (!(derivative.h <= 0.01)) {
        return failed(
          `h is ${derivative.h}: with a step that big the secant is not the slope at x. Make h 0.01 or less.`,
        );
      }
      if (!(Math.abs(derivative.secant) < 0.1)) {
        return failed(
          `At x = ${formatShortNumber(derivative.x)} the slope is ${
            formatShortNumber(derivative.secant)
          }: f still ${
            derivative.secant > 0
              ? "climbs, move x left"
              : "falls, move x right"
          }.`,
        );
      }
      return {
        passed: true,
        message: `Right: at x = ${
          formatShortNumber(derivative.x)
        } the slope is ${
          formatShortNumber(derivative.secant)
        }, f is at its lowest. The exact place is x = 2/3, where 6x − 4 = 0.`,
        wrong: [],
      };
    },
  },
  answerLesson(
    {
      number: 2,
      title: "Nudge each input: d = a*b + c",
      preset: "d-abc",
      text:
        "With several inputs, each has its own slope: how much d moves when only that input is nudged. That slope is the partial derivative of d with respect to the input, and it is what the input's grad will hold.",
      task:
        "In “Nudge a leaf”, pick a, b and c in turn (h = 0.001) and type the slope of d you read for each.",
      panel: null,
    },
    gradAnswers((name) => `slope of d for ${name}`, ["a", "b", "c"]),
    "Right: d moves by b = −3 per unit of a, by a = 2 per unit of b and by 1 per unit of c. Nudging finds each slope with one more forward pass per input; backpropagation will find them all in one backward pass.",
  ),
  answerLesson(
    {
      number: 3,
      title: "Backpropagation by hand",
      preset: "lecture",
      text:
        "Backpropagation starts at the output, dL/dL = 1, and hands each node's grad to its inputs. For L = d * f, dL/dd = f and dL/df = d; a + passes its grad unchanged to both inputs; a * gives each input the other input's data times its grad.",
      task:
        "Without pressing Backward, type the grad of every value. The page checks each against backward().",
      panel: null,
    },
    gradAnswers((name) => `dL/d${name}`, ["L", "d", "f", "e", "c", "a", "b"]),
    "All right: that is exactly what backward() computes. Press Backward to see the same numbers on the graph.",
  ),
  answerLesson(
    {
      number: 4,
      title: "The chain rule through + and *",
      preset: "chain-rule",
      text:
        "The chain rule multiplies local derivatives along the path: dL/da = dL/dp · dp/ds · ds/da = d · c · 1. Step backward applies it one node at a time, and the box under the buttons shows each step's arithmetic.",
      task:
        "Press Step backward until it is done, reading each formula, then type dL/da (through the +) and dL/dc (through the *).",
      panel: null,
    },
    gradAnswers((name) => `dL/d${name}`, ["a", "c"]),
    "Right: dL/da = d · c = −20 (the + passed it on unchanged) and dL/dc = d · s = −8 (the * swapped in the other input).",
  ),
  answerLesson(
    {
      number: 5,
      title: "A neuron with tanh",
      preset: "neuron",
      text:
        "A neuron squashes w·x + b with tanh: o = tanh(n). The local derivative of tanh is 1 − tanh(n)² = 1 − o², and o = 0.7071 here. w2's grad will be 0: its input x2 is 0, so changing w2 changes nothing.",
      task:
        "Type do/dn, then do/dx1 (the chain rule through x1*w1). Press Backward afterwards to compare.",
      panel: null,
    },
    gradAnswers((name) => `do/d${name}`, ["n", "x1"]),
    "Right: do/dn = 1 − 0.7071² = 0.5, and do/dx1 = w1 · 0.5 = −1.5.",
  ),
  {
    number: 6,
    title: "tanh from exp: the same gradients",
    preset: "neuron-exp",
    text:
      "An operation can be built from smaller ones, as long as each knows its own local derivative. Here tanh is written with exp, a subtraction and a division: more nodes, the same output and the same gradients.",
    task:
      "Press Backward and compare the leaves' grads with the tanh neuron's (x1 −1.5, w1 1, x2 0.5, w2 0, b 0.5); then Check.",
    answers: [],
    panel: null,
    check(state: LessonState): LessonResult {
      if (!state.backwardRan) {
        return failed("Press Backward first: no grads are computed yet.");
      }
      if (state.buggy) {
        return failed(
          "Untick “buggy engine” and press Backward again: its grads are wrong on purpose.",
        );
      }
      const expected = engineGradients(TANH_NEURON);
      const differ = NEURON_LEAVES.filter((name) =>
        state.grads[name] === undefined ||
        !closeEnough(state.grads[name], expected.get(name) as number)
      );
      if (differ.length > 0) {
        return failed(
          `The grads of ${
            differ.join(", ")
          } differ from the tanh neuron's: was the program changed? Choose the lesson again to get it back.`,
        );
      }
      return {
        passed: true,
        message:
          "Same gradients: how an operation is broken into nodes does not change the derivatives, only how much work they are.",
        wrong: [],
      };
    },
  },
  answerLesson(
    {
      number: 7,
      title: "The a + a bug",
      preset: "a-plus-a",
      text:
        "When a value is used twice, both uses add to its grad: b = a + a = 2a, so db/da = 2. The first micrograd assigned each contribution (=) instead of adding it (+=), so the second use overwrote the first.",
      task:
        "Tick “buggy engine” and press Backward: type the a.grad it shows. Untick it, press Backward again and type the right a.grad.",
      panel: null,
    },
    [
      {
        id: "buggy",
        label: "a.grad with the buggy engine",
        expected: gradOf("a", true),
      },
      { id: "fixed", label: "the right a.grad", expected: gradOf("a") },
    ],
    "Right: the buggy engine loses one of the two contributions (1 instead of 2). That is why backward() adds (+=) into every grad, and why grads must be zeroed before each new pass.",
  ),
  answerLesson(
    {
      number: 8,
      title: "The same neuron in PyTorch",
      preset: "neuron",
      text:
        "PyTorch does the same on tensors: leaves made with requires_grad=True, the same expression, then o.backward() fills every leaf's .grad. The code below is generated from the program in the box: edit the program and it follows.",
      task:
        "Copy the code and run it where Python and PyTorch are installed (pip install torch), or read the graph's Backward: type the x2.grad it prints.",
      panel: "pytorch",
    },
    gradAnswers((name) => `${name}.grad`, ["x2"]),
    "Right: PyTorch prints x2.grad = 0.5 (0.49999999999999994: it rounds in its own order), as backward() computes here.",
  ),
  {
    number: 9,
    title: "Training an MLP by hand",
    preset: null,
    text:
      "An MLP of tanh neurons (3 inputs, two layers of 4, one output: 41 parameters) should output ys = [1, −1, −1, 1] for the four xs. The loss adds the squared errors; a step runs forward, zero_grad, backward, and moves every parameter against its grad: p.data −= lr · p.grad.",
    task:
      `Press “One step” and watch the loss fall, until it is below ${HAND_TRAINING_GOAL}.`,
    answers: [],
    panel: "hand-training",
    check(state: LessonState): LessonResult {
      const training = state.handTraining;
      if (!training || training.steps === 0) {
        return failed("Press “One step” first: no step is taken yet.");
      }
      if (!(training.loss < HAND_TRAINING_GOAL)) {
        return failed(
          `The loss is ${
            formatShortNumber(training.loss)
          } after ${training.steps} step${
            training.steps === 1 ? "" : "s"
          }: keep stepping (or raise the learning rate a little).`,
        );
      }
      return {
        passed: true,
        message: `Trained: the loss is ${
          formatShortNumber(training.loss)
        } after ${training.steps} steps, and the four outputs are close to ys. That loop is all of neural network training.`,
        wrong: [],
      };
    },
  },
  {
    number: 10,
    title: "micrograd's moons demo",
    preset: null,
    text:
      "The same engine, scaled up: micrograd's demo trains a 2-16-16-1 relu network on 100 points of two interleaved moons, with a max-margin loss, L2 regularization and a learning rate that decays from 1.0.",
    task:
      `Open the demo in the training view (the link below sets its settings), press Train, and come back to Check once the training accuracy is ${
        MOONS_GOAL * 100
      }% or more.`,
    answers: [],
    panel: "moons",
    check(state: LessonState): LessonResult {
      const training = state.training;
      if (!training || training.dataset !== "moons") {
        return failed(
          "The training view is not on the moons: open the demo with the link.",
        );
      }
      if (!(training.trainAccuracy >= MOONS_GOAL)) {
        const accuracy = Number.isFinite(training.trainAccuracy)
          ? `${Math.round(training.trainAccuracy * 100)}%`
          : "not measured yet";
        return failed(
          `Training accuracy is ${accuracy} after ${training.steps} steps: keep training.`,
        );
      }
      return {
        passed: true,
        message: `Done: ${
          Math.round(training.trainAccuracy * 100)
        }% of the training points classified right after ${training.steps} steps, by the engine you just took apart.`,
        wrong: [],
      };
    },
  },
]);

/** The local-storage key of the passed lessons (a JSON array of numbers). */
export const LESSON_PROGRESS_KEY = "micrograd.lessons.passed";

/** The part of `Storage` the progress needs. */
export interface ProgressStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The lessons passed so far (sorted); an empty set when nothing, or
 * something unreadable, is stored, or storage is not available.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readProgress, writeProgress } from "./lessons.ts";
 * const memory = new Map<string, string>();
 * const storage = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v) };
 * writeProgress(storage, new Set([3, 1]));
 * assert.deepEqual([...readProgress(storage)], [1, 3]);
 * memory.set("micrograd.lessons.passed", "not json");
 * assert.deepEqual([...readProgress(storage)], []);
 * ```
 */
export function readProgress(storage: ProgressStorage | null): Set<number> {
  try {
    const stored: unknown = JSON.parse(
      storage?.getItem(LESSON_PROGRESS_KEY) ?? "[]",
    );
    if (!Array.isArray(stored)) return new Set();
    return new Set(
      stored
        .filter((n): n is number =>
          Number.isInteger(n) && LESSONS.some((lesson) => lesson.number === n)
        )
        .sort((a, b) => a - b),
    );
  } catch {
    return new Set();
  }
}

/**
 * Store the passed lessons; false when storage refused (private mode, full).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeProgress } from "./lessons.ts";
 * const refusing = { getItem: () => null, setItem: () => { throw new Error("full"); } };
 * assert.equal(writeProgress(refusing, new Set([2])), false);
 * ```
 */
export function writeProgress(
  storage: ProgressStorage | null,
  passed: ReadonlySet<number>,
): boolean {
  if (!storage) return false;
  try {
    storage.setItem(
      LESSON_PROGRESS_KEY,
      JSON.stringify([...passed].sort((a, b) => a - b)),
    );
    return true;
  } catch {
    return false;
  }
}
