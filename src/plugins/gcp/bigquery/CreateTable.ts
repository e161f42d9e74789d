import { defineTask, p } from '../../api.js';
import { bigqueryProps } from '../common.js';
import { createTable } from './run/tables.js';
import { TABLE_OUTPUTS } from './table-outputs.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.CreateTable',
  title: 'Create a BigQuery table',
  description: 'Creates a table, view, materialized view or external table in a dataset.',
  properties: {
    ...bigqueryProps(),
    dataset: p.string().required().describe('The dataset ID.'),
    table: p.string().required().describe('The table ID.'),
    tableDefinition: p
      .map(p.any(), { dynamic: false })
      .describe(
        'What to create: `{type: TABLE|VIEW|MATERIALIZED_VIEW|EXTERNAL, schema: {fields: […]}, standardTableDefinition | viewDefinition | materializedViewDefinition | externalTableDefinition}`.',
      ),
    friendlyName: p.string().describe('A display name for the table.'),
    description: p.string().describe('A description of the table.'),
    labels: p.map(p.string()).describe('Labels of the table, key → value.'),
    requirePartitionFilter: p
      .boolean()
      .describe('Require queries of this partitioned table to filter on the partition column.'),
    encryptionConfiguration: p
      .map(p.any(), { dynamic: false })
      .describe('Encryption of the table: `{kmsKeyName}`.'),
    expirationDuration: p.duration().describe('Delete the table this long after creation, e.g. `P30D`.'),
  },
  outputs: TABLE_OUTPUTS,
  examples: [
    {
      title: 'Create a clustered table',
      code: `- id: create_table
  type: io.kestra.plugin.gcp.bigquery.CreateTable
  projectId: my-project
  dataset: analytics
  table: customers
  tableDefinition:
    type: TABLE
    schema:
      fields:
        - name: id
          type: INT64
        - name: name
          type: STRING
    standardTableDefinition:
      clustering:
        - id
  friendlyName: Customers`,
    },
  ],
  async run(ctx, props) {
    return { outputs: await createTable(ctx, props) };
  },
});
