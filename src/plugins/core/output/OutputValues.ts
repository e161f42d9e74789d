import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.output.OutputValues',
  legacyNames: ['io.kestra.core.tasks.outputs.OutputValues'],
  title: 'Expose values as task outputs',
  description:
    'Renders each entry of `values` and exposes the results as `{{ outputs.<id>.values.<name> }}` for later tasks. As in Kestra, every string is rendered to text, also inside lists and maps (`"{{ 2 + 3 }}"` gives the text `5`; compare it with `\'5\'` or convert it with `| number`); values written as numbers, booleans, lists or maps keep their shape.',
  properties: {
    values: p
      .map(p.any({ asText: true }))
      .describe(
        'The values to expose, by name: strings (rendered to text), numbers, lists or maps (their strings rendered).',
      ),
  },
  outputs: {
    values: { type: 'object', description: 'The rendered values, by name.' },
  },
  run(_ctx, props) {
    return { outputs: { values: props.values ?? {} } };
  },
  examples: [
    {
      title: 'Compute values once, use them later',
      code: `id: output_values_example
namespace: company.team
tasks:
  - id: compute
    type: io.kestra.plugin.core.output.OutputValues
    values:
      started: "{{ execution.startDate }}"
      flow: "{{ flow.id }}"
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.compute.values.flow }} started at {{ outputs.compute.values.started }}"`,
    },
  ],
});
