import { defineTask, p } from '../../api.js';
import { checkGsUri, gcpProps } from '../common.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.Delete',
  title: 'Delete an object from Cloud Storage',
  description: 'Deletes one `gs://` object; a missing object is fine unless `errorOnMissing` is true.',
  properties: {
    ...gcpProps(),
    uri: p.string().required().describe('The object to delete, `gs://bucket/path`.'),
    errorOnMissing: p.boolean().default(false).describe('Fail when the object does not exist.'),
  },
  outputs: {
    uri: { type: 'string', description: 'The URI of the object.' },
    deleted: { type: 'boolean', description: 'Whether an object was deleted.' },
  },
  examples: [
    {
      title: 'Delete a temporary file',
      code: `- id: cleanup
  type: io.kestra.plugin.gcp.gcs.Delete
  uri: gs://my-bucket/tmp/export.csv
  errorOnMissing: false`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'uri');
  },
  run: async (ctx, props) => (await import('./run/tasks.js')).runDelete(ctx, props),
});
