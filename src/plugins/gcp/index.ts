/** The gcp plugins: Cloud Storage (`gcs.*`) and BigQuery (`bigquery.*`), with the course-notes aliases. */
import type { PluginDefinition } from '../api.js';
import GcsUpload from './gcs/Upload.js';
import GcsDownload from './gcs/Download.js';
import GcsCopy from './gcs/Copy.js';
import GcsCreateBucket from './gcs/CreateBucket.js';
import GcsList from './gcs/List.js';
import GcsDelete from './gcs/Delete.js';
import BigQueryQuery from './bigquery/Query.js';
import BigQueryLoadFromGcs from './bigquery/LoadFromGcs.js';
import BigQueryLoad from './bigquery/Load.js';
import BigQueryCreateDataset from './bigquery/CreateDataset.js';
import BigQueryCreateTable from './bigquery/CreateTable.js';

export const GCP_PLUGINS: readonly PluginDefinition[] = [
  GcsUpload,
  GcsDownload,
  GcsCopy,
  GcsCreateBucket,
  GcsList,
  GcsDelete,
  BigQueryQuery,
  BigQueryLoadFromGcs,
  BigQueryLoad,
  BigQueryCreateDataset,
  BigQueryCreateTable,
];
