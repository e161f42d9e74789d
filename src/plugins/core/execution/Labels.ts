import { defineTask, isRecord, p, TaskFailure, toText } from '../../api.js';
import { checkSystemLabels } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.execution.Labels',
  legacyNames: ['io.kestra.core.tasks.executions.Labels'],
  title: 'Add labels to the running execution',
  description:
    'Adds labels to the current execution, replacing the value of a label that already exists. Map keys are rendered like values. Keys starting with `system.` are refused, and so is an empty key or value (the task fails and sets no label).',
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
  run(_ctx, props) {
    const labels = labelsOf(props.labels);
    const empty = labels.find((l) => l.key.trim() === '' || l.value === '');
    if (empty)
      throw new TaskFailure(
        empty.key.trim() === ''
          ? 'A label has an empty key: every label needs a key and a value'
          : `The label \`${empty.key}\` has an empty value: every label needs a key and a value`,
      );
    const system = labels.find((l) => l.key.startsWith('system.'));
    if (system)
      throw new TaskFailure(`The label \`${system.key}\` is a system label and cannot be set by a task`);
    return { labels };
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

/** Labels as a map, a list of `{key, value}`, or a JSON map in a string. */
function labelsOf(value: unknown): Array<{ key: string; value: string }> {
  let source = value;
  if (typeof source === 'string') {
    try {
      source = JSON.parse(source);
    } catch {
      throw new TaskFailure('`labels` is a string but not a JSON map of labels');
    }
  }
  if (Array.isArray(source)) {
    return source.map((item) => {
      const entry = isRecord(item) ? item : {};
      return { key: toText(entry.key), value: toText(entry.value) };
    });
  }
  if (isRecord(source)) return Object.entries(source).map(([key, v]) => ({ key, value: toText(v) }));
  throw new TaskFailure('`labels` must be a map, a list of {key, value} or a JSON map');
}
