import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';

/** The default data folder: `WINDHOVER_DATA`, else `./data`. */
export function defaultDataDir(): string {
  return process.env.WINDHOVER_DATA ?? 'data';
}

/** The options of `windhover run` (and of `flow test`, without inputs and labels). */
export interface RunOptions {
  input: string[];
  label: string[];
  data: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The engine, the store and the flow model are imported when a flow runs, not to parse the command. */
const runner = () => import('./run-flow-file.js');

/** `windhover run <flow.yaml>` and Kestra's `windhover flow test <flow.yaml> key value…`. */
export function registerRun(program: Command, flow: Command): void {
  program
    .command('run')
    .description('Run a flow file to completion in this process, showing its progress.')
    .argument('<file>', 'the flow (YAML)')
    .option(
      '-i, --input <key=value>',
      'an input value (repeat for several; a FILE input takes a local path)',
      collect,
      [],
    )
    .option('-l, --label <key=value>', 'a label of the execution (repeat for several)', collect, [])
    .option('-d, --data <dir>', 'the data folder (store, files)', defaultDataDir())
    .option('--json', 'print only the final execution, as JSON, on stdout')
    .action(async (file: string, options: RunOptions) => {
      const { parsePairs, runFlowFile } = await runner();
      process.exitCode = await runFlowFile(file, parsePairs(options.input, '--input'), options);
    });
  flow
    .command('test')
    .description("Run a flow file with inputs given as `key value` pairs (Kestra's `flow test`).")
    .argument('<file>', 'the flow (YAML)')
    .argument('[inputs...]', 'input ids and values, alternating: key value key value…')
    .option('-d, --data <dir>', 'the data folder (store, files)', defaultDataDir())
    .option('--json', 'print only the final execution, as JSON, on stdout')
    .action(async (file: string, pairs: string[], options: Omit<RunOptions, 'input' | 'label'>) => {
      if (pairs.length % 2 !== 0)
        throw new WindhoverError(ErrorCodes.USAGE, 'inputs come in pairs: `key value key value…`');
      const inputs: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) inputs[pairs[i]!] = pairs[i + 1]!;
      process.exitCode = await (
        await runner()
      ).runFlowFile(file, inputs, { ...options, input: [], label: [] });
    });
}
