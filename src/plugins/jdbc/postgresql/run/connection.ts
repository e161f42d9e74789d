/**
 * PostgreSQL connections of a task run: the pg config built from the JDBC URL and the task's
 * connection and SSL properties, a shared pool per login, errors that name the server (never the
 * password), and cancellation of the running statement when the task is killed or times out.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { parseJdbcUrl } from '../../run/jdbc-url.js';
import { sharedPool } from '../../run/pools.js';
import { OUTPUT_TYPES } from './types.js';

/** A connection handed to a task's work, with the text that names its server in messages. */
export interface PgSession {
  client: pg.PoolClient;
  /** `127.0.0.1:5432/shop as ann`, for messages. */
  target: string;
}

const CONNECT_TIMEOUT_MS = 30_000;
/** After a cancel request, how long the statement may take to stop before its connection is cut. */
const CANCEL_GRACE_MS = 2_000;

type SslMode = 'DISABLE' | 'ALLOW' | 'PREFER' | 'REQUIRE' | 'VERIFY_CA' | 'VERIFY_FULL';
const SSL_MODES: readonly SslMode[] = ['DISABLE', 'ALLOW', 'PREFER', 'REQUIRE', 'VERIFY_CA', 'VERIFY_FULL'];

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The SSL mode: `sslMode`, else the URL's `sslmode`, else `ssl: true` as the JDBC driver reads it. */
function sslModeOf(props: Record<string, unknown>, params: Record<string, string>): SslMode {
  const given = text(props.sslMode) ?? text(params.sslmode)?.toUpperCase().replace('-', '_');
  if (given !== undefined) {
    if (!(SSL_MODES as readonly string[]).includes(given))
      throw new TaskFailure(
        `The SSL mode \`${given}\` is not one of ${SSL_MODES.map((m) => `\`${m}\``).join(', ')}; fix \`sslMode\` or the URL's \`sslmode\``,
      );
    return given as SslMode;
  }
  // The JDBC driver verifies the server fully when `ssl=true` is all it is told.
  return props.ssl === true || params.ssl === 'true' ? 'VERIFY_FULL' : 'DISABLE';
}

/** pg's `ssl` option for a mode; ALLOW and PREFER connect without SSL (pg cannot fall back). */
function sslOption(mode: SslMode, props: Record<string, unknown>): pg.ClientConfig['ssl'] {
  if (mode === 'DISABLE' || mode === 'ALLOW' || mode === 'PREFER') return false;
  const files = {
    ...(text(props.sslRootCert) ? { ca: text(props.sslRootCert) } : {}),
    ...(text(props.sslCert) ? { cert: text(props.sslCert) } : {}),
    ...(text(props.sslKey) ? { key: text(props.sslKey) } : {}),
    ...(text(props.sslKeyPassword) ? { passphrase: text(props.sslKeyPassword) } : {}),
  };
  if (mode === 'REQUIRE') return { ...files, rejectUnauthorized: false };
  if (mode === 'VERIFY_CA')
    return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ...files, rejectUnauthorized: true };
}

/** The pg config of a task's props, and what names its server in messages. */
export function pgConfigOf(props: Record<string, unknown>): { config: pg.PoolConfig; target: string } {
  const url = parseJdbcUrl(typeof props.url === 'string' ? props.url : '');
  if (url.database !== 'postgresql')
    throw new TaskFailure(`Property \`url\`: \`${String(props.url)}\` is not a PostgreSQL JDBC URL`);
  const user = text(props.username) ?? text(url.params.user) ?? url.user;
  const password = text(props.password) ?? text(url.params.password) ?? url.password;
  const port = url.port ?? 5432;
  const database = url.path || user || 'postgres';
  const config: pg.PoolConfig = {
    host: url.host,
    port,
    database,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    ssl: sslOption(sslModeOf(props, url.params), props),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'windhover',
    types: OUTPUT_TYPES,
    max: 10,
    idleTimeoutMillis: 30_000,
    // Idle connections must not keep a finished `windhover run` alive.
    allowExitOnIdle: true,
    ...(text(props.timeZoneId) ? { options: `-c TimeZone=${text(props.timeZoneId)}` } : {}),
  };
  return { config, target: `${url.host}:${port}/${database}${user ? ` as ${user}` : ''}` };
}

/** The pool key: the config with the password hashed (a changed password opens a new pool). */
function poolKey(config: pg.PoolConfig): string {
  const { password, types: _types, ...rest } = config;
  const secret = createHash('sha256')
    .update(String(password ?? ''))
    .digest('hex');
  return `postgresql:${JSON.stringify(rest)}:${secret}`;
}

const CONNECT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

/** A task failure for a pg error: the database's message, SQLSTATE, detail and hint, and the server. */
export function pgFailure(error: unknown, target: string, phase: 'connect' | 'run' = 'run'): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const e = error as Partial<pg.DatabaseError> & { code?: string; message?: string };
  const message = e.message ?? String(error);
  if (e instanceof pg.DatabaseError || (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code))) {
    const extra = [
      e.detail ? `detail: ${e.detail}` : '',
      e.hint ? `hint: ${e.hint}` : '',
      e.position ? `at character ${e.position}` : '',
      e.where ? `where: ${e.where}` : '',
    ].filter(Boolean);
    const where = phase === 'connect' ? `connecting to PostgreSQL ${target}` : `PostgreSQL ${target}`;
    return new TaskFailure(
      `${where}: ${message} (SQLSTATE ${e.code})${extra.length ? `; ${extra.join('; ')}` : ''}`,
    );
  }
  if (phase === 'connect' || CONNECT_CODES.has(e.code ?? '') || /timeout expired/i.test(message))
    return new TaskFailure(
      `Cannot connect to PostgreSQL ${target}: ${message}; check the host and port of \`url\` and that the server accepts connections`,
    );
  return new TaskFailure(`PostgreSQL ${target}: ${message}`);
}

/** Asks the server to cancel the statement of backend `pid`, from a connection of its own. */
async function cancelBackend(config: pg.PoolConfig, pid: number): Promise<void> {
  const canceller = new pg.Client({ ...config, connectionTimeoutMillis: 5_000 });
  canceller.on('error', () => {});
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await canceller.end().catch(() => {});
  }
}

function killedFailure(target: string): TaskFailure {
  return new TaskFailure(
    `The statement on PostgreSQL ${target} was cancelled: the task was killed or timed out`,
  );
}

/**
 * Runs `work` on a pooled connection. On abort the running statement is cancelled (and the
 * connection cut if it does not stop); a connection that saw an error is destroyed, never
 * returned to the pool.
 */
export async function withPgConnection<T>(
  ctx: TaskContext,
  props: Record<string, unknown>,
  work: (session: PgSession) => Promise<T>,
): Promise<T> {
  const { config, target } = pgConfigOf(props);
  if (ctx.signal.aborted) throw killedFailure(target);
  const shared = sharedPool(
    poolKey(config),
    () => {
      const pool = new pg.Pool(config);
      // An idle connection that the server closes must not crash the worker.
      pool.on('error', () => {});
      return pool;
    },
    (pool) => pool.end(),
  );
  try {
    const client = await connect(ctx, shared.pool, target);
    let failed = false;
    let aborted = false;
    const onClientError = () => {
      failed = true;
    };
    client.on('error', onClientError);
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      aborted = true;
      // processID is set by pg once connected, though @types/pg does not declare it.
      const pid = (client as unknown as { processID?: number | null }).processID;
      if (typeof pid === 'number') {
        cancelBackend(config, pid).catch((error: unknown) =>
          ctx.logger.warn(
            `Could not cancel the statement on PostgreSQL ${target}: ${(error as Error).message}`,
          ),
        );
      }
      graceTimer = setTimeout(() => void client.end().catch(() => {}), CANCEL_GRACE_MS);
      graceTimer.unref();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work({ client, target });
    } catch (error) {
      failed = true;
      throw aborted ? killedFailure(target) : pgFailure(error, target);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(graceTimer);
      client.removeListener('error', onClientError);
      // The error listener stays while the pool holds the client: a late socket error is harmless.
      client.on('error', () => {});
      if (!failed && !aborted) {
        // The next task on this connection must not see this one's session (SET, temp tables…).
        await client.query('DISCARD ALL').catch(() => {
          failed = true;
        });
      }
      client.release(failed || aborted ? true : undefined);
    }
  } finally {
    shared.release();
  }
}

/** A connection from the pool; gives up when the task is aborted (the late connection is released). */
async function connect(ctx: TaskContext, pool: pg.Pool, target: string): Promise<pg.PoolClient> {
  const pending = pool.connect();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(killedFailure(target));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, aborted]);
  } catch (error) {
    pending.then((client) => client.release(true)).catch(() => {});
    throw pgFailure(error, target, 'connect');
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}
