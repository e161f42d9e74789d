import { defineTask, isTruthyCondition, p, TaskFailure } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.execution.Fail',
  legacyNames: ['io.kestra.core.tasks.executions.Fail'],
  title: 'Fail the execution',
  description:
    'Fails, logging `errorMessage`. With a `condition`, fails only when it renders truthy and succeeds otherwise.',
  properties: {
    condition: p
      .string()
      .describe(
        'An expression; the task fails only when it renders truthy. Without it the task always fails.',
      ),
    errorMessage: p.string().default('Task failure').describe('The error message.'),
  },
  outputs: {},
  run(_ctx, props) {
    if (props.condition !== undefined && !isTruthyCondition(props.condition)) return;
    throw new TaskFailure(String(props.errorMessage));
  },
  examples: [
    {
      title: 'Fail on a bad input',
      code: `id: fail_example
namespace: company.team
inputs:
  - id: mode
    type: SELECT
    values: [SUCCEED, FAIL]
    defaults: SUCCEED
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.mode == 'FAIL' }}"
    errorMessage: asked to fail`,
    },
  ],
});
