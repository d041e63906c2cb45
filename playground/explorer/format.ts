/**
 * How the explorer writes numbers and names nodes: the library's own
 * `src/graph_format.ts`, shared with `toSvg` and `layoutGraph`, so a box
 * reads the same in the explorer, an SVG export and a notebook.
 *
 * @module
 */

export {
  formatBoxNumber,
  formatShortNumber,
  nodeNames,
  operationSymbol,
} from "../../src/graph_format.ts";
