import { defineTask, p, TaskFailure, toText } from '../../api.js';
import { kvNamespace } from '../../shared/kv-values.js';

export default defineTask({
  type: 'io.kestra.plugin.core.kv.Delete',
  title: 'Remove a value from the KV store',
  description: 'Deletes `key` from the KV store of a namespace (the flow namespace by default).',
  properties: {
    key: p.string().required().describe('The key to delete.'),
    namespace: p
      .string()
      .default('{{ flow.namespace }}')
      .describe('Namespace of the KV store; the flow namespace by default.'),
    errorOnMissing: p.boolean().default(false).describe('Fail when the key has no value.'),
  },
  outputs: {
    deleted: { type: 'boolean', description: 'True when a value existed and was deleted.' },
  },
  async run(ctx, props) {
    const namespace = kvNamespace(ctx, props.namespace);
    const key = toText(props.key);
    const deleted = await ctx.kv.delete(key, namespace);
    if (!deleted && props.errorOnMissing === true)
      throw new TaskFailure(
        `No value for KV key \`${key}\` in namespace \`${namespace}\` to delete, and \`errorOnMissing\` is true`,
      );
    return { outputs: { deleted } };
  },
  examples: [
    {
      title: 'Forget a value',
      code: `- id: forget
  type: io.kestra.plugin.core.kv.Delete
  key: my_variable`,
    },
  ],
});
