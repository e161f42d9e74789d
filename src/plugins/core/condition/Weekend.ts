import { defineCondition } from '../../api.js';
import { conditionType, dateProp, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('Weekend'),
  legacyNames: legacyConditionNames('Weekend'),
  title: 'On a weekend',
  description: 'Holds when the tested date is a Saturday or a Sunday.',
  properties: {
    date: dateProp(),
  },
  examples: [
    {
      title: 'Run at 11:00 on weekends only',
      code: `id: weekend_job
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Weekend run.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.Weekend`,
    },
  ],
});
