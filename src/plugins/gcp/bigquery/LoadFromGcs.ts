import { defineTask, p } from '../../api.js';
import {
  LOAD_OUTPUTS,
  checkGsUri,
  checkLoad,
  given,
  literalText,
  loadProps,
  qualifyTable,
} from '../common.js';
import { loadFromGcs } from './run/load.js';

const TYPE = 'io.kestra.plugin.gcp.bigquery.LoadFromGcs';

/**
 * A single `from` string becomes a one-item list, unless it is nothing but expressions: those
 * may render a list (Kestra's form), so they are left for the worker.
 */
function asList(from: unknown): unknown {
  if (typeof from !== 'string') return from;
  return literalText(from).trim() === '' && from.trim() !== '' ? from : [from];
}

export default defineTask({
  type: TYPE,
  aliases: ['io.kestra.plugin.gcp.bigquery.LoadFromGCS'],
  title: 'Load Cloud Storage files into BigQuery',
  description:
    'Runs a BigQuery load job from `gs://` files into `destinationTable`. The course notes write one `from` URI, and `dataset` + `table`; they become a list and `destinationTable: <dataset>.<table>`.',
  properties: {
    ...loadProps(),
    from: p
      .union(p.list(p.string()), p.string())
      .required()
      .describe(
        'The `gs://bucket/path` URIs to load; each may hold one `*` wildcard after the bucket. A single URI is accepted (course notes) and made a list.',
      ),
    dataset: p
      .string()
      .aliasOf('destinationTable')
      .describe(
        'Course-notes name: the dataset of `table`. Mapped onto `destinationTable: <dataset>.<table>`.',
      ),
    table: p
      .string()
      .aliasOf('destinationTable')
      .describe(
        'Course-notes name of `destinationTable`; with `dataset`, a bare table name becomes `<dataset>.<table>`.',
      ),
  },
  outputs: LOAD_OUTPUTS,
  examples: [
    {
      title: 'Load CSV files with a header line',
      code: `- id: load_trips
  type: io.kestra.plugin.gcp.bigquery.LoadFromGcs
  projectId: my-project
  from:
    - gs://my-bucket/raw/trips/*.csv
  destinationTable: analytics.trips_staging
  format: CSV
  csvOptions:
    skipLeadingRows: 1
    fieldDelimiter: ","
  writeDisposition: WRITE_TRUNCATE
  autodetect: true`,
    },
    {
      title: 'The course-notes form: one `from`, `dataset` and `table`',
      code: `- id: load_to_bigquery
  type: io.kestra.plugin.gcp.bigquery.LoadFromGCS
  projectId: "{{ kv('gcp_project_id') }}"
  dataset: "{{ kv('gcp_dataset') }}"
  table: taxi_trips_raw
  from: "gs://{{ kv('gcp_bucket_name') }}/raw/taxi_trips/*/data.csv"
  format: CSV
  csvOptions:
    skipLeadingRows: 1`,
    },
  ],
  check(props, report) {
    const { dataset, table, destinationTable } = props;
    if (given(table) && given(destinationTable)) {
      report(['table'], '`table` is the course-notes name of `destinationTable`; give only one of them', {
        atKey: true,
      });
    } else if (given(dataset) && !given(table)) {
      report(
        ['dataset'],
        '`dataset` (course notes) needs `table`; or write `destinationTable: <dataset>.<table>` instead',
        { atKey: true },
      );
    } else if (!given(table) && !given(destinationTable)) {
      report([], `missing required property \`destinationTable\` on ${TYPE}`, { code: 'WH_REQUIRED' });
    }
    checkGsUri(props, report, 'from');
    checkLoad(props, report);
  },
  normalize(props) {
    const { dataset, table, ...rest } = props;
    rest.from = asList(rest.from);
    if (given(table) && !given(rest.destinationTable)) rest.destinationTable = qualifyTable(table, dataset);
    return rest;
  },
  async run(ctx, props) {
    return { outputs: await loadFromGcs(ctx, props) };
  },
});
