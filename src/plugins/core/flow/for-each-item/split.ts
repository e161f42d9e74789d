import { defineTask, p, TaskFailure, toText } from '../../../api.js';
import { splitFile } from '../../../shared/split-file.js';

/** ForEachItem's `<id>_split` part: the file of items split into batch files. */
export default defineTask({
  type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit',
  title: 'Split the items of a ForEachItem into batches',
  description: 'Internal part of ForEachItem: writes one file per batch and a file listing their URIs.',
  properties: {
    items: p.string().required(),
    batch: p.map(p.any(), { dynamic: false }),
  },
  outputs: { splits: { type: 'string', description: 'URI of a file listing the batch files, one a line.' } },
  async run(ctx, props) {
    const items = toText(props.items ?? '').trim();
    if (!items.startsWith('kestra://'))
      throw new TaskFailure(
        `Unable to split the items from ${JSON.stringify(items)}: \`items\` must be an internal storage URI (\`kestra:///…\`), such as the \`uri\` output of an earlier task or a FILE input`,
      );
    const batch = (props.batch ?? {}) as Record<string, unknown>;
    const uris = await splitFile(ctx, items, 'items', { rows: 1, ...batch }, `${ctx.run.taskId}_`);
    const splits = await ctx.storage.putFile('splits.txt', uris.join('\n'));
    ctx.logger.info(`Split ${items} into ${uris.length} batch(es)`);
    return { outputs: { splits } };
  },
});
