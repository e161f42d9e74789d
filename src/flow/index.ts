/** The flow model: loading, validation, input values and JSON Schema. The public entry of `flow/`. */
export { validateFlowSource, validateFlowValue } from './validate-flow.js';
export type { FileValidation, FlowValidation } from './validate-flow.js';
export { coerceInputValues, coerceInputValue, isTruthyCondition } from './inputs/coerce.js';
export type { CoerceOptions, CoerceResult, InputProblem } from './inputs/coerce.js';
export { createCatalog, definePlugin } from './catalog.js';
export type { PluginCatalog, PluginDefinition, PluginSpec } from './catalog.js';
export { formatProblem, formatPath } from './problems.js';
export type { Problem, PathSegment, Severity } from './problems.js';
export { parseIsoDuration, formatIsoDuration } from './duration.js';
export type * from './model.js';
