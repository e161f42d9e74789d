/**
 * dbt's `target/run_results.json` (schema v6: https://schemas.getdbt.com/dbt/run-results/v6.json):
 * one result per node dbt ran (model, seed, snapshot, test…), read into the task's
 * `runResults` output and one log line each. Kestra shows these results as child task runs;
 * Windhover has none, so it gives them as an output and as log lines.
 */
import { isRecord } from '../../api.js';
import type { LogLevel, TaskLogger } from '../../api.js';

/** One node's result, as the `runResults` output gives it. */
export interface NodeResult {
  uniqueId: string;
  /** dbt's status: `success`, `error`, `skipped`, `pass`, `fail`, `warn`, `runtime error`, `partial success`. */
  status: string;
  /** Seconds. */
  executionTime: number;
  /** `adapter_response.rows_affected`, when the adapter reports it. */
  rowsAffected?: number;
  /** Failing rows of a test. */
  failures?: number;
  message?: string;
}

const FAILED = new Set(['error', 'fail', 'runtime error']);
const WARNED = new Set(['warn', 'partial success']);

/** The results of a run_results.json text; throws on text that is not one. */
export function parseRunResults(text: string): NodeResult[] {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !Array.isArray(parsed.results))
    throw new Error('it has no `results` list (dbt run_results.json schema v6)');
  return parsed.results.filter(isRecord).map((r) => {
    const adapter = isRecord(r.adapter_response) ? r.adapter_response : {};
    const rows = adapter.rows_affected;
    return {
      uniqueId: typeof r.unique_id === 'string' ? r.unique_id : '?',
      status: typeof r.status === 'string' ? r.status : 'unknown',
      executionTime: typeof r.execution_time === 'number' ? r.execution_time : 0,
      ...(typeof rows === 'number' && rows >= 0 ? { rowsAffected: rows } : {}),
      ...(typeof r.failures === 'number' ? { failures: r.failures } : {}),
      ...(typeof r.message === 'string' && r.message.trim() !== '' ? { message: r.message } : {}),
    };
  });
}

/** Whether a result failed its node. */
export function isFailure(result: NodeResult): boolean {
  return FAILED.has(result.status);
}

/** `model.x => error in 0.12s, 10 rows affected (3 failures)`. */
export function summaryOf(result: NodeResult): string {
  const time = result.status === 'skipped' ? '' : ` in ${result.executionTime.toFixed(2)}s`;
  const rows =
    result.rowsAffected === undefined
      ? ''
      : `, ${result.rowsAffected} ${result.rowsAffected === 1 ? 'row' : 'rows'} affected`;
  return `${result.uniqueId} => ${result.status}${time}${rows}${failuresOf(result)}`;
}

/** ` (3 failures)` for a test with failing rows; empty otherwise. */
function failuresOf(result: NodeResult): string {
  const count = result.failures ?? 0;
  return count > 0 ? ` (${count} ${count === 1 ? 'failure' : 'failures'})` : '';
}

/**
 * Logs one line per result at the level its status says, and the message of a result that did
 * not succeed on the next line (dbt's error, or why a test failed).
 */
export function logResults(logger: TaskLogger, results: readonly NodeResult[]): void {
  for (const result of results) {
    const level: LogLevel = isFailure(result) ? 'ERROR' : WARNED.has(result.status) ? 'WARN' : 'INFO';
    logger.log(level, summaryOf(result));
    if (result.message && level !== 'INFO') logger.log(level, result.message);
  }
}

/** Why a run failed, from its failed results: `model.x => error: Database Error in model x …`. */
export function failureDetail(results: readonly NodeResult[]): string | undefined {
  const failed = results.filter(isFailure);
  if (failed.length === 0) return undefined;
  const shown = failed
    .slice(0, 3)
    .map((r) => `${r.uniqueId} => ${r.status}${failuresOf(r)}${r.message ? `: ${oneLine(r.message)}` : ''}`);
  const more = failed.length > shown.length ? `; and ${failed.length - shown.length} more` : '';
  return `dbt reported ${shown.join('; ')}${more}`;
}

/** A message of several lines as one. */
export function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}
