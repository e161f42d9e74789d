/**
 * One executor step as ONE statement: the versioned UPDATE of the header and, in
 * data-modifying CTEs gated on it, every other write of the step. A step then costs one round
 * trip instead of one per table (and, alone in its batch, no BEGIN/COMMIT either): the
 * executor's hot path. CTEs share one snapshot and cannot see each other's rows, so a step
 * that removes a task run, or completes and re-queues one job id, goes statement by statement
 * instead (stepNeedsStatements). Parts with nothing to write are left out of the statement.
 */
import type { StepCommit } from '../contract.js';
import type { TaskRun } from '../../engine/model.js';
import type { Timer } from '../../engine/executor/types.js';
import { instant } from './db.js';
import { insertLogsSql, parameters } from './logs.js';

/** True when the step's writes depend on each other's effects, which one statement cannot see. */
export function stepNeedsStatements(step: StepCommit): boolean {
  if (step.removedTaskRunIds.length > 0) return true;
  const completed = step.completedJobIds ?? [];
  return completed.length > 0 && step.jobs.some((job) => completed.includes(job.id));
}

/** The last of each key, at the place of its first (one statement cannot update a row twice). */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return [...map.values()];
}

/** The step's statement and parameters; its one row's `n` is 1 when committed, 0 when stale. */
export function stepStatement(step: StepCommit, headerJson: string): { sql: string; params: unknown[] } {
  const { params, param: p } = parameters();
  const { execution } = step;
  const id = p(execution.id);
  const parts = [
    `upd AS (UPDATE executions SET state = ${p(execution.state.current)}, version = ${p(execution.version)},
       labels = ${p(JSON.stringify(execution.labels))}::jsonb, header = ${p(headerJson)}::jsonb
       WHERE id = ${id} AND version = ${p(step.expectedVersion)} RETURNING 1)`,
  ];
  const gate = 'EXISTS (SELECT 1 FROM upd)';
  const taskRuns: TaskRun[] = lastByKey(step.changedTaskRuns, (t) => t.id);
  if (taskRuns.length > 0) {
    parts.push(`tr AS (INSERT INTO task_runs (execution_id, id, body)
       SELECT ${id}, i, b FROM unnest(${p(taskRuns.map((t) => t.id))}::text[], ${p(taskRuns.map((t) => JSON.stringify(t)))}::jsonb[])
         WITH ORDINALITY AS t(i, b, n) WHERE ${gate} ORDER BY n
       ON CONFLICT (execution_id, id) DO UPDATE SET body = excluded.body)`);
  }
  if (step.consumedEvents.length > 0) {
    parts.push(
      `evd AS (DELETE FROM events WHERE seq = ANY(${p(step.consumedEvents)}::bigint[]) AND ${gate})`,
    );
  }
  const completed = step.completedJobIds ?? [];
  if (completed.length > 0) {
    parts.push(`jd AS (DELETE FROM jobs WHERE id = ANY(${p(completed)}::text[]) AND ${gate})`);
  }
  if (step.jobs.length > 0) {
    const jobs = step.jobs;
    parts.push(`ji AS (INSERT INTO jobs (id, execution_id, body)
       SELECT i, e, b FROM unnest(${p(jobs.map((j) => j.id))}::text[], ${p(jobs.map((j) => j.executionId))}::text[],
         ${p(jobs.map((j) => JSON.stringify(j)))}::json[]) WITH ORDINALITY AS t(i, e, b, n) WHERE ${gate} ORDER BY n
       ON CONFLICT (id) DO NOTHING)`);
  }
  const timers: Timer[] = lastByKey(step.timers, (t) => JSON.stringify([t.executionId, t.key]));
  if (timers.length > 0) {
    parts.push(`ti AS (INSERT INTO timers (execution_id, key, due_at, body)
       SELECT e, k, d, b FROM unnest(${p(timers.map((t) => t.executionId))}::text[], ${p(timers.map((t) => t.key))}::text[],
         ${p(timers.map((t) => instant(t.at, 'timer.at')))}::timestamptz[], ${p(timers.map((t) => JSON.stringify(t.event)))}::json[])
         WITH ORDINALITY AS t(e, k, d, b, n) WHERE ${gate} ORDER BY n
       ON CONFLICT (execution_id, key) DO UPDATE SET due_at = excluded.due_at, body = excluded.body)`);
  }
  if (step.events.length > 0) {
    parts.push(`evi AS (INSERT INTO events (execution_id, body)
       SELECT e, b FROM unnest(${p(step.events.map((e) => e.executionId))}::text[], ${p(step.events.map((e) => JSON.stringify(e.event)))}::json[])
         WITH ORDINALITY AS t(e, b, n) WHERE ${gate} ORDER BY n)`);
  }
  if (step.logs.length > 0) parts.push(`li AS (${insertLogsSql(step.logs, p, `WHERE ${gate}`)})`);
  if (step.transition !== undefined) {
    parts.push(`xt AS (INSERT INTO execution_transitions (execution_id, transition)
       SELECT ${id}, ${p(step.transition)} WHERE ${gate})`);
  }
  // An ended execution needs its executor no more (a restart leases it again).
  if (step.transition === 'ended') {
    parts.push(`xl AS (DELETE FROM execution_leases WHERE execution_id = ${id} AND ${gate})`);
  }
  return { sql: `WITH ${parts.join(',\n')} SELECT count(*)::int AS n FROM upd`, params };
}
