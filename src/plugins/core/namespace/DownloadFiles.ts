import { defineTask, p, toText } from '../../api.js';
import { namespaceOf, namespacePath, pathMatcher, patternList } from './paths.js';

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
  async run(ctx, props) {
    const namespace = namespaceOf(props.namespace);
    const patterns = patternList(props.files);
    const matches = pathMatcher(patterns, 'files', true);
    const destination =
      props.destination === undefined || props.destination === null ? '' : toText(props.destination);
    const files: Record<string, string> = {};
    for (const path of await ctx.namespaceFiles.list({ namespace })) {
      if (!matches(`/${path}`)) continue;
      ctx.signal.throwIfAborted();
      const name = destination === '' ? path : namespacePath([destination, path], 'Property `destination`');
      const content = await ctx.storage.readStream(ctx.namespaceFiles.uri(path, namespace));
      files[`/${path}`] = await ctx.storage.putFile(name, content);
    }
    const count = Object.keys(files).length;
    if (count === 0)
      ctx.logger.warn(
        `No namespace file of \`${namespace}\` matches ${patterns.map((p) => `\`${p}\``).join(', ')}`,
      );
    else ctx.logger.info(`Downloaded ${count} file(s) from namespace \`${namespace}\``);
    return { outputs: { files } };
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
