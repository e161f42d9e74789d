/**
 * MySQL/MariaDB connections of a task run: the mysql2 config built from the JDBC URL and the
 * task's props, a shared pool per login, errors that name the server (never the password), and
 * `KILL QUERY` of the running statement when the task is killed or times out.
 */
import { createHash } from 'node:crypto';
import mysql from 'mysql2';
import { TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { parseJdbcUrl } from '../../run/jdbc-url.js';
import { sharedPool } from '../../run/pools.js';
import { typeCast } from './types.js';

/** A connection handed to a task's work, with the text that names its server in messages. */
export interface MysqlSession {
  connection: mysql.PoolConnection;
  /** `127.0.0.1:3306/shop as ann`, for messages. */
  target: string;
  /** Rejects once the task is aborted and its statement did not stop in time (the connection is cut). */
  cut: Promise<never>;
}

const CONNECT_TIMEOUT_MS = 30_000;
/** After `KILL QUERY`, how long the statement may take to stop before its connection is cut. */
const CANCEL_GRACE_MS = 2_000;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `+hh:mm` of a time zone now, for `SET time_zone` (MariaDB knows names only with its tz tables). */
export function zoneOffset(zone: string): string {
  if (/^[+-]\d\d:\d\d$/.test(zone)) return zone;
  let name: string;
  try {
    name =
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .formatToParts(new Date())
        .find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    throw new TaskFailure(
      `Property \`timeZoneId\`: \`${zone}\` is not a time zone; use an IANA name like \`Europe/Paris\` or \`UTC\``,
    );
  }
  // `GMT+02:00`, or `GMT` for UTC itself.
  const offset = name.replace(/^GMT/, '');
  return offset === '' ? '+00:00' : offset;
}

/** The mysql2 config of a task's props, and what names its server in messages. */
export function mysqlConfigOf(props: Record<string, unknown>): {
  config: mysql.PoolOptions;
  target: string;
} {
  const url = parseJdbcUrl(typeof props.url === 'string' ? props.url : '');
  if (url.database !== 'mysql')
    throw new TaskFailure(
      `Property \`url\`: \`${String(props.url)}\` is not a MySQL JDBC URL; write it like \`jdbc:mysql://localhost:3306/mydb\``,
    );
  const user = text(props.username) ?? text(url.params.user) ?? url.user;
  const password = text(props.password) ?? text(url.params.password) ?? url.password;
  const port = url.port ?? 3306;
  const host = url.host ?? 'localhost';
  const config: mysql.PoolOptions = {
    host,
    port,
    ...(url.path !== '' ? { database: url.path } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: true,
    typeCast,
    // One statement per query: the task splits the SQL itself (and `:name` binds per statement).
    multipleStatements: false,
    charset: 'utf8mb4',
    connectionLimit: 10,
    maxIdle: 10,
    idleTimeout: 30_000,
  };
  const where = `${host}:${port}/${url.path}${user ? ` as ${user}` : ''}`;
  return { config, target: where };
}

/** The pool key: the config with the password hashed (a changed password opens a new pool). */
function poolKey(config: mysql.PoolOptions): string {
  const { password, typeCast: _typeCast, ...rest } = config;
  const secret = createHash('sha256')
    .update(String(password ?? ''))
    .digest('hex');
  return `mysql:${JSON.stringify(rest)}:${secret}`;
}

const CONNECT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'PROTOCOL_CONNECTION_LOST',
]);

/** A task failure for a mysql2 error: the server's message, error number and SQLSTATE, and the server. */
export function mysqlFailure(error: unknown, target: string, phase: 'connect' | 'run' = 'run'): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const e = error as Partial<mysql.QueryError> & { errno?: number; sqlMessage?: string };
  const message = e.sqlMessage ?? e.message ?? String(error);
  if (typeof e.sqlState === 'string' && typeof e.errno === 'number') {
    const where = phase === 'connect' ? `connecting to MySQL ${target}` : `MySQL ${target}`;
    return new TaskFailure(`${where}: ${message} (error ${e.errno}, SQLSTATE ${e.sqlState})`);
  }
  if (phase === 'connect' || CONNECT_CODES.has(e.code ?? ''))
    return new TaskFailure(
      `Cannot connect to MySQL ${target}: ${message}${e.code && !message.includes(e.code) ? ` (${e.code})` : ''}; check the host and port of \`url\` and that the server accepts connections`,
    );
  return new TaskFailure(`MySQL ${target}: ${message}`);
}

/** Asks the server to stop the statement of connection `threadId`, from a connection of its own. */
function killQuery(config: mysql.PoolOptions, threadId: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const { connectionLimit: _l, maxIdle: _m, idleTimeout: _i, ...single } = config;
    const killer = mysql.createConnection({ ...single, connectTimeout: 5_000 });
    killer.on('error', () => {});
    killer.query(`KILL QUERY ${Math.trunc(threadId)}`, (error) => {
      killer.destroy();
      if (error) reject(error);
      else resolve();
    });
  });
}

export function killedFailure(target: string): TaskFailure {
  return new TaskFailure(`The statement on MySQL ${target} was cancelled: the task was killed or timed out`);
}

/** Runs a statement that returns nothing (SET, BEGIN, COMMIT…). */
export function execute(
  connection: mysql.PoolConnection,
  sql: string,
  values: unknown[] = [],
): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.query({ sql, values }, (error) => (error ? reject(error) : resolve()));
  });
}

/** A connection from the pool; gives up when the task is aborted (the late connection is released). */
async function connect(ctx: TaskContext, pool: mysql.Pool, target: string): Promise<mysql.PoolConnection> {
  const pending = new Promise<mysql.PoolConnection>((resolve, reject) => {
    pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection)));
  });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(killedFailure(target));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, aborted]);
  } catch (error) {
    pending.then((connection) => connection.destroy()).catch(() => {});
    throw mysqlFailure(error, target, 'connect');
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs `work` on a pooled connection. On abort the running statement is stopped with
 * `KILL QUERY` (and the connection cut if it does not stop); a connection that saw an error or an
 * abort is destroyed, never returned to the pool; a clean one is reset (COM_RESET_CONNECTION) so
 * the next task does not see this one's session.
 */
export async function withMysqlConnection<T>(
  ctx: TaskContext,
  props: Record<string, unknown>,
  work: (session: MysqlSession) => Promise<T>,
): Promise<T> {
  const { config, target } = mysqlConfigOf(props);
  const zone = text(props.timeZoneId);
  const offset = zone === undefined ? undefined : zoneOffset(zone);
  if (ctx.signal.aborted) throw killedFailure(target);
  const shared = sharedPool(
    poolKey(config),
    () => {
      const pool = mysql.createPool(config);
      // An idle connection that the server closes must not crash the worker.
      pool.on('connection', (connection) => connection.on('error', () => {}));
      return pool;
    },
    (pool) => new Promise<void>((resolve) => pool.end(() => resolve())),
  );
  try {
    const connection = await connect(ctx, shared.pool, target);
    let failed = false;
    let aborted = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let cutConnection: (() => void) | undefined;
    const cut = new Promise<never>((_resolve, reject) => {
      cutConnection = () => reject(killedFailure(target));
    });
    cut.catch(() => {});
    const onAbort = () => {
      aborted = true;
      killQuery(config, connection.threadId).catch((error: unknown) =>
        ctx.logger.warn(`Could not cancel the statement on MySQL ${target}: ${(error as Error).message}`),
      );
      graceTimer = setTimeout(() => {
        connection.destroy();
        cutConnection?.();
      }, CANCEL_GRACE_MS);
      graceTimer.unref();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (offset !== undefined) await execute(connection, 'SET time_zone = ?', [offset]);
      return await work({ connection, target, cut });
    } catch (error) {
      failed = true;
      throw aborted ? killedFailure(target) : mysqlFailure(error, target);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(graceTimer);
      if (!failed && !aborted) {
        await new Promise<void>((resolve) =>
          connection.reset((error) => {
            if (error) failed = true;
            resolve();
          }),
        );
      }
      if (failed || aborted) connection.destroy();
      else connection.release();
    }
  } finally {
    shared.release();
  }
}
