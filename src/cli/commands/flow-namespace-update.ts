import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { addServerConnectionOptions, apiClientFor } from '../api-client.js';
import type { ServerConnectionOptions } from '../api-client.js';
import { collectFlowFiles } from '../files.js';
import { err, out } from '../output.js';

interface NamespaceUpdateOptions extends ServerConnectionOptions {
  delete: boolean;
  overrideNamespaces?: boolean;
}

/** A flow as the server answers an update with it (Kestra's shape; only what is printed). */
interface UpdatedFlow {
  id?: string;
  namespace?: string;
  revision?: number;
}

/** `windhover flow namespace update NS DIR [--delete]`: Kestra's command, through the server's API. */
export function registerFlowNamespaceUpdate(flow: Command): void {
  const namespace = flow.command('namespace').description('Manage the flows of a namespace on a server');
  addServerConnectionOptions(
    namespace
      .command('update')
      .description(
        'Deploy every flow of a folder (*.yml, *.yaml) to a namespace of a running server; with --delete, remove its flows that are not in the folder.',
      )
      .argument('<namespace>', 'the namespace the flows belong to')
      .argument('<directory>', 'the folder of flows')
      .option('--delete', 'delete the flows of the namespace that are not in the folder', false)
      .option('--no-delete', 'keep them (the default)')
      .option('--override-namespaces', 'replace the `namespace:` of every flow by <namespace>'),
  ).action(async (ns: string, directory: string, options: NamespaceUpdateOptions) => {
    process.exitCode = await updateNamespace(ns, directory, options);
  });
}

async function updateNamespace(
  ns: string,
  directory: string,
  options: NamespaceUpdateOptions,
): Promise<number> {
  const files = await collectFlowFiles([directory]);
  if (files.length === 0 && !options.delete) {
    out(`No flow found in ${directory}`);
    return 0;
  }
  // One request with every flow, as Kestra's CLI sends them: the server checks them all before saving any.
  let body = files.map((file) => readFileSync(file, 'utf8').replace(/\s+$/, '')).join('\n---\n');
  if (options.overrideNamespaces) body = body.replace(/^namespace:.+$/gm, `namespace: ${ns}`);
  const client = apiClientFor(options);
  try {
    const { body: answer } = await client.request('POST', `/flows/${encodeURIComponent(ns)}`, {
      body,
      contentType: 'application/x-yaml',
      query: { delete: options.delete },
    });
    const flows = Array.isArray(answer) ? (answer as UpdatedFlow[]) : [];
    out(`${flows.length} flow(s) for namespace '${ns}' successfully updated`);
    for (const flow of flows)
      out(
        `- ${flow.namespace}.${flow.id}${flow.revision !== undefined ? ` (revision ${flow.revision})` : ''}`,
      );
    return 0;
  } catch (error) {
    // An invalid flow is the user's to fix, as `flow validate` reports it: exit 1, not 2.
    if (error instanceof WindhoverError && error.code === ErrorCodes.FLOW_INVALID) {
      err(`windhover: ${error.message} [${error.code}]`);
      return 1;
    }
    throw error;
  }
}
