import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { RenderOptions } from '../../expr/index.js';
import { parseIsoDuration } from '../../flow/duration.js';
import type { KvType } from '../../store/contract.js';
import picomatch from 'picomatch';
import type {
  LogLevel,
  TaskContext,
  TaskKv,
  TaskCache,
  TaskNamespaceFiles,
  TaskStorage,
} from '../../plugins/context.js';
import { childUri, taskCachePrefix } from '../../storage/uri.js';
import { executionJson, logJson } from '../kestra-json.js';
import { resumeFromTask } from '../resume.js';
import type { WorkerJob } from '../executor/types.js';
import type { Execution, TaskRun } from '../model.js';
import type { WorkerServices } from './jobs.js';
import { checkKvKey } from './kv-keys.js';
import { taskFlows } from './task-flows.js';
import { plugins } from '../../plugins/on-demand.js';

export interface TaskContextInput {
  services: WorkerServices;
  execution: Execution;
  run: TaskRun;
  job: WorkerJob;
  vars: Record<string, unknown>;
  options: RenderOptions;
  log: (level: LogLevel, message: string) => void;
  /** The job's abort: its signal is made only if the task reads `ctx.signal`. */
  abort: { readonly signal: AbortSignal };
  workingDirectory: () => Promise<string>;
  /** Adds a value to what the job masks in its log lines and error. */
  maskSecret: (value: string) => void;
}

const KV_TYPES: ReadonlySet<string> = new Set([
  'STRING',
  'NUMBER',
  'BOOLEAN',
  'DATETIME',
  'DATE',
  'DURATION',
  'JSON',
]);

/** The context a plugin's `run`/`resolve` receives for one job. */
export function createTaskContext(input: TaskContextInput): TaskContext {
  const { services, execution, run, job } = input;
  const scope = { namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id };
  const storage: TaskStorage = {
    putFile: async (name, content) => {
      const uri = services.storage.taskRunFileUri(scope, run.taskId, run.id, name);
      await services.storage.put(uri, content);
      return uri;
    },
    putLocalFile: async (path, name) => {
      const uri = services.storage.taskRunFileUri(scope, run.taskId, run.id, name ?? basename(path));
      await services.storage.putLocalFile(uri, path);
      return uri;
    },
    readStream: (uri) => services.storage.readStream(uri),
    readBuffer: (uri) => services.storage.readBuffer(uri),
    localPath: (uri) => services.storage.localPath(uri),
    exists: (uri) => services.storage.exists(uri),
    size: (uri) => services.storage.size(uri),
    delete: (uri) => services.storage.delete(uri),
    purgeExecution: () => services.storage.purgeExecution(scope),
    fileUri: (name) => services.storage.taskRunFileUri(scope, run.taskId, run.id, name),
  };
  // Every key goes through checkKvKey: a bad key fails the task with a message naming it.
  const kv: TaskKv = {
    get: async (key, namespace) => {
      const entry = await services.store.kvGet(namespace ?? execution.namespace, checkKvKey(key));
      return entry ? { type: entry.type, value: entry.value } : undefined;
    },
    set: async (key, value, options = {}) => {
      const namespace = options.namespace ?? execution.namespace;
      checkKvKey(key);
      if (options.overwrite === false && (await services.store.kvGet(namespace, key)))
        throw new Error(
          `The KV key \`${key}\` already exists in namespace \`${namespace}\` and \`overwrite\` is false: set \`overwrite: true\` to replace it, or delete it first`,
        );
      const type = options.type && KV_TYPES.has(options.type) ? (options.type as KvType) : inferKvType(value);
      await services.store.kvPut({
        namespace,
        key,
        type,
        value,
        ...(options.description ? { description: options.description } : {}),
        ...(options.ttlMs !== undefined
          ? { expiresAt: new Date(Date.now() + options.ttlMs).toISOString() }
          : {}),
      });
    },
    delete: (key, namespace) => services.store.kvDelete(namespace ?? execution.namespace, checkKvKey(key)),
    keys: async (namespace) =>
      (await services.store.kvList(namespace ?? execution.namespace)).map((e) => e.key),
  };
  const namespaceFiles: TaskNamespaceFiles = {
    uri: (path, namespace) => services.storage.namespaceFileUri(namespace ?? execution.namespace, path),
    list: async (options = {}) => {
      const namespace = options.namespace ?? execution.namespace;
      const root = services.storage.namespaceFilesRoot(namespace);
      const paths = (await services.storage.list(root)).map((uri) =>
        uri
          .slice(root.length + 1)
          .split('/')
          .map(decodeURIComponent)
          .join('/'),
      );
      const include =
        options.include && options.include.length > 0
          ? picomatch([...options.include], { dot: true })
          : undefined;
      const exclude =
        options.exclude && options.exclude.length > 0
          ? picomatch([...options.exclude], { dot: true })
          : undefined;
      return paths.filter((p) => (!include || include(p)) && !(exclude && exclude(p)));
    },
    read: (path, namespace) => services.storage.readBuffer(namespaceFiles.uri(path, namespace)),
    write: async (path, content, namespace) => {
      const uri = namespaceFiles.uri(path, namespace);
      await services.storage.put(uri, content);
      return uri;
    },
    delete: (path, namespace) => services.storage.delete(namespaceFiles.uri(path, namespace)),
  };
  // Kept per flow, task and loop value; a value (any text) is keyed by its hash, computed only
  // when a task uses its cache (every task run builds a context; few use the cache).
  let cachePrefix: string | undefined;
  const cacheUri = (name: string) => {
    const parts = name.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..'))
      throw new Error(`\`${name}\` is not a relative file name for the task cache`);
    cachePrefix ??= taskCachePrefix(
      scope,
      run.taskId,
      run.value === undefined ? undefined : createHash('sha256').update(run.value).digest('hex').slice(0, 32),
    );
    return childUri(cachePrefix, name);
  };
  const cache: TaskCache = {
    read: async (name) => {
      const uri = cacheUri(name);
      return (await services.storage.exists(uri)) ? services.storage.readStream(uri) : undefined;
    },
    writeLocalFile: async (name, path) => {
      await services.storage.putLocalFile(cacheUri(name), path);
    },
    write: async (name, content) => {
      await services.storage.put(cacheUri(name), content);
    },
    delete: (name) => services.storage.delete(cacheUri(name)),
  };
  const logger = {
    log: input.log,
    trace: (m: string) => input.log('TRACE', m),
    debug: (m: string) => input.log('DEBUG', m),
    info: (m: string) => input.log('INFO', m),
    warn: (m: string) => input.log('WARN', m),
    error: (m: string) => input.log('ERROR', m),
  };
  return {
    run: {
      executionId: execution.id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      flowRevision: execution.flowRevision,
      taskId: run.taskId,
      taskRunId: run.id,
      ...(run.value !== undefined ? { value: run.value } : {}),
      attempt: job.attempt,
    },
    logger,
    get signal() {
      return input.abort.signal;
    },
    storage,
    kv,
    namespaceFiles,
    cache,
    execution: () => executionJson(execution),
    executionUrl: executionUrl(services.publicUrl, execution),
    findExecution: async (id) => {
      const found = await services.loadExecution(id);
      return found
        ? { execution: executionJson(found), url: executionUrl(services.publicUrl, found) }
        : undefined;
    },
    logs: async (executionId, filter = {}) =>
      (await services.store.getLogs(executionId, filter)).map(logJson),
    resumeExecution: (target, inputs) => resumeFromTask(services, execution, target, inputs),
    flows: taskFlows(services.store, services.catalog ?? plugins),
    render: (template, extra) =>
      services.templates.renderAsync(
        template,
        extra ? { ...input.vars, ...extra } : input.vars,
        input.options,
      ),
    workingDirectory: input.workingDirectory,
    env: {},
    workerEnv: services.env,
    maskSecret: input.maskSecret,
  };
}

/** The page of an execution in the web UI. */
function executionUrl(publicUrl: string, execution: Execution): string {
  return `${publicUrl.replace(/\/+$/, '')}/ui/main/executions/${encodeURIComponent(execution.namespace)}/${encodeURIComponent(execution.flowId)}/${encodeURIComponent(execution.id)}`;
}

/** The KV type of a value set without one. */
function inferKvType(value: unknown): KvType {
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (value !== null && typeof value === 'object') return 'JSON';
  if (typeof value === 'string' && /^P/.test(value) && parseIsoDuration(value) !== undefined)
    return 'DURATION';
  return 'STRING';
}
