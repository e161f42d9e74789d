import { defineTask, p } from '../../api.js';
import ForEach from './ForEach.js';

/**
 * Kestra's EachSequential (deprecated since 0.19): one value after the other, which is exactly
 * a ForEach with `concurrencyLimit: 1`, so the flow model turns it into one.
 */
export default defineTask({
  type: 'io.kestra.plugin.core.flow.EachSequential',
  legacyNames: ['io.kestra.core.tasks.flows.EachSequential'],
  deprecated: ForEach.type,
  title: 'Run tasks once per value, one value after the other (deprecated)',
  description:
    'Runs as a ForEach with `concurrencyLimit: 1`: its tasks run in order for each item of `value` (a list, or a string holding a JSON array), one item after the other. The current item is `{{ taskrun.value }}`.',
  flowable: true,
  properties: {
    value: p
      .union(p.list(p.any(), { dynamic: false }), p.string())
      .required()
      .describe('The items: a list, a JSON array in a string, or an expression that renders to one.'),
    tasks: p.tasks().required().describe('The tasks run for each item.'),
  },
  outputs: {},
  normalize({ value, ...rest }) {
    return { ...rest, type: ForEach.type, values: value, concurrencyLimit: 1 };
  },
  examples: [
    {
      title: 'Each value in turn',
      code: `id: each_sequential_example
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.EachSequential
    value: '["value 1", "value 2"]'
    tasks:
      - id: show
        type: io.kestra.plugin.core.debug.Return
        format: "{{ task.id }} with value {{ taskrun.value }}"`,
    },
  ],
});
