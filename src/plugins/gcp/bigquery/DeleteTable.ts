import { defineTask, p } from '../../api.js';
import { bigqueryProps } from '../common.js';
import { deleteTable } from './run/tables.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.DeleteTable',
  title: 'Delete a BigQuery table',
  description: 'Deletes a table, view or external table, or one partition of a table (`table$20240101`).',
  properties: {
    ...bigqueryProps(),
    dataset: p.string().required().describe('The dataset ID.'),
    table: p.string().required().describe('The table ID, or a partition of it (`my_table$20240101`).'),
  },
  outputs: {
    projectId: { type: 'string', description: 'The project ID.' },
    datasetId: { type: 'string', description: 'The dataset ID.' },
    table: { type: 'string', description: 'The table ID.' },
  },
  examples: [
    {
      title: 'Delete a staging table',
      code: `- id: drop_staging
  type: io.kestra.plugin.gcp.bigquery.DeleteTable
  projectId: my-project
  dataset: analytics
  table: trips_staging`,
    },
  ],
  async run(ctx, props) {
    return { outputs: await deleteTable(ctx, props) };
  },
});
