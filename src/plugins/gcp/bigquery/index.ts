/** The BigQuery task and trigger types (`io.kestra.plugin.gcp.bigquery.*`). */
import type { PluginDefinition } from '../../api.js';
import BigQueryQuery from './Query.js';
import BigQueryLoadFromGcs from './LoadFromGcs.js';
import BigQueryLoad from './Load.js';
import BigQueryCreateDataset from './CreateDataset.js';
import BigQueryCreateTable from './CreateTable.js';
import BigQueryDeleteDataset from './DeleteDataset.js';
import BigQueryDeleteTable from './DeleteTable.js';
import BigQueryTableMetadata from './TableMetadata.js';
import BigQueryCopy from './Copy.js';
import BigQueryExtractToGcs from './ExtractToGcs.js';
import BigQueryTrigger from './Trigger.js';

export const BIGQUERY_PLUGINS: readonly PluginDefinition[] = [
  BigQueryQuery,
  BigQueryLoadFromGcs,
  BigQueryLoad,
  BigQueryCreateDataset,
  BigQueryCreateTable,
  BigQueryDeleteDataset,
  BigQueryDeleteTable,
  BigQueryTableMetadata,
  BigQueryCopy,
  BigQueryExtractToGcs,
  BigQueryTrigger,
];
