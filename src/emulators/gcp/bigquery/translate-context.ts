/**
 * The emulator's side of the SQL translator: how a BigQuery table name becomes DuckDB SQL. A
 * native table or view is its quoted `"project.dataset"."table"`; an external table is an
 * expression reading its objects, resolved now (so a wildcard sees the objects there at query
 * time). The tables a query reads are noted, for its `totalBytesProcessed`.
 */
import { externalReadExpression } from './external.js';
import type { BigQueryService } from './service.js';
import { BigQuerySqlError } from './sql/translate.js';
import type { TableRef, TranslateContext } from './sql/translate.js';
import { duckdbTableName } from './warehouse.js';

/** A TranslateContext over the emulator's catalog. */
export class EmulatorTranslateContext implements TranslateContext {
  /** The tables (and external tables) read by the translated statements, in order. */
  readonly reads: TableRef[] = [];

  constructor(
    private readonly service: BigQueryService,
    readonly defaultProjectId: string,
    readonly defaultDatasetId?: string,
  ) {}

  tableSource(ref: TableRef): string {
    if (this.service.catalog.dataset(ref.projectId, ref.datasetId) === undefined)
      throw new BigQuerySqlError(
        'notFound',
        `Not found: Dataset ${ref.projectId}:${ref.datasetId} was not found in location US`,
        0,
        0,
      );
    const table = this.service.catalog.table(ref);
    if (table === undefined)
      throw new BigQuerySqlError(
        'notFound',
        `Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId} was not found in location US`,
        0,
        0,
      );
    this.reads.push(ref);
    if (table.type === 'EXTERNAL' && table.externalDataConfiguration !== undefined)
      return externalReadExpression(this.service.objects, table.externalDataConfiguration, table.fields);
    return duckdbTableName(ref);
  }

  tableName(ref: TableRef): string {
    return duckdbTableName(ref);
  }
}
