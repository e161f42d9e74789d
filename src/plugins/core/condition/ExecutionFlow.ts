import { defineCondition, p } from '../../api.js';
import { conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('ExecutionFlow'),
  legacyNames: legacyConditionNames('ExecutionFlow'),
  title: 'Execution of a given flow',
  description: 'Holds when the upstream execution (of a Flow trigger) belongs to the given flow.',
  properties: {
    namespace: p.string({ dynamic: false }).required().describe('The namespace of the flow.'),
    flowId: p.string({ dynamic: false }).required().describe('The id of the flow.'),
  },
  examples: [
    {
      title: 'Start when `flow_a` of `company.team` succeeds',
      code: `id: after_flow_a
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: flow_a is done.
triggers:
  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    states:
      - SUCCESS
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team
        flowId: flow_a`,
    },
  ],
});
