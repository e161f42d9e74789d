/**
 * What a Flow trigger waits for on upstream executions, in either of Kestra's forms: `preconditions`
 * (upstream `flows` and `where` filter groups, all to be met; `timeWindow`, `resetOnSuccess`) or
 * the newer `dependsOn` (dependencies with an optional `when`; `window`, `mode` ALL / ANY /
 * AT_LEAST with `minSatisfied`, `window.fireOnce`). Each precondition is a key whose last match
 * is remembered within the window.
 */
import { isTruthyCondition } from '../../flow/index.js';
import type { FlowTrigger } from '../../flow/model.js';
import type { Execution } from '../model.js';
import { labelsMatch, textOf } from './conditions.js';
import type { RenderFn } from './conditions.js';

type Obj = Record<string, unknown>;
type Test = (upstream: Execution, render: RenderFn) => boolean;

/** The preconditions of a trigger, ready to evaluate. */
export interface PreconditionSpec {
  keys: Array<[string, Test]>;
  timeWindow: Obj | undefined;
  /** Forget the results once the trigger fired. */
  resetOnSuccess: boolean;
  mode: 'ALL' | 'ANY' | 'AT_LEAST';
  minSatisfied: number;
}

/** The trigger's preconditions (`dependsOn` first, as Kestra reads it), if it has any. */
export function preconditionsOf(trigger: FlowTrigger): PreconditionSpec | undefined {
  if (Array.isArray(trigger.dependsOn)) {
    const window = (trigger.window ?? undefined) as Obj | undefined;
    const mode = trigger.mode === 'ANY' || trigger.mode === 'AT_LEAST' ? trigger.mode : 'ALL';
    return {
      keys: (trigger.dependsOn as Obj[]).map((dependency, index) => [
        `dependsOn.${index}`,
        dependencyTest(dependency),
      ]),
      timeWindow: timeWindowOf(window),
      resetOnSuccess: window?.fireOnce === true,
      mode,
      minSatisfied: Number(trigger.minSatisfied ?? 1),
    };
  }
  const preconditions = trigger.preconditions as Obj | undefined;
  if (!preconditions) return undefined;
  return {
    keys: preconditionKeys(preconditions),
    timeWindow: preconditions.timeWindow as Obj | undefined,
    resetOnSuccess: preconditions.resetOnSuccess !== false,
    mode: 'ALL',
    minSatisfied: 0,
  };
}

/** A `dependsOn` entry: namespace and flow when given, states, labels, then its `when`. */
function dependencyTest(dependency: Obj): Test {
  return (upstream, render) =>
    (dependency.namespace == null || upstream.namespace === dependency.namespace) &&
    (dependency.flowId == null || upstream.flowId === dependency.flowId) &&
    (!Array.isArray(dependency.states) || (dependency.states as string[]).includes(upstream.state.current)) &&
    labelsMatch(upstream, dependency.labels) &&
    (dependency.when == null || isTruthyCondition(textOf(render(textOf(dependency.when)))));
}

/** Kestra's Window.toTimeWindow: the type follows from the fields set. */
function timeWindowOf(window: Obj | undefined): Obj | undefined {
  if (!window) return undefined;
  const zone = window.timezone !== undefined ? { timezone: window.timezone } : {};
  if (window.deadline != null) return { type: 'DAILY_TIME_DEADLINE', deadline: window.deadline, ...zone };
  if (window.from != null && window.to != null)
    return { type: 'DAILY_TIME_WINDOW', startTime: window.from, endTime: window.to, ...zone };
  if (window.lookback != null) return { type: 'SLIDING_WINDOW', window: window.lookback, ...zone };
  return {
    type: 'DURATION_WINDOW',
    ...(window.every != null ? { window: window.every } : {}),
    ...(window.offset != null ? { windowAdvance: window.offset } : {}),
    ...zone,
  };
}

function preconditionKeys(preconditions: Obj): Array<[string, Test]> {
  const keys: Array<[string, Test]> = [];
  const flows = Array.isArray(preconditions.flows) ? (preconditions.flows as Obj[]) : [];
  flows.forEach((flow, index) => {
    keys.push([
      `flows.${index}`,
      (upstream) =>
        upstream.namespace === flow.namespace &&
        (flow.flowId == null || upstream.flowId === flow.flowId) &&
        (!Array.isArray(flow.states) || (flow.states as string[]).includes(upstream.state.current)) &&
        labelsMatch(upstream, flow.labels),
    ]);
  });
  const where = Array.isArray(preconditions.where) ? (preconditions.where as Obj[]) : [];
  for (const group of where) {
    const filters = Array.isArray(group.filters) ? (group.filters as Obj[]) : [];
    keys.push([
      `where.${String(group.id)}`,
      (upstream, render) => {
        const results = filters.map((filter) => filterMatches(filter, upstream, render));
        return group.operand === 'OR' ? results.some(Boolean) : results.every(Boolean);
      },
    ]);
  }
  return keys;
}

function filterMatches(filter: Obj, upstream: Execution, render: RenderFn): boolean {
  let actual: unknown;
  switch (filter.field) {
    case 'FLOW_ID':
      actual = upstream.flowId;
      break;
    case 'NAMESPACE':
      actual = upstream.namespace;
      break;
    case 'STATE':
      actual = upstream.state.current;
      break;
    default:
      actual = render(textOf(filter.value));
  }
  const value = filter.value == null ? undefined : textOf(filter.value);
  const values = Array.isArray(filter.values) ? filter.values.map(String) : [];
  const text = actual == null ? undefined : textOf(actual);
  switch (filter.type) {
    case 'EQUAL_TO':
      return text === value;
    case 'NOT_EQUAL_TO':
      return text !== value;
    case 'IN':
      return text !== undefined && values.includes(text);
    case 'NOT_IN':
      return text === undefined || !values.includes(text);
    case 'IS_TRUE':
      return isTruthyCondition(text);
    case 'IS_FALSE':
      return !isTruthyCondition(text);
    case 'IS_NULL':
      return text === undefined || text === '';
    case 'IS_NOT_NULL':
      return text !== undefined && text !== '';
    case 'STARTS_WITH':
      return text !== undefined && value !== undefined && text.startsWith(value);
    case 'ENDS_WITH':
      return text !== undefined && value !== undefined && text.endsWith(value);
    case 'CONTAINS':
      return text !== undefined && value !== undefined && text.includes(value);
    case 'REGEX':
      return text !== undefined && value !== undefined && new RegExp(`^(?:${value})$`).test(text);
    default:
      return false;
  }
}
