/**
 * A server on a fresh data folder, for route tests through `app.inject` (no socket) and, with
 * `listen`, over real HTTP on 127.0.0.1.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createScheduler } from '../../src/engine/scheduler/index.js';
import type { Scheduler, SchedulerClock } from '../../src/engine/scheduler/index.js';
import { openLocal } from '../../src/engine/runtime/local.js';
import type { LocalSetup } from '../../src/engine/runtime/local.js';
import { catalog } from '../../src/plugins/registry.js';
import { buildServer } from '../../src/server/app.js';
import type { ServerOptions } from '../../src/server/deps.js';
import { startFlowFolderSync } from '../../src/server/flow-folder-sync.js';
import type { FlowFolderSync } from '../../src/server/flow-folder-sync.js';

export interface TestServer {
  app: FastifyInstance;
  local: LocalSetup;
  scheduler: Scheduler;
  dataDir: string;
  /** The folder sync, when `flowPaths` were given. */
  sync?: FlowFolderSync;
  /** Base URL once `listen` was asked for. */
  url?: string;
  close(): Promise<void>;
}

export interface TestServerOptions extends ServerOptions {
  /** Listen on 127.0.0.1 on a free port (for real-HTTP tests). */
  listen?: boolean;
  clock?: SchedulerClock;
  /** Start the scheduler (default true). */
  scheduler?: boolean;
  env?: Record<string, string | undefined>;
  /** The data folder to use (made if missing; removed on close), instead of a new temporary one. */
  dataDir?: string;
  /** Folders of flows loaded and watched as `server local -f` does (saves through the API write back to them). */
  flowPaths?: string[];
}

/** Starts a runtime, a scheduler and the app on a temporary data folder. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'wh-server-')));
  await mkdir(dataDir, { recursive: true });
  const local = await openLocal(dataDir, options.env ? { env: options.env } : {});
  await local.runtime.start();
  const scheduler = createScheduler({
    runtime: local.runtime,
    store: local.store,
    catalog,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (options.scheduler !== false) await scheduler.start();
  const sync = options.flowPaths
    ? await startFlowFolderSync({
        folders: options.flowPaths,
        store: local.store,
        scheduler,
        debounceMs: 30,
        info: () => {},
        problem: () => {},
      })
    : undefined;
  const app = await buildServer(
    {
      runtime: local.runtime,
      store: local.store,
      storage: local.runtime.storage,
      catalog,
      scheduler,
      ...(sync ? { flowFiles: sync } : {}),
    },
    options,
  );
  let url: string | undefined;
  if (options.listen) url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    local,
    scheduler,
    dataDir,
    ...(sync ? { sync } : {}),
    ...(url ? { url } : {}),
    close: async () => {
      sync?.close();
      await app.close();
      await scheduler.stop();
      await local.close(2_000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `Authorization` header of basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
