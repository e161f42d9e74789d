/**
 * The driver boundary: the part of better-sqlite3's API the adapter uses, typed here because
 * the project does not depend on @types/better-sqlite3. Everything else in this directory sees
 * only these interfaces.
 */
import { createRequire } from 'node:module';

/** A value SQLite can bind (booleans and undefined are not: callers convert them). */
export type BindValue = string | number | bigint | Buffer | null;

/** A positional value, or an object of values for `@name` parameters (numbered `?1` are not supported). */
export type BindParam = BindValue | Readonly<Record<string, BindValue>>;

/** What a statement that writes reports. */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement. `Row` is declared by whoever prepares it: the driver does not check
 * it, so each row type must match its SELECT list.
 */
export interface Statement<Row = unknown> {
  run(...params: BindParam[]): RunResult;
  get(...params: BindParam[]): Row | undefined;
  all(...params: BindParam[]): Row[];
}

/** A function run inside BEGIN … COMMIT (or a savepoint when already in a transaction). */
export interface Transaction<Args extends unknown[], Result> {
  (...args: Args): Result;
  deferred(...args: Args): Result;
  immediate(...args: Args): Result;
  exclusive(...args: Args): Result;
}

/** A connection (better-sqlite3's Database). */
export interface Database {
  prepare<Row = unknown>(sql: string): Statement<Row>;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): Transaction<Args, Result>;
  close(): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly name: string;
}

/** better-sqlite3's constructor options (those used here). */
export interface DatabaseOptions {
  /** Milliseconds to wait for a lock held by another connection before failing with SQLITE_BUSY. */
  timeout?: number;
  readonly?: boolean;
  fileMustExist?: boolean;
}

type DatabaseConstructor = new (filename: string, options?: DatabaseOptions) => Database;

const require = createRequire(import.meta.url);

/** Opens a connection with better-sqlite3. */
export function connect(filename: string, options?: DatabaseOptions): Database {
  // The untyped CommonJS module is cast once, here, to the interfaces above.
  const BetterSqlite3 = require('better-sqlite3') as DatabaseConstructor;
  return new BetterSqlite3(filename, options);
}
