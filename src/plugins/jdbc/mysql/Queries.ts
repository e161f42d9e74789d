import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';
import { lateSql } from './late-sql.js';

const definition = defineJdbcQuery({
  db: 'mysql',
  task: 'Queries',
  title: 'Run several MySQL statements',
  description:
    'Runs SQL statements separated by `;` against MySQL (or MariaDB), in one transaction by default; each statement that returns rows adds an entry to `outputs`.',
  examples: [
    {
      title: 'Two selects',
      code: `- id: report
  type: io.kestra.plugin.jdbc.mysql.Queries
  url: jdbc:mysql://localhost:3306/company
  username: "{{ secret('MYSQL_USERNAME') }}"
  password: "{{ secret('MYSQL_PASSWORD') }}"
  sql: |
    SELECT first_name, last_name FROM employee;
    SELECT brand FROM laptop;
  fetchType: FETCH`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  properties: { ...definition.properties, sql: lateSql },
  run: async (ctx, props) =>
    (await import('./run/query.js')).runMysqlQueries(ctx, props, true, { renderSql: true }),
};

export default plugin;
