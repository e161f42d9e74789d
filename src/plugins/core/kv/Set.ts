import { defineTask, p, parseIsoDuration, TaskFailure, toText } from '../../api.js';
import { kvNamespace, kvTypeOf, toKvValue } from '../../shared/kv-values.js';

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
  async run(ctx, props) {
    const namespace = kvNamespace(ctx, props.namespace);
    const key = toText(props.key);
    const kvType = kvTypeOf(props.kvType);
    const value = toKvValue(props.value, kvType);
    let ttlMs: number | undefined;
    if (props.ttl !== undefined && props.ttl !== null) {
      ttlMs = parseIsoDuration(toText(props.ttl));
      if (ttlMs === undefined || ttlMs <= 0)
        throw new TaskFailure(
          `Property \`ttl\`: ${JSON.stringify(toText(props.ttl))} is not a positive ISO-8601 duration such as PT1H or P7D`,
        );
    }
    await ctx.kv.set(key, value, {
      namespace,
      overwrite: props.overwrite !== false,
      ...(kvType ? { type: kvType } : {}),
      ...(ttlMs !== undefined ? { ttlMs } : {}),
      ...(typeof props.kvDescription === 'string' ? { description: props.kvDescription } : {}),
    });
    ctx.logger.debug(`Set KV key \`${key}\` in namespace \`${namespace}\``);
  },
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
