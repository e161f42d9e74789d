import { defineTrigger, p } from '../../api.js';
import { checkGsUri, gcpProps, given } from '../common.js';
import { BLOBS_DOC, actionProps, listingProps } from './listing-props.js';

export default defineTrigger({
  type: 'io.kestra.plugin.gcp.gcs.Trigger',
  title: 'Start a flow when objects arrive in Cloud Storage',
  description:
    'Lists `from` every `interval`; new objects (or changed ones, by `on`) are downloaded into internal storage and start one execution, whose `trigger.blobs` lists them with their `kestra://` URIs. `action: MOVE` or `DELETE` then moves or deletes them; with `NONE` the trigger remembers what it has seen, so an object starts one execution only.',
  properties: {
    ...gcpProps(),
    interval: p.duration({ dynamic: false }).default('PT1M').describe('How long between two polls.'),
    ...listingProps(),
    ...actionProps(),
    on: p
      .enum(['CREATE', 'UPDATE', 'CREATE_OR_UPDATE'])
      .default('CREATE_OR_UPDATE')
      .describe('Fire for new objects (`CREATE`), overwritten ones (`UPDATE`), or both.'),
  },
  outputs: {
    blobs: { type: 'array', description: `${BLOBS_DOC} \`uri\` is the downloaded file's \`kestra://\` URI.` },
  },
  examples: [
    {
      title: 'Process each new file, then archive it',
      code: `id: gcs_listen
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ trigger.blobs | jq('.[].uri') }}"
    tasks:
      - id: return
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
triggers:
  - id: watch
    type: io.kestra.plugin.gcp.gcs.Trigger
    interval: PT5M
    from: gs://my-bucket/kestra/listen/
    action: MOVE
    moveDirectory: gs://my-bucket/kestra/archive/`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'from');
    checkGsUri(props, report, 'moveDirectory');
    if (props.action === 'MOVE' && !given(props.moveDirectory)) {
      report(
        ['moveDirectory'],
        '`action: MOVE` needs `moveDirectory`, the `gs://` folder to move the objects to',
        {
          atKey: true,
        },
      );
    }
  },
  poll: async (ctx, props, memory) => (await import('./run/trigger.js')).pollGcsTrigger(ctx, props, memory),
});
