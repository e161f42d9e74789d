/**
 * Property shapes and checks shared by the trigger and condition types: execution states, the
 * time window of Flow preconditions and MultipleCondition, and how a trigger is named in
 * messages. Not a plugin.
 */
import { isRecord, p, parseIsoDuration, STATES } from '../../api.js';
import type { Prop, ReportFn } from '../../api.js';

type Path = Array<string | number>;

/** The name of a trigger for messages: "trigger `daily`". */
export function triggerName(props: Record<string, unknown>): string {
  return typeof props.id === 'string' ? `trigger \`${props.id}\`` : 'the trigger';
}

/** A list of execution states, e.g. `[FAILED, WARNING]`. */
export function statesProp(options: { dynamic?: boolean } = {}): Prop {
  const dynamic = options.dynamic ?? false;
  return p.list(p.enum([...STATES], { dynamic }), { dynamic });
}

/** A time of day such as `09:00:00`, `09:00`, `09:00:00.00Z` or `09:00:00+01:00`. */
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A time-of-day property (`09:00:00`, `09:00:00+01:00`). */
export const timeOfDay = (description: string): Prop =>
  p
    .string({
      dynamic: false,
      pattern: TIME_OF_DAY,
      patternHint: 'a time of day such as `09:00:00` or `09:00:00+01:00`',
    })
    .describe(description);

/** Kestra's `TimeWindow`: over which period the preconditions must all be met. */
export const timeWindowProp: Prop = p
  .object({
    type: p
      .enum(['DURATION_WINDOW', 'SLIDING_WINDOW', 'DAILY_TIME_DEADLINE', 'DAILY_TIME_WINDOW'], {
        dynamic: false,
      })
      .default('DURATION_WINDOW')
      .describe(
        '`DURATION_WINDOW`: fixed windows of `window` starting at midnight (shifted by `windowAdvance`). ' +
          '`SLIDING_WINDOW`: the last `window` before now. `DAILY_TIME_DEADLINE`: from midnight to `deadline`. ' +
          '`DAILY_TIME_WINDOW`: each day from `startTime` to `endTime`.',
      ),
    window: p
      .duration({ dynamic: false })
      .describe('Length of the window (`DURATION_WINDOW`, `SLIDING_WINDOW`); one day when not set.'),
    windowAdvance: p
      .duration({ dynamic: false })
      .describe('Shift of the start of each window from midnight (`DURATION_WINDOW` only).'),
    deadline: timeOfDay('Daily cut-off time (`DAILY_TIME_DEADLINE` only).'),
    startTime: timeOfDay('Daily start time (`DAILY_TIME_WINDOW` only).'),
    endTime: timeOfDay('Daily end time (`DAILY_TIME_WINDOW` only).'),
    timezone: p
      .string({ dynamic: false })
      .describe('Time zone of the daily times; the server zone when not set.'),
  })
  .describe('The period over which the preconditions must all be met; one day by default.');

/** Which properties each window type takes (Kestra's `TimeWindowValidator`). */
const WINDOW_FIELDS: Record<string, { allowed: readonly string[]; required: readonly string[] }> = {
  DURATION_WINDOW: { allowed: ['window', 'windowAdvance'], required: [] },
  SLIDING_WINDOW: { allowed: ['window'], required: [] },
  DAILY_TIME_DEADLINE: { allowed: ['deadline'], required: ['deadline'] },
  DAILY_TIME_WINDOW: { allowed: ['startTime', 'endTime'], required: ['startTime', 'endTime'] },
};
const WINDOW_SPECIFIC = ['window', 'windowAdvance', 'deadline', 'startTime', 'endTime'];

/** Reports window properties that do not belong to the window's type, and missing ones. */
export function checkTimeWindow(window: unknown, path: Path, report: ReportFn): void {
  if (!isRecord(window)) return;
  const type = typeof window.type === 'string' ? window.type : 'DURATION_WINDOW';
  const fields = WINDOW_FIELDS[type];
  if (!fields) return;
  for (const key of WINDOW_SPECIFIC) {
    if (window[key] === undefined || window[key] === null || fields.allowed.includes(key)) continue;
    report([...path, key], `a time window of type \`${type}\` has no \`${key}\``, { atKey: true });
  }
  for (const key of fields.required) {
    if (window[key] === undefined || window[key] === null) {
      report(path, `a time window of type \`${type}\` needs \`${key}\``);
    }
  }
  const length = durationMs(window.window);
  if (length !== undefined && length <= 0) {
    report([...path, 'window'], '`window` must be a positive duration');
  }
  const advance = durationMs(window.windowAdvance);
  if (advance !== undefined && advance < 0) {
    report([...path, 'windowAdvance'], '`windowAdvance` must not be negative');
  }
}

/** Milliseconds of a literal duration, or undefined (not a string, or an expression). */
export function durationMs(value: unknown): number | undefined {
  return typeof value === 'string' ? parseIsoDuration(value) : undefined;
}
