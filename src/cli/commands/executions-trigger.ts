import { existsSync, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { addServerConnectionOptions, apiClientFor } from '../api-client.js';
import type { ServerConnectionOptions } from '../api-client.js';
import { out } from '../output.js';

interface TriggerOptions extends ServerConnectionOptions {
  input: string[];
  label: string[];
  wait?: boolean;
  json?: boolean;
}

/** An execution as the API answers it (Kestra's shape; only what is printed). */
interface ExecutionAnswer {
  id: string;
  namespace: string;
  flowId: string;
  state: { current: string; startDate?: string; endDate?: string; duration?: string };
  outputs?: Record<string, unknown>;
}

const TERMINAL_STATES = new Set([
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'SKIPPED',
  'RETRIED',
]);

/** How often `--wait` asks the server for the execution. */
const WAIT_POLL_MS = 250;

const collect = (value: string, previous: string[]) => [...previous, value];

/** `windhover executions trigger NS FLOW --input k=v [--wait]`: starts an execution on a server. */
export function registerExecutionsTrigger(executions: Command): void {
  addServerConnectionOptions(
    executions
      .command('trigger')
      .description('Start an execution of a flow on a running server.')
      .argument('<namespace>', 'the namespace of the flow')
      .argument('<flowId>', 'the id of the flow')
      .option(
        '-i, --input <key=value>',
        'an input value (repeat for several); key=@path uploads a local file for a FILE input',
        collect,
        [],
      )
      .option(
        '-l, --label <key:value>',
        'a label of the execution (repeat for several; key=value works too)',
        collect,
        [],
      )
      .option('--wait', 'wait for the execution to end; exit 0 on SUCCESS or WARNING, 1 otherwise')
      .option('--json', 'print the execution as JSON (Kestra’s shape)'),
  ).action(async (namespace: string, flowId: string, options: TriggerOptions) => {
    process.exitCode = await triggerExecution(namespace, flowId, options);
  });
}

async function triggerExecution(namespace: string, flowId: string, options: TriggerOptions): Promise<number> {
  const form = new FormData();
  for (const pair of options.input) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new WindhoverError(ErrorCodes.USAGE, `--input takes key=value, got \`${pair}\``);
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (value.startsWith('@')) {
      const path = value.slice(1);
      if (!existsSync(path))
        throw new WindhoverError(ErrorCodes.FILE_UNREADABLE, `--input ${key}: no such file: ${path}`);
      // Streamed from disk, not read into memory: FILE inputs may be large.
      form.append(key, await openAsBlob(path), basename(path));
    } else form.append(key, value);
  }
  const labels = options.label.map((label) => {
    const match = /^([^:=]+)[:=](.*)$/.exec(label);
    if (!match) throw new WindhoverError(ErrorCodes.USAGE, `--label takes key:value, got \`${label}\``);
    return `${match[1]}:${match[2]}`;
  });
  const client = apiClientFor(options);
  const path = `/executions/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}`;
  const query = new URLSearchParams();
  for (const label of labels) query.append('labels', label);
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  const { body } = await client.request('POST', `${path}${suffix}`, { body: form });
  let execution = body as ExecutionAnswer;
  // Waiting by asking again rather than with `?wait=true`: an HTTP request held open for a long
  // execution would hit the client's and proxies' timeouts.
  while (options.wait && !TERMINAL_STATES.has(execution.state.current)) {
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    execution = (await client.request('GET', `/executions/${encodeURIComponent(execution.id)}`))
      .body as ExecutionAnswer;
  }
  if (options.json) out(JSON.stringify(execution, null, 2));
  else {
    out(
      `Execution ${execution.id} of ${execution.namespace}.${execution.flowId}: ${execution.state.current}`,
    );
    if (options.wait && execution.outputs && Object.keys(execution.outputs).length > 0) {
      out('Outputs');
      for (const [key, value] of Object.entries(execution.outputs)) out(`  ${key}: ${JSON.stringify(value)}`);
    }
  }
  if (!options.wait) return 0;
  return execution.state.current === 'SUCCESS' || execution.state.current === 'WARNING' ? 0 : 1;
}
