/**
 * The cluster on PostgreSQL, with its roles in separate OS processes (the built CLI in dist/),
 * in two layouts:
 * - split: `windhover server executor` and `server worker` processes (a task's job goes from
 *   the executor's process to a worker's and its result back, through PostgreSQL);
 * - standalone: N `windhover server standalone` processes on the one database (each an executor
 *   and a worker: a job its executor commits is claimed for its own worker in the same commit,
 *   and the result is stepped in process).
 * Measured: (a) chain-40 overhead per task, (b) throughput of 2-task executions.
 *
 * This process is the client in both layouts: a runtime with no executor and no worker of its
 * own (as a web server's), submitting through the store (as a `server webserver` would for an
 * API call); it learns that executions ended from the NOTIFY sent when an execution's end is
 * committed (the scheduler's channel, LISTENed here), then reads them.
 *
 * (a) Baseline in the same run: a 1-task execution's wall time (create, start, end), interleaved
 *     with the 40-task ones and subtracted, as bench/engine.ts does for SQLite in one process;
 *     split: 1 executor + 1 worker; standalone: 1 process.
 * (b) N executions of a 2-task flow submitted 50 at a time; wall time from the first submission
 *     to the last end; split: 1 or 2 executors + 2 workers; standalone: 1 or 2 processes.
 *
 * Run: npm run bench:cluster [-- --runs 5 --executions 3000 --only chain|throughput
 * --layouts split,standalone --executors 1,2 --standalones 1,2 --throughput-runs 3
 * --server-node-flags "--cpu-prof --cpu-prof-dir=/tmp/prof" --private-postgres]  (needs
 * PostgreSQL at WINDHOVER_BENCH_POSTGRES_URL, default postgres://root@127.0.0.1:5432/postgres, to
 * create and drop a database of its own; and `npm run build` done).
 *
 * --private-postgres: a PostgreSQL of the bench's own instead (initdb into a temporary folder, a
 * free port, the machine's binaries; test/support/private-postgres.ts), started with
 * pg_stat_statements preloaded, which the shared server is not and must not be reconfigured for.
 * Its settings are the defaults a stock server has (fsync on). Each measurement then prints where
 * PostgreSQL's time went: the top 10 statements by total execution time, with calls per execution.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deployFlow } from '../src/engine/runtime/local.js';
import { Runtime } from '../src/engine/runtime/runtime.js';
import type { Execution } from '../src/engine/model.js';
import type { Flow } from '../src/flow/model.js';
import { LocalStorage } from '../src/storage/local.js';
import { openPostgresStore } from '../src/store/postgres/index.js';
import type { PostgresStore } from '../src/store/postgres/index.js';
import { startPrivatePostgres } from '../test/support/private-postgres.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const runs = Number(arg('runs', '5'));
const throughputRuns = Number(arg('throughput-runs', '3'));
const executions = Number(arg('executions', '3000'));
const executorCounts = arg('executors', '1,2').split(',').map(Number);
/** Which layouts run: `split` (executor and workers apart), `standalone` (N × `server standalone`). */
const layoutKinds = arg('layouts', 'split,standalone').split(',');
const standaloneCounts = arg('standalones', '1,2').split(',').map(Number);
/** Extra node flags for the spawned servers (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
const serverNodeFlags = arg('server-node-flags', '').split(' ').filter(Boolean);
const privatePostgres = process.argv.includes('--private-postgres');
const privateCluster = privatePostgres
  ? await startPrivatePostgres('bench-cluster', [
      // A stock server's durability and sizes (the helper's test defaults turn fsync off).
      'fsync=on',
      'full_page_writes=on',
      'shared_buffers=128MB',
      'max_connections=200',
      'shared_preload_libraries=pg_stat_statements',
      'pg_stat_statements.track=all',
    ])
  : undefined;
if (privateCluster && !privateCluster.available) throw new Error(privateCluster.reason);
const adminUrl =
  privateCluster?.cluster.url() ??
  process.env.WINDHOVER_BENCH_POSTGRES_URL ??
  'postgres://root@127.0.0.1:5432/postgres';

/** Clock ticks per second of /proc's CPU times. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU ms a process used so far (user + system), with its waited-for children's; 0 once gone. */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command's closing parenthesis: fields 3 onwards; utime is field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU ms the private PostgreSQL used so far: its postmaster with every process it started
 * (live ones read one by one; ended ones are in the postmaster's children's times).
 */
function postgresCpuMs(): number {
  if (!privateCluster?.available) return NaN;
  const postmaster = Number(
    readFileSync(join(privateCluster.cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  let total = cpuMsOf(postmaster);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += cpuMsOf(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/** CPU ms so far of the bench process, the server processes and PostgreSQL (private only). */
interface CpuSnapshot {
  bench: number;
  servers: number;
  postgres: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function chainFlow(n: number): string {
  const tasks = Array.from(
    { length: n },
    (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ taskrun.id }}"`,
  );
  return `id: chain${n}\nnamespace: bench\ntasks:\n${tasks.join('\n')}\n`;
}

const TWO_TASKS = `id: two\nnamespace: bench\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: a\n  - id: b\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ outputs.a.value }}"\n`;

/** A fresh database, with its URL; dropped by `drop`. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `wh_bench_cluster_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** Starts `windhover server <role>` and resolves once it is ready. */
function startRole(role: string, url: string, dir: string, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...serverNodeFlags,
      'bin/windhover.js',
      'server',
      role,
      '--data',
      dir,
      '--port',
      '0',
      '--store-url',
      url,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WINDHOVER_STORAGE_URL: url } },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Windhover is running')) resolve(child);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${role} exited (${code}):\n${output}`)));
  });
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

interface Cluster {
  store: PostgresStore;
  pool: pg.Pool;
  client: Runtime;
  /** Resolves when the execution has ended (woken by the end's NOTIFY). */
  ended(id: string): Promise<void>;
  /** Resolves when every one of the ids has ended. */
  allEnded(ids: string[]): Promise<void>;
  /** CPU used so far by each part of the cluster. */
  cpu(): CpuSnapshot;
  /** Forgets PostgreSQL's statement statistics so far (with --private-postgres). */
  resetStatements(): Promise<void>;
  /** PostgreSQL's top statements by total time since the reset, as printable lines. */
  topStatements(executions: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The server processes of a measurement: `executors` executor and `workers` worker processes
 * (split), or `standalones` `server standalone` processes (each an executor and a worker).
 */
type Layout =
  { kind: 'split'; executors: number; workers: number } | { kind: 'standalone'; processes: number };

function layoutName(layout: Layout): string {
  return layout.kind === 'split'
    ? `${layout.executors} executor${layout.executors === 1 ? '' : 's'} + ${layout.workers} worker${layout.workers === 1 ? '' : 's'}`
    : `${layout.processes} standalone${layout.processes === 1 ? '' : 's'}`;
}

/** A database with the layout's server processes, and this client. */
async function cluster(layout: Layout): Promise<Cluster> {
  const db = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-cluster-'));
  const store = await openPostgresStore(db.url);
  // Reads of this bench's own (end checks), apart from the store's pool.
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // The drop (WITH FORCE) may end a connection the pool is still closing: not the bench's failure.
  pool.on('error', () => {});
  if (privatePostgres) await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const children = await Promise.all(
    layout.kind === 'split'
      ? [
          ...Array.from({ length: layout.executors }, (_, i) =>
            startRole('executor', db.url, join(dir, `e${i}`)),
          ),
          ...Array.from({ length: layout.workers }, (_, i) =>
            startRole('worker', db.url, join(dir, `w${i}`)),
          ),
        ]
      : Array.from({ length: layout.processes }, (_, i) =>
          startRole('standalone', db.url, join(dir, `s${i}`)),
        ),
  );
  const client = new Runtime({
    store,
    storage: new LocalStorage(join(dir, 'storage')),
    workRoot: join(dir, 'work'),
    roles: { executor: false, worker: false },
    cluster: { exclusive: false, roles: ['webserver'] },
  });
  await client.start();
  const waiting = new Map<string, () => void>();
  let sets: Array<{ ids: Set<string>; done: () => void }> = [];
  const check = async () => {
    if (waiting.size > 0) {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM executions WHERE id = ANY($1) AND header->'control' ? 'ended'`,
        [[...waiting.keys()]],
      );
      for (const { id } of rows) {
        waiting.get(id)?.();
        waiting.delete(id);
      }
    }
    for (const set of sets) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM executions WHERE id = ANY($1) AND header->'control' ? 'ended'`,
        [[...set.ids]],
      );
      if (rows[0]!.n === set.ids.size) set.done();
    }
  };
  let checking: Promise<void> | undefined;
  let again = false;
  const wake = () => {
    if (checking) {
      again = true;
      return;
    }
    checking = check().finally(() => {
      checking = undefined;
      if (again) {
        again = false;
        wake();
      }
    });
  };
  const listener = await store.listen(['transitions'], wake);
  return {
    store,
    pool,
    client,
    ended: (id) =>
      new Promise<void>((resolve) => {
        waiting.set(id, resolve);
        wake();
      }),
    allEnded: (ids) =>
      new Promise<void>((resolve) => {
        const set = {
          ids: new Set(ids),
          done: () => {
            sets = sets.filter((s) => s !== set);
            resolve();
          },
        };
        sets.push(set);
        wake();
      }),
    cpu: () => {
      const usage = process.cpuUsage();
      return {
        bench: (usage.user + usage.system) / 1000,
        servers: children.reduce((sum, child) => sum + cpuMsOf(child.pid), 0),
        postgres: postgresCpuMs(),
      };
    },
    resetStatements: async () => {
      if (privatePostgres) await pool.query('SELECT pg_stat_statements_reset()');
    },
    topStatements: async (count) => {
      if (!privatePostgres) return [];
      const { rows } = await pool.query<{
        calls: number;
        total: number;
        mean: number;
        rows: number;
        query: string;
      }>(
        `SELECT calls::int, total_exec_time AS total, mean_exec_time AS mean, rows::int, query
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT LIKE '%pg_stat_statements%'
          ORDER BY total_exec_time DESC LIMIT 10`,
      );
      const all = await pool.query<{ calls: number; total: number }>(
        `SELECT sum(calls)::int AS calls, sum(total_exec_time) AS total FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      const line = (r: { calls: number; total: number; mean: number; rows: number; query: string }) =>
        `| ${(r.calls / count).toFixed(2)} | ${r.total.toFixed(0)} | ${r.mean.toFixed(3)} | ${(r.rows / Math.max(1, r.calls)).toFixed(1)} | \`${r.query.replace(/\s+/g, ' ').slice(0, 140)}\` |`;
      return [
        `statements: ${all.rows[0]!.calls} calls (${(all.rows[0]!.calls / count).toFixed(1)} per execution), ${all.rows[0]!.total.toFixed(0)} ms executing in PostgreSQL`,
        '| calls per execution | total ms | mean ms | rows per call | statement |',
        '| --- | --- | --- | --- | --- |',
        ...rows.map(line),
      ];
    },
    close: async () => {
      await listener.close();
      await client.stop(1000);
      await stopAll(children);
      await store.close();
      await pool.end();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function timeOne(c: Cluster, flow: Flow): Promise<number> {
  const start = performance.now();
  const execution = await c.client.submit(flow);
  await c.ended(execution.id);
  const ms = performance.now() - start;
  const ended = await c.store.getExecution(execution.id);
  if (ended?.state.current !== 'SUCCESS') throw new Error(`execution ended ${ended?.state.current}`);
  return ms;
}

interface ChainResult {
  perTaskMs: number;
  /** CPU ms per task of the server processes and PostgreSQL (private only), as perTaskMs. */
  cpuPerTaskMs: number;
  forty: number[];
  one: number[];
  statements: string[];
}

async function chain(layout: Layout): Promise<ChainResult> {
  const c = await cluster(layout);
  try {
    const one = await deployFlow(c.store, chainFlow(1));
    const forty = await deployFlow(c.store, chainFlow(40));
    for (let i = 0; i < 10; i++) {
      await timeOne(c, one);
      await timeOne(c, forty);
    }
    const base: number[] = [];
    const samples: number[] = [];
    // CPU ms of the servers + PostgreSQL (private) per 1-task and per 40-task execution.
    const baseCpu: number[] = [];
    const samplesCpu: number[] = [];
    const serverCpu = () => {
      const now = c.cpu();
      return now.servers + (Number.isNaN(now.postgres) ? 0 : now.postgres);
    };
    await c.resetStatements();
    for (let i = 0; i < runs * 3; i++) {
      let before = serverCpu();
      base.push(await timeOne(c, one));
      baseCpu.push(serverCpu() - before);
      before = serverCpu();
      samples.push(await timeOne(c, forty));
      samplesCpu.push(serverCpu() - before);
    }
    // Per execution here means per pair (a 1-task and a 40-task execution).
    const statements = await c.topStatements(runs * 3);
    return {
      perTaskMs: (median(samples) - median(base)) / 39,
      cpuPerTaskMs: (median(samplesCpu) - median(baseCpu)) / 39,
      forty: samples,
      one: base,
      statements,
    };
  } finally {
    await c.close();
  }
}

/** One throughput run: executions/s, CPU ms per execution of each part, PostgreSQL's statements. */
interface ThroughputResult {
  perSecond: number;
  cpuPerExecution: CpuSnapshot;
  statements: string[];
}

async function throughput(layout: Layout): Promise<ThroughputResult> {
  const c = await cluster(layout);
  try {
    const flow = await deployFlow(c.store, TWO_TASKS);
    // Warm-up: JIT in every process, and the tables' first pages.
    const warm = await Promise.all(Array.from({ length: 50 }, () => c.client.submit(flow)));
    await c.allEnded(warm.map((e) => e.id));
    await c.resetStatements();
    const cpuBefore = c.cpu();
    const start = performance.now();
    // Submitted 50 at a time (as many clients would): all at once would wait on the pool.
    const submitted: Execution[] = [];
    for (let i = 0; i < executions; i += 50)
      submitted.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, executions - i) }, () => c.client.submit(flow)),
        )),
      );
    await c.allEnded(submitted.map((e) => e.id));
    const ms = performance.now() - start;
    const cpuAfter = c.cpu();
    const statements = await c.topStatements(executions);
    const { rows } = await c.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM executions WHERE id = ANY($1) AND state = 'SUCCESS'`,
      [submitted.map((e) => e.id)],
    );
    if (rows[0]!.n !== executions) throw new Error(`${executions - rows[0]!.n} executions did not succeed`);
    const per = (part: keyof CpuSnapshot) => (cpuAfter[part] - cpuBefore[part]) / executions;
    return {
      perSecond: executions / (ms / 1000),
      cpuPerExecution: { bench: per('bench'), servers: per('servers'), postgres: per('postgres') },
      statements,
    };
  } finally {
    await c.close();
  }
}

function forEachFlow(items: number): string {
  const values = JSON.stringify(Array.from({ length: items }, (_, i) => `v${i}`));
  return `id: each${items}\nnamespace: bench\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: ${values}\n    tasks:\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: "{{ taskrun.value }}"\n`;
}

/** (c) A ForEach of n items, one at a time (its default): ms per item, for growing n. */
async function forEachScaling(): Promise<Array<{ items: number; perItemMs: number }>> {
  const c = await cluster({ kind: 'split', executors: 1, workers: 1 });
  try {
    const out: Array<{ items: number; perItemMs: number }> = [];
    for (const items of [50, 200, 800]) {
      const flow = await deployFlow(c.store, forEachFlow(items));
      await timeOne(c, flow); // warm-up
      const samples = [await timeOne(c, flow), await timeOne(c, flow), await timeOne(c, flow)];
      out.push({ items, perItemMs: median(samples) / items });
    }
    return out;
  } finally {
    await c.close();
  }
}

const only = arg('only', 'all');
if (only === 'foreach') {
  for (const { items, perItemMs } of await forEachScaling())
    console.log(
      `(c) ForEach of ${items} items, 1 executor + 1 worker process: ${perItemMs.toFixed(2)} ms per item`,
    );
  process.exit(0);
}
const chainLayouts: Layout[] = [
  ...(layoutKinds.includes('split') ? [{ kind: 'split', executors: 1, workers: 1 } as const] : []),
  ...(layoutKinds.includes('standalone') ? [{ kind: 'standalone', processes: 1 } as const] : []),
];
for (const layout of only === 'throughput' ? [] : chainLayouts) {
  const a = await chain(layout);
  console.log(
    `(a) chain-40, ${layoutName(layout)} process${layout.kind === 'split' ? 'es' : ''}: ${a.perTaskMs.toFixed(2)} ms per task (median over ${a.forty.length} executions, a 1-task execution's median ${median(a.one).toFixed(1)} ms subtracted); 40-task executions took ${median(a.forty).toFixed(0)} ms median (${Math.min(...a.forty).toFixed(0)}–${Math.max(...a.forty).toFixed(0)})`,
  );
  console.log(
    `    CPU per task (servers${privatePostgres ? ' + PostgreSQL' : ''}, medians, 1-task subtracted, 10 ms ticks): ${a.cpuPerTaskMs.toFixed(2)} ms`,
  );
  for (const line of a.statements) console.log(`  ${line}`);
}
const throughputLayouts: Layout[] = [
  ...(layoutKinds.includes('split')
    ? executorCounts.map((n) => ({ kind: 'split', executors: n, workers: 2 }) as const)
    : []),
  ...(layoutKinds.includes('standalone')
    ? standaloneCounts.map((n) => ({ kind: 'standalone', processes: n }) as const)
    : []),
];
// Layouts interleaved run by run, so a change in the machine's load falls on all of them.
const perLayout = new Map<Layout, ThroughputResult[]>(throughputLayouts.map((layout) => [layout, []]));
for (let i = 0; i < (only === 'chain' ? 0 : throughputRuns); i++)
  for (const layout of throughputLayouts) perLayout.get(layout)!.push(await throughput(layout));
const { rows } = await (async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = await admin.query<{ server_version: string }>('SHOW server_version');
  await admin.end();
  return version;
})();
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, PostgreSQL ${rows[0]!.server_version}${privatePostgres ? ' (private, pg_stat_statements)' : ''}`,
);
for (const [layout, results] of perLayout) {
  if (results.length === 0) continue;
  const rates = results.map((r) => r.perSecond);
  console.log(
    `(b) ${executions} executions × 2 tasks, ${layoutName(layout)}: median ${median(rates).toFixed(0)} executions/s (runs: ${rates.map((x) => x.toFixed(0)).join(', ')})`,
  );
  const cpu = (part: keyof CpuSnapshot) => median(results.map((r) => r.cpuPerExecution[part])).toFixed(2);
  console.log(
    `    CPU ms per execution (median of runs): client ${cpu('bench')}, server processes ${cpu('servers')}, PostgreSQL ${cpu('postgres')}`,
  );
  // The statements of the median run.
  const middle = results.find((r) => r.perSecond === median(rates)) ?? results[results.length - 1]!;
  for (const line of middle.statements) console.log(`  ${line}`);
}
privateCluster?.cluster.destroy();
