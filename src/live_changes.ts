/**
 * Which config changes a running `Trainer` can take and which need a new
 * run: {@linkcode LIVE_CONFIG_KEYS} (the learning rate, the optimiser, the
 * penalties, the schedule and its length, the batch size, the compile
 * switch, and the loss while the output layer stays the same) apply at the
 * next step with the step count and the model kept (`Trainer.reconfigure`);
 * a change of the data, the architecture, the input features, the
 * initialisation or the seed needs a new `Trainer`, and
 * {@linkcode configChanges} says which and why ("the architecture
 * changed"), as {@linkcode NewRunRequiredError} does when one is refused.
 *
 * @module
 */

import { FieldRangeError } from "./checks.ts";
import {
  CONFIG_SCHEMA,
  formatConfigField,
  type ResolvedConfig,
  type TrainConfig,
} from "./config.ts";

/** A config field a running trainer takes at its next step. */
export type LiveConfigKey =
  | "loss"
  | "optimizer"
  | "learningRate"
  | "schedule"
  | "steps"
  | "l2"
  | "l1"
  | "batchSize"
  | "compile";

/**
 * The fields `Trainer.reconfigure` applies to a running model, in config
 * order. `loss` is live only while the number of outputs stays (e.g. hinge
 * to logistic; not to `crossEntropy`, which has one output per class).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LIVE_CONFIG_KEYS } from "./live_changes.ts";
 * assert.ok(LIVE_CONFIG_KEYS.includes("learningRate"));
 * assert.ok(!LIVE_CONFIG_KEYS.includes("hidden" as never));
 * ```
 */
export const LIVE_CONFIG_KEYS: readonly LiveConfigKey[] = Object.freeze([
  "loss",
  "optimizer",
  "learningRate",
  "schedule",
  "steps",
  "l2",
  "l1",
  "batchSize",
  "compile",
]);

/** Why a change of each other field needs a new run. */
const NEW_RUN_REASONS: {
  readonly [K in Exclude<keyof TrainConfig, LiveConfigKey>]: string;
} = {
  dataset: "the data changed",
  points: "the data changed",
  noise: "the data changed",
  classes: "the data changed",
  dataSeed: "the data changed",
  testFraction: "the data changed",
  features: "the input features changed",
  hidden: "the architecture changed",
  activation: "the architecture changed",
  init: "the initialization changed",
  seed: "the seed changed",
};

/** A field whose change needs a new run, and why. */
export interface NewRunCause {
  /** The config field. */
  field: keyof TrainConfig;
  /** Why, e.g. `"the architecture changed"`. */
  reason: string;
}

/** What differs between two resolved configs, from {@linkcode configChanges}. */
export interface ConfigChanges {
  /** Every field whose effective value differs, in config order. */
  changed: (keyof TrainConfig)[];
  /** The changed fields a running trainer cannot take (empty: all live). */
  newRun: NewRunCause[];
}

/**
 * What differs between two resolved configs (see `resolveConfig`), and
 * which of the differences need a new run. Fields are compared by their
 * effective values, so `{ classes: 5 }` on the moons (always 2 classes)
 * changes nothing.
 *
 * @param before The config in effect.
 * @param after The config asked for.
 * @returns The changed fields, and those that need a new run with why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./config.ts";
 * import { configChanges } from "./live_changes.ts";
 * const before = resolveConfig({});
 * assert.deepEqual(configChanges(before, resolveConfig({ learningRate: 0.1 })), {
 *   changed: ["learningRate"],
 *   newRun: [],
 * });
 * assert.deepEqual(configChanges(before, resolveConfig({ hidden: [8] })).newRun, [
 *   { field: "hidden", reason: "the architecture changed" },
 * ]);
 * ```
 */
export function configChanges(
  before: ResolvedConfig,
  after: ResolvedConfig,
): ConfigChanges {
  const changed: (keyof TrainConfig)[] = [];
  const newRun: NewRunCause[] = [];
  for (const { key } of CONFIG_SCHEMA) {
    if (sameValue(key, before[key], after[key])) continue;
    changed.push(key);
    if (key === "loss") {
      // A live change only while the output layer keeps its size.
      if (before.outputs !== after.outputs) {
        newRun.push({ field: key, reason: "the architecture changed" });
      }
    } else if (!(LIVE_CONFIG_KEYS as readonly string[]).includes(key)) {
      newRun.push({
        field: key,
        reason: NEW_RUN_REASONS[key as keyof typeof NEW_RUN_REASONS],
      });
    }
  }
  return { changed, newRun };
}

/** Equal effective values: compared as their schema text (arrays included). */
function sameValue(key: keyof TrainConfig, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Points of your own data may lie outside the schema's limits: numbers
  // compare as numbers.
  if (typeof a === "number" || typeof b === "number") return false;
  return formatConfigField(key, a as never) ===
    formatConfigField(key, b as never);
}

/**
 * Thrown by `Trainer.reconfigure` for a change a running trainer cannot
 * take (the data, the architecture, the input features, the
 * initialisation or a seed): make a new `Trainer` instead. `field` is the
 * first such field, `fields` all of them, `reason` what a page can show
 * ("new run: the architecture changed").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NewRunRequiredError } from "./live_changes.ts";
 * const error = new NewRunRequiredError("Trainer.reconfigure", [
 *   { field: "hidden", reason: "the architecture changed" },
 * ]);
 * assert.ok(error instanceof RangeError);
 * assert.equal(error.field, "hidden");
 * assert.equal(error.reason, "the architecture changed");
 * assert.equal(
 *   error.message,
 *   "Trainer.reconfigure: hidden cannot change during a run (the architecture changed); make a new Trainer",
 * );
 * ```
 */
export class NewRunRequiredError extends FieldRangeError {
  /** Every field that needs a new run, in config order. */
  readonly fields: (keyof TrainConfig)[];
  /** Why, for the first of them, e.g. `"the architecture changed"`. */
  readonly reason: string;

  /**
   * Make the error.
   *
   * @param where The method refusing the change.
   * @param causes The fields and why (at least one).
   */
  constructor(where: string, causes: readonly NewRunCause[]) {
    const fields = causes.map((cause) => cause.field);
    const reasons = [...new Set(causes.map((cause) => cause.reason))];
    super(
      `${where}: ${fields.join(", ")} cannot change during a run (${
        reasons.join("; ")
      }); make a new Trainer`,
      {
        field: fields[0],
        allowed: "its current value (a new Trainer starts a new run)",
      },
    );
    this.name = "NewRunRequiredError";
    this.fields = fields;
    this.reason = reasons[0];
  }
}
