import { defineTask, p } from '../../api.js';
import { bigqueryProps, checkGsUri } from '../common.js';
import { extractToGcs } from './run/transfer.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.ExtractToGcs',
  title: 'Extract a BigQuery table to Cloud Storage',
  description: 'Runs an extract job writing a table to `gs://` files (CSV by default).',
  properties: {
    ...bigqueryProps(),
    sourceTable: p
      .string()
      .required()
      .describe('The table to extract: `dataset.table` or `project.dataset.table`.'),
    destinationUris: p
      .list(p.string())
      .required()
      .describe('The `gs://bucket/path` URIs to write; a `*` in a name lets BigQuery split large tables.'),
    format: p
      .enum(['CSV', 'JSON', 'NEWLINE_DELIMITED_JSON', 'AVRO', 'PARQUET'])
      .describe('The file format; default CSV (JSON means newline-delimited JSON).'),
    compression: p
      .enum(['NONE', 'GZIP', 'DEFLATE', 'SNAPPY', 'ZSTD'])
      .describe('Compress the files; default none.'),
    fieldDelimiter: p.string().describe('The CSV column separator; default `,`.'),
    printHeader: p.boolean().describe('Write a header line in CSV files; default true.'),
    useAvroLogicalTypes: p.boolean().describe('Write Avro logical types (e.g. TIMESTAMP) for AVRO files.'),
    labels: p.map(p.string()).describe('Labels of the job, key → value.'),
    jobTimeoutMs: p
      .integer({ min: 1 })
      .describe('Ask BigQuery to stop the job after this many milliseconds.'),
  },
  outputs: {
    jobId: { type: 'string', description: 'The BigQuery job ID.' },
    sourceTable: { type: 'string', description: 'The extracted table, `project.dataset.table`.' },
    destinationUris: { type: 'array', description: 'The URIs written.' },
    fileCounts: { type: 'array', description: 'How many files each destination URI became.' },
  },
  examples: [
    {
      title: 'Extract a table to a CSV file',
      code: `- id: extract_to_gcs
  type: io.kestra.plugin.gcp.bigquery.ExtractToGcs
  destinationUris:
    - gs://bucket_name/filename.csv
  sourceTable: my_project.my_dataset.my_table
  format: CSV
  fieldDelimiter: ";"
  printHeader: true`,
    },
  ],
  check(props, report) {
    checkGsUri(props, report, 'destinationUris');
  },
  async run(ctx, props) {
    return { outputs: await extractToGcs(ctx, props) };
  },
});
