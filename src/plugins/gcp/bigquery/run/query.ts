/**
 * What `bigquery.Query` and `bigquery.Trigger` run: one query job built from Kestra's
 * properties, waited for (cancelled with the task), and Kestra's outputs: `jobId`,
 * `destinationTable`, and for `fetchType` the rows (`row`, `rows`, `uri`, `size`).
 */
import type { BigQuery, Job, JobMetadata } from '@google-cloud/bigquery';
import { parseIsoDuration, TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { fetchTypeOf } from '../../../jdbc/run/fetch-output.js';
import type { FetchType } from '../../../jdbc/run/fetch-output.js';
import { openBigQuery, projectOf, textProp } from './connection.js';
import { runJob, usesEmulator } from './jobs.js';
import { queryOutputs, queryRowCount } from './results.js';
import { withAutoRetry } from './retry.js';
import { parseDatasetName, parseTableName } from './table-ref.js';

/** A finished query: its job, metadata and the task's outputs. */
export interface QueryRun {
  job: Job;
  metadata: JobMetadata;
  fetchType: FetchType;
  outputs: Record<string, unknown>;
}

function integerProp(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The `configuration.query` of the job, and its labels, dry run and timeout. */
function queryConfiguration(props: Record<string, unknown>, project: string): Record<string, unknown> {
  const sql = textProp(props.sql);
  if (!sql) throw new TaskFailure('`sql` is empty: give the query to run');
  const legacy = props.legacySql === true || props.useLegacySql === true;
  const query: Record<string, unknown> = { query: sql, useLegacySql: legacy };
  const destination = textProp(props.destinationTable);
  if (destination) query.destinationTable = parseTableName(destination, project, 'destinationTable');
  const defaultDataset = textProp(props.defaultDataset);
  if (defaultDataset) query.defaultDataset = parseDatasetName(defaultDataset, project, 'defaultDataset');
  for (const key of [
    'writeDisposition',
    'createDisposition',
    'priority',
    'allowLargeResults',
    'useQueryCache',
    'maximumBillingTier',
    'schemaUpdateOptions',
  ]) {
    if (props[key] !== undefined && props[key] !== null) query[key] = props[key];
  }
  // flattenResults only means something to legacy SQL; standard SQL jobs refuse `false`.
  if (legacy && props.flattenResults !== undefined) query.flattenResults = props.flattenResults;
  const maximumBytesBilled = integerProp(props.maximumBytesBilled);
  if (maximumBytesBilled !== undefined) query.maximumBytesBilled = String(maximumBytesBilled);
  if (Array.isArray(props.clusteringFields) && props.clusteringFields.length > 0) {
    query.clustering = { fields: props.clusteringFields.map(String) };
  }
  const partitionField = textProp(props.timePartitioningField);
  if (partitionField) {
    query.timePartitioning = { type: textProp(props.timePartitioningType) ?? 'DAY', field: partitionField };
  }
  const rangeField = textProp(props.rangePartitioningField);
  if (rangeField) {
    query.rangePartitioning = {
      field: rangeField,
      range: {
        start: String(integerProp(props.rangePartitioningStart) ?? 0),
        end: String(integerProp(props.rangePartitioningEnd) ?? 0),
        interval: String(integerProp(props.rangePartitioningInterval) ?? 1),
      },
    };
  }
  const configuration: Record<string, unknown> = { query };
  if (props.labels && typeof props.labels === 'object') configuration.labels = props.labels;
  if (props.dryRun === true) configuration.dryRun = true;
  const timeout = typeof props.jobTimeout === 'string' ? parseIsoDuration(props.jobTimeout) : undefined;
  if (timeout !== undefined) configuration.jobTimeoutMs = String(timeout);
  return configuration;
}

/** `{project, dataset, table}` of the job's destination, Kestra's `destinationTable` output. */
function destinationOutput(metadata: JobMetadata): Record<string, unknown> | undefined {
  const table = metadata.configuration?.query?.destinationTable;
  if (!table?.tableId) return undefined;
  return { project: table.projectId, dataset: table.datasetId, table: table.tableId };
}

/** Runs the query of a task's rendered properties; `client` is the task's BigQuery client when already open. */
export async function runQuery(
  ctx: TaskContext,
  props: Record<string, unknown>,
  client?: BigQuery,
): Promise<QueryRun> {
  const bigquery = client ?? (await openBigQuery(ctx, props));
  const legacy = props.legacySql === true || props.useLegacySql === true;
  if (legacy && usesEmulator(bigquery)) {
    throw new TaskFailure(
      'legacy SQL (`legacySql: true`) is not supported by the BigQuery emulator: write the query in standard SQL and remove `legacySql`',
    );
  }
  const project = await projectOf(bigquery);
  const configuration = queryConfiguration(props, project);
  const location = textProp(props.location);
  const { job, metadata } = await withAutoRetry(ctx, props, bigquery, () =>
    runJob(ctx, bigquery, { configuration, ...(location ? { location } : {}) }),
  );
  const jobId = job.id ?? metadata.jobReference?.jobId ?? '';
  const fetchType = fetchTypeOf(props);
  const outputs: Record<string, unknown> = { jobId };
  const destination = destinationOutput(metadata);
  if (destination) outputs.destinationTable = destination;
  const statistics = metadata.statistics?.query;
  if (props.dryRun === true) {
    const bytes = statistics?.totalBytesProcessed ?? metadata.statistics?.totalBytesProcessed;
    ctx.logger.info(`Dry run of BigQuery job ${jobId}: the query would process ${bytes ?? 0} bytes`);
    return { job, metadata, fetchType, outputs };
  }
  if (statistics?.numDmlAffectedRows !== undefined && statistics.numDmlAffectedRows !== null) {
    ctx.logger.info(`BigQuery job ${jobId}: ${statistics.numDmlAffectedRows} rows affected`);
  }
  const maxResults = integerProp(props.maxResults);
  Object.assign(outputs, await queryOutputs(ctx, job, fetchType, maxResults));
  return { job, metadata, fetchType, outputs };
}

/** How many rows the query of a finished run returned (for a trigger with `fetchType: NONE`). */
export function resultSize(run: QueryRun): Promise<number> {
  if (typeof run.outputs.size === 'number') return Promise.resolve(run.outputs.size);
  return queryRowCount(run.job);
}
