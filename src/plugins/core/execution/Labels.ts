import { defineTask, p } from '../../api.js';
import { checkSystemLabels } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.execution.Labels',
  legacyNames: ['io.kestra.core.tasks.executions.Labels'],
  title: 'Add labels to the running execution',
  description:
    'Adds labels to the current execution, replacing the value of a label that already exists. Keys starting with `system.` are refused.',
  properties: {
    labels: p
      .union(
        p.map(p.any()),
        p.list(p.object({ key: p.string().required(), value: p.any().required() }), { dynamic: false }),
        p.string(),
      )
      .required()
      .describe('A map `key: value`, a list of `{key, value}`, or a string holding a JSON map.'),
  },
  outputs: {},
  check(props, report) {
    checkSystemLabels(props.labels, 'labels', report);
  },
  examples: [
    {
      title: 'Labels as a map and as a list',
      code: `id: labels_example
namespace: company.team
inputs:
  - id: customer
    type: STRING
    defaults: c-42
tasks:
  - id: by_map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      customerId: "{{ inputs.customer }}"
  - id: by_list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: stage
        value: loaded`,
    },
  ],
});
