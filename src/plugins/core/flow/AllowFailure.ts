import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.AllowFailure',
  legacyNames: ['io.kestra.core.tasks.flows.AllowFailure'],
  title: 'Run tasks whose failure does not fail the execution',
  description:
    'Runs its tasks in order. When one fails, the rest of the group is skipped and the group ends in WARNING, and the execution goes on with the next task.',
  flowable: true,
  properties: {
    tasks: p.tasks().required().describe('The tasks to run in order.'),
  },
  outputs: {},
  examples: [
    {
      title: 'A step that may fail',
      code: `id: allow_failure_example
namespace: company.team
tasks:
  - id: optional
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: may_fail
        type: io.kestra.plugin.core.execution.Fail
        errorMessage: this one fails
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: still running`,
    },
  ],
});
