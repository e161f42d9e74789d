/**
 * Writing rows into a destination table the way query, load and copy jobs do: the create
 * disposition (CREATE_IF_NEEDED / CREATE_NEVER), the write disposition (WRITE_APPEND /
 * WRITE_TRUNCATE / WRITE_EMPTY) and the schema update options (ALLOW_FIELD_ADDITION,
 * ALLOW_FIELD_RELAXATION). Runs inside the caller's transaction, under the write lock.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableMeta } from '../catalog.js';
import { BigQueryApiError, invalid, tableNotFound, textOf } from '../errors.js';
import { duckdbColumns, modeOf } from '../schema.js';
import { requireDataset, tableLabel } from '../service.js';
import type { BigQueryService } from '../service.js';
import type { BigQueryField } from '../sql/translate.js';
import { hasStorage, rowCount } from '../table-stats.js';
import { alterStorage, checkTableId, schemaChanges } from '../tables.js';
import { duckdbTableName, quoteIdent } from '../warehouse.js';
import type { TableId } from '../warehouse.js';

/** Where and how a job writes. */
export interface Destination {
  ref: TableId;
  createDisposition: string;
  writeDisposition: string;
  schemaUpdateOptions: string[];
  /** Metadata for a table the job creates (partitioning, clustering, description…). */
  tableOptions?: Partial<
    Pick<TableMeta, 'timePartitioning' | 'clustering' | 'description' | 'labels' | 'friendlyName'>
  >;
}

/** A table reference from a job configuration, checked. */
export function tableRefOf(value: unknown, what: string, defaultProjectId: string): TableId {
  const ref = (value ?? {}) as Record<string, unknown>;
  if (
    typeof ref.datasetId !== 'string' ||
    typeof ref.tableId !== 'string' ||
    ref.datasetId === '' ||
    ref.tableId === ''
  )
    throw invalid(`Required parameter is missing: ${what} (datasetId and tableId)`);
  checkTableId(ref.tableId);
  return {
    projectId: typeof ref.projectId === 'string' && ref.projectId !== '' ? ref.projectId : defaultProjectId,
    datasetId: ref.datasetId,
    tableId: ref.tableId,
  };
}

/** A disposition from a job configuration, checked against the allowed values. */
export function dispositionOf(
  value: unknown,
  allowed: readonly string[],
  fallback: string,
  name: string,
): string {
  if (value === undefined || value === null || value === '') return fallback;
  const text = textOf(value).toUpperCase();
  if (!allowed.includes(text))
    throw invalid(`Invalid value for ${name}: ${textOf(value)} (one of ${allowed.join(', ')})`);
  return text;
}

/**
 * A job's `destinationTable` with its create and write dispositions, checked; the write
 * disposition's default differs by job (WRITE_EMPTY for queries and copies, WRITE_APPEND for loads).
 */
export function destinationOf(
  config: Record<string, unknown>,
  defaultProjectId: string,
  defaultWrite: 'WRITE_EMPTY' | 'WRITE_APPEND',
): Pick<Destination, 'ref' | 'createDisposition' | 'writeDisposition'> {
  return {
    ref: tableRefOf(config.destinationTable, 'destinationTable', defaultProjectId),
    createDisposition: dispositionOf(
      config.createDisposition,
      ['CREATE_IF_NEEDED', 'CREATE_NEVER'],
      'CREATE_IF_NEEDED',
      'createDisposition',
    ),
    writeDisposition: dispositionOf(
      config.writeDisposition,
      ['WRITE_APPEND', 'WRITE_TRUNCATE', 'WRITE_EMPTY'],
      defaultWrite,
      'writeDisposition',
    ),
  };
}

/** The schema update options of a job configuration. */
export function schemaUpdateOptionsOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('schemaUpdateOptions must be a list');
  return value.map((option) => {
    const text = String(option).toUpperCase();
    if (text !== 'ALLOW_FIELD_ADDITION' && text !== 'ALLOW_FIELD_RELAXATION')
      throw invalid(
        `Invalid schemaUpdateOption: ${String(option)} (ALLOW_FIELD_ADDITION or ALLOW_FIELD_RELAXATION)`,
      );
    return text;
  });
}

/** The destination table as it will be before rows are written: existing, to create, or refused. */
export async function prepareDestination(
  service: BigQueryService,
  connection: DuckDBConnection,
  destination: Destination,
): Promise<TableMeta | undefined> {
  const { ref } = destination;
  requireDataset(service, ref.projectId, ref.datasetId);
  const existing = service.catalog.table(ref);
  if (existing === undefined) {
    if (destination.createDisposition === 'CREATE_NEVER')
      throw tableNotFound(ref.projectId, ref.datasetId, ref.tableId);
    return undefined;
  }
  if (existing.type !== 'TABLE')
    throw invalid(
      `Cannot write to ${tableLabel(ref)}: it is ${existing.type === 'VIEW' ? 'a view' : 'an external table'}`,
    );
  if (destination.writeDisposition === 'WRITE_EMPTY' && (await rowCount(connection, existing)) > 0)
    throw new BigQueryApiError('duplicate', `Already Exists: Table ${tableLabel(ref)}`);
  return existing;
}

/**
 * Writes the rows of `source` (a DuckDB relation whose columns are `fields`, by name) into the
 * destination; returns the number of rows written.
 */
export async function writeToDestination(
  service: BigQueryService,
  connection: DuckDBConnection,
  destination: Destination,
  source: string,
  fields: readonly BigQueryField[],
): Promise<number> {
  const existing = await prepareDestination(service, connection, destination);
  const { ref } = destination;
  const name = duckdbTableName(ref);
  const now = Date.now();
  const columns = fields.map((field) => quoteIdent(field.name)).join(', ');
  if (fields.length === 0) throw invalid(`Nothing to write to ${tableLabel(ref)}: the source has no columns`);

  if (existing === undefined || destination.writeDisposition === 'WRITE_TRUNCATE') {
    // A new table, or one replaced (rows and schema) by the job's.
    if (existing !== undefined && hasStorage(existing)) await connection.run(`DROP TABLE ${name}`);
    await connection.run(`CREATE TABLE ${name} (${duckdbColumns(fields)})`);
    const result = await connection.run(`INSERT INTO ${name} (${columns}) SELECT ${columns} FROM ${source}`);
    const meta: TableMeta = existing
      ? { ...existing, fields: [...fields], lastModifiedTime: now }
      : {
          ...ref,
          type: 'TABLE',
          fields: [...fields],
          creationTime: now,
          lastModifiedTime: now,
          ...destination.tableOptions,
        };
    service.catalog.putTable(meta);
    return result.rowsChanged;
  }

  // Appending: new fields need ALLOW_FIELD_ADDITION, REQUIRED ones missing from the rows need
  // ALLOW_FIELD_RELAXATION; the rows' columns are matched to the table's by name.
  const merged: BigQueryField[] = existing.fields.map((field) => {
    const incoming = fields.find((candidate) => candidate.name.toLowerCase() === field.name.toLowerCase());
    if (
      incoming !== undefined &&
      modeOf(field) === 'REQUIRED' &&
      modeOf(incoming) === 'NULLABLE' &&
      destination.schemaUpdateOptions.includes('ALLOW_FIELD_RELAXATION')
    )
      return { ...field, mode: 'NULLABLE' };
    return field;
  });
  for (const field of fields)
    if (!merged.some((candidate) => candidate.name.toLowerCase() === field.name.toLowerCase()))
      merged.push({ ...field, mode: modeOf(field) === 'REQUIRED' ? 'NULLABLE' : modeOf(field) });
  const changes = schemaChanges(existing.fields, merged, tableLabel(ref), {
    addition: destination.schemaUpdateOptions.includes('ALLOW_FIELD_ADDITION'),
    relaxation: destination.schemaUpdateOptions.includes('ALLOW_FIELD_RELAXATION'),
  });
  await alterStorage(connection, existing, merged, changes);
  const result = await connection.run(`INSERT INTO ${name} (${columns}) SELECT ${columns} FROM ${source}`);
  service.catalog.putTable({ ...existing, fields: merged, lastModifiedTime: now });
  return result.rowsChanged;
}
