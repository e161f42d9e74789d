import { defineTask, p, TaskFailure, toText } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.ForEach',
  title: 'Run tasks once per value',
  description:
    'Runs its tasks once for each item of `values` (a list, or a string holding a JSON array). The current item is `{{ taskrun.value }}` (`{{ parent.taskrun.value }}` from deeper levels) and its index `{{ taskrun.iteration }}`. Within one item the tasks run in order; `concurrencyLimit` says how many items run at once.',
  flowable: true,
  properties: {
    values: p
      .union(p.list(p.any(), { dynamic: false }), p.string())
      .required()
      .describe('The items: a list, a JSON array in a string, or an expression that renders to one.'),
    concurrencyLimit: p
      .integer({ min: 0, dynamic: false })
      .default(1)
      .describe(
        'How many items are processed at once; `1` means one after the other, `0` means all at once.',
      ),
    tasks: p.tasks().required().describe('The tasks run for each item.'),
  },
  outputs: {},
  resolve(_ctx, props) {
    return { values: forEachValues(props.values) };
  },
  examples: [
    {
      title: 'Two items at a time',
      code: `id: for_each_example
namespace: company.team
tasks:
  - id: for_each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c", "d"]
    concurrencyLimit: 2
    tasks:
      - id: show
        type: io.kestra.plugin.core.log.Log
        message: "item {{ taskrun.iteration }} is {{ taskrun.value }}"`,
    },
    {
      title: 'Items from an expression',
      code: `- id: per_row
  type: io.kestra.plugin.core.flow.ForEach
  values: "{{ outputs.query.rows }}"
  tasks:
    - id: row
      type: io.kestra.plugin.core.debug.Return
      format: "{{ taskrun.value }}"`,
    },
  ],
});

/** The items as strings (`taskrun.value`): a list, or a JSON array in a string. Maps become JSON. */
export function forEachValues(values: unknown): string[] {
  let list = values;
  if (typeof values === 'string') {
    try {
      list = JSON.parse(values);
    } catch {
      throw new TaskFailure(`\`values\` must be a list or a JSON array, got \`${values.slice(0, 100)}\``);
    }
  }
  if (!Array.isArray(list))
    throw new TaskFailure(`\`values\` must be a list or a JSON array, got ${toText(list).slice(0, 100)}`);
  // As Kestra: a null item is an error, not the text "null".
  const nulls = list.filter((v) => v === null || v === undefined).length;
  if (nulls > 0)
    throw new TaskFailure(`Found '${nulls}' null values in \`values\`: every item must have a value`);
  return list.map((v) => toText(v));
}
