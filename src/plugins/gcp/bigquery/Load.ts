import { defineTask, p } from '../../api.js';
import { LOAD_OUTPUTS, checkLoad, loadProps } from '../common.js';
import { loadFromFile } from './run/load.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.Load',
  title: 'Load a file into BigQuery',
  description: 'Streams a file from internal storage into a BigQuery load job writing `destinationTable`.',
  properties: {
    ...loadProps(),
    from: p
      .string()
      .required()
      .describe('The file to load: a `kestra://` URI, e.g. `{{ outputs.download.uri }}`.'),
    destinationTable: p
      .string()
      .required()
      .describe('The table to load into: `dataset.table` or `project.dataset.table`.'),
    failedOnEmpty: p.boolean().default(true).describe('Fail when the file is empty (else load nothing).'),
  },
  outputs: LOAD_OUTPUTS,
  examples: [
    {
      title: 'Load an uploaded CSV file',
      code: `id: bigquery_load
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: load
    type: io.kestra.plugin.gcp.bigquery.Load
    from: "{{ inputs.file }}"
    destinationTable: my_project.my_dataset.my_table
    format: CSV
    csvOptions:
      fieldDelimiter: ";"`,
    },
  ],
  check(props, report) {
    checkLoad(props, report);
  },
  async run(ctx, props) {
    return { outputs: await loadFromFile(ctx, props) };
  },
});
