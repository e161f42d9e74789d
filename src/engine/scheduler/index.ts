/**
 * Placeholder scheduler (issue 7 replaces it with the real one): knows no triggers. It fixes the
 * shape the server and the CLI build on: `createScheduler(options)` → start/stop + SchedulerApi.
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { PluginCatalog } from '../../flow/catalog.js';
import type { Store } from '../../store/contract.js';
import type { Runtime } from '../runtime/runtime.js';
import type { SchedulerApi, TriggerView } from './contract.js';

export type { SchedulerApi, TriggerView, BackfillView, BackfillRequest, TriggerFilter } from './contract.js';

/** The clock the scheduler reads and sleeps on; tests give a controllable one. */
export interface SchedulerClock {
  now(): Date;
}

export interface SchedulerOptions {
  runtime: Runtime;
  store: Store;
  catalog: PluginCatalog;
  clock?: SchedulerClock;
}

export interface Scheduler extends SchedulerApi {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the scheduler of a process. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  void options;
  const missing = (ns: string, flowId: string, triggerId: string): never => {
    throw new WindhoverError(ErrorCodes.TRIGGER_NOT_FOUND, `No trigger ${triggerId} on flow ${ns}.${flowId}`);
  };
  return {
    start: async () => {},
    stop: async () => {},
    listTriggers: async () => ({ results: [] as TriggerView[], total: 0 }),
    getTrigger: async (ns, flowId, triggerId) => missing(ns, flowId, triggerId),
    setTriggerDisabled: async (ns, flowId, triggerId) => missing(ns, flowId, triggerId),
    startBackfill: async (ns, flowId, triggerId) => missing(ns, flowId, triggerId),
    setBackfillPaused: async (ns, flowId, triggerId) => missing(ns, flowId, triggerId),
    deleteBackfill: async (ns, flowId, triggerId) => missing(ns, flowId, triggerId),
    flowChanged: async () => {},
  };
}
