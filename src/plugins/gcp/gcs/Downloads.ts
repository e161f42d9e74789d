import { defineTask } from '../../api.js';
import { checkGsUri, gcpProps, given } from '../common.js';
import { BLOBS_DOC, actionProps, listingProps } from './listing-props.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.Downloads',
  title: 'Download the objects under a Cloud Storage prefix',
  description:
    'Lists `from`, copies every object found into internal storage (their `kestra://` URIs are in `blobs[].uri`), then moves, deletes or keeps them (`action`).',
  properties: { ...gcpProps(), ...listingProps(), ...actionProps() },
  outputs: {
    blobs: { type: 'array', description: `${BLOBS_DOC} \`uri\` is the downloaded file's \`kestra://\` URI.` },
    outputFiles: { type: 'object', description: 'Object name → `kestra://` URI of its downloaded file.' },
  },
  examples: [
    {
      title: 'Download new files and archive them',
      code: `- id: downloads
  type: io.kestra.plugin.gcp.gcs.Downloads
  from: gs://my-bucket/incoming/
  action: MOVE
  moveDirectory: gs://my-bucket/archive/`,
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
  run: async (ctx, props) => (await import('./run/tasks.js')).runDownloads(ctx, props),
});
