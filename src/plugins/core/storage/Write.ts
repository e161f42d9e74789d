import { defineTask, p, toText } from '../../api.js';
import { fileName } from '../../shared/items-io.js';

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
    size: { type: 'integer', description: 'Size of the file in bytes (Windhover addition).' },
  },
  async run(ctx, props) {
    const content = Buffer.from(toText(props.content ?? ''), 'utf8');
    const uri = await ctx.storage.putFile(fileName(ctx.run.taskId, props.extension), content);
    return { outputs: { uri, size: content.length } };
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
