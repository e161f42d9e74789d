import type { Flow } from '../../flow/model.js';
import type { Execution, LogEntry, State, StateRecord, TaskRun } from '../model.js';
import { isTerminal } from '../model.js';
import type { FlowIndex } from './flow-index.js';
import type { OutboundEvent, RuntimeAction, StepEnvironment, StepResult, Timer, WorkerJob } from './types.js';

/** Where a task run sits: its parent task run ('' at the top) and its loop iteration. */
export interface Scope {
  parentId: string;
  /** The loop value children carry (ForEach item, LoopUntil iteration). */
  value?: string;
  /** Set for the iterations of a loop: children are told apart by it. */
  iteration?: number;
}

export const ROOT: Scope = { parentId: '' };

/**
 * The execution being changed by one step: copy-on-write task runs with an index by id and by
 * (parent, iteration, task), and what the step produces (jobs, timers, actions, logs).
 */
export class Draft {
  readonly execution: Execution;
  private runs: TaskRun[];
  private byId: Map<string, TaskRun>;
  private bySlot: SlotIndex;
  private children: Map<string, TaskRun[]>;
  private readonly changed = new Map<string, TaskRun>();
  private readonly removed = new Set<string>();
  /** The task runs the step started from (stored ones, as opposed to created here). */
  private readonly startRuns: readonly TaskRun[];
  /** Their ids, built when a removal needs them. */
  private storedIds: ReadonlySet<string> | undefined;
  readonly jobs: WorkerJob[] = [];
  readonly timers: Timer[] = [];
  readonly events: OutboundEvent[] = [];
  readonly actions: RuntimeAction[] = [];
  readonly logs: LogEntry[] = [];
  readonly nowIso: string;

  constructor(
    execution: Execution,
    readonly flow: Flow,
    readonly index: FlowIndex,
    readonly env: StepEnvironment,
  ) {
    this.execution = {
      ...execution,
      state: { ...execution.state, histories: [...execution.state.histories] },
    };
    if (execution.control) this.execution.control = { ...execution.control };
    this.startRuns = execution.taskRunList;
    this.runs = [...execution.taskRunList];
    // The previous step of this execution left its indexes of these very task runs: taken over
    // (and taken away, so that no other draft changes them), each step costs what it changes
    // rather than a rebuild over every task run so far.
    const handed = handedOver.get(execution.taskRunList);
    if (handed) {
      handedOver.delete(execution.taskRunList);
      ({ byId: this.byId, bySlot: this.bySlot, children: this.children } = handed);
    } else {
      this.byId = new Map();
      this.bySlot = new Map();
      this.children = new Map();
      for (const run of this.runs) this.indexRun(run);
    }
    this.nowIso = env.now.toISOString();
  }

  private indexRun(run: TaskRun): void {
    this.byId.set(run.id, run);
    setSlot(this.bySlot, run);
    const key = run.parentTaskRunId ?? '';
    const siblings = this.children.get(key);
    if (siblings) siblings.push(run);
    else this.children.set(key, [run]);
  }

  run(id: string): TaskRun | undefined {
    return this.byId.get(id);
  }

  /** The run of a task in a scope, if it was created. */
  find(scope: Scope, taskId: string): TaskRun | undefined {
    return this.bySlot.get(scope.parentId)?.get(scope.iteration)?.get(taskId);
  }

  /** Direct children of a task run ('' for the top level), in creation order. */
  childrenOf(parentId: string): readonly TaskRun[] {
    return this.children.get(parentId) ?? [];
  }

  all(): readonly TaskRun[] {
    return this.runs;
  }

  /** Creates a task run in a scope, in state CREATED. */
  create(taskId: string, scope: Scope, extra: Partial<TaskRun> = {}): TaskRun {
    const run: TaskRun = {
      id: this.env.newId(),
      executionId: this.execution.id,
      namespace: this.execution.namespace,
      flowId: this.execution.flowId,
      taskId,
      ...(scope.parentId ? { parentTaskRunId: scope.parentId } : {}),
      ...(scope.value !== undefined ? { value: scope.value } : {}),
      ...(scope.iteration !== undefined ? { iteration: scope.iteration } : {}),
      attempts: [],
      state: newState('CREATED', this.nowIso),
      ...extra,
    };
    this.runs.push(run);
    this.indexRun(run);
    this.changed.set(run.id, run);
    return run;
  }

  /** Replaces a task run by a changed copy and returns it. */
  update(run: TaskRun, patch: Partial<TaskRun>): TaskRun {
    const next: TaskRun = { ...run, ...patch };
    const i = this.runs.indexOf(run);
    if (i === -1) throw new Error(`task run ${run.id} is not in the draft`);
    this.runs[i] = next;
    this.byId.set(next.id, next);
    setSlot(this.bySlot, next);
    const siblings = this.children.get(next.parentTaskRunId ?? '')!;
    siblings[siblings.indexOf(run)] = next;
    this.changed.set(next.id, next);
    return next;
  }

  /** Moves a task run to a state (with history; end date when terminal). */
  setState(run: TaskRun, state: State, patch: Partial<TaskRun> = {}): TaskRun {
    if (run.state.current === state && Object.keys(patch).length === 0) return run;
    return this.update(run, { ...patch, state: moveState(run.state, state, this.nowIso) });
  }

  /** Drops task runs (and their descendants) from the execution. */
  remove(ids: Iterable<string>): void {
    const drop = new Set<string>();
    const visit = (id: string) => {
      if (drop.has(id)) return;
      drop.add(id);
      for (const child of this.childrenOf(id)) visit(child.id);
    };
    for (const id of ids) visit(id);
    if (drop.size === 0) return;
    this.runs = this.runs.filter((r) => !drop.has(r.id));
    this.byId.clear();
    this.bySlot.clear();
    this.children.clear();
    for (const run of this.runs) this.indexRun(run);
    this.storedIds ??= new Set(this.startRuns.map((r) => r.id));
    for (const id of drop) {
      this.changed.delete(id);
      if (this.storedIds.has(id)) this.removed.add(id);
    }
  }

  /** Moves the execution to a state (with history). */
  setExecutionState(state: State): void {
    if (this.execution.state.current === state) return;
    this.execution.state = moveState(this.execution.state, state, this.nowIso);
  }

  log(level: LogEntry['level'], message: string, run?: TaskRun): void {
    this.logs.push({
      executionId: this.execution.id,
      namespace: this.execution.namespace,
      flowId: this.execution.flowId,
      ...(run
        ? { taskId: run.taskId, taskRunId: run.id, attemptNumber: Math.max(0, run.attempts.length - 1) }
        : {}),
      level,
      message,
      timestamp: this.nowIso,
    });
  }

  /** The step's result: the new execution and what to persist and do. */
  result(): StepResult {
    handedOver.set(this.runs, { byId: this.byId, bySlot: this.bySlot, children: this.children });
    return {
      execution: { ...this.execution, taskRunList: this.runs },
      changedTaskRuns: [...this.changed.values()],
      removedTaskRunIds: [...this.removed],
      jobs: this.jobs,
      timers: this.timers,
      events: this.events,
      actions: this.actions,
      logs: this.logs,
    };
  }
}

/** Task runs by parent task run ('' at the top), then loop iteration, then task id. */
type SlotIndex = Map<string, Map<number | undefined, Map<string, TaskRun>>>;

/** A draft's indexes of its task runs, as result() leaves them for the next step. */
interface RunIndex {
  byId: Map<string, TaskRun>;
  bySlot: SlotIndex;
  children: Map<string, TaskRun[]>;
}

/**
 * Indexes by the task run list they describe (a step's result). Keyed weakly: a list that is
 * never stepped again (an execution that ended, a commit that failed) takes its index with it.
 */
const handedOver = new WeakMap<readonly TaskRun[], RunIndex>();

function setSlot(index: SlotIndex, run: TaskRun): void {
  const parentId = run.parentTaskRunId ?? '';
  let byIteration = index.get(parentId);
  if (!byIteration) index.set(parentId, (byIteration = new Map<number | undefined, Map<string, TaskRun>>()));
  let byTask = byIteration.get(run.iteration);
  if (!byTask) byIteration.set(run.iteration, (byTask = new Map<string, TaskRun>()));
  byTask.set(run.taskId, run);
}

/** A state record that starts in `state` now. */
export function newState(state: State, now: string): StateRecord {
  return { current: state, histories: [{ state, date: now }], startDate: now };
}

/** A state record moved to `state` now; the end date is set when the state is terminal. */
export function moveState(record: StateRecord, state: State, now: string): StateRecord {
  const next: StateRecord = {
    ...record,
    current: state,
    histories: [...record.histories, { state, date: now }],
  };
  if (isTerminal(state)) next.endDate = now;
  else delete next.endDate;
  return next;
}
