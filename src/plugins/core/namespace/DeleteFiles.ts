import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.namespace.DeleteFiles',
  title: 'Delete namespace files',
  description: 'Deletes the namespace files matching `files` (glob patterns or paths) from a namespace.',
  properties: {
    namespace: p.string().required().describe('The namespace to delete from.'),
    files: p
      .union(p.list(p.string()), p.string())
      .required()
      .describe('A glob pattern or path, or a list of them, e.g. `**.tmp`.'),
    deleteParentFolder: p.boolean().default(false).describe('Also delete the folders left empty.'),
  },
  outputs: {
    files: { type: 'object', description: 'The deleted files.' },
  },
  examples: [
    {
      title: 'Delete uploaded temporary files',
      code: `- id: delete
  type: io.kestra.plugin.core.namespace.DeleteFiles
  namespace: company.team
  files:
    - "**.upl"
  deleteParentFolder: true`,
    },
  ],
});
