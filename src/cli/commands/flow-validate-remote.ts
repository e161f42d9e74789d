import { readFileSync } from 'node:fs';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { apiClientFor } from '../api-client.js';
import type { ServerConnectionOptions } from '../api-client.js';
import { collectFlowFiles } from '../files.js';
import { out, paint } from '../output.js';
import { strictSummary } from './validate-summary.js';

/** One flow's result from `POST /flows/validate` (Kestra's ValidateConstraintViolation). */
interface RemoteValidation {
  index?: number;
  flow?: string;
  namespace?: string;
  /** Kestra joins the errors into one text, one per line. */
  constraints?: string | null;
  outdated?: boolean;
  deprecationPaths?: string[];
  warnings?: string[];
  infos?: string[];
}

interface RemoteOptions extends ServerConnectionOptions {
  json?: boolean;
  strict?: boolean;
}

/**
 * `flow validate --server`: has a running server validate each file (its plugins, its version);
 * prints `file: namespace.id: problem` lines; returns the exit code (0 valid, 1 invalid).
 */
export async function validateFlowFilesOnServer(
  paths: readonly string[],
  options: RemoteOptions,
): Promise<number> {
  const client = apiClientFor(options);
  const files = await collectFlowFiles(paths);
  const results: Array<{ file: string; flows: RemoteValidation[] }> = [];
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      throw new WindhoverError(ErrorCodes.FILE_UNREADABLE, `cannot read the flow file: ${file}`);
    }
    // One request per file, so each answer's `index` points into one file.
    const { body } = await client.request('POST', '/flows/validate', {
      body: source,
      contentType: 'application/x-yaml',
    });
    results.push({ file, flows: Array.isArray(body) ? (body as RemoteValidation[]) : [] });
  }
  const all = results.flatMap((r) => r.flows);
  const errors = all.filter((f) => f.constraints).length;
  const warnings = all.reduce((n, f) => n + (f.warnings?.length ?? 0), 0);
  const failed = errors > 0 || (options.strict === true && warnings > 0);
  if (options.json) {
    out(JSON.stringify({ valid: !failed, server: client.baseUrl, files: results }, null, 2));
    return failed ? 1 : 0;
  }
  for (const { file, flows } of results)
    for (const flow of flows) {
      const name =
        flow.namespace && flow.flow ? `${flow.namespace}.${flow.flow}` : `flow ${(flow.index ?? 0) + 1}`;
      for (const line of (flow.constraints ?? '').split('\n').filter(Boolean))
        out(paint(process.stdout, 'red', `${file}: ${name}: ${line}`));
      for (const warning of flow.warnings ?? [])
        out(paint(process.stdout, 'yellow', `${file}: ${name}: warning: ${warning}`));
    }
  // With --strict a flow with a warning is not valid either.
  const valid = all.filter(
    (f) => !f.constraints && !(options.strict === true && (f.warnings?.length ?? 0) > 0),
  ).length;
  const summary = `${valid} of ${all.length} flows valid in ${files.length} file${files.length === 1 ? '' : 's'} on ${client.baseUrl}`;
  const why = options.strict === true && warnings > 0 ? strictSummary(errors, warnings, true) : '';
  if (files.length === 0) out('no flow files found');
  else out(paint(process.stdout, failed ? 'red' : 'green', `${failed ? '✗' : '✓'} ${summary}${why}`));
  return failed ? 1 : 0;
}
