/**
 * Opening the embedded setup in a data folder: the SQLite store (`windhover.db`), internal
 * storage (`storage/`) and task working directories (`work/`).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { lockDataFolder } from './data-lock.js';
import { closeDataFolder, closeFile, workRootFor } from './data-folder-modes.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { formatProblem, validateFlowSource } from '../../flow/index.js';
import type { PluginCatalog } from '../../flow/catalog.js';
import type { Problem } from '../../flow/index.js';
import type { Flow } from '../../flow/model.js';
import { plugins as onDemandPlugins, withPluginsFor } from '../../plugins/on-demand.js';
import { closePluginResources } from '../../plugins/resources.js';
import { LocalStorage } from '../../storage/local.js';
import type { InternalStorage } from '../../storage/contract.js';
import type { Store } from '../../store/contract.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { Runtime } from './runtime.js';
import type { RuntimeOptions } from './runtime.js';

export interface LocalSetup {
  dataDir: string;
  store: Store;
  runtime: Runtime;
  /** Stops the runtime (if started), closes the store and unlocks the folder. */
  close(graceMs?: number): Promise<void>;
}

/** A store opened for a setup, with what releases what it holds besides the store (locks). */
export interface OpenedSetupStore {
  store: Store;
  unlock?: () => void;
}

/** Internal storage for a setup, with what releases it (a pool), when not the data folder's. */
export interface SetupStorage {
  storage: InternalStorage;
  close(): Promise<void>;
}

/**
 * A runtime on a store and storage, with the data folder for working directories (and the
 * storage, unless one is given). The folder is locked for this process (WH_DATA_LOCKED if another
 * live process has it); `close` stops the runtime and releases everything in order.
 */
export async function openSetup(
  dataDir: string,
  options: Partial<RuntimeOptions>,
  openStore: (dir: string) => Promise<OpenedSetupStore>,
  storage?: SetupStorage,
): Promise<LocalSetup> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const unlockData = lockDataFolder(join(dir, 'windhover.lock'));
  let opened: OpenedSetupStore;
  try {
    opened = await openStore(dir);
  } catch (error) {
    unlockData();
    await storage?.close();
    throw error;
  }
  const { store } = opened;
  let workRoot: string;
  try {
    await closeDataFolder(dir, { localStorage: !storage });
    workRoot = await workRootFor(dir);
  } catch (error) {
    opened.unlock?.();
    unlockData();
    await storage?.close();
    await store.close();
    throw error;
  }
  const runtime = new Runtime({
    store,
    storage: storage?.storage ?? new LocalStorage(join(dir, 'storage')),
    workRoot,
    ...options,
  });
  let closed = false;
  return {
    dataDir: dir,
    store,
    runtime,
    close: async (graceMs = 30_000) => {
      if (closed) return;
      closed = true;
      try {
        await runtime.stop(graceMs);
        await closePluginResources();
        await storage?.close();
        await store.close();
      } finally {
        opened.unlock?.();
        unlockData();
      }
    },
  };
}

/**
 * Opens (creating it if needed) the embedded setup of a data folder: SQLite in `windhover.db`,
 * files in `storage/`. `databasePath` puts the SQLite database elsewhere (`server standalone
 * --store-url sqlite://…`); it is then locked too, since two processes on one database would
 * both recover its work.
 */
export function openLocal(
  dataDir: string,
  options: Partial<RuntimeOptions> = {},
  databasePath?: string,
): Promise<LocalSetup> {
  return openSetup(dataDir, options, async (dir) => {
    const database = databasePath ? resolve(databasePath) : join(dir, 'windhover.db');
    if (database === join(dir, 'windhover.db')) return { store: await openSqliteStore(database) };
    await mkdir(dirname(database), { recursive: true });
    const unlock = lockDataFolder(`${database}.lock`);
    try {
      const store = await openSqliteStore(database);
      // Outside the data folder, closed on its own (SQLite gives its journal files the same mode).
      for (const file of [database, `${database}-wal`, `${database}-shm`]) await closeFile(file);
      return { store, unlock };
    } catch (error) {
      unlock();
      throw error;
    }
  });
}

/**
 * Validates a flow's YAML and saves it (a new revision when it changed). Throws WH_FLOW_INVALID
 * with the validator's messages when it does not validate.
 */
export async function deployFlow(
  store: Store,
  source: string,
  file?: string,
  plugins?: PluginCatalog,
): Promise<Flow> {
  const checked = plugins ? checkFlowSource(source, file, plugins) : await loadPluginsAndCheck(source, file);
  return saveCheckedFlow(store, checked.flow, source);
}

/** A flow that validates, and the validator's warnings about it. */
export interface CheckedFlow {
  flow: Flow;
  warnings: Problem[];
}

/**
 * Validates the YAML of one flow to run or deploy. Throws WH_FLOW_INVALID with the validator's
 * messages when it has errors or does not hold exactly one flow.
 */
export function checkFlowSource(
  source: string,
  file?: string,
  plugins: PluginCatalog = onDemandPlugins,
): CheckedFlow {
  const validation = validateFlowSource(source, { catalog: plugins, ...(file ? { file } : {}) });
  const problems = [...validation.problems, ...validation.flows.flatMap((f) => f.problems)];
  const errors = problems.filter((p) => p.severity === 'error');
  const flows = validation.flows;
  if (errors.length > 0 || flows.length !== 1 || !flows[0]!.flow) {
    const lines = errors.map((p) => `  ${formatProblem(p)}`).join('\n');
    const why = flows.length > 1 ? 'a file to run must hold exactly one flow' : lines;
    throw new WindhoverError(ErrorCodes.FLOW_INVALID, `The flow does not validate:\n${why}`, errors);
  }
  return { flow: flows[0]!.flow, warnings: problems.filter((p) => p.severity !== 'error') };
}

/** checkFlowSource with the built-in plugins, once the ones the YAML names are imported. */
export function loadPluginsAndCheck(source: string, file?: string): Promise<CheckedFlow> {
  return withPluginsFor(source, () => checkFlowSource(source, file));
}

/** Saves a flow checkFlowSource accepted, from its YAML (a new revision when it changed). */
export async function saveCheckedFlow(store: Store, flow: Flow, source: string): Promise<Flow> {
  const saved = await store.saveFlow({
    namespace: flow.namespace,
    id: flow.id,
    source,
    definition: flow as unknown as Record<string, unknown>,
  });
  return { ...flow, revision: saved.flow.revision };
}
