import { defineTask, p } from '../../api.js';

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
