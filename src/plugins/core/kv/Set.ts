import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.kv.Set',
  title: 'Store a value in the KV store',
  description:
    'Stores `value` under `key` in the KV store of a namespace (the flow namespace by default), typed by `kvType` and optionally expiring after `ttl`.',
  properties: {
    key: p.string().required().describe('The key: letters, digits, `.`, `_` and `-`.'),
    value: p.any().required().describe('The value to store; expressions are rendered.'),
    namespace: p
      .string()
      .default('{{ flow.namespace }}')
      .describe('Namespace of the KV store; the flow namespace by default.'),
    overwrite: p
      .boolean()
      .default(true)
      .describe('Replace an existing value; when false, fail if the key exists.'),
    ttl: p.duration().describe('How long the value lives; forever when absent.'),
    kvType: p
      .enum(['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'])
      .describe('Type the value is stored as; a rendered string is converted to it.'),
    kvDescription: p.string().describe('A description of the entry.'),
  },
  outputs: {},
  examples: [
    {
      title: 'Remember a file for later executions',
      code: `id: kv_set_example
namespace: company.team
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: hello
  - id: remember
    type: io.kestra.plugin.core.kv.Set
    key: last_file
    value: "{{ outputs.write.uri }}"
    kvType: STRING
    ttl: P7D`,
    },
  ],
});
