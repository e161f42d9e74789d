import { defineTask, p } from '../../api.js';
import { checkCopyOptions, checkUrl, copyProps } from '../common.js';

const TYPE = 'io.kestra.plugin.jdbc.postgresql.CopyIn';

export default defineTask({
  type: TYPE,
  title: 'Load a file into a PostgreSQL table',
  description:
    "Streams a TEXT, CSV or BINARY file from internal storage into a table with PostgreSQL's `COPY … FROM STDIN`, without loading it in memory.",
  properties: {
    ...copyProps(),
    from: p
      .string()
      .required()
      .describe('The file to load: a `kestra://` URI, e.g. `{{ outputs.download.uri }}`.'),
    table: p
      .string()
      .required()
      .describe('The table to load into, optionally schema-qualified (`schema.table`).'),
  },
  outputs: { rowCount: { type: 'integer', description: 'How many rows were copied.' } },
  examples: [
    {
      title: 'Load a CSV file exported from another database',
      code: `id: postgres_copy
namespace: company.team
tasks:
  - id: export
    type: io.kestra.plugin.jdbc.postgresql.CopyOut
    url: jdbc:postgresql://source:5432/shop
    username: "{{ secret('POSTGRES_USERNAME') }}"
    password: "{{ secret('POSTGRES_PASSWORD') }}"
    table: products
    format: CSV
    header: true
  - id: load
    type: io.kestra.plugin.jdbc.postgresql.CopyIn
    url: jdbc:postgresql://warehouse:5432/dwh
    username: "{{ secret('POSTGRES_USERNAME') }}"
    password: "{{ secret('POSTGRES_PASSWORD') }}"
    from: "{{ outputs.export.uri }}"
    table: staging.products
    format: CSV
    header: true
    delimiter: ","`,
    },
  ],
  run: async (ctx, props) => (await import('./run/copy.js')).runCopyIn(ctx, props),
  check(props, report) {
    checkUrl(props, report, 'postgresql', TYPE, 'CopyIn');
    checkCopyOptions(props, report, 'in');
  },
});
