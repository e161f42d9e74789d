import { defineTask, p } from '../../api.js';
import { taskName } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Switch',
  legacyNames: ['io.kestra.core.tasks.flows.Switch'],
  title: 'Choose tasks by a value',
  description:
    'Renders `value` and runs the task list of the case whose key equals it, or `defaults` when no case matches. With no matching case and no `defaults`, the Switch fails.',
  flowable: true,
  properties: {
    value: p
      .string()
      .required()
      .describe('The value to match against the keys of `cases`, usually an expression.'),
    cases: p.taskMap().describe('Task lists by value: the list whose key equals `value` runs.'),
    defaults: p.tasks().describe('Tasks run when no case matches.'),
  },
  outputs: {
    value: { type: 'string', description: 'The rendered value.' },
    defaults: { type: 'boolean', description: 'True when no case matched, so `defaults` ran.' },
  },
  check(props, report) {
    const hasCases =
      props.cases !== null && typeof props.cases === 'object' && Object.keys(props.cases).length > 0;
    const hasDefaults = Array.isArray(props.defaults) && props.defaults.length > 0;
    if (!hasCases && !hasDefaults) {
      report([], `${taskName(props)} has no tasks to run: give \`cases\`, \`defaults\`, or both`);
    }
  },
  resolve(_ctx, props) {
    return { value: props.value ?? null };
  },
  examples: [
    {
      title: 'Branch on an input',
      code: `id: switch_example
namespace: company.team
inputs:
  - id: kind
    type: SELECT
    values: [FIRST, SECOND]
    defaults: FIRST
tasks:
  - id: switch
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.kind }}"
    cases:
      FIRST:
        - id: first
          type: io.kestra.plugin.core.log.Log
          message: first case
      SECOND:
        - id: second
          type: io.kestra.plugin.core.log.Log
          message: second case
    defaults:
      - id: other
        type: io.kestra.plugin.core.log.Log
        message: no case matched`,
    },
  ],
});
