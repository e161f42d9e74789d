import { describe, expect, it } from 'vitest';
import { JDBC_PLUGINS } from '../../src/plugins/jdbc/index.js';
import { errorsOf, exampleFlow, firstTask, flowWithTask, warningsOf } from '../helpers.js';
import { exampleWarnings } from '../helpers.js';

const PG = 'io.kestra.plugin.jdbc.postgresql';
const DISPATCHER = 'io.kestra.plugin.databases.sql.Query';

describe('jdbc examples', () => {
  for (const plugin of JDBC_PLUGINS) {
    for (const example of plugin.examples ?? []) {
      it(`${plugin.type}: ${example.title}`, () => {
        const text = exampleFlow(example.code);
        expect(errorsOf(text)).toEqual([]);
        expect(exampleWarnings(example.code)).toEqual([]);
      });
    }
  }

  it('every type is listed once and documents its outputs', () => {
    const types = JDBC_PLUGINS.map((p) => p.type);
    expect(new Set(types).size).toBe(types.length);
    for (const plugin of JDBC_PLUGINS) expect(Object.keys(plugin.outputs ?? {}).length).toBeGreaterThan(0);
  });
});

describe('jdbc required properties', () => {
  const url = (db: string) =>
    ({
      postgresql: 'jdbc:postgresql://localhost:5432/db',
      mysql: 'jdbc:mysql://localhost:3306/db',
      sqlite: 'jdbc:sqlite:app.db',
      duckdb: 'jdbc:duckdb:',
    })[db]!;

  for (const db of ['postgresql', 'mysql', 'sqlite', 'duckdb']) {
    for (const kind of ['Query', 'Queries']) {
      const type = `io.kestra.plugin.jdbc.${db}.${kind}`;
      it(`${type} needs sql`, () => {
        expect(errorsOf(flowWithTask(type, `    url: "${url(db)}"`))).toEqual([
          `4:5 missing required property \`sql\` on ${type}`,
        ]);
      });
      if (db === 'duckdb') {
        it(`${type} runs in memory without url`, () => {
          expect(errorsOf(flowWithTask(type, '    sql: SELECT 42'))).toEqual([]);
        });
      } else {
        it(`${type} needs url`, () => {
          expect(errorsOf(flowWithTask(type, '    sql: SELECT 1'))).toEqual([
            `4:5 missing required property \`url\` on ${type}`,
          ]);
        });
      }
    }
  }

  it('CopyIn needs from and table', () => {
    expect(errorsOf(flowWithTask(`${PG}.CopyIn`, '    url: jdbc:postgresql://h/db\n    table: t'))).toEqual([
      `4:5 missing required property \`from\` on ${PG}.CopyIn`,
    ]);
    expect(
      errorsOf(flowWithTask(`${PG}.CopyIn`, '    url: jdbc:postgresql://h/db\n    from: kestra:///f.csv')),
    ).toEqual([`4:5 missing required property \`table\` on ${PG}.CopyIn`]);
  });

  it('CopyOut needs table or sql', () => {
    expect(errorsOf(flowWithTask(`${PG}.CopyOut`, '    url: jdbc:postgresql://h/db'))).toEqual([
      `4:5 \`${PG}.CopyOut\` needs \`table\` or \`sql\`: what to copy`,
    ]);
    expect(errorsOf(flowWithTask(`${PG}.CopyOut`, '    url: jdbc:postgresql://h/db\n    table: t'))).toEqual(
      [],
    );
    expect(
      errorsOf(flowWithTask(`${PG}.CopyOut`, '    url: jdbc:postgresql://h/db\n    sql: SELECT 1')),
    ).toEqual([]);
  });

  it('a Queries task accepts transaction, parameters and SSL options', () => {
    const text = flowWithTask(
      `${PG}.Queries`,
      `    url: jdbc:postgresql://h/db
    sql: "UPDATE t SET a = :a; SELECT * FROM t"
    parameters:
      a: 1
    transaction: false
    ssl: true
    sslMode: VERIFY_FULL
    sslRootCert: "{{ secret('PG_CA') }}"
    afterSQL: UPDATE t SET done = true
    timeZoneId: Europe/Paris
    fetchSize: 500`,
    );
    expect(errorsOf(text)).toEqual([]);
  });

  it('refuses a property of another database', () => {
    expect(
      errorsOf(
        flowWithTask(`${PG}.Query`, '    url: jdbc:postgresql://h/db\n    sql: SELECT 1\n    inputFile: x'),
      ),
    ).toEqual([`8:5 unknown property \`inputFile\` on ${PG}.Query`]);
  });
});

describe('jdbc fetchType', () => {
  it('accepts each fetch type and an expression', () => {
    for (const value of ['NONE', 'FETCH_ONE', 'FETCH', 'STORE', '"{{ inputs.mode }}"']) {
      expect(
        errorsOf(
          flowWithTask(
            `${PG}.Query`,
            `    url: jdbc:postgresql://h/db\n    sql: SELECT 1\n    fetchType: ${value}`,
          ),
        ),
      ).toEqual([]);
    }
  });

  it('refuses an unknown fetch type with a suggestion', () => {
    expect(
      errorsOf(
        flowWithTask(
          `${PG}.Query`,
          '    url: jdbc:postgresql://h/db\n    sql: SELECT 1\n    fetchType: fetch_one',
        ),
      ),
    ).toEqual([
      '8:16 `fetchType` of task `t` must be one of `NONE`, `FETCH_ONE`, `FETCH`, `STORE` or an expression, got `fetch_one` (did you mean `FETCH_ONE`?)',
    ]);
  });

  it('warns about the deprecated flags, and about a flag that overrides fetchType', () => {
    const text = flowWithTask(
      'io.kestra.plugin.jdbc.mysql.Query',
      '    url: jdbc:mysql://h/db\n    sql: SELECT 1\n    fetchOne: true\n    fetchType: FETCH',
    );
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '8:5 `fetchOne` of task `t` is deprecated; use `fetchType: FETCH_ONE` instead',
      '9:5 `fetchOne: true` overrides `fetchType`; remove `fetchOne`',
    ]);
  });
});

describe('jdbc url checks', () => {
  it('reports a literal url of another database, naming the right type', () => {
    expect(
      errorsOf(flowWithTask(`${PG}.Queries`, '    url: jdbc:mysql://h:3306/db\n    sql: SELECT 1')),
    ).toEqual([
      `6:10 \`url\` of \`${PG}.Queries\` must be a PostgreSQL JDBC URL starting with \`jdbc:postgresql:\`, got \`jdbc:mysql://h:3306/db\`; for a MySQL database use \`io.kestra.plugin.jdbc.mysql.Queries\``,
    ]);
  });

  it('reports a url that is not a JDBC url at all', () => {
    expect(
      errorsOf(flowWithTask('io.kestra.plugin.jdbc.sqlite.Query', '    url: app.db\n    sql: SELECT 1')),
    ).toEqual([
      '6:10 `url` of `io.kestra.plugin.jdbc.sqlite.Query` must be a SQLite JDBC URL starting with `jdbc:sqlite:`, got `app.db`',
    ]);
  });

  it('reports an expression url whose literal start names another database', () => {
    expect(
      errorsOf(
        flowWithTask(`${PG}.Query`, '    url: "jdbc:mysql://{{ secret(\'HOST\') }}/db"\n    sql: SELECT 1'),
      ),
    ).toHaveLength(1);
  });

  it('leaves expression urls to run time', () => {
    for (const url of [
      '"{{ kv(\'DB_URL\') }}"',
      '"jdbc:{{ vars.db }}://h/db"',
      '"jdbc:postgresql://{{ vars.host }}/db"',
    ]) {
      expect(errorsOf(flowWithTask(`${PG}.Query`, `    url: ${url}\n    sql: SELECT 1`))).toEqual([]);
    }
  });

  it('accepts MariaDB URLs for the MySQL types', () => {
    expect(
      errorsOf(
        flowWithTask('io.kestra.plugin.jdbc.mysql.Query', '    url: jdbc:mariadb://h/db\n    sql: SELECT 1'),
      ),
    ).toEqual([]);
  });
});

describe('jdbc COPY options', () => {
  const copyIn = (extra: string) =>
    flowWithTask(
      `${PG}.CopyIn`,
      `    url: jdbc:postgresql://h/db\n    from: "{{ outputs.x.uri }}"\n    table: t\n${extra}`,
    );

  it('accepts the CSV options with format CSV', () => {
    expect(
      errorsOf(
        copyIn('    format: CSV\n    header: true\n    delimiter: ";"\n    quote: "\'"\n    forceNull: [a]'),
      ),
    ).toEqual([]);
  });

  it('reports CSV-only options under the default TEXT format, and multi-character delimiters', () => {
    expect(errorsOf(copyIn('    quote: "\'"\n    delimiter: ";;"'))).toEqual([
      '9:5 `quote` needs `format: CSV` (the default format is TEXT)',
      '10:16 `delimiter` must be a single character, got `;;`',
    ]);
  });

  it('reports options that belong to the other direction', () => {
    expect(errorsOf(copyIn('    format: CSV\n    forceQuote: ["*"]'))).toEqual([
      '10:5 `forceQuote` only applies when writing a file (CopyOut)',
    ]);
  });
});

describe('jdbc pluginDefaults', () => {
  it('a prefix default gives a Queries task its connection', () => {
    const text = `id: defaults
namespace: company.team
pluginDefaults:
  - type: io.kestra.plugin.jdbc.postgresql
    values:
      url: jdbc:postgresql://db:5432/shop
      username: shop
      password: "{{ secret('PG_PASSWORD') }}"
tasks:
  - id: init
    type: io.kestra.plugin.jdbc.postgresql.Queries
    sql: CREATE TABLE IF NOT EXISTS t (id int); SELECT 1`;
    expect(errorsOf(text)).toEqual([]);
    const validated = firstTask(text);
    expect(validated?.url).toBe('jdbc:postgresql://db:5432/shop');
    expect(validated?.username).toBe('shop');
    expect(validated?.password).toBe("{{ secret('PG_PASSWORD') }}");
  });

  it('a default of the wrong database is reported as such', () => {
    const text = `id: defaults
namespace: company.team
pluginDefaults:
  - type: io.kestra.plugin.jdbc
    values:
      url: jdbc:mysql://db:3306/shop
tasks:
  - id: init
    type: io.kestra.plugin.jdbc.postgresql.Query
    sql: SELECT 1`;
    expect(errorsOf(text)).toHaveLength(1);
    expect(errorsOf(text)[0]).toContain('must be a PostgreSQL JDBC URL');
  });
});

describe('io.kestra.plugin.databases.sql.Query (course notes)', () => {
  const dispatched = (url: string, extra = '') =>
    flowWithTask(
      DISPATCHER,
      `    url: ${url}\n    username: u\n    password: p\n    sql: SELECT 1\n${extra}`,
    );

  it.each([
    ['"jdbc:postgresql://localhost:5432/mydb"', 'io.kestra.plugin.jdbc.postgresql.Query'],
    ['jdbc:mysql://localhost:3306/db', 'io.kestra.plugin.jdbc.mysql.Query'],
    ['jdbc:mariadb://localhost:3306/db', 'io.kestra.plugin.jdbc.mysql.Query'],
    ['jdbc:sqlite:app.db', 'io.kestra.plugin.jdbc.sqlite.Query'],
    ['"jdbc:duckdb:"', 'io.kestra.plugin.jdbc.duckdb.Query'],
    ['"jdbc:postgresql://{{ secret(\'PG_HOST\') }}:5432/db"', 'io.kestra.plugin.jdbc.postgresql.Query'],
  ])('url %s runs as %s', (url, type) => {
    const text = dispatched(url);
    expect(errorsOf(text)).toEqual([]);
    const validated = firstTask(text);
    expect(validated?.type).toBe(type);
    expect(validated?.sql).toBe('SELECT 1');
  });

  it('keeps the dispatcher type when an expression decides the database', () => {
    for (const url of ['"{{ kv(\'DB_URL\') }}"', '"jdbc:{{ vars.db }}://h/db"']) {
      const text = dispatched(url);
      expect(errorsOf(text)).toEqual([]);
      expect(firstTask(text)?.type).toBe(DISPATCHER);
    }
  });

  it('rejects an unsupported database', () => {
    expect(errorsOf(dispatched('"jdbc:oracle:thin:@//db:1521/orcl"'))).toEqual([
      `6:10 \`${DISPATCHER}\` supports jdbc:postgresql, jdbc:mysql, jdbc:sqlite and jdbc:duckdb URLs, got \`jdbc:oracle:thin:@//db:1521/orcl\``,
    ]);
  });

  it('reports a missing url', () => {
    expect(errorsOf(flowWithTask(DISPATCHER, '    sql: SELECT 1'))).toEqual([
      `4:5 missing required property \`url\` on ${DISPATCHER}`,
    ]);
  });

  it('reports a property of another database than the url', () => {
    expect(errorsOf(dispatched('jdbc:mysql://h/db', '    sslMode: REQUIRE'))).toEqual([
      '10:5 `sslMode` applies to PostgreSQL databases only, and `url` is a MySQL URL (the task runs as `io.kestra.plugin.jdbc.mysql.Query`)',
    ]);
    const dispatcher = JDBC_PLUGINS.find((p) => p.type === DISPATCHER)!;
    expect(dispatcher.normalize?.({ url: 'jdbc:mysql://h/db', sql: 'SELECT 1', sslMode: 'REQUIRE' })).toEqual(
      {
        url: 'jdbc:mysql://h/db',
        sql: 'SELECT 1',
      },
    );
    const duck = dispatched('"jdbc:duckdb:"', '    inputFiles:\n      data.csv: "{{ inputs.f }}"');
    expect(errorsOf(duck)).toEqual([]);
    expect(firstTask(duck)?.inputFiles).toEqual({ 'data.csv': '{{ inputs.f }}' });
  });

  it('takes pluginDefaults of the database it resolves to', () => {
    const text = `id: defaults
namespace: company.team
pluginDefaults:
  - type: io.kestra.plugin.jdbc.postgresql
    values:
      username: shop
tasks:
  - id: q
    type: io.kestra.plugin.databases.sql.Query
    url: jdbc:postgresql://db/shop
    sql: SELECT 1`;
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)).toMatchObject({
      type: 'io.kestra.plugin.jdbc.postgresql.Query',
      username: 'shop',
    });
  });
});
