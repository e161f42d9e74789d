import { defineTask, p, toText } from '../../api.js';
import { kvNamespace } from '../../shared/kv-values.js';

export default defineTask({
  type: 'io.kestra.plugin.core.kv.GetKeys',
  title: 'List the keys of the KV store',
  description:
    'Lists the keys of the KV store of a namespace (the flow namespace by default), only those starting with `prefix` when given.',
  properties: {
    prefix: p.string().describe('Keep only the keys starting with this text.'),
    namespace: p
      .string()
      .default('{{ flow.namespace }}')
      .describe('Namespace of the KV store; the flow namespace by default.'),
  },
  outputs: {
    keys: { type: 'array', description: 'The matching keys.' },
  },
  async run(ctx, props) {
    const namespace = kvNamespace(ctx, props.namespace);
    const prefix = props.prefix === undefined || props.prefix === null ? '' : toText(props.prefix);
    const keys = (await ctx.kv.keys(namespace)).filter((key) => key.startsWith(prefix));
    return { outputs: { keys } };
  },
  examples: [
    {
      title: 'Keys starting with a prefix',
      code: `- id: keys
  type: io.kestra.plugin.core.kv.GetKeys
  prefix: my_var`,
    },
  ],
});
