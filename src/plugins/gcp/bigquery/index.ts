/** The BigQuery task and trigger types (`io.kestra.plugin.gcp.bigquery.*`). */
import type { PluginDefinition } from '../../api.js';
import BigQueryQuery from './Query.js';
import BigQueryLoadFromGcs from './LoadFromGcs.js';
import BigQueryLoad from './Load.js';
import BigQueryCreateDataset from './CreateDataset.js';
import BigQueryCreateTable from './CreateTable.js';

export const BIGQUERY_PLUGINS: readonly PluginDefinition[] = [
  BigQueryQuery,
  BigQueryLoadFromGcs,
  BigQueryLoad,
  BigQueryCreateDataset,
  BigQueryCreateTable,
];
