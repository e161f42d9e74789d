import { defineTask, isRecord, p, TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { excerpt, fileLines, parseItem, withWriters } from '../../shared/items-io.js';

/** The key `expr` renders for one line of the file. */
async function keyOf(ctx: TaskContext, expr: string, line: string, where: string): Promise<string> {
  let item: unknown;
  try {
    item = parseItem(line);
  } catch (error) {
    throw new TaskFailure(
      `DeduplicateItems: ${where} (${excerpt(line)}) is not an item: ${(error as Error).message}`,
    );
  }
  if (!isRecord(item))
    throw new TaskFailure(
      `DeduplicateItems: ${where} is ${excerpt(line)}, not a record whose fields \`expr\` can read`,
    );
  try {
    return await ctx.render(expr, item);
  } catch (error) {
    ctx.signal.throwIfAborted();
    throw new TaskFailure(
      `DeduplicateItems: \`${expr}\` failed on ${where} (${excerpt(line)}): ${(error as Error).message}`,
    );
  }
}

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
        'An expression rendered for each item, whose fields are top-level variables, e.g. `{{ customer_email }}` or `{{ id }}-{{ date }}`.',
      ),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the new file.' },
    numKeys: { type: 'integer', description: 'Number of distinct keys.' },
    processedItemsTotal: { type: 'integer', description: 'Number of items read.' },
    droppedItemsTotal: { type: 'integer', description: 'Number of items dropped.' },
  },
  async run(ctx, props) {
    const expr = toText(props.expr);
    const from = toText(props.from);
    // First pass: the line of the last item of each key. Only keys are held, never the items.
    const last = new Map<string, number>();
    let lineNumber = 0;
    for await (const line of fileLines(ctx, props.from, 'from')) {
      lineNumber++;
      if (line.trim() === '') continue;
      last.set(await keyOf(ctx, expr, line, `line ${lineNumber} of ${from}`), lineNumber);
    }
    // Second pass: keep those lines, in file order.
    let processed = 0;
    let dropped = 0;
    const uri = await withWriters(async (open) => {
      const out = open(ctx, `${ctx.run.taskId}.ion`);
      let number = 0;
      for await (const line of fileLines(ctx, props.from, 'from')) {
        number++;
        if (line.trim() === '') continue;
        processed++;
        if (last.get(await keyOf(ctx, expr, line, `line ${number} of ${from}`)) === number)
          await out.write(`${line}\n`);
        else dropped++;
      }
      return out.close();
    });
    ctx.logger.debug(`Kept ${processed - dropped} of ${processed} item(s), ${last.size} distinct key(s)`);
    return {
      outputs: { uri, numKeys: last.size, processedItemsTotal: processed, droppedItemsTotal: dropped },
    };
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
