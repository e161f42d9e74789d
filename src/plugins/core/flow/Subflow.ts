import { defineTask, p } from '../../api.js';
import { checkSystemLabels, executionLabelsProp, labelList, restartBehaviorProp } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Subflow',
  legacyNames: ['io.kestra.core.tasks.flows.Subflow', 'io.kestra.core.tasks.flows.Flow'],
  title: 'Start an execution of another flow',
  description:
    'Starts an execution of `namespace`/`flowId` with the given inputs and labels, and by default waits for it: the task then ends in the state of the child execution (with `transmitFailed`, a FAILED, KILLED or WARNING child passes its state on; otherwise the task succeeds) and exposes its flow outputs. A `retry` policy retries a failed child as a new child execution.',
  properties: {
    namespace: p.string().required().describe('Namespace of the flow to start.'),
    flowId: p.string().required().describe('Id of the flow to start.'),
    revision: p.integer({ min: 1 }).describe('Revision of the flow to run; the latest one by default.'),
    inputs: p.map(p.any()).describe('Inputs of the child execution.'),
    labels: executionLabelsProp().describe('Labels of the child execution.'),
    wait: p
      .boolean({ dynamic: false })
      .default(true)
      .describe('Wait for the child execution to end before going on.'),
    transmitFailed: p
      .boolean({ dynamic: false })
      .default(true)
      .describe('Fail this task when the child execution fails or is killed (needs `wait`).'),
    inheritLabels: p
      .boolean()
      .default(false)
      .describe("Copy this execution's labels onto the child execution."),
    scheduleDate: p.string().describe('Start the child execution at this date rather than now (ISO-8601).'),
    restartBehavior: restartBehaviorProp(),
    outputs: p
      .map(p.any())
      .deferred()
      .deprecated('declare `outputs` on the subflow itself; they are read as `outputs.<task>.outputs`')
      .describe(
        "Values read from the child execution: rendered in the child's context once it ended (`{{ outputs.<child task>.value }}`), exposed as `outputs.<task>.outputs`, when the child flow declares no `outputs`. Declare `outputs` in the child flow instead.",
      ),
  },
  outputs: {
    executionId: { type: 'string', description: 'Id of the child execution.' },
    state: { type: 'string', description: 'Final state of the child execution (only when `wait` is true).' },
    outputs: {
      type: 'object',
      description: 'Flow outputs of the child execution (only when `wait` is true).',
    },
  },
  check(props, report) {
    checkSystemLabels(props.labels, 'labels', report);
  },
  resolve(_ctx, props) {
    return { ...props, labels: labelList(props.labels) };
  },
  examples: [
    {
      title: 'Call a flow with inputs and wait for it',
      code: `id: parent_flow
namespace: company.team
tasks:
  - id: call_subflow
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: subflow
    inputs:
      user: Rick Astley
      song: Never Gonna Give You Up
    labels:
      source: parent_flow
    wait: true
    transmitFailed: true
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "child {{ outputs.call_subflow.executionId }} ended"`,
    },
  ],
});
