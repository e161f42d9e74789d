import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatProblem, validateFlowSource } from '../../flow/index.js';
import type { FileValidation } from '../../flow/index.js';
import { catalog } from '../../plugins/registry.js';
import { ErrorCodes, ProblemCodes, WindhoverError } from '../../errors.js';
import { DEFAULT_SERVER_URL } from '../api-client.js';
import { collectFlowFiles } from '../files.js';
import { out, paint } from '../output.js';
import { validateFlowFilesOnServer } from './flow-validate-remote.js';
import { problemCounts, strictSummary } from './validate-summary.js';

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
      process.exitCode =
        server === undefined
          ? await validateFlowFiles(files, local)
          : await validateFlowFilesOnServer(files, {
              ...local,
              ...(url ? { server: url } : {}),
              ...(user ? { user } : {}),
            });
    });
}

/** Validates files and prints the findings; returns the exit code (0 valid, 1 invalid). */
export async function validateFlowFiles(
  paths: readonly string[],
  options: Pick<ValidateOptions, 'json' | 'strict'>,
): Promise<number> {
  const files = await collectFlowFiles(paths);
  const results: FileValidation[] = [];
  for (const file of files) {
    let content: Buffer;
    try {
      // Synchronous on purpose: a batch of small files reads faster without a thread-pool round trip each.
      content = readFileSync(file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      results.push({
        file,
        flows: [],
        valid: false,
        problems: [
          {
            code: ProblemCodes.UNREADABLE,
            severity: 'error',
            message: `cannot read the file: ${reason}`,
            path: [],
            file,
            line: 1,
            column: 1,
          },
        ],
      });
      continue;
    }
    results.push(validateFlowSource(content, { catalog, file }));
  }

  const problems = results.flatMap((r) => [...r.problems, ...r.flows.flatMap((f) => f.problems)]);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const failed = errors > 0 || (options.strict === true && warnings > 0);
  const flows = results.flatMap((r) => r.flows);

  if (options.json) {
    out(
      JSON.stringify(
        {
          valid: !failed,
          files: results,
          summary: { files: files.length, flows: flows.length, errors, warnings },
        },
        null,
        2,
      ),
    );
    return failed ? 1 : 0;
  }

  for (const problem of problems) {
    const line = formatProblem(problem);
    out(paint(process.stdout, problem.severity === 'error' ? 'red' : 'yellow', line));
  }
  // With --strict a flow with a warning is not valid either.
  const validFlows = flows.filter(
    (f) => f.valid && !(options.strict === true && f.problems.some((p) => p.severity !== 'error')),
  ).length;
  const inFiles = `in ${files.length} file${files.length === 1 ? '' : 's'}`;
  if (files.length === 0) out('no flow files found');
  else if (failed)
    out(
      paint(
        process.stdout,
        'red',
        `✗ ${validFlows} of ${flows.length} flows valid ${inFiles}${strictSummary(errors, warnings, options.strict === true)}`,
      ),
    );
  else
    out(
      paint(
        process.stdout,
        'green',
        `✓ ${flows.length} flow${flows.length === 1 ? '' : 's'} valid ${inFiles}${warnings ? ` (${problemCounts(errors, warnings)})` : ''}`,
      ),
    );
  return failed ? 1 : 0;
}
