/**
 * Query jobs: the script is translated to DuckDB by the SQL translator and its statements run in
 * order, each in a transaction of its own under the warehouse's write lock (BigQuery's scripts are
 * not atomic either, but each statement is). A SELECT's rows go to the job's anonymous results
 * table or to the configured destination table; DDL updates the catalog once its DuckDB side has
 * committed; DML reports the rows it touched. A dry run translates and estimates, running nothing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableMeta } from '../catalog.js';
import { BigQueryApiError, datasetNotFound, invalid, tableNotFound, textOf } from '../errors.js';
import { externalConfigFromDdl, externalSpec } from '../external.js';
import { requireDataset, requireTable, resultsDatasetId, tableLabel } from '../service.js';
import type { BigQueryService } from '../service.js';
import { detectFields } from '../sources.js';
import { BigQuerySqlError, translateScript } from '../sql/translate.js';
import type { BigQueryField, TableRef, TranslatedStatement } from '../sql/translate.js';
import { bytesRead, rowCount } from '../table-stats.js';
import { describeFields, dropStorage } from '../tables.js';
import { EmulatorTranslateContext } from '../translate-context.js';
import { AsyncLock, duckdbTableName } from '../warehouse.js';
import type { TableId } from '../warehouse.js';
import { destinationOf, schemaUpdateOptionsOf, writeToDestination } from './destination.js';
import type { Destination } from './destination.js';
import { ensureResultsDataset, resultsTableOf } from './results.js';
import type { JobInput, JobOutcome, JobRun } from './types.js';

/**
 * Creating a project's hidden results dataset: one at a time (two transactions creating the same
 * DuckDB schema conflict), but not under the write lock, so a first query does not wait for a
 * long write.
 */
const resultsDatasetLock = new AsyncLock();

/** What a query statement did, for the job's statistics. */
interface StatementEffect {
  statementType: string;
  numDmlAffectedRows?: number;
  dml?: { operation: string; rows: number };
  ddl?: { operation: string; target: TableRef };
  /** For a statement returning rows: where they are, and their schema. */
  results?: { table: TableId; fields: BigQueryField[]; totalRows: number };
}

/** A context that resolves a table the catalog does not know to its native name (the statement fails at run time). */
class LenientTranslateContext extends EmulatorTranslateContext {
  override tableSource(ref: TableRef): string {
    try {
      return super.tableSource(ref);
    } catch (error) {
      if (error instanceof BigQuerySqlError && error.reason === 'notFound') return duckdbTableName(ref);
      throw error;
    }
  }
}

/** The configuration of a query job, checked. */
interface QueryConfig {
  query: string;
  defaultDatasetId?: string;
  defaultProjectId: string;
  destination?: Destination;
  maximumBytesBilled?: number;
}

function queryConfigOf(input: JobInput): QueryConfig {
  const config = input.config;
  if (typeof config.query !== 'string' || config.query.trim() === '')
    throw new BigQueryApiError('invalid', 'Required parameter is missing: query');
  if (config.useLegacySql === true)
    throw new BigQueryApiError(
      'invalidQuery',
      "Legacy SQL is not supported by Windhover's emulator: set useLegacySql to false (standard SQL)",
      'query',
    );
  if (Array.isArray(config.queryParameters) && config.queryParameters.length > 0)
    throw new BigQueryApiError(
      'invalidQuery',
      "Query parameters are not supported by Windhover's emulator",
      'query',
    );
  const result: QueryConfig = { query: config.query, defaultProjectId: input.projectId };
  const dataset = config.defaultDataset as { projectId?: unknown; datasetId?: unknown } | undefined;
  if (
    dataset !== undefined &&
    dataset !== null &&
    typeof dataset.datasetId === 'string' &&
    dataset.datasetId !== ''
  ) {
    result.defaultDatasetId = dataset.datasetId;
    if (typeof dataset.projectId === 'string' && dataset.projectId !== '')
      result.defaultProjectId = dataset.projectId;
  }
  if (config.destinationTable !== undefined && config.destinationTable !== null) {
    result.destination = {
      ...destinationOf(config, input.projectId, 'WRITE_EMPTY'),
      schemaUpdateOptions: schemaUpdateOptionsOf(config.schemaUpdateOptions),
      tableOptions: destinationTableOptions(config),
    };
  }
  if (
    config.maximumBytesBilled !== undefined &&
    config.maximumBytesBilled !== null &&
    config.maximumBytesBilled !== ''
  ) {
    const limit = Number(config.maximumBytesBilled);
    if (!Number.isFinite(limit) || limit < 0)
      throw invalid(`Invalid maximumBytesBilled: ${textOf(config.maximumBytesBilled)}`);
    result.maximumBytesBilled = limit;
  }
  return result;
}

function destinationTableOptions(config: Record<string, unknown>): Destination['tableOptions'] {
  const options: NonNullable<Destination['tableOptions']> = {};
  if (typeof config.timePartitioning === 'object' && config.timePartitioning !== null)
    options.timePartitioning = { type: 'DAY', ...(config.timePartitioning as Record<string, unknown>) };
  const clustering = config.clustering as { fields?: unknown } | undefined;
  if (clustering !== undefined && clustering !== null && Array.isArray(clustering.fields))
    options.clustering = { fields: clustering.fields.map(String) };
  return options;
}

/** Translates the script; `strict` refuses unknown tables at translation (with their position). */
function translate(
  service: BigQueryService,
  config: QueryConfig,
  strict: boolean,
): { statements: TranslatedStatement[]; reads: TableRef[] } {
  const context = strict
    ? new EmulatorTranslateContext(service, config.defaultProjectId, config.defaultDatasetId)
    : new LenientTranslateContext(service, config.defaultProjectId, config.defaultDatasetId);
  const statements = translateScript(config.query, context);
  if (statements.length === 0) throw new BigQueryApiError('invalidQuery', 'The query is empty', 'query');
  return { statements, reads: context.reads };
}

/**
 * The script's statements translated as the catalog is now. A table that an earlier statement of
 * the script creates is unknown until that statement ran: for a script of several statements,
 * each is translated again just before it runs (see `statementAt`).
 */
function translateNow(
  service: BigQueryService,
  config: QueryConfig,
): { statements: TranslatedStatement[]; reads: TableRef[] } {
  try {
    return translate(service, config, true);
  } catch (error) {
    if (!(error instanceof BigQuerySqlError) || error.reason !== 'notFound') throw error;
    const lenient = translate(service, config, false);
    if (lenient.statements.length === 1) throw error;
    return lenient;
  }
}

function statementTypeOf(statement: TranslatedStatement): string {
  switch (statement.kind) {
    case 'query':
      return 'SELECT';
    case 'dml':
      return statement.operation;
    case 'createTable':
      return statement.asSelect ? 'CREATE_TABLE_AS_SELECT' : 'CREATE_TABLE';
    case 'createExternalTable':
      return 'CREATE_EXTERNAL_TABLE';
    case 'dropTable':
      return 'DROP_TABLE';
    case 'createView':
      return 'CREATE_VIEW';
  }
}

/** The bytes the tables read weigh (each counted once), as BigQuery's totalBytesProcessed. */
async function estimateBytes(
  service: BigQueryService,
  connection: DuckDBConnection,
  reads: readonly TableRef[],
): Promise<number> {
  const seen = new Set<string>();
  let bytes = 0;
  for (const ref of reads) {
    const key = tableLabel(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const table = service.catalog.table(ref);
    if (table !== undefined) bytes += await bytesRead(service, connection, table);
  }
  return bytes;
}

/** Runs `work` in a write transaction whose connection the job can interrupt. */
async function inTransaction<T>(
  service: BigQueryService,
  run: JobRun,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  if (run.cancelled) throw new Error('cancelled');
  return service.warehouse.write(async (connection) => {
    run.connection = connection;
    try {
      if (run.cancelled) throw new Error('cancelled');
      return await work(connection);
    } finally {
      delete run.connection;
    }
  });
}

/**
 * Runs `work` in a transaction of its own without the write lock: for a SELECT that only creates
 * its own results table, which DuckDB lets run beside other writers (so reads do not queue behind
 * a long load or MERGE).
 */
async function inReadTransaction<T>(
  service: BigQueryService,
  run: JobRun,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  if (run.cancelled) throw new Error('cancelled');
  return service.warehouse.withConnection(async (connection) => {
    run.connection = connection;
    await connection.run('BEGIN TRANSACTION');
    try {
      if (run.cancelled) throw new Error('cancelled');
      const result = await work(connection);
      await connection.run('COMMIT');
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      delete run.connection;
    }
  });
}

/** Checks that a DML statement's target is a native table. */
function requireNativeTable(service: BigQueryService, ref: TableRef): TableMeta {
  const table = requireTable(service, ref);
  if (table.type !== 'TABLE')
    throw new BigQueryApiError(
      'invalidQuery',
      `Cannot modify ${tableLabel(ref)}: it is ${table.type === 'VIEW' ? 'a view' : 'an external table'}`,
      'query',
    );
  if (table.fields.length === 0)
    throw new BigQueryApiError('invalidQuery', `The table ${tableLabel(ref)} has no schema`, 'query');
  return table;
}

/** The table a CREATE replaces, or what CREATE does when the table exists (skip, or `duplicate`). */
function existingForCreate(
  service: BigQueryService,
  target: TableRef,
  flags: { orReplace: boolean; ifNotExists?: boolean },
): { skip: boolean; existing?: TableMeta } {
  requireDataset(service, target.projectId, target.datasetId);
  const existing = service.catalog.table(target);
  if (existing === undefined) return { skip: false };
  if (flags.ifNotExists === true) return { skip: true, existing };
  if (!flags.orReplace)
    throw new BigQueryApiError('duplicate', `Already Exists: Table ${tableLabel(target)}`, 'query');
  return { skip: false, existing };
}

function tableMetaOfCreate(
  statement: Extract<TranslatedStatement, { kind: 'createTable' }>,
  fields: BigQueryField[],
  existing: TableMeta | undefined,
): TableMeta {
  const now = Date.now();
  const meta: TableMeta = {
    ...statement.target,
    type: 'TABLE',
    fields,
    creationTime: existing?.creationTime ?? now,
    lastModifiedTime: now,
  };
  if (statement.partitioning !== undefined) {
    if ('timePartitioning' in statement.partitioning)
      meta.timePartitioning = { ...statement.partitioning.timePartitioning };
    else meta.rangePartitioning = { ...statement.partitioning.rangePartitioning };
  }
  if (statement.clustering !== undefined && statement.clustering.length > 0)
    meta.clustering = { fields: [...statement.clustering] };
  const options = statement.options ?? {};
  if (typeof options.description === 'string') meta.description = options.description;
  if (typeof options.friendly_name === 'string') meta.friendlyName = options.friendly_name;
  if (typeof options.labels === 'object' && options.labels !== null)
    meta.labels = Object.fromEntries(
      Object.entries(options.labels as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
    );
  return meta;
}

/** Runs one translated statement; returns what it did. */
async function runStatement(
  service: BigQueryService,
  input: JobInput,
  config: QueryConfig,
  statement: TranslatedStatement,
  run: JobRun,
  last: boolean,
): Promise<StatementEffect> {
  const statementType = statementTypeOf(statement);
  switch (statement.kind) {
    case 'query': {
      const destination = last ? config.destination : undefined;
      if (destination !== undefined)
        return inTransaction(service, run, async (connection) => {
          const fields = await describeFields(connection, `(${statement.sql})`);
          const rows = await writeToDestination(
            service,
            connection,
            destination,
            `(${statement.sql})`,
            fields,
          );
          const table = service.catalog.table(destination.ref);
          return {
            statementType,
            results: { table: destination.ref, fields: table?.fields ?? fields, totalRows: rows },
          };
        });
      // The results table, and the hidden dataset the first time, are made beside writers.
      if (service.catalog.dataset(input.projectId, resultsDatasetId) === undefined)
        await resultsDatasetLock.run(() =>
          service.warehouse.withConnection((connection) =>
            ensureResultsDataset(service, connection, input.projectId),
          ),
        );
      return inReadTransaction(service, run, async (connection) => {
        const ref = resultsTableOf(input.projectId, input.jobId);
        const name = duckdbTableName(ref);
        await connection.run(`CREATE OR REPLACE TABLE ${name} AS ${statement.sql}`);
        const fields = await describeFields(connection, name);
        const now = Date.now();
        const meta: TableMeta = { ...ref, type: 'TABLE', fields, creationTime: now, lastModifiedTime: now };
        service.catalog.putTable(meta);
        const totalRows = await rowCount(connection, meta);
        return { statementType, results: { table: ref, fields, totalRows } };
      });
    }
    case 'dml': {
      requireNativeTable(service, statement.target);
      return inTransaction(service, run, async (connection) => {
        const result = await connection.run(statement.sql);
        const table = service.catalog.table(statement.target);
        if (table !== undefined) service.catalog.putTable({ ...table, lastModifiedTime: Date.now() });
        const rows = result.rowsChanged;
        return { statementType, numDmlAffectedRows: rows, dml: { operation: statement.operation, rows } };
      });
    }
    case 'createTable': {
      const { skip, existing } = existingForCreate(service, statement.target, statement);
      if (skip) return { statementType, ddl: { operation: 'SKIP', target: statement.target } };
      return inTransaction(service, run, async (connection) => {
        if (existing !== undefined) await dropStorage(connection, existing);
        for (const sql of statement.sql) await connection.run(sql);
        const name = duckdbTableName(statement.target);
        const described = await describeFields(connection, name);
        // The declared schema keeps its descriptions and modes; CREATE … AS SELECT reports what it made.
        const fields = statement.schema ?? described;
        service.catalog.putTable(tableMetaOfCreate(statement, fields, existing));
        const effect: StatementEffect = {
          statementType,
          ddl: { operation: existing === undefined ? 'CREATE' : 'REPLACE', target: statement.target },
        };
        if (statement.asSelect)
          effect.numDmlAffectedRows = await rowCount(connection, {
            ...statement.target,
            type: 'TABLE',
            fields,
            creationTime: 0,
            lastModifiedTime: 0,
          });
        return effect;
      });
    }
    case 'createExternalTable': {
      const { skip, existing } = existingForCreate(service, statement.target, statement);
      if (skip) return { statementType, ddl: { operation: 'SKIP', target: statement.target } };
      const label = `The external table ${tableLabel(statement.target)}`;
      const definition = externalConfigFromDdl(
        statement.format,
        statement.uris,
        statement.options,
        statement.schema,
        label,
      );
      return inTransaction(service, run, async (connection) => {
        let fields = definition.schema?.fields;
        // Without a schema, BigQuery detects one from the objects when the table is defined.
        if (fields === undefined)
          fields = await detectFields(connection, externalSpec(service.objects, definition).spec);
        if (existing !== undefined) await dropStorage(connection, existing);
        const now = Date.now();
        service.catalog.putTable({
          ...statement.target,
          type: 'EXTERNAL',
          fields,
          externalDataConfiguration: definition,
          creationTime: existing?.creationTime ?? now,
          lastModifiedTime: now,
        });
        return {
          statementType,
          ddl: { operation: existing === undefined ? 'CREATE' : 'REPLACE', target: statement.target },
        };
      });
    }
    case 'dropTable': {
      const { target } = statement;
      if (service.catalog.dataset(target.projectId, target.datasetId) === undefined) {
        if (statement.ifExists) return { statementType, ddl: { operation: 'SKIP', target } };
        throw datasetNotFound(target.projectId, target.datasetId);
      }
      const existing = service.catalog.table(target);
      if (existing === undefined) {
        if (statement.ifExists) return { statementType, ddl: { operation: 'SKIP', target } };
        throw tableNotFound(target.projectId, target.datasetId, target.tableId);
      }
      return inTransaction(service, run, async (connection) => {
        await dropStorage(connection, existing);
        service.catalog.deleteTable(target);
        return { statementType, ddl: { operation: 'DROP', target } };
      });
    }
    case 'createView': {
      const { skip, existing } = existingForCreate(service, statement.target, statement);
      if (skip) return { statementType, ddl: { operation: 'SKIP', target: statement.target } };
      return inTransaction(service, run, async (connection) => {
        if (existing !== undefined) await dropStorage(connection, existing);
        for (const sql of statement.sql) await connection.run(sql);
        const fields = await describeFields(connection, duckdbTableName(statement.target));
        const now = Date.now();
        const meta: TableMeta = {
          ...statement.target,
          type: 'VIEW',
          fields,
          view: { query: config.query, useLegacySql: false },
          creationTime: existing?.creationTime ?? now,
          lastModifiedTime: now,
        };
        if (typeof statement.options?.description === 'string')
          meta.description = statement.options.description;
        service.catalog.putTable(meta);
        return {
          statementType,
          ddl: { operation: existing === undefined ? 'CREATE' : 'REPLACE', target: statement.target },
        };
      });
    }
  }
}

/** The schema a dry run reports: the last statement's, when it returns rows (best effort). */
async function dryRunSchema(
  service: BigQueryService,
  statement: TranslatedStatement | undefined,
): Promise<BigQueryField[] | undefined> {
  if (statement?.kind !== 'query') return undefined;
  try {
    return await service.warehouse.withConnection((connection) =>
      describeFields(connection, `(${statement.sql})`),
    );
  } catch {
    return undefined;
  }
}

function refsOf(reads: readonly TableRef[]): TableRef[] {
  const seen = new Map<string, TableRef>();
  for (const ref of reads)
    seen.set(tableLabel(ref), { projectId: ref.projectId, datasetId: ref.datasetId, tableId: ref.tableId });
  return [...seen.values()];
}

/** Runs a query job (or plans it, for a dry run). */
export async function runQuery(service: BigQueryService, input: JobInput, run: JobRun): Promise<JobOutcome> {
  const config = queryConfigOf(input);
  const first = translateNow(service, config);
  const bytes = await service.warehouse.withConnection((connection) =>
    estimateBytes(service, connection, first.reads),
  );
  const count = first.statements.length;
  const scriptType = count === 1 ? statementTypeOf(first.statements[0]!) : 'SCRIPT';
  const queryStatistics: Record<string, unknown> = {
    totalBytesProcessed: String(bytes),
    totalBytesBilled: String(input.dryRun ? 0 : bytes),
    cacheHit: false,
    statementType: scriptType,
    referencedTables: refsOf(first.reads),
  };
  if (config.maximumBytesBilled !== undefined && bytes > config.maximumBytesBilled)
    throw new BigQueryApiError(
      'bytesBilledLimitExceeded',
      `Query exceeded limit for bytes billed: ${config.maximumBytesBilled}. ${bytes} or higher required.`,
    );
  if (input.dryRun) {
    const schema = await dryRunSchema(service, first.statements[count - 1]);
    if (schema !== undefined) queryStatistics.schema = { fields: schema };
    return { statistics: { totalBytesProcessed: String(bytes), query: queryStatistics } };
  }

  let results: StatementEffect['results'];
  let affected: number | undefined;
  const dmlStats = { insertedRowCount: 0, updatedRowCount: 0, deletedRowCount: 0 };
  let lastDdl: StatementEffect['ddl'];
  for (let index = 0; index < count; index++) {
    if (run.cancelled) throw new Error('cancelled');
    // Later statements are translated again now: earlier ones may have created what they read.
    const statement = index === 0 ? first.statements[0]! : translateNow(service, config).statements[index];
    if (statement === undefined)
      throw new BigQueryApiError('invalidQuery', 'The script changed while it ran', 'query');
    const effect = await runStatement(service, input, config, statement, run, index === count - 1);
    if (effect.results !== undefined) results = effect.results;
    if (effect.numDmlAffectedRows !== undefined) affected = (affected ?? 0) + effect.numDmlAffectedRows;
    if (effect.dml !== undefined) {
      if (effect.dml.operation === 'INSERT') dmlStats.insertedRowCount += effect.dml.rows;
      else if (effect.dml.operation === 'UPDATE') dmlStats.updatedRowCount += effect.dml.rows;
      else if (effect.dml.operation === 'DELETE') dmlStats.deletedRowCount += effect.dml.rows;
      else dmlStats.insertedRowCount += effect.dml.rows; // MERGE: DuckDB reports one total
    }
    if (effect.ddl !== undefined) lastDdl = effect.ddl;
  }

  if (affected !== undefined) queryStatistics.numDmlAffectedRows = String(affected);
  if (first.statements.some((statement) => statement.kind === 'dml'))
    queryStatistics.dmlStats = {
      insertedRowCount: String(dmlStats.insertedRowCount),
      updatedRowCount: String(dmlStats.updatedRowCount),
      deletedRowCount: String(dmlStats.deletedRowCount),
    };
  if (lastDdl !== undefined) {
    queryStatistics.ddlOperationPerformed = lastDdl.operation;
    queryStatistics.ddlTargetTable = lastDdl.target;
  }
  const outcome: JobOutcome = { statistics: { totalBytesProcessed: String(bytes), query: queryStatistics } };
  if (results !== undefined) {
    queryStatistics.schema = { fields: results.fields };
    queryStatistics.totalRows = String(results.totalRows);
    outcome.results = results;
    outcome.configuration = { destinationTable: results.table };
  }
  return outcome;
}
