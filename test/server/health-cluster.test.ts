/**
 * `/health` and `/metrics` as a cluster member serves them: this member and its roles, the
 * members the store lists (with their heartbeat age), counts per role, the scheduler lease
 * holder, and the queues' depth and lag. Other members are written straight into the store (as
 * their heartbeats would); the runtime is not started, so nothing drains the queues under test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocal } from '../../src/engine/runtime/local.js';
import type { LocalSetup } from '../../src/engine/runtime/local.js';
import { buildMonitoringServer } from '../../src/server/app.js';
import type { MemberReport } from '../../src/store/contract.js';
import { execution, job, newEvent, step } from '../store/builders.js';

interface HealthBody {
  status: string;
  details: {
    member: { id: string; roles: string[] };
    cluster: {
      members: Array<{
        id: string;
        roles: string[];
        host: string;
        pid: number;
        secondsSinceHeartbeat: number;
      }>;
      roles: Record<string, number>;
      schedulerLease: { holder: string; expiresAt: string } | null;
    };
  };
}

/** The value of one sample line, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function report(id: string, roles: MemberReport['roles']): MemberReport {
  return {
    id,
    roles,
    host: 'elsewhere',
    pid: 7,
    startedAt: new Date().toISOString(),
    info: { workerSlots: 8 },
  };
}

describe('health and metrics of a cluster member', () => {
  let dataDir: string;
  let local: LocalSetup;
  let app: FastifyInstance;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wh-health-cluster-'));
    local = await openLocal(dataDir);
    app = await buildMonitoringServer({ runtime: local.runtime, store: local.store, roles: ['scheduler'] });
  });
  afterAll(async () => {
    await app.close();
    await local.close(1_000);
    await rm(dataDir, { recursive: true, force: true });
  });

  const health = async (): Promise<HealthBody> => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    return res.json<HealthBody>();
  };
  const scrape = async (): Promise<string> => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('names this member and its roles, and shows an empty cluster as such', async () => {
    const body = await health();
    expect(body.status).toBe('UP');
    expect(body.details.member).toEqual({ id: local.runtime.memberId, roles: ['scheduler'] });
    expect(body.details.cluster).toEqual({
      members: [],
      roles: { executor: 0, worker: 0, scheduler: 0, webserver: 0 },
      schedulerLease: null,
    });
  });

  it('lists the members with their heartbeat age, counts per role and the lease holder', async () => {
    await local.store.heartbeat(report('worker-1', ['worker']));
    await local.store.heartbeat(report('exec-1', ['executor']));
    await sleep(300);
    await local.store.heartbeat(report('worker-2', ['worker']));
    await local.store.heartbeat(report('all-in-one', ['executor', 'worker', 'scheduler', 'webserver']));
    expect(await local.store.acquireLease('scheduler', 'all-in-one', 60_000)).toBe(true);

    const { cluster } = (await health()).details;
    const byId = new Map(cluster.members.map((m) => [m.id, m]));
    expect([...byId.keys()].sort()).toEqual(['all-in-one', 'exec-1', 'worker-1', 'worker-2']);
    expect(byId.get('worker-1')).toMatchObject({ roles: ['worker'], host: 'elsewhere', pid: 7 });
    expect(byId.get('worker-1')!.secondsSinceHeartbeat).toBeGreaterThanOrEqual(0.2);
    expect(byId.get('worker-2')!.secondsSinceHeartbeat).toBeLessThan(0.2);
    expect(cluster.roles).toEqual({ executor: 2, worker: 3, scheduler: 1, webserver: 1 });
    expect(cluster.schedulerLease?.holder).toBe('all-in-one');
    expect(Date.parse(cluster.schedulerLease!.expiresAt)).toBeGreaterThan(Date.now() + 50_000);

    const text = await scrape();
    expect(sample(text, 'windhover_cluster_members{role="worker"}')).toBe(3);
    expect(sample(text, 'windhover_cluster_members{role="executor"}')).toBe(2);
    expect(sample(text, 'windhover_cluster_members{role="webserver"}')).toBe(1);
  });

  it('reports queue depth and lag: pending jobs and events, and how long the oldest waited', async () => {
    const quiet = await scrape();
    expect(sample(quiet, 'windhover_worker_jobs{status="pending"}')).toBe(0);
    expect(sample(quiet, 'windhover_executor_events')).toBe(0);
    expect(sample(quiet, 'windhover_worker_jobs_oldest_pending_age_seconds')).toBe(0);
    expect(sample(quiet, 'windhover_executor_events_oldest_age_seconds')).toBe(0);

    const { store } = local;
    await store.createExecution(execution('x1'), [{ kind: 'start' }]);
    await store.commitSteps([step(execution('x1'), { jobs: [job('x1', 'j1'), job('x1', 'j2')] })]);
    await store.appendEvents([newEvent('x1', { kind: 'kill' })]);
    await sleep(500);
    await store.claimJobs('worker-1', 1);

    const text = await scrape();
    expect(sample(text, 'windhover_worker_jobs{status="pending"}')).toBe(1);
    expect(sample(text, 'windhover_worker_jobs{status="claimed"}')).toBe(1);
    expect(sample(text, 'windhover_executor_events')).toBe(2);
    const jobAge = sample(text, 'windhover_worker_jobs_oldest_pending_age_seconds')!;
    const eventAge = sample(text, 'windhover_executor_events_oldest_age_seconds')!;
    expect(jobAge).toBeGreaterThanOrEqual(0.4);
    expect(jobAge).toBeLessThan(30);
    expect(eventAge).toBeGreaterThanOrEqual(0.4);
    expect(eventAge).toBeLessThan(30);
  });

  it('answers 503 DOWN, still naming this member, when the store does not answer', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'wh-health-down-'));
    const other = await openLocal(otherDir);
    const down = await buildMonitoringServer({
      runtime: other.runtime,
      store: other.store,
      roles: ['worker'],
    });
    try {
      await other.store.close();
      const res = await down.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      const body = res.json<HealthBody & { details: { store: { status: string } } }>();
      expect(body.status).toBe('DOWN');
      expect(body.details.store.status).toBe('DOWN');
      expect(body.details.member).toEqual({ id: other.runtime.memberId, roles: ['worker'] });
    } finally {
      await down.close();
      await other.close(1_000).catch(() => undefined);
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
