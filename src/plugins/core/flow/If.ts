import { defineTask, isTruthyCondition, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.If',
  legacyNames: ['io.kestra.core.tasks.flows.If'],
  title: 'Branch on a condition',
  description:
    'Runs `then` when `condition` renders truthy, else `else`. A condition is false when it renders to `false`, `0`, `-0` or nothing.',
  flowable: true,
  properties: {
    condition: p.string().required().describe("An expression, e.g. `{{ inputs.taxi == 'yellow' }}`."),
    then: p.tasks().required().describe('Tasks run when the condition holds.'),
    else: p.tasks().describe('Tasks run when it does not.'),
  },
  resolve(_ctx, props) {
    return { condition: isTruthyCondition(props.condition) };
  },
  examples: [
    {
      title: 'Per taxi colour',
      code: `- id: if_yellow
  type: io.kestra.plugin.core.flow.If
  condition: "{{ inputs.taxi == 'yellow' }}"
  then:
    - id: yellow
      type: io.kestra.plugin.core.log.Log
      message: yellow taxi`,
    },
  ],
});
