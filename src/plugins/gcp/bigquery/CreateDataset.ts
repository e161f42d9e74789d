import { defineTask, p } from '../../api.js';
import { IF_EXISTS, bigqueryProps } from '../common.js';
import { createDataset } from './run/datasets.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.CreateDataset',
  title: 'Create a BigQuery dataset',
  description: 'Creates a dataset; `ifExists` says what to do when it already exists (fail by default).',
  properties: {
    ...bigqueryProps(),
    name: p.string().required().describe('The dataset ID.'),
    ifExists: p
      .enum(IF_EXISTS)
      .default('ERROR')
      .describe('When the dataset exists: `ERROR` fail, `UPDATE` apply these settings, `SKIP` leave it.'),
    description: p.string().describe('A description of the dataset.'),
    friendlyName: p.string().describe('A display name for the dataset.'),
    labels: p.map(p.string()).describe('Labels of the dataset, key → value.'),
    acl: p
      .list(p.map(p.any()))
      .describe(
        'Access entries `{entity: {type: USER|GROUP|DOMAIN|IAM_MEMBER, value}, role: READER|WRITER|OWNER}`.',
      ),
    defaultTableLifetime: p
      .integer({ min: 3600000 })
      .describe('Default lifetime of new tables, in milliseconds (at least one hour).'),
    defaultPartitionExpirationMs: p
      .integer({ min: 0 })
      .describe('Default expiration of partitions of new partitioned tables, in milliseconds.'),
    defaultEncryptionConfiguration: p
      .map(p.any())
      .describe('Default encryption of new tables: `{kmsKeyName}`.'),
  },
  outputs: {
    dataset: { type: 'string', description: 'The dataset ID.' },
    project: { type: 'string', description: 'The project ID.' },
    friendlyName: { type: 'string', description: 'The display name.' },
    description: { type: 'string', description: 'The description.' },
    location: { type: 'string', description: 'Where the dataset lives.' },
  },
  examples: [
    {
      title: 'Create a dataset unless it exists',
      code: `- id: create_dataset
  type: io.kestra.plugin.gcp.bigquery.CreateDataset
  name: analytics_warehouse
  location: EU
  ifExists: SKIP`,
    },
  ],
  async run(ctx, props) {
    return { outputs: await createDataset(ctx, props) };
  },
});
