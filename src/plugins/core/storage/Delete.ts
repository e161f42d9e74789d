import { defineTask, p, TaskFailure, toText } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.Delete',
  legacyNames: ['io.kestra.core.tasks.storages.Delete'],
  title: 'Delete a file of internal storage',
  description: 'Deletes one file of internal storage.',
  properties: {
    uri: p.string().required().describe('The `kestra://` URI of the file.'),
    errorOnMissing: p.boolean().default(false).describe('Fail when the file does not exist.'),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the deleted file.' },
    deleted: { type: 'boolean', description: 'True when the file existed and was deleted.' },
  },
  async run(ctx, props) {
    const uri = toText(props.uri).trim();
    if (!uri.startsWith('kestra://'))
      throw new TaskFailure(
        `Property \`uri\`: ${JSON.stringify(uri)} is not an internal storage URI: give a \`kestra:///…\` URI, such as the \`uri\` output of an earlier task`,
      );
    let deleted: boolean;
    try {
      deleted = await ctx.storage.delete(uri);
    } catch (error) {
      throw new TaskFailure(`Property \`uri\`: ${(error as Error).message}`);
    }
    if (!deleted && props.errorOnMissing === true)
      throw new TaskFailure(
        `The file \`${uri}\` does not exist in internal storage, and \`errorOnMissing\` is true`,
      );
    if (deleted) ctx.logger.debug(`Deleted ${uri}`);
    return { outputs: { uri, deleted } };
  },
  examples: [
    {
      title: 'Delete a file',
      code: `- id: delete
  type: io.kestra.plugin.core.storage.Delete
  uri: "kestra://company/team/file.txt"
  errorOnMissing: true`,
    },
  ],
});
