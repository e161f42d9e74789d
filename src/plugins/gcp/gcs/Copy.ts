import { defineTask, p } from '../../api.js';
import { isLiteral } from '../../api.js';
import { checkGsUri, gcpProps } from '../common.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.Copy',
  aliases: ['io.kestra.plugin.gcp.storage.Copy'],
  title: 'Copy or move an object in Cloud Storage',
  description:
    'Copies a `gs://` object to another `gs://` path, within or across buckets; `delete: true` moves it.',
  properties: {
    ...gcpProps(),
    from: p.string().required().describe('The object to copy, `gs://bucket/path`.'),
    to: p.string().required().describe('The destination, `gs://bucket/path`.'),
    delete: p.boolean().default(false).describe('Delete the source after a successful copy (a move).'),
  },
  outputs: { uri: { type: 'string', description: 'The `gs://` URI of the copy.' } },
  examples: [
    {
      title: 'Archive a processed file',
      code: `- id: archive
  type: io.kestra.plugin.gcp.gcs.Copy
  from: "gs://my-bucket/raw/{{ execution.startDate | date('yyyy-MM-dd') }}/data.csv"
  to: "gs://my-bucket/processed/{{ execution.startDate | date('yyyy-MM-dd') }}/data.csv"
  delete: true`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'from');
    checkGsUri(props, report, 'to');
    if (isLiteral(props.from) && props.from === props.to) {
      report(['to'], '`to` is the same object as `from`');
    }
  },
  run: async (ctx, props) => (await import('./run/tasks.js')).runCopy(ctx, props),
});
