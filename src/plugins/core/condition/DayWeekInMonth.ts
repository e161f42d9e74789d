import { defineCondition, p } from '../../api.js';
import { conditionType, dateProp, DAYS_OF_WEEK, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('DayWeekInMonth'),
  legacyNames: legacyConditionNames('DayWeekInMonth'),
  title: 'On the first, second… or last given weekday of the month',
  description:
    'Holds when the tested date is the first (second, third, fourth or last) occurrence of a day of the week in its month, such as the first Monday.',
  properties: {
    date: dateProp(),
    dayOfWeek: p.enum(DAYS_OF_WEEK).required().describe('The day of the week.'),
    dayInMonth: p
      .enum(['FIRST', 'SECOND', 'THIRD', 'FOURTH', 'LAST'])
      .required()
      .describe('Which occurrence of that day in the month.'),
  },
  examples: [
    {
      title: 'Run on the first Monday of each month at 11:00',
      code: `id: monthly_review
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: First Monday of the month.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * 1"
    conditions:
      - type: io.kestra.plugin.core.condition.DayWeekInMonth
        dayOfWeek: MONDAY
        dayInMonth: FIRST`,
    },
  ],
});
