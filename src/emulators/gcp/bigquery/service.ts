/**
 * What every part of the BigQuery emulator shares: the metadata catalog, the DuckDB warehouse, the
 * object store (for gs:// URIs), and the lookups with BigQuery's errors (`notFound` for a missing
 * dataset or table).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from './catalog.js';
import type { DatasetMeta, TableMeta } from './catalog.js';
import { datasetNotFound, tableNotFound } from './errors.js';
import { Warehouse } from './warehouse.js';
import type { TableId } from './warehouse.js';
import type { ObjectStore } from '../storage/object-store.js';

/** The dataset holding the results of queries without a destination table (hidden, as BigQuery's anonymous datasets). */
export const resultsDatasetId = '_query_results';

/** The shared state of the emulator. */
export interface BigQueryService {
  catalog: Catalog;
  warehouse: Warehouse;
  objects: ObjectStore;
  /** Where temporary files (uploads, extracts) go. */
  tempDir: string;
}

/** Opens the catalog and the DuckDB file under `dataDir`. */
export async function openService(dataDir: string, objects: ObjectStore): Promise<BigQueryService> {
  mkdirSync(dataDir, { recursive: true });
  const tempDir = join(dataDir, 'tmp');
  mkdirSync(tempDir, { recursive: true });
  const catalog = Catalog.open(join(dataDir, 'metadata.sqlite'));
  let warehouse: Warehouse;
  try {
    warehouse = await Warehouse.open(join(dataDir, 'warehouse.duckdb'));
  } catch (error) {
    catalog.close();
    // DuckDB locks its file: the usual cause is a second emulator on the same --data folder.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `Cannot open the BigQuery tables in ${dataDir} (${reason}); is another gcp-emulator using this data folder?`,
      { cause: error },
    );
  }
  return { catalog, warehouse, objects, tempDir };
}

/** The dataset, or BigQuery's `notFound`. */
export function requireDataset(service: BigQueryService, projectId: string, datasetId: string): DatasetMeta {
  const dataset = service.catalog.dataset(projectId, datasetId);
  if (dataset === undefined) throw datasetNotFound(projectId, datasetId);
  return dataset;
}

/** The table, or BigQuery's `notFound` (for its dataset first, as BigQuery says). */
export function requireTable(service: BigQueryService, ref: TableId): TableMeta {
  requireDataset(service, ref.projectId, ref.datasetId);
  const table = service.catalog.table(ref);
  if (table === undefined) throw tableNotFound(ref.projectId, ref.datasetId, ref.tableId);
  return table;
}

/** `p:d.t`, as BigQuery names a table in messages. */
export function tableLabel(ref: TableId): string {
  return `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
}
