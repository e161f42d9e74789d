/** `windhover flow validate` on this machine (without --server): imported when the command runs. */
import { readFileSync } from 'node:fs';
import { formatProblem, validateFlowSource } from '../../flow/index.js';
import type { FileValidation } from '../../flow/index.js';
import { plugins, withPluginsFor } from '../../plugins/on-demand.js';
import { ProblemCodes } from '../../errors.js';
import { collectFlowFiles } from '../files.js';
import { out, paint } from '../output.js';
import { problemCounts, strictSummary } from './validate-summary.js';

/** What the local validation takes of the command's options. */
export interface LocalValidateOptions {
  json?: boolean;
  strict?: boolean;
}

/** Validates files and prints the findings; returns the exit code (0 valid, 1 invalid). */
export async function validateFlowFiles(
  paths: readonly string[],
  options: LocalValidateOptions,
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
    // Only the plugins the file names are imported (all of them should it name one unusually).
    results.push(
      await withPluginsFor(content, () => validateFlowSource(content, { catalog: plugins, file })),
    );
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
