import { defineTask, isRecord, p, parseIsoDuration } from '../../api.js';
import { taskName } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Pause',
  legacyNames: ['io.kestra.core.tasks.flows.Pause'],
  title: 'Pause the execution until it is resumed',
  description:
    'Puts the execution in PAUSED until someone resumes it (UI, API or a `Resume` task), or until `pauseDuration` has passed; `behavior` says what happens then. Without `pauseDuration`, a `timeout` ends the pause FAILED (WARNING with `allowFailure`) when it passes. `onResume` declares inputs asked for on resume, checked and typed like flow inputs when resuming (a missing required one refuses the resume); their values are the `onResume` output.',
  flowable: true,
  properties: {
    pauseDuration: p
      .duration()
      .describe('How long to pause. Without it (and without `timeout`) the pause lasts until resumed.'),
    delay: p.duration().deprecated('pauseDuration').describe('Old name of `pauseDuration`.'),
    behavior: p
      .enum(['RESUME', 'WARN', 'CANCEL', 'FAIL'])
      .default('RESUME')
      .describe(
        'What happens when `pauseDuration` passes: go on, go on with the task in WARNING, cancel the execution, or fail the task.',
      ),
    onResume: p
      .list(p.map(p.any(), { dynamic: false }), { dynamic: false })
      .describe('Inputs asked for when resuming, declared like flow inputs (`id`, `type`, …).'),
    tasks: p
      .tasks()
      .deprecated('put the tasks after the Pause instead')
      .describe('Tasks run after the pause ends.'),
  },
  outputs: {
    onResume: { type: 'object', description: 'Values of the `onResume` inputs given when resuming.' },
  },
  check(props, report) {
    if (!Array.isArray(props.onResume)) return;
    props.onResume.forEach((input, index) => {
      if (!isRecord(input)) return;
      for (const key of ['id', 'type']) {
        if (typeof input[key] !== 'string') {
          report(
            ['onResume', index],
            `missing required property \`${key}\` in \`onResume[${index}]\` of ${taskName(props)}`,
          );
        }
      }
    });
  },
  resolve(_ctx, props) {
    const duration = (props.pauseDuration ?? props.delay) as string | undefined;
    return {
      ...(duration !== undefined ? { pauseDuration: parseIsoDuration(duration) } : {}),
      behavior: props.behavior ?? 'RESUME',
    };
  },
  examples: [
    {
      title: 'Wait for an approval with a reason',
      code: `id: approval_example
namespace: company.team
tasks:
  - id: wait_for_approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOL
        defaults: true
      - id: reason
        type: STRING
        defaults: looks good
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "approved={{ outputs.wait_for_approval.onResume.approved }}"`,
    },
    {
      title: 'Go on in WARNING after five minutes without a resume',
      code: `- id: pause
  type: io.kestra.plugin.core.flow.Pause
  pauseDuration: PT5M
  behavior: WARN`,
    },
  ],
});
