import { defineCondition } from '../../api.js';
import { statesProp } from '../trigger/shared.js';
import { conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('HasRetryAttempt'),
  legacyNames: legacyConditionNames('HasRetryAttempt'),
  title: 'Execution with a retried task',
  description:
    'Holds when a task of the upstream execution was attempted more than once and one of its attempts ended in a state of `in` (and not of `notIn`). Give `in`: without it nothing matches.',
  properties: {
    in: statesProp({ dynamic: true }).describe('Attempt states allowed.'),
    notIn: statesProp({ dynamic: true }).describe('Attempt states refused.'),
  },
  check: (props, report) => {
    if (props.in == null) {
      report([], '`HasRetryAttempt` without `in` never holds; list the attempt states to match', {
        severity: 'warning',
      });
    }
  },
  examples: [
    {
      title: 'Start when a task of any execution failed an attempt before a retry',
      code: `id: retry_watch
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "A task of {{ trigger.executionId }} was retried"
triggers:
  - id: retried
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.HasRetryAttempt
        in:
          - FAILED`,
    },
  ],
});
