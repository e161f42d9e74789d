import { defineTask, p } from '../../api.js';

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
  examples: [
    {
      title: 'Keys starting with a prefix',
      code: `- id: keys
  type: io.kestra.plugin.core.kv.GetKeys
  prefix: my_var`,
    },
  ],
});
