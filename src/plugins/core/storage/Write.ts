import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.Write',
  title: 'Write text to a new file of internal storage',
  description:
    'Renders `content` and stores it as a new file of internal storage, whose URI later tasks can read.',
  properties: {
    content: p.string().required().describe('The file content; expressions are rendered.'),
    extension: p.string().describe('Extension of the file, e.g. `.txt`.'),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the new file.' },
  },
  examples: [
    {
      title: 'Write a text file',
      code: `id: write_example
namespace: company.team
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: Hello World
    extension: .txt
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.write.uri) }}"`,
    },
  ],
});
