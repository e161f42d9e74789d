/**
 * Polling triggers (gcs.Trigger, bigquery.Trigger): each enabled one is polled every `interval`
 * by the firing scheduler. A poll runs outside the serial section (it may list a bucket or run
 * a query for seconds, and Schedule slots must not wait for it); what it found is committed in
 * the section: the execution it starts together with the trigger's memory (the objects seen…),
 * so that a poll repeated after a crash does not start it twice. Its `afterCommit` (a MOVE or
 * DELETE of what it reported) runs only once that commit is done.
 */
import { parseIsoDuration } from '../../flow/duration.js';
import type { TriggerPollOutcome } from '../../plugins/context.js';
import type { TriggerPlugin } from '../../plugins/api.js';
import { newId } from '../ids.js';
import type { TriggerMemory } from './memory.js';
import type { SchedulerCore, TriggerEntry } from './scheduler.js';

/** Kestra's default `interval` of polling triggers. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** A polling trigger's plugin and how often it polls. */
export interface PollSpec {
  plugin: TriggerPlugin & { poll: NonNullable<TriggerPlugin['poll']> };
  everyMs: number;
}

/** The poll spec of a trigger whose plugin polls; undefined for other triggers. */
export function pollSpecOf(plugin: TriggerPlugin | undefined, interval: unknown): PollSpec | undefined {
  if (!plugin?.poll) return undefined;
  const parsed = typeof interval === 'string' ? parseIsoDuration(interval) : undefined;
  return {
    plugin: plugin as PollSpec['plugin'],
    everyMs: parsed !== undefined && parsed > 0 ? parsed : DEFAULT_POLL_INTERVAL_MS,
  };
}

/** Runs the polls of a scheduler's polling triggers. */
export class PollingRunner {
  /** Polls in flight, by entry key. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private controller = new AbortController();

  constructor(private readonly core: SchedulerCore) {}

  /** When the entry's next poll is due; undefined when it does not poll now (not a polling trigger, disabled, or polling). */
  nextDue(entry: TriggerEntry): Date | undefined {
    if (!entry.poll || entry.broken || this.core.isDisabled(entry) || this.inFlight.has(entry.key))
      return undefined;
    const last = entry.memory.lastPoll === undefined ? undefined : Date.parse(entry.memory.lastPoll);
    // A trigger never polled polls at once.
    return new Date(last === undefined ? this.core.clock.now().getTime() : last + entry.poll.everyMs);
  }

  /** Starts every poll due by `now` (called in the serial section; the polls run outside it). */
  startDue(now: number): void {
    for (const entry of this.core.entries.values()) {
      const due = this.nextDue(entry);
      if (!due || due.getTime() > now) continue;
      const poll = this.pollOnce(entry).finally(() => {
        this.inFlight.delete(entry.key);
        this.core.arm();
      });
      this.inFlight.set(entry.key, poll);
    }
  }

  /** Aborts the polls in flight and waits for them (the scheduler stops or loses the lease). */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.inFlight.values()]);
    this.controller = new AbortController();
  }

  private async pollOnce(entry: TriggerEntry): Promise<void> {
    const spec = entry.poll!;
    const executionId = newId();
    const where = `trigger ${entry.flow.namespace}.${entry.flow.id}.${entry.trigger.id}`;
    let outcome: TriggerPollOutcome | undefined;
    try {
      outcome = await this.core.options.runtime.pollTrigger({
        flow: entry.flow,
        trigger: entry.trigger,
        plugin: spec.plugin,
        memory: entry.memory.poll,
        executionId,
        signal: this.controller.signal,
      });
    } catch (error) {
      if (this.controller.signal.aborted) return;
      // Tried again at the next interval, not at once: a service that is down is not hammered.
      this.core.report(`${where}: polling failed`, error);
    }
    if (this.controller.signal.aborted) return;
    let committed = false;
    await this.core.serial.run(async () => {
      if (!this.core.leads()) return;
      // The flow may have been saved again while it polled: the entry of now holds its memory.
      const current = this.core.entries.get(entry.key);
      if (!current) return;
      const memory: TriggerMemory = {
        ...current.memory,
        lastPoll: this.core.clock.now().toISOString(),
        ...(outcome?.memory ? { poll: outcome.memory } : {}),
      };
      if (outcome?.fire) {
        committed = await this.core.startExecution(current, outcome.fire.variables, memory, {
          id: executionId,
        });
      } else
        await this.core.saveMemory(current, memory).catch((error: unknown) => this.core.report(where, error));
    });
    if (committed && outcome?.afterCommit)
      await outcome
        .afterCommit()
        .catch((error: unknown) => this.core.report(`${where}: after starting ${executionId}`, error));
  }
}
