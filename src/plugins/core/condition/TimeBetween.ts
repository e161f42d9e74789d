import { defineCondition, p } from '../../api.js';
import { checkBound, conditionType, dateProp, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('TimeBetween'),
  legacyNames: legacyConditionNames('TimeBetween'),
  title: 'Between two times of day',
  description:
    'Holds when the time of day of the tested date is strictly after `after` and strictly before `before`. Give one bound or both.',
  properties: {
    date: dateProp('date-time'),
    after: p.string().describe('The time of day to be after, with an offset, such as `16:00:00+02:00`.'),
    before: p.string().describe('The time of day to be before, with an offset, such as `20:00:00+02:00`.'),
  },
  check: (props, report) => {
    if (props.after == null && props.before == null) {
      report([], '`TimeBetween` needs `after`, `before` or both');
    }
    checkBound(props, 'after', 'time', report);
    checkBound(props, 'before', 'time', report);
  },
  examples: [
    {
      title: 'Run every 5 minutes between 16:00 and 20:00 (UTC+2)',
      code: `id: evening_poll
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Evening.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/5 * * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.TimeBetween
        after: "16:00:00+02:00"
        before: "20:00:00+02:00"`,
    },
  ],
});
