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
export { ErrorCodes, ProblemCodes } from '../errors.js';
export { labelsProp, NAMESPACE_PATTERN } from '../flow/schema/flow.js';
/** Ion text (Kestra's item files) to values, one per top-level value. */
export { parseIon } from '../expr/library/functions/ion-parse.js';
export type { PluginDefinition, PluginSpec, ReportFn, OutputDoc, PluginExample } from '../flow/catalog.js';
export { parseIsoDuration } from '../flow/duration.js';
export { TaskFailure } from './context.js';
export { EACH_PARALLEL } from '../flow/model.js';
export { isTruthyCondition } from '../flow/inputs/coerce.js';
export { toIonText, toText } from '../expr/index.js';
export type {
  TaskContext,
  TaskOutcome,
  TaskRunFunction,
  TaskResolveFunction,
  TaskLogger,
  TaskStorage,
  TaskKv,
  TaskNamespaceFiles,
  TaskFlows,
  TaskFlowSource,
  TaskFlowSaved,
  TaskCache,
  TaskRunInfo,
  TaskLogLine,
  LogLevel,
  TriggerPollFunction,
  TriggerPollOutcome,
} from './context.js';
import type { TaskResolveFunction, TaskRunFunction, TriggerPollFunction } from './context.js';
export { STATES } from '../flow/schema/common.js';
export { didYouMean, closestMatches } from '../flow/suggest.js';

/** A task type's spec: its schema and docs, and how the worker runs it. */
export interface TaskSpec extends PluginSpec {
  /** Runs the task (runnable tasks). */
  run?: TaskRunFunction;
  /** Computes the control values the executor needs (flowable tasks: If, ForEach…). */
  resolve?: TaskResolveFunction;
}

/** A task type as the worker sees it. */
export interface TaskPlugin extends PluginDefinition {
  run?: TaskRunFunction;
  resolve?: TaskResolveFunction;
}

/** Defines a task type. */
export function defineTask(spec: TaskSpec): TaskPlugin {
  return {
    ...definePlugin('task', spec),
    ...(spec.run ? { run: spec.run } : {}),
    ...(spec.resolve ? { resolve: spec.resolve } : {}),
  };
}

/** A trigger type's spec: its schema and docs, and for a polling trigger how it polls. */
export interface TriggerSpec extends PluginSpec {
  /** Polls once (polling triggers: the scheduler calls it every `interval`). */
  poll?: TriggerPollFunction;
}

/** A trigger type as the scheduler sees it. */
export interface TriggerPlugin extends PluginDefinition {
  poll?: TriggerPollFunction;
}

/** Defines a trigger type. */
export function defineTrigger(spec: TriggerSpec): TriggerPlugin {
  return { ...definePlugin('trigger', spec), ...(spec.poll ? { poll: spec.poll } : {}) };
}

/** Defines a trigger condition type. */
export function defineCondition(spec: PluginSpec): PluginDefinition {
  return definePlugin('condition', spec);
}

/** Defines a task runner type (`taskRunner` of script tasks). */
export function defineRunner(spec: PluginSpec): PluginDefinition {
  return definePlugin('runner', spec);
}
