import { defineTask, p } from '../../api.js';
import { bigqueryProps } from '../common.js';
import { tableMetadata } from './run/tables.js';
import { TABLE_OUTPUTS } from './table-outputs.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.TableMetadata',
  title: 'Read the metadata of a BigQuery table',
  description: 'Outputs what a table is: its schema, row count, size, partitioning, labels and times.',
  properties: {
    ...bigqueryProps(),
    dataset: p.string().required().describe('The dataset ID.'),
    table: p.string().required().describe('The table ID.'),
    ifNotExists: p
      .enum(['ERROR', 'SKIP'])
      .default('ERROR')
      .describe('When the table does not exist: `ERROR` fail, `SKIP` succeed without outputs.'),
  },
  outputs: TABLE_OUTPUTS,
  examples: [
    {
      title: 'Read how many rows a table holds',
      code: `id: gcp_bq_table_metadata
namespace: company.team
tasks:
  - id: metadata
    type: io.kestra.plugin.gcp.bigquery.TableMetadata
    projectId: my-project
    dataset: analytics
    table: trips
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.metadata.numRows }} rows"`,
    },
  ],
  async run(ctx, props) {
    return { outputs: await tableMetadata(ctx, props) };
  },
});
