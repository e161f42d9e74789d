import { defineCondition } from '../../api.js';
import { checkSystemLabels, executionLabelsProp } from '../task-props.js';
import { conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('ExecutionLabels'),
  legacyNames: legacyConditionNames('ExecutionLabels'),
  title: 'Execution with given labels',
  description: 'Holds when the upstream execution carries every one of the given labels.',
  properties: {
    labels: executionLabelsProp()
      .required()
      .describe('The labels to look for: a map `key: value`, or a list of `{key, value}`.'),
  },
  check: (props, report) => checkSystemLabels(props.labels, 'labels', report),
  examples: [
    {
      title: 'Start when a production flow owned by John fails',
      code: `id: prod_failures
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: A production flow failed.
triggers:
  - id: failures
    type: io.kestra.plugin.core.trigger.Flow
    states:
      - FAILED
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionLabels
        labels:
          owner: john.doe
          env: prod`,
    },
  ],
});
