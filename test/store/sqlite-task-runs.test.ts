/**
 * SQLite's task runs keyed by (execution seq << 32) + creation order (migration 6): a database
 * of the previous schema migrates with its task runs in order, a step writes no index, and the
 * in-memory index of keys (task-run-slots.ts) follows other connections and rolled-back commits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/engine/model.js';
import { VersionConflictError } from '../../src/store/contract.js';
import { connect } from '../../src/store/sqlite/driver.js';
import { MIGRATIONS, openSqliteStore } from '../../src/store/sqlite/index.js';
import { migrate } from '../../src/store/sqlite/migrations.js';
import { execution, step, taskRun } from './builders.js';

const root = mkdtempSync(join(tmpdir(), 'windhover-task-runs-test-'));
let databases = 0;

function newPath(): string {
  databases += 1;
  return join(root, `db${databases}.db`);
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Writes an execution and its task runs as the store of schema 5 did (one rowid order for all). */
function insertAsSchema5(path: string, rows: { execution: Execution; taskRunIds: string[] }[]): void {
  const db = connect(path);
  try {
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    const insertExecution = db.prepare(
      `INSERT INTO executions (id, namespace, flow_id, state, start_ms, version, labels, header)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTaskRun = db.prepare('INSERT INTO task_runs (execution_id, id, body) VALUES (?, ?, ?)');
    for (const { execution: e } of rows) {
      const { taskRunList: _taskRuns, version: _version, ...header } = e;
      insertExecution.run(
        e.id,
        e.namespace,
        e.flowId,
        e.state.current,
        Date.parse(e.state.startDate),
        e.version,
        JSON.stringify(e.labels),
        JSON.stringify(header),
      );
    }
    // Interleaved between the executions, as concurrent executions write them.
    const longest = Math.max(...rows.map((r) => r.taskRunIds.length));
    for (let i = 0; i < longest; i++)
      for (const { execution: e, taskRunIds } of rows) {
        const id = taskRunIds[i];
        if (id !== undefined) insertTaskRun.run(e.id, id, JSON.stringify(taskRun(e.id, id)));
      }
    // A removed task run leaves a gap in the order.
    db.prepare("DELETE FROM task_runs WHERE id = 'gone'").run();
  } finally {
    db.close();
  }
}

describe('sqlite task runs keyed by execution', () => {
  it('migrates a database of schema 5 with its task runs, in order, and goes on after them', async () => {
    const path = newPath();
    const e1 = execution('e1', { version: 4 });
    const e2 = execution('e2', { version: 2 });
    insertAsSchema5(path, [
      { execution: e1, taskRunIds: ['z', 'gone', 'a', 'm'] },
      { execution: e2, taskRunIds: ['b'] },
    ]);
    const store = await openSqliteStore(path);
    try {
      const read = await store.getExecution('e1');
      expect(read?.taskRunList.map((t) => t.id)).toEqual(['z', 'a', 'm']);
      expect(read).toEqual({ ...e1, taskRunList: ['z', 'a', 'm'].map((id) => taskRun('e1', id)) });
      expect((await store.getExecution('e2'))?.taskRunList.map((t) => t.id)).toEqual(['b']);

      const updatedA = taskRun('e1', 'a', { outputs: { value: 1 } });
      const next = execution('e1', {
        version: 4,
        taskRunList: [taskRun('e1', 'z'), updatedA, taskRun('e1', 'n')],
      });
      await store.commitSteps([
        step(next, { changedTaskRuns: [taskRun('e1', 'n'), updatedA], removedTaskRunIds: ['m'] }),
      ]);
      expect(await store.getExecution('e1')).toEqual({ ...next, version: 5 });
      expect((await store.getExecution('e2'))?.taskRunList.map((t) => t.id)).toEqual(['b']);
    } finally {
      await store.close();
    }
    const db = connect(path);
    try {
      // One B-tree per task run write: the table, no index beside it.
      expect(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'task_runs'").all(),
      ).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('reads an execution’s task runs as one range of the rowid', async () => {
    const path = newPath();
    await (await openSqliteStore(path)).close();
    const db = connect(path);
    try {
      const plan = db
        .prepare<{ detail: string }>(
          'EXPLAIN QUERY PLAN SELECT body FROM task_runs WHERE seq >= (1 << 32) AND seq < (2 << 32) ORDER BY seq',
        )
        .all()
        .map((r) => r.detail)
        .join('\n');
      expect(plan).toMatch(/USING INTEGER PRIMARY KEY/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });

  it('forgets what a rolled-back commit wrote: the step committed again writes its task runs', async () => {
    const store = await openSqliteStore(newPath());
    try {
      await store.createExecution(execution('a', { taskRunList: [taskRun('a', 'first')] }), []);
      await store.createExecution(execution('b'), []);
      await store.commitSteps([step(execution('b'))]);
      const next = execution('a', { taskRunList: [taskRun('a', 'first'), taskRun('a', 'x')] });
      const fresh = step(next, { changedTaskRuns: [taskRun('a', 'x')] });
      const stale = step(execution('b'), { expectedVersion: 1 });
      await expect(store.commitSteps([fresh, stale])).rejects.toBeInstanceOf(VersionConflictError);
      expect((await store.getExecution('a'))?.taskRunList.map((t) => t.id)).toEqual(['first']);

      await store.commitSteps([fresh]);
      expect(await store.getExecution('a')).toEqual({ ...next, version: 2 });
    } finally {
      await store.close();
    }
  });

  it('follows task runs another connection added and removed', async () => {
    const path = newPath();
    const first = await openSqliteStore(path);
    const second = await openSqliteStore(path);
    try {
      await first.createExecution(execution('e1', { taskRunList: [taskRun('e1', 'a')] }), []);
      const v2 = execution('e1', { taskRunList: [taskRun('e1', 'b')] });
      await second.commitSteps([
        step(v2, { changedTaskRuns: [taskRun('e1', 'b')], removedTaskRunIds: ['a'] }),
      ]);
      const updatedB = taskRun('e1', 'b', { outputs: { value: 2 } });
      const v3 = execution('e1', { version: 2, taskRunList: [updatedB, taskRun('e1', 'c')] });
      await first.commitSteps([step(v3, { changedTaskRuns: [taskRun('e1', 'c'), updatedB] })]);
      expect(await first.getExecution('e1')).toEqual({ ...v3, version: 3 });
      expect(await second.getExecution('e1')).toEqual({ ...v3, version: 3 });
    } finally {
      await first.close();
      await second.close();
    }
  });
});
