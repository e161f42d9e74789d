/**
 * What the HTTP server is built on: the runtime (executions, commands), the store, the internal
 * storage, the plugin catalog and the scheduler. One object, handed to every route module.
 */
import type { SchedulerApi } from '../engine/scheduler/contract.js';
import type { Runtime } from '../engine/runtime/runtime.js';
import type { PluginCatalog } from '../flow/catalog.js';
import type { InternalStorage } from '../storage/contract.js';
import type { ClusterRole, Store } from '../store/contract.js';
import type { FlowFileWriter } from './flow-files.js';

/** Basic-auth credentials; the password is never logged. */
export interface BasicAuthCredentials {
  username: string;
  password: string;
}

export interface ServerDeps {
  runtime: Runtime;
  store: Store;
  storage: InternalStorage;
  catalog: PluginCatalog;
  scheduler: SchedulerApi;
  /**
   * The roles this process plays in its cluster, as it reports them (`/health`). Default: the
   * runtime's (executor, worker).
   */
  roles?: readonly ClusterRole[];
  /**
   * The flow folders (`-f DIR`) of this server: flows saved or deleted through the API are
   * written to or removed from their files. Absent without `-f`.
   */
  flowFiles?: FlowFileWriter;
}

/** What `/health` and `/metrics` read: every server process has them, API or not. */
export type MonitoringDeps = Pick<ServerDeps, 'runtime' | 'store' | 'roles'>;

export interface ServerOptions {
  /** Basic auth on every route but webhooks, `/health` and `/metrics`; none when absent. */
  auth?: BasicAuthCredentials;
  /** Largest request body in bytes (JSON, YAML, text). Default 10 MiB. */
  maxBodySize?: number;
  /** Largest uploaded file (multipart FILE inputs, namespace files) in bytes. Default 1 GiB. */
  maxUploadSize?: number;
  /** The built web UI's folder, or false for none. Default dist/ui of the package. */
  uiRoot?: string | false;
  /** Log each request (Fastify's logger). Default false. */
  logRequests?: boolean;
}
