import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.Concat',
  legacyNames: ['io.kestra.core.tasks.storages.Concat'],
  title: 'Join files of internal storage into one',
  description:
    'Writes the files of `files`, in order, into one new file of internal storage, with `separator` after each file when given.',
  properties: {
    files: p
      .union(p.list(p.string()), p.string())
      .required()
      .describe('The `kestra://` URIs to join: a list, or a string holding a JSON list.'),
    separator: p.string().describe('Text written after each file; nothing by default.'),
    extension: p.string().default('.tmp').describe('Extension of the new file.'),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the joined file.' },
  },
  examples: [
    {
      title: 'Join two files with a new line between them',
      code: `id: concat_example
namespace: company.team
tasks:
  - id: first
    type: io.kestra.plugin.core.storage.Write
    content: Hello John
  - id: second
    type: io.kestra.plugin.core.storage.Write
    content: Hello Jane
  - id: concat
    type: io.kestra.plugin.core.storage.Concat
    separator: "\\n"
    extension: .txt
    files:
      - "{{ outputs.first.uri }}"
      - "{{ outputs.second.uri }}"`,
    },
  ],
});
