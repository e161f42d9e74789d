/**
 * What the JDBC task types share: connection and query properties, PostgreSQL's SSL options,
 * outputs, the checks of a `url` against its database, and a builder for Query/Queries types.
 * Property lists follow Kestra's plugin-jdbc (`AbstractJdbcBaseQuery`, `JdbcConnectionInterface`,
 * `JdbcQueriesInterface`, `PostgresConnectionInterface`).
 */
import { defineTask, isLiteral, p, startsWithPrefix } from '../api.js';
import { fetchProps } from '../shared/fetch.js';
import type { OutputDoc, PluginDefinition, PluginExample, Prop, ReportFn } from '../api.js';

/** The databases Windhover runs JDBC tasks against, by the key of Kestra's type names. */
export type JdbcDatabase = 'postgresql' | 'mysql' | 'sqlite' | 'duckdb';

export interface DatabaseInfo {
  /** Human name, for messages. */
  name: string;
  /** URL prefixes that select this database (the first one is the canonical scheme). */
  prefixes: readonly string[];
  /** An example URL, for descriptions and messages. */
  exampleUrl: string;
}

export const DATABASES: Readonly<Record<JdbcDatabase, DatabaseInfo>> = {
  postgresql: {
    name: 'PostgreSQL',
    prefixes: ['jdbc:postgresql:'],
    exampleUrl: 'jdbc:postgresql://localhost:5432/mydb',
  },
  // MariaDB speaks the MySQL protocol; Windhover's MySQL tasks accept its URLs too.
  mysql: {
    name: 'MySQL',
    prefixes: ['jdbc:mysql:', 'jdbc:mariadb:'],
    exampleUrl: 'jdbc:mysql://localhost:3306/mydb',
  },
  sqlite: { name: 'SQLite', prefixes: ['jdbc:sqlite:'], exampleUrl: 'jdbc:sqlite:mydb.sqlite' },
  duckdb: { name: 'DuckDB', prefixes: ['jdbc:duckdb:'], exampleUrl: 'jdbc:duckdb:' },
};

export const JDBC_DATABASE_KEYS = Object.keys(DATABASES) as JdbcDatabase[];

/** The canonical type name of a database's task, e.g. `io.kestra.plugin.jdbc.mysql.Queries`. */
export function jdbcType(db: JdbcDatabase, task: string): string {
  return `io.kestra.plugin.jdbc.${db}.${task}`;
}

/** The database a JDBC URL selects, `unknown` when an expression decides, `unsupported` otherwise. */
export function databaseOfUrl(url: unknown): JdbcDatabase | 'unknown' | 'unsupported' {
  let undecided = false;
  for (const db of JDBC_DATABASE_KEYS) {
    for (const prefix of DATABASES[db].prefixes) {
      const answer = startsWithPrefix(url, prefix);
      if (answer === 'yes') return db;
      if (answer === 'unknown') undecided = true;
    }
  }
  return undecided ? 'unknown' : 'unsupported';
}

/** Shortens a value for a message. */
export function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

// ---------------------------------------------------------------------------------------------
// Properties

/** `url`, `username`, `password`. */
export function connectionProps(
  db: JdbcDatabase,
  options: { urlRequired?: boolean } = {},
): Record<string, Prop> {
  const url = p
    .string()
    .describe(
      `The JDBC URL of the ${DATABASES[db].name} database, e.g. \`${DATABASES[db].exampleUrl}\`; it must start with \`${DATABASES[db].prefixes.join('` or `')}\`.`,
    );
  return {
    url: options.urlRequired === false ? url : url.required(),
    username: p.string().describe('The database user.'),
    password: p.string().describe("The user's password; usually `{{ secret('…') }}`."),
  };
}

/** Properties of every Query and Queries task (Kestra's `AbstractJdbcBaseQuery`). */
export function queryProps(): Record<string, Prop> {
  return {
    sql: p
      .string()
      .required()
      .describe('The SQL to run. Query runs one statement; Queries runs several, separated by `;`.'),
    parameters: p
      .map(p.any())
      .describe('Values bound to `:name` placeholders of the SQL, as prepared-statement parameters.'),
    ...fetchProps(),
    fetchSize: p
      .integer()
      .default(10000)
      .describe('How many rows the driver fetches per round trip (a hint; mostly matters for `STORE`).'),
    timeZoneId: p
      .string()
      .describe("Time zone used to read date/time columns, e.g. `Europe/Paris`; default: the worker's."),
    afterSQL: p
      .string()
      .describe(
        'One statement run after `sql` in the same transaction, e.g. to mark the fetched rows as processed.',
      ),
  };
}

/** Properties that Queries adds (Kestra's `JdbcQueriesInterface`). */
export function queriesProps(): Record<string, Prop> {
  return {
    transaction: p
      .boolean()
      .default(true)
      .describe('Run all statements in one transaction, rolled back if one fails.'),
  };
}

/** PostgreSQL's SSL options (Kestra's `PostgresConnectionInterface`). */
export function postgresSslProps(): Record<string, Prop> {
  return {
    ssl: p.boolean().default(false).describe('Connect over SSL.'),
    sslMode: p
      .enum(['DISABLE', 'ALLOW', 'PREFER', 'REQUIRE', 'VERIFY_CA', 'VERIFY_FULL'])
      .describe('How strictly to use and verify SSL.'),
    sslRootCert: p.string().describe('The CA certificate, PEM-encoded.'),
    sslCert: p.string().describe('The client certificate, PEM-encoded.'),
    sslKey: p.string().describe('The client key, PEM-encoded.'),
    sslKeyPassword: p.string().describe("The client key's password."),
  };
}

/** `sqliteFile`, `outputDbFile` (Kestra's `SqliteQueryInterface`). */
export function sqliteProps(): Record<string, Prop> {
  return {
    sqliteFile: p
      .string()
      .describe(
        'An existing SQLite database file in internal storage (`kestra://…`), copied to the path of the `url` before the SQL runs.',
      ),
    outputDbFile: p
      .boolean()
      .default(false)
      .describe('Store the database file afterwards and output its URI as `databaseUri`.'),
  };
}

/** DuckDB's file handling (Kestra's `DuckDbQueryInterface`). */
export function duckdbProps(): Record<string, Prop> {
  return {
    inputFiles: p
      .union(p.map(p.string()), p.string())
      .describe(
        "Files written to the working directory before the SQL runs, by file name: content or a `kestra://` URI. Read them by name, e.g. `read_csv_auto('data.csv')`. A map, or JSON text of one.",
      ),
    outputFiles: p
      .list(p.string())
      .describe(
        "Names of files the SQL writes, e.g. `COPY t TO '{{ outputFiles.out }}'`; stored afterwards and output as `outputFiles.<name>`.",
      ),
    databaseUri: p
      .string()
      .describe('An existing DuckDB database file in internal storage (`kestra://…`) to open.'),
    outputDbFile: p
      .boolean()
      .default(false)
      .describe('Store the database file afterwards and output its URI as `databaseUri`.'),
    communityExtensions: p
      .list(p.string())
      .describe('DuckDB community extensions installed and loaded before the SQL runs; default `["ion"]`.'),
  };
}

/** MySQL's `inputFile` for `LOAD DATA LOCAL INFILE`. */
export function mysqlProps(): Record<string, Prop> {
  return {
    inputFile: p
      .string()
      .describe(
        "A file in internal storage (`kestra://…`) made available to `LOAD DATA LOCAL INFILE '{{ inputFile }}'`.",
      ),
  };
}

/** The database-specific properties a Query or Queries task of `db` adds. */
export function databaseProps(db: JdbcDatabase): Record<string, Prop> {
  switch (db) {
    case 'postgresql':
      return postgresSslProps();
    case 'mysql':
      return mysqlProps();
    case 'sqlite':
      return sqliteProps();
    case 'duckdb':
      return duckdbProps();
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs

export const QUERY_OUTPUTS: Record<string, OutputDoc> = {
  row: { type: 'object', description: 'With `fetchType: FETCH_ONE`: the first row, column name → value.' },
  rows: {
    type: 'array',
    description: 'With `fetchType: FETCH`: every row, each a map of column name → value.',
  },
  uri: {
    type: 'string',
    description:
      'With `fetchType: STORE`: the `kestra://` URI of a file holding the rows (one Ion map per line).',
  },
  size: { type: 'integer', description: 'How many rows were fetched or stored.' },
};

export const QUERIES_OUTPUTS: Record<string, OutputDoc> = {
  outputs: {
    type: 'array',
    description:
      'One entry per statement that returned rows, each with `row`, `rows`, `uri` and `size` as for a Query.',
  },
};

function extraOutputs(db: JdbcDatabase): Record<string, OutputDoc> {
  const databaseUri: OutputDoc = {
    type: 'string',
    description: 'With `outputDbFile: true`: the `kestra://` URI of the database file.',
  };
  if (db === 'duckdb') {
    return {
      outputFiles: { type: 'object', description: 'The stored `outputFiles`, by name → `kestra://` URI.' },
      databaseUri,
    };
  }
  if (db === 'sqlite') return { databaseUri };
  return {};
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Reports a literal `url` (or the literal start of one) that is not of database `db`. */
export function checkUrl(
  props: Record<string, unknown>,
  report: ReportFn,
  db: JdbcDatabase,
  typeName: string,
  task: string,
): void {
  const url = props.url;
  if (typeof url !== 'string') return;
  const { prefixes, name } = DATABASES[db];
  const answers = prefixes.map((prefix) => startsWithPrefix(url, prefix));
  if (!answers.every((a) => a === 'no')) return;
  const actual = databaseOfUrl(url);
  const hint =
    actual !== 'unknown' && actual !== 'unsupported'
      ? `; for a ${DATABASES[actual].name} database use \`${jdbcType(actual, task)}\``
      : '';
  report(
    ['url'],
    `\`url\` of \`${typeName}\` must be a ${name} JDBC URL starting with \`${prefixes.join('` or `')}\`, got \`${shown(url)}\`${hint}`,
  );
}

/**
 * Warns when a deprecated fetch flag overrides `fetchType`, and when two flags conflict.
 * `precedence` is the order in which the task looks at the flags.
 */
export function checkFetchFlags(
  props: Record<string, unknown>,
  report: ReportFn,
  precedence: readonly string[] = ['fetch', 'fetchOne', 'store'],
): void {
  const flags = precedence.filter((f) => props[f] === true);
  if (flags.length > 1) {
    report(
      [flags[1]!],
      `\`${flags.join('`, `')}\` are all set; only \`${flags[0]!}\` takes effect. Use one \`fetchType\` instead`,
      { severity: 'warning', atKey: true },
    );
  }
  if (flags.length > 0 && props.fetchType !== undefined && props.fetchType !== null) {
    report(['fetchType'], `\`${flags[0]!}: true\` overrides \`fetchType\`; remove \`${flags[0]!}\``, {
      severity: 'warning',
      atKey: true,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Query and Queries

export interface JdbcQuerySpec {
  db: JdbcDatabase;
  task: 'Query' | 'Queries';
  title: string;
  description: string;
  examples: readonly PluginExample[];
  legacyNames?: readonly string[];
}

/** Defines `io.kestra.plugin.jdbc.<db>.Query` or `.Queries`. */
export function defineJdbcQuery(spec: JdbcQuerySpec): PluginDefinition {
  const type = jdbcType(spec.db, spec.task);
  const isQueries = spec.task === 'Queries';
  return defineTask({
    type,
    legacyNames: spec.legacyNames,
    title: spec.title,
    description: spec.description,
    properties: {
      ...connectionProps(spec.db, { urlRequired: spec.db !== 'duckdb' }),
      ...queryProps(),
      ...(isQueries ? queriesProps() : {}),
      ...databaseProps(spec.db),
      ...(spec.db === 'duckdb'
        ? {
            // Rendered by the task, where the paths of `outputFiles` are known.
            sql: p
              .string({ dynamic: false })
              .required()
              .describe(
                'The SQL to run (Queries: several statements separated by `;`). Rendered by the task, with `{{ outputFiles.<name> }}` the path of each output file; relative file names are read from the working directory, where `inputFiles` are.',
              ),
            url: p
              .string()
              .default('jdbc:duckdb:')
              .describe(
                'The JDBC URL; the default `jdbc:duckdb:` opens an in-memory database. `jdbc:duckdb:/abs/path.db` opens a file, `jdbc:duckdb:md:…` MotherDuck.',
              ),
          }
        : {}),
    },
    outputs: { ...(isQueries ? QUERIES_OUTPUTS : QUERY_OUTPUTS), ...extraOutputs(spec.db) },
    examples: spec.examples,
    check(props, report) {
      checkUrl(props, report, spec.db, type, spec.task);
      checkFetchFlags(props, report);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL COPY (Kestra's `AbstractCopy`)

/** Properties of CopyIn and CopyOut: connection, SSL, and the options of `COPY`. */
export function copyProps(): Record<string, Prop> {
  const list = (text: string) => p.list(p.string()).describe(text);
  return {
    ...connectionProps('postgresql'),
    ...postgresSslProps(),
    table: p.string().describe('The table, optionally schema-qualified (`schema.table`).'),
    columns: list('Columns to copy, in file order; default: every column of the table.'),
    format: p
      .enum(['TEXT', 'CSV', 'BINARY'])
      .default('TEXT')
      .describe("The file format, as PostgreSQL's `COPY … FORMAT`."),
    header: p
      .boolean()
      .describe('The file has a header line: skipped when reading, written when writing. CSV only.'),
    delimiter: p
      .string()
      .describe('The column separator, one character; default tab (TEXT) or comma (CSV). Not for BINARY.'),
    quote: p.string().describe('The quoting character, one character; default `"`. CSV only.'),
    escape: p
      .string()
      .describe('The character that escapes a quote inside a quoted value; default: the quote. CSV only.'),
    nullString: p
      .string()
      .describe('The text that stands for NULL; default `\\N` (TEXT) or an empty unquoted value (CSV).'),
    forceQuote: list('Columns whose non-NULL values are always quoted (`*` for all). CopyOut with CSV only.'),
    forceNotNull: list('Columns whose values are never read as NULL. CopyIn with CSV only.'),
    forceNull: list('Columns whose quoted empty values are read as NULL. CopyIn with CSV only.'),
    encoding: p.string().describe("The file's encoding, e.g. `UTF8`; default: the client encoding."),
    oids: p.boolean().describe('Copy the OID of each row (only for tables created WITH OIDS).'),
    freeze: p
      .boolean()
      .describe(
        'Load rows already frozen, as after `VACUUM FREEZE` (for a table created or truncated in the same transaction).',
      ),
    socketTimeout: p
      .integer({ min: 0 })
      .describe('Seconds to wait on a socket read before closing the connection; 0 (default) waits forever.'),
  };
}

/** Checks the `COPY` options that PostgreSQL refuses for the given format or direction. */
export function checkCopyOptions(
  props: Record<string, unknown>,
  report: ReportFn,
  direction: 'in' | 'out',
): void {
  for (const key of ['delimiter', 'quote', 'escape']) {
    const value = props[key];
    if (isLiteral(value) && [...value].length !== 1) {
      report([key], `\`${key}\` must be a single character, got \`${shown(value)}\``);
    }
  }
  const format = isLiteral(props.format) ? props.format : undefined;
  const given = (key: string) => props[key] !== undefined && props[key] !== null;
  const effective = format ?? (given('format') ? undefined : 'TEXT');
  if (effective === 'BINARY') {
    for (const key of ['delimiter', 'nullString', 'header', 'quote', 'escape']) {
      if (given(key)) report([key], `\`${key}\` cannot be used with \`format: BINARY\``, { atKey: true });
    }
  }
  if (effective === 'TEXT' || effective === 'BINARY') {
    for (const key of ['quote', 'escape', 'forceQuote', 'forceNotNull', 'forceNull']) {
      if (given(key)) {
        report([key], `\`${key}\` needs \`format: CSV\`${format ? '' : ' (the default format is TEXT)'}`, {
          atKey: true,
        });
      }
    }
  }
  const wrongWay = direction === 'in' ? ['forceQuote'] : ['forceNotNull', 'forceNull'];
  for (const key of wrongWay) {
    if (given(key)) {
      report(
        [key],
        `\`${key}\` only applies when ${direction === 'in' ? 'writing a file (CopyOut)' : 'reading a file (CopyIn)'}`,
        { atKey: true },
      );
    }
  }
}
