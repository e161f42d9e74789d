/**
 * `windhover workers list` and `/health` of each role, as OS processes on one PostgreSQL
 * database: two `server worker` processes and one `server scheduler`. The list shows the
 * workers as their heartbeats wrote them (the ids each one's /health names, their pids and
 * slots); `--all` adds the scheduler; `--json` prints the same as JSON; an unreachable store
 * exits 2 with its code. A worker's /health sees the whole cluster and who fires.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { windhoverAsync } from './windhover.js';

const db = await createPostgresDatabase('workers');
const root = mkdtempSync(join(tmpdir(), 'wh-workers-'));
const ENV = { WINDHOVER_STORE_URL: db.url, WINDHOVER_HEARTBEAT_INTERVAL: 'PT0.5S' };

interface Health {
  status: string;
  details: {
    member: { id: string; roles: string[] };
    cluster: {
      members: Array<{ id: string; roles: string[]; pid: number; secondsSinceHeartbeat: number }>;
      roles: Record<string, number>;
      schedulerLease: { holder: string; expiresAt: string } | null;
    };
  };
}

interface ListedMember {
  id: string;
  roles: string[];
  host: string;
  pid: number;
  info: { workerSlots?: number; runningJobs?: number };
  secondsSinceHeartbeat: number;
}

async function health(server: ServerProcess): Promise<Health> {
  const res = await fetch(`${server.url}/health`);
  expect(res.status).toBe(200);
  return (await res.json()) as Health;
}

/** Runs the CLI without the store URL in the environment unless given. */
function cli(args: string[], env: Record<string, string> = {}) {
  return windhoverAsync(args, { WINDHOVER_STORE_URL: '', ...env });
}

describe.skipIf(!db.available)('workers list and /health on a cluster of processes', () => {
  const servers: ServerProcess[] = [];
  let workers: ServerProcess[];
  let scheduler: ServerProcess;

  const start = async (role: string, name: string, extra: string[] = []) => {
    const server = await startServerProcess(
      ['server', role, '--data', join(root, name), '--port', '0', ...extra],
      ENV,
      30_000,
    );
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    // One at a time: the first migrates the new database (the others would wait on its lock).
    workers = [await start('worker', 'w1'), await start('worker', 'w2', ['--worker-concurrency', '3'])];
    scheduler = await start('scheduler', 's1');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await db.drop();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("serves /health on each role: this member, the cluster's members and who fires", async () => {
    const ids = await Promise.all(workers.map(async (w) => (await health(w)).details.member));
    expect(ids.map((member) => member.roles)).toEqual([['worker'], ['worker']]);
    const schedulerMember = (await health(scheduler)).details.member;
    expect(schedulerMember.roles).toEqual(['scheduler']);

    // The scheduler takes the lease within a renewal (3 s); a worker's view shows it.
    let view = await health(workers[0]!);
    for (let i = 0; i < 50 && view.details.cluster.schedulerLease === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      view = await health(workers[0]!);
    }
    const { cluster } = view.details;
    expect(cluster.schedulerLease?.holder).toBe(schedulerMember.id);
    expect(cluster.roles).toEqual({ executor: 0, worker: 2, scheduler: 1, webserver: 0 });
    expect(cluster.members.map((m) => m.id).sort()).toEqual(
      [...ids.map((member) => member.id), schedulerMember.id].sort(),
    );
    const pids = new Map(cluster.members.map((m) => [m.id, m.pid]));
    expect(pids.get(ids[0]!.id)).toBe(workers[0]!.child.pid);
    expect(pids.get(ids[1]!.id)).toBe(workers[1]!.child.pid);
    for (const member of cluster.members) expect(member.secondsSinceHeartbeat).toBeLessThan(5);

    const metrics = await (await fetch(`${workers[1]!.url}/metrics`)).text();
    expect(metrics).toContain('windhover_cluster_members{role="worker"} 2\n');
    expect(metrics).toMatch(/^windhover_executor_events_oldest_age_seconds \d/m);
    expect(metrics).toMatch(/^windhover_worker_jobs_oldest_pending_age_seconds \d/m);
  });

  it('lists the workers as a table, every member with --all, and JSON with --json', async () => {
    const [first, second] = await Promise.all(workers.map(async (w) => (await health(w)).details.member.id));
    const table = await cli(['workers', 'list', '--store-url', db.url]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+HOST\s+PID\s+SLOTS\s+RUNNING\s+HEARTBEAT\s+STARTED$/);
    expect(lines).toHaveLength(3);
    const rowOf = (id: string) => lines.find((line) => line.startsWith(`${id} `))?.split(/\s+/);
    // id, host, pid, slots, running, age, "ago", date, time
    expect(rowOf(first!)?.[2]).toBe(String(workers[0]!.child.pid));
    expect(rowOf(second!)?.[2]).toBe(String(workers[1]!.child.pid));
    expect(rowOf(second!)?.[3]).toBe('3');
    expect(rowOf(second!)?.[4]).toBe('0');
    expect(rowOf(second!)?.[5]).toMatch(/^\d+\.\ds$/);

    // The environment names the store as well as --store-url does.
    const all = await cli(['workers', 'list', '--all'], { WINDHOVER_STORE_URL: db.url });
    expect(all.code).toBe(0);
    const allLines = all.stdout.trimEnd().split('\n');
    expect(allLines[0]).toMatch(/^ID\s+ROLES\s+HOST/);
    expect(allLines).toHaveLength(4);
    expect(allLines.some((line) => /\sscheduler\s/.test(line))).toBe(true);

    const json = await cli(['workers', 'list', '--json', '--store-url', db.url]);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as ListedMember[];
    expect(listed.map((m) => m.id).sort()).toEqual([first, second].sort());
    const byId = new Map(listed.map((m) => [m.id, m]));
    expect(byId.get(second!)).toMatchObject({
      roles: ['worker'],
      pid: workers[1]!.child.pid,
      info: { workerSlots: 3, runningJobs: 0 },
    });
    expect(byId.get(first!)!.secondsSinceHeartbeat).toBeLessThan(5);
  });

  it('exits 2 with the store code when the store is unreachable or not given', async () => {
    const unreachable = await cli(['workers', 'list', '--store-url', 'postgres://root@127.0.0.1:1/none']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('[WH_STORE_UNREACHABLE]');
    expect(unreachable.stdout).toBe('');

    const missing = await cli(['workers', 'list']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs a store');
    expect(missing.stderr).toContain('[WH_CONFIG_INVALID]');
  });
});
