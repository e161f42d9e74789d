import { defineTask, isRecord, p } from '../../api.js';
import { checkSystemLabels, executionLabelsProp, restartBehaviorProp } from '../task-props.js';

const SPLIT_KEYS = ['rows', 'bytes', 'partitions', 'regexPattern'] as const;

export default defineTask({
  type: 'io.kestra.plugin.core.flow.ForEachItem',
  legacyNames: ['io.kestra.core.tasks.flows.ForEachItem'],
  title: 'Start a subflow for each batch of items of a file',
  description:
    'Splits a file of internal storage (one item per line: JSON lines, ION, CSV without header) into batches and starts one execution of the subflow per batch. In `inputs`, `{{ taskrun.items }}` is the URI of the batch file and `{{ taskrun.iteration }}` its index. As in Kestra, its work shows as three task runs whose outputs later tasks read: `<id>_split` (`splits`), `<id>_items` (`numberOfBatches`, and `iterations`: the subflow executions counted by state, kept up to date) and `<id>_merge` (`subflowOutputs`: the URI of a file with one Ion line of flow outputs per subflow execution).',
  flowable: true,
  properties: {
    items: p
      .string()
      .required()
      .describe('The `kestra://` URI of the file to split, e.g. `{{ outputs.extract.uri }}`.'),
    batch: p
      .object({
        rows: p.integer({ min: 1 }).default(1).describe('Items per batch.'),
        bytes: p.string().describe('Largest size of a batch, e.g. `10MB`.'),
        partitions: p.integer({ min: 1 }).describe('Number of batches to make.'),
        regexPattern: p
          .string()
          .describe('A regex with a capture group: lines are grouped into batches by the captured value.'),
        separator: p.string().default('\n').describe('Separator written after each item.'),
      })
      .describe('How to split the file into batches (one of `rows`, `bytes`, `partitions`, `regexPattern`).'),
    namespace: p.string().required().describe('Namespace of the subflow.'),
    flowId: p.string().required().describe('Id of the subflow.'),
    revision: p
      .integer({ min: 1, dynamic: false })
      .describe('Revision of the subflow to run; the latest one by default.'),
    inputs: p.map(p.any()).describe('Inputs given to each subflow execution.'),
    labels: executionLabelsProp().describe('Labels added to each subflow execution.'),
    wait: p
      .boolean({ dynamic: false })
      .default(true)
      .describe('Wait for the subflow executions to end before going on.'),
    transmitFailed: p
      .boolean({ dynamic: false })
      .default(true)
      .describe('Fail this task when a subflow execution fails or is killed (needs `wait`).'),
    inheritLabels: p
      .boolean({ dynamic: false })
      .default(false)
      .describe("Copy this execution's labels onto the subflow executions."),
    scheduleDate: p
      .string()
      .describe('Start the subflow executions at this date rather than now (ISO-8601).'),
    concurrencyLimit: p
      .integer({ min: 0, dynamic: false })
      .default(0)
      .describe(
        "Most subflow executions running at once; 0 (the default, as in Kestra) starts them all at once. A Windhover addition: Kestra limits them only through the subflow's own `concurrency`.",
      ),
    restartBehavior: restartBehaviorProp(),
  },
  check(props, report) {
    checkSystemLabels(props.labels, 'labels', report);
    if (isRecord(props.batch)) {
      const batch = props.batch;
      const given = SPLIT_KEYS.filter((key) => batch[key] !== undefined && batch[key] !== null);
      if (given.length > 1) {
        const used = SPLIT_KEYS.find((key) => key !== 'rows' && given.includes(key)) ?? 'rows';
        report(
          ['batch'],
          `\`batch\` sets ${given.map((k) => `\`${k}\``).join(' and ')}; only one is used (\`${used}\`)`,
          { severity: 'warning' },
        );
      }
    }
  },
  // Its parts run it (engine/executor/flow-index.ts forEachItemParts); only `runIf` is rendered.
  resolve() {
    return {};
  },
  examples: [
    {
      title: 'One subflow execution per line of a file',
      code: `id: orders_parallel
namespace: company.team
inputs:
  - id: orders
    type: FILE
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.orders }}"
    batch:
      rows: 1
    namespace: company.team
    flowId: process_order
    wait: true
    transmitFailed: true
    inputs:
      order: "{{ taskrun.items }}"`,
    },
  ],
});
