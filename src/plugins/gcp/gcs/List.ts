import { defineTask, p } from '../../api.js';
import { checkGsUri, gcpProps } from '../common.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.List',
  title: 'List objects in Cloud Storage',
  description: 'Lists the objects under a `gs://` prefix, optionally recursively and filtered by a regex.',
  properties: {
    ...gcpProps(),
    from: p.string().required().describe('The prefix to list, `gs://bucket/dir/`.'),
    filter: p
      .enum(['FILES', 'DIRECTORY', 'BOTH'])
      .default('BOTH')
      .describe('List files, directories, or both.'),
    listingType: p
      .enum(['DIRECTORY', 'RECURSIVE'])
      .default('DIRECTORY')
      .describe('`DIRECTORY` lists the direct children only, `RECURSIVE` everything below.'),
    regExp: p.string().describe('Keep only objects whose full `gs://` URI matches this regex.'),
    allVersions: p.boolean().describe('Include old versions of objects.'),
  },
  outputs: {
    blobs: {
      type: 'array',
      description:
        'The objects found, each with `uri`, `name`, `bucket`, `size`, `contentType`, `updateTime`….',
    },
  },
  examples: [
    {
      title: 'List CSV files recursively',
      code: `- id: list
  type: io.kestra.plugin.gcp.gcs.List
  from: gs://my-bucket/raw/
  listingType: RECURSIVE
  filter: FILES
  regExp: ".*\\\\.csv$"`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'from');
  },
  run: async (ctx, props) => (await import('./run/tasks.js')).runList(ctx, props),
});
