import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.execution.Exit',
  title: 'End the execution in a given state',
  description:
    'Ends the execution in `state`: the Exit task run and the flowable tasks around it end in that state, and nothing new starts. With `KILLED`, tasks still running elsewhere (in a parallel branch) are killed; with another state they finish first.',
  properties: {
    state: p
      .enum(['SUCCESS', 'WARNING', 'KILLED', 'FAILED', 'CANCELED'])
      .default('SUCCESS')
      .describe('The final state of the execution.'),
  },
  outputs: {},
  run(ctx, props) {
    const state =
      props.state === 'CANCELED' ? 'CANCELLED' : (props.state as 'SUCCESS' | 'WARNING' | 'KILLED' | 'FAILED');
    ctx.logger.info(`Exiting the execution in ${state}`);
    return { exit: state };
  },
  examples: [
    {
      title: 'Stop early',
      code: `id: exit_example
namespace: company.team
inputs:
  - id: go_on
    type: BOOL
    defaults: true
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.go_on }}"
    then:
      - id: hello
        type: io.kestra.plugin.core.log.Log
        message: going on
    else:
      - id: stop
        type: io.kestra.plugin.core.execution.Exit
        state: KILLED
  - id: end
    type: io.kestra.plugin.core.log.Log
    message: the end`,
    },
  ],
});
