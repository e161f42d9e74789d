import type { TaskPlugin } from '../../api.js';
import { defineJdbcQuery } from '../common.js';

const definition = defineJdbcQuery({
  db: 'sqlite',
  task: 'Queries',
  title: 'Run several SQLite statements',
  description:
    'Runs SQL statements separated by `;` against a SQLite database file, in one transaction by default; `outputDbFile` stores the resulting database.',
  examples: [
    {
      title: 'Build a small database and keep it',
      code: `- id: build
  type: io.kestra.plugin.jdbc.sqlite.Queries
  url: jdbc:sqlite:app.db
  outputDbFile: true
  sql: |
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
    INSERT INTO users (name) VALUES ('ada'), ('grace');`,
    },
  ],
});

const plugin: TaskPlugin = {
  ...definition,
  run: async (ctx, props) => (await import('./run/query.js')).runSqliteQueries(ctx, props, true),
};

export default plugin;
