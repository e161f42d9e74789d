import { resolve, join } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { State } from '../../engine/model.js';
import type { Store } from '../../store/contract.js';
import { out, paint } from '../output.js';
import { defaultDataDir } from './run.js';

interface ListOptions {
  data: string;
  namespace?: string;
  flow?: string;
  state: string[];
  limit: string;
  json?: boolean;
}

interface ShowOptions {
  data: string;
  json?: boolean;
  logs?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `windhover executions list|show`: read the executions of a data folder. The store and the
 * execution model are imported when a command runs, not when the command line is parsed.
 */
export function registerExecutions(program: Command): void {
  const executions = program.command('executions').description('Read the executions of a data folder');
  executions
    .command('list')
    .description('List executions, newest first.')
    .option('-d, --data <dir>', 'the data folder', defaultDataDir())
    .option('-n, --namespace <namespace>', 'only this namespace (and its children)')
    .option('-f, --flow <id>', 'only this flow id')
    .option('-s, --state <state>', 'only this state (repeat for several)', collect, [])
    .option('--limit <n>', 'how many', '25')
    .option('--json', 'print JSON (Kestra’s search result shape)')
    .action(async (options: ListOptions) => {
      const { STATES } = await import('../../engine/model.js');
      const { executionJson } = await import('../../engine/kestra-json.js');
      const { durationOf, formatDuration, stateLabel } = await import('../execution-view.js');
      const states = options.state.map((s) => s.toUpperCase());
      const unknown = states.find((s) => !(STATES as readonly string[]).includes(s));
      if (unknown)
        throw new WindhoverError(
          ErrorCodes.USAGE,
          `unknown state \`${unknown}\` (one of ${STATES.join(', ')})`,
        );
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new WindhoverError(ErrorCodes.USAGE, `--limit takes a positive integer`);
      await withStore(options.data, async (store) => {
        const page = await store.searchExecutions({
          ...(options.namespace ? { namespace: options.namespace } : {}),
          ...(options.flow ? { flowId: options.flow } : {}),
          states: states as State[],
          size: limit,
        });
        if (options.json) {
          out(
            JSON.stringify(
              {
                results: page.results.map((e) => executionJson({ ...e, taskRunList: [] })),
                total: page.total,
              },
              null,
              2,
            ),
          );
          return;
        }
        const s = process.stdout;
        for (const e of page.results) {
          out(
            `${e.id.padEnd(22)}  ${stateLabel(s, e.state.current).padEnd(12)}  ${e.state.startDate.slice(0, 19).replace('T', ' ')}  ${formatDuration(durationOf(e.state)).padStart(9)}  ${e.namespace}.${e.flowId}`,
          );
        }
        out(paint(s, 'gray', `${page.results.length} of ${page.total} executions`));
      });
    });
  executions
    .command('show')
    .description('Show an execution: its task runs with states and durations, its outputs.')
    .argument('<id>', 'the execution id')
    .option('-d, --data <dir>', 'the data folder', defaultDataDir())
    .option('--logs', 'print its logs too')
    .option('--json', "print the execution as JSON (Kestra's shape)")
    .action(async (id: string, options: ShowOptions) => {
      const { executionJson } = await import('../../engine/kestra-json.js');
      const { executionSummaryLines } = await import('../execution-view.js');
      await withStore(options.data, async (store) => {
        const execution = await store.getExecution(id);
        if (!execution)
          throw new WindhoverError(ErrorCodes.EXECUTION_NOT_FOUND, `no execution ${id} in ${options.data}`);
        if (options.json) {
          out(JSON.stringify(executionJson(execution), null, 2));
          return;
        }
        for (const line of executionSummaryLines(process.stdout, execution)) out(line);
        if (options.logs) {
          out(paint(process.stdout, 'bold', 'Logs'));
          for (const line of await store.getLogs(id))
            out(
              `${line.timestamp.slice(11, 23)} ${line.level.padEnd(5)} ${line.taskId ? `${line.taskId} ` : ''}${line.message}`,
            );
        }
      });
    });
}

/**
 * Opens the store of a data folder to read it. SQLite in WAL mode lets it read while a server
 * runs on the same folder, so no lock is taken.
 */
async function withStore(dataDir: string, read: (store: Store) => Promise<void>): Promise<void> {
  const { openSqliteStore } = await import('../../store/sqlite/index.js');
  const store = await openSqliteStore(join(resolve(dataDir), 'windhover.db'));
  try {
    await read(store);
  } finally {
    await store.close();
  }
}
