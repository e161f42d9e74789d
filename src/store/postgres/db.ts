/**
 * The driver boundary of the PostgreSQL adapter: the pool, transactions, and small helpers
 * shared by the tables (paging, namespace ranges, text search, instants, bigint columns).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PageRequest } from '../contract.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { redactUrl } from '../../redact-url.js';

/** Anything that runs a query: the pool (one statement, autocommit) or a client in a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

export const DEFAULT_PAGE_SIZE = 25;

/** LIMIT and OFFSET of a 1-based page (page below 1 is the first; size below 1 is the default). */
export function pageBounds(request: PageRequest): { limit: number; offset: number } {
  const size = request.size !== undefined && request.size >= 1 ? Math.floor(request.size) : DEFAULT_PAGE_SIZE;
  const page = request.page !== undefined && request.page >= 1 ? Math.floor(request.page) : 1;
  return { limit: size, offset: (page - 1) * size };
}

/**
 * Builds a WHERE clause with numbered parameters: each condition is written with `?`, which
 * becomes the next `$n`.
 */
export class Conditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  /** Adds a condition whose `?` take `values`, in order. */
  add(sql: string, ...values: unknown[]): void {
    let i = 0;
    this.parts.push(
      sql.replace(/\?/g, () => {
        this.params.push(values[i++]);
        return `$${this.params.length}`;
      }),
    );
  }

  /** A namespace and its children: equal, or within [`ns.`, `ns/`) ('/' follows '.', byte-wise). */
  namespace(column: string, namespace: string): void {
    this.add(
      `(${column} = ? OR (${column} >= ? AND ${column} < ?))`,
      namespace,
      `${namespace}.`,
      `${namespace}/`,
    );
  }

  /** The next parameter's placeholder, for a value used after the conditions (LIMIT…). */
  next(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** `WHERE a AND b`, or '' with no condition (`prefix` joins more to a clause of the caller's). */
  where(prefix = 'WHERE'): string {
    return this.parts.length === 0 ? '' : `${prefix} ${this.parts.join(' AND ')}`;
  }
}

/** A LIKE pattern finding `text` anywhere, with the wildcards in it escaped (backslash, LIKE's default). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Normalises an ISO-8601 instant; throws on a malformed one rather than sending it to the server. */
export function instant(iso: string, what: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`${what} is not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString();
}

/** A timestamptz column (pg reads it as a Date) as the ISO string the contract returns. */
export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** A bigint column (pg reads int8 as a string, to keep precision) as a number: seqs stay below 2^53. */
export function num(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Runs `work` in BEGIN … COMMIT on one pooled client; rolls back and rethrows on error.
 *
 * While the client is checked out it has an 'error' listener: pg emits a connection lost between
 * two queries of the transaction (a server restart, a terminated backend) as an event, which
 * with no listener ends the process; the pool only listens while the client is idle. A client
 * that lost its connection, or whose rollback failed, is dropped from the pool on release.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      lost ??= rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/** Checks the URL's shape before connecting, so a typo gets a message about the URL. */
export function checkUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    throw new WindhoverError(
      ErrorCodes.CONFIG_INVALID,
      `the store URL ${JSON.stringify(redactUrl(url))} is not a PostgreSQL URL: write postgres://user@host:5432/database`,
    );
  }
}

/** Wraps a failure to connect in an error that names the server and what to check. */
export function unreachable(url: string, error: unknown): WindhoverError {
  const reason = error instanceof Error ? error.message || error.name : String(error);
  return new WindhoverError(
    ErrorCodes.STORE_UNREACHABLE,
    `cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason}; check that the server runs and the URL ` +
      '(host, port, user, database) is right',
  );
}

/**
 * A query prepared once per connection under a name derived from its text: the server then
 * keeps its plan. For the hot statements whose text takes a few shapes (a step's parts, with
 * arrays as parameters), where planning costs as much as running.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  return { name: `wh_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`, text, values };
}
