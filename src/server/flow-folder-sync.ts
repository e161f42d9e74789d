/**
 * Keeps the flows of folders (`-f/--flow-path`) in the store while files change: a new file is
 * deployed, an edited one becomes a new revision, a deleted one deletes its flow. A file that
 * does not validate is reported and skipped (its flow keeps its last good revision); nothing
 * here may stop the server.
 *
 * Each directory is watched on its own (fs.watch without `recursive`, which inotify supports
 * everywhere), and every burst of events leads to one rescan of the folders after a short pause:
 * a rescan compares contents with what was deployed, so editors that save through a temporary
 * file and rename, or events that get lost or merged, still end in the right state.
 *
 * The other way round, it is the API's FlowFileWriter: a flow saved through the API is written
 * to its file and recorded as deployed (so the watcher that sees the file makes no second
 * revision), and a flow deleted through the API loses its files.
 */
import { createHash } from 'node:crypto';
import { existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SchedulerApi } from '../engine/scheduler/contract.js';
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { PluginCatalog } from '../flow/catalog.js';
import { plugins as builtInCatalog } from '../plugins/on-demand.js';
import { deleteFlow, deployFlows } from './flow-deploy.js';
import { newFlowFile, writeFileAtomically } from './flow-files.js';
import type { FlowFileWriter } from './flow-files.js';
import type { Store } from '../store/contract.js';

const FLOW_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export interface FlowFolderSyncOptions {
  /** Absolute paths of the folders. */
  folders: readonly string[];
  store: Store;
  scheduler: Pick<SchedulerApi, 'flowChanged'>;
  catalog?: PluginCatalog;
  /** Quiet time after the last file event before a rescan. Default 100 ms. */
  debounceMs?: number;
  /** Where deploys and deletions are told. Default: stdout. */
  info?: (line: string) => void;
  /** Where files that do not validate are told. Default: stderr. */
  problem?: (line: string) => void;
  /** Watch for changes after the first load. Default true. */
  watch?: boolean;
}

/** What one pass over the folders did. */
export interface SyncSummary {
  deployed: string[];
  unchanged: number;
  deleted: string[];
  invalid: string[];
}

export interface FlowFolderSync extends FlowFileWriter {
  /** What the first load did. */
  initial: SyncSummary;
  /** Rescans now (also what file events do); resolves when the pass is done. */
  rescan(): Promise<SyncSummary>;
  /** Stops watching. */
  close(): void;
}

interface KnownFile {
  hash: string;
  /** The flow this file last deployed successfully (`namespace.id`), kept while the file is invalid. */
  flow?: { namespace: string; id: string };
}

/** Loads every flow of the folders, then (unless `watch: false`) keeps them in sync. */
export async function startFlowFolderSync(options: FlowFolderSyncOptions): Promise<FlowFolderSync> {
  for (const folder of options.folders) {
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory())
      throw new WindhoverError(ErrorCodes.CONFIG_INVALID, `flow path ${folder}: no such folder`);
  }
  const catalog = options.catalog ?? builtInCatalog;
  const info = options.info ?? ((line: string) => process.stdout.write(`${line}\n`));
  const problem = options.problem ?? ((line: string) => process.stderr.write(`${line}\n`));
  const known = new Map<string, KnownFile>();
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  const shown = (file: string) => relative(process.cwd(), file) || file;
  const keyOf = (flow: { namespace: string; id: string }) => `${flow.namespace}.${flow.id}`;

  /** Deletes a flow no file holds any more. */
  const release = async (flow: { namespace: string; id: string }, summary: SyncSummary) => {
    const stillHeld = [...known.values()].some((k) => k.flow && keyOf(k.flow) === keyOf(flow));
    if (stillHeld) return;
    if (await deleteFlow(options, flow.namespace, flow.id)) summary.deleted.push(keyOf(flow));
  };

  const pass = async (): Promise<SyncSummary> => {
    const summary: SyncSummary = { deployed: [], unchanged: 0, deleted: [], invalid: [] };
    const { files, directories } = await listFolders(options.folders);
    const present = new Set(files);
    for (const file of files) {
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch {
        continue; // deleted between listing and reading: the next pass sees it gone
      }
      const hash = hashOf(source);
      const before = known.get(file);
      if (before?.hash === hash) {
        summary.unchanged++;
        continue;
      }
      let flow;
      let schedulerError: unknown;
      // The API's deploy path; a scheduler that cannot take the flow in does not undo the save.
      const scheduler = {
        flowChanged: (namespace: string, id: string) =>
          options.scheduler.flowChanged(namespace, id).catch((error: unknown) => {
            schedulerError = error;
          }),
      };
      try {
        [flow] = await deployFlows({ catalog, store: options.store, scheduler }, [
          { source, firstLine: 1, file: shown(file) },
        ]);
        if (!flow) throw new Error('no flow in the file');
      } catch (error) {
        known.set(file, { hash, ...(before?.flow ? { flow: before.flow } : {}) });
        summary.invalid.push(shown(file));
        problem(`flow path: ${shown(file)} skipped: ${messageOf(error)}`);
        continue;
      }
      const now = { namespace: flow.namespace, id: flow.id };
      known.set(file, { hash, flow: now });
      summary.deployed.push(`${keyOf(now)} revision ${flow.revision} (${shown(file)})`);
      // Saved, but the scheduler could not take it in: say so, and go on with the other files.
      if (schedulerError !== undefined)
        problem(
          `flow path: ${keyOf(now)} saved, but its triggers were not updated: ${messageOf(schedulerError)}`,
        );
      try {
        // The file now holds another flow (its id or namespace was edited): the old one goes.
        if (before?.flow && keyOf(before.flow) !== keyOf(now)) await release(before.flow, summary);
      } catch (error) {
        problem(`flow path: ${keyOf(before!.flow!)} could not be removed: ${messageOf(error)}`);
      }
    }
    for (const [file, entry] of [...known]) {
      if (present.has(file)) continue;
      known.delete(file);
      if (entry.flow) await release(entry.flow, summary);
    }
    if (options.watch !== false && !closed) updateWatchers(directories);
    return summary;
  };

  // A pass and the API's writes never interleave: a pass that listed the folder before the API
  // wrote a new file would take that file for deleted, and one that read a file the API then
  // removed would deploy it again.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => {});
    return result;
  };

  // One pass at a time; events during a pass ask for one more after it.
  let running: Promise<SyncSummary> | undefined;
  let again = false;
  const rescan = async (): Promise<SyncSummary> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let summary = await exclusive(pass);
      while (again && !closed) {
        again = false;
        summary = await exclusive(pass);
      }
      return summary;
    })().finally(() => (running = undefined));
    return running;
  };

  let timer: NodeJS.Timeout | undefined;
  const onEvent = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      rescan()
        .then((summary) => {
          for (const line of summary.deployed) info(`flow path: deployed ${line}`);
          for (const flow of summary.deleted) info(`flow path: deleted ${flow}`);
        })
        .catch((error: unknown) => problem(`flow path: sync failed: ${messageOf(error)}`));
    }, options.debounceMs ?? 100);
  };

  const updateWatchers = (directories: Set<string>) => {
    for (const [directory, watcher] of watchers)
      if (!directories.has(directory)) {
        watcher.close();
        watchers.delete(directory);
      }
    for (const directory of directories) {
      if (watchers.has(directory)) continue;
      try {
        const watcher = watch(directory, { persistent: false }, onEvent);
        // A watched directory that disappears errors on some systems: the next pass drops it.
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(directory);
          onEvent();
        });
        watchers.set(directory, watcher);
      } catch {
        // Gone between listing and watching: the parent's watcher reports it.
      }
    }
  };

  /** The files holding a flow, first found first. */
  const filesHolding = (flow: { namespace: string; id: string }) =>
    [...known].filter(([, k]) => k.flow && keyOf(k.flow) === keyOf(flow)).map(([file]) => file);

  const unwritable = (
    flow: { namespace: string; id: string },
    file: string,
    error: unknown,
    what: 'saved' | 'deleted',
  ) => {
    const folder = options.folders.find((f) => !relative(f, file).startsWith('..')) ?? options.folders[0]!;
    const reason = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    return new WindhoverError(
      ErrorCodes.FLOW_FILE_UNWRITABLE,
      `Flow ${keyOf(flow)} was not ${what}: its file ${relative(folder, file)} in the flow folder could not be ${what === 'saved' ? 'written' : 'removed'} (${reason})`,
      { namespace: flow.namespace, id: flow.id, file: relative(folder, file) },
    );
  };

  const write: FlowFileWriter['write'] = (flow, source, save) =>
    exclusive(async () => {
      const held = [...known].map(([file, k]) => ({ file, ...(k.flow ? { flow: k.flow } : {}) }));
      const file =
        filesHolding(flow)[0] ??
        newFlowFile(options.folders[0]!, held, flow, (path) => known.has(path) || existsSync(path));
      try {
        await writeFileAtomically(file, source);
      } catch (error) {
        throw unwritable(flow, file, error, 'saved');
      }
      const saved = await save();
      known.set(file, { hash: hashOf(source), flow: { namespace: flow.namespace, id: flow.id } });
      return saved;
    });

  const remove: FlowFileWriter['remove'] = (flow) =>
    exclusive(async () => {
      for (const file of filesHolding(flow)) {
        try {
          await rm(file, { force: true });
        } catch (error) {
          throw unwritable(flow, file, error, 'deleted');
        }
        known.delete(file);
      }
    });

  const initial = await rescan();
  return {
    initial,
    rescan,
    write,
    remove,
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function hashOf(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The flow files (`*.yml`, `*.yaml`) and directories under the folders; hidden ones and node_modules skipped. */
async function listFolders(
  folders: readonly string[],
): Promise<{ files: string[]; directories: Set<string> }> {
  const files: string[] = [];
  const directories = new Set<string>();
  const walk = async (directory: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return; // removed while walking
    }
    directories.add(directory);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(path);
      } else if (entry.isFile() && FLOW_FILE.test(entry.name) && !entry.name.startsWith('.')) {
        files.push(path);
      }
    }
  };
  for (const folder of folders) await walk(folder);
  return { files, directories };
}
