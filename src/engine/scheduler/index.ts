/**
 * The scheduler: Schedule triggers (cron slots in a zone, fired exactly once, recovered after
 * downtime), Flow triggers (executions of other flows ending), backfills, and the API the server
 * and the CLI use (src/engine/scheduler/contract.ts). See docs/triggers.md.
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { Page } from '../../store/contract.js';
import type { SchedulerApi, TriggerFilter, TriggerView } from './contract.js';
import { SchedulerCore, entryKey } from './scheduler.js';
import type { SchedulerOptions, TriggerEntry } from './scheduler.js';
import { formatInZone } from './slots.js';

export type { SchedulerApi, TriggerView, BackfillView, BackfillRequest, TriggerFilter } from './contract.js';
export type { SchedulerClock, ClockTimer } from './clock.js';
export type { SchedulerOptions } from './scheduler.js';
export { SCHEDULER_LEASE } from './leadership.js';

export interface Scheduler extends SchedulerApi {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the work queued so far (firings, reloads) is done: for tests and benchmarks. */
  idle(): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 25;

/** Creates the scheduler of a process. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const core = new SchedulerCore(options);

  const find = (namespace: string, flowId: string, triggerId: string): TriggerEntry => {
    const entry = core.entries.get(entryKey(namespace, flowId, triggerId));
    if (!entry) {
      throw new WindhoverError(
        ErrorCodes.TRIGGER_NOT_FOUND,
        `No trigger ${triggerId} on flow ${namespace}.${flowId}`,
        { namespace, flowId, triggerId },
      );
    }
    return entry;
  };

  const view = (entry: TriggerEntry): TriggerView => {
    const { flow, trigger, slots, memory } = entry;
    const next = core.nextDue(entry);
    const backfill = core.backfills.view(entry);
    return {
      namespace: flow.namespace,
      flowId: flow.id,
      triggerId: trigger.id,
      type: trigger.type,
      disabled: core.isDisabled(entry),
      ...(next && slots ? { nextExecutionDate: formatInZone(next, slots.zone) } : {}),
      ...(memory.lastSlot && slots
        ? { lastFireDate: formatInZone(new Date(memory.lastSlot), slots.zone) }
        : {}),
      ...(typeof trigger.cron === 'string' ? { cron: trigger.cron } : {}),
      ...(slots ? { timezone: typeof trigger.timezone === 'string' ? trigger.timezone : core.zone } : {}),
      ...(backfill ? { backfill } : {}),
      ...(entry.updated ? { updated: entry.updated } : {}),
      ...(memory.stoppedBy && memory.disabled ? { stoppedBy: memory.stoppedBy } : {}),
      ...(entry.broken ? { error: entry.broken } : {}),
    };
  };

  /** Runs an API action in the serial section, then re-arms the timer. */
  const act = async <T>(action: () => Promise<T>): Promise<T> => {
    const result = await core.serial.run(async () => {
      await core.refreshMemory();
      return action();
    });
    core.arm();
    return result;
  };

  return {
    start: () => core.start(),
    stop: () => core.stop(),
    idle: () => core.idle(),

    listTriggers: (filter: TriggerFilter): Promise<Page<TriggerView>> =>
      core.serial.run(async () => {
        await core.refreshMemory();
        const matching = [...core.entries.values()]
          .filter(
            (e) =>
              filter.namespace === undefined ||
              e.flow.namespace === filter.namespace ||
              e.flow.namespace.startsWith(`${filter.namespace}.`),
          )
          .filter((e) => filter.flowId === undefined || e.flow.id === filter.flowId)
          .sort(
            (a, b) =>
              compare(a.flow.namespace, b.flow.namespace) ||
              compare(a.flow.id, b.flow.id) ||
              compare(a.trigger.id, b.trigger.id),
          );
        const size =
          filter.size !== undefined && filter.size >= 1 ? Math.floor(filter.size) : DEFAULT_PAGE_SIZE;
        const page = filter.page !== undefined && filter.page >= 1 ? Math.floor(filter.page) : 1;
        return { results: matching.slice((page - 1) * size, page * size).map(view), total: matching.length };
      }),

    getTrigger: (namespace, flowId, triggerId) =>
      core.serial.run(async () => {
        await core.refreshMemory();
        return view(find(namespace, flowId, triggerId));
      }),

    setTriggerDisabled: (namespace, flowId, triggerId, disabled) =>
      act(async () => {
        const entry = find(namespace, flowId, triggerId);
        const wasOff = core.isDisabled(entry);
        const { stoppedBy: _stoppedBy, ...rest } = entry.memory;
        await core.saveMemory(entry, { ...rest, disabled });
        // Slots missed while it was off follow recoverMissedSchedules.
        if (wasOff && !core.isDisabled(entry)) await core.recover(entry);
        return view(entry);
      }),

    startBackfill: (namespace, flowId, triggerId, request) =>
      act(async () => {
        const entry = find(namespace, flowId, triggerId);
        await core.backfills.start(entry, request);
        return view(entry);
      }),

    setBackfillPaused: (namespace, flowId, triggerId, paused) =>
      act(async () => {
        const entry = find(namespace, flowId, triggerId);
        const backfill = entry.memory.backfill;
        if (!backfill) {
          throw new WindhoverError(ErrorCodes.BACKFILL_INVALID, `Trigger ${triggerId} has no backfill`);
        }
        await core.saveMemory(entry, { ...entry.memory, backfill: { ...backfill, paused } });
        return view(entry);
      }),

    deleteBackfill: (namespace, flowId, triggerId) =>
      act(async () => {
        const entry = find(namespace, flowId, triggerId);
        if (!entry.memory.backfill) {
          throw new WindhoverError(ErrorCodes.BACKFILL_INVALID, `Trigger ${triggerId} has no backfill`);
        }
        const { backfill: _backfill, ...rest } = entry.memory;
        await core.saveMemory(entry, rest);
        return view(entry);
      }),

    flowChanged: (namespace, flowId) => act(() => core.reloadFlow(namespace, flowId)),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
