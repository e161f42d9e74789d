/**
 * The rows of a finished query job, page by page (`jobs.getQueryResults`), as plain values
 * (see values.ts), and what a query task outputs for its `fetchType`.
 */
import type { Job, QueryResultsOptions } from '@google-cloud/bigquery';
import type { TaskContext } from '../../../api.js';
import { rowsToOutputs } from '../../../jdbc/run/fetch-output.js';
import type { FetchType } from '../../../jdbc/run/fetch-output.js';
import { gcpTaskFailure } from '../../clients.js';
import { rowValues } from './values.js';
import type { BigQuerySchemaField, RawRow } from './values.js';

/** The raw answer of one `jobs.getQueryResults` page. */
interface QueryResultsPage {
  schema?: { fields?: BigQuerySchemaField[] };
  totalRows?: string | number;
}

/** One page of raw rows, with the schema and the token of the next page. */
async function resultsPage(
  job: Job,
  pageToken: string | undefined,
  maxResults: number | undefined,
): Promise<{ rows: RawRow[]; schema: BigQuerySchemaField[]; next: string | undefined; total: number }> {
  let answer: unknown[];
  try {
    const options = {
      autoPaginate: false,
      // The raw `{f: [{v}]}` rows: values.ts types them as Kestra does (the client's own parsing
      // wraps dates and timestamps in objects and throws on integers beyond 2^53).
      skipParsing: true,
      ...(pageToken ? { pageToken } : {}),
      ...(maxResults ? { maxResults } : {}),
    };
    // `skipParsing` is honoured by the client but missing from its declared options.
    answer = (await job.getQueryResults(options as unknown as QueryResultsOptions)) as unknown[];
  } catch (error) {
    throw gcpTaskFailure(error, job.bigQuery);
  }
  const rows = (answer[0] ?? []) as RawRow[];
  const nextQuery = answer[1] as { pageToken?: string } | null | undefined;
  const response = (answer[2] ?? {}) as QueryResultsPage;
  return {
    rows,
    schema: response.schema?.fields ?? [],
    next: nextQuery?.pageToken,
    total: Number(response.totalRows ?? rows.length),
  };
}

/** Every row of a finished query job, fetched a page at a time. */
export async function* queryRows(
  ctx: TaskContext,
  job: Job,
  maxResults?: number,
): AsyncGenerator<Record<string, unknown>> {
  let pageToken: string | undefined;
  do {
    ctx.signal.throwIfAborted();
    const page = await resultsPage(job, pageToken, maxResults);
    for (const row of page.rows) yield rowValues(page.schema, row);
    pageToken = page.next;
  } while (pageToken);
}

/** How many rows a finished query job returned (one small page read). */
export async function queryRowCount(job: Job): Promise<number> {
  return (await resultsPage(job, undefined, 1)).total;
}

/** Kestra's outputs for `fetchType` (`row`, `rows`, `uri`, with `size`) from a finished query job. */
export async function queryOutputs(
  ctx: TaskContext,
  job: Job,
  fetchType: FetchType,
  maxResults?: number,
): Promise<Record<string, unknown>> {
  if (fetchType === 'NONE') return {};
  return rowsToOutputs(ctx, fetchType, queryRows(ctx, job, fetchType === 'FETCH_ONE' ? 1 : maxResults));
}
