/**
 * `windhover gcp-emulator`: one Fastify app on one port serving the Cloud Storage JSON API
 * (`/storage/v1/…`, `/upload/storage/v1/…`, `/download/storage/v1/…`), BigQuery v2
 * (`/bigquery/v2/…`) and an OAuth2 token endpoint (`/token`), all on local disk under
 * `dataDir`. For learning, development and tests: it is not Google, and not a security boundary.
 * Each API is an encapsulated plugin with its own body parsers (storage keeps bodies as streams).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { lockEmulatorData } from './data-lock.js';
import { googleErrorBody } from './storage/errors.js';
import { LocalStorageStore } from './storage/local-store.js';
import { storageRoutes } from './storage/routes.js';
import { OAuthState, oauthRoutes } from './oauth.js';
import { bigQueryRoutes } from './bigquery/routes.js';

/** Options of {@link startGcpEmulator}. */
export interface GcpEmulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 4443; 0 picks a free one). */
  port?: number;
  /** Folder holding everything the emulator stores. */
  dataDir: string;
  /** No log at all (tests). */
  quiet?: boolean;
  /** Log every request (default: warnings and errors only). */
  verbose?: boolean;
  /** Project used for bucket inserts that name none. */
  defaultProject?: string;
}

/** What the OAuth endpoint has seen, for tests. */
export interface GcpEmulatorStats {
  tokenExchanges: number;
  authenticatedRequests: number;
}

/** A running emulator. */
export interface GcpEmulator {
  /** `http://host:port`, what `STORAGE_EMULATOR_HOST` / `BIGQUERY_EMULATOR_HOST` take. */
  url: string;
  port: number;
  /** Counters of the OAuth endpoint. */
  stats(): GcpEmulatorStats;
  close(): Promise<void>;
}

/** Starts the emulator and resolves once it listens. */
export async function startGcpEmulator(options: GcpEmulatorOptions): Promise<GcpEmulator> {
  const host = options.host ?? '127.0.0.1';
  mkdirSync(options.dataDir, { recursive: true });
  // Before anything opens or cleans the folder.
  const unlock = lockEmulatorData(options.dataDir);
  const app = Fastify({
    logger: options.quiet ? false : { level: options.verbose ? 'info' : 'warn' },
    // Percent-encoded object names run up to 3 KB in paths.
    routerOptions: { maxParamLength: 8192 },
    // Uploads of large objects take as long as they take.
    requestTimeout: 0,
    connectionTimeout: 0,
    // close() must not wait for a client that stalled mid-upload.
    forceCloseConnections: true,
  });
  let store: LocalStorageStore;
  try {
    store = new LocalStorageStore(options.dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    store.close();
    unlock();
  };
  app.addHook('onClose', (_instance, done) => {
    release();
    done();
  });
  const oauth = new OAuthState();
  app.addHook('onRequest', (request, _reply, done) => {
    oauth.observe(request);
    done();
  });
  try {
    await registerApis(app, { store, oauth, options });
    await app.listen({ host, port: options.port ?? 4443 });
  } catch (error) {
    // Whatever failed (a BigQuery file in use, the port taken), nothing stays open or locked.
    await app.close().catch(() => undefined);
    // A failed start-up may not run onClose hooks.
    release();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 4443);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats: () => ({
      tokenExchanges: oauth.tokenExchanges,
      authenticatedRequests: oauth.authenticatedRequests,
    }),
    close: () => app.close(),
  };
}

/** The OAuth, Cloud Storage and BigQuery routes, each an encapsulated plugin, and the 404. */
async function registerApis(
  app: FastifyInstance,
  { store, oauth, options }: { store: LocalStorageStore; oauth: OAuthState; options: GcpEmulatorOptions },
): Promise<void> {
  await app.register(oauthRoutes(oauth));
  await app.register(
    storageRoutes(
      options.defaultProject === undefined ? { store } : { store, defaultProject: options.defaultProject },
    ),
  );

  // ---- BigQuery (helper C mounts bigQueryRoutes here) ----
  await app.register(bigQueryRoutes({ dataDir: join(options.dataDir, 'bigquery'), objects: store }));
  // ---- end BigQuery ----

  app.setNotFoundHandler((request, reply) => {
    const message = `Not found: ${request.method} ${request.url.split('?')[0]} is not an API path the emulator serves.`;
    return reply.code(404).send(googleErrorBody(404, 'notFound', message));
  });
}
