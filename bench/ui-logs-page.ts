/**
 * The Logs page on a big store: 1,000,000 log lines (100 executions of 10 flows, every level,
 * over a day), seeded straight through the store, opened in headless Chromium.
 *
 *   npm run bench:ui-logs   (needs the built UI: npm run build:ui, or WINDHOVER_TEST_UI_ROOT;
 *                            WINDHOVER_BENCH_LOG_LINES=100000 for a smaller store)
 *
 * Measures, median of 3 each:
 * - the search API alone (GET /logs/search as the page asks it: first page, counted up to 100,000)
 *   unfiltered, by level, by flow, by a rare text;
 * - the page: from navigation to the first line on screen; then from a filter's change (level
 *   ERROR, a flow, a text) to the filtered first line on screen.
 * Goals (issue 20): opens in < 2 s, filters in < 500 ms.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { LogEntry } from '../src/engine/model.js';
import { deployFlow, openLocal } from '../src/engine/runtime/local.js';
import { buildServer } from '../src/server/app.js';
import { catalog } from '../src/plugins/registry.js';
import { createScheduler } from '../src/engine/scheduler/index.js';

const LINES = Number(process.env.WINDHOVER_BENCH_LOG_LINES ?? 1_000_000);
const EXECUTIONS = 100;
const RUNS = 3;
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

async function main() {
  if (!existsSync(join(UI_ROOT, 'index.html')))
    throw new Error(`No built UI at ${UI_ROOT}: run npm run build:ui first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'wh-bench-logs-'));
  const local = await openLocal(dataDir);
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

    const api = (query: string) => async () => {
      const response = await fetch(`${url}/api/v1/main/logs/search?size=200&totalUpTo=100000&${query}`);
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      await response.json();
    };
    const apiMs = {
      unfiltered: await timed(api('minLevel=INFO')),
      error: await timed(api('minLevel=ERROR')),
      flow: await timed(api('minLevel=INFO&namespace=bench.logs&flowId=flow3')),
      rareText: await timed(api('minLevel=INFO&q=needle')),
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
    const since = async (apply: () => Promise<void>, shown: RegExp) => {
      const all: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto(`${url}/logs`);
        await firstLine.waitFor();
        const started = performance.now();
        await apply();
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
      // Includes the 250 ms the text box waits after the last key before it searches.
      text: await since(() => page.getByLabel('Search the messages').fill('needle'), /needle/),
    };
    await browser.close();
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
          node: process.version,
          seeded: `${LINES} log lines in ${seeded} ms`,
          apiMs,
          pageMs,
        },
        null,
        2,
      ),
    );
  } finally {
    await app.close();
    await scheduler.stop();
    await local.close(2_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
