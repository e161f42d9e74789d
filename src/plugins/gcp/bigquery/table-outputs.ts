/** The outputs of the tasks that describe a table (CreateTable, TableMetadata): Kestra's table output. */
import type { OutputDoc } from '../../api.js';

export const TABLE_OUTPUTS: Record<string, OutputDoc> = {
  projectId: { type: 'string', description: 'The project ID.' },
  datasetId: { type: 'string', description: 'The dataset ID.' },
  table: { type: 'string', description: 'The table ID.' },
  etag: { type: 'string', description: 'The version tag of the table resource.' },
  friendlyName: { type: 'string', description: 'The display name.' },
  description: { type: 'string', description: 'The description.' },
  labels: { type: 'object', description: 'Labels of the table, key → value.' },
  creationTime: { type: 'string', description: 'When the table was created (ISO-8601).' },
  lastModifiedTime: { type: 'string', description: 'When the table last changed (ISO-8601).' },
  expirationTime: { type: 'string', description: 'When the table expires (ISO-8601), or null.' },
  numRows: { type: 'integer', description: 'How many rows the table holds.' },
  numBytes: { type: 'integer', description: 'How many bytes the table holds.' },
  location: { type: 'string', description: 'Where the table lives.' },
  requirePartitionFilter: {
    type: 'boolean',
    description: 'Whether queries must filter on the partition column.',
  },
  definition: {
    type: 'object',
    description:
      'What the table is: `type` (TABLE, VIEW…), `schema`, and its view, partitioning or external definition.',
  },
};
