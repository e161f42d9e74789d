import { defineCondition, p } from '../../api.js';
import { conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('ExecutionOutputs'),
  legacyNames: legacyConditionNames('ExecutionOutputs'),
  title: 'On the outputs of the upstream execution',
  description:
    'Holds when the expression, which can read the upstream flow outputs as `trigger.outputs`, renders true. An execution without outputs never matches.',
  properties: {
    expression: p
      .boolean()
      .required()
      .describe("An expression such as `{{ trigger.outputs.status == 'ready' }}`."),
  },
  examples: [
    {
      title: "Start when `flow_a` succeeds with the output `flow_a_output` equal to 'hello'",
      code: `id: on_hello
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: flow_a said hello.
triggers:
  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
    states:
      - SUCCESS
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionOutputs
        expression: "{{ trigger.outputs.flow_a_output == 'hello' }}"`,
    },
  ],
});
