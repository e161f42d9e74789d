import { defineCondition, p } from '../../api.js';
import { checkBound, conditionType, dateProp, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('DateTimeBetween'),
  legacyNames: legacyConditionNames('DateTimeBetween'),
  title: 'Between two date-times',
  description:
    'Holds when the tested date-time is on or after `after` and on or before `before`. Give one bound or both.',
  properties: {
    date: dateProp('date-time'),
    after: p
      .string()
      .describe('The earliest date-time allowed: ISO-8601 with a zone, such as `2025-01-01T00:00:00Z`.'),
    before: p
      .string()
      .describe('The latest date-time allowed: ISO-8601 with a zone, such as `2025-12-31T23:59:59Z`.'),
  },
  check: (props, report) => {
    if (props.after == null && props.before == null) {
      report([], '`DateTimeBetween` needs `after`, `before` or both');
    }
    checkBound(props, 'after', 'dateTime', report);
    checkBound(props, 'before', 'dateTime', report);
  },
  examples: [
    {
      title: 'Run every 5 minutes during 2025 only',
      code: `id: campaign
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Campaign running.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/5 * * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.DateTimeBetween
        after: "2025-01-01T00:00:00Z"
        before: "2025-12-31T23:59:59Z"`,
    },
  ],
});
