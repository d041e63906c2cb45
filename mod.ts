/**
 * micrograd for TypeScript: a tiny scalar autograd engine and a small neural
 * network library on top of it, after Andrej Karpathy's micrograd. Zero
 * dependencies; runs unchanged in Deno, Bun, Node and browsers.
 *
 * @example The lecture's first example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./mod.ts";
 *
 * const a = new Value(2, "a");
 * const b = new Value(-3, "b");
 * const c = new Value(10, "c");
 * const d = a.mul(b).add(c);
 * d.backward();
 * assert.deepEqual([d.data, a.grad, b.grad, c.grad], [4, -3, 2, 1]);
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
export {
  checkFeatures,
  DEFAULT_FEATURES,
  FEATURE_LABELS,
  FEATURE_NAMES,
  featureNodes,
  featureValues,
  isIdentityFeatures,
} from "./src/features.ts";
export type { FeatureName } from "./src/features.ts";
export { Layer, MLP, Module, Neuron } from "./src/nn.ts";
export type { LayerOptions, MLPOptions, NeuronOptions } from "./src/nn.ts";
export type { MLPJson, NeuronJson } from "./src/model_json.ts";
export { EXPORT_FORMATS, exportModel } from "./src/export.ts";
export type { ExportFormat, ExportOptions } from "./src/export.ts";
export {
  accuracy,
  bceWithLogitsLoss,
  encodeTargets,
  hingeLoss,
  l1Penalty,
  l2Penalty,
  LOSS_NAMES,
  lossFromTargets,
  mseLoss,
  predictClass,
  softmaxCrossEntropyLoss,
} from "./src/loss.ts";
export type { LossName } from "./src/loss.ts";
export { confusionMatrix, meanAbsoluteError, r2Score } from "./src/metrics.ts";
export type { ConfusionMatrix } from "./src/metrics.ts";
export { Adam, SGD } from "./src/optim.ts";
export { BaseOptimizer } from "./src/optimizer.ts";
export type { AdamOptions, Optimizer, SGDOptions } from "./src/optim.ts";
export { learningRateAt, SCHEDULE_NAMES } from "./src/schedule.ts";
export type { ScheduleName } from "./src/schedule.ts";

// Data and the training loop
export {
  DATASET_NAMES,
  datasetFromPoints,
  datasetTask,
  makeBlobs,
  makeCircles,
  makeDataset,
  makeGaussians,
  makeMoons,
  makePlane,
  makeSpiral,
  makeXor,
  MAX_DATASET_CLASSES,
  MAX_DATASET_POINTS,
  MAX_NOISE,
  MULTICLASS_DATASETS,
  REGRESSION_DATASETS,
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
  PointsDatasetOptions,
  Task,
} from "./src/data.ts";
export { CsvRangeError, CsvSyntaxError, parseCsv, toCsv } from "./src/csv.ts";
export type { CsvErrorDetails, CsvOptions } from "./src/csv.ts";
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
  DataShape,
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
export type {
  ConfusionMatrices,
  Evaluation,
  GridBounds,
  Reconfiguration,
  StepStats,
  TrainerOptions,
  TrainingReport,
} from "./src/train.ts";
export type {
  DivergenceDetails,
  DivergenceKind,
  TrainingGradients,
} from "./src/train.ts";
export {
  configChanges,
  LIVE_CONFIG_KEYS,
  NewRunRequiredError,
} from "./src/live_changes.ts";
export type {
  ConfigChanges,
  LiveConfigKey,
  NewRunCause,
} from "./src/live_changes.ts";
export {
  checkStopRule,
  DEFAULT_STOP_RULE,
  STOP_MODES,
  stopReason,
  stopRuleFromMode,
  stopRuleNeedsScores,
} from "./src/stop.ts";
export type {
  StopMode,
  StopProgress,
  StopRule,
  StopScores,
} from "./src/stop.ts";

// Speed: replaying a fixed-shape graph over typed arrays
export { compile, CompiledGraph } from "./src/compile.ts";
export type { CompileOptions } from "./src/compile.ts";
