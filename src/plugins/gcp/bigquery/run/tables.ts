/**
 * CreateTable, DeleteTable and TableMetadata on the client's table calls: Kestra's
 * `tableDefinition` as the REST API's table resource, and Kestra's table outputs
 * (`projectId`, `datasetId`, `table`, `definition`, `numRows`…).
 */
import type { BigQuery, TableMetadata } from '@google-cloud/bigquery';
import { parseIsoDuration, TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { gcpTaskFailure } from '../../clients.js';
import { openBigQuery, projectOf, textProp } from './connection.js';
import { statusOf } from './datasets.js';
import { parseDatasetName } from './table-ref.js';
import type { TableReference } from './table-ref.js';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};

/** Kestra's `externalTableDefinition` as the REST API's `externalDataConfiguration`. */
function externalConfiguration(definition: Json): Json {
  const external: Json = {};
  const formatOptions = asObject(definition.formatOptions);
  const format = textProp(formatOptions.type ?? definition.format);
  if (format) external.sourceFormat = format === 'JSON' ? 'NEWLINE_DELIMITED_JSON' : format;
  if (Array.isArray(definition.sourceUris)) external.sourceUris = definition.sourceUris.map(String);
  for (const key of ['autodetect', 'compression', 'ignoreUnknownValues', 'maxBadRecords']) {
    if (definition[key] !== undefined) external[key] = definition[key];
  }
  if (format === 'CSV') {
    const csv: Json = {};
    for (const key of [
      'fieldDelimiter',
      'skipLeadingRows',
      'quote',
      'allowJaggedRows',
      'allowQuotedNewLines',
      'encoding',
    ]) {
      if (formatOptions[key] !== undefined) csv[key] = formatOptions[key];
    }
    external.csvOptions = csv;
  }
  return external;
}

/** The table resource of a CreateTable task. */
function tableResource(props: Json): Json {
  const definition = asObject(props.tableDefinition);
  const type = textProp(definition.type)?.toUpperCase() ?? 'TABLE';
  const resource: Json = {};
  const schema = asObject(definition.schema);
  if (Array.isArray(schema.fields)) resource.schema = { fields: schema.fields };
  const standard = asObject(definition.standardTableDefinition);
  if (Array.isArray(standard.clustering) && standard.clustering.length > 0) {
    resource.clustering = { fields: standard.clustering.map(String) };
  }
  if (standard.timePartitioning) resource.timePartitioning = standard.timePartitioning;
  if (standard.rangePartitioning) resource.rangePartitioning = standard.rangePartitioning;
  if (type === 'VIEW') {
    const view = asObject(definition.viewDefinition);
    const query = textProp(view.query);
    if (!query)
      throw new TaskFailure('`tableDefinition.viewDefinition.query` is missing: a VIEW needs its query');
    resource.view = { query, useLegacySql: false };
  } else if (type === 'MATERIALIZED_VIEW') {
    const view = asObject(definition.materializedViewDefinition);
    const query = textProp(view.query);
    if (!query) {
      throw new TaskFailure(
        '`tableDefinition.materializedViewDefinition.query` is missing: a MATERIALIZED_VIEW needs its query',
      );
    }
    const refresh =
      typeof view.refreshInterval === 'string' ? parseIsoDuration(view.refreshInterval) : undefined;
    resource.materializedView = {
      query,
      ...(view.enableRefresh !== undefined ? { enableRefresh: view.enableRefresh } : {}),
      ...(refresh !== undefined ? { refreshIntervalMs: String(refresh) } : {}),
    };
  } else if (type === 'EXTERNAL') {
    resource.externalDataConfiguration = externalConfiguration(asObject(definition.externalTableDefinition));
  } else if (type !== 'TABLE') {
    throw new TaskFailure(
      `\`tableDefinition.type\`: \`${type}\` is not one of TABLE, VIEW, MATERIALIZED_VIEW, EXTERNAL`,
    );
  }
  for (const key of [
    'friendlyName',
    'description',
    'labels',
    'requirePartitionFilter',
    'encryptionConfiguration',
  ]) {
    if (props[key] !== undefined && props[key] !== null) resource[key] = props[key];
  }
  const expiration =
    typeof props.expirationDuration === 'string' ? parseIsoDuration(props.expirationDuration) : undefined;
  if (expiration !== undefined) resource.expirationTime = String(Date.now() + expiration);
  return resource;
}

/** Milliseconds-since-epoch text (as the API writes times) as ISO-8601, or null. */
function timeText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const millis = Number(value);
  if (Number.isFinite(millis)) return new Date(millis).toISOString();
  return typeof value === 'string' ? value : null;
}

function countOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const count = Number(value);
  return Number.isFinite(count) ? count : null;
}

/** Kestra's table outputs from a table resource. */
export function tableOutputs(metadata: TableMetadata, ref: TableReference): Json {
  const definition: Json = { type: metadata.type ?? 'TABLE' };
  if (metadata.schema) definition.schema = metadata.schema;
  if (metadata.view) definition.viewDefinition = metadata.view;
  if (metadata.materializedView) definition.materializedViewDefinition = metadata.materializedView;
  if (metadata.externalDataConfiguration)
    definition.externalTableDefinition = metadata.externalDataConfiguration;
  if (metadata.timePartitioning) definition.timePartitioning = metadata.timePartitioning;
  if (metadata.clustering) definition.clustering = metadata.clustering.fields ?? [];
  return {
    projectId: metadata.tableReference?.projectId ?? ref.projectId,
    datasetId: metadata.tableReference?.datasetId ?? ref.datasetId,
    table: metadata.tableReference?.tableId ?? ref.tableId,
    etag: metadata.etag ?? null,
    friendlyName: metadata.friendlyName ?? null,
    description: metadata.description ?? null,
    labels: metadata.labels ?? {},
    creationTime: timeText(metadata.creationTime),
    lastModifiedTime: timeText(metadata.lastModifiedTime),
    expirationTime: timeText(metadata.expirationTime),
    numRows: countOf(metadata.numRows),
    numBytes: countOf(metadata.numBytes),
    location: metadata.location ?? null,
    requirePartitionFilter: metadata.requirePartitionFilter ?? false,
    definition,
  };
}

/** The table of a task's `dataset` and `table`, and the client to reach it. */
async function tableOf(ctx: TaskContext, props: Json): Promise<{ bigquery: BigQuery; ref: TableReference }> {
  const bigquery = await openBigQuery(ctx, props);
  const datasetName = textProp(props.dataset);
  const tableId = textProp(props.table);
  if (!datasetName) throw new TaskFailure('`dataset` is missing: give the dataset ID');
  if (!tableId) throw new TaskFailure('`table` is missing: give the table ID');
  const { projectId, datasetId } = parseDatasetName(datasetName, await projectOf(bigquery), 'dataset');
  return { bigquery, ref: { projectId, datasetId, tableId } };
}

const tableName = (ref: TableReference) => `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;

function clientTable(bigquery: BigQuery, ref: TableReference, props: Json) {
  const location = textProp(props.location);
  return bigquery
    .dataset(ref.datasetId, { projectId: ref.projectId, ...(location ? { location } : {}) })
    .table(ref.tableId, location ? { location } : {});
}

/** Runs CreateTable. */
export async function createTable(ctx: TaskContext, props: Json): Promise<Json> {
  const { bigquery, ref } = await tableOf(ctx, props);
  const resource = tableResource(props);
  const dataset = bigquery.dataset(ref.datasetId, { projectId: ref.projectId });
  try {
    const [, metadata] = (await dataset.createTable(ref.tableId, resource)) as unknown as [
      unknown,
      TableMetadata,
    ];
    ctx.logger.info(`Created table ${tableName(ref)}`);
    return tableOutputs(metadata, ref);
  } catch (error) {
    if (statusOf(error) === 409) {
      throw new TaskFailure(
        `The table ${tableName(ref)} already exists; delete it first (DeleteTable) or use another name`,
      );
    }
    throw gcpTaskFailure(error, bigquery);
  }
}

/** Runs DeleteTable. */
export async function deleteTable(ctx: TaskContext, props: Json): Promise<Json> {
  const { bigquery, ref } = await tableOf(ctx, props);
  try {
    await clientTable(bigquery, ref, props).delete();
  } catch (error) {
    throw gcpTaskFailure(error, bigquery);
  }
  ctx.logger.info(`Deleted table ${tableName(ref)}`);
  return { projectId: ref.projectId, datasetId: ref.datasetId, table: ref.tableId };
}

/** Runs TableMetadata: `ifNotExists: SKIP` gives no outputs for a missing table, ERROR fails. */
export async function tableMetadata(ctx: TaskContext, props: Json): Promise<Json> {
  const { bigquery, ref } = await tableOf(ctx, props);
  try {
    const [metadata] = (await clientTable(bigquery, ref, props).getMetadata()) as unknown as [TableMetadata];
    return tableOutputs(metadata, ref);
  } catch (error) {
    if (statusOf(error) === 404 && props.ifNotExists === 'SKIP') {
      ctx.logger.info(`The table ${tableName(ref)} does not exist: skipped`);
      return {};
    }
    throw gcpTaskFailure(error, bigquery);
  }
}
