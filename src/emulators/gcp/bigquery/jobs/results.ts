/**
 * Where query results live and how they are read back: the rows of a query without a destination
 * table are kept in a table of the hidden `_query_results` dataset (BigQuery keeps them in an
 * anonymous table for a day), so that jobs.getQueryResults and jobs.query page through them as
 * tabledata.list does.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JobRecord } from '../catalog.js';
import { BigQueryApiError } from '../errors.js';
import { etagOf, pageTokenOf } from '../paging.js';
import { resultsDatasetId } from '../service.js';
import type { BigQueryService } from '../service.js';
import { pagingOf, readPage } from '../tabledata.js';
import { schemaName } from '../warehouse.js';
import type { TableId } from '../warehouse.js';

/** The table that keeps a job's results. */
export function resultsTableOf(projectId: string, jobId: string): TableId {
  return { projectId, datasetId: resultsDatasetId, tableId: `anon_${jobId}` };
}

/** Creates the hidden results dataset of a project if it is missing. */
export async function ensureResultsDataset(
  service: BigQueryService,
  connection: DuckDBConnection,
  projectId: string,
): Promise<void> {
  if (service.catalog.dataset(projectId, resultsDatasetId) !== undefined) return;
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schemaName(projectId, resultsDatasetId)}`);
  const now = Date.now();
  service.catalog.putDataset({
    projectId,
    datasetId: resultsDatasetId,
    location: 'US',
    description: 'Results of queries without a destination table, kept for a day',
    creationTime: now,
    lastModifiedTime: now,
  });
}

/** The error of a failed job, to answer a results request with (BigQuery answers with the job's error). */
export function jobError(record: JobRecord): BigQueryApiError | undefined {
  const status = record.resource.status as {
    errorResult?: { reason?: string; message?: string; location?: string };
  };
  const error = status.errorResult;
  if (error === undefined) return undefined;
  const reason = (
    [
      'invalid',
      'invalidQuery',
      'notFound',
      'duplicate',
      'resourceInUse',
      'stopped',
      'backendError',
      'bytesBilledLimitExceeded',
    ] as const
  ).find((known) => known === error.reason);
  return new BigQueryApiError(reason ?? 'invalid', error.message ?? 'The job failed', error.location);
}

/** The body of jobs.getQueryResults (`kind` given) or jobs.query for a job, with a page of its rows. */
export async function queryResultsBody(
  service: BigQueryService,
  record: JobRecord,
  query: Record<string, unknown>,
  kind: 'bigquery#getQueryResultsResponse' | 'bigquery#queryResponse',
): Promise<Record<string, unknown>> {
  const status = record.resource.status as { state?: string };
  const statistics = (record.resource.statistics ?? {}) as {
    query?: Record<string, unknown>;
    totalBytesProcessed?: string;
  };
  const body: Record<string, unknown> = {
    kind,
    jobReference: record.resource.jobReference,
    jobComplete: status.state === 'DONE',
  };
  if (status.state !== 'DONE') return body;
  const failure = jobError(record);
  if (failure !== undefined) throw failure;
  body.totalBytesProcessed = statistics.totalBytesProcessed ?? '0';
  body.cacheHit = false;
  const dml = statistics.query?.numDmlAffectedRows;
  if (dml !== undefined) body.numDmlAffectedRows = dml;
  const dmlStats = statistics.query?.dmlStats;
  if (dmlStats !== undefined) body.dmlStats = dmlStats;
  const results = record.results;
  if (results === undefined) {
    body.totalRows = '0';
    body.schema = { fields: [] };
    return body;
  }
  const paging = pagingOf(query);
  const table = service.catalog.table(results.table);
  if (table === undefined)
    throw new BigQueryApiError(
      'notFound',
      `Not found: the results of job ${record.projectId}:${record.jobId} are no longer kept`,
    );
  const page = await service.warehouse.withConnection((connection) =>
    readPage(connection, results.table, results.fields, { ...paging, totalRows: results.totalRows }),
  );
  body.schema = { fields: results.fields };
  body.totalRows = String(results.totalRows);
  body.rows = page.rows;
  if (page.nextIndex !== undefined) body.pageToken = pageTokenOf(page.nextIndex);
  body.etag = etagOf({ job: record.jobId, start: paging.start });
  return body;
}
