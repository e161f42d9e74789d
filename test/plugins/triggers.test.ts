import { describe, expect, it } from 'vitest';
import { TRIGGER_PLUGINS } from '../../src/plugins/core/trigger/index.js';
import { checkCron } from '../../src/plugins/core/trigger/cron.js';
import { checkTimeZone } from '../../src/plugins/core/trigger/timezone.js';
import { errorsOf, validateYaml, warningsOf } from '../helpers.js';

/** A flow with one Log task and the given triggers (YAML indented by 2). */
function flowWithTriggers(triggersYaml: string): string {
  return `id: test_flow
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
${triggersYaml}`;
}

function schedule(cron: string, extra = ''): string {
  return flowWithTriggers(`  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "${cron}"${extra}`);
}

describe('trigger, condition and runner examples', () => {
  const examples = TRIGGER_PLUGINS.flatMap((def) =>
    (def.examples ?? []).map((example) => ({ type: def.type, ...example })),
  );

  it('every type has a title, a description and an example', () => {
    for (const def of TRIGGER_PLUGINS) {
      expect(def.title, def.type).not.toBe('');
      expect(def.description, def.type).not.toBe('');
      expect(def.examples?.length ?? 0, def.type).toBeGreaterThan(0);
    }
  });

  it.each(examples)('$type: $title', ({ code }) => {
    expect(errorsOf(code)).toEqual([]);
    expect(warningsOf(code)).toEqual([]);
  });
});

describe('Schedule cron', () => {
  it.each(['0 9 * * 1', '*/15 * * * *', '@daily', '@hourly', '@annually', '0 12 * * 1-5', '0 0,12 * * *'])(
    'accepts `%s`',
    (cron) => {
      expect(errorsOf(schedule(cron))).toEqual([]);
      expect(warningsOf(schedule(cron))).toEqual([]);
    },
  );

  it('accepts names, 7 for Sunday and a start with a step', () => {
    for (const cron of [
      '0 9 * JAN-MAR MON-FRI',
      '0 9 * JUL WED',
      '0 9 * * 7',
      '5/15 * * * *',
      '0 9 1 * sun',
    ]) {
      expect(errorsOf(schedule(cron)), cron).toEqual([]);
    }
  });

  it('accepts 6 fields with withSeconds', () => {
    expect(errorsOf(schedule('30 0 9 * * 1', '\n    withSeconds: true'))).toEqual([]);
  });

  it('refuses 6 fields without withSeconds, and says why', () => {
    expect(errorsOf(schedule('30 0 9 * * 1'))).toEqual([
      '10:11 `cron` of trigger `daily` is not a valid cron expression: it has 6 fields, but a seconds field needs `withSeconds: true` on the trigger (without it, write 5 fields: minute hour day-of-month month day-of-week)',
    ]);
  });

  it('refuses 5 fields with withSeconds', () => {
    expect(errorsOf(schedule('0 9 * * 1', '\n    withSeconds: true'))[0]).toContain(
      'it has 5 fields, but `withSeconds: true` expects 6',
    );
  });

  it('refuses an out-of-range minute', () => {
    expect(errorsOf(schedule('61 * * * *'))).toEqual([
      '10:11 `cron` of trigger `daily` is not a valid cron expression: minute `61` is out of range 0-59',
    ]);
  });

  it('refuses other malformed fields with a reason', () => {
    const cases: Array<[string, string]> = [
      ['0 24 * * *', 'hour `24` is out of range 0-23'],
      ['0 9 0 * *', 'day-of-month `0` is out of range 1-31'],
      ['0 9 * 13 *', 'month `13` is out of range 1-12'],
      ['0 9 * * 8', 'day-of-week `8` is out of range 0-7'],
      ['0 9 * * FOO', '`FOO` is not a valid day-of-week'],
      ['5-2 * * * *', 'the range `5-2` in the minute field `5-2` goes downward'],
      ['*/0 * * * *', 'has a step of 0'],
      ['/10 * * * *', 'has a step without a start'],
      ['0 9 L * *', '`L` in the day-of-month field `L` is not supported'],
      ['0 9 * * MON#2', '`#` in the day-of-week field `MON#2` is not supported'],
      ['0 9 ? * *', '`?` in the day-of-month field `?` is not supported'],
      ['0 9 * *', 'it has 4 fields, expected 5'],
      ['0 0 9 * * 1 2025', 'Kestra has no year field'],
      ['@reboot', '`@reboot` is not a nickname Kestra knows'],
      ['@daily 5', 'stands alone'],
      ['', 'it is empty'],
    ];
    for (const [cron, reason] of cases) {
      const errors = errorsOf(schedule(cron));
      expect(errors, cron).toHaveLength(1);
      expect(errors[0], cron).toContain('`cron` of trigger `daily` is not a valid cron expression: ');
      expect(errors[0], cron).toContain(reason);
    }
  });

  it('warns (does not refuse) a date that never exists, as Kestra accepts it', () => {
    expect(errorsOf(schedule('0 0 31 2 *'))).toEqual([]);
    expect(warningsOf(schedule('0 0 31 2 *'))).toEqual([
      '10:11 `cron` of trigger `daily` (`0 0 31 2 *`): it matches no date, so the schedule never fires',
    ]);
    // Day of month OR day of week: 31 February or any Monday, so it fires.
    expect(warningsOf(schedule('0 0 31 2 1'))).toEqual([]);
  });

  it('refuses an expression in cron, which Kestra does not render', () => {
    expect(errorsOf(schedule('{{ vars.cron }}'))).toEqual([
      '10:11 `cron` of trigger `daily` cannot hold an expression: Kestra reads it as written',
    ]);
  });

  it('checkCron reports nothing for valid expressions', () => {
    expect(checkCron('0 9 * * 1', false)).toBeUndefined();
    expect(checkCron('0 0 9 * * 1', true)).toBeUndefined();
    expect(checkCron('@midnight', true)).toBeUndefined();
  });
});

describe('Schedule timezone', () => {
  it('accepts IANA ids, aliases, UTC and offsets', () => {
    for (const tz of [
      'Europe/Paris',
      'America/New_York',
      'UTC',
      'Etc/UTC',
      'US/Eastern',
      'Z',
      '+02:00',
      'GMT+2',
    ]) {
      expect(checkTimeZone(tz), tz).toBeUndefined();
      expect(errorsOf(schedule('0 9 * * *', `\n    timezone: "${tz}"`)), tz).toEqual([]);
    }
  });

  it('refuses an unknown zone with a suggestion', () => {
    expect(errorsOf(schedule('0 9 * * *', '\n    timezone: Europe/Pariss'))).toEqual([
      '11:15 `timezone` of trigger `daily` is not valid: `Europe/Pariss` is not a time-zone id (did you mean `Europe/Paris`?)',
    ]);
  });

  it('refuses a zone in the wrong case, as Java does', () => {
    expect(checkTimeZone('europe/paris')).toContain('did you mean `Europe/Paris`?');
  });

  it('refuses an out-of-range offset', () => {
    expect(checkTimeZone('+19:00')).toContain('between -18:00 and +18:00');
  });
});

describe('Schedule properties', () => {
  it('refuses an unknown recoverMissedSchedules', () => {
    const errors = errorsOf(schedule('0 9 * * *', '\n    recoverMissedSchedules: FIRST'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      '`recoverMissedSchedules` of trigger `daily` must be one of `ALL`, `LAST`, `NONE`',
    );
  });

  it('warns about deprecated backfill and scheduleConditions', () => {
    const text = schedule(
      '0 9 * * *',
      `
    backfill:
      start: 2024-01-01T00:00:00Z
    scheduleConditions:
      - type: io.kestra.plugin.core.condition.Weekend`,
    );
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '11:5 `backfill` of trigger `daily` is deprecated; start backfills from the UI or the API instead',
      '13:5 `scheduleConditions` of trigger `daily` is deprecated; use `conditions`',
    ]);
  });

  it('warns about an execution condition on a Schedule', () => {
    const text = schedule(
      '0 9 * * *',
      `
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [FAILED]`,
    );
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)[0]).toContain(
      '`io.kestra.plugin.core.condition.ExecutionStatus` tests an upstream execution, which a Schedule trigger does not have',
    );
  });

  it('accepts common trigger properties', () => {
    const text = schedule(
      '0 9 * * *',
      `
    disabled: true
    stopAfter: [FAILED]
    inputs:
      day: "{{ trigger.date | date('yyyy-MM-dd') }}"
    labels:
      - key: team
        value: data
    lateMaximumDelay: PT1H`,
    );
    expect(errorsOf(text)).toEqual([]);
  });
});

describe('trigger lists', () => {
  it('refuses duplicate trigger ids', () => {
    const text = flowWithTriggers(`  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 18 * * *"`);
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/duplicate trigger id `daily`/);
  });

  it('refuses a task type under triggers', () => {
    const text = flowWithTriggers(`  - id: oops
    type: io.kestra.plugin.core.log.Log
    message: hi`);
    expect(errorsOf(text)).toEqual([
      '9:11 `io.kestra.plugin.core.log.Log` is a task type, not a trigger; put it under `tasks`',
    ]);
  });

  it('refuses a trigger type under tasks', () => {
    const text = `id: test_flow
namespace: company.team
tasks:
  - id: oops
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"`;
    expect(errorsOf(text)).toEqual([
      '5:11 `io.kestra.plugin.core.trigger.Schedule` is a trigger type, not a task; put it under `triggers`',
    ]);
  });

  it('warns about legacy names and normalizes them', () => {
    const text = flowWithTriggers(`  - id: daily
    type: io.kestra.core.models.triggers.types.Schedule
    cron: "0 9 * * *"
    conditions:
      - type: io.kestra.core.models.conditions.types.DayWeekCondition
        dayOfWeek: MONDAY`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '9:11 `io.kestra.core.models.triggers.types.Schedule` is a deprecated name of `io.kestra.plugin.core.trigger.Schedule`',
      '12:15 `io.kestra.core.models.conditions.types.DayWeekCondition` is a deprecated name of `io.kestra.plugin.core.condition.DayWeek`',
    ]);
    const trigger = validateYaml(text).flows[0]?.flow?.triggers[0] as Record<string, unknown> | undefined;
    expect(trigger?.type).toBe('io.kestra.plugin.core.trigger.Schedule');
    expect((trigger?.conditions as Array<Record<string, unknown>>)[0]?.type).toBe(
      'io.kestra.plugin.core.condition.DayWeek',
    );
  });
});

describe('Flow trigger', () => {
  it('accepts ExecutionStatus and ExecutionFlow conditions', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      value: "{{ trigger.outputs.value }}"
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - SUCCESS
          - WARNING
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team
        flowId: flow_a`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([]);
  });

  it('refuses an unknown condition type with a suggestion', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatuss
        in: [SUCCESS]`);
    expect(errorsOf(text)).toEqual([
      '11:15 unknown condition type `io.kestra.plugin.core.condition.ExecutionStatuss` (did you mean `io.kestra.plugin.core.condition.ExecutionStatus`?)',
    ]);
  });

  it('refuses an unknown state and a missing flowId', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [SUCESS]
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team`);
    const errors = errorsOf(text);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain(
      '`in[0]` of `io.kestra.plugin.core.condition.ExecutionStatus` must be one of',
    );
    expect(errors[0]).toContain('(did you mean `SUCCESS`?)');
    expect(errors[1]).toContain(
      'missing required property `flowId` on io.kestra.plugin.core.condition.ExecutionFlow',
    );
  });

  it('checks filters and time windows of preconditions', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: pre
      where:
        - id: ns
          filters:
            - field: NAMESPACE
              type: IN
              value: company
      timeWindow:
        type: DAILY_TIME_DEADLINE
        window: PT1H`);
    const errors = errorsOf(text);
    expect(errors).toEqual([
      '15:15 a filter of type `IN` needs `values`',
      '17:15 a filter of type `IN` takes `values`, not `value`',
      '19:9 a time window of type `DAILY_TIME_DEADLINE` needs `deadline`',
      '20:9 a time window of type `DAILY_TIME_DEADLINE` has no `window`',
    ]);
  });

  it('refuses an unknown property in preconditions with a suggestion', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: pre
      flow:
        - namespace: company.team`);
    expect(errorsOf(text)[0]).toContain(
      'unknown property `flow` in `preconditions` of trigger `upstream` (did you mean `flows`?)',
    );
  });

  it('warns that CREATED never reaches a Flow trigger', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    states: [CREATED, SUCCESS]`);
    expect(warningsOf(text)[0]).toContain('never sees `CREATED`');
  });
});

describe('Webhook trigger', () => {
  it('requires a key', () => {
    const text = flowWithTriggers(`  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook`);
    expect(errorsOf(text)).toEqual([
      '8:5 missing required property `key` on io.kestra.plugin.core.trigger.Webhook',
    ]);
  });

  it('refuses a key with a slash or over 256 characters', () => {
    const slash = flowWithTriggers(`  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: a/b`);
    expect(errorsOf(slash)[0]).toContain('`key` of trigger `hook` cannot contain `/`');
    const long = flowWithTriggers(`  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${'k'.repeat(257)}`);
    expect(errorsOf(long)[0]).toContain('is 257 characters long; at most 256 are allowed');
  });

  it('accepts a key given as an expression, and a numeric key', () => {
    for (const key of ['"{{ secret(\'HOOK\') }}"', '12345']) {
      const text = flowWithTriggers(`  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${key}`);
      expect(errorsOf(text), key).toEqual([]);
    }
  });

  it('refuses MultipleCondition and warns about returnOutputs without wait', () => {
    const text = flowWithTriggers(`  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: abc
    returnOutputs: true
    conditions:
      - type: io.kestra.plugin.core.condition.MultipleCondition
        id: multi
        conditions:
          a:
            type: io.kestra.plugin.core.condition.ExecutionFlow
            namespace: company.team
            flowId: a`);
    expect(errorsOf(text)).toEqual(['13:15 a Webhook trigger does not support `MultipleCondition`']);
    expect(warningsOf(text)).toEqual([
      '11:5 `returnOutputs` of trigger `hook` has no effect without `wait: true`',
    ]);
  });
});

describe('conditions', () => {
  it('refuses DateTimeBetween without bounds, and bounds without a zone', () => {
    const none = schedule(
      '0 9 * * *',
      '\n    conditions:\n      - type: io.kestra.plugin.core.condition.DateTimeBetween',
    );
    expect(errorsOf(none)).toEqual(['12:9 `DateTimeBetween` needs `after`, `before` or both']);
    const noZone = schedule(
      '0 9 * * *',
      '\n    conditions:\n      - type: io.kestra.plugin.core.condition.DateTimeBetween\n        after: "2025-01-01T00:00:00"',
    );
    expect(errorsOf(noZone)[0]).toContain('`after` must be an ISO-8601 date-time with a zone');
  });

  it('refuses an empty Not', () => {
    const text = schedule(
      '0 9 * * *',
      '\n    conditions:\n      - type: io.kestra.plugin.core.condition.Not\n        conditions: []',
    );
    expect(errorsOf(text)).toEqual(['13:21 `conditions` must hold at least one condition']);
  });

  it('validates nested conditions of MultipleCondition', () => {
    const text = flowWithTriggers(`  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.MultipleCondition
        id: both
        window: P1D
        conditions:
          a:
            type: io.kestra.plugin.core.condition.ExecutionFlow
            flowId: a`);
    expect(errorsOf(text)).toEqual([
      '16:13 missing required property `namespace` on io.kestra.plugin.core.condition.ExecutionFlow',
    ]);
    expect(warningsOf(text)).toEqual([
      '13:9 `window` of `io.kestra.plugin.core.condition.MultipleCondition` is deprecated; use `timeWindow.window`',
    ]);
  });
});
