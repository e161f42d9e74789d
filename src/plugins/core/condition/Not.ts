import { defineCondition, p } from '../../api.js';
import { checkNonEmptyConditions, conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('Not'),
  legacyNames: legacyConditionNames('Not'),
  title: 'None of these conditions',
  description: 'Holds when none of the nested conditions holds.',
  properties: {
    conditions: p
      .pluginList('condition')
      .required()
      .describe('The conditions to invert; if any of them holds, this one does not.'),
  },
  check: (props, report) => checkNonEmptyConditions(props, 'conditions', report),
  examples: [
    {
      title: 'Run at 11:00 on working days (not on weekends)',
      code: `id: working_days
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: A working day.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.Not
        conditions:
          - type: io.kestra.plugin.core.condition.Weekend`,
    },
  ],
});
