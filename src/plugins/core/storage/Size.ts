import { defineTask, p } from '../../api.js';
import { existingFile } from '../../shared/items-io.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.Size',
  legacyNames: ['io.kestra.core.tasks.storages.Size'],
  title: 'Get the size of a file of internal storage',
  description: 'Exposes the size in bytes of one file of internal storage.',
  properties: {
    uri: p.string().required().describe('The `kestra://` URI of the file.'),
  },
  outputs: {
    size: { type: 'integer', description: 'Size of the file in bytes.' },
  },
  async run(ctx, props) {
    const uri = await existingFile(ctx, props.uri, 'uri');
    return { outputs: { size: await ctx.storage.size(uri) } };
  },
  examples: [
    {
      title: 'Size of a file',
      code: `- id: size
  type: io.kestra.plugin.core.storage.Size
  uri: "kestra://company/team/file.txt"`,
    },
  ],
});
