import { defineCondition, p } from '../../api.js';
import { checkNonEmptyConditions, conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('Or'),
  legacyNames: legacyConditionNames('Or'),
  title: 'Any of these conditions',
  description: 'Holds when at least one of the nested conditions holds.',
  properties: {
    conditions: p
      .pluginList('condition')
      .required()
      .describe('The conditions to try; one holding is enough.'),
  },
  check: (props, report) => checkNonEmptyConditions(props, 'conditions', report),
  examples: [
    {
      title: 'Run at 11:00 on Mondays and Sundays',
      code: `id: monday_or_sunday
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Monday or Sunday.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.Or
        conditions:
          - type: io.kestra.plugin.core.condition.DayWeek
            dayOfWeek: MONDAY
          - type: io.kestra.plugin.core.condition.DayWeek
            dayOfWeek: SUNDAY`,
    },
  ],
});
