/** The gcp plugins: Cloud Storage (`gcs.*`) and BigQuery (`bigquery.*`), with the course-notes aliases. */
import type { PluginDefinition } from '../api.js';
import { BIGQUERY_PLUGINS } from './bigquery/index.js';
import { GCS_PLUGINS } from './gcs/index.js';

export const GCP_PLUGINS: readonly PluginDefinition[] = [...GCS_PLUGINS, ...BIGQUERY_PLUGINS];
