/**
 * Where each task run of an execution sits in `task_runs`. A task run's row is keyed by
 * `(execution seq << 32) + its creation order` (migration 6), so that a step writes one B-tree
 * (a task run's upsert used to write the table and a `(execution_id, id)` index: a WAL page
 * more per commit). Finding the order of a task run by its id is done here, in memory, for the
 * executions this process commits; an entry is trusted only at the version it was made for,
 * and is read again from the table otherwise (another process committed, or this one restarted).
 */
import type { Database, Statement } from './driver.js';

/** Task runs an execution can create: the low 32 bits of the key. */
export const MAX_TASK_RUNS_PER_EXECUTION = 2 ** 32;

/** Entries kept at most; beyond, all are dropped and read again when needed (cheap, and rare). */
const MAX_ENTRIES = 10_000;

/** The slots of one execution, as of one version of it. */
export interface ExecutionSlots {
  /** The execution's rowid in `executions`: the high bits of its task runs' keys. */
  readonly executionSeq: number;
  /** The execution version these slots are true of. */
  version: number;
  /** Creation order of each task run present, by task run id. */
  readonly orderById: Map<string, number>;
  /** The order the next new task run gets: past every task run present (a removed one's may be reused). */
  next: number;
}

/** The in-memory index of task runs' keys, per execution; a cache of what `task_runs` says. */
export class TaskRunSlots {
  private readonly entries = new Map<string, ExecutionSlots>();
  private readonly selectExecutionSeq: Statement<{ seq: number }>;
  private readonly selectOrders: Statement<{ ord: number; id: string }>;

  constructor(db: Database) {
    this.selectExecutionSeq = db.prepare('SELECT seq FROM executions WHERE id = ?');
    // The range of one execution's keys, read through the rowid alone.
    this.selectOrders = db.prepare(
      `SELECT seq - (@execution << 32) AS ord, id FROM task_runs
       WHERE seq >= (@execution << 32) AND seq < ((@execution + 1) << 32) ORDER BY seq`,
    );
  }

  /** The (empty) slots of an execution just inserted at version 1, for its task runs to fill. */
  created(executionId: string, executionSeq: number): ExecutionSlots {
    const slots = { executionSeq, version: 1, orderById: new Map<string, number>(), next: 0 };
    this.set(executionId, slots);
    return slots;
  }

  /**
   * The slots of an execution stored at `version`, for a caller holding the write transaction
   * (what is read here cannot change under it); undefined for an unknown execution.
   */
  at(executionId: string, version: number): ExecutionSlots | undefined {
    const cached = this.entries.get(executionId);
    if (cached !== undefined && cached.version === version) return cached;
    const row = this.selectExecutionSeq.get(executionId);
    if (row === undefined) return undefined;
    const orderById = new Map<string, number>();
    let next = 0;
    for (const { ord, id } of this.selectOrders.all({ execution: row.seq })) {
      orderById.set(id, ord);
      next = ord + 1;
    }
    const slots = { executionSeq: row.seq, version, orderById, next };
    this.set(executionId, slots);
    return slots;
  }

  /** Forgets an execution's slots: it ended, or a transaction that changed them rolled back. */
  forget(executionId: string): void {
    this.entries.delete(executionId);
  }

  private set(executionId: string, slots: ExecutionSlots): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(executionId)) this.entries.clear();
    this.entries.set(executionId, slots);
  }
}
