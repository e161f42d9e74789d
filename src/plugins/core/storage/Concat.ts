import { Readable } from 'node:stream';
import { defineTask, p, TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { existingFile, fileName } from '../../shared/items-io.js';

/** `files` as a list: given as one, or as a string holding a JSON list (Kestra accepts both). */
function fileList(files: unknown): unknown[] {
  if (Array.isArray(files)) return files;
  const text = toText(files).trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed))
    throw new TaskFailure(
      `Property \`files\`: expected a list of \`kestra://\` URIs, or a JSON text of one, got ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`,
    );
  return parsed;
}

/** The files one after the other, each followed by the separator, as one stream. */
async function* joined(ctx: TaskContext, uris: string[], separator: string | undefined) {
  for (const uri of uris) {
    const input = await ctx.storage.readStream(uri);
    for await (const chunk of input) {
      ctx.signal.throwIfAborted();
      yield chunk as Buffer;
    }
    if (separator !== undefined) yield Buffer.from(separator, 'utf8');
  }
}

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
  async run(ctx, props) {
    const list = fileList(props.files);
    // Every file is checked first, so that a bad URI fails before anything is written.
    const uris: string[] = [];
    for (const [index, uri] of list.entries()) uris.push(await existingFile(ctx, uri, `files[${index}]`));
    const separator =
      props.separator === undefined || props.separator === null ? undefined : toText(props.separator);
    const uri = await ctx.storage.putFile(
      fileName(ctx.run.taskId, props.extension),
      Readable.from(joined(ctx, uris, separator)),
    );
    ctx.logger.debug(`Joined ${uris.length} file(s) into ${uri}`);
    return { outputs: { uri } };
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
