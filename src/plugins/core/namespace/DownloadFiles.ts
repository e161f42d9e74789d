import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.namespace.DownloadFiles',
  title: 'Copy namespace files to internal storage',
  description:
    'Copies the namespace files matching `files` (glob patterns or paths) from a namespace to internal storage, so that tasks can read them, also across namespaces.',
  properties: {
    namespace: p.string().required().describe('The namespace to read from.'),
    files: p
      .union(p.list(p.string()), p.string())
      .required()
      .describe('A glob pattern or path, or a list of them, e.g. `**.sql`.'),
    destination: p.string().describe('Folder the files are put under; their namespace path by default.'),
  },
  outputs: {
    files: { type: 'object', description: 'The downloaded files: namespace path → `kestra://` URI.' },
  },
  examples: [
    {
      title: 'Download the SQL files of another namespace',
      code: `- id: download
  type: io.kestra.plugin.core.namespace.DownloadFiles
  namespace: company.shared
  files:
    - "**.sql"`,
    },
  ],
});
