import { defineTrigger, isExpression, isRecord, p } from '../../api.js';
import type { ReportFn } from '../../api.js';
import { EXECUTION_CONDITIONS, namesOf } from '../condition/index.js';
import { scalarText } from '../condition/shared.js';
import { checkSystemLabels, executionLabelsProp } from '../task-props.js';
import { checkCron, CRON_NICKNAMES } from './cron.js';
import { triggerName } from './shared.js';
import { checkTimeZone } from './timezone.js';

const EXECUTION_CONDITION_NAMES = namesOf(EXECUTION_CONDITIONS);

export default defineTrigger({
  type: 'io.kestra.plugin.core.trigger.Schedule',
  legacyNames: ['io.kestra.core.models.triggers.types.Schedule'],
  title: 'Run on a cron schedule',
  description:
    'Starts an execution at each date matched by a cron expression, in the given time zone (the server zone, UTC by default). ' +
    'The scheduler remembers the last date it fired, so schedules missed while it was down can be recovered; changing the trigger id starts afresh. ' +
    'In the flow, `trigger.date` is the scheduled date, `trigger.next` and `trigger.previous` its neighbours.',
  properties: {
    cron: p
      .string({ dynamic: false })
      .required()
      .describe(
        `A Unix cron expression of 5 fields (minute hour day-of-month month day-of-week; 0 and 7 are Sunday), 6 with a leading seconds field when \`withSeconds\` is true, or a nickname: ${CRON_NICKNAMES.map((n) => `\`${n}\``).join(', ')}. Not rendered: no expressions.`,
      )
      .examples('0 9 * * 1', '*/15 * * * *', '@daily'),
    withSeconds: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('Read `cron` as 6 fields, the first being seconds.'),
    timezone: p
      .string({ dynamic: false })
      .describe(
        'The time zone the cron expression is read in: an IANA id such as `Europe/Paris`, or an offset such as `+02:00`. The server zone when not set.',
      )
      .examples('Europe/Paris', 'America/New_York', 'UTC'),
    inputs: p.map(p.any()).describe('Inputs given to each execution; values may be expressions.'),
    labels: executionLabelsProp().describe(
      'Labels given to each execution: a map `key: value`, or a list of `{key, value}`.',
    ),
    recoverMissedSchedules: p
      .enum(['ALL', 'LAST', 'NONE'], { dynamic: false })
      .default('ALL')
      .describe(
        'What to do with dates missed while the scheduler was down or the trigger disabled: run them `ALL`, only the `LAST` one, or `NONE`.',
      ),
    lateMaximumDelay: p
      .duration({ dynamic: false })
      .describe('Skip a scheduled date whose execution could not start within this delay.'),
    backfill: p
      .map(p.any(), { dynamic: false })
      .deprecated('start backfills from the UI or the API instead')
      .describe('Replaced by backfills started from the UI or the API.'),
    scheduleConditions: p.pluginList('condition').deprecated('conditions'),
  },
  outputs: {
    date: { type: 'datetime', description: 'The scheduled date, read as `trigger.date`.' },
    next: { type: 'datetime', description: 'The next scheduled date, read as `trigger.next`.' },
    previous: { type: 'datetime', description: 'The previous scheduled date, read as `trigger.previous`.' },
  },
  check: (props, report) => {
    const owner = triggerName(props);
    checkCronProp(props, owner, report);
    checkTimeZoneProp(props.timezone, owner, report);
    checkSystemLabels(props.labels, 'labels', report);
    for (const key of ['conditions', 'scheduleConditions']) {
      const conditions = props[key];
      if (!Array.isArray(conditions)) continue;
      conditions.forEach((condition, index) => {
        if (!isRecord(condition) || typeof condition.type !== 'string') return;
        if (!EXECUTION_CONDITION_NAMES.has(condition.type)) return;
        report(
          [key, index, 'type'],
          `\`${condition.type}\` tests an upstream execution, which a Schedule trigger does not have: Kestra ignores it here (use it on a Flow trigger)`,
          { severity: 'warning' },
        );
      });
    }
  },
  examples: [
    {
      title: 'Every Monday at 9:00, Paris time',
      code: `id: weekly_report
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Report for {{ trigger.date ?? execution.startDate }}"
triggers:
  - id: monday_morning
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * 1"
    timezone: Europe/Paris`,
    },
    {
      title: 'Every 15 minutes, recovering only the last missed run',
      code: `id: poller
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Polling.
triggers:
  - id: every_15_minutes
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/15 * * * *"
    recoverMissedSchedules: LAST`,
    },
    {
      title: 'Daily at midnight with inputs, disabled after a failure',
      code: `id: daily_load
namespace: company.team
inputs:
  - id: mode
    type: STRING
    defaults: incremental
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Loading in {{ inputs.mode }} mode"
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
    inputs:
      mode: full
    labels:
      source: schedule
    stopAfter:
      - FAILED`,
    },
  ],
});

function checkCronProp(props: Record<string, unknown>, owner: string, report: ReportFn): void {
  const text = scalarText(props.cron);
  if (text === undefined) return;
  if (isExpression(text)) {
    report(['cron'], `\`cron\` of ${owner} cannot hold an expression: Kestra reads it as written`);
    return;
  }
  const problem = checkCron(text, props.withSeconds === true || props.withSeconds === 'true');
  if (!problem) return;
  if (problem.severity === 'error') {
    report(['cron'], `\`cron\` of ${owner} is not a valid cron expression: ${problem.reason}`);
  } else {
    report(['cron'], `\`cron\` of ${owner} (\`${text}\`): ${problem.reason}`, { severity: 'warning' });
  }
}

function checkTimeZoneProp(timezone: unknown, owner: string, report: ReportFn): void {
  const text = scalarText(timezone);
  if (text === undefined) return;
  if (isExpression(text)) {
    report(['timezone'], `\`timezone\` of ${owner} cannot hold an expression: Kestra reads it as written`);
    return;
  }
  const reason = checkTimeZone(text);
  if (reason) report(['timezone'], `\`timezone\` of ${owner} is not valid: ${reason}`);
}
