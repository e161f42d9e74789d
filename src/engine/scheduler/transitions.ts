/**
 * Feeds the scheduler the executions that ended or paused, from the store's queue of
 * transitions (written with the step that ended or paused them), so that the active scheduler
 * reacts to executions of every process: `stopAfter`, and Flow triggers. It drains on a wake-up
 * (an execution of this process ended, or another process's did: LISTEN) and on a slow poll.
 * A transition is taken once: a scheduler that dies while reacting loses that reaction.
 */
import type { ExecutionTransition } from '../../store/contract.js';
import { executionEnded, hasFlowTriggers, runFlowTriggers } from './reactions.js';
import type { SchedulerCore } from './scheduler.js';

const BATCH = 100;

export class TransitionPump {
  private wanted = false;
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

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
            const batch = await this.core.store.takeExecutionTransitions(BATCH);
            for (const transition of batch) await this.react(transition);
            if (batch.length < BATCH) return;
          }
        });
      } catch (error) {
        this.core.report('reading ended executions', error);
      }
    }
  }

  private async react(transition: ExecutionTransition): Promise<void> {
    const core = this.core;
    const flowTriggers = hasFlowTriggers(core);
    // Most executions concern no trigger: they cost no read.
    if (!flowTriggers && (transition.transition === 'paused' || !hasStopAfter(core))) return;
    try {
      const execution = await core.store.getExecution(transition.executionId);
      if (!execution) return;
      if (transition.transition === 'ended') await executionEnded(core, execution);
      else {
        // It paused when the step committed; it may have moved on since.
        const paused = { ...execution, state: { ...execution.state, current: 'PAUSED' as const } };
        await runFlowTriggers(core, paused);
      }
    } catch (error) {
      core.report(`reacting to execution ${transition.executionId} (${transition.transition})`, error);
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
