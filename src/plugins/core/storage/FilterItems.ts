import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.FilterItems',
  legacyNames: ['io.kestra.core.tasks.storages.FilterItems'],
  title: 'Keep or drop the items of a file by a condition',
  description:
    'Reads a line-oriented file (one ION or JSON record per line), renders `filterCondition` for each item with its fields as variables, and writes the items kept to a new file.',
  properties: {
    from: p.string().required().describe('The `kestra://` URI of the file to filter.'),
    filterCondition: p
      .string({ dynamic: false })
      .required()
      .describe(
        "An expression rendered for each item, whose fields are variables (as strings unless converted, e.g. `product_id | number`). Falsy values are `false`, `0`, `-0` and `''`.",
      ),
    filterType: p
      .enum(['INCLUDE', 'EXCLUDE'])
      .default('INCLUDE')
      .describe('Keep the items that match (`INCLUDE`) or drop them (`EXCLUDE`).'),
    errorOrNullBehavior: p
      .enum(['FAIL', 'INCLUDE', 'EXCLUDE'])
      .default('FAIL')
      .describe(
        'What to do with an item when the condition fails or renders nothing: fail, keep it, or drop it.',
      ),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the filtered file.' },
    processedItemsTotal: { type: 'integer', description: 'Number of items read.' },
    droppedItemsTotal: { type: 'integer', description: 'Number of items dropped.' },
  },
  examples: [
    {
      title: 'Keep the orders of one product',
      code: `- id: filter
  type: io.kestra.plugin.core.storage.FilterItems
  from: "kestra://company/team/orders.ion"
  filterCondition: "{{ (product_id | number) == 20 }}"
  filterType: INCLUDE
  errorOrNullBehavior: EXCLUDE`,
    },
  ],
});
