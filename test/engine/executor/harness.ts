/**
 * A small simulator around the pure executor: it holds a flow, its execution, the jobs a worker
 * was given and not yet answered, the pending timers and a fake clock. Tests drive it with
 * events (`start`, `complete`, `send`), let a default worker answer (`runUntilIdle`) and move
 * the clock (`advance`). Every step is checked for what the store relies on: the input
 * execution is left untouched, `version` is bumped, and the task runs the step reports as
 * changed or removed turn the old list into the new one.
 */
import { expect } from 'vitest';
import { step } from '../../../src/engine/executor/step.js';
import type {
  ExecutorEvent,
  JobResult,
  OutboundEvent,
  RuntimeAction,
  StepResult,
  Timer,
  TimerPurpose,
  WorkerJob,
} from '../../../src/engine/executor/types.js';
import type { Execution, LogEntry, State, TaskRun } from '../../../src/engine/model.js';
import { isTruthyCondition, parseIsoDuration, validateFlowSource } from '../../../src/flow/index.js';
import type { Flow, FlowTask } from '../../../src/flow/model.js';
import { labelList } from '../../../src/plugins/core/task-props.js';
import { catalog } from '../../../src/plugins/registry.js';

export const T0 = new Date('2025-01-01T00:00:00.000Z');

const CORE = 'io.kestra.plugin.core';
export const TYPES = {
  log: `${CORE}.log.Log`,
  return: `${CORE}.debug.Return`,
  fail: `${CORE}.execution.Fail`,
  exit: `${CORE}.execution.Exit`,
  labels: `${CORE}.execution.Labels`,
  if: `${CORE}.flow.If`,
  switch: `${CORE}.flow.Switch`,
  forEach: `${CORE}.flow.ForEach`,
  loopUntil: `${CORE}.flow.LoopUntil`,
  pause: `${CORE}.flow.Pause`,
  sleep: `${CORE}.flow.Sleep`,
  subflow: `${CORE}.flow.Subflow`,
} as const;

/** Validates a whole flow's YAML; fails the test with the problems when it is invalid. */
export function parseFlow(yaml: string): Flow {
  const validation = validateFlowSource(yaml, { catalog });
  const problems = [...validation.problems, ...validation.flows.flatMap((f) => f.problems)].filter(
    (p) => p.severity === 'error',
  );
  const flow = validation.flows[0]?.flow;
  if (!flow) throw new Error(`invalid flow:\n${problems.map((p) => `${p.line}: ${p.message}`).join('\n')}`);
  return flow;
}

/** A flow `test` in `company.team` with this body (`tasks:` and whatever else, unindented). */
export function flowYaml(body: string): string {
  return `id: test\nnamespace: company.team\n${body}`;
}

/** A fresh execution of a flow, CREATED at T0. */
export function newExecution(flow: Flow, patch: Partial<Execution> = {}): Execution {
  const date = T0.toISOString();
  return {
    id: 'exec',
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: 1,
    state: { current: 'CREATED', histories: [{ state: 'CREATED', date }], startDate: date },
    inputs: {},
    labels: [],
    taskRunList: [],
    version: 1,
    ...patch,
  };
}

/** What a responder is told about a job. */
export interface JobContext {
  job: WorkerJob;
  /** Undefined for the flow's `outputs` job. */
  task?: FlowTask;
  run?: TaskRun;
  sim: Sim;
}

/** A result, `'hold'` to leave the job unanswered, or undefined for the default answer. */
export type Reply = JobResult | 'hold' | undefined;
export type Answer = Reply | ((ctx: JobContext) => Reply);
/** Answers by `taskId:purpose` or `taskId` (first match wins), or a function of the job. */
export type Responder = Record<string, Answer> | ((ctx: JobContext) => Reply);

/** Picks a job: by task id, by fields, or by a predicate. */
export type JobSelector =
  | string
  | { taskId?: string; value?: string; purpose?: WorkerJob['purpose']; iteration?: number }
  | ((job: WorkerJob, run: TaskRun | undefined) => boolean);

export const ok = (outputs?: Record<string, unknown>): JobResult => ({
  state: 'SUCCESS',
  ...(outputs ? { outputs } : {}),
});
export const failed = (error = 'boom'): JobResult => ({ state: 'FAILED', error });
export const warning: JobResult = { state: 'WARNING' };
export const killed: JobResult = { state: 'KILLED' };

const truthy = (value: unknown): boolean => value !== undefined && value !== null && isTruthyCondition(value);
const ms = (value: unknown): number | undefined =>
  typeof value === 'string' ? parseIsoDuration(value) : undefined;

/** What the real plugins' `resolve` returns, from the task's literal properties (no rendering). */
function resolveOf(task: FlowTask): Record<string, unknown> {
  switch (task.type) {
    case TYPES.if:
      return { condition: truthy(task.condition) };
    case TYPES.switch:
      return { value: task.value ?? null };
    case TYPES.forEach: {
      const values = typeof task.values === 'string' ? (JSON.parse(task.values) as unknown) : task.values;
      return { values: (values as unknown[]).map((v) => String(v)) };
    }
    case TYPES.loopUntil: {
      const check = (task.checkFrequency ?? {}) as Record<string, unknown>;
      return {
        checkFrequency: {
          ...(check.maxIterations !== undefined ? { maxIterations: check.maxIterations } : {}),
          ...(check.maxDuration !== undefined ? { maxDuration: ms(check.maxDuration) } : {}),
          interval: ms(check.interval) ?? 60_000,
        },
        failOnMaxReached: task.failOnMaxReached === true,
      };
    }
    case TYPES.pause: {
      const duration = ms(task.pauseDuration ?? task.delay);
      return {
        ...(duration !== undefined ? { pauseDuration: duration } : {}),
        behavior: task.behavior ?? 'RESUME',
      };
    }
    case TYPES.sleep:
      return { duration: ms(task.duration) ?? 0 };
    case TYPES.subflow:
      return { ...task, labels: labelList(task.labels) };
    default:
      return {};
  }
}

/** The worker's answer for a task, from its own properties. */
export function defaultReply({ job, task, sim }: JobContext): JobResult {
  if (job.purpose === 'outputs') return ok(Object.fromEntries(sim.flow.outputs.map((o) => [o.id, o.value])));
  if (!task) throw new Error(`job ${job.id} has no task`);
  if (job.purpose === 'evaluate') return { state: 'SUCCESS', condition: truthy(task.condition) };
  if (task.runIf !== undefined && !truthy(task.runIf)) return { state: 'SKIPPED' };
  if (job.purpose === 'resolve') return ok(resolveOf(task));
  switch (task.type) {
    case TYPES.return:
      return ok({ value: task.format });
    case TYPES.fail:
      return failed(typeof task.errorMessage === 'string' ? task.errorMessage : 'Task failure');
    case TYPES.exit:
      return {
        state: 'SUCCESS',
        exit: (task.state === 'CANCELED' ? 'CANCELLED' : (task.state ?? 'SUCCESS')) as State,
      };
    case TYPES.labels:
      return { state: 'SUCCESS', labels: labelList(task.labels) };
    default:
      return ok();
  }
}

/** The label of a task run in `states()`: `task`, `task[value]` in a ForEach, `task#2` in a LoopUntil. */
function labelOf(run: TaskRun): string {
  if (run.value !== undefined) return `${run.taskId}[${run.value}]`;
  if (run.iteration !== undefined) return `${run.taskId}#${run.iteration}`;
  return run.taskId;
}

export class Sim {
  readonly flow: Flow;
  execution: Execution;
  now: Date = new Date(T0);
  /** What `env.random()` returns. */
  random = 0.5;
  /** Jobs dispatched and not answered yet, by id, in dispatch order. */
  readonly jobs = new Map<string, WorkerJob>();
  /** Pending timers by key (a later timer replaces one with the same key). */
  readonly timers = new Map<string, Timer>();
  readonly steps: StepResult[] = [];
  /** Every job ever dispatched, in order. */
  readonly dispatched: WorkerJob[] = [];
  private ids = 0;

  constructor(flow: Flow | string, patch: Partial<Execution> = {}) {
    this.flow = typeof flow === 'string' ? parseFlow(flow) : flow;
    this.execution = newExecution(this.flow, patch);
  }

  get last(): StepResult {
    const last = this.steps.at(-1);
    if (!last) throw new Error('no step yet');
    return last;
  }

  get state(): State {
    return this.execution.state.current;
  }

  /** The execution's states, in order. */
  get history(): State[] {
    return this.execution.state.histories.map((h) => h.state);
  }

  get actions(): RuntimeAction[] {
    return this.steps.flatMap((s) => s.actions);
  }

  get outbound(): OutboundEvent[] {
    return this.steps.flatMap((s) => s.events);
  }

  get logs(): LogEntry[] {
    return this.steps.flatMap((s) => s.logs);
  }

  /** Task ids of the `run` jobs dispatched so far, in order. */
  get ran(): string[] {
    return this.dispatched.filter((j) => j.purpose === 'run').map((j) => j.taskId!);
  }

  /** Labels (see `states()`) of the outstanding jobs. */
  pending(purpose?: WorkerJob['purpose']): string[] {
    return [...this.jobs.values()]
      .filter((j) => purpose === undefined || j.purpose === purpose)
      .map((j) => (j.taskRunId ? labelOf(this.runById(j.taskRunId)) : j.purpose));
  }

  /** One executor step with these events; checks what the store relies on. */
  send(...events: ExecutorEvent[]): StepResult {
    const before = JSON.stringify(this.execution);
    let id = this.ids;
    const result = step(this.flow, this.execution, events, {
      now: new Date(this.now),
      newId: () => `id${++id}`,
      random: () => this.random,
    });
    this.ids = id;
    expect(JSON.stringify(this.execution), 'step changed its input execution').toBe(before);
    expect(result.execution.version).toBe(this.execution.version + 1);
    checkDelta(this.execution.taskRunList, result);
    this.execution = result.execution;
    this.steps.push(result);
    for (const job of result.jobs) {
      expect(this.jobs.has(job.id), `job ${job.id} dispatched twice`).toBe(false);
      this.jobs.set(job.id, job);
      this.dispatched.push(job);
    }
    for (const timer of result.timers) this.timers.set(timer.key, timer);
    return result;
  }

  start(): this {
    this.send({ kind: 'start' });
    return this;
  }

  /** The outstanding jobs a selector picks. */
  jobsFor(select: JobSelector): WorkerJob[] {
    return [...this.jobs.values()].filter((job) => matches(select, job, this.runOrUndefined(job.taskRunId)));
  }

  /** The one outstanding job a selector picks (the first when several). */
  job(select: JobSelector): WorkerJob {
    const job = this.jobsFor(select)[0];
    if (!job)
      throw new Error(
        `no outstanding job for ${describe(select)}; outstanding: ${this.pending().join(', ')}`,
      );
    return job;
  }

  /** Answers a job as a worker would. */
  complete(select: JobSelector, result: JobResult): StepResult {
    const job = this.job(select);
    this.jobs.delete(job.id);
    return this.send({
      kind: 'jobResult',
      job: job.purpose,
      ...(job.taskRunId ? { taskRunId: job.taskRunId } : {}),
      attempt: job.attempt,
      result,
    });
  }

  /** Answers jobs (responder first, then the default) until none is left but those held. */
  runUntilIdle(responder: Responder = {}): this {
    for (let guard = 0; guard < 10_000; guard++) {
      let answered = false;
      for (const job of this.jobs.values()) {
        const ctx: JobContext = { job, sim: this };
        if (job.taskRunId) {
          ctx.run = this.runById(job.taskRunId);
          ctx.task = this.taskOf(ctx.run.taskId);
        }
        const reply = replyOf(responder, ctx);
        if (reply === 'hold') continue;
        this.complete((j) => j.id === job.id, reply ?? defaultReply(ctx));
        answered = true;
        break;
      }
      if (!answered) return this;
    }
    throw new Error('runUntilIdle: too many jobs (a loop?)');
  }

  /** Moves the clock on, firing the timers that come due, each at its own time. */
  advance(msToAdvance: number): this {
    const target = this.now.getTime() + msToAdvance;
    for (;;) {
      const due = [...this.timers.values()]
        .filter((t) => Date.parse(t.at) <= target)
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
      if (!due) break;
      this.timers.delete(due.key);
      this.now = new Date(Math.max(this.now.getTime(), Date.parse(due.at)));
      expect(due.executionId).toBe(this.execution.id);
      this.send(due.event);
    }
    this.now = new Date(target);
    return this;
  }

  /** The pending timer with this purpose (the first when several). */
  timer(purpose: TimerPurpose): Timer {
    const timer = [...this.timers.values()].find(
      (t) => t.event.kind === 'timer' && t.event.purpose === purpose,
    );
    if (!timer) throw new Error(`no pending ${purpose} timer`);
    return timer;
  }

  taskOf(taskId: string): FlowTask {
    const find = (tasks: unknown): FlowTask | undefined => {
      if (!Array.isArray(tasks)) return undefined;
      for (const t of tasks as FlowTask[]) {
        const task = (t.task as FlowTask | undefined) ?? t; // Dag entries
        if (task.id === taskId) return task;
        for (const key of ['tasks', 'then', 'else', 'errors', 'finally', 'defaults']) {
          const found = find(task[key]);
          if (found) return found;
        }
        for (const list of Object.values((task.cases ?? {}) as Record<string, unknown>)) {
          const found = find(list);
          if (found) return found;
        }
      }
      return undefined;
    };
    const task = find([
      ...this.flow.tasks,
      ...this.flow.errors,
      ...this.flow.finally,
      ...this.flow.afterExecution,
    ]);
    if (!task) throw new Error(`no task ${taskId}`);
    return task;
  }

  runById(id: string): TaskRun {
    const run = this.runOrUndefined(id);
    if (!run) throw new Error(`no task run ${id}`);
    return run;
  }

  private runOrUndefined(id: string | undefined): TaskRun | undefined {
    return id === undefined ? undefined : this.execution.taskRunList.find((r) => r.id === id);
  }

  /** Every run of a task, in creation order. */
  runsOf(taskId: string): TaskRun[] {
    return this.execution.taskRunList.filter((r) => r.taskId === taskId);
  }

  /** The run of a task (with this ForEach value); fails when there is none or several. */
  runOf(taskId: string, value?: string): TaskRun {
    const runs = this.runsOf(taskId).filter((r) => value === undefined || r.value === value);
    if (runs.length !== 1) throw new Error(`${runs.length} runs of ${taskId}${value ? `[${value}]` : ''}`);
    return runs[0]!;
  }

  /** The state of a task's run, undefined when it never started. */
  stateOf(taskId: string, value?: string): State | undefined {
    const runs = this.runsOf(taskId).filter((r) => value === undefined || r.value === value);
    if (runs.length > 1) throw new Error(`${runs.length} runs of ${taskId}`);
    return runs[0]?.state.current;
  }

  /** Every task run's state by label (`task`, `task[value]`, `task#iteration`). */
  states(): Record<string, State> {
    const out: Record<string, State> = {};
    for (const run of this.execution.taskRunList) {
      const label = labelOf(run);
      if (label in out) throw new Error(`two task runs labelled ${label}`);
      out[label] = run.state.current;
    }
    return out;
  }
}

function replyOf(responder: Responder, ctx: JobContext): Reply {
  if (typeof responder === 'function') return responder(ctx);
  const taskId = ctx.job.taskId ?? '';
  const answer = responder[`${taskId}:${ctx.job.purpose}`] ?? responder[taskId] ?? responder[ctx.job.purpose];
  return typeof answer === 'function' ? answer(ctx) : answer;
}

function matches(select: JobSelector, job: WorkerJob, run: TaskRun | undefined): boolean {
  if (typeof select === 'function') return select(job, run);
  if (typeof select === 'string') return job.taskId === select;
  return (
    (select.taskId === undefined || job.taskId === select.taskId) &&
    (select.purpose === undefined || job.purpose === select.purpose) &&
    (select.value === undefined || run?.value === select.value) &&
    (select.iteration === undefined || run?.iteration === select.iteration)
  );
}

function describe(select: JobSelector): string {
  return typeof select === 'function' ? 'a predicate' : JSON.stringify(select);
}

/** The store writes only changed and removed task runs: they must turn the old list into the new. */
function checkDelta(old: readonly TaskRun[], result: StepResult): void {
  const byId = new Map(old.map((r) => [r.id, r]));
  for (const id of result.removedTaskRunIds) {
    expect(byId.has(id), `removed task run ${id} was not stored`).toBe(true);
    byId.delete(id);
  }
  for (const run of result.changedTaskRuns) byId.set(run.id, run);
  const expected = new Map(result.execution.taskRunList.map((r) => [r.id, r]));
  expect([...byId.keys()].sort(), 'task runs stored after the step differ from the execution’s').toEqual(
    [...expected.keys()].sort(),
  );
  for (const [id, run] of byId)
    expect(run, `task run ${id} changed without being reported`).toEqual(expected.get(id));
}
