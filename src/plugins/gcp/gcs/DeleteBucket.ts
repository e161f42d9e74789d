import { defineTask, p } from '../../api.js';
import { gcpProps } from '../common.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.DeleteBucket',
  title: 'Delete a Cloud Storage bucket',
  description:
    'Deletes an empty bucket; a bucket that does not exist, or still holds objects, fails the task.',
  properties: {
    ...gcpProps(),
    name: p.string().required().describe('The bucket name.'),
  },
  outputs: {
    bucket: { type: 'string', description: 'The name of the deleted bucket.' },
    bucketUri: { type: 'string', description: 'Its `gs://` URI.' },
  },
  examples: [
    {
      title: 'Delete a bucket',
      code: `- id: delete_bucket
  type: io.kestra.plugin.gcp.gcs.DeleteBucket
  name: my-temporary-bucket`,
    },
  ],
  run: async (ctx, props) => (await import('./run/buckets.js')).runDeleteBucket(ctx, props),
});
