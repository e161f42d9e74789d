import { defineTask, p, TaskFailure } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.execution.Resume',
  title: 'Resume a paused execution',
  description:
    'Resumes the paused task runs of an execution: `executionId` when given, else the current execution (useful when a Pause waits in a parallel branch). With `namespace` and `flowId` (both or neither), the execution must be of that flow. `inputs` are the values of the Pause’s `onResume` inputs, checked and typed as when resuming from the API: a missing required one or a wrong value fails this task and leaves the execution paused, and so does an execution with nothing paused.',
  properties: {
    executionId: p.string().describe('Id of the execution to resume; the current one by default.'),
    namespace: p.string().describe('Namespace of the flow of the execution to resume (with `flowId`).'),
    flowId: p.string().describe('Id of the flow of the execution to resume (with `namespace`).'),
    inputs: p.map(p.any()).describe('Values of the `onResume` inputs.'),
  },
  outputs: {},
  async run(ctx, props) {
    const namespace = props.namespace as string | undefined;
    const flowId = props.flowId as string | undefined;
    if ((namespace === undefined) !== (flowId === undefined))
      throw new TaskFailure(
        'Set both `namespace` and `flowId` (the flow of the execution to resume), or neither',
      );
    if (!ctx.resumeExecution) throw new TaskFailure('This worker cannot resume executions');
    const resumed = await ctx.resumeExecution(
      {
        ...(typeof props.executionId === 'string' ? { executionId: props.executionId } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
        ...(flowId !== undefined ? { flowId } : {}),
      },
      (props.inputs ?? {}) as Record<string, unknown>,
    );
    ctx.logger.info(`Resumed execution ${resumed.id} of ${resumed.namespace}.${resumed.flowId}`);
  },
  examples: [
    {
      title: 'Resume another execution with a value',
      code: `- id: resume
  type: io.kestra.plugin.core.execution.Resume
  namespace: company.team
  flowId: approval_flow
  executionId: "{{ inputs.execution }}"
  inputs:
    approved: true`,
    },
    {
      title: 'Resume the execution that triggered this one (a Flow trigger)',
      code: `- id: resume
  type: io.kestra.plugin.core.execution.Resume
  executionId: "{{ trigger.executionId }}"`,
    },
  ],
});
