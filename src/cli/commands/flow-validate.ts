import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { DEFAULT_SERVER_URL } from '../api-client.js';

interface ValidateOptions {
  json?: boolean;
  strict?: boolean;
  /** `--server` alone (true), or with the server's URL. */
  server?: boolean | string;
  user?: string;
}

/** `windhover flow validate <file|dir>…`: prints `file:line:col  message` per problem. */
export function registerFlowValidate(flow: Command): void {
  flow
    .command('validate')
    .description('Validate flow files: YAML, properties of every task and trigger, ids, dependsOn, inputs.')
    .argument('[paths...]', 'flow files, or directories searched for *.yml and *.yaml')
    .option('--json', 'print one JSON document with every file, flow and problem')
    .option('--strict', 'treat warnings as errors (exit code 1)')
    .option(
      '--server [url]',
      `have a running server validate them (POST /flows/validate) [env WINDHOVER_URL; default ${DEFAULT_SERVER_URL}]`,
    )
    .option(
      '--user <user:password>',
      'basic-auth credentials for --server [env WINDHOVER_USERNAME and WINDHOVER_PASSWORD]',
    )
    .action(async (paths: string[], options: ValidateOptions) => {
      const { server, user, ...local } = options;
      let files = paths;
      let url = typeof server === 'string' ? server : undefined;
      // `--server DIR` took the folder as the URL: it is a path, the server is the default one.
      if (url !== undefined && !url.includes('://')) {
        files = [url, ...paths];
        url = undefined;
      }
      if (files.length === 0)
        throw new WindhoverError(ErrorCodes.USAGE, 'give flow files or directories to validate');
      // Each way imports what it needs only when it runs (the flow model and plugins, or an HTTP client).
      process.exitCode =
        server === undefined
          ? await (await import('./flow-validate-local.js')).validateFlowFiles(files, local)
          : await (
              await import('./flow-validate-remote.js')
            ).validateFlowFilesOnServer(files, {
              ...local,
              ...(url ? { server: url } : {}),
              ...(user ? { user } : {}),
            });
    });
}
