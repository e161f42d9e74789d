/** The expression language: Pebble-compatible templates, as Kestra uses them. Public entry of `expr/`. */
import { defaultLibrary } from './library/index.js';
import { createTemplateEngine } from './render.js';

export { createTemplateEngine } from './render.js';
export type { TemplateEngine } from './render.js';
export { ExpressionError, ExpressionErrorCodes } from './errors.js';
export type { ExpressionErrorCode } from './errors.js';
export type { RenderOptions, HostFunction } from './scope.js';
export { createLibrary, defaultLibrary } from './library/index.js';
/** Values as Ion text (Kestra's item files), one value per call. */
export { toIonText } from './library/filters/ion.js';
export type {
  Library,
  FilterDefinition,
  FunctionDefinition,
  TestDefinition,
  CallContext,
} from './library/types.js';
export { CallError } from './library/types.js';
export { parseTemplate } from './parser.js';
export { walkExpressions } from './ast.js';
export type { Expr, Node } from './ast.js';
export { toText, truthy } from './values.js';
export { OWN_LOOP_VALUE } from './library/functions/core.js';

/** The engine with every Pebble and Kestra filter, function and test. */
export const templates = createTemplateEngine(defaultLibrary);
export { analyzeTemplate } from './analyze.js';
export type { TemplateAnalysis, TemplateFinding, VariableReference } from './analyze.js';
export { ZonedDateTime, zoneOf } from './dates/index.js';
