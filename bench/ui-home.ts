/**
 * The home page on a busy store: 100,000 executions of 50 flows over the chart's 7 days (5 % of
 * them FAILED with an ERROR line, a few running), seeded straight through the store, opened in
 * headless Chromium.
 *
 *   npm run bench:ui-home   (needs the built UI: npm run build:ui, or WINDHOVER_TEST_UI_ROOT)
 *
 * Measures, median of 5 page loads (a fresh navigation every time), from navigation until every
 * section shows its data: the chart's total, the failures with their first error line, the
 * running executions, the slowest flows (and, before it, until the page's frame shows, with no
 * data yet: the share of loading the app itself). Goal: under 1 s.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Execution, LogEntry, State } from '../src/engine/model.js';
import { openLocal } from '../src/engine/runtime/local.js';
import { buildServer } from '../src/server/app.js';
import { catalog } from '../src/plugins/registry.js';
import { createScheduler } from '../src/engine/scheduler/index.js';

const EXECUTIONS = 100_000;
const FLOWS = 50;
const LOADS = 5;
const UI_ROOT = process.env.WINDHOVER_TEST_UI_ROOT ?? join(process.cwd(), 'dist', 'ui');
const CHROMIUM = process.env.WINDHOVER_TEST_CHROMIUM ?? '/usr/bin/chromium';
const iso = (ms: number) => new Date(ms).toISOString();

/** Execution `i`: spread evenly over the chart's 7 local days up to now, ended unless among the newest few. */
function seeded(i: number, from: number, now: number): { execution: Execution; log?: LogEntry } {
  const start = from + Math.floor((i / EXECUTIONS) * (now - from - 60_000));
  const flowId = `flow_${i % FLOWS}`;
  const running = i >= EXECUTIONS - 5;
  const current: State = running ? 'RUNNING' : i % 20 === 7 ? 'FAILED' : 'SUCCESS';
  const end = start + 1_000 + (i % FLOWS) * 200 + (i % 13) * 50;
  const id = `bench${String(i).padStart(10, '0')}`;
  const execution: Execution = {
    id,
    namespace: 'bench.home',
    flowId,
    flowRevision: 1,
    state: {
      current,
      histories: [
        { state: 'CREATED', date: iso(start) },
        { state: 'RUNNING', date: iso(start) },
        ...(running ? [] : [{ state: current, date: iso(end) }]),
      ],
      startDate: iso(start),
      ...(running ? {} : { endDate: iso(end) }),
    },
    inputs: { day: iso(start).slice(0, 10) },
    labels: [],
    taskRunList: [],
    version: 1,
  };
  if (current !== 'FAILED') return { execution };
  return {
    execution,
    log: {
      executionId: id,
      namespace: 'bench.home',
      flowId,
      taskId: 'load',
      level: 'ERROR',
      message: `load failed: connection reset after ${i % 1000} rows`,
      timestamp: iso(end),
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  if (!existsSync(join(UI_ROOT, 'index.html')))
    throw new Error(`No built UI at ${UI_ROOT}: run npm run build:ui first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'wh-bench-home-'));
  const local = await openLocal(dataDir);
  await local.runtime.start();
  const scheduler = createScheduler({ runtime: local.runtime, store: local.store, catalog });
  const app = await buildServer(
    { runtime: local.runtime, store: local.store, storage: local.runtime.storage, catalog, scheduler },
    { uiRoot: UI_ROOT },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const now = Date.now();
    const from = new Date(now);
    from.setHours(0, 0, 0, 0);
    from.setDate(from.getDate() - 6);
    let seedMs = Date.now();
    const logs: LogEntry[] = [];
    for (let i = 0; i < EXECUTIONS; i++) {
      const { execution, log } = seeded(i, from.getTime(), now);
      await local.store.createExecution(execution, []);
      if (log) logs.push(log);
    }
    for (let i = 0; i < logs.length; i += 10_000) await local.store.appendLogs(logs.slice(i, i + 10_000));
    seedMs = Date.now() - seedMs;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, baseURL: url });
    page.setDefaultTimeout(30_000);
    const loads: number[] = [];
    const frames: number[] = [];
    for (let load = 0; load < LOADS; load++) {
      const started = Date.now();
      await page.goto('/');
      await page.getByTestId('home-page').waitFor();
      frames.push(Date.now() - started);
      await page.locator(`[data-testid=home-timeline][data-total="${EXECUTIONS}"]`).waitFor();
      await page
        .locator('[data-testid=home-failure] .home-error', { hasText: 'load failed' })
        .first()
        .waitFor();
      await page.getByTestId('home-active-row').first().waitFor();
      await page.getByTestId('home-slowest-row').first().waitFor();
      loads.push(Date.now() - started);
    }
    // Each request the page makes, alone: where the time goes.
    const day = new Date(now);
    day.setHours(0, 0, 0, 0);
    const window = `startDate=${from.toISOString()}&endDate=${new Date(day.getTime() + 86_400_000).toISOString()}`;
    const since = new Date(now - 86_400_000).toISOString();
    const requests: Record<string, string> = {
      timeline: `/api/v1/main/executions/statistics/timeline?${window}&interval=hour`,
      slowestFlows: `/api/v1/main/executions/statistics/slowest-flows?${window}&limit=8`,
      failures: `/api/v1/main/executions/search?state=FAILED&startDate=${since}&size=8`,
      active: '/api/v1/main/executions/search?state=CREATED&state=QUEUED&state=RUNNING&state=PAUSED&size=8',
      firstError: `/api/v1/main/logs/${seeded(EXECUTIONS - 13, from.getTime(), now).execution.id}?minLevel=ERROR&limit=1`,
      triggers: '/api/v1/main/triggers/search?page=1&size=10000',
    };
    const requestMs: Record<string, number> = {};
    for (const [name, path] of Object.entries(requests)) {
      const times: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const started = performance.now();
        const response = await page.request.get(path);
        if (!response.ok()) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
        times.push(Math.round(performance.now() - started));
      }
      requestMs[name] = median(times);
    }
    await browser.close();
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
          node: process.version,
          seeded: `${EXECUTIONS} executions + ${logs.length} error lines in ${seedMs} ms`,
          pageFrameMs: { median: median(frames), all: frames },
          homeRenderedMs: { median: median(loads), all: loads },
          requestMedianMs: requestMs,
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
