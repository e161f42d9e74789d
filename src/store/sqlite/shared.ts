/**
 * Small helpers shared by the tables: JSON columns, paging, namespace prefixes, text search,
 * instants.
 */
import type { PageRequest } from '../contract.js';
import type { BindValue, Database, Statement } from './driver.js';

export const DEFAULT_PAGE_SIZE = 25;

/**
 * `LIMIT` with a bound value, for the statements run at every step or claim. Written `LIMIT ?`,
 * SQLite (3.53 as better-sqlite3 builds it) reads the bound value while planning, so that every
 * bind expires the statement and the next run prepares it again: ~5 µs a call on an empty table,
 * 20× the query. A CAST is not read while planning; the plans are the same.
 */
export const BOUND_LIMIT = 'LIMIT CAST(? AS INTEGER)';

/** Reads a JSON column. */
export function parseJson<T>(text: string): T {
  // The store wrote this column from a T with JSON.stringify; nothing else writes it.
  return JSON.parse(text) as T;
}

/** LIMIT and OFFSET of a 1-based page (page below 1 is the first; size below 1 is the default). */
export function pageBounds(request: PageRequest): { limit: number; offset: number } {
  const size = request.size !== undefined && request.size >= 1 ? Math.floor(request.size) : DEFAULT_PAGE_SIZE;
  const page = request.page !== undefined && request.page >= 1 ? Math.floor(request.page) : 1;
  return { limit: size, offset: (page - 1) * size };
}

/**
 * A namespace and its children as a condition on `column`: equal, or within the range
 * [`ns.`, `ns/`) — '/' follows '.' — so `company` matches `company.team`, not `companyx`, and the
 * comparison stays exact (LIKE ignores case) and can use an index.
 */
export function namespaceCondition(column: string, namespace: string): { sql: string; params: BindValue[] } {
  return {
    sql: `(${column} = ? OR (${column} >= ? AND ${column} < ?))`,
    params: [namespace, `${namespace}.`, `${namespace}/`],
  };
}

/** A LIKE pattern finding `text` anywhere, with the wildcards in it escaped (use ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Epoch milliseconds of an ISO-8601 instant; throws on a malformed one rather than storing NaN. */
export function instantMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`${what} is not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return ms;
}

/**
 * Statements whose SQL depends on the shape of a filter (how many states, labels…), prepared
 * once per shape and kept: the shapes are few.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement<unknown>>();

  constructor(private readonly db: Database) {}

  /** The statement for `sql`, prepared on first use. */
  get<Row>(sql: string): Statement<Row> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    // Each SQL text is always prepared with the same row type by its one caller.
    return statement as Statement<Row>;
  }
}
