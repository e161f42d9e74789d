/**
 * What the metrics have counted of each execution, so that an execution sent again after every
 * step counts its start and each task run end once. Held in full only while an execution runs;
 * once it has ended, only the latest end counted is kept, for a bounded number of recent
 * executions. Memory therefore follows the executions running, not every execution since start
 * (remembering 100,000 task run ids and dates was ~25 MB that a soak at 500 executions/s filled in
 * its first minutes).
 */
import type { Execution, TaskRun } from '../../engine/model.js';
import { isTerminal } from '../../engine/model.js';

/** Ended executions remembered against a late re-send or a restart. */
export const ENDED_REMEMBERED = 10_000;

interface RunningCount {
  startCounted: boolean;
  /** Task run id → the end date counted. */
  ends: Map<string, string>;
  /** Ends at or before this (ms) were counted before the execution last ended (it was restarted). */
  countedUpTo: number;
}

/** What is new in an execution for the metrics: its start, and task run ends not counted yet. */
export interface NewlyCounted {
  started: boolean;
  ended: Array<{ taskRun: TaskRun; end: string }>;
}

/** The counting memory of one metrics collector. */
export class CountedRuns {
  private readonly running = new Map<string, RunningCount>();
  /** Ended execution id → the latest end counted (ms), oldest first. */
  private readonly ended = new Map<string, number>();

  constructor(private readonly endedLimit = ENDED_REMEMBERED) {}

  /** Executions held in full (running) and ended ones remembered: for tests. */
  get sizes(): { running: number; ended: number } {
    return { running: this.running.size, ended: this.ended.size };
  }

  /**
   * Records what this sending of an execution adds, and returns it; `since` (ms) excludes what
   * happened before this process listened. `changedTaskRuns`: the task runs the step changed,
   * when the sender knows them; only those can have ended since the last sending.
   */
  take(execution: Execution, since: number, changedTaskRuns?: readonly TaskRun[]): NewlyCounted {
    const terminal = isTerminal(execution.state.current);
    let count = this.running.get(execution.id);
    if (!count) {
      const endedAt = this.ended.get(execution.id);
      // Sent again after its end with nothing new.
      if (endedAt !== undefined && terminal) return { started: false, ended: [] };
      if (endedAt !== undefined) this.ended.delete(execution.id);
      count = {
        startCounted: endedAt !== undefined,
        ends: new Map(),
        countedUpTo: endedAt ?? -Infinity,
      };
      this.running.set(execution.id, count);
    }
    let started = false;
    if (!count.startCounted) {
      const running = execution.state.histories.find((h) => h.state === 'RUNNING');
      if (running) {
        count.startCounted = true;
        started = Date.parse(running.date) >= since;
      }
    }
    const ended: NewlyCounted['ended'] = [];
    // Checking only what the step changed makes a chain of n tasks cost n checks rather than
    // n²/2. Otherwise every task run: the cheap checks come first, dates are parsed only for a
    // task run not counted yet (an execution of 10,000 task runs costs ~0.5 ms a step).
    for (const taskRun of changedTaskRuns ?? execution.taskRunList) {
      const state = taskRun.state;
      if (!isTerminal(state.current)) continue;
      const end = state.endDate ?? state.histories[state.histories.length - 1]?.date;
      if (end === undefined || count.ends.get(taskRun.id) === end) continue;
      count.ends.set(taskRun.id, end);
      const endMs = Date.parse(end);
      if (endMs < since || endMs <= count.countedUpTo) continue;
      ended.push({ taskRun, end });
    }
    if (terminal) this.forgetRuns(execution.id, count);
    return { started, ended };
  }

  private forgetRuns(id: string, count: RunningCount): void {
    this.running.delete(id);
    let latest = count.countedUpTo;
    for (const end of count.ends.values()) latest = Math.max(latest, Date.parse(end));
    this.ended.set(id, latest);
    if (this.ended.size > this.endedLimit) this.ended.delete(this.ended.keys().next().value!);
  }
}
