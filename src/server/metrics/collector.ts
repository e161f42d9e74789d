/**
 * The server's metrics: executions by state, queue depth and lag (jobs, executor events) and
 * cluster members by role (read from the store at each scrape, so they are true across
 * processes), and, from the runtime's 'execution' events in this process, executions started
 * and task run durations. An execution is sent again after
 * every step, so each start and each task run end is counted once (counted-runs.ts).
 */
import type { Execution, TaskRun } from '../../engine/model.js';
import { STATES } from '../../engine/model.js';
import type { Runtime } from '../../engine/runtime/runtime.js';
import type { Store } from '../../store/contract.js';
import { CLUSTER_ROLES, countRoles } from '../cluster-view.js';
import { CountedRuns } from './counted-runs.js';
import { Counter, gaugeText, Histogram } from './prometheus.js';

/** Seconds: from a quick Log task to a long script. */
export const TASK_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
];

export interface ServerMetrics {
  readonly executionsStarted: Counter;
  readonly taskRunDuration: Histogram;
  /** The whole exposition text. */
  render(): Promise<string>;
  /** Stops listening to the runtime. */
  close(): void;
}

/** Starts collecting the metrics of a runtime and its store. */
export function createServerMetrics(runtime: Runtime, store: Store): ServerMetrics {
  const executionsStarted = new Counter(
    'windhover_executions_started_total',
    'Executions that started running, since this process started.',
  );
  const taskRunDuration = new Histogram(
    'windhover_task_run_duration_seconds',
    'Duration of task runs that ended, from start to end, since this process started.',
    TASK_DURATION_BUCKETS,
  );
  const counted = new CountedRuns();
  // What ended before this process listened (an execution recovered at start) is not counted here.
  const since = Date.now();

  const onExecution = (execution: Execution, changedTaskRuns?: readonly TaskRun[]): void => {
    const labels = { namespace: execution.namespace, flow_id: execution.flowId };
    const added = counted.take(execution, since, changedTaskRuns);
    if (added.started) executionsStarted.inc(labels);
    for (const { taskRun, end } of added.ended) {
      const seconds = Math.max(0, Date.parse(end) - Date.parse(taskRun.state.startDate)) / 1000;
      taskRunDuration.observe({ ...labels, state: taskRun.state.current }, seconds);
    }
  };
  runtime.on('execution', onExecution);

  return {
    executionsStarted,
    taskRunDuration,
    async render() {
      const [byState, queues, members] = await Promise.all([
        store.countExecutionsByState(),
        store.queueStats(),
        store.listMembers(),
      ]);
      const roles = countRoles(members);
      return [
        gaugeText(
          'windhover_executions',
          'Executions in the store, by current state.',
          STATES.map((state) => ({ labels: { state }, value: byState[state] ?? 0 })),
        ),
        gaugeText('windhover_worker_jobs', 'Worker jobs waiting (pending) and being run (claimed).', [
          { labels: { status: 'pending' }, value: queues.pendingJobs },
          { labels: { status: 'claimed' }, value: queues.claimedJobs },
        ]),
        gaugeText(
          'windhover_worker_jobs_oldest_pending_age_seconds',
          'Seconds since the oldest job no worker holds was queued (0 when none waits): worker lag.',
          [{ labels: {}, value: queues.oldestPendingJobSeconds }],
        ),
        gaugeText('windhover_executor_events', 'Executor events waiting for a step (pending).', [
          { labels: {}, value: queues.pendingEvents },
        ]),
        gaugeText(
          'windhover_executor_events_oldest_age_seconds',
          'Seconds since the oldest pending executor event was queued (0 when none waits): executor lag.',
          [{ labels: {}, value: queues.oldestPendingEventSeconds }],
        ),
        gaugeText(
          'windhover_cluster_members',
          'Processes of the cluster that heartbeat, by role (a standalone process counts in each).',
          CLUSTER_ROLES.map((role) => ({ labels: { role }, value: roles[role] })),
        ),
        executionsStarted.text(),
        taskRunDuration.text(),
        gaugeText('process_resident_memory_bytes', 'Resident memory size in bytes.', [
          { labels: {}, value: process.memoryUsage.rss() },
        ]),
      ].join('');
    },
    close: () => {
      runtime.off('execution', onExecution);
    },
  };
}
