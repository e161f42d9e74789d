/**
 * Evaluation of trigger `conditions` (the plugins only declare them; plugins must not import
 * the engine). Date conditions test the rendered `date` (the trigger date by default) in the
 * offset it is written with; execution conditions test the upstream execution of a Flow trigger.
 */
import { truthy } from '../../expr/index.js';
import type { Execution, State } from '../model.js';

/** Renders a template against the trigger's variables. */
export type RenderFn = (template: string) => unknown;

/** What conditions are tested against. */
export interface ConditionContext {
  render: RenderFn;
  /** The upstream execution (Flow trigger). */
  upstream?: Execution;
}

/** A scalar as text (objects as JSON), for values read from a flow's YAML. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${value}`;
  return JSON.stringify(value) ?? '';
}

type Condition = Record<string, unknown> & { type?: unknown };

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?/;

/** A date as written: its local fields, and its instant when it has an offset. */
interface WrittenDate {
  year: number;
  month: number;
  day: number;
  secondOfDay: number;
  offsetMinutes?: number;
}

function readDate(value: unknown, what: string): WrittenDate {
  const text = String(value);
  const match = DATE_TIME.exec(text);
  if (!match) throw new Error(`${what} \`${text}\` is not an ISO-8601 date`);
  const zone = match[7];
  let offsetMinutes: number | undefined;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone)
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  return {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    secondOfDay: Number(match[4] ?? 0) * 3600 + Number(match[5] ?? 0) * 60 + Number(match[6] ?? 0),
    ...(offsetMinutes !== undefined ? { offsetMinutes } : {}),
  };
}

function dayOfWeek(date: WrittenDate): string {
  return DAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;
}

function instantMs(value: unknown, what: string): number {
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw new Error(`${what} \`${String(value)}\` is not an ISO-8601 date-time`);
  return ms;
}

/** Seconds of the day in UTC of a time with an offset (`16:00:00+02:00`), as OffsetTime compares. */
function utcSecondOfDay(time: string, what: string): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(time);
  if (!match) throw new Error(`${what} \`${time}\` is not a time of day such as 16:00:00+02:00`);
  const zone = match[4];
  const offset =
    !zone || zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4)) * 60);
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0) - offset;
  return ((seconds % 86_400) + 86_400) % 86_400;
}

/** The short name of a condition type (`io.kestra.plugin.core.condition.DayWeek` → `DayWeek`). */
function shortName(type: unknown): string {
  const last = String(type).split('.').pop() ?? '';
  return last.endsWith('Condition') ? last.slice(0, -'Condition'.length) : last;
}

function renderDate(condition: Condition, context: ConditionContext): WrittenDate {
  const template = typeof condition.date === 'string' ? condition.date : '{{ trigger.date }}';
  return readDate(context.render(template), '`date`');
}

/** Whether every condition holds. Throws when one cannot be evaluated (bad date, unknown type). */
export function conditionsHold(conditions: unknown, context: ConditionContext): boolean {
  if (!Array.isArray(conditions)) return true;
  return conditions.every((condition) => conditionHolds(condition as Condition, context));
}

/** Whether one condition holds. */
export function conditionHolds(condition: Condition, context: ConditionContext): boolean {
  const name = shortName(condition.type);
  switch (name) {
    case 'DayWeek':
      return dayOfWeek(renderDate(condition, context)) === String(condition.dayOfWeek);
    case 'DayWeekInMonth': {
      const date = renderDate(condition, context);
      if (dayOfWeek(date) !== String(condition.dayOfWeek)) return false;
      const daysInMonth = new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
      const which = String(condition.dayInMonth);
      if (which === 'LAST') return date.day + 7 > daysInMonth;
      const index = ['FIRST', 'SECOND', 'THIRD', 'FOURTH'].indexOf(which);
      return index >= 0 && Math.floor((date.day - 1) / 7) === index;
    }
    case 'Weekend': {
      const day = dayOfWeek(renderDate(condition, context));
      return day === 'SATURDAY' || day === 'SUNDAY';
    }
    case 'DateTimeBetween': {
      const template = typeof condition.date === 'string' ? condition.date : '{{ trigger.date }}';
      const at = instantMs(context.render(template), '`date`');
      const after =
        condition.after == null ? undefined : instantMs(context.render(textOf(condition.after)), '`after`');
      const before =
        condition.before == null
          ? undefined
          : instantMs(context.render(textOf(condition.before)), '`before`');
      return (after === undefined || at >= after) && (before === undefined || at <= before);
    }
    case 'TimeBetween': {
      const date = renderDate(condition, context);
      const at = (((date.secondOfDay - (date.offsetMinutes ?? 0) * 60) % 86_400) + 86_400) % 86_400;
      const after =
        condition.after == null
          ? undefined
          : utcSecondOfDay(String(context.render(textOf(condition.after))), '`after`');
      const before =
        condition.before == null
          ? undefined
          : utcSecondOfDay(String(context.render(textOf(condition.before))), '`before`');
      return (after === undefined || at >= after) && (before === undefined || at <= before);
    }
    case 'Not':
      return !asList(condition.conditions).some((c) => conditionHolds(c, context));
    case 'Or':
      return asList(condition.conditions).some((c) => conditionHolds(c, context));
    case 'Expression':
    case 'ExecutionOutputs': {
      // Kestra reads the rendered text as a boolean.
      const value = context.render(String(condition.expression));
      return typeof value === 'string' ? value.trim() === 'true' : truthy(value);
    }
    default:
      return executionConditionHolds(name, condition, context);
  }
}

function asList(value: unknown): Condition[] {
  if (Array.isArray(value)) return value as Condition[];
  // Kestra also reads a map of named conditions.
  if (value !== null && typeof value === 'object') return Object.values(value) as Condition[];
  return [];
}

function executionConditionHolds(name: string, condition: Condition, context: ConditionContext): boolean {
  const upstream = context.upstream;
  const needsUpstream = (): Execution => {
    if (!upstream)
      throw new Error(
        `the condition \`${name}\` tests an upstream execution, which this trigger has none of`,
      );
    return upstream;
  };
  switch (name) {
    case 'ExecutionStatus': {
      const state: State = needsUpstream().state.current;
      const inList = Array.isArray(condition.in) ? (condition.in as string[]) : undefined;
      const notIn = Array.isArray(condition.notIn) ? (condition.notIn as string[]) : undefined;
      return (!inList || inList.includes(state)) && (!notIn || !notIn.includes(state));
    }
    case 'ExecutionFlow': {
      const execution = needsUpstream();
      return execution.namespace === condition.namespace && execution.flowId === condition.flowId;
    }
    case 'ExecutionNamespace': {
      const namespace = needsUpstream().namespace;
      const wanted = String(condition.namespace);
      const comparison = condition.comparison ?? (condition.prefix === true ? 'PREFIX' : 'EQUALS');
      if (comparison === 'PREFIX') return namespace.startsWith(wanted);
      if (comparison === 'SUFFIX') return namespace.endsWith(wanted);
      return namespace === wanted;
    }
    case 'ExecutionLabels':
      return labelsMatch(needsUpstream(), condition.labels);
    case 'HasRetryAttempt':
      return needsUpstream().taskRunList.some((run) => (run.attempts?.length ?? 0) > 1);
    default:
      throw new Error(`the condition type \`${String(condition.type)}\` is not supported by the scheduler`);
  }
}

/** Whether the execution carries every label given (a map or a list of `{key, value}`). */
export function labelsMatch(execution: Execution, labels: unknown): boolean {
  const wanted: Array<[string, string]> = Array.isArray(labels)
    ? (labels as Array<{ key: unknown; value: unknown }>).map((l) => [String(l.key), String(l.value)])
    : labels !== null && typeof labels === 'object'
      ? Object.entries(labels).map(([k, v]) => [k, String(v)])
      : [];
  return wanted.every(([key, value]) => execution.labels.some((l) => l.key === key && l.value === value));
}
