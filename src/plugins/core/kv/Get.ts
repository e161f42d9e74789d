import { defineTask, p, TaskFailure, toText } from '../../api.js';
import { kvNamespace } from '../../shared/kv-values.js';

export default defineTask({
  type: 'io.kestra.plugin.core.kv.Get',
  title: 'Read a value from the KV store',
  description:
    'Reads the value of `key` from the KV store of a namespace (the flow namespace by default). The `kv()` expression function does the same inline.',
  properties: {
    key: p.string().required().describe('The key to read.'),
    namespace: p
      .string()
      .default('{{ flow.namespace }}')
      .describe('Namespace of the KV store; the flow namespace by default.'),
    errorOnMissing: p.boolean().default(false).describe('Fail when the key has no value.'),
  },
  outputs: {
    value: { type: 'any', description: 'The value, with the type it was stored with; empty when missing.' },
  },
  async run(ctx, props) {
    const namespace = kvNamespace(ctx, props.namespace);
    const key = toText(props.key);
    const entry = await ctx.kv.get(key, namespace);
    if (!entry && props.errorOnMissing === true)
      throw new TaskFailure(
        `No value for KV key \`${key}\` in namespace \`${namespace}\` (missing or expired), and \`errorOnMissing\` is true`,
      );
    return { outputs: { value: entry ? entry.value : null } };
  },
  examples: [
    {
      title: 'Read a value that must exist',
      code: `- id: read
  type: io.kestra.plugin.core.kv.Get
  key: my_variable
  namespace: company
  errorOnMissing: true`,
    },
  ],
});
