import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.execution.Resume',
  title: 'Resume a paused execution',
  description:
    'Resumes a paused execution: `executionId` when given, else the paused execution of `namespace`/`flowId`, else the current one. `inputs` fill the `onResume` inputs of the Pause.',
  properties: {
    executionId: p.string().describe('Id of the execution to resume; the current one by default.'),
    namespace: p.string().describe('Namespace of the flow of the execution to resume.'),
    flowId: p.string().describe('Id of the flow of the execution to resume.'),
    inputs: p.map(p.any()).describe('Values of the `onResume` inputs.'),
  },
  outputs: {},
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
  ],
});
