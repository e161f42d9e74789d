/**
 * Opening the embedded setup in a data folder: the SQLite store (`windhover.db`), internal
 * storage (`storage/`) and task working directories (`work/`).
 */
import { join, resolve } from 'node:path';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { formatProblem, validateFlowSource } from '../../flow/index.js';
import type { Flow } from '../../flow/model.js';
import { catalog } from '../../plugins/registry.js';
import { LocalStorage } from '../../storage/local.js';
import type { Store } from '../../store/contract.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { Runtime } from './runtime.js';
import type { RuntimeOptions } from './runtime.js';

export interface LocalSetup {
  dataDir: string;
  store: Store;
  runtime: Runtime;
}

/** Opens (creating it if needed) the store and storage of a data folder, and a runtime on them. */
export async function openLocal(dataDir: string, options: Partial<RuntimeOptions> = {}): Promise<LocalSetup> {
  const dir = resolve(dataDir);
  const store = await openSqliteStore(join(dir, 'windhover.db'));
  const runtime = new Runtime({
    store,
    storage: new LocalStorage(join(dir, 'storage')),
    workRoot: join(dir, 'work'),
    ...options,
  });
  return { dataDir: dir, store, runtime };
}

/**
 * Validates a flow's YAML and saves it (a new revision when it changed). Throws WH_FLOW_INVALID
 * with the validator's messages when it does not validate.
 */
export async function deployFlow(store: Store, source: string, file?: string): Promise<Flow> {
  const validation = validateFlowSource(source, { catalog, ...(file ? { file } : {}) });
  const errors = [...validation.problems, ...validation.flows.flatMap((f) => f.problems)].filter(
    (p) => p.severity === 'error',
  );
  const flows = validation.flows;
  if (errors.length > 0 || flows.length !== 1 || !flows[0]!.flow) {
    const lines = errors.map((p) => `  ${formatProblem(p)}`).join('\n');
    const why = flows.length > 1 ? 'a file to run must hold exactly one flow' : lines;
    throw new WindhoverError(ErrorCodes.FLOW_INVALID, `The flow does not validate:\n${why}`, errors);
  }
  const flow = flows[0]!.flow;
  const saved = await store.saveFlow({
    namespace: flow.namespace,
    id: flow.id,
    source,
    definition: flow as unknown as Record<string, unknown>,
  });
  return { ...flow, revision: saved.flow.revision };
}
