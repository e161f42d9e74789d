import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.DeduplicateItems',
  legacyNames: ['io.kestra.core.tasks.storages.DeduplicateItems'],
  title: 'Remove items with the same key from a file',
  description:
    'Reads a line-oriented file (one ION or JSON record per line) and writes a new file keeping, for each key rendered by `expr`, only the last item with that key, in file order.',
  properties: {
    from: p.string().required().describe('The `kestra://` URI of the file.'),
    expr: p
      .string({ dynamic: false })
      .required()
      .describe(
        'An expression rendered for each item, whose fields are variables, e.g. `{{ customer_email }}`.',
      ),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the new file.' },
    numKeys: { type: 'integer', description: 'Number of distinct keys.' },
    processedItemsTotal: { type: 'integer', description: 'Number of items read.' },
    droppedItemsTotal: { type: 'integer', description: 'Number of items dropped.' },
  },
  examples: [
    {
      title: 'One row per customer email',
      code: `- id: dedup
  type: io.kestra.plugin.core.storage.DeduplicateItems
  from: "kestra://company/team/customers.ion"
  expr: "{{ customer_email }}"`,
    },
  ],
});
