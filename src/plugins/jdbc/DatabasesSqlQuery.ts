/**
 * `io.kestra.plugin.databases.sql.Query`: the course notes' name for "run SQL", which Kestra does
 * not have. Its `url` picks the database, and the validated task gets that database's canonical
 * Query type (DESIGN.md "Compatibility"). When the URL's database is only known at run time (an
 * expression before the `jdbc:<db>:` part), the type stays and the worker dispatches.
 */
import { defineTask, p, TaskFailure, toText } from '../api.js';
import type { Prop, TaskPlugin } from '../api.js';
import DuckdbQuery from './duckdb/Query.js';
import MysqlQuery from './mysql/Query.js';
import PostgresQuery from './postgresql/Query.js';
import SqliteQuery from './sqlite/Query.js';
import {
  DATABASES,
  JDBC_DATABASE_KEYS,
  QUERY_OUTPUTS,
  checkFetchFlags,
  databaseOfUrl,
  databaseProps,
  jdbcType,
  queryProps,
  shown,
} from './common.js';
import type { JdbcDatabase } from './common.js';

const TYPE = 'io.kestra.plugin.databases.sql.Query';

/** Each database-specific property, and the databases that have it. */
const SPECIFIC = new Map<string, JdbcDatabase[]>();
const firstProp = new Map<string, Prop>();
for (const db of JDBC_DATABASE_KEYS) {
  for (const [name, prop] of Object.entries(databaseProps(db))) {
    SPECIFIC.set(name, [...(SPECIFIC.get(name) ?? []), db]);
    if (!firstProp.has(name)) firstProp.set(name, prop);
  }
}
const specificProps: Record<string, Prop> = {};
for (const [name, dbs] of SPECIFIC) {
  const prop = firstProp.get(name)!;
  const only = dbs.map((db) => DATABASES[db].name).join(' and ');
  specificProps[name] = prop.describe(`${prop.info.description ?? ''} ${only} only.`.trim());
}

/** The Query task of each database, which a course-notes Query runs as. */
const QUERY_TASKS: Readonly<Record<JdbcDatabase, TaskPlugin>> = {
  postgresql: PostgresQuery,
  mysql: MysqlQuery,
  sqlite: SqliteQuery,
  duckdb: DuckdbQuery,
};

const SUPPORTED = 'jdbc:postgresql, jdbc:mysql, jdbc:sqlite and jdbc:duckdb';

export default defineTask({
  type: TYPE,
  title: 'Run a SQL query (course notes)',
  description:
    "The course notes' generic SQL task. The `jdbc:` URL picks the database, and the task becomes that database's Query: `jdbc:postgresql:` → `io.kestra.plugin.jdbc.postgresql.Query`, `jdbc:mysql:` or `jdbc:mariadb:` → `…mysql.Query`, `jdbc:sqlite:` → `…sqlite.Query`, `jdbc:duckdb:` → `…duckdb.Query`. Prefer the Kestra type in new flows.",
  properties: {
    url: p
      .string()
      .required()
      .describe(
        `The JDBC URL; its prefix picks the database (${SUPPORTED}), e.g. \`jdbc:postgresql://localhost:5432/mydb\`.`,
      ),
    username: p.string().describe('The database user.'),
    password: p.string().describe("The user's password; usually `{{ secret('…') }}`."),
    ...queryProps(),
    // Rendered by the task once the database is known: MySQL and DuckDB render it themselves,
    // with `{{ inputFile }}` / `{{ outputFiles.<name> }}`, which the engine cannot know.
    sql: p
      .string({ dynamic: false })
      .required()
      .describe(
        "The SQL to run. Rendered by the task, where MySQL's `{{ inputFile }}` and DuckDB's `{{ outputFiles.<name> }}` are known.",
      ),
    ...specificProps,
  },
  outputs: QUERY_OUTPUTS,
  examples: [
    {
      title: 'Load data into PostgreSQL (from the course notes)',
      code: `- id: load_data
  type: io.kestra.plugin.databases.sql.Query
  url: "jdbc:postgresql://localhost:5432/mydb"
  username: "user"
  password: "pass"
  sql: "COPY my_table FROM 'transformed.csv';"`,
    },
  ],
  // Reached only when the URL came from an expression: the rendered URL picks the task.
  async run(ctx, props) {
    const db = databaseOfUrl(props.url);
    if (db === 'unknown' || db === 'unsupported')
      throw new TaskFailure(
        `Property \`url\`: \`${shown(toText(props.url ?? ''))}\` is not a ${SUPPORTED} URL, so \`${TYPE}\` cannot tell which database to run on`,
      );
    const target = QUERY_TASKS[db];
    if (!target.run) throw new TaskFailure(`\`${jdbcType(db, 'Query')}\` cannot run in Windhover yet`);
    ctx.logger.debug(`Running as ${jdbcType(db, 'Query')}`);
    // `sql` arrives unrendered: rendered once, here or by a task that renders its own (never twice,
    // which would evaluate expressions that the first rendering produced from data).
    const rendersItsOwn = target.properties.sql?.info.dynamic === false;
    const sql = rendersItsOwn || typeof props.sql !== 'string' ? props.sql : await ctx.render(props.sql);
    return target.run(ctx, { ...props, sql });
  },
  resolveType(props) {
    const db = databaseOfUrl(props.url);
    return db === 'unknown' || db === 'unsupported' ? undefined : jdbcType(db, 'Query');
  },
  check(props, report) {
    checkFetchFlags(props, report);
    const url = props.url;
    if (typeof url !== 'string') return;
    const db = databaseOfUrl(url);
    if (db === 'unsupported') {
      report(['url'], `\`${TYPE}\` supports ${SUPPORTED} URLs, got \`${shown(url)}\``);
      return;
    }
    if (db === 'unknown') return;
    for (const key of Object.keys(props)) {
      const dbs = SPECIFIC.get(key);
      if (!dbs || dbs.includes(db) || props[key] === undefined || props[key] === null) continue;
      const owners = dbs.map((d) => DATABASES[d].name).join(' and ');
      report(
        [key],
        `\`${key}\` applies to ${owners} databases only, and \`url\` is a ${DATABASES[db].name} URL (the task runs as \`${jdbcType(db, 'Query')}\`)`,
        { atKey: true },
      );
    }
  },
  normalize(props) {
    // Once the URL names the database, the task is that database's Query: drop what it does not
    // have (already reported by `check` when the flow wrote it).
    const db = databaseOfUrl(props.url);
    if (db === 'unknown' || db === 'unsupported') return props;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
      const dbs = SPECIFIC.get(key);
      if (!dbs || dbs.includes(db)) out[key] = value;
    }
    return out;
  },
});
