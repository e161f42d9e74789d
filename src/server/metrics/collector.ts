/**
 * The server's metrics: executions by state and worker queue depth (read from the store at
 * each scrape, so they are true across processes), and, from the runtime's 'execution' events
 * in this process, executions started and task run durations. An execution is sent again after
 * every step, so each start and each task run end is remembered and counted once.
 */
import type { Execution } from '../../engine/model.js';
import { isTerminal, STATES } from '../../engine/model.js';
import type { Runtime } from '../../engine/runtime/runtime.js';
import type { Store } from '../../store/contract.js';
import { Counter, gaugeText, Histogram } from './prometheus.js';

/** Seconds: from a quick Log task to a long script. */
export const TASK_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
];

/** How many starts and task run ends are remembered to avoid counting them twice. */
const REMEMBERED = 100_000;

/** A set that forgets its oldest members past a size. */
class BoundedSet {
  private readonly members = new Set<string>();
  constructor(private readonly limit: number) {}

  /** Adds a member; false when it was there already. */
  add(member: string): boolean {
    if (this.members.has(member)) return false;
    this.members.add(member);
    if (this.members.size > this.limit) this.members.delete(this.members.values().next().value!);
    return true;
  }
}

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
  const started = new BoundedSet(REMEMBERED);
  const ended = new BoundedSet(REMEMBERED);
  // What ended before this process listened (an execution recovered at start) is not counted here.
  const since = Date.now();

  const onExecution = (execution: Execution): void => {
    const labels = { namespace: execution.namespace, flow_id: execution.flowId };
    const running = execution.state.histories.find((h) => h.state === 'RUNNING');
    if (running && Date.parse(running.date) >= since && started.add(execution.id))
      executionsStarted.inc(labels);
    for (const taskRun of execution.taskRunList) {
      const state = taskRun.state;
      if (!isTerminal(state.current)) continue;
      const end = state.endDate ?? state.histories[state.histories.length - 1]?.date;
      if (end === undefined) continue;
      const endMs = Date.parse(end);
      if (endMs < since || !ended.add(`${taskRun.id}|${end}`)) continue;
      const seconds = Math.max(0, endMs - Date.parse(state.startDate)) / 1000;
      taskRunDuration.observe({ ...labels, state: state.current }, seconds);
    }
  };
  runtime.on('execution', onExecution);

  return {
    executionsStarted,
    taskRunDuration,
    async render() {
      const [byState, jobs] = await Promise.all([store.countExecutionsByState(), store.countJobs()]);
      return [
        gaugeText(
          'windhover_executions',
          'Executions in the store, by current state.',
          STATES.map((state) => ({ labels: { state }, value: byState[state] ?? 0 })),
        ),
        gaugeText('windhover_worker_jobs', 'Worker jobs waiting (pending) and being run (claimed).', [
          { labels: { status: 'pending' }, value: jobs.pending },
          { labels: { status: 'claimed' }, value: jobs.claimed },
        ]),
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
