/**
 * Benchmark: the store's overhead on the executor's hot path (goal: ≤ 0.3 ms per task, each
 * task costing about one commitSteps and one completeJobs).
 *
 *   npm run bench:store
 *
 * On a SQLite file in a temporary directory (WAL, synchronous=NORMAL), it times, call by call:
 * - commitSteps of one typical small step: the execution header (version bumped), one changed
 *   task run, one new job, one consumed event;
 * - completeJobs of one completion (the job removed, its jobResult event queued);
 * then the same in batches of 100 (100 executions per commitSteps, 100 completions per
 * completeJobs). Figures are medians (and 90th percentiles) in µs per call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepCommit, Store } from '../src/store/contract.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import type { WorkerJob } from '../src/engine/executor/types.js';
import type { Execution, TaskRun } from '../src/engine/model.js';

const SINGLE_CALLS = 20_000;
const BATCH = 100;
const BATCH_CALLS = 300;
const WARMUP = 500;

const START = '2026-11-26T10:00:00.000Z';

function taskRun(executionId: string, index: number): TaskRun {
  return {
    id: `${executionId}-tr${index}`,
    executionId,
    namespace: 'company.team',
    flowId: 'hello',
    taskId: `task_${index}`,
    attempts: [
      { state: { current: 'RUNNING', histories: [{ state: 'RUNNING', date: START }], startDate: START } },
    ],
    state: {
      current: 'RUNNING',
      histories: [
        { state: 'CREATED', date: START },
        { state: 'RUNNING', date: START },
      ],
      startDate: START,
    },
    outputs: { value: `a typical output of task ${index}`, rows: 42 },
  };
}

function execution(id: string): Execution {
  return {
    id,
    namespace: 'company.team',
    flowId: 'hello',
    flowRevision: 3,
    state: {
      current: 'RUNNING',
      histories: [
        { state: 'CREATED', date: START },
        { state: 'RUNNING', date: START },
      ],
      startDate: START,
    },
    inputs: { taxi: 'yellow', year: 2019, month: '01' },
    labels: [{ key: 'team', value: 'data' }],
    trigger: { id: 'schedule', type: 'io.kestra.plugin.core.trigger.Schedule', variables: { date: START } },
    taskRunList: [taskRun(id, 0)],
    version: 1,
  };
}

function job(executionId: string, n: number): WorkerJob {
  return {
    id: `${executionId}-job${n}`,
    executionId,
    namespace: 'company.team',
    flowId: 'flow',
    purpose: 'run',
    taskRunId: `${executionId}-tr${n}`,
    taskId: `task_${n}`,
    attempt: 1,
  };
}

/** One executor step of `current`: consumes `eventSeq`, changes one task run, dispatches one job. */
function step(current: Execution, n: number, eventSeq: number): StepCommit {
  const next: Execution = { ...current, version: current.version + 1 };
  return {
    execution: next,
    expectedVersion: current.version,
    changedTaskRuns: [taskRun(current.id, n)],
    removedTaskRunIds: [],
    consumedEvents: [eventSeq],
    jobs: [job(current.id, n)],
    timers: [],
    events: [],
    logs: [],
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function summary(samples: number[]): { median: number; p90: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), mean };
}

const microseconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1000;

/**
 * Runs `calls` rounds on `width` executions: commitSteps (one step per execution, consuming
 * each execution's pending event), then completeJobs (one completion per job just created,
 * queueing the event the next round consumes).
 */
async function run(
  store: Store,
  prefix: string,
  width: number,
  calls: number,
): Promise<{ commit: number[]; complete: number[] }> {
  const executions: Execution[] = [];
  for (let i = 0; i < width; i++) {
    const created = execution(`${prefix}-${i}`);
    await store.createExecution(created, [{ kind: 'start' }]);
    executions.push(created);
  }
  const commit: number[] = [];
  const complete: number[] = [];
  for (let n = 1; n <= calls; n++) {
    // An earlier run's last completion leaves its event pending: read past it (not timed).
    const events = await store.pendingEvents(width + 10);
    const seqByExecution = new Map(events.map((e) => [e.executionId, e.seq]));
    const steps = executions.map((e) => step(e, n, seqByExecution.get(e.id) ?? -1));
    let start = process.hrtime.bigint();
    await store.commitSteps(steps);
    commit.push(microseconds(start));
    steps.forEach((s, i) => (executions[i] = s.execution));
    const completions = steps.map((s) => ({
      jobId: s.jobs[0]!.id,
      event: {
        executionId: s.execution.id,
        event: {
          kind: 'jobResult' as const,
          job: 'run' as const,
          taskRunId: s.jobs[0]!.taskRunId,
          attempt: 1,
          result: { state: 'SUCCESS' as const, outputs: { value: 'done' } },
        },
      },
      logs: [],
    }));
    start = process.hrtime.bigint();
    await store.completeJobs(completions);
    complete.push(microseconds(start));
  }
  return { commit, complete };
}

const dir = mkdtempSync(join(tmpdir(), 'windhover-bench-store-'));
try {
  const store = await openSqliteStore(join(dir, 'windhover.db'));
  await run(store, 'warmup', 1, WARMUP);
  const single = await run(store, 'single', 1, SINGLE_CALLS);
  const batch = await run(store, 'batch', BATCH, BATCH_CALLS);
  await store.close();

  const rows = [
    ['commitSteps, 1 step', summary(single.commit), 1],
    ['completeJobs, 1 completion', summary(single.complete), 1],
    [`commitSteps, ${BATCH} steps`, summary(batch.commit), BATCH],
    [`completeJobs, ${BATCH} completions`, summary(batch.complete), BATCH],
  ] as const;
  console.log(
    `SQLite file store, Node ${process.version}, ${SINGLE_CALLS} single calls, ${BATCH_CALLS} batches`,
  );
  console.log('| call | median µs/call | p90 µs/call | mean µs/call | median µs/item | mean µs/item |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, { median, p90, mean }, items] of rows) {
    const cells = [median, p90, mean, median / items, mean / items].map((x) => x.toFixed(1));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  const perTask = summary(single.commit).median + summary(single.complete).median;
  console.log(
    `\nPer task (one commitSteps + one completeJobs, unbatched): ${perTask.toFixed(1)} µs (goal ≤ 300 µs)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
