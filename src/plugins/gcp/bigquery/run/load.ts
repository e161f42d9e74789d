/**
 * BigQuery load jobs (Kestra's `AbstractLoad`): the `configuration.load` built from the task's
 * properties, run from `gs://` URIs (LoadFromGcs) or from a file of internal storage streamed
 * to the upload endpoint (Load), and Kestra's outputs `jobId`, `destinationTable`, `rows`.
 */
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { BigQuery, Job, JobMetadata } from '@google-cloud/bigquery';
import { TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { existingFile } from '../../../shared/items-io.js';
import { gcpTaskFailure } from '../../clients.js';
import { openBigQuery, projectOf, textProp } from './connection.js';
import { runJob, waitForJob } from './jobs.js';
import { withAutoRetry } from './retry.js';
import { parseTableName, tableText } from './table-ref.js';
import type { TableReference } from './table-ref.js';

/** Kestra's `format` → the REST API's `sourceFormat`. */
const SOURCE_FORMATS: Record<string, string> = {
  CSV: 'CSV',
  JSON: 'NEWLINE_DELIMITED_JSON',
  AVRO: 'AVRO',
  PARQUET: 'PARQUET',
  ORC: 'ORC',
};

/** `csvOptions` keys that are `configuration.load` keys of the same name. */
const CSV_KEYS = [
  'fieldDelimiter',
  'skipLeadingRows',
  'quote',
  'allowJaggedRows',
  'allowQuotedNewLines',
  'encoding',
];

/** Copies the keys given (not null) from one object to another. */
function copyGiven(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  keys: readonly string[],
): void {
  for (const key of keys) if (from[key] !== undefined && from[key] !== null) to[key] = from[key];
}

/** The `schema` property as the REST API wants it: `{fields: [...]}`. */
function schemaOf(schema: unknown): Record<string, unknown> | undefined {
  if (schema === undefined || schema === null) return undefined;
  if (Array.isArray(schema)) return { fields: schema };
  if (typeof schema === 'object' && Array.isArray((schema as { fields?: unknown }).fields)) {
    return schema as Record<string, unknown>;
  }
  throw new TaskFailure('`schema` must be `{fields: [{name, type, mode?, description?}, …]}`');
}

/** The `configuration.load` of a task (without its sources). */
export function loadConfiguration(
  props: Record<string, unknown>,
  destination: TableReference,
): Record<string, unknown> {
  const load: Record<string, unknown> = { destinationTable: destination };
  const format = textProp(props.format);
  if (format) load.sourceFormat = SOURCE_FORMATS[format.toUpperCase()] ?? format;
  if (props.csvOptions && typeof props.csvOptions === 'object') {
    copyGiven(props.csvOptions as Record<string, unknown>, load, CSV_KEYS);
  }
  const avro = props.avroOptions as Record<string, unknown> | undefined;
  if (avro && avro.useAvroLogicalTypes !== undefined) load.useAvroLogicalTypes = avro.useAvroLogicalTypes;
  const schema = schemaOf(props.schema);
  if (schema) load.schema = schema;
  copyGiven(props, load, [
    'autodetect',
    'writeDisposition',
    'createDisposition',
    'ignoreUnknownValues',
    'maxBadRecords',
    'schemaUpdateOptions',
  ]);
  if (Array.isArray(props.clusteringFields) && props.clusteringFields.length > 0) {
    load.clustering = { fields: props.clusteringFields.map(String) };
  }
  const partitionField = textProp(props.timePartitioningField);
  if (partitionField) {
    load.timePartitioning = { type: textProp(props.timePartitioningType) ?? 'DAY', field: partitionField };
  }
  return load;
}

/** Kestra's load outputs. */
function loadOutputs(
  jobId: string,
  destination: TableReference,
  metadata: JobMetadata,
): Record<string, unknown> {
  const rows = Number(metadata.statistics?.load?.outputRows ?? 0);
  return { jobId, destinationTable: tableText(destination), rows };
}

/** The destination table of a load task. */
async function destinationOf(bigquery: BigQuery, props: Record<string, unknown>): Promise<TableReference> {
  const name = textProp(props.destinationTable);
  if (!name)
    throw new TaskFailure('`destinationTable` is missing: give `dataset.table` or `project.dataset.table`');
  return parseTableName(name, await projectOf(bigquery), 'destinationTable');
}

/** The `from` URIs of LoadFromGcs, each a `gs://bucket/path`. */
function sourceUris(from: unknown): string[] {
  let value = from;
  // A whole expression may render a list as JSON text (`{{ outputs.list.uris | json }}`).
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      // Not JSON: reported below as a URI that is not gs://.
    }
  }
  const list = (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null);
  if (list.length === 0) throw new TaskFailure('`from` is empty: give at least one `gs://bucket/path` URI');
  return list.map((item, index) => {
    const uri = String(item).trim();
    if (!/^gs:\/\/[^/]+\/.+/.test(uri)) {
      throw new TaskFailure(
        `\`from[${index}]\`: \`${uri}\` is not a Cloud Storage URI; write \`gs://bucket/path\``,
      );
    }
    return uri;
  });
}

/** Runs LoadFromGcs: a load job reading `gs://` files. */
export async function loadFromGcs(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const bigquery = await openBigQuery(ctx, props);
  const destination = await destinationOf(bigquery, props);
  const load = { ...loadConfiguration(props, destination), sourceUris: sourceUris(props.from) };
  const location = textProp(props.location);
  const { job, metadata } = await withAutoRetry(ctx, props, bigquery, () =>
    runJob(ctx, bigquery, { configuration: { load }, ...(location ? { location } : {}) }),
  );
  const outputs = loadOutputs(job.id ?? '', destination, metadata);
  ctx.logger.info(`Loaded ${String(outputs.rows)} rows into ${tableText(destination)}`);
  return outputs;
}

/** Runs Load: the internal-storage file `from` streamed into a load job (a multipart upload). */
export async function loadFromFile(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const uri = await existingFile(ctx, props.from, 'from');
  const bigquery = await openBigQuery(ctx, props);
  const destination = await destinationOf(bigquery, props);
  if ((await ctx.storage.size(uri)) === 0) {
    if (props.failedOnEmpty !== false) {
      throw new TaskFailure(
        `\`from\`: the file \`${uri}\` is empty; set \`failedOnEmpty: false\` to load nothing`,
      );
    }
    ctx.logger.warn(`The file ${uri} is empty: nothing loaded`);
    return { destinationTable: tableText(destination), rows: 0 };
  }
  const location = textProp(props.location);
  const table = bigquery
    .dataset(destination.datasetId, { projectId: destination.projectId, ...(location ? { location } : {}) })
    .table(destination.tableId, location ? { location } : {});
  const { job, done } = await withAutoRetry(ctx, props, bigquery, async () => {
    // Each attempt builds its own configuration: the client adds to the object it is given.
    const upload = table.createWriteStream_(loadConfiguration(props, destination));
    const started = once(upload, 'job') as Promise<[Job | null]>;
    // Heard here so that a failed upload rejects `started` once, not as an unhandled rejection too.
    started.catch(() => undefined);
    let job: Job | null;
    try {
      await pipeline(await ctx.storage.readStream(uri), upload, { signal: ctx.signal });
      [job] = await started;
    } catch (error) {
      if (ctx.signal.aborted) throw new TaskFailure('the load was stopped: the task was killed');
      throw gcpTaskFailure(error, bigquery);
    }
    if (!job) throw new TaskFailure('BigQuery did not start a load job for the upload');
    return { job, done: await waitForJob(ctx, job) };
  });
  const outputs = loadOutputs(job.id ?? '', destination, done);
  ctx.logger.info(`Loaded ${String(outputs.rows)} rows from ${uri} into ${tableText(destination)}`);
  return outputs;
}
