/**
 * The explorer's layered layout: the library's own `src/graph_layout.ts`
 * (iterative, roughly linear in the graph's size), shared with `toSvg` and
 * the notebooks.
 *
 * @module
 */

export {
  edgePath,
  type GraphLayout,
  type LayoutDirection,
  type LayoutEdge,
  layoutGraph,
  type LayoutNode,
  type LayoutOptions,
  layoutSteps,
  OPERATION_NODE_HEIGHT,
  operationNodeWidth,
  type Point,
  VALUE_BOX_HEIGHT,
  type ValueBoxGeometry,
  valueBoxGeometry,
} from "../../src/graph_layout.ts";
