import { defineTask, p } from '../../api.js';
import { namespaceOf, pathMatcher, patternList } from './paths.js';

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
    deleteParentFolder: p
      .boolean()
      .default(false)
      .describe(
        'Also delete the folders left empty. In Windhover a folder exists only while it holds files, so this is always the case.',
      ),
  },
  outputs: {
    files: {
      type: 'object',
      description: 'The deleted files: namespace path → the `kestra://` URI they had.',
    },
    count: { type: 'integer', description: 'How many files were deleted.' },
  },
  async run(ctx, props) {
    const namespace = namespaceOf(props.namespace);
    const patterns = patternList(props.files);
    const matches = pathMatcher(patterns, 'files');
    const files: Record<string, string> = {};
    for (const path of await ctx.namespaceFiles.list({ namespace })) {
      if (!matches(`/${path}`)) continue;
      const uri = ctx.namespaceFiles.uri(path, namespace);
      if (await ctx.namespaceFiles.delete(path, namespace)) {
        files[`/${path}`] = uri;
        ctx.logger.debug(`Deleted /${path}`);
      }
    }
    const count = Object.keys(files).length;
    ctx.logger.info(`Deleted ${count} file(s) from namespace \`${namespace}\``);
    return { outputs: { files, count } };
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
