import { defineTask, p } from '../../api.js';

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
