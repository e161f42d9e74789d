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

/** Jobs claimed for a worker within a step's statement (CommitOptions.claimFor, with its instant). */
export interface StepClaim {
  workerId: string;
  limit: number;
  claimedAt: string;
}

/**
 * The step's statement and parameters; its one row's `n` is 1 when committed, 0 when stale.
 * With `claim`, the same statement claims up to `claim.limit` jobs for the in-process worker,
 * oldest first: unclaimed jobs already queued, then the step's own new jobs, inserted claimed
 * (a statement cannot see the rows its CTEs insert, so they are claimed as they are written).
 * The row's `claimed` lists them (`{ seq, body }`, by seq); nothing is claimed when stale.
 * A step of a standalone process then costs one round trip: no BEGIN, no separate claim, no
 * COMMIT (four before), and no NOTIFY of jobs no other worker may take (migration 10).
 */
export function stepStatement(
  step: StepCommit,
  headerJson: string,
  claim?: StepClaim,
): { sql: string; params: unknown[] } {
  const { params, param: p } = parameters();
  const { execution } = step;
  const id = p(execution.id);
  const consumed = [...new Set(step.consumedEvents)];
  const consumedParam = consumed.length > 0 ? p(consumed) : undefined;
  // Its events still there: none was consumed by another step (see StepCommit.consumedEvents).
  const eventsThere = consumedParam
    ? ` AND (SELECT count(*) FROM events WHERE seq = ANY(${consumedParam}::bigint[])) = ${consumed.length}`
    : '';
  const parts = [
    `upd AS (UPDATE executions SET state = ${p(execution.state.current)}, version = ${p(execution.version)},
       labels = ${p(JSON.stringify(execution.labels))}::jsonb, header = ${p(headerJson)}::jsonb
       WHERE id = ${id} AND version = ${p(step.expectedVersion)}${eventsThere} RETURNING 1)`,
  ];
  const gate = 'EXISTS (SELECT 1 FROM upd)';
  const taskRuns: TaskRun[] = lastByKey(step.changedTaskRuns, (t) => t.id);
  if (taskRuns.length > 0) {
    // Each row keeps the version that last wrote it: a worker's claim reads only those newer
    // than the execution it has (queues.ts claimJobs).
    const version = p(execution.version);
    parts.push(`tr AS (INSERT INTO task_runs (execution_id, id, body, version)
       SELECT ${id}, i, b, ${version}::int FROM unnest(${p(taskRuns.map((t) => t.id))}::text[], ${p(taskRuns.map((t) => JSON.stringify(t)))}::jsonb[])
         WITH ORDINALITY AS t(i, b, n) WHERE ${gate} ORDER BY n
       ON CONFLICT (execution_id, id) DO UPDATE SET body = excluded.body, version = excluded.version)`);
  }
  if (consumedParam) {
    parts.push(`evd AS (DELETE FROM events WHERE seq = ANY(${consumedParam}::bigint[]) AND ${gate})`);
  }
  const completed = step.completedJobIds ?? [];
  if (completed.length > 0) {
    parts.push(`jd AS (DELETE FROM jobs WHERE id = ANY(${p(completed)}::text[]) AND ${gate})`);
  }
  const claiming = claim !== undefined && claim.limit > 0;
  let worker = '';
  let claimedAt = '';
  let limit = '';
  if (claiming) {
    worker = p(claim.workerId);
    claimedAt = p(claim.claimedAt);
    limit = p(Math.floor(claim.limit));
    // As claimJobsIn: SKIP LOCKED passes over jobs another claim is taking at this moment.
    parts.push(`oc AS (UPDATE jobs SET worker_id = ${worker}, claimed_at = ${claimedAt}::timestamptz
       WHERE seq IN (SELECT seq FROM jobs WHERE worker_id IS NULL AND ${gate}
         ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       RETURNING seq, body)`);
  }
  if (step.jobs.length > 0) {
    const jobs = step.jobs;
    // Claimed as written while the limit leaves room after the older jobs claimed above.
    const room = `n <= ${limit}::int - (SELECT count(*) FROM oc)`;
    const claimColumns = claiming
      ? `, CASE WHEN ${room} THEN ${worker} END, CASE WHEN ${room} THEN ${claimedAt}::timestamptz END`
      : '';
    parts.push(`ji AS (INSERT INTO jobs (id, execution_id, body${claiming ? ', worker_id, claimed_at' : ''})
       SELECT i, e, b${claimColumns} FROM unnest(${p(jobs.map((j) => j.id))}::text[], ${p(jobs.map((j) => j.executionId))}::text[],
         ${p(jobs.map((j) => JSON.stringify(j)))}::json[]) WITH ORDINALITY AS t(i, e, b, n) WHERE ${gate} ORDER BY n
       ON CONFLICT (id) DO NOTHING RETURNING seq, body, worker_id)`);
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
  if (!claiming) return { sql: `WITH ${parts.join(',\n')} SELECT count(*)::int AS n FROM upd`, params };
  const mine = step.jobs.length > 0 ? ` UNION ALL SELECT seq, body FROM ji WHERE worker_id IS NOT NULL` : '';
  return {
    sql: `WITH ${parts.join(',\n')} SELECT (SELECT count(*)::int FROM upd) AS n,
       (SELECT coalesce(json_agg(json_build_object('seq', c.seq, 'body', c.body) ORDER BY c.seq), '[]')
          FROM (SELECT seq, body FROM oc${mine}) c) AS claimed`,
    params,
  };
}

/**
 * Many steps (of different executions, none needing statements) as ONE statement: the
 * versioned UPDATE of every header from arrays, and each other write gated on its execution
 * being among those updated. Returns the statement; its one row's `updated` lists the ids
 * updated, and a step missing from it is stale (the caller rolls the transaction back).
 */
export function batchStatement(
  steps: readonly StepCommit[],
  headerJson: (step: StepCommit) => string,
): { sql: string; params: unknown[] } {
  const { params, param: p } = parameters();
  /** Rows of each step, flattened with the step's execution id. */
  const rows = <T>(pick: (step: StepCommit) => readonly T[]) =>
    steps.flatMap((step) => pick(step).map((item) => ({ executionId: step.execution.id, item })));
  const consumed = rows((s) => [...new Set(s.consumedEvents)]);
  const parts = [
    `s AS (SELECT * FROM unnest(${p(steps.map((s) => s.execution.id))}::text[], ${p(steps.map((s) => s.execution.version))}::int[],
       ${p(steps.map((s) => s.expectedVersion))}::int[], ${p(steps.map((s) => s.execution.state.current))}::text[],
       ${p(steps.map((s) => JSON.stringify(s.execution.labels)))}::jsonb[], ${p(steps.map(headerJson))}::jsonb[],
       ${p(steps.map((s) => new Set(s.consumedEvents).size))}::int[])
       AS s(id, version, expected, state, labels, header, consumed))`,
  ];
  // Each step's events still there: none was consumed by another step (StepCommit.consumedEvents).
  // Joined, not a subquery per step: that one scanned all the batch's events for each step
  // (0.2 ms a step, 215 ms of a 1,000-step batch in PostgreSQL's auto_explain).
  let eventsThere = '';
  let thereJoin = '';
  if (consumed.length > 0) {
    parts.push(
      `c AS (SELECT * FROM unnest(${p(consumed.map((r) => r.item))}::bigint[], ${p(consumed.map((r) => r.executionId))}::text[]) AS c(q, e))`,
      `there AS (SELECT c.e, count(*)::int AS n FROM c JOIN events ev ON ev.seq = c.q GROUP BY c.e)`,
    );
    thereJoin = ' LEFT JOIN there ON there.e = s.id';
    eventsThere = ' AND s.consumed = coalesce(there.n, 0)';
  }
  parts.push(`upd AS (UPDATE executions e SET state = s.state, version = s.version, labels = s.labels, header = s.header
       FROM s${thereJoin} WHERE e.id = s.id AND e.version = s.expected${eventsThere} RETURNING e.id)`);
  const gated = (column: string) => `${column} IN (SELECT id FROM upd)`;

  const taskRuns = rows((s) => lastByKey(s.changedTaskRuns, (t) => t.id));
  const versionOf = new Map(steps.map((s) => [s.execution.id, s.execution.version]));
  if (taskRuns.length > 0)
    parts.push(`tr AS (INSERT INTO task_runs (execution_id, id, body, version)
       SELECT e, i, b, v FROM unnest(${p(taskRuns.map((r) => r.executionId))}::text[], ${p(taskRuns.map((r) => r.item.id))}::text[],
         ${p(taskRuns.map((r) => JSON.stringify(r.item)))}::jsonb[], ${p(taskRuns.map((r) => versionOf.get(r.executionId)))}::int[])
         WITH ORDINALITY AS t(e, i, b, v, n)
       WHERE ${gated('e')} ORDER BY n
       ON CONFLICT (execution_id, id) DO UPDATE SET body = excluded.body, version = excluded.version)`);
  if (consumed.length > 0)
    parts.push(`evd AS (DELETE FROM events WHERE seq IN (SELECT q FROM c WHERE ${gated('e')}))`);
  const completed = rows((s) => s.completedJobIds ?? []);
  if (completed.length > 0)
    parts.push(`jd AS (DELETE FROM jobs WHERE id IN (
       SELECT j FROM unnest(${p(completed.map((r) => r.item))}::text[], ${p(completed.map((r) => r.executionId))}::text[]) AS c(j, e)
       WHERE ${gated('e')}))`);
  const jobs = rows((s) => s.jobs);
  if (jobs.length > 0)
    parts.push(`ji AS (INSERT INTO jobs (id, execution_id, body)
       SELECT i, e, b FROM unnest(${p(jobs.map((r) => r.item.id))}::text[], ${p(jobs.map((r) => r.item.executionId))}::text[],
         ${p(jobs.map((r) => JSON.stringify(r.item)))}::json[], ${p(jobs.map((r) => r.executionId))}::text[])
         WITH ORDINALITY AS t(i, e, b, src, n) WHERE ${gated('src')} ORDER BY n
       ON CONFLICT (id) DO NOTHING)`);
  const timers = rows((s) => lastByKey(s.timers, (t) => JSON.stringify([t.executionId, t.key])));
  if (timers.length > 0)
    parts.push(`ti AS (INSERT INTO timers (execution_id, key, due_at, body)
       SELECT e, k, d, b FROM unnest(${p(timers.map((r) => r.item.executionId))}::text[], ${p(timers.map((r) => r.item.key))}::text[],
         ${p(timers.map((r) => instant(r.item.at, 'timer.at')))}::timestamptz[], ${p(timers.map((r) => JSON.stringify(r.item.event)))}::json[],
         ${p(timers.map((r) => r.executionId))}::text[])
         WITH ORDINALITY AS t(e, k, d, b, src, n) WHERE ${gated('src')} ORDER BY n
       ON CONFLICT (execution_id, key) DO UPDATE SET due_at = excluded.due_at, body = excluded.body)`);
  const events = rows((s) => s.events);
  if (events.length > 0)
    parts.push(`evi AS (INSERT INTO events (execution_id, body)
       SELECT e, b FROM unnest(${p(events.map((r) => r.item.executionId))}::text[], ${p(events.map((r) => JSON.stringify(r.item.event)))}::json[],
         ${p(events.map((r) => r.executionId))}::text[])
         WITH ORDINALITY AS t(e, b, src, n) WHERE ${gated('src')} ORDER BY n)`);
  const logs = rows((s) => s.logs).map((r) => r.item);
  if (logs.length > 0) parts.push(`li AS (${insertLogsSql(logs, p, `WHERE ${gated('e')}`)})`);
  const transitions = steps.filter((s) => s.transition !== undefined);
  if (transitions.length > 0) {
    parts.push(`xt AS (INSERT INTO execution_transitions (execution_id, transition)
       SELECT e, x FROM unnest(${p(transitions.map((s) => s.execution.id))}::text[], ${p(transitions.map((s) => s.transition))}::text[])
         WITH ORDINALITY AS t(e, x, n) WHERE ${gated('e')} ORDER BY n)`);
    // An ended execution needs its executor no more (a restart leases it again).
    const ended = transitions.filter((s) => s.transition === 'ended').map((s) => s.execution.id);
    // The ended among those updated, then their leases by key: gated on the whole of upd (which
    // the planner takes for one row), the delete scanned every lease once per step of the batch
    // (490 ms of a 1,000-step batch in auto_explain).
    if (ended.length > 0)
      parts.push(
        `xl AS (DELETE FROM execution_leases WHERE execution_id IN (SELECT id FROM upd WHERE id = ANY(${p(ended)}::text[])))`,
      );
  }
  return {
    sql: `WITH ${parts.join(',\n')} SELECT coalesce(array_agg(id), '{}') AS updated FROM upd`,
    params,
  };
}
