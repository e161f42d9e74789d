/** The pure helpers of the shared JDBC run layer: statements, parameters, URLs, outputs, pools. */
import { afterEach, describe, expect, it } from 'vitest';
import { bindNamedParameters } from '../../../src/plugins/jdbc/run/named-parameters.js';
import { splitStatements } from '../../../src/plugins/jdbc/run/statements.js';
import { parseJdbcUrl } from '../../../src/plugins/jdbc/run/jdbc-url.js';
import { fetchTypeOf, outputValue } from '../../../src/plugins/jdbc/run/fetch-output.js';
import { closeAllPools, openPoolCount, sharedPool } from '../../../src/plugins/jdbc/run/pools.js';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, comments and dollar quotes', () => {
    const sql = `CREATE TABLE t (a text); -- a comment; still a comment
INSERT INTO t VALUES ('a;b'), ("x;y"), (E'it\\'s;');
/* block ; /* nested ; */ still */ SELECT 1;
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
DO $$ BEGIN PERFORM 1; END $$;`;
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE t (a text)',
      `-- a comment; still a comment\nINSERT INTO t VALUES ('a;b'), ("x;y"), (E'it\\'s;')`,
      '/* block ; /* nested ; */ still */ SELECT 1',
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      'DO $$ BEGIN PERFORM 1; END $$',
    ]);
  });

  it('drops empty statements and those that are only comments', () => {
    expect(splitStatements(' ; SELECT 1;; \n -- done\n')).toEqual(['SELECT 1']);
    expect(splitStatements('')).toEqual([]);
  });

  it('handles a doubled quote and MySQL backslash escapes when asked', () => {
    expect(splitStatements("SELECT 'it''s;'; SELECT 2")).toEqual(["SELECT 'it''s;'", 'SELECT 2']);
    expect(splitStatements("SELECT 'a\\';b'; SELECT 2", { backslashEscapes: true })).toEqual([
      "SELECT 'a\\';b'",
      'SELECT 2',
    ]);
    expect(splitStatements('SELECT 1 # x; y\n; SELECT `a;b`', { hashComments: true })).toEqual([
      'SELECT 1 # x; y',
      'SELECT `a;b`',
    ]);
  });
});

describe('bindNamedParameters', () => {
  it('rewrites :name to $n, reusing the position of a name used twice', () => {
    expect(
      bindNamedParameters('SELECT * FROM t WHERE a = :a AND b > :b OR a = :a', { a: 1, b: 'x' }, 'dollar'),
    ).toEqual({ sql: 'SELECT * FROM t WHERE a = $1 AND b > $2 OR a = $1', values: [1, 'x'] });
  });

  it('rewrites to ? with a value per use', () => {
    expect(bindNamedParameters('SELECT :a, :b, :a', { a: 1, b: 2 }, 'question')).toEqual({
      sql: 'SELECT ?, ?, ?',
      values: [1, 2, 1],
    });
  });

  it('leaves casts, quotes, comments and dollar quotes alone', () => {
    const sql = "SELECT :a::int, ':b', \":c\", $$ :d $$ -- :e\n, x::text, '{1}'::int[] /* :f */";
    expect(bindNamedParameters(sql, { a: 5 }, 'dollar')).toEqual({
      sql: "SELECT $1::int, ':b', \":c\", $$ :d $$ -- :e\n, x::text, '{1}'::int[] /* :f */",
      values: [5],
    });
  });

  it('leaves the SQL as it is without parameters', () => {
    expect(bindNamedParameters('SELECT :a', undefined, 'dollar')).toEqual({ sql: 'SELECT :a', values: [] });
  });

  it('fails on an unknown name, naming it and the given ones', () => {
    expect(() => bindNamedParameters('SELECT :since, :until', { since: 1 }, 'dollar')).toThrow(
      /`:until`.*given: `since`/,
    );
  });
});

describe('parseJdbcUrl', () => {
  it('takes PostgreSQL and MySQL URLs apart', () => {
    expect(parseJdbcUrl('jdbc:postgresql://db.example:5433/shop?sslmode=require&user=ann')).toEqual({
      database: 'postgresql',
      host: 'db.example',
      port: 5433,
      path: 'shop',
      params: { sslmode: 'require', user: 'ann' },
    });
    expect(parseJdbcUrl('jdbc:postgresql://localhost/')).toMatchObject({ host: 'localhost', path: '' });
    expect(parseJdbcUrl('jdbc:postgresql://[::1]:5432/x')).toMatchObject({ host: '::1', port: 5432 });
    expect(parseJdbcUrl('jdbc:postgresql:mydb')).toMatchObject({ host: 'localhost', path: 'mydb' });
    expect(parseJdbcUrl('jdbc:mariadb://bob:p%40ss@h:3306/app')).toEqual({
      database: 'mysql',
      host: 'h',
      port: 3306,
      path: 'app',
      params: {},
      user: 'bob',
      password: 'p@ss',
    });
  });

  it('takes file URLs apart', () => {
    expect(parseJdbcUrl('jdbc:sqlite:/tmp/a.db')).toEqual({
      database: 'sqlite',
      path: '/tmp/a.db',
      params: {},
    });
    expect(parseJdbcUrl('jdbc:sqlite::memory:')).toMatchObject({ path: ':memory:' });
    expect(parseJdbcUrl('jdbc:sqlite:rel/a.db')).toMatchObject({ path: 'rel/a.db' });
    expect(parseJdbcUrl('jdbc:duckdb:')).toEqual({ database: 'duckdb', path: '', params: {} });
    expect(parseJdbcUrl('jdbc:duckdb:/data/x.duckdb')).toMatchObject({ path: '/data/x.duckdb' });
  });

  it('fails clearly on a malformed URL', () => {
    expect(() => parseJdbcUrl('postgres://h/db')).toThrow(/Property `url`.*not a JDBC URL.*jdbc:postgresql:/);
    expect(() => parseJdbcUrl('jdbc:postgresql://h1,h2/db')).toThrow(/several hosts/);
    expect(() => parseJdbcUrl('jdbc:postgresql://h:99999/db')).toThrow(/not a valid URL/);
  });
});

describe('fetch outputs', () => {
  it('honours the deprecated flags before fetchType', () => {
    expect(fetchTypeOf({ fetchType: 'FETCH' })).toBe('FETCH');
    expect(fetchTypeOf({})).toBe('NONE');
    expect(fetchTypeOf({ fetchType: 'NONE', fetch: true })).toBe('FETCH');
    expect(fetchTypeOf({ fetch: true, store: true, fetchOne: true })).toBe('FETCH_ONE');
    expect(fetchTypeOf({ fetch: true, store: true })).toBe('STORE');
  });

  it('renders driver values for expressions', () => {
    expect(outputValue(new Date('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00.000Z');
    expect(outputValue(42n)).toBe(42);
    expect(outputValue(2n ** 70n)).toBe('1180591620717411303424');
    expect(outputValue(Buffer.from('hi'))).toBe('aGk=');
    expect(outputValue({ a: [1n, new Date(0)] })).toEqual({ a: [1, '1970-01-01T00:00:00.000Z'] });
    expect(outputValue(Number.NaN)).toBe('NaN');
    expect(outputValue(undefined)).toBeNull();
  });
});

describe('sharedPool', () => {
  afterEach(() => closeAllPools());

  it('shares a pool per key and closes it after its idle time', async () => {
    let opened = 0;
    const closed: number[] = [];
    const open = () => ++opened;
    const close = (n: number) => Promise.resolve(void closed.push(n));
    const a = sharedPool('k', open, close, 20);
    const b = sharedPool('k', open, close, 20);
    expect(a.pool).toBe(b.pool);
    a.release();
    b.release();
    b.release(); // twice is harmless
    expect(closed).toEqual([]);
    const c = sharedPool('k', open, close, 20); // taken again before the timer: kept
    c.release();
    await new Promise((r) => setTimeout(r, 60));
    expect(closed).toEqual([1]);
    expect(openPoolCount()).toBe(0);
    expect(sharedPool('k', open, close, 20).pool).toBe(2);
  });

  it('closeAllPools closes every pool', async () => {
    const closed: string[] = [];
    sharedPool(
      'x',
      () => 'x',
      (p) => Promise.resolve(void closed.push(p)),
    );
    sharedPool(
      'y',
      () => 'y',
      (p) => Promise.resolve(void closed.push(p)),
    );
    await closeAllPools();
    expect(closed.sort()).toEqual(['x', 'y']);
    expect(openPoolCount()).toBe(0);
  });
});
