import { defineTask, p } from '../../api.js';
import { checkGsUri, gcpProps } from '../common.js';
import { listingProps } from './listing-props.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.DeleteList',
  title: 'Delete the objects under a Cloud Storage prefix',
  description: 'Lists `from` (optionally recursively, filtered by `regExp`) and deletes every object found.',
  properties: {
    ...gcpProps(),
    ...listingProps(),
    errorOnEmpty: p.boolean().default(false).describe('Fail when there is no object to delete.'),
    concurrent: p
      .integer({ min: 2, dynamic: false })
      .describe('How many deletions run at once; default one at a time.'),
  },
  outputs: {
    count: { type: 'integer', description: 'How many objects were deleted.' },
    size: { type: 'integer', description: 'Their total size in bytes.' },
  },
  examples: [
    {
      title: 'Empty a temporary folder',
      code: `- id: cleanup
  type: io.kestra.plugin.gcp.gcs.DeleteList
  from: gs://my-bucket/tmp/
  listingType: RECURSIVE`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'from');
  },
  run: async (ctx, props) => (await import('./run/tasks.js')).runDeleteList(ctx, props),
});
