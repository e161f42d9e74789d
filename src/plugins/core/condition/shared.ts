/**
 * What the condition types share: their legacy names, the `date` they test, days of the week,
 * and the check of nested condition lists. Not a plugin.
 */
import { isLiteral, p } from '../../api.js';
import type { Prop, ReportFn } from '../../api.js';

/** Canonical name of a condition type: `io.kestra.plugin.core.condition.<name>`. */
export const conditionType = (name: string): string => `io.kestra.plugin.core.condition.${name}`;

/**
 * The two older names Kestra still accepts for most conditions:
 * `io.kestra.core.models.conditions.types.<Name>Condition` and
 * `io.kestra.plugin.core.condition.<Name>Condition`.
 */
export const legacyConditionNames = (name: string): string[] => [
  `io.kestra.core.models.conditions.types.${name}Condition`,
  `io.kestra.plugin.core.condition.${name}Condition`,
];

/** The date a calendar condition tests; the trigger date unless told otherwise. */
export const dateProp = (what = 'date'): Prop =>
  p
    .string()
    .default('{{ trigger.date }}')
    .describe(
      `The ${what} to test: an ISO-8601 date-time, usually an expression. The trigger date by default.`,
    );

export const DAYS_OF_WEEK = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
] as const;

/** Text of a scalar that Jackson would read as a string (`key: 12345`), else undefined. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Reports an empty list of nested conditions (`Not`, `Or`): Kestra requires at least one. */
export function checkNonEmptyConditions(props: Record<string, unknown>, key: string, report: ReportFn): void {
  const value = props[key];
  const empty = Array.isArray(value)
    ? value.length === 0
    : value !== null && typeof value === 'object' && Object.keys(value).length === 0;
  if (empty) report([key], `\`${key}\` must hold at least one condition`);
}

/** ISO-8601 date-time with a zone or offset, as Java's `ZonedDateTime` parses it. */
const ZONED_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)(\[[A-Za-z0-9/_+-]+\])?$/;
/** Time of day with an offset, as Java's `OffsetTime` parses it. */
const OFFSET_TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/;

/** Reports a literal (non-expression) `after`/`before` that Kestra could not parse. */
export function checkBound(
  props: Record<string, unknown>,
  key: string,
  kind: 'dateTime' | 'time',
  report: ReportFn,
): void {
  const value = props[key];
  if (!isLiteral(value)) return;
  if (kind === 'dateTime' && !ZONED_DATE_TIME.test(value)) {
    report(
      [key],
      `\`${key}\` must be an ISO-8601 date-time with a zone, such as \`2025-12-31T23:59:59Z\` or \`2025-12-31T23:59:59+01:00\`, got \`${value}\``,
    );
  }
  if (kind === 'time' && !OFFSET_TIME.test(value)) {
    report(
      [key],
      `\`${key}\` must be a time of day with an offset, such as \`16:00:00+02:00\` or \`16:00:00Z\`, got \`${value}\``,
    );
  }
}
