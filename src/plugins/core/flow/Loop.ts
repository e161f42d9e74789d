import { defineTask, p, TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { excerpt, fileLines, ItemParseError, parseItem } from '../../shared/items-io.js';
import { forEachValues } from './ForEach.js';

/**
 * Kestra's newer loop (2.0 replaces ForEach with it). The executor runs it with ForEach's
 * machinery: one scope per value, `concurrencyLimit` at once. Its tasks read the item as
 * `item.value`, `item.index` and, for a map, `item.key` (engine/worker/variables.ts).
 */
export default defineTask({
  type: 'io.kestra.plugin.core.flow.Loop',
  title: 'Run tasks once per value, with `item` variables',
  description:
    'Runs its tasks once for each item of `values`: a list, a map (one iteration per entry), a JSON text of either, or a `kestra://` file with one JSON or Ion value per line. Every task of an iteration, nested ones too, reads the item as `{{ item.value }}` (text; a list or map item as JSON), its position as `{{ item.index }}` (from 0) and, for a map, its key as `{{ item.key }}`; in nested Loops `{{ item.parent }}` is the enclosing one and `{{ item.parents }}` lists them all, outermost first. A task reads the outputs of its own iteration as `{{ outputs.<id>.value }}`. Within one item the tasks run in order; `concurrencyLimit` says how many items run at once (0, the default, starts them all). The loop fails once an iteration failed (and starts no new one), unless `transmitFailed` is `false`; an iteration ending `WARNING` does not change its state. Once ended, it tells how many iterations ended in each state. Not supported yet: `outputs`, `breakWhen` and `fetchType` (a flow using them is refused at validation).',
  flowable: true,
  properties: {
    values: p
      .union(p.list(p.any(), { dynamic: false }), p.map(p.any(), { dynamic: false }), p.string())
      .required()
      .describe(
        'The items: a list, a map, a JSON text of either, a `kestra://` file of one value per line, or an expression that renders to one of them.',
      ),
    concurrencyLimit: p
      .integer({ min: 0, dynamic: false })
      .default(0)
      .describe(
        'How many items are processed at once; `0` (the default) means all at once, `1` one after the other.',
      ),
    transmitFailed: p
      .boolean({ dynamic: false })
      .default(true)
      .describe(
        'Whether a failed iteration fails the loop (it then starts no new iteration); with `false` every iteration runs and the loop succeeds.',
      ),
    tasks: p.tasks().required().describe('The tasks run for each item.'),
  },
  outputs: {
    iterationCount: { type: 'integer', description: 'How many iterations the loop had.' },
    runningIterations: { type: 'integer', description: 'How many are still running (0 once it ended).' },
    terminatedIterations: {
      type: 'object',
      description: 'How many iterations ended in each state, e.g. `{"SUCCESS": 2, "FAILED": 1}`.',
    },
  },
  async resolve(ctx, props) {
    return loopValues(await readFile(ctx, props.values));
  },
  examples: [
    {
      title: 'Every task of an iteration reads `item`, nested ones too',
      code: `id: loop_example
namespace: company.team
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: ["north", "south", "west"]
    tasks:
      - id: report
        type: io.kestra.plugin.core.log.Log
        message: "region {{ item.index }} is {{ item.value }}"
      - id: only_south
        type: io.kestra.plugin.core.flow.If
        condition: "{{ item.value == 'south' }}"
        then:
          - id: south
            type: io.kestra.plugin.core.debug.Return
            format: "after {{ outputs.report is defined }} for {{ item.value }}"`,
    },
    {
      title: 'A map, two entries at a time, with a nested Loop',
      code: `id: loop_map_example
namespace: company.team
tasks:
  - id: buckets
    type: io.kestra.plugin.core.flow.Loop
    values: { eu: bucket-eu, us: bucket-us, asia: bucket-asia }
    concurrencyLimit: 2
    tasks:
      - id: years
        type: io.kestra.plugin.core.flow.Loop
        values: [2025, 2026]
        tasks:
          - id: table
            type: io.kestra.plugin.core.log.Log
            message: "{{ item.parent.key }}: {{ item.parent.value }}/{{ item.value }}"`,
    },
  ],
});

/** A `kestra://` file's values, one per line; any other value as it is. */
async function readFile(ctx: TaskContext, values: unknown): Promise<unknown> {
  if (typeof values !== 'string' || !values.trim().startsWith('kestra://')) return values;
  const items: unknown[] = [];
  for await (const line of fileLines(ctx, values.trim(), 'values')) {
    if (line.trim() === '') continue;
    try {
      items.push(parseItem(line));
    } catch (error) {
      if (error instanceof ItemParseError)
        throw new TaskFailure(`\`values\`: line ${excerpt(line)} is not a value: ${error.message}`);
      throw error;
    }
  }
  return items;
}

/** The iterations: their values as text and, for a map, their keys. */
function loopValues(values: unknown): { values: string[]; keys?: string[] } {
  let parsed = values;
  if (typeof values === 'string') {
    try {
      parsed = JSON.parse(values);
    } catch {
      throw new TaskFailure(`\`values\` must be a list, a map or a JSON text of one, got ${excerpt(values)}`);
    }
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const entries = Object.entries(parsed as Record<string, unknown>);
    return { values: entries.map(([, v]) => toText(v)), keys: entries.map(([k]) => k) };
  }
  if (!Array.isArray(parsed))
    throw new TaskFailure(
      `\`values\` must be a list, a map or a JSON text of one, got ${excerpt(toText(parsed))}`,
    );
  return { values: forEachValues(parsed) };
}
