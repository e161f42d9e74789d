/**
 * The Logs page on a big store: 1,000,000 log lines (100 executions of 10 flows, every level,
 * over a day), seeded straight through the store, opened in headless Chromium.
 *
 *   npm run bench:ui-logs   (needs the built UI: npm run build:ui, or WINDHOVER_TEST_UI_ROOT;
 *                            WINDHOVER_BENCH_LOG_LINES=100000 for a smaller store)
 *   npm run bench:ui-logs -- --store postgres   (a fresh database bench_logs_<pid> on
 *                            WINDHOVER_BENCH_POSTGRES_URL's server, 127.0.0.1:5432 by default,
 *                            dropped at the end; WINDHOVER_BENCH_NO_TRIGRAMS=1 drops the pg_trgm
 *                            index before seeding: the baseline without it)
 *
 * Measures, median of 5 each:
 * - the search API alone (GET /logs/search as the page asks it: first page, counted up to 100,000)
 *   unfiltered, by level, by flow, by a rare text, by a rare text made of common trigrams; the
 *   page's own first text request (uncounted); a live poll (afterSeq, nothing new);
 * - the page: from navigation to the first line on screen; then from a filter's change (level
 *   ERROR, a flow, a text set at once, a text typed key by key) to the filtered first line on
 *   screen, the text times counted from the last key.
 * Goals (issue 20): opens in < 2 s, filters in < 500 ms.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import type { LogEntry } from '../src/engine/model.js';
import { deployFlow, openLocal, openSetup } from '../src/engine/runtime/local.js';
import type { LocalSetup } from '../src/engine/runtime/local.js';
import { openPostgresStore } from '../src/store/postgres/index.js';
import { connect } from '../src/store/sqlite/driver.js';
import { indexedLogSeq } from '../src/store/sqlite/log-text-index.js';
import { buildServer } from '../src/server/app.js';
import { catalog } from '../src/plugins/registry.js';
import { createScheduler } from '../src/engine/scheduler/index.js';

const LINES = Number(process.env.WINDHOVER_BENCH_LOG_LINES ?? 1_000_000);
const EXECUTIONS = 100;
const RUNS = 5;
const STORE = process.argv.includes('--store')
  ? process.argv[process.argv.indexOf('--store') + 1]
  : (process.env.WINDHOVER_BENCH_STORE ?? 'sqlite');
const POSTGRES_ADMIN =
  process.env.WINDHOVER_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NO_TRIGRAMS = process.env.WINDHOVER_BENCH_NO_TRIGRAMS === '1';
const UI_ROOT = process.env.WINDHOVER_TEST_UI_ROOT ?? join(process.cwd(), 'dist', 'ui');
const CHROMIUM = process.env.WINDHOVER_TEST_CHROMIUM ?? '/usr/bin/chromium';
const START = Date.parse('2026-11-26T00:00:00.000Z');
const LEVELS: LogEntry['level'][] = ['TRACE', 'DEBUG', 'INFO', 'INFO', 'INFO', 'INFO', 'WARN', 'DEBUG'];

/** Line i: execution i % 100 of flow (i % 100) % 10; an ERROR every 1,000 lines; a rare word every 100,000. */
function line(i: number): LogEntry {
  const execution = i % EXECUTIONS;
  return {
    executionId: `bench-logs-${String(execution).padStart(3, '0')}`,
    namespace: 'bench.logs',
    flowId: `flow${execution % 10}`,
    taskId: `task${i % 7}`,
    taskRunId: `run-${execution}-${i % 7}`,
    level: i % 1000 === 0 ? 'ERROR' : LEVELS[i % LEVELS.length]!,
    message: i % 100_000 === 4 ? `needle in the haystack ${i}` : `processed row ${i} of the batch, all well`,
    timestamp: new Date(START + Math.floor((i * 86_400_000) / LINES)).toISOString(),
  };
}

/** The line number of the second newest needle, when there are two (its first digit is unique). */
const SECOND_NEEDLE = LINES >= 200_000 ? (Math.floor((LINES - 5) / 100_000) - 1) * 100_000 + 4 : undefined;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(run: () => Promise<unknown>): Promise<{ median: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    all.push(Math.round(performance.now() - started));
  }
  return { median: median(all), all };
}

/** A fresh PostgreSQL database of this run, and what drops it. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_logs_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The runtime on the store asked for, and what removes what it made. */
async function openBenchSetup(
  dataDir: string,
): Promise<{ local: LocalSetup; dispose: () => Promise<void>; databaseUrl?: string }> {
  if (STORE === 'sqlite') return { local: await openLocal(dataDir), dispose: async () => {} };
  if (STORE !== 'postgres') throw new Error(`--store ${STORE}: sqlite or postgres`);
  const database = await freshDatabase();
  try {
    const local = await openSetup(dataDir, {}, async () => ({
      store: await openPostgresStore(database.url, { poolSize: 4 }),
    }));
    if (NO_TRIGRAMS) await sql(database.url, 'DROP INDEX IF EXISTS logs_message_trigrams');
    return { local, dispose: database.drop, databaseUrl: database.url };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** Runs one statement on the bench's database. */
async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function main() {
  if (!existsSync(join(UI_ROOT, 'index.html')))
    throw new Error(`No built UI at ${UI_ROOT}: run npm run build:ui first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'wh-bench-logs-'));
  const { local, dispose, databaseUrl } = await openBenchSetup(dataDir);
  const scheduler = createScheduler({ runtime: local.runtime, store: local.store, catalog });
  const app = await buildServer(
    { runtime: local.runtime, store: local.store, storage: local.runtime.storage, catalog, scheduler },
    { uiRoot: UI_ROOT },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // The page's flow filter lists the flows the store knows.
    for (let flow = 0; flow < 10; flow++)
      await deployFlow(
        local.store,
        `id: flow${flow}\nnamespace: bench.logs\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`,
      );
    let seeded = Date.now();
    for (let i = 0; i < LINES; i += 10_000) {
      const batch: LogEntry[] = [];
      for (let j = i; j < Math.min(LINES, i + 10_000); j++) batch.push(line(j));
      await local.store.appendLogs(batch);
    }
    seeded = Date.now() - seeded;
    // As autovacuum would soon after such a load: the planner's statistics of the new rows.
    let analyzed = Date.now();
    if (databaseUrl !== undefined) await sql(databaseUrl, 'ANALYZE logs');
    analyzed = Date.now() - analyzed;
    // SQLite indexes the text after the lines are written (on the checkpointer's thread): the
    // measurements are of a store whose index has caught up, as it has a little after a load.
    let textIndexLag = 0;
    if (STORE === 'sqlite') {
      const started = Date.now();
      const db = connect(join(dataDir, 'windhover.db'), { readonly: true });
      try {
        const newest = () => db.prepare<{ n: number }>('SELECT max(seq) AS n FROM logs').get()?.n ?? 0;
        while (indexedLogSeq(db) < newest()) await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        db.close();
      }
      textIndexLag = Date.now() - started;
    }

    const search = async (query: string) => {
      const response = await fetch(`${url}/api/v1/main/logs/search?${query}`);
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      await response.json();
      return response.headers.get('x-log-seq') ?? '0';
    };
    const api = (query: string) => () => search(`size=200&totalUpTo=100000&${query}`);
    const lastSeq = await search('size=1&totalUpTo=0');
    const apiMs = {
      unfiltered: await timed(api('minLevel=INFO')),
      error: await timed(api('minLevel=ERROR')),
      flow: await timed(api('minLevel=INFO&namespace=bench.logs&flowId=flow3')),
      rareText: await timed(api('minLevel=INFO&q=needle')),
      // Found in one line; each of its trigrams is in most lines.
      rareTextOfCommonTrigrams: await timed(api('minLevel=INFO&q=row%20123456%20of')),
      // What the page asks first on a text: the lines, uncounted (the count follows them).
      rareTextFirstPage: await timed(() => search('size=200&totalUpTo=0&minLevel=INFO&q=needle')),
      livePoll: await timed(() => search(`size=2000&totalUpTo=0&minLevel=INFO&afterSeq=${lastSeq}`)),
    };

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(60_000);
    const firstLine = page.getByTestId('log-line').first();
    const open = await timed(async () => {
      await page.goto(`${url}/logs`);
      await firstLine.waitFor();
    });
    // Each filter's time counts from the change, not the navigation before it.
    const since = async (apply: () => Promise<void>, shown: RegExp, last?: () => Promise<void>) => {
      const all: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto(`${url}/logs`);
        await firstLine.waitFor();
        // `apply` untimed when a `last` step follows: the time counts from that last step.
        if (last) await apply();
        const started = performance.now();
        await (last ?? apply)();
        await page.getByTestId('log-line').first().filter({ hasText: shown }).waitFor();
        all.push(Math.round(performance.now() - started));
      }
      return { median: median(all), all };
    };
    const pageMs = {
      open,
      levelError: await since(
        () =>
          page
            .getByLabel('Minimum level')
            .selectOption('ERROR')
            .then(() => undefined),
        /ERROR/,
      ),
      flow: await since(
        () =>
          page
            .getByLabel('Flow')
            .selectOption({ label: 'bench.logs.flow3' })
            .then(() => undefined),
        /flow3/,
      ),
      // Includes the 100 ms the text box waits after the last key before it searches.
      text: await since(() => page.getByLabel('Search the messages').fill('needle'), /needle/),
      // Typed as a slow typist does (150 ms a key): each pause starts a search the next key
      // aborts (the server may still be running it); timed from the last key. The last key
      // narrows "haystack " (every needle, the newest first) to the second newest needle, so the
      // prefix's lines do not pass for the final ones.
      ...(SECOND_NEEDLE !== undefined
        ? {
            textTyped: await since(
              async () => {
                await page.getByLabel('Search the messages').pressSequentially('haystack ', { delay: 150 });
                await page.waitForTimeout(150);
              },
              new RegExp(`haystack ${SECOND_NEEDLE}`),
              () => page.getByLabel('Search the messages').press(String(SECOND_NEEDLE)[0]!),
            ),
          }
        : {}),
    };
    await browser.close();
    // What migration 9 costs on a store that already holds the lines.
    let trigramIndexBuilt: string | undefined;
    if (databaseUrl !== undefined && NO_TRIGRAMS) {
      const started = Date.now();
      await sql(databaseUrl, 'CREATE INDEX logs_message_trigrams ON logs USING gin (message gin_trgm_ops)');
      trigramIndexBuilt = `${LINES} lines indexed in ${Date.now() - started} ms`;
    }
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
          node: process.version,
          store:
            STORE === 'postgres' ? `postgres${NO_TRIGRAMS ? ' without the trigram index' : ''}` : 'sqlite',
          seeded: `${LINES} log lines in ${seeded} ms${
            STORE === 'postgres'
              ? `, ANALYZE ${analyzed} ms`
              : `, text index caught up ${textIndexLag} ms after the last line`
          }`,
          apiMs,
          pageMs,
          ...(trigramIndexBuilt !== undefined ? { trigramIndexBuilt } : {}),
        },
        null,
        2,
      ),
    );
  } finally {
    await app.close();
    await scheduler.stop();
    await local.close(2_000);
    await dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
