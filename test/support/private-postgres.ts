/**
 * A private PostgreSQL cluster for the tests that take the database away (stop, restart,
 * terminate its sessions): `initdb` into a temporary folder, a free port on 127.0.0.1, its
 * unix socket in that folder, nothing shared with the machine's own server, whose other clients
 * a restart would cut off. The same binaries as the machine's server (`pg_config --bindir`, else
 * /usr/lib/postgresql/<newest>/bin, else PATH; WINDHOVER_TEST_POSTGRES_BINDIR overrides). As
 * root, initdb and postgres refuse to run, so they run as the `postgres` OS user (or
 * WINDHOVER_TEST_POSTGRES_OS_USER) through runuser or setpriv, which then owns the folder.
 *
 * The cluster is stopped and its folder removed by `destroy()` (call it in afterAll), at the
 * test process's exit, and by a watchdog shell if the process is killed outright. Without the
 * binaries the tests skip with the reason, unless WINDHOVER_TEST_REQUIRE_DATABASES=1 (then the
 * run fails, as for the shared servers in test/support/databases.ts).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestDatabase } from './databases.js';

const run = promisify(execFile);
const REQUIRED = process.env.WINDHOVER_TEST_REQUIRE_DATABASES === '1';

/** How pg_ctl stops the server: `fast` ends sessions cleanly, `immediate` as a crash would. */
export type StopMode = 'fast' | 'immediate';

/** A running private cluster; the superuser is `postgres`, with trust authentication. */
export interface PrivatePostgres {
  readonly port: number;
  /** The temporary folder (data directory, socket, log). */
  readonly dir: string;
  /** The URL of database `name` on this cluster (default `postgres`). */
  url(name?: string): string;
  /** Creates a database on this cluster, in the shape the shared-server helpers return. */
  createDatabase(name: string): Promise<TestDatabase>;
  /** Stops the server (`pg_ctl stop -m mode`, waiting until it is down). */
  stop(mode?: StopMode): Promise<void>;
  /** Starts it again on the same port, waiting until it accepts connections. */
  start(): Promise<void>;
  /** Stops then starts it (`pg_ctl restart -m mode`). */
  restart(mode?: StopMode): Promise<void>;
  /** The server's log so far, for failure messages. */
  log(): string;
  /** Stops the server (immediate) and removes its folder; safe to call twice. */
  destroy(): void;
}

/** A cluster, or why there is none (tests skip with the reason). */
export type PrivatePostgresResult =
  | { available: true; reason: ''; cluster: PrivatePostgres }
  | { available: false; reason: string; cluster: undefined };

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const hasTools = (dir: string) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'));

/** The folder holding initdb and pg_ctl, or undefined when this machine has none. */
export function findPostgresBinaries(): string | undefined {
  const override = process.env.WINDHOVER_TEST_POSTGRES_BINDIR;
  if (override) return hasTools(override) ? override : undefined;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    if (hasTools(dir)) return dir;
  } catch {
    // No pg_config (client libraries not installed): look in the usual places.
  }
  const versions = (root: string) => {
    try {
      return readdirSync(root).sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    } catch {
      return [];
    }
  };
  const candidates = [
    ...versions('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`),
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
  ];
  return candidates.find(hasTools);
}

/** How to run a command as a user that initdb and postgres accept (not root). */
function unprivilegedPrefix(): { prefix: string[]; uid: number; gid: number } | string {
  if (process.getuid?.() !== 0) return { prefix: [], uid: -1, gid: -1 };
  const user = process.env.WINDHOVER_TEST_POSTGRES_OS_USER ?? 'postgres';
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: 'pipe' }).trim());
    gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    return `running as root, and there is no OS user ${user} to run PostgreSQL as (set WINDHOVER_TEST_POSTGRES_OS_USER)`;
  }
  const onPath = (tool: string) =>
    ['/usr/sbin', '/sbin', '/usr/bin', '/bin', ...(process.env.PATH ?? '').split(delimiter)].some((d) =>
      isExecutable(join(d, tool)),
    );
  if (onPath('runuser')) return { prefix: ['runuser', '-u', user, '--'], uid, gid };
  if (onPath('setpriv'))
    return { prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--'], uid, gid };
  return 'running as root, and neither runuser nor setpriv is there to run PostgreSQL unprivileged';
}

/** A port nobody listens on right now (another process may take it before us: start retries). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Folders of clusters not destroyed yet, stopped and removed when the process exits. */
const live = new Set<() => void>();
process.once('exit', () => {
  for (const destroy of live) destroy();
});

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Creates and starts a private cluster (`label` names its folder). Resolves with why there is
 * none when this machine cannot run one; throws when it could and failed.
 */
export async function startPrivatePostgres(
  label: string,
  /** More `-c name=value` settings, after (so overriding) the defaults below; e.g. a benchmark's. */
  settings: string[] = [],
): Promise<PrivatePostgresResult> {
  const bin = findPostgresBinaries();
  const asUser = unprivilegedPrefix();
  const reason =
    bin === undefined
      ? 'no PostgreSQL server binaries (initdb, pg_ctl) on this machine: install postgresql or set WINDHOVER_TEST_POSTGRES_BINDIR'
      : typeof asUser === 'string'
        ? asUser
        : '';
  if (reason !== '') {
    const message = `cannot make a private PostgreSQL cluster: ${reason}`;
    if (REQUIRED) throw new Error(`${message}; WINDHOVER_TEST_REQUIRE_DATABASES=1 requires it (see .ci/run)`);
    console.warn(`skipping tests that need a private PostgreSQL cluster: ${message}`);
    return { available: false, reason: message, cluster: undefined };
  }
  const { prefix, uid, gid } = asUser as Exclude<typeof asUser, string>;
  const dir = mkdtempSync(join(tmpdir(), `wh-pg-${label}-`));
  if (uid >= 0) chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const tool = (name: string) => [...prefix, join(bin!, name)];
  /** Runs a PostgreSQL tool as the unprivileged user, from the folder (postgres may not read our cwd). */
  const pgTool = async (name: string, args: string[]) => {
    const [command, ...rest] = tool(name);
    try {
      await run(command!, [...rest, ...args], { cwd: dir, timeout: 120_000 });
    } catch (error) {
      const detail = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `${name} ${args.join(' ')} failed: ${detail.stderr || detail.stdout || detail.message}\n${readLog()}`,
        { cause: error },
      );
    }
  };
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const pgCtl = (args: string[]) => pgTool('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', ...args]);

  let destroyed = false;
  let watchdog: number | undefined;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    live.delete(destroy);
    try {
      const [command, ...rest] = tool('pg_ctl');
      execFileSync(command!, [...rest, '-D', data, '-m', 'immediate', '-w', 'stop'], {
        cwd: dir,
        stdio: 'pipe',
      });
    } catch {
      // Not running (never started, or stopped by the test).
    }
    rmSync(dir, { recursive: true, force: true });
    if (watchdog !== undefined) {
      try {
        process.kill(-watchdog, 'SIGTERM');
      } catch {
        // It had ended already.
      }
    }
  };
  live.add(destroy);

  try {
    await pgTool('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    // If this process is killed outright (no exit handler runs), the watchdog stops the server
    // and removes the folder once the process is gone.
    const stopCommand = [...tool('pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']
      .map(shellQuote)
      .join(' ');
    const dog = spawn(
      '/bin/sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; cd ${shellQuote(dir)} && ${stopCommand} >/dev/null 2>&1; cd / && rm -rf ${shellQuote(dir)}`,
      ],
      { detached: true, stdio: 'ignore' },
    );
    dog.unref();
    watchdog = dog.pid;

    let port = 0;
    let options = '';
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      options = [
        `-p ${port}`,
        `-c listen_addresses=127.0.0.1`,
        `-c unix_socket_directories=${dir}`,
        // Nothing here must survive a machine crash: spare the disk (and the machine's 2 cores).
        '-c fsync=off',
        '-c full_page_writes=off',
        '-c shared_buffers=16MB',
        '-c max_connections=100',
        ...settings.map((setting) => `-c ${setting}`),
      ].join(' ');
      try {
        await pgCtl(['-o', options, 'start']);
        break;
      } catch (error) {
        // Someone took the port between our probe and the server's bind: try another.
        if (attempt >= 3 || !/could not (bind|create listen)|Address already in use/i.test(String(error)))
          throw error;
      }
    }

    const url = (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`;
    const admin = async <T>(sql: string): Promise<T[]> => {
      const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    };
    const cluster: PrivatePostgres = {
      port,
      dir,
      url,
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        await admin(`CREATE DATABASE ${name}`);
        return {
          available: true,
          reason: '',
          name,
          url: url(name),
          jdbcUrl: `jdbc:postgresql://127.0.0.1:${port}/${name}`,
          username: 'postgres',
          drop: async () => {
            if (!destroyed) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          },
        };
      },
      stop: (mode = 'fast') => pgCtl(['-m', mode, 'stop']),
      // The server's options (port, socket folder…) are given again: pg_ctl start does not keep them.
      start: () => pgCtl(['-o', options, 'start']),
      restart: (mode = 'fast') => pgCtl(['-m', mode, '-o', options, 'restart']),
      log: readLog,
      destroy,
    };
    return { available: true, reason: '', cluster };
  } catch (error) {
    destroy();
    throw error;
  }
}
