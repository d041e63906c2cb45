/**
 * The guided lessons' content and checks (playground/explorer/lessons.ts),
 * without a page: every lesson's preset exists, each check passes on what
 * the engine computes and refuses what it does not, saying which answer is
 * wrong; the hand-trained MLP of lesson 9 reaches its goal by hand steps.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { HandTraining } from "../playground/explorer/hand_training.ts";
import {
  LESSONS,
  type LessonState,
  readProgress,
  writeProgress,
} from "../playground/explorer/lessons.ts";
import { buildGraph } from "../playground/explorer/parser.ts";
import { PRESETS } from "../playground/explorer/presets.ts";
import { BackwardStepper } from "../playground/explorer/stepper.ts";

const lesson = (number: number) => LESSONS[number - 1];

/** The state of a page showing `preset`'s program, nothing done yet. */
function stateOf(preset: string | null): LessonState {
  const source = preset === null
    ? ""
    : PRESETS.find((candidate) => candidate.id === preset)!.source;
  return {
    source,
    backwardRan: false,
    buggy: false,
    grads: {},
    answers: {},
    derivative: null,
    handTraining: null,
    training: null,
  };
}

/** The program's named values' grads after backward(), buggy or not. */
function grads(source: string, buggy = false): Record<string, number> {
  const { output, values } = buildGraph(source);
  if (buggy) new BackwardStepper(output, { buggy: true }).finish();
  else output.backward();
  return Object.fromEntries([...values].map(([name, v]) => [name, v.grad]));
}

describe("lessons: content", () => {
  test("ten lessons in the lecture's order, each with a preset that exists and a task", () => {
    assert.equal(LESSONS.length, 10);
    for (const [index, item] of LESSONS.entries()) {
      assert.equal(item.number, index + 1);
      assert.ok(item.text.length > 80 && item.task.length > 20, item.title);
      if (item.preset !== null) {
        assert.ok(
          PRESETS.some((preset) => preset.id === item.preset),
          `${item.title}: preset ${item.preset}`,
        );
      }
      for (const answer of item.answers) {
        assert.match(answer.id, /^[A-Za-z][A-Za-z0-9_]*$/);
      }
    }
    assert.equal(lesson(1).panel, "derivative");
    assert.equal(lesson(8).panel, "pytorch");
    assert.equal(lesson(9).panel, "hand-training");
    assert.equal(lesson(10).panel, "moons");
  });
});

describe("lessons: answer checks against backward()", () => {
  for (
    const item of LESSONS.filter((candidate) => candidate.answers.length > 0)
  ) {
    test(`${item.number}. ${item.title}: right answers pass, a wrong one is named`, () => {
      const state = stateOf(item.preset);
      const right = grads(state.source);
      const buggy = grads(state.source, true);
      // Lesson 7 asks for a.grad with the buggy and the right engine.
      const expected = (id: string): number =>
        id === "buggy" ? buggy.a : id === "fixed" ? right.a : right[id];
      const answers = Object.fromEntries(
        item.answers.map((answer) => [answer.id, String(expected(answer.id))]),
      );
      const passed = item.check({ ...state, answers });
      assert.equal(passed.passed, true, passed.message);
      assert.deepEqual(passed.wrong, []);
      const [first, ...others] = item.answers;
      const wrong = item.check({
        ...state,
        answers: { ...answers, [first.id]: String(expected(first.id) + 1) },
      });
      assert.equal(wrong.passed, false);
      assert.deepEqual(wrong.wrong, [first.id]);
      assert.match(
        wrong.message,
        new RegExp(
          `Not right yet: ${
            first.label.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
          }\\.`,
        ),
      );
      if (others.length > 0) assert.match(wrong.message, /right\.$/);
      const empty = item.check({ ...state, answers: {} });
      assert.equal(empty.passed, false);
      assert.deepEqual(empty.wrong, item.answers.map((answer) => answer.id));
    });
  }

  test("a program that lacks an answer's value says so instead of failing", () => {
    const result = lesson(3).check({
      ...stateOf(null),
      source: "x = 1; y = x * 2",
      answers: { L: "1", d: "1", f: "1", e: "1", c: "1", a: "1", b: "1" },
    });
    assert.equal(result.passed, false);
    assert.match(result.message, /no value named L/);
  });
});

describe("lessons: checks of the page", () => {
  test("1: h small and the secant flat", () => {
    const check = (x: number, h: number, secant: number) =>
      lesson(1).check({
        ...stateOf(null),
        derivative: { x, h, secant, exact: secant },
      });
    assert.match(check(3, 0.5, 15.5).message, /Make h 0\.01 or less/);
    assert.match(check(3, 0.001, 14.003).message, /climbs, move x left/);
    assert.match(check(0, 0.001, -3.997).message, /falls, move x right/);
    assert.equal(check(0.67, 0.001, 0.023).passed, true);
    assert.equal(lesson(1).check(stateOf(null)).passed, false);
  });

  test("6: the exp neuron's grads after Backward are the tanh neuron's", () => {
    const state = stateOf("neuron-exp");
    assert.match(lesson(6).check(state).message, /Press Backward first/);
    const shown = { ...state, backwardRan: true, grads: grads(state.source) };
    assert.equal(lesson(6).check(shown).passed, true);
    assert.match(
      lesson(6).check({ ...shown, buggy: true }).message,
      /Untick “buggy engine”/,
    );
    assert.match(
      lesson(6).check({ ...shown, grads: { ...shown.grads, w1: 2 } }).message,
      /grads of w1 differ/,
    );
  });

  test("9: the lecture's MLP, trained by hand to a loss below 0.1", () => {
    const training = new HandTraining();
    const check = () =>
      lesson(9).check({
        ...stateOf(null),
        handTraining: { steps: training.steps, loss: training.loss() },
      });
    assert.match(check().message, /Press “One step” first/);
    training.step();
    assert.match(check().message, /after 1 step: keep stepping/);
    while (training.steps < 40 && !check().passed) training.step();
    assert.equal(check().passed, true);
    assert.ok(training.steps <= 20, `${training.steps} steps`);
    assert.equal(training.history.length, training.steps);
    // The lecture's other bug: without zero_grad the steps go astray.
    training.reset();
    assert.equal(training.steps, 0);
    const forgetful = new HandTraining();
    for (let i = 0; i < 10; i++) {
      training.step();
      forgetful.step(0.05, true);
    }
    assert.notEqual(forgetful.loss(), training.loss());
  });

  test("10: the moons trained to 95%", () => {
    const check = (dataset: string, trainAccuracy: number) =>
      lesson(10).check({
        ...stateOf(null),
        training: { dataset, steps: 40, trainAccuracy },
      });
    assert.match(check("circles", 1).message, /not on the moons/);
    assert.match(check("moons", 0.8).message, /80% after 40 steps/);
    assert.match(check("moons", NaN).message, /not measured yet/);
    assert.equal(check("moons", 0.97).passed, true);
  });
});

describe("lessons: progress", () => {
  test("kept as the sorted lesson numbers; unknown numbers are dropped", () => {
    const memory = new Map<string, string>();
    const storage = {
      getItem: (key: string) => memory.get(key) ?? null,
      setItem: (key: string, value: string) => void memory.set(key, value),
    };
    assert.deepEqual([...readProgress(storage)], []);
    assert.equal(writeProgress(storage, new Set([7, 3])), true);
    assert.equal(memory.get("micrograd.lessons.passed"), "[3,7]");
    memory.set("micrograd.lessons.passed", '[3, 11, 2.5, "4", 7]');
    assert.deepEqual([...readProgress(storage)], [3, 7]);
    assert.deepEqual([...readProgress(null)], []);
    assert.equal(writeProgress(null, new Set([1])), false);
  });
});
