import { defineCondition } from '../../api.js';
import { statesProp } from '../trigger/shared.js';
import { conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('ExecutionStatus'),
  legacyNames: legacyConditionNames('ExecutionStatus'),
  title: 'Execution in given states',
  description:
    'Holds when the state of the upstream execution is in `in` (when given) and not in `notIn` (when given).',
  properties: {
    in: statesProp().describe('States allowed.'),
    notIn: statesProp().describe('States refused.'),
  },
  examples: [
    {
      title: 'Start when any execution fails or is killed',
      code: `id: failure_watch
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Execution {{ trigger.executionId }} ended {{ trigger.state }}"
triggers:
  - id: failures
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - FAILED
          - KILLED`,
    },
  ],
});
