/**
 * micrograd for TypeScript: a tiny scalar autograd engine and a small neural
 * network library on top of it, after Andrej Karpathy's micrograd. Zero
 * dependencies; runs unchanged in Deno, Bun, Node and browsers.
 *
 * @example The lecture's first example
 * ```ts
 * import { Value } from "./mod.ts";
 *
 * const a = new Value(2, "a");
 * const b = new Value(-3, "b");
 * const c = new Value(10, "c");
 * const d = a.mul(b).add(c);
 * d.backward();
 * console.log(d.data, a.grad, b.grad, c.grad); // 4 -3 2 1
 * ```
 *
 * @module
 */

// Errors that name the field at fault
export { FieldRangeError, FieldTypeError, isFieldError } from "./src/checks.ts";
export type { FieldError, FieldErrorDetails } from "./src/checks.ts";
export type { NumberBounds } from "./src/checks.ts";

// Engine
export { topologicalOrder, Value } from "./src/engine.ts";
export type { Operation } from "./src/engine.ts";
export type { OperationName } from "./src/ops.ts";
export { Rng } from "./src/random.ts";

// Checking and seeing gradients
export { gradientCheck } from "./src/gradcheck.ts";
export type {
  GradientCheckOptions,
  GradientCheckResult,
  InputGradientCheck,
} from "./src/gradcheck.ts";
export { toDot, traceGraph } from "./src/graph.ts";
export type { GraphEdge, GraphNode, GraphTrace } from "./src/graph.ts";
export { layoutGraph, layoutSteps } from "./src/graph_layout.ts";
export type {
  GraphLayout,
  LayoutDirection,
  LayoutEdge,
  LayoutNode,
  LayoutOptions,
  Point,
} from "./src/graph_layout.ts";
export {
  escapeSvgText,
  MAXIMUM_DRAWN_VALUES,
  mlpToSvg,
  toSvg,
} from "./src/svg.ts";
export type { NetworkSvgOptions, SvgOptions } from "./src/svg.ts";
export type { MimeBundle } from "./src/display.ts";
export { findAnomaly } from "./src/anomaly.ts";
export type { Anomaly } from "./src/anomaly.ts";

// Neural networks
export { ACTIVATIONS } from "./src/activation.ts";
export type { Activation } from "./src/activation.ts";
export { INITIALIZATIONS } from "./src/initialization.ts";
export type { Initialization } from "./src/initialization.ts";
export { Layer, MLP, Module, Neuron } from "./src/nn.ts";
export type { LayerOptions, MLPOptions, NeuronOptions } from "./src/nn.ts";
export type { MLPJson, NeuronJson } from "./src/model_json.ts";
export {
  accuracy,
  bceWithLogitsLoss,
  encodeTargets,
  hingeLoss,
  l2Penalty,
  LOSS_NAMES,
  lossFromTargets,
  mseLoss,
  predictClass,
  softmaxCrossEntropyLoss,
} from "./src/loss.ts";
export type { LossName } from "./src/loss.ts";
export { Adam, SGD } from "./src/optim.ts";
export { BaseOptimizer } from "./src/optimizer.ts";
export type { AdamOptions, Optimizer, SGDOptions } from "./src/optim.ts";
export { learningRateAt, SCHEDULE_NAMES } from "./src/schedule.ts";
export type { ScheduleName } from "./src/schedule.ts";

// Data and the training loop
export {
  DATASET_NAMES,
  makeBlobs,
  makeCircles,
  makeDataset,
  makeMoons,
  makeSpiral,
  makeXor,
  MAX_NOISE,
  MULTICLASS_DATASETS,
  testSetSize,
  trainTestSplit,
} from "./src/data.ts";
export type {
  CirclesOptions,
  Dataset,
  DatasetName,
  DatasetOptions,
  MultiClassOptions,
  NoiseOptions,
} from "./src/data.ts";
export {
  CONFIG_BUDGET,
  CONFIG_SCHEMA,
  ConfigError,
  configField,
  configFromParams,
  configToParams,
  ConfigTypeError,
  DEFAULT_CONFIG,
  describeAllowed,
  describeResolution,
  estimateCost,
  formatConfigField,
  isConfigError,
  OPTIMIZER_NAMES,
  parseConfigField,
  resolveConfig,
  validateConfig,
} from "./src/config.ts";
export type {
  ConfigCost,
  ConfigErrorDetails,
  ConfigField,
  ConfigFromParamsOptions,
  ConfigFromParamsResult,
  ConfigGroup,
  ConfigKind,
  ConfigNote,
  FieldLimits,
  OptimizerName,
  ParseFieldOptions,
  ResolvedConfig,
  TrainConfig,
} from "./src/config.ts";
export {
  checkGrid,
  dataBounds,
  evaluateGrid,
  gridCellCenter,
  gridCellCenters,
  MAX_GRID_RESOLUTION,
} from "./src/grid.ts";
export type {
  GridOptions,
  GridResolution,
  GridShape,
  NeuronGrids,
} from "./src/grid.ts";
export { DivergenceError, Trainer } from "./src/train.ts";
export type { GridBounds, StepStats, TrainerOptions } from "./src/train.ts";
export type {
  DivergenceDetails,
  DivergenceKind,
  TrainingGradients,
} from "./src/train.ts";

// Speed: replaying a fixed-shape graph over typed arrays
export { compile, CompiledGraph } from "./src/compile.ts";
export type { CompileOptions } from "./src/compile.ts";
