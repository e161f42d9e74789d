/**
 * A controllable clock and a harness: a real runtime (SQLite store, worker) in a data folder,
 * with a scheduler on the fake clock; reopening the same folder simulates a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployFlow, openLocal } from '../../../src/engine/runtime/index.js';
import type { LocalSetup, Runtime } from '../../../src/engine/runtime/index.js';
import { createScheduler } from '../../../src/engine/scheduler/index.js';
import type { ClockTimer, Scheduler, SchedulerClock } from '../../../src/engine/scheduler/index.js';
import type { SchedulerCluster } from '../../../src/engine/scheduler/leadership.js';
import type { ExecutionSummary, Store } from '../../../src/store/contract.js';
import type { Flow } from '../../../src/flow/model.js';
import { catalog } from '../../../src/plugins/registry.js';

interface PendingTimer {
  at: number;
  wake: () => void;
  cancelled: boolean;
}

/**
 * A FakeClock's settle for a scheduler with polling triggers: a poll runs outside the serial
 * section (and may talk HTTP to an emulator), so settling waits a few rounds for both.
 */
export function settleWithPolls(scheduler: Scheduler): () => Promise<void> {
  return async () => {
    for (let round = 0; round < 5; round++) {
      await scheduler.idle();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await scheduler.idle();
  };
}

/** Time that moves only when told; timers fire in due order as it moves. */
export class FakeClock implements SchedulerClock {
  private ms: number;
  private timers: PendingTimer[] = [];
  settle: () => Promise<void> = () => Promise.resolve();

  constructor(start: string) {
    this.ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  setTimer(wake: () => void, ms: number): ClockTimer {
    const timer = { at: this.ms + Math.max(0, ms), wake, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time to `target`, firing each timer due on the way at its instant, and settling after each. */
  async advanceTo(target: string): Promise<void> {
    const end = Date.parse(target);
    for (;;) {
      await this.settle();
      if (!(await this.fireNext(end))) break;
    }
    this.ms = Math.max(this.ms, end);
    await this.settle();
  }

  /** Fires the earliest timer due by `until` (default: now); false when there is none. */
  async fireNext(until = this.ms): Promise<boolean> {
    this.timers = this.timers.filter((t) => !t.cancelled);
    const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
    if (!due) return false;
    this.timers.splice(this.timers.indexOf(due), 1);
    this.ms = Math.max(this.ms, due.at);
    due.wake();
    await this.settle();
    return true;
  }
}

export interface Harness {
  dataDir: string;
  clock: FakeClock;
  local: LocalSetup;
  scheduler: Scheduler;
  deploy(source: string): Promise<Flow>;
  /** Executions of a flow, oldest trigger date first. */
  executions(flowId: string): Promise<ExecutionSummary[]>;
  /** `trigger.date` of each execution of a flow, in order. */
  dates(flowId: string): Promise<string[]>;
  /** Stops the scheduler and the runtime, keeping the data folder. */
  close(): Promise<void>;
}

/**
 * What the harness's scheduler is given besides the defaults: failures injected into what it
 * sees of the store and the runtime (not the runtime's own), a part in a cluster.
 */
export interface SchedulerFaults {
  store?: (store: Store) => Store;
  runtime?: (runtime: Runtime) => Runtime;
  cluster?: SchedulerCluster;
}

/** Opens a runtime and a scheduler on `dataDir` (a new folder when absent), clock at `now`. */
export async function openHarness(
  now: string,
  dataDir?: string,
  startScheduler = true,
  faults: SchedulerFaults = {},
): Promise<Harness> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'wh-sched-'));
  const local = await openLocal(dir, { catalog });
  await local.runtime.start();
  const clock = new FakeClock(now);
  const scheduler = createScheduler({
    runtime: faults.runtime?.(local.runtime) ?? local.runtime,
    store: faults.store?.(local.store) ?? local.store,
    catalog,
    clock,
    ...(faults.cluster ? { cluster: faults.cluster } : {}),
  });
  clock.settle = async () => {
    await scheduler.idle();
    await new Promise((resolve) => setImmediate(resolve));
    await scheduler.idle();
  };
  if (startScheduler) await scheduler.start();
  const executions = async (flowId: string) => {
    const page = await local.store.searchExecutions({ flowId, size: 10_000 });
    return page.results.sort((a, b) => Date.parse(triggerDate(a)) - Date.parse(triggerDate(b)));
  };
  return {
    dataDir: dir,
    clock,
    local,
    scheduler,
    deploy: async (source) => {
      const flow = await deployFlow(local.store, source, undefined, catalog);
      await scheduler.flowChanged(flow.namespace, flow.id);
      return flow;
    },
    executions,
    dates: async (flowId) => (await executions(flowId)).map(triggerDate),
    close: async () => {
      await scheduler.stop();
      await local.close(2_000);
    },
  };
}

/**
 * Harnesses a test file opens, closed (and their new folders removed) by `closeAll` in an
 * `afterEach`: `start` opens one (reopening `dataDir` when given), `stop` closes one early.
 */
export function harnessPool(): {
  start: (now: string, dataDir?: string, faults?: SchedulerFaults) => Promise<Harness>;
  stop: (harness: Harness) => Promise<void>;
  closeAll: () => Promise<void>;
} {
  const open: Harness[] = [];
  const folders: string[] = [];
  return {
    start: async (now, dataDir, faults) => {
      const harness = await openHarness(now, dataDir, true, faults);
      open.push(harness);
      if (!dataDir) folders.push(harness.dataDir);
      return harness;
    },
    stop: async (harness) => {
      open.splice(open.indexOf(harness), 1);
      await harness.close();
    },
    closeAll: async () => {
      for (const harness of open.splice(0)) await harness.close();
      for (const dir of folders.splice(0)) removeData(dir);
    },
  };
}

/** Removes a harness's data folder. */
export function removeData(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** An execution's `trigger.date`, as the flow reads it. */
export function triggerDate(execution: ExecutionSummary): string {
  const date = execution.trigger?.variables.date;
  return typeof date === 'string' ? date : '';
}

/** A flow with one Log task and the given trigger YAML (indented under `triggers:`). */
export function scheduledFlow(id: string, trigger: string, extra = ''): string {
  return `id: ${id}
namespace: test.sched
${extra}tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "at {{ trigger.date ?? 'none' }}"
triggers:
${trigger
  .trim()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
`;
}
