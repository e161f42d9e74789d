import { defineTask, p } from '../../api.js';
import { bigqueryProps } from '../common.js';
import { deleteDataset } from './run/datasets.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.DeleteDataset',
  title: 'Delete a BigQuery dataset',
  description:
    'Deletes a dataset. It must be empty unless `deleteContents` is true, which deletes its tables with it.',
  properties: {
    ...bigqueryProps(),
    name: p.string().required().describe('The dataset ID (`dataset` or `project.dataset`).'),
    deleteContents: p
      .boolean()
      .default(false)
      .describe(
        'Delete the tables of the dataset too; otherwise a dataset that holds tables is not deleted.',
      ),
  },
  outputs: {
    dataset: { type: 'string', description: 'The dataset ID.' },
    project: { type: 'string', description: 'The project ID.' },
  },
  examples: [
    {
      title: 'Delete a dataset and its tables',
      code: `- id: drop_dataset
  type: io.kestra.plugin.gcp.bigquery.DeleteDataset
  name: staging
  deleteContents: true`,
    },
  ],
  async run(ctx, props) {
    return { outputs: await deleteDataset(ctx, props) };
  },
});
