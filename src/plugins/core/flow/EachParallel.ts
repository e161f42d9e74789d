import { defineTask, EACH_PARALLEL, p } from '../../api.js';
import ForEach from './ForEach.js';

/**
 * Kestra's EachParallel (deprecated since 0.19): every task of every value at once, which the
 * flow model turns into a ForEach whose items' tasks run in parallel (EACH_PARALLEL).
 */
export default defineTask({
  type: 'io.kestra.plugin.core.flow.EachParallel',
  legacyNames: ['io.kestra.core.tasks.flows.EachParallel'],
  deprecated: ForEach.type,
  title: 'Run tasks once per value, all values at once (deprecated)',
  description:
    'Runs its tasks for each item of `value` (a list, or a string holding a JSON array), every item and every task at once: with 3 items and 2 tasks, 6 task runs in no particular order. `concurrent` limits how many items run at once. The current item is `{{ taskrun.value }}`. When moving to ForEach (`concurrencyLimit: 0` for all items at once), note that its tasks run in order within an item: put them in a `Parallel` to keep them concurrent.',
  flowable: true,
  properties: {
    value: p
      .union(p.list(p.any(), { dynamic: false }), p.string())
      .required()
      .describe('The items: a list, a JSON array in a string, or an expression that renders to one.'),
    concurrent: p
      .integer({ min: 0, dynamic: false })
      .default(0)
      .describe('How many items run at once; `0` means all of them.'),
    tasks: p.tasks().required().describe('The tasks run for each item, in parallel.'),
  },
  outputs: {},
  normalize({ value, concurrent, ...rest }) {
    return {
      ...rest,
      type: ForEach.type,
      values: value,
      concurrencyLimit: typeof concurrent === 'number' ? concurrent : 0,
      [EACH_PARALLEL]: true,
    };
  },
  examples: [
    {
      title: 'All values at once',
      code: `id: each_parallel_example
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.EachParallel
    value: ["value 1", "value 2", "value 3"]
    concurrent: 2
    tasks:
      - id: show
        type: io.kestra.plugin.core.debug.Return
        format: "{{ task.id }} with value {{ taskrun.value }}"`,
    },
  ],
});
