/**
 * Checks cron expressions the way Kestra's Schedule trigger reads them (cron-utils with a Unix
 * definition): 5 fields, or 6 with a leading seconds field when `withSeconds` is true; `*`, `,`,
 * `-` and `/`; month and day names; `0` and `7` both mean Sunday; ranges must go upward; and the
 * nicknames `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`.
 * Quartz extras (`L`, `W`, `#`, `?`) and croner's `+` are refused, as Kestra refuses them.
 * When a day of the month and a day of the week are both restricted, either may match (the
 * classic Unix OR rule, which cron-utils and croner's default share).
 */
import { Cron } from 'croner';

/** The nicknames Kestra accepts in `cron`. */
export const CRON_NICKNAMES = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
] as const;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** The value of the first name (`SUN` is 0, `JAN` is 1). */
  namesFrom?: number;
}

const SECONDS: FieldSpec = { name: 'second', min: 0, max: 59 };
const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    namesFrom: 1,
  },
  {
    name: 'day-of-week',
    min: 0,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
    namesFrom: 0,
  },
];

/** What is wrong with a cron expression, and how bad it is. */
export interface CronProblem {
  severity: 'error' | 'warning';
  /** Why, worded to follow "… is not a valid cron expression: " (errors) or stand alone (warnings). */
  reason: string;
}

const FIELD_LIST = 'minute hour day-of-month month day-of-week';

/**
 * Checks a cron expression. Returns undefined when Kestra would accept it and it fires at
 * least once; an error when Kestra would refuse it; a warning when it can never fire.
 */
export function checkCron(expression: string, withSeconds: boolean): CronProblem | undefined {
  const text = expression.trim();
  if (text === '') return error('it is empty');
  if (text.startsWith('@')) return checkNickname(text);

  const parts = text.split(/\s+/);
  const expected = withSeconds ? 6 : 5;
  if (parts.length !== expected) return error(fieldCountReason(parts.length, withSeconds));

  const specs = withSeconds ? [SECONDS, ...FIELDS] : FIELDS;
  for (let i = 0; i < specs.length; i++) {
    const reason = checkField(parts[i] ?? '', specs[i]!);
    if (reason) return error(reason);
  }
  return checkWithCroner(parts.join(' '), withSeconds);
}

function error(reason: string): CronProblem {
  return { severity: 'error', reason };
}

function checkNickname(text: string): CronProblem | undefined {
  if (/\s/.test(text)) return error(`a nickname such as \`@daily\` stands alone, without other fields`);
  if (!(CRON_NICKNAMES as readonly string[]).includes(text)) {
    const listed = CRON_NICKNAMES.map((n) => `\`${n}\``).join(', ');
    return error(`\`${text}\` is not a nickname Kestra knows (${listed})`);
  }
  return undefined;
}

function fieldCountReason(count: number, withSeconds: boolean): string {
  if (!withSeconds && count === 6) {
    return `it has 6 fields, but a seconds field needs \`withSeconds: true\` on the trigger (without it, write 5 fields: ${FIELD_LIST})`;
  }
  if (withSeconds && count === 5) {
    return `it has 5 fields, but \`withSeconds: true\` expects 6 (second ${FIELD_LIST})`;
  }
  if (count === 7) {
    return `it has ${count} fields; Kestra has no year field (expected ${withSeconds ? `6: second ${FIELD_LIST}` : `5: ${FIELD_LIST}`})`;
  }
  return `it has ${count} field${count === 1 ? '' : 's'}, expected ${withSeconds ? `6 (second ${FIELD_LIST})` : `5 (${FIELD_LIST})`}`;
}

/** Checks one field: a comma-separated list of `*`, `N`, `N-M`, each optionally `/step`. */
function checkField(field: string, spec: FieldSpec): string | undefined {
  const unsupported = /[LW#?+]/i.exec(field.replace(/[A-Z]{3}/gi, (m) => (isName(m, spec) ? '0' : m)));
  if (unsupported) {
    const char = unsupported[0].toUpperCase();
    return `\`${char}\` in the ${spec.name} field \`${field}\` is not supported: Kestra reads Unix cron, without Quartz's \`L\`, \`W\`, \`#\` and \`?\``;
  }
  for (const item of field.split(',')) {
    const reason = checkItem(item, field, spec);
    if (reason) return reason;
  }
  return undefined;
}

function checkItem(item: string, field: string, spec: FieldSpec): string | undefined {
  const where = `the ${spec.name} field \`${field}\``;
  if (item === '') return `${where} has an empty item`;
  const [range = '', step, ...extra] = item.split('/');
  if (extra.length > 0) return `${where} has more than one \`/\``;
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) return `${where} has a step \`/${step}\` that is not a number`;
    if (Number(step) < 1) return `${where} has a step of 0`;
    if (range === '') return `${where} has a step without a start (write \`*/${step}\`)`;
  }
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `${where} has a malformed range \`${range}\``;
  const values: number[] = [];
  for (const bound of bounds) {
    const value = parseValue(bound, spec);
    if (value === undefined) {
      return bound === ''
        ? `${where} has a malformed range \`${range}\``
        : `\`${bound}\` is not a valid ${spec.name} (expected ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''})`;
    }
    if (value < spec.min || value > spec.max) {
      return `${spec.name} \`${bound}\` is out of range ${spec.min}-${spec.max}`;
    }
    values.push(value);
  }
  const [from, to] = values;
  if (from !== undefined && to !== undefined && from > to) {
    return `the range \`${range}\` in ${where} goes downward`;
  }
  return undefined;
}

function isName(text: string, spec: FieldSpec): boolean {
  return spec.names?.includes(text.toUpperCase()) === true;
}

function parseValue(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + (spec.namesFrom ?? 0) : undefined;
}

/** The last word: croner parses the expression and tells whether it ever fires. */
function checkWithCroner(pattern: string, withSeconds: boolean): CronProblem | undefined {
  let cron: Cron;
  try {
    cron = new Cron(pattern, {
      paused: true,
      mode: withSeconds ? '6-part' : '5-part',
      // Kestra (cron-utils) accepts `5/15`, a start and a step.
      sloppyRanges: true,
      // The Unix rule: day of month OR day of week when both are restricted.
      domAndDow: false,
    });
  } catch (e) {
    return error((e instanceof Error ? e.message : String(e)).replace(/^CronPattern:\s*/, ''));
  }
  // A pattern like `0 0 31 2 *` parses but names no real date. Look ahead from a fixed date
  // that is not itself a match, so the answer does not depend on the day it runs.
  const next = cron.nextRun(new Date(Date.UTC(2000, 0, 1, 0, 0, 30)));
  cron.stop();
  if (!next) return { severity: 'warning', reason: 'it matches no date, so the schedule never fires' };
  return undefined;
}
