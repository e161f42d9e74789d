import { defineTask, isRecord, isTruthyCondition, p, TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { excerpt, fileLines, ItemParseError, parseItem, withWriters } from '../../shared/items-io.js';

/** Whether an item matches the condition; a failure is an Error whose message says why. */
async function matches(ctx: TaskContext, condition: string, line: string): Promise<boolean> {
  let item: unknown;
  try {
    item = parseItem(line);
  } catch (error) {
    if (error instanceof ItemParseError)
      throw new Error(`the line is not an item: ${error.message}`, { cause: error });
    throw error;
  }
  if (!isRecord(item))
    throw new Error(`the item is ${JSON.stringify(item)}, not a record whose fields the condition can read`);
  let text: string;
  try {
    text = await ctx.render(condition, item);
  } catch (error) {
    ctx.signal.throwIfAborted();
    throw new Error(`\`${condition}\` failed: ${(error as Error).message}`, { cause: error });
  }
  return isTruthyCondition(text);
}

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
        "An expression rendered for each item, whose fields are top-level variables (e.g. `{{ product_id == 20 }}`; fields read from CSV are strings: `product_id | number`). Falsy results are `false`, `0`, `-0` and `''`; anything else keeps (INCLUDE) or drops (EXCLUDE) the item.",
      ),
    filterType: p
      .enum(['INCLUDE', 'EXCLUDE'])
      .default('INCLUDE')
      .describe('Keep the items that match (`INCLUDE`) or drop them (`EXCLUDE`).'),
    errorOrNullBehavior: p
      .enum(['FAIL', 'INCLUDE', 'EXCLUDE'])
      .default('FAIL')
      .describe(
        'What to do with an item when the condition cannot be evaluated on it (an error such as an undefined field, or a line that is not a JSON or Ion record): fail the task, keep the item, or drop it.',
      ),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the filtered file.' },
    processedItemsTotal: { type: 'integer', description: 'Number of items read.' },
    droppedItemsTotal: { type: 'integer', description: 'Number of items dropped.' },
  },
  async run(ctx, props) {
    const condition = toText(props.filterCondition);
    const include = props.filterType !== 'EXCLUDE';
    const onError = toText(props.errorOrNullBehavior ?? 'FAIL');
    const from = toText(props.from);
    let processed = 0;
    let dropped = 0;
    const uri = await withWriters(async (open) => {
      const out = open(ctx, `${ctx.run.taskId}.ion`);
      let lineNumber = 0;
      for await (const line of fileLines(ctx, props.from, 'from')) {
        lineNumber++;
        if (line.trim() === '') continue;
        let keep: boolean;
        try {
          keep = (await matches(ctx, condition, line)) === include;
        } catch (error) {
          if (onError === 'FAIL')
            throw new TaskFailure(
              `FilterItems: line ${lineNumber} of ${from} (${excerpt(line)}): ${(error as Error).message}. Set \`errorOrNullBehavior\` to INCLUDE or EXCLUDE to keep or drop such items instead`,
            );
          keep = onError === 'INCLUDE';
        }
        processed++;
        if (keep) await out.write(`${line}\n`);
        else dropped++;
      }
      return out.close();
    });
    ctx.logger.debug(`Kept ${processed - dropped} of ${processed} item(s)`);
    return { outputs: { uri, processedItemsTotal: processed, droppedItemsTotal: dropped } };
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
