/**
 * Copy jobs: one or more native source tables (of one schema) into a destination table, with the
 * write and create dispositions (BigQuery's default for copies is WRITE_EMPTY), in one transaction.
 */
import { BigQueryApiError, invalid } from '../errors.js';
import { requireTable, tableLabel } from '../service.js';
import type { BigQueryService } from '../service.js';
import { estimatedRowBytes } from '../table-stats.js';
import { duckdbTableName, quoteIdent } from '../warehouse.js';
import type { TableId } from '../warehouse.js';
import { destinationOf, tableRefOf, writeToDestination } from './destination.js';
import type { Destination } from './destination.js';
import type { JobInput, JobOutcome, JobRun } from './types.js';

/** Runs a copy job. */
export async function runCopy(service: BigQueryService, input: JobInput, run: JobRun): Promise<JobOutcome> {
  const config = input.config;
  const operation = typeof config.operationType === 'string' ? config.operationType.toUpperCase() : 'COPY';
  if (operation !== 'COPY')
    throw invalid(`Copy operation ${operation} is not supported by the emulator (COPY only)`);
  const rawSources: unknown[] = Array.isArray(config.sourceTables)
    ? config.sourceTables
    : config.sourceTable !== undefined && config.sourceTable !== null
      ? [config.sourceTable]
      : [];
  if (rawSources.length === 0) throw invalid('Required parameter is missing: sourceTable');
  const sources: TableId[] = rawSources.map((raw) => tableRefOf(raw, 'sourceTable', input.projectId));
  const tables = sources.map((ref) => {
    const table = requireTable(service, ref);
    if (table.type !== 'TABLE')
      throw invalid(
        `Cannot copy ${tableLabel(ref)}: it is ${table.type === 'VIEW' ? 'a view' : 'an external table'}`,
      );
    return table;
  });
  const fields = tables[0]!.fields;
  const signature = (table: (typeof tables)[number]) =>
    JSON.stringify(
      table.fields.map((field) => [field.name.toLowerCase(), field.type, field.mode ?? 'NULLABLE']),
    );
  for (const table of tables.slice(1))
    if (signature(table) !== signature(tables[0]!))
      throw invalid(`Cannot copy ${tableLabel(table)} with ${tableLabel(tables[0]!)}: their schemas differ`);
  const destination: Destination = {
    ...destinationOf(config, input.projectId, 'WRITE_EMPTY'),
    schemaUpdateOptions: [],
    tableOptions: {},
  };
  const first = tables[0]!;
  if (first.description !== undefined && first.description !== null)
    destination.tableOptions!.description = first.description;
  if (first.timePartitioning !== undefined)
    destination.tableOptions!.timePartitioning = first.timePartitioning;
  if (first.clustering !== undefined) destination.tableOptions!.clustering = first.clustering;
  if (sources.some((ref) => tableLabel(ref) === tableLabel(destination.ref)))
    throw invalid(`Cannot copy ${tableLabel(destination.ref)} onto itself`);

  if (run.cancelled) throw new Error('cancelled');
  const copied = await service.warehouse.write(async (connection) => {
    run.connection = connection;
    try {
      if (fields.length === 0) return 0;
      const columns = fields.map((field) => quoteIdent(field.name)).join(', ');
      const source = `(${tables.map((table) => `SELECT ${columns} FROM ${duckdbTableName(table)}`).join(' UNION ALL ')})`;
      return await writeToDestination(service, connection, destination, source, fields);
    } catch (error) {
      if (error instanceof BigQueryApiError) throw error;
      throw invalid(
        `Copy into ${tableLabel(destination.ref)} failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      );
    } finally {
      delete run.connection;
    }
  });
  return {
    statistics: {
      copy: { copiedRows: String(copied), copiedLogicalBytes: String(copied * estimatedRowBytes(fields)) },
    },
  };
}
