/** The trigger condition types (`io.kestra.plugin.core.condition.*`). */
import type { PluginDefinition } from '../../api.js';
import DateTimeBetween from './DateTimeBetween.js';
import DayWeek from './DayWeek.js';
import DayWeekInMonth from './DayWeekInMonth.js';
import ExecutionFlow from './ExecutionFlow.js';
import ExecutionLabels from './ExecutionLabels.js';
import ExecutionNamespace from './ExecutionNamespace.js';
import ExecutionOutputs from './ExecutionOutputs.js';
import ExecutionStatus from './ExecutionStatus.js';
import Expression from './Expression.js';
import HasRetryAttempt from './HasRetryAttempt.js';
import MultipleCondition from './MultipleCondition.js';
import Not from './Not.js';
import Or from './Or.js';
import PublicHoliday from './PublicHoliday.js';
import TimeBetween from './TimeBetween.js';
import Weekend from './Weekend.js';

/**
 * Conditions a Schedule trigger evaluates (Kestra's `ScheduleCondition`s): they test a date or an
 * expression. The others test an upstream execution and only make sense on a Flow trigger.
 */
export const SCHEDULE_CONDITIONS: readonly PluginDefinition[] = [
  DayWeek,
  DayWeekInMonth,
  Weekend,
  Not,
  Or,
  DateTimeBetween,
  TimeBetween,
  PublicHoliday,
  Expression,
  ExecutionOutputs,
];

/** Conditions that test an upstream execution (Flow trigger). */
export const EXECUTION_CONDITIONS: readonly PluginDefinition[] = [
  ExecutionFlow,
  ExecutionNamespace,
  ExecutionStatus,
  ExecutionLabels,
  HasRetryAttempt,
  MultipleCondition,
];

export const CONDITION_PLUGINS: readonly PluginDefinition[] = [
  ...SCHEDULE_CONDITIONS,
  ...EXECUTION_CONDITIONS,
];

/** Every name (canonical, alias, legacy) a set of definitions answers to. */
export function namesOf(definitions: readonly PluginDefinition[]): ReadonlySet<string> {
  return new Set(definitions.flatMap((d) => [d.type, ...d.aliases, ...d.legacyNames]));
}

export { MultipleCondition };
