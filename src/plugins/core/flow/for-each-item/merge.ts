import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { defineTask } from '../../../api.js';
import { siblingOutputs } from './siblings.js';

/**
 * ForEachItem's `<id>_merge` part: the flow outputs each subflow execution wrote (one Ion line,
 * `<base>/<iteration>/outputs.ion`) gathered into one file, in batch order.
 */
export default defineTask({
  type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemMergeOutputs',
  title: 'Merge the outputs of the subflow executions of a ForEachItem',
  description: 'Internal part of ForEachItem.',
  properties: {},
  outputs: {
    subflowOutputs: {
      type: 'string',
      description: 'URI of the merged outputs, one Ion line per subflow execution.',
    },
  },
  async run(ctx) {
    const items = siblingOutputs(ctx, '_items');
    const base = items?.subflowOutputsBaseUri;
    const count = Number(items?.numberOfBatches ?? 0);
    if (typeof base !== 'string' || count === 0) return; // no subflow execution (an empty file)
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
      const uri = `${base}/${i}/outputs.ion`;
      if (await ctx.storage.exists(uri)) files.push(uri);
    }
    if (files.length === 0) return; // the subflow declares no outputs
    const merged = new PassThrough();
    const stored = ctx.storage.putFile('outputs.ion', merged);
    try {
      for (const uri of files) {
        for await (const chunk of await ctx.storage.readStream(uri)) {
          if (!merged.write(chunk)) await once(merged, 'drain');
        }
      }
      merged.end();
    } catch (error) {
      merged.destroy(error as Error);
      throw error;
    }
    return { outputs: { subflowOutputs: await stored } };
  },
});
