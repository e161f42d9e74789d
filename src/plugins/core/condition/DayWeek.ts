import { defineCondition, p } from '../../api.js';
import { conditionType, dateProp, DAYS_OF_WEEK, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('DayWeek'),
  legacyNames: legacyConditionNames('DayWeek'),
  title: 'On a day of the week',
  description: 'Holds when the tested date falls on the given day of the week.',
  properties: {
    date: dateProp(),
    dayOfWeek: p.enum(DAYS_OF_WEEK, { dynamic: false }).required().describe('The day of the week.'),
  },
  examples: [
    {
      title: 'Run at 11:00 on Mondays only',
      code: `id: monday_report
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: It is Monday.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.DayWeek
        dayOfWeek: MONDAY`,
    },
  ],
});
