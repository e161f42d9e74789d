import { defineTask, p } from '../../api.js';
import { checkGsUri, gcpProps } from '../common.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.Download',
  title: 'Download a file from Cloud Storage',
  description: 'Copies a `gs://` object into internal storage; the output `uri` is its `kestra://` URI.',
  properties: {
    ...gcpProps(),
    from: p.string().required().describe('The object to download, `gs://bucket/path/file.csv`.'),
  },
  outputs: {
    uri: { type: 'string', description: 'The `kestra://` URI of the downloaded file.' },
    bucket: { type: 'string', description: 'The bucket of the object.' },
    path: { type: 'string', description: 'The path of the object in its bucket.' },
  },
  examples: [
    {
      title: 'Download an object',
      code: `- id: download
  type: io.kestra.plugin.gcp.gcs.Download
  from: gs://my-bucket/raw/orders.csv`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'from');
  },
  run: async (ctx, props) => (await import('./run/tasks.js')).runDownload(ctx, props),
});
