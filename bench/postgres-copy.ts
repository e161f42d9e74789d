/**
 * PostgreSQL COPY benchmark: loading a 1,000,000-row yellow-taxi CSV with Windhover's CopyIn
 * (a real flow through the runtime, the file already in internal storage) against psql's
 * `\copy` of the same file, interleaved, median of N runs each; then the RSS growth of a
 * Query with `fetchType: STORE` over the loaded table (sampled every 20 ms).
 * Run: npm run bench:copy [-- --runs N --rows N] — needs a PostgreSQL server and `psql`;
 * WINDHOVER_TEST_POSTGRES_URL selects the server (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deployFlow, openLocal } from '../src/engine/runtime/index.js';
import { closeAllPools } from '../src/plugins/jdbc/run/pools.js';
import { LocalStorage } from '../src/storage/local.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = arg('--runs', 5);
const rows = arg('--rows', 1_000_000);
const fetchSize = arg('--fetch-size', 10_000);
const adminUrl = process.env.WINDHOVER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const COLUMNS = [
  'VendorID',
  'tpep_pickup_datetime',
  'tpep_dropoff_datetime',
  'passenger_count',
  'trip_distance',
  'RatecodeID',
  'store_and_fwd_flag',
  'PULocationID',
  'DOLocationID',
  'payment_type',
  'fare_amount',
  'extra',
  'mta_tax',
  'tip_amount',
  'tolls_amount',
  'improvement_surcharge',
  'total_amount',
  'congestion_surcharge',
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a command to its end; resolves with its wall time in ms. */
function timed(command: string, args: string[], stdoutPath?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', stdoutPath ? 'pipe' : 'ignore', 'inherit'] });
    if (stdoutPath) child.stdout!.pipe(createWriteStream(stdoutPath));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - start) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-copy-'));
  const name = `wh_bench_copy_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const base = new URL(adminUrl);
  const user = decodeURIComponent(base.username || 'postgres');
  const dbUrl = `postgres://${encodeURIComponent(user)}@${base.host}/${name}`;
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const setup = await openLocal(join(dir, 'data'));
  await setup.runtime.start();
  try {
    const csv = join(dir, 'yellow.csv');
    await timed('node', ['test/fixtures/make-taxi-csv.mjs', 'yellow', '2019-01', String(rows)], csv);
    const mb = statSync(csv).size / 1e6;
    await db.query(`CREATE TABLE yellow (${COLUMNS.map((c) => `"${c.toLowerCase()}" text`).join(', ')})`);
    const uri = 'kestra:///bench/pg/yellow.csv';
    await new LocalStorage(join(setup.dataDir, 'storage')).putLocalFile(uri, csv);
    const jdbcUrl = `jdbc:postgresql://${base.host}/${name}`;
    const copyFlow = await deployFlow(
      setup.store,
      `id: copy_in\nnamespace: bench\ntasks:\n  - id: load\n    type: io.kestra.plugin.jdbc.postgresql.CopyIn\n    url: ${jdbcUrl}\n    username: ${user}\n    from: ${uri}\n    table: yellow\n    format: CSV\n    header: true\n`,
    );
    const psqlArgs = ['-h', base.hostname, '-p', base.port || '5432', '-U', user, '-d', name, '-X', '-q'];
    const psql: number[] = [];
    const windhover: number[] = [];
    for (let i = 0; i < runs; i++) {
      await db.query('TRUNCATE yellow');
      psql.push(await timed('psql', [...psqlArgs, '-c', `\\copy yellow FROM '${csv}' CSV HEADER`]));
      await db.query('TRUNCATE yellow');
      const start = performance.now();
      const execution = await setup.runtime.submit(copyFlow);
      const ended = await setup.runtime.waitForEnd(execution.id);
      windhover.push(performance.now() - start);
      const outputs = ended.taskRunList[0]?.outputs;
      if (ended.state.current !== 'SUCCESS' || outputs?.rowCount !== rows)
        throw new Error(`CopyIn ended ${ended.state.current} with ${JSON.stringify(outputs)}`);
    }
    const ratio = median(windhover) / median(psql);

    // STORE of every row, RSS sampled while it runs.
    const storeFlow = await deployFlow(
      setup.store,
      `id: store\nnamespace: bench\ntasks:\n  - id: all\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    url: ${jdbcUrl}\n    username: ${user}\n    sql: SELECT * FROM yellow\n    fetchType: STORE\n    fetchSize: ${fetchSize}\n`,
    );
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    let heapPeak = 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, 20);
    const storeStart = performance.now();
    const stored = await setup.runtime.waitForEnd((await setup.runtime.submit(storeFlow)).id);
    const storeMs = performance.now() - storeStart;
    clearInterval(sampler);
    const storeOutputs = stored.taskRunList[0]?.outputs;
    if (stored.state.current !== 'SUCCESS' || storeOutputs?.size !== rows)
      throw new Error(`STORE ended ${stored.state.current} with ${JSON.stringify(storeOutputs)}`);

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`);
    console.log(
      `file: ${rows.toLocaleString('en')} rows, ${mb.toFixed(0)} MB; ${runs} runs each, interleaved`,
    );
    console.log('| load | median | runs |');
    console.log('| --- | --- | --- |');
    console.log(`| psql \\copy | ${s(median(psql))} | ${psql.map(s).join(', ')} |`);
    console.log(`| Windhover CopyIn flow | ${s(median(windhover))} | ${windhover.map(s).join(', ')} |`);
    console.log(`ratio Windhover / psql: ${ratio.toFixed(3)}`);
    console.log(
      `STORE of ${rows.toLocaleString('en')} rows: ${s(storeMs)}, RSS ${(rssBefore / 1e6).toFixed(0)} MB before, peak growth ${((rssPeak - rssBefore) / 1e6).toFixed(0)} MB (fetchSize ${fetchSize}; peak JS heap ${(heapPeak / 1e6).toFixed(0)} MB)`,
    );
  } finally {
    await setup.close(1000);
    await closeAllPools();
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
