/**
 * Feeds the scheduler the executions that ended or paused, from the store's queue of
 * transitions (written with the step that ended or paused them), so that the active scheduler
 * reacts to executions of every process: `stopAfter`, and Flow triggers. It drains on a wake-up
 * (an execution of this process ended, or another process's did: LISTEN) and on a slow poll.
 *
 * At-least-once: a transition is removed after its reaction committed, so one whose scheduler
 * died (or whose store write failed) is reacted to by the next drain, the next scheduler's if
 * need be; reactions are idempotent (reactions.ts). A transition is tried in order, and given up
 * (reported) after MAX_ATTEMPTS failures, so one that always fails does not hold the others.
 */
import type { ExecutionTransition } from '../../store/contract.js';
import { executionEnded, hasFlowTriggers, runFlowTriggers } from './reactions.js';
import type { SchedulerCore } from './scheduler.js';

const BATCH = 100;
const MAX_ATTEMPTS = 5;

export class TransitionPump {
  private wanted = false;
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Failed reactions so far, by transition seq. */
  private readonly failures = new Map<number, number>();

  constructor(
    private readonly core: SchedulerCore,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** There may be transitions to react to (only the active scheduler takes them). */
  wake(): void {
    if (!this.timer || !this.core.leads()) return;
    this.wanted = true;
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    while (this.wanted) {
      this.wanted = false;
      try {
        await this.core.serial.run(async () => {
          for (;;) {
            if (!this.core.leads()) return;
            const batch = await this.core.store.readExecutionTransitions(BATCH);
            const done: number[] = [];
            let blocked = false;
            for (const transition of batch) {
              // Flows saved elsewhere first: a trigger saved before an upstream ended sees it.
              const stop = !this.core.leads() || this.core.flowsStale;
              if (stop || !(await this.reactOrGiveUp(transition))) {
                blocked = true;
                break;
              }
              done.push(transition.seq);
            }
            await this.core.store.removeExecutionTransitions(done);
            // A failed reaction is tried again at the next wake-up or poll, not in a tight loop.
            if (blocked || batch.length < BATCH) return;
          }
        });
      } catch (error) {
        this.core.report('reading ended executions', error);
      }
    }
  }

  /** Reacts to a transition; false when it failed and is to be tried again later. */
  private async reactOrGiveUp(transition: ExecutionTransition): Promise<boolean> {
    if (await this.react(transition)) {
      this.failures.delete(transition.seq);
      return true;
    }
    const attempts = (this.failures.get(transition.seq) ?? 0) + 1;
    if (attempts < MAX_ATTEMPTS) {
      this.failures.set(transition.seq, attempts);
      return false;
    }
    this.failures.delete(transition.seq);
    this.core.report(
      `gave up reacting to execution ${transition.executionId} (${transition.transition}) after ${attempts} attempts`,
      new Error('its Flow triggers and stopAfter did not commit'),
    );
    return true;
  }

  /** True when the reaction committed (or there was none to make). */
  private async react(transition: ExecutionTransition): Promise<boolean> {
    const core = this.core;
    const flowTriggers = hasFlowTriggers(core);
    // Most executions concern no trigger: they cost no read.
    if (!flowTriggers && (transition.transition === 'paused' || !hasStopAfter(core))) return true;
    try {
      const execution = await core.store.getExecution(transition.executionId);
      if (!execution) return true;
      if (transition.transition === 'ended') return await executionEnded(core, execution, transition.seq);
      // It paused when the step committed; it may have moved on since.
      const paused = { ...execution, state: { ...execution.state, current: 'PAUSED' as const } };
      return await runFlowTriggers(core, paused, transition.seq);
    } catch (error) {
      core.report(`reacting to execution ${transition.executionId} (${transition.transition})`, error);
      return false;
    }
  }
}

/** Whether any trigger disables itself after some end states. */
function hasStopAfter(core: SchedulerCore): boolean {
  for (const entry of core.entries.values()) {
    const stopAfter = entry.trigger.stopAfter;
    if (Array.isArray(stopAfter) && stopAfter.length > 0) return true;
  }
  return false;
}
