/**
 * tables.insert / get / list / patch / update / delete. A native table is a DuckDB table in its
 * dataset's schema, a view a DuckDB view, an external table only a definition in the catalog
 * (read at query time); the catalog keeps the BigQuery schema of each.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableMeta, TableType } from './catalog.js';
import { BigQueryApiError, invalid, textOf } from './errors.js';
import { checkGcsUris, externalConfigFromApi, externalSpec } from './external.js';
import { etagOf, pageOf } from './paging.js';
import { labelsOf } from './resource-fields.js';
import {
  canonicalType,
  duckdbColumns,
  duckdbTypeOf,
  fieldsOfColumns,
  modeOf,
  normalizeFields,
} from './schema.js';
import { requireDataset, requireTable, tableLabel } from './service.js';
import type { BigQueryService } from './service.js';
import { detectFields } from './sources.js';
import type { BigQueryField } from './sql/translate.js';
import { translateScript } from './sql/translate.js';
import { hasStorage, tableSize } from './table-stats.js';
import { EmulatorTranslateContext } from './translate-context.js';
import { duckdbTableName, quoteIdent } from './warehouse.js';
import type { TableId } from './warehouse.js';

const tableIdPattern = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd} ]{1,1024}$/u;

/** Checks a table id as BigQuery does (letters, marks, digits, connectors, dashes, spaces). */
export function checkTableId(tableId: string): void {
  if (!tableIdPattern.test(tableId))
    throw invalid(
      `Invalid table ID "${tableId}". Table IDs must be alphanumeric (plus underscores, dashes and spaces) and must be at most 1024 characters long.`,
    );
}

/** The table resource tables.get answers with. */
export async function tableResource(
  service: BigQueryService,
  table: TableMeta,
  connection?: DuckDBConnection,
): Promise<Record<string, unknown>> {
  const dataset = service.catalog.dataset(table.projectId, table.datasetId);
  const size = hasStorage(table)
    ? connection !== undefined
      ? await tableSize(connection, table)
      : await service.warehouse.withConnection((own) => tableSize(own, table))
    : { numRows: 0, numBytes: 0 };
  const resource: Record<string, unknown> = {
    kind: 'bigquery#table',
    id: tableLabel(table),
    tableReference: { projectId: table.projectId, datasetId: table.datasetId, tableId: table.tableId },
    schema: { fields: table.fields },
    numRows: String(size.numRows),
    numBytes: String(size.numBytes),
    numLongTermBytes: '0',
    creationTime: String(table.creationTime),
    lastModifiedTime: String(table.lastModifiedTime),
    type: table.type,
    location: dataset?.location ?? 'US',
  };
  if (table.description !== undefined && table.description !== null) resource.description = table.description;
  if (table.friendlyName !== undefined && table.friendlyName !== null)
    resource.friendlyName = table.friendlyName;
  if (table.labels !== undefined && Object.keys(table.labels).length > 0) resource.labels = table.labels;
  if (table.timePartitioning !== undefined) resource.timePartitioning = table.timePartitioning;
  if (table.rangePartitioning !== undefined) resource.rangePartitioning = table.rangePartitioning;
  if (table.clustering !== undefined) resource.clustering = table.clustering;
  if (table.externalDataConfiguration !== undefined)
    resource.externalDataConfiguration = table.externalDataConfiguration;
  if (table.view !== undefined) resource.view = table.view;
  if (table.expirationTime !== undefined && table.expirationTime !== null)
    resource.expirationTime = table.expirationTime;
  resource.etag = etagOf(resource);
  return resource;
}

function objectOrUndefined(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw invalid(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function clusteringOf(value: unknown, fields: readonly BigQueryField[]): { fields: string[] } | undefined {
  const clustering = objectOrUndefined(value, 'clustering');
  if (clustering === undefined) return undefined;
  const names = Array.isArray(clustering.fields) ? clustering.fields.map(String) : [];
  if (names.length > 4) throw invalid('Too many clustering fields: at most 4 are allowed');
  for (const name of names)
    if (fields.length > 0 && !fields.some((field) => field.name.toLowerCase() === name.toLowerCase()))
      throw invalid(`The field specified for clustering cannot be found in the schema: ${name}`);
  return { fields: names };
}

function timePartitioningOf(
  value: unknown,
  fields: readonly BigQueryField[],
): Record<string, unknown> | undefined {
  const partitioning = objectOrUndefined(value, 'timePartitioning');
  if (partitioning === undefined) return undefined;
  const type = typeof partitioning.type === 'string' ? partitioning.type : 'DAY';
  if (!['DAY', 'HOUR', 'MONTH', 'YEAR'].includes(type))
    throw invalid(`Invalid timePartitioning type: ${type}`);
  if (typeof partitioning.field === 'string') {
    const field = fields.find(
      (candidate) => candidate.name.toLowerCase() === String(partitioning.field).toLowerCase(),
    );
    if (field === undefined && fields.length > 0)
      throw invalid(
        `The field specified for time partitioning cannot be found in the schema: ${partitioning.field}`,
      );
    if (field !== undefined && !['DATE', 'DATETIME', 'TIMESTAMP'].includes(canonicalType(field.type)))
      throw invalid(
        `Partitioning field ${field.name} must be DATE, DATETIME or TIMESTAMP, not ${field.type}`,
      );
  }
  return { ...partitioning, type };
}

/** Resolves a table reference in a body against the URL's project and dataset. */
function referenceOf(body: Record<string, unknown>, projectId: string, datasetId: string): TableId {
  const reference = (body.tableReference ?? {}) as Record<string, unknown>;
  const tableId = reference.tableId;
  if (typeof tableId !== 'string' || tableId === '')
    throw invalid('Required parameter is missing: tableReference.tableId');
  checkTableId(tableId);
  return { projectId, datasetId, tableId };
}

/** The fields of a DuckDB query or relation, as BigQuery reports them. */
export async function describeFields(
  connection: DuckDBConnection,
  relation: string,
): Promise<BigQueryField[]> {
  const result = await connection.run(`SELECT * FROM ${relation} LIMIT 0`);
  return fieldsOfColumns(result.columnNames(), result.columnTypes());
}

/** The DuckDB SQL of a view's query (standard SQL, one SELECT). */
export function translateViewQuery(service: BigQueryService, projectId: string, query: string): string {
  const statements = translateScript(query, new EmulatorTranslateContext(service, projectId));
  const only = statements[0];
  if (statements.length !== 1 || only?.kind !== 'query')
    throw new BigQueryApiError('invalidQuery', 'A view is defined by a single SELECT query', 'query');
  return only.sql;
}

/** tables.insert: 409 `duplicate` when the table exists. */
export async function insertTable(
  service: BigQueryService,
  projectId: string,
  datasetId: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  requireDataset(service, projectId, datasetId);
  const ref = referenceOf(body, projectId, datasetId);
  const label = `table ${tableLabel(ref)}`;
  const schema = objectOrUndefined(body.schema, 'schema');
  let fields = schema?.fields !== undefined ? normalizeFields(schema.fields, `schema of ${label}`) : [];
  const view = objectOrUndefined(body.view, 'view');
  const external = body.externalDataConfiguration;
  const type: TableType =
    view !== undefined ? 'VIEW' : external !== undefined && external !== null ? 'EXTERNAL' : 'TABLE';
  const now = Date.now();
  const meta: TableMeta = {
    ...ref,
    type,
    fields,
    creationTime: now,
    lastModifiedTime: now,
    labels: labelsOf(body.labels),
  };
  if (typeof body.description === 'string') meta.description = body.description;
  if (typeof body.friendlyName === 'string') meta.friendlyName = body.friendlyName;
  if (body.expirationTime !== undefined && body.expirationTime !== null)
    meta.expirationTime = textOf(body.expirationTime);

  return service.warehouse.writeLock.run(() =>
    service.warehouse.withConnection(async (connection) => {
      if (service.catalog.table(ref) !== undefined)
        throw new BigQueryApiError('duplicate', `Already Exists: Table ${tableLabel(ref)}`);
      if (type === 'VIEW') {
        if (view?.useLegacySql === true)
          throw invalid('Legacy SQL views are not supported by the emulator: set useLegacySql to false');
        const query = typeof view?.query === 'string' ? view.query : '';
        if (query.trim() === '') throw invalid(`The view ${tableLabel(ref)} has no query`);
        const sql = translateViewQuery(service, projectId, query);
        await connection.run(`CREATE VIEW ${duckdbTableName(ref)} AS ${sql}`);
        meta.fields = fields = await describeFields(connection, duckdbTableName(ref));
        meta.view = { query, useLegacySql: false };
      } else if (type === 'EXTERNAL') {
        const config = externalConfigFromApi(external, `The external table ${tableLabel(ref)}`);
        if (fields.length > 0) config.schema = { fields };
        else if (config.schema !== undefined) fields = config.schema.fields;
        else {
          // Autodetect now, from the objects there, as BigQuery does when the table is defined.
          checkGcsUris(config.sourceUris, label);
          fields = await detectFields(connection, externalSpec(service.objects, config).spec);
          config.autodetect = true;
        }
        meta.fields = fields;
        meta.externalDataConfiguration = config;
      } else if (fields.length > 0) {
        await connection.run(`CREATE TABLE ${duckdbTableName(ref)} (${duckdbColumns(fields)})`);
      }
      const partitioning = timePartitioningOf(body.timePartitioning, fields);
      if (partitioning !== undefined) meta.timePartitioning = partitioning;
      const range = objectOrUndefined(body.rangePartitioning, 'rangePartitioning');
      if (range !== undefined) meta.rangePartitioning = range;
      const clustering = clusteringOf(body.clustering, fields);
      if (clustering !== undefined) meta.clustering = clustering;
      service.catalog.putTable(meta);
      return tableResource(service, meta, connection);
    }),
  );
}

/** tables.get. */
export async function getTable(service: BigQueryService, ref: TableId): Promise<Record<string, unknown>> {
  return tableResource(service, requireTable(service, ref));
}

/** tables.list. */
export function listTables(
  service: BigQueryService,
  projectId: string,
  datasetId: string,
  query: Record<string, unknown>,
): Record<string, unknown> {
  requireDataset(service, projectId, datasetId);
  const tables = service.catalog.tables(projectId, datasetId);
  const { page, nextPageToken } = pageOf(tables, query, 50);
  const list: Record<string, unknown> = {
    kind: 'bigquery#tableList',
    tables: page.map((table) => {
      const item: Record<string, unknown> = {
        kind: 'bigquery#table',
        id: tableLabel(table),
        tableReference: { projectId: table.projectId, datasetId: table.datasetId, tableId: table.tableId },
        type: table.type,
        creationTime: String(table.creationTime),
      };
      if (table.labels !== undefined && Object.keys(table.labels).length > 0) item.labels = table.labels;
      if (table.timePartitioning !== undefined) item.timePartitioning = table.timePartitioning;
      if (table.clustering !== undefined) item.clustering = table.clustering;
      if (table.view !== undefined) item.view = { useLegacySql: false };
      return item;
    }),
    totalItems: tables.length,
  };
  if (nextPageToken !== undefined) list.nextPageToken = nextPageToken;
  list.etag = etagOf(list);
  return list;
}

/**
 * The changes that turn a table's schema into `next`: added columns (NULLABLE or REPEATED only)
 * and REQUIRED columns relaxed to NULLABLE. Anything else (a dropped or retyped column) is
 * BigQuery's "Provided Schema does not match" error.
 */
export function schemaChanges(
  current: readonly BigQueryField[],
  next: readonly BigQueryField[],
  label: string,
  allow: { addition: boolean; relaxation: boolean },
): { added: BigQueryField[]; relaxed: string[] } {
  const added: BigQueryField[] = [];
  const relaxed: string[] = [];
  for (const field of current) {
    const match = next.find((candidate) => candidate.name.toLowerCase() === field.name.toLowerCase());
    if (match === undefined)
      throw invalid(
        `Provided Schema does not match Table ${label}. Field ${field.name} is missing in new schema`,
      );
    if (duckdbTypeOf({ ...match, mode: 'NULLABLE' }) !== duckdbTypeOf({ ...field, mode: 'NULLABLE' }))
      throw invalid(
        `Provided Schema does not match Table ${label}. Field ${field.name} has changed type from ${field.type} to ${match.type}`,
      );
    const from = modeOf(field);
    const to = modeOf(match);
    if (from === to) continue;
    if (from === 'REQUIRED' && to === 'NULLABLE' && allow.relaxation) relaxed.push(field.name);
    else
      throw invalid(
        `Provided Schema does not match Table ${label}. Field ${field.name} has changed mode from ${from} to ${to}`,
      );
  }
  for (const field of next) {
    if (current.some((candidate) => candidate.name.toLowerCase() === field.name.toLowerCase())) continue;
    if (!allow.addition)
      throw invalid(
        `Provided Schema does not match Table ${label}. Cannot add fields (field: ${field.name})`,
      );
    if (modeOf(field) === 'REQUIRED')
      throw invalid(`Provided Schema does not match Table ${label}. Cannot add required field ${field.name}`);
    added.push(field);
  }
  return { added, relaxed };
}

/** Applies schema changes to a native table's DuckDB storage (creating it if it had no schema). */
export async function alterStorage(
  connection: DuckDBConnection,
  table: TableMeta,
  next: readonly BigQueryField[],
  changes: { added: BigQueryField[]; relaxed: string[] },
): Promise<void> {
  if (table.type !== 'TABLE') return;
  const name = duckdbTableName(table);
  if (table.fields.length === 0) {
    if (next.length > 0) await connection.run(`CREATE TABLE ${name} (${duckdbColumns(next)})`);
    return;
  }
  for (const field of changes.added)
    await connection.run(`ALTER TABLE ${name} ADD COLUMN ${quoteIdent(field.name)} ${duckdbTypeOf(field)}`);
  for (const column of changes.relaxed)
    await connection.run(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(column)} DROP NOT NULL`);
}

/** tables.patch (`replace` false) and tables.update (`replace` true). */
export async function updateTable(
  service: BigQueryService,
  ref: TableId,
  body: Record<string, unknown>,
  replace: boolean,
): Promise<Record<string, unknown>> {
  return service.warehouse.writeLock.run(() =>
    service.warehouse.withConnection(async (connection) => {
      const current = requireTable(service, ref);
      const meta: TableMeta = { ...current };
      const has = (key: string) => replace || key in body;
      const schema = objectOrUndefined(body.schema, 'schema');
      if (schema?.fields !== undefined && current.type !== 'VIEW') {
        const next = normalizeFields(schema.fields, `schema of table ${tableLabel(ref)}`);
        const changes = schemaChanges(current.fields, next, tableLabel(ref), {
          addition: true,
          relaxation: true,
        });
        await alterStorage(connection, current, next, changes);
        // Descriptions and order come from the new schema; types of kept fields are unchanged.
        meta.fields = next;
        if (meta.externalDataConfiguration !== undefined)
          meta.externalDataConfiguration = { ...meta.externalDataConfiguration, schema: { fields: next } };
      }
      const view = objectOrUndefined(body.view, 'view');
      if (view !== undefined && current.type === 'VIEW' && typeof view.query === 'string') {
        const sql = translateViewQuery(service, ref.projectId, view.query);
        await connection.run(`CREATE OR REPLACE VIEW ${duckdbTableName(ref)} AS ${sql}`);
        meta.fields = await describeFields(connection, duckdbTableName(ref));
        meta.view = { query: view.query, useLegacySql: false };
      }
      if (has('description'))
        meta.description = typeof body.description === 'string' ? body.description : null;
      if (has('friendlyName'))
        meta.friendlyName = typeof body.friendlyName === 'string' ? body.friendlyName : null;
      if (has('expirationTime'))
        meta.expirationTime =
          body.expirationTime === undefined || body.expirationTime === null
            ? null
            : textOf(body.expirationTime);
      if (has('labels')) meta.labels = labelsOf(body.labels, replace ? {} : current.labels);
      if ('clustering' in body) {
        const clustering = clusteringOf(body.clustering, meta.fields);
        if (clustering === undefined) delete meta.clustering;
        else meta.clustering = clustering;
      }
      if ('externalDataConfiguration' in body && current.type === 'EXTERNAL') {
        const config = externalConfigFromApi(
          body.externalDataConfiguration,
          `The external table ${tableLabel(ref)}`,
        );
        if (config.schema === undefined) config.schema = { fields: meta.fields };
        meta.externalDataConfiguration = config;
      }
      meta.lastModifiedTime = Date.now();
      service.catalog.putTable(meta);
      return tableResource(service, meta, connection);
    }),
  );
}

/** Drops a table's DuckDB object (table or view; external tables have none). */
export async function dropStorage(connection: DuckDBConnection, table: TableMeta): Promise<void> {
  if (table.type === 'VIEW') await connection.run(`DROP VIEW IF EXISTS ${duckdbTableName(table)}`);
  else if (table.type === 'TABLE') await connection.run(`DROP TABLE IF EXISTS ${duckdbTableName(table)}`);
}

/** tables.delete. */
export async function deleteTable(service: BigQueryService, ref: TableId): Promise<void> {
  await service.warehouse.writeLock.run(() =>
    service.warehouse.withConnection(async (connection) => {
      const table = requireTable(service, ref);
      await dropStorage(connection, table);
      service.catalog.deleteTable(ref);
    }),
  );
}
