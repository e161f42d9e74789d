import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Sequential',
  legacyNames: ['io.kestra.core.tasks.flows.Sequential'],
  title: 'Run tasks one after another',
  description: 'Groups tasks that run in order, with their own `errors` and `finally`.',
  flowable: true,
  properties: {
    tasks: p.tasks().required().describe('The tasks to run in order.'),
  },
  examples: [
    {
      title: 'Two steps in a group',
      code: `- id: group
  type: io.kestra.plugin.core.flow.Sequential
  tasks:
    - id: first
      type: io.kestra.plugin.core.log.Log
      message: one
    - id: second
      type: io.kestra.plugin.core.log.Log
      message: two`,
    },
  ],
});
