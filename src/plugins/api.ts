/**
 * What plugins may import: the property DSL and the definition builders. A plugin never
 * imports engine internals; the task context (`run`) joins this file with the engine.
 */
import { definePlugin } from '../flow/catalog.js';
import type { PluginDefinition, PluginSpec } from '../flow/catalog.js';

export { p, Prop, isExpression, isRecord } from '../flow/schema/prop.js';
export { isLiteral, literalHead, startsWithPrefix } from '../flow/schema/literal.js';
export { inputProp } from '../flow/inputs/schema.js';
export { retryProp } from '../flow/schema/common.js';
export { ProblemCodes } from '../errors.js';
export { labelsProp } from '../flow/schema/flow.js';
export type { PluginDefinition, PluginSpec, ReportFn, OutputDoc, PluginExample } from '../flow/catalog.js';
export { parseIsoDuration } from '../flow/duration.js';
export { STATES } from '../flow/schema/common.js';
export { didYouMean, closestMatches } from '../flow/suggest.js';

/** Defines a task type. */
export function defineTask(spec: PluginSpec): PluginDefinition {
  return definePlugin('task', spec);
}

/** Defines a trigger type. */
export function defineTrigger(spec: PluginSpec): PluginDefinition {
  return definePlugin('trigger', spec);
}

/** Defines a trigger condition type. */
export function defineCondition(spec: PluginSpec): PluginDefinition {
  return definePlugin('condition', spec);
}

/** Defines a task runner type (`taskRunner` of script tasks). */
export function defineRunner(spec: PluginSpec): PluginDefinition {
  return definePlugin('runner', spec);
}
