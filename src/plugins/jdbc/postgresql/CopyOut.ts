import { defineTask, p } from '../../api.js';
import { checkCopyOptions, checkUrl, copyProps } from '../common.js';

const TYPE = 'io.kestra.plugin.jdbc.postgresql.CopyOut';

export default defineTask({
  type: TYPE,
  title: 'Export a PostgreSQL table or query to a file',
  description:
    "Writes a table, or the result of `sql`, to a TEXT, CSV or BINARY file in internal storage with PostgreSQL's `COPY … TO STDOUT`.",
  properties: {
    ...copyProps(),
    sql: p
      .string()
      .describe(
        'A SELECT, VALUES, or INSERT/UPDATE/DELETE … RETURNING whose result is copied; used instead of `table`.',
      ),
  },
  outputs: {
    uri: { type: 'string', description: 'The `kestra://` URI of the written file.' },
    rowCount: { type: 'integer', description: 'How many rows were copied.' },
  },
  examples: [
    {
      title: 'Export a query to CSV',
      code: `- id: export
  type: io.kestra.plugin.jdbc.postgresql.CopyOut
  url: jdbc:postgresql://localhost:5432/world
  username: "{{ secret('POSTGRES_USERNAME') }}"
  password: "{{ secret('POSTGRES_PASSWORD') }}"
  sql: SELECT * FROM country LIMIT 10
  format: CSV
  header: true
  delimiter: ","`,
    },
  ],
  run: async (ctx, props) => (await import('./run/copy.js')).runCopyOut(ctx, props),
  check(props, report) {
    checkUrl(props, report, 'postgresql', TYPE, 'CopyOut');
    checkCopyOptions(props, report, 'out');
    const has = (key: string) => props[key] !== undefined && props[key] !== null;
    if (!has('table') && !has('sql')) {
      report([], `\`${TYPE}\` needs \`table\` or \`sql\`: what to copy`, { code: 'WH_REQUIRED' });
    } else if (has('table') && has('sql')) {
      report(['table'], '`table` is ignored when `sql` is given; remove one of them', {
        severity: 'warning',
        atKey: true,
      });
    }
  },
});
