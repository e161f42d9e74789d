/**
 * The scheduler of a process: it keeps every trigger of every deployed flow with its memory
 * (the stored trigger state), sleeps on its clock until the earliest due slot, and fires each
 * Schedule slot exactly once by committing the trigger's new memory with the execution. Flow
 * triggers react to the runtime's 'ended' events. Every change runs in one serial section.
 */
import type { PluginCatalog } from '../../flow/catalog.js';
import { parseIsoDuration } from '../../flow/duration.js';
import type { Flow, FlowTrigger } from '../../flow/model.js';
import { LeaseLostError } from '../../store/contract.js';
import type { LeaseFence, Store } from '../../store/contract.js';
import { newId } from '../ids.js';
import type { Execution } from '../model.js';
import type { Runtime } from '../runtime/runtime.js';
import { Serial } from '../runtime/serial.js';
import { BackfillRunner } from './backfill.js';
import { completeClock } from './clock.js';
import type { ClockTimer, SchedulerClock } from './clock.js';
import { conditionsHold, textOf } from './conditions.js';
import {
  disabledInFlow,
  renderContext,
  renderDeep,
  renderer,
  triggerLabels,
  CORRELATION_ID,
} from './firing.js';
import { readMemory } from './memory.js';
import type { TriggerMemory } from './memory.js';
import { CronSlots, parseZone, slotVariables } from './slots.js';
import { SCHEDULER_LEASE, SchedulerLease } from './leadership.js';
import type { SchedulerCluster } from './leadership.js';
import { TransitionPump } from './transitions.js';
import { PollingRunner, pollSpecOf } from './polling.js';
import type { PollSpec } from './polling.js';
import type { WakeSource } from '../runtime/cluster.js';

export const SCHEDULE_TYPE = 'io.kestra.plugin.core.trigger.Schedule';

/** Most slots one trigger fires in one wake-up (a long recovery goes on at the next one). */
const SLOTS_PER_WAKE = 100;
/** Full re-read of the deployed flows, a safety net for changes not announced by flowChanged. */
const RELOAD_EVERY_MS = 30_000;
/** The same in a cluster, where flows and trigger memory change in other processes. */
const CLUSTER_RELOAD_EVERY_MS = 5_000;
/** Retry delay after a failed firing (store error). */
const RETRY_MS = 1_000;

export interface SchedulerOptions {
  runtime: Runtime;
  store: Store;
  catalog: PluginCatalog;
  clock?: SchedulerClock;
  /** The zone of Schedule triggers without `timezone`, and of Flow trigger windows. Default UTC. */
  timeZone?: string;
  /**
   * Its part in a cluster of schedulers on one store (one fires at a time, see leadership.ts).
   * Without it, this scheduler is the only one and always fires.
   */
  cluster?: SchedulerCluster;
  /** Wake-ups when other processes' executions end or pause (PostgreSQL's LISTEN). */
  wakeUps?: WakeSource;
}

/** One trigger of a deployed flow, with what the scheduler remembers of it. */
export interface TriggerEntry {
  key: string;
  flow: Flow;
  trigger: FlowTrigger;
  memory: TriggerMemory;
  updated?: string;
  /** Schedule only. */
  slots?: CronSlots;
  /** Why the Schedule cannot run (bad cron or zone), if so. */
  broken?: string;
  /** The slot after `cursor`, computed once. */
  due?: { cursor: string; slot: Date | undefined };
  /** Polling triggers (gcs.Trigger…): the plugin that polls and how often. */
  poll?: PollSpec;
}

export function entryKey(namespace: string, flowId: string, triggerId: string): string {
  return `${namespace}\u0000${flowId}\u0000${triggerId}`;
}

export class SchedulerCore {
  readonly entries = new Map<string, TriggerEntry>();
  readonly serial = new Serial();
  readonly clock: Required<SchedulerClock>;
  readonly zone: string;
  readonly backfills: BackfillRunner;
  readonly polls: PollingRunner;
  private timer: ClockTimer | undefined;
  private timerAt = Infinity;
  private reloadTimer: NodeJS.Timeout | undefined;
  private running = false;
  /** Executions that ended or paused, from every process. */
  private readonly transitions: TransitionPump;
  private readonly lease: SchedulerLease | undefined;
  private wakeListener: { close(): Promise<void> } | undefined;
  private rereadWanted = false;
  /** Entries were loaded (by start, or on becoming the firing scheduler). */
  private loaded = false;
  // An execution of this process ended or paused: its transition is in the store already.
  private readonly onEnded = () => this.transitions.wake();
  private readonly onChanged = (execution: Execution) => {
    if (execution.state.current === 'PAUSED') this.transitions.wake();
  };

  constructor(readonly options: SchedulerOptions) {
    this.clock = completeClock(options.clock);
    this.zone = options.timeZone ?? 'UTC';
    this.backfills = new BackfillRunner(this);
    this.polls = new PollingRunner(this);
    this.transitions = new TransitionPump(this, options.wakeUps ? 5_000 : 1_000);
    this.lease = options.cluster?.fires ? new SchedulerLease(this, options.cluster) : undefined;
  }

  /** Whether this scheduler fires now (the only one, or the holder of the cluster's lease). */
  leads(): boolean {
    if (!this.options.cluster) return true;
    return this.lease?.held() ?? false;
  }

  /** It took the lease: it loads every trigger afresh from the store, recovers missed slots, fires. */
  async becameLeader(): Promise<void> {
    console.info(`scheduler: ${this.options.cluster?.memberId ?? 'this process'} now fires the triggers`);
    await this.serial.run(async () => {
      this.entries.clear();
      await this.reloadAll(true);
      this.loaded = true;
    });
    this.arm();
    this.transitions.wake();
  }

  /** It lost the lease: another scheduler fires. */
  lostLeadership(): void {
    console.warn('scheduler: lost the scheduler lease; another scheduler fires the triggers');
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    void this.polls.stop();
  }

  /** In a cluster, the trigger memory another process may have changed (API actions). */
  async refreshMemory(): Promise<void> {
    if (!this.options.cluster) return;
    const states = await this.store.listTriggerStates();
    const byKey = new Map(states.map((s) => [entryKey(s.namespace, s.flowId, s.triggerId), s]));
    for (const entry of this.entries.values()) {
      const stored = byKey.get(entry.key);
      entry.memory = readMemory(stored?.state);
      if (stored) entry.updated = stored.updated;
    }
  }

  get store(): Store {
    return this.options.store;
  }

  /** Loads every trigger, recovers missed slots, and starts sleeping until the first is due. */
  async start(): Promise<void> {
    this.running = true;
    this.options.runtime.on('ended', this.onEnded);
    this.options.runtime.on('execution', this.onChanged);
    if (this.options.wakeUps)
      this.wakeListener = await this.options.wakeUps(['transitions', 'flows'], (topic) =>
        topic === 'flows' ? this.flowsChangedElsewhere() : this.transitions.wake(),
      );
    this.transitions.start();
    await this.lease?.start();
    if (!this.loaded) await this.serial.run(() => this.reloadAll(true));
    this.loaded = true;
    // Real time, not the scheduler's clock: it catches flows saved without a flowChanged call.
    this.reloadTimer = setInterval(
      () => {
        void this.serial
          .run(() => this.reloadAll(false))
          .then(
            () => this.arm(),
            (error: unknown) => this.report('re-reading flows', error),
          );
      },
      this.options.cluster ? CLUSTER_RELOAD_EVERY_MS : RELOAD_EVERY_MS,
    );
    this.reloadTimer.unref();
    this.arm();
  }

  /**
   * Another process saved or deleted flows: re-read them now (in the serial section, so ends
   * notified after the save are reacted to with the new triggers). Notifications that arrive
   * while a re-read waits to run are folded into it.
   */
  private flowsChangedElsewhere(): void {
    if (this.rereadWanted) return;
    this.rereadWanted = true;
    void this.serial
      .run(async () => {
        this.rereadWanted = false;
        await this.reloadAll(false);
      })
      .then(
        () => {
          this.arm();
          this.transitions.wake();
        },
        (error: unknown) => this.report('re-reading flows', error),
      );
  }

  /** Flows changed elsewhere and are not re-read yet: reactions wait for them. */
  get flowsStale(): boolean {
    return this.rereadWanted;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.runtime.off('ended', this.onEnded);
    this.options.runtime.off('execution', this.onChanged);
    this.transitions.stop();
    await this.wakeListener?.close();
    await this.lease?.stop();
    this.timer?.cancel();
    this.timer = undefined;
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    await this.polls.stop();
    // Lets a firing in progress commit.
    await this.serial.run(async () => {});
  }

  /** Resolves once the work queued so far is done (tests, benchmarks). */
  idle(): Promise<void> {
    return this.serial.run(async () => {});
  }

  // ---- loading ----

  /** Reads every deployed flow's triggers; `starting` applies recoverMissedSchedules. */
  async reloadAll(starting: boolean): Promise<void> {
    const states = new Map(
      (await this.store.listTriggerStates()).map((s) => [entryKey(s.namespace, s.flowId, s.triggerId), s]),
    );
    const seen = new Set<string>();
    const revisions = new Map(
      [...this.entries.values()].map((e) => [`${e.flow.namespace}\u0000${e.flow.id}`, e.flow.revision]),
    );
    for (let page = 1; ; page++) {
      const { results } = await this.store.listFlows({ page, size: 500 });
      for (const stored of results) {
        seen.add(`${stored.namespace}\u0000${stored.id}`);
        if (!starting && revisions.get(`${stored.namespace}\u0000${stored.id}`) === stored.revision) {
          // In a cluster, other processes change trigger memory (API actions): read it again.
          if (this.options.cluster) this.refreshFlowMemory(stored.namespace, stored.id, states);
          continue;
        }
        const flow = { ...(stored.definition as unknown as Flow), revision: stored.revision };
        await this.setFlow(flow, starting, (triggerId) =>
          states.get(entryKey(flow.namespace, flow.id, triggerId)),
        );
      }
      if (results.length < 500) break;
    }
    for (const entry of [...this.entries.values()]) {
      if (!seen.has(`${entry.flow.namespace}\u0000${entry.flow.id}`)) this.entries.delete(entry.key);
    }
  }

  private refreshFlowMemory(
    namespace: string,
    flowId: string,
    states: ReadonlyMap<string, { state: Record<string, unknown>; updated: string }>,
  ): void {
    for (const entry of this.entries.values()) {
      if (entry.flow.namespace !== namespace || entry.flow.id !== flowId) continue;
      const stored = states.get(entry.key);
      entry.memory = readMemory(stored?.state);
      if (stored) entry.updated = stored.updated;
    }
  }

  /** Re-reads one flow (saved, updated or deleted). */
  async reloadFlow(namespace: string, flowId: string): Promise<void> {
    const stored = await this.store.getFlow(namespace, flowId);
    if (!stored || stored.deleted) {
      for (const entry of [...this.entries.values()]) {
        if (entry.flow.namespace !== namespace || entry.flow.id !== flowId) continue;
        this.entries.delete(entry.key);
        // Kestra deletes the triggers of a deleted flow: saved again, it starts afresh.
        await this.store.saveTriggerState({ namespace, flowId, triggerId: entry.trigger.id, state: {} });
      }
      return;
    }
    const flow = { ...(stored.definition as unknown as Flow), revision: stored.revision };
    const states = new Map<string, Awaited<ReturnType<Store['getTriggerState']>>>();
    for (const trigger of flow.triggers)
      states.set(trigger.id, await this.store.getTriggerState(namespace, flowId, trigger.id));
    await this.setFlow(flow, false, (triggerId) => states.get(triggerId));
  }

  private async setFlow(
    flow: Flow,
    starting: boolean,
    stateOf: (triggerId: string) => { state: Record<string, unknown>; updated: string } | undefined,
  ): Promise<void> {
    const ids = new Set(flow.triggers.map((t) => t.id));
    // An on-demand catalog imports the trigger plugins before they are looked up below.
    await this.options.catalog.load?.(flow.triggers.map((t) => t.type));
    for (const entry of [...this.entries.values()]) {
      if (entry.flow.namespace === flow.namespace && entry.flow.id === flow.id && !ids.has(entry.trigger.id))
        this.entries.delete(entry.key);
    }
    for (const trigger of flow.triggers) {
      const key = entryKey(flow.namespace, flow.id, trigger.id);
      const previous = this.entries.get(key);
      const stored = stateOf(trigger.id);
      const entry: TriggerEntry = {
        key,
        flow,
        trigger,
        memory: previous?.memory ?? readMemory(stored?.state),
        ...(stored?.updated ? { updated: stored.updated } : {}),
      };
      if (trigger.type === SCHEDULE_TYPE) this.prepareSchedule(entry);
      // Trigger definitions are built by defineTrigger, which keeps `poll` on them.
      const poll = pollSpecOf(this.options.catalog.lookup('trigger', trigger.type), trigger.interval);
      if (poll) entry.poll = poll;
      this.entries.set(key, entry);
      // Only the firing scheduler moves a trigger's memory on its own.
      if (!entry.slots || !this.leads()) continue;
      const wasOff = previous ? this.isDisabled(previous) : true;
      if (entry.memory.cursor === undefined) {
        // A trigger never seen starts at now.
        await this.saveMemory(entry, { ...entry.memory, cursor: this.clock.now().toISOString() });
      } else if ((starting || wasOff) && !this.isDisabled(entry)) {
        await this.recover(entry);
      }
    }
  }

  private prepareSchedule(entry: TriggerEntry): void {
    const trigger = entry.trigger;
    try {
      const zone = parseZone(typeof trigger.timezone === 'string' ? trigger.timezone : this.zone);
      entry.slots = new CronSlots(
        String(trigger.cron),
        trigger.withSeconds === true || trigger.withSeconds === 'true',
        zone,
      );
    } catch (error) {
      entry.broken = error instanceof Error ? error.message : String(error);
    }
  }

  /** Applies recoverMissedSchedules to the slots missed while down or disabled. */
  async recover(entry: TriggerEntry): Promise<void> {
    const slots = entry.slots;
    if (!slots || entry.memory.cursor === undefined) return;
    const now = this.clock.now();
    const cursor = new Date(entry.memory.cursor);
    const first = slots.next(cursor);
    if (!first || first.getTime() > now.getTime()) return; // nothing missed
    const policy = textOf(entry.trigger.recoverMissedSchedules ?? 'ALL');
    if (policy === 'NONE') {
      await this.saveMemory(entry, { ...entry.memory, cursor: now.toISOString() });
    } else if (policy === 'LAST') {
      const last = slots.previous(new Date(now.getTime() + 1));
      if (last && last.getTime() > first.getTime()) {
        await this.saveMemory(entry, { ...entry.memory, cursor: new Date(last.getTime() - 1).toISOString() });
      }
    }
    // ALL: every missed slot fires, oldest first.
  }

  isDisabled(entry: TriggerEntry): boolean {
    return disabledInFlow(entry.flow, entry.trigger) || entry.memory.disabled === true;
  }

  /** Saves a trigger's memory on its own (no execution created with it). */
  async saveMemory(entry: TriggerEntry, memory: TriggerMemory): Promise<void> {
    const { namespace, id } = entry.flow;
    try {
      await this.store.saveTriggerState({
        namespace,
        flowId: id,
        triggerId: entry.trigger.id,
        state: { ...memory },
        ...this.fence(),
      });
    } catch (error) {
      if (error instanceof LeaseLostError) this.lease?.lost();
      throw error;
    }
    entry.memory = memory;
    entry.updated = this.clock.now().toISOString();
  }

  /**
   * While this scheduler fires in a cluster, its memory writes hold only if it still holds the
   * lease in the store: one that paused past its lease (GC, a frozen VM) and wakes up cannot
   * fire again what its successor fired. Other writes (the trigger API of a process that does not
   * fire) are not fenced.
   */
  private fence(): { fence?: LeaseFence } {
    const cluster = this.options.cluster;
    return cluster?.fires && this.leads()
      ? { fence: { lease: SCHEDULER_LEASE, holder: cluster.memberId } }
      : {};
  }

  // ---- timing ----

  /** The instant a Schedule's next slot is due, when it is enabled. */
  nextDue(entry: TriggerEntry): Date | undefined {
    if (!entry.slots || entry.broken || entry.memory.cursor === undefined || this.isDisabled(entry))
      return undefined;
    // Cached per cursor: a slot in a zone costs ~0.1 ms to compute, and every wake-up asks.
    if (entry.due?.cursor !== entry.memory.cursor) {
      entry.due = { cursor: entry.memory.cursor, slot: entry.slots.next(new Date(entry.memory.cursor)) };
    }
    return entry.due.slot;
  }

  /** Sleeps until the earliest due slot. */
  arm(at?: number): void {
    if (!this.running || !this.leads()) return;
    // At most an hour of sleep: a far slot is looked at again on the way.
    let earliest = at ?? this.clock.now().getTime() + 3_600_000;
    if (at === undefined) {
      for (const entry of this.entries.values()) {
        const due = this.nextDue(entry);
        if (due) earliest = Math.min(earliest, due.getTime());
        const poll = this.polls.nextDue(entry);
        if (poll) earliest = Math.min(earliest, poll.getTime());
        if (this.backfills.pending(entry)) earliest = Math.min(earliest, this.clock.now().getTime());
      }
    }
    if (this.timer && earliest >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = earliest;
    this.timer = this.clock.setTimer(() => this.wake(), earliest - this.clock.now().getTime());
  }

  private wake(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    void this.serial
      .run(() => this.fireDue())
      .then(
        (retry) => this.arm(retry ? this.clock.now().getTime() + RETRY_MS : undefined),
        (error: unknown) => {
          this.report('firing schedules', error);
          this.arm(this.clock.now().getTime() + RETRY_MS);
        },
      );
  }

  /** Fires every due slot and a batch of each backfill; true when something failed. */
  private async fireDue(): Promise<boolean> {
    if (!this.leads()) return false;
    const now = this.clock.now().getTime();
    this.polls.startDue(now);
    // Triggers are independent: their slots are created side by side (each trigger's in order),
    // so the inserts of one wake-up follow one another without other work in between.
    const results = await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        for (let fired = 0; fired < SLOTS_PER_WAKE; fired++) {
          const due = this.nextDue(entry);
          if (!due || due.getTime() > now) break;
          if (!(await this.fireSlot(entry, due))) return false;
        }
        return !this.backfills.pending(entry) || this.backfills.step(entry);
      }),
    );
    return results.includes(false);
  }

  /** Fires one regular slot; false when it must be tried again (the store failed). */
  private async fireSlot(entry: TriggerEntry, slot: Date): Promise<boolean> {
    const late = this.clock.now().getTime() - slot.getTime();
    const lateMaximum =
      typeof entry.trigger.lateMaximumDelay === 'string'
        ? parseIsoDuration(entry.trigger.lateMaximumDelay)
        : undefined;
    if (lateMaximum !== undefined && late > lateMaximum) {
      // Too late to start (downtime, recovery): skipped, as Kestra does.
      await this.saveMemory(entry, { ...entry.memory, cursor: slot.toISOString() });
      return true;
    }
    const memory: TriggerMemory = {
      ...entry.memory,
      cursor: slot.toISOString(),
      lastSlot: slot.toISOString(),
    };
    return this.startExecution(entry, slotVariables(entry.slots!, slot), memory, {});
  }

  /**
   * Starts an execution of the entry's flow with `memory` committed alongside; when its
   * conditions fail or its inputs do not render, only the memory is saved (the slot is skipped).
   * Returns false when the store failed (nothing was committed).
   */
  async startExecution(
    entry: TriggerEntry,
    variables: Record<string, unknown>,
    memory: TriggerMemory,
    extra: {
      /** The new execution's id, when it was chosen before (a poll stored files under it). */
      id?: string;
      inputs?: Record<string, unknown>;
      labels?: unknown;
      upstream?: Execution;
      /** The render context of the trigger's inputs (a Flow trigger's: the upstream's). */
      context?: Record<string, unknown>;
      onSkip?: TriggerMemory;
    },
  ): Promise<boolean> {
    const { flow, trigger } = entry;
    const context = extra.context ?? renderContext(flow, variables);
    const render = renderer(context, this.zone);
    const id = extra.id ?? newId();
    let request;
    try {
      if (!extra.upstream && !conditionsHold(trigger.conditions, { render })) {
        await this.saveMemory(entry, extra.onSkip ?? memory);
        return true;
      }
      const raw = { ...asRecord(trigger.inputs), ...(extra.inputs ?? {}) };
      const inputs = this.options.runtime.prepareInputs(flow, asRecord(renderDeep(raw, context, this.zone)));
      const correlation = extra.upstream
        ? (extra.upstream.labels.find((l) => l.key === CORRELATION_ID)?.value ?? extra.upstream.id)
        : id;
      request = {
        id,
        inputs,
        labels: triggerLabels(correlation, trigger.labels, extra.labels),
        trigger: { id: trigger.id, type: trigger.type, variables },
      };
    } catch (error) {
      this.report(
        `trigger ${flow.namespace}.${flow.id}.${trigger.id} skipped ${textOf(variables.date)}`,
        error,
      );
      await this.saveMemory(entry, extra.onSkip ?? memory);
      return true;
    }
    try {
      await this.options.runtime.submit(flow, {
        ...request,
        triggerState: {
          namespace: flow.namespace,
          flowId: flow.id,
          triggerId: trigger.id,
          state: { ...memory },
          ...this.fence(),
        },
      });
    } catch (error) {
      if (error instanceof LeaseLostError) this.lease?.lost();
      this.report(`trigger ${flow.namespace}.${flow.id}.${trigger.id}`, error);
      return false;
    }
    entry.memory = memory;
    entry.updated = this.clock.now().toISOString();
    return true;
  }

  // ---- ended executions: stopAfter and Flow triggers ----

  report(what: string, error: unknown): void {
    console.error(`scheduler: ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
