/**
 * The composition root of a server process: configuration → store and runtime → scheduler →
 * flow folders → HTTP server on its port; and the way back down on SIGINT/SIGTERM (stop taking
 * requests, stop firing triggers, let running tasks finish, close the store, unlock the folder).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { LocalSetup } from '../engine/runtime/local.js';
import { createScheduler } from '../engine/scheduler/index.js';
import type { Scheduler } from '../engine/scheduler/index.js';
import { plugins as catalog } from '../plugins/on-demand.js';
import { ErrorCodes, WindhoverError } from '../errors.js';
import { buildMonitoringServer, buildServer } from './app.js';
import { checkExposure, describeConfig, isLoopbackHost } from './config.js';
import type { ServerConfig } from './config.js';
import { startFlowFolderSync } from './flow-folder-sync.js';
import type { FlowFolderSync } from './flow-folder-sync.js';
import { openServerSetup, parseStoreUrl, rolesOf } from './open-store.js';
import type { ServerMode } from './open-store.js';

/** How long running tasks may take to finish when the server is asked to stop. */
export const SHUTDOWN_GRACE_MS = 30_000;

/** How long open connections (event streams) may hold the HTTP server open while it stops. */
const CONNECTION_GRACE_MS = 2_000;

export interface ServerOutput {
  info: (line: string) => void;
  problem: (line: string) => void;
}

const consoleOutput: ServerOutput = {
  info: (line) => process.stdout.write(`${line}\n`),
  problem: (line) => process.stderr.write(`${line}\n`),
};

/** A server process's parts, listening. */
export interface RunningServer {
  /** The base URL it answers on (e.g. http://127.0.0.1:8080). */
  url: string;
  app: FastifyInstance;
  setup: LocalSetup;
  /** Absent on executors and workers. */
  scheduler?: Scheduler;
  sync?: FlowFolderSync;
  /** Stops everything, in order; running tasks get `graceMs` to finish. Safe to call twice. */
  close(graceMs?: number): Promise<void>;
}

/** Starts a server process's parts and listens; throws WH_CONFIG_INVALID (and closes what it opened) on a bad setup. */
export async function startServer(
  config: ServerConfig,
  mode: ServerMode,
  output: ServerOutput = consoleOutput,
): Promise<RunningServer> {
  // Credentials guard the API; the other roles serve only /health and /metrics, open everywhere.
  if (rolesOf(mode).includes('webserver')) checkExposure(config);
  if (mode === 'local' && config.store.url)
    output.problem(
      'note: store.url is ignored by `server local` (its store is in the data folder); see `server standalone`',
    );
  // A role shares files with other processes: its own data folder is not where they look.
  if (mode !== 'local' && mode !== 'standalone' && mode !== 'scheduler' && !config.storage.url)
    output.problem(
      `note: \`server ${mode}\` without storage.url keeps task files in its own data folder, where ` +
        'other processes cannot read them: set --storage-url or WINDHOVER_STORAGE_URL (the store URL ' +
        'works, or a folder every machine mounts); see docs/deploy.md#internal-storage',
    );
  const setup = await openServerSetup(config, mode);
  const closers: Array<() => Promise<void>> = [() => setup.close(SHUTDOWN_GRACE_MS)];
  const closeAll = async (graceMs: number) => {
    closers[0] = () => setup.close(graceMs);
    // Last opened, first closed.
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    await setup.runtime.start();
    const roles = rolesOf(mode);
    const shared = mode !== 'local' && parseStoreUrl(config.store.url!).kind === 'postgres';
    let scheduler: Scheduler | undefined;
    if (roles.includes('scheduler') || roles.includes('webserver')) {
      const wakeUps = setup.runtime.wakeUps;
      scheduler = createScheduler({
        runtime: setup.runtime,
        store: setup.store,
        catalog,
        // Schedules without `timezone` run in the server's zone, as in Kestra (the machine's unless configured).
        timeZone: config.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
        // On a shared store one scheduler fires at a time; a web server's only serves the trigger API.
        ...(shared
          ? { cluster: { memberId: setup.runtime.memberId, fires: roles.includes('scheduler') } }
          : {}),
        ...(wakeUps ? { wakeUps } : {}),
      });
      await scheduler.start();
      const started = scheduler;
      closers.push(() => started.stop());
    }

    let sync: FlowFolderSync | undefined;
    if (config.flows.paths.length > 0 && scheduler && roles.includes('webserver')) {
      sync = await startFlowFolderSync({
        folders: config.flows.paths,
        store: setup.store,
        scheduler,
        info: output.info,
        problem: output.problem,
      });
      const current = sync;
      closers.push(() => Promise.resolve(current.close()));
      const { deployed, invalid } = sync.initial;
      output.info(
        `Loaded ${deployed.length} flow${deployed.length === 1 ? '' : 's'} from ${config.flows.paths.join(', ')}` +
          (invalid.length ? ` (${invalid.length} invalid, skipped)` : '') +
          '; watching for changes',
      );
    } else if (config.flows.paths.length > 0) {
      output.problem(
        `note: flows.paths is ignored by \`server ${mode}\` (flow folders are loaded by a web server)`,
      );
    }

    const app =
      scheduler && roles.includes('webserver')
        ? await buildServer(
            {
              runtime: setup.runtime,
              store: setup.store,
              storage: setup.runtime.storage,
              catalog,
              scheduler,
              roles,
              // Flows saved or deleted through the API reach their files in the folders first.
              ...(sync ? { flowFiles: sync } : {}),
            },
            {
              ...(config.server.auth ? { auth: config.server.auth } : {}),
              maxBodySize: config.server.maxBodySize,
              maxUploadSize: config.server.maxUploadSize,
            },
          )
        : await buildMonitoringServer({ runtime: setup.runtime, store: setup.store, roles });
    closers.push(() => closeHttp(app));
    await listen(app, config.server.host, config.server.port);
    const url = urlOf(app, config.server.host);
    let closing: Promise<void> | undefined;
    return {
      url,
      app,
      setup,
      ...(scheduler ? { scheduler } : {}),
      ...(sync ? { sync } : {}),
      close: (graceMs = SHUTDOWN_GRACE_MS) => (closing ??= closeAll(graceMs)),
    };
  } catch (error) {
    await closeAll(2_000).catch(() => {});
    throw error;
  }
}

/** The line printed when the server is ready. */
export function readyLine(server: RunningServer, config: ServerConfig): string {
  const access = config.server.auth
    ? `basic auth as ${config.server.auth.username}`
    : 'open: no credentials configured';
  const listening = isLoopbackHost(config.server.host) ? '' : `, listening on ${config.server.host}`;
  return `Windhover is running at ${server.url} (${access}${listening})`;
}

/**
 * Runs a server until SIGINT or SIGTERM, then stops it gracefully; resolves with the exit code
 * (0 after a clean stop). A second signal leaves at once (130).
 */
export async function runServer(
  config: ServerConfig,
  mode: ServerMode,
  output: ServerOutput = consoleOutput,
): Promise<number> {
  let server: RunningServer | undefined;
  let pending: NodeJS.Signals | undefined;
  let signals = 0;
  let finish: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (finish = resolve));
  const stop = (signal: NodeJS.Signals, running: RunningServer) => {
    output.info(
      `${signal}: stopping (running tasks get up to ${SHUTDOWN_GRACE_MS / 1000} s to finish; a second signal leaves at once)`,
    );
    running.close(SHUTDOWN_GRACE_MS).then(
      () => {
        output.info('Windhover stopped');
        finish(0);
      },
      (error: unknown) => {
        output.problem(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        finish(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(130);
    // A signal during start-up stops the server as soon as it is up (its parts close in order).
    if (server) stop(signal, server);
    else pending = signal;
  };
  // Installed before anything is printed: whoever sees the ready line may signal at once.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    server = await startServer(config, mode, output);
    output.info(describeConfig(config));
    output.info(readyLine(server, config));
    if (pending) stop(pending, server);
    return await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Listens; an address that cannot be used is the configuration's fault (WH_CONFIG_INVALID), not a crash. */
async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
      EADDRINUSE: 'the port is in use by another process (choose another with --port)',
      EACCES: 'this user may not use that port (ports below 1024 need privileges)',
      EADDRNOTAVAIL: 'this machine has no such address (--host)',
      ENOTFOUND: 'the host name does not resolve (--host)',
    };
    if (code && why[code])
      throw new WindhoverError(ErrorCodes.CONFIG_INVALID, `Cannot listen on ${host}:${port}: ${why[code]}`);
    throw error;
  }
}

/** Closes the HTTP server; connections still open after a short grace (event streams) are cut. */
async function closeHttp(app: FastifyInstance): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), CONNECTION_GRACE_MS);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

function urlOf(app: FastifyInstance, host: string): string {
  const address = app.server.address() as AddressInfo;
  // A wildcard address is not one a browser can open: show this machine's loopback instead.
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  const shownHost = wildcard
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : isLoopbackHost(host) && host === 'localhost'
        ? 'localhost'
        : address.address;
  return `http://${shownHost}:${address.port}`;
}
