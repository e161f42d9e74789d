import { defineTrigger, p } from '../../api.js';
import { fetchProps } from '../../shared/fetch.js';
import { bigqueryProps } from '../common.js';
import { resultSize, runQuery } from './run/query.js';

export default defineTrigger({
  type: 'io.kestra.plugin.gcp.bigquery.Trigger',
  title: 'Start a flow when a BigQuery query returns rows',
  description:
    'Runs a query every `interval`; when it returns at least one row, starts one execution whose `trigger` variables are the query outputs (`trigger.rows`, `trigger.row`, `trigger.uri`, `trigger.size`, `trigger.jobId`, as `fetchType` asks). The query should select only what is new (e.g. rows not yet marked as processed), since each poll that finds rows starts an execution.',
  properties: {
    ...bigqueryProps(),
    interval: p
      .duration({ dynamic: false })
      .default('PT1M')
      .describe('How long between two polls; at least PT30S is advised for a remote BigQuery.'),
    sql: p.string().required().describe('The query (standard SQL unless `legacySql`).'),
    legacySql: p
      .boolean()
      .default(false)
      .describe("Use BigQuery's legacy SQL dialect (not on the emulator)."),
    ...fetchProps(),
  },
  outputs: {
    jobId: { type: 'string', description: 'The BigQuery job ID of the poll that fired.' },
    row: { type: 'object', description: 'With `fetchType: FETCH_ONE`: the first row.' },
    rows: { type: 'array', description: 'With `fetchType: FETCH`: every row.' },
    uri: { type: 'string', description: 'With `fetchType: STORE`: the `kestra://` URI of a file of rows.' },
    size: { type: 'integer', description: 'How many rows the query returned.' },
  },
  examples: [
    {
      title: 'Wait for rows and loop over them',
      code: `id: bigquery_listen
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ trigger.rows ?? [] }}"
    tasks:
      - id: return
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
triggers:
  - id: watch
    type: io.kestra.plugin.gcp.bigquery.Trigger
    interval: PT5M
    sql: SELECT * FROM \`myproject.mydataset.mytable\` WHERE processed = FALSE
    fetchType: FETCH`,
    },
  ],
  async poll(ctx, props) {
    const run = await runQuery(ctx, props);
    const size = await resultSize(run);
    if (size === 0) {
      // Nothing to fire for: the (empty) stored file would belong to no execution.
      if (typeof run.outputs.uri === 'string') await ctx.storage.delete(run.outputs.uri).catch(() => false);
      ctx.logger.debug(`BigQuery trigger: no rows (job ${String(run.outputs.jobId)})`);
      return {};
    }
    ctx.logger.info(`BigQuery trigger: ${size} rows (job ${String(run.outputs.jobId)})`);
    return { fire: { variables: { ...run.outputs, size } } };
  },
});
