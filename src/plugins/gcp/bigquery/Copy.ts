import { defineTask, p } from '../../api.js';
import { bigqueryProps, createDisposition, writeDisposition } from '../common.js';
import { copyTables } from './run/transfer.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.Copy',
  title: 'Copy BigQuery tables',
  description: 'Runs a copy job: one or more tables (or partitions) into a destination table.',
  properties: {
    ...bigqueryProps(),
    sourceTables: p
      .list(p.string())
      .required()
      .describe(
        'The tables (or partitions, `table$20240101`) to copy: `dataset.table` or `project.dataset.table`.',
      ),
    destinationTable: p.string().required().describe('The table to copy into.'),
    operationType: p
      .enum(['COPY', 'SNAPSHOT', 'RESTORE', 'CLONE'])
      .default('COPY')
      .describe('`COPY` a table, take a `SNAPSHOT`, `RESTORE` a snapshot, or `CLONE` a table.'),
    writeDisposition: writeDisposition(),
    createDisposition: createDisposition(),
    labels: p.map(p.string()).describe('Labels of the job, key → value.'),
    dryRun: p.boolean().default(false).describe('Only validate the job; nothing is copied.'),
    jobTimeout: p.duration().describe('Ask BigQuery to stop the job after this long.'),
  },
  outputs: {
    jobId: { type: 'string', description: 'The BigQuery job ID.' },
  },
  examples: [
    {
      title: 'Copy a table',
      code: `- id: copy
  type: io.kestra.plugin.gcp.bigquery.Copy
  operationType: COPY
  sourceTables:
    - my_project.my_dataset.my_table
  destinationTable: my_project.my_dataset.my_table_copy
  writeDisposition: WRITE_TRUNCATE`,
    },
  ],
  async run(ctx, props) {
    return { outputs: await copyTables(ctx, props) };
  },
});
