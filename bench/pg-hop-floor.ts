/**
 * The floor of a hop between two processes through PostgreSQL on this machine, for the record
 * (not a product feature): process A commits a row and NOTIFY, process B (a child process) is
 * woken by it, commits a row and NOTIFY back, A is woken: one round trip = two hops, as a task
 * of the split layout makes (executor → worker → executor), with nothing else on the path (no
 * claim, no step, no task). Rows are tiny; each commit is one INSERT with a statement trigger's
 * NOTIFY, as Windhover's queues do.
 *
 * Run: tsc -p tsconfig.bench.json && node bench/out/js/bench/pg-hop-floor.js
 *   [--trips 2000] [--sync on|off] [--private-postgres]
 * --sync off: commits without waiting for the WAL flush (synchronous_commit=off, as the
 * executor's steps and claims); on (default): with it, as a worker's completion. Prints the
 * median, p90 and mean ms per round trip and per hop (half a round trip), and CPU ms per round
 * trip of both Node processes.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPrivatePostgres } from '../test/support/private-postgres.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};

/** B: answers each of A's NOTIFYs with a commit + NOTIFY of its own. */
async function echo(url: string, sync: string): Promise<void> {
  const listener = new pg.Client({ connectionString: url });
  const writer = new pg.Client({ connectionString: url, options: `-c synchronous_commit=${sync}` });
  await Promise.all([listener.connect(), writer.connect()]);
  listener.on('notification', (message) => {
    void writer.query('INSERT INTO hop_b (n) VALUES ($1)', [Number(message.payload)]);
  });
  await listener.query('LISTEN hop_a');
  process.on('message', (message) => {
    if (message !== 'stop') return;
    const usage = process.cpuUsage();
    // Closed before answering: the database is dropped once A has the answer.
    void Promise.all([listener.end(), writer.end()]).then(() =>
      process.send!({ cpuMs: (usage.user + usage.system) / 1000 }, () => process.exit(0)),
    );
  });
  process.send!('ready');
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main(): Promise<void> {
  const trips = Number(arg('trips', '2000'));
  const sync = arg('sync', 'on');
  const privateCluster = process.argv.includes('--private-postgres')
    ? await startPrivatePostgres('hop-floor', ['fsync=on', 'full_page_writes=on', 'shared_buffers=128MB'])
    : undefined;
  if (privateCluster && !privateCluster.available) throw new Error(privateCluster.reason);
  const adminUrl =
    privateCluster?.cluster.url() ??
    process.env.WINDHOVER_BENCH_POSTGRES_URL ??
    'postgres://root@127.0.0.1:5432/postgres';
  const name = `wh_bench_hop_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const setup = new pg.Client({ connectionString: url.toString() });
  await setup.connect();
  // A statement trigger's NOTIFY, sent at commit, as the events and jobs queues have.
  await setup.query(`
    CREATE TABLE hop_a (seq bigserial PRIMARY KEY, n int NOT NULL);
    CREATE TABLE hop_b (seq bigserial PRIMARY KEY, n int NOT NULL);
    CREATE FUNCTION hop_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(TG_ARGV[0], (SELECT max(n)::text FROM inserted));
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER hop_a_notify AFTER INSERT ON hop_a REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION hop_notify('hop_a');
    CREATE TRIGGER hop_b_notify AFTER INSERT ON hop_b REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION hop_notify('hop_b');`);
  await setup.end();

  const child = fork(fileURLToPath(import.meta.url), ['--echo', url.toString(), sync]);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const listener = new pg.Client({ connectionString: url.toString() });
  const writer = new pg.Client({
    connectionString: url.toString(),
    options: `-c synchronous_commit=${sync}`,
  });
  await Promise.all([listener.connect(), writer.connect()]);
  await listener.query('LISTEN hop_b');
  let answered: ((n: number) => void) | undefined;
  listener.on('notification', (message) => answered?.(Number(message.payload)));
  const trip = async (n: number): Promise<number> => {
    const start = performance.now();
    const back = new Promise<number>((resolve) => (answered = resolve));
    await writer.query('INSERT INTO hop_a (n) VALUES ($1)', [n]);
    const got = await back;
    if (got !== n) throw new Error(`answer ${got} to ${n}`);
    return performance.now() - start;
  };
  for (let i = 0; i < 200; i++) await trip(-i - 1); // warm-up
  const cpuBefore = process.cpuUsage();
  const samples: number[] = [];
  for (let i = 0; i < trips; i++) samples.push(await trip(i));
  const cpu = process.cpuUsage(cpuBefore);
  child.send('stop');
  const childCpu = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { cpuMs: number }).cpuMs)),
  );
  await Promise.all([listener.end(), writer.end()]);
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
  privateCluster?.cluster.destroy();

  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const ms = (x: number) => x.toFixed(3);
  console.log(
    `${trips} round trips (A commit+NOTIFY → B woken, commit+NOTIFY → A woken), synchronous_commit=${sync}` +
      `${privateCluster ? ', private PostgreSQL' : ''}: median ${ms(quantile(sorted, 0.5))} ms, p90 ${ms(quantile(sorted, 0.9))} ms, ` +
      `mean ${ms(mean)} ms per round trip; per hop (half) median ${ms(quantile(sorted, 0.5) / 2)} ms; ` +
      `CPU per round trip: A ${ms((cpu.user + cpu.system) / 1000 / trips)} ms (timed part), B ${ms(childCpu / (trips + 200))} ms (whole life, warm-up included)`,
  );
}

if (process.argv[2] === '--echo') await echo(process.argv[3]!, process.argv[4]!);
else await main();
