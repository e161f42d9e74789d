import { defineTask, p } from '../../api.js';
import { fetchProps } from '../../shared/fetch.js';
import type { ReportFn } from '../../api.js';
import { runQuery } from './run/query.js';
import {
  SCHEMA_UPDATE_OPTIONS,
  TIME_PARTITIONING_TYPES,
  bigqueryProps,
  createDisposition,
  given,
  qualifyTable,
  writeDisposition,
} from '../common.js';

/** Kestra's `@StoreFetchValidation` and `@StoreFetchDestinationValidation`, and `fetchType` overrides. */
function checkFetch(props: Record<string, unknown>, report: ReportFn): void {
  const on = (key: string) => props[key] === true;
  if ((on('fetch') || on('fetchOne')) && on('store')) {
    report(['store'], '`store` cannot be combined with `fetch` or `fetchOne`; use one `fetchType`', {
      atKey: true,
    });
  }
  const flag = ['fetch', 'store', 'fetchOne'].find(on);
  if (flag && (given(props.destinationTable) || given(props.destination))) {
    report([flag], `\`${flag}\` cannot be combined with a destination table; use \`fetchType\` instead`, {
      atKey: true,
    });
  }
  if (flag && given(props.fetchType)) {
    report(['fetchType'], `\`${flag}: true\` overrides \`fetchType\`; remove \`${flag}\``, {
      severity: 'warning',
      atKey: true,
    });
  }
}

export default defineTask({
  type: 'io.kestra.plugin.gcp.bigquery.Query',
  title: 'Run a BigQuery query',
  description:
    'Runs SQL in BigQuery, optionally writing the result to `destinationTable`, and outputs rows according to `fetchType`. The course notes write `dataset` (→ `defaultDataset`) and `destination` (→ `destinationTable`).',
  properties: {
    ...bigqueryProps(),
    sql: p.string().required().describe('The SQL to run (standard SQL unless `legacySql`).'),
    legacySql: p.boolean().default(false).describe("Use BigQuery's legacy SQL dialect."),
    ...fetchProps(),
    defaultDataset: p.string().describe('The dataset of table names written without one in the SQL.'),
    destinationTable: p
      .string()
      .describe('Write the result to this table, `dataset.table` or `project.dataset.table`.'),
    writeDisposition: writeDisposition(),
    createDisposition: createDisposition(),
    schemaUpdateOptions: p
      .list(p.enum(SCHEMA_UPDATE_OPTIONS))
      .describe('Schema changes the job may make to the destination table.'),
    clusteringFields: p.list(p.string()).describe('Columns that cluster the destination table.'),
    timePartitioningField: p.string().describe('The column that partitions the destination table by time.'),
    timePartitioningType: p
      .enum(TIME_PARTITIONING_TYPES)
      .default('DAY')
      .describe('The time partitioning granularity.'),
    rangePartitioningField: p
      .string()
      .describe('The integer column that partitions the destination table by range.'),
    rangePartitioningStart: p.integer().describe('The first value of range partitioning, inclusive.'),
    rangePartitioningEnd: p.integer().describe('The last value of range partitioning, exclusive.'),
    rangePartitioningInterval: p.integer({ min: 1 }).describe('The width of each range partition.'),
    priority: p
      .enum(['INTERACTIVE', 'BATCH'])
      .default('INTERACTIVE')
      .describe('`INTERACTIVE` runs at once; `BATCH` waits for idle capacity.'),
    allowLargeResults: p
      .boolean()
      .describe('Allow arbitrarily large results (legacy SQL; needs `destinationTable`).'),
    useQueryCache: p.boolean().describe('Answer from the query cache when possible.'),
    flattenResults: p
      .boolean()
      .default(true)
      .describe('Flatten nested and repeated fields (legacy SQL; `false` needs `allowLargeResults`).'),
    useLegacySql: p.boolean().default(false).describe('Same as `legacySql`.'),
    maximumBillingTier: p.integer({ min: 1 }).describe('Fail queries beyond this billing tier.'),
    maximumBytesBilled: p
      .integer({ min: 0 })
      .describe('Fail, without charge, a query that would bill more bytes.'),
    maxResults: p.integer({ min: 1 }).describe('Rows per page of results.'),
    jobTimeout: p.duration().describe('Ask BigQuery to stop the job after this long.'),
    labels: p.map(p.string()).describe('Labels of the job, key → value.'),
    dryRun: p
      .boolean()
      .default(false)
      .describe('Only validate the query and estimate its cost; nothing runs.'),
    dataset: p
      .string()
      .aliasOf('defaultDataset')
      .describe('Course-notes name of `defaultDataset`: the dataset of unqualified table names.'),
    destination: p
      .string()
      .aliasOf('destinationTable')
      .describe(
        'Course-notes name of `destinationTable`; a bare table name gets the dataset (`dataset`/`defaultDataset`) in front.',
      ),
  },
  outputs: {
    jobId: { type: 'string', description: 'The BigQuery job ID.' },
    row: { type: 'object', description: 'With `fetchType: FETCH_ONE`: the first row.' },
    rows: { type: 'array', description: 'With `fetchType: FETCH`: every row.' },
    uri: { type: 'string', description: 'With `fetchType: STORE`: the `kestra://` URI of a file of rows.' },
    size: { type: 'integer', description: 'How many rows were fetched or stored.' },
    destinationTable: {
      type: 'object',
      description: 'Where the result was written: `project`, `dataset`, `table`.',
    },
  },
  examples: [
    {
      title: 'Materialise a query into a table',
      code: `- id: daily_totals
  type: io.kestra.plugin.gcp.bigquery.Query
  projectId: my-project
  defaultDataset: analytics
  destinationTable: analytics.daily_totals
  writeDisposition: WRITE_TRUNCATE
  sql: |
    SELECT DATE(pickup_time) AS day, COUNT(*) AS trips
    FROM trips
    GROUP BY day`,
    },
    {
      title: 'Fetch rows for the next task',
      code: `id: bigquery_fetch
namespace: company.team
tasks:
  - id: fetch
    type: io.kestra.plugin.gcp.bigquery.Query
    fetchType: FETCH
    sql: SELECT 1 AS id, "John" AS name UNION ALL SELECT 2, "Doe"
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.fetch.rows }}"`,
    },
    {
      title: 'The course-notes form: `dataset` and `destination`',
      code: `- id: extract_yesterday
  type: io.kestra.plugin.gcp.bigquery.Query
  projectId: "{{ kv('gcp_project_id') }}"
  dataset: "{{ kv('gcp_dataset') }}"
  sql: SELECT * FROM \`raw.taxi_data\` WHERE DATE(pickup_time) = CURRENT_DATE() - 1
  destination: taxi_trips_raw`,
    },
  ],
  check(props, report) {
    if (given(props.dataset) && given(props.defaultDataset)) {
      report(['dataset'], '`dataset` is the course-notes name of `defaultDataset`; give only one of them', {
        atKey: true,
      });
    }
    if (given(props.destination) && given(props.destinationTable)) {
      report(
        ['destination'],
        '`destination` is the course-notes name of `destinationTable`; give only one of them',
        { atKey: true },
      );
    }
    checkFetch(props, report);
  },
  normalize(props) {
    const { dataset, destination, ...rest } = props;
    if (given(dataset) && !given(rest.defaultDataset)) rest.defaultDataset = dataset;
    if (given(destination) && !given(rest.destinationTable)) {
      rest.destinationTable = qualifyTable(destination, rest.defaultDataset);
    }
    return rest;
  },
  async run(ctx, props) {
    const { outputs } = await runQuery(ctx, props);
    return { outputs };
  },
});
