import { defineTask, p } from '../../api.js';
import { onChildFailureProp, taskName } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Dag',
  legacyNames: ['io.kestra.core.tasks.flows.Dag'],
  title: 'Run tasks in the order their dependencies give',
  description:
    'Each entry holds a `task` and the ids of the entries it `dependsOn`; a task starts once those have succeeded, so independent tasks run in parallel (at most `concurrent` at once). Once a task fails, nothing new starts (as in Kestra); `onChildFailure` says what happens to the tasks still running. Dependencies may only name tasks of the same Dag and may not form a cycle.',
  flowable: true,
  properties: {
    tasks: p.dagTasks().required().describe('The entries: `{task, dependsOn}`.'),
    concurrent: p
      .integer({ min: 0, dynamic: false })
      .default(0)
      .describe('How many tasks may run at once; `0` means no limit.'),
    onChildFailure: onChildFailureProp('Dag'),
  },
  outputs: {},
  check(props, report) {
    if (Array.isArray(props.tasks) && props.tasks.length === 0) {
      report(['tasks'], `\`tasks\` of ${taskName(props)} must hold at least one task`);
    }
  },
  examples: [
    {
      title: 'A diamond of dependencies',
      code: `id: dag_example
namespace: company.team
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: extract
          type: io.kestra.plugin.core.log.Log
          message: extract
      - task:
          id: clean
          type: io.kestra.plugin.core.log.Log
          message: clean
        dependsOn: [extract]
      - task:
          id: enrich
          type: io.kestra.plugin.core.log.Log
          message: enrich
        dependsOn: [extract]
      - task:
          id: load
          type: io.kestra.plugin.core.log.Log
          message: load
        dependsOn: [clean, enrich]`,
    },
  ],
});
