/**
 * The execution page on a big execution: 5,000 task runs (a ForEach of 4,999 values) and
 * 200,000 log lines, seeded straight through the store, opened in headless Chromium.
 *
 *   npm run bench:ui        (needs the built UI: npm run build:ui, or WINDHOVER_TEST_UI_ROOT)
 *
 * Measures, median of 5 page loads each (a fresh navigation every time):
 * - Gantt: from navigation to the first Gantt row on screen;
 * - logs tab: from navigation to the first log line on screen, and to all 200,000 lines loaded;
 * then scroll smoothness: a scripted scroll of 10 screens of the log list (and of the Gantt),
 * one step per animation frame, counting frames, their intervals and long tasks (> 50 ms).
 * Goal: the page opens in under 2 s.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import type { Execution, LogEntry, TaskRun } from '../src/engine/model.js';
import { deployFlow, openLocal } from '../src/engine/runtime/local.js';
import { buildServer } from '../src/server/app.js';
import { catalog } from '../src/plugins/registry.js';
import { createScheduler } from '../src/engine/scheduler/index.js';

const TASK_RUNS = 5_000;
const LOG_LINES = 200_000;
const LOADS = 5;
const UI_ROOT = process.env.WINDHOVER_TEST_UI_ROOT ?? join(process.cwd(), 'dist', 'ui');
const CHROMIUM = process.env.WINDHOVER_TEST_CHROMIUM ?? '/usr/bin/chromium';

const FLOW = `id: big
namespace: bench.ui
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ range(1, ${TASK_RUNS - 1}) }}"
    tasks:
      - id: work
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }}"
`;

const START = Date.parse('2026-11-26T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function state(current: 'SUCCESS' | 'FAILED', from: number, to: number) {
  return {
    current,
    histories: [
      { state: 'CREATED' as const, date: iso(from) },
      { state: 'RUNNING' as const, date: iso(from) },
      { state: current, date: iso(to) },
    ],
    startDate: iso(from),
    endDate: iso(to),
  };
}

/** An ended execution with one ForEach task run and its 4,999 children (every 50th failed once, then retried). */
function bigExecution(id: string): Execution {
  const runs: TaskRun[] = [];
  const end = START + TASK_RUNS * 20;
  const base = { executionId: id, namespace: 'bench.ui', flowId: 'big' };
  runs.push({
    ...base,
    id: `${id}-each`,
    taskId: 'each',
    attempts: [{ state: state('SUCCESS', START, end) }],
    outputs: {},
    state: state('SUCCESS', START, end),
  });
  for (let i = 1; i < TASK_RUNS; i++) {
    const from = START + i * 20;
    const attempts =
      i % 50 === 0
        ? [{ state: state('FAILED', from, from + 8) }, { state: state('SUCCESS', from + 8, from + 18) }]
        : [{ state: state('SUCCESS', from, from + 15) }];
    runs.push({
      ...base,
      id: `${id}-w${i}`,
      taskId: 'work',
      parentTaskRunId: `${id}-each`,
      value: String(i),
      iteration: 0,
      attempts,
      outputs: { value: i },
      state: state('SUCCESS', from, from + 18),
    });
  }
  return {
    id,
    ...base,
    flowRevision: 1,
    state: state('SUCCESS', START, end),
    inputs: {},
    labels: [],
    taskRunList: runs,
    control: { ended: iso(end) },
    version: 1,
  };
}

function logLines(execution: Execution): LogEntry[] {
  const lines: LogEntry[] = [];
  const runs = execution.taskRunList;
  for (let i = 0; i < LOG_LINES; i++) {
    const run = runs[1 + (i % (runs.length - 1))]!;
    lines.push({
      executionId: execution.id,
      namespace: 'bench.ui',
      flowId: 'big',
      taskId: run.taskId,
      taskRunId: run.id,
      level: i % 97 === 0 ? 'WARN' : 'INFO',
      message: `line ${i} of value ${run.value}: processed ${i % 1000} records in ${(i % 37) + 3} ms`,
      timestamp: iso(START + i),
    });
  }
  return lines;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Scrolls `selector` 10 screens, one step per frame; frame intervals and long tasks. */
async function scrollSmoothness(page: Page, selector: string) {
  // A string: this file compiles without the DOM's types.
  return page.evaluate<{ frames: number; ms: number; p95: number; worst: number; longTasks: number }>(`
    new Promise((resolve) => {
      const list = document.querySelector(${JSON.stringify(selector)});
      const longTasks = [];
      const observer = new PerformanceObserver((entries) => longTasks.push(...entries.getEntries()));
      observer.observe({ entryTypes: ['longtask'] });
      const target = list.clientHeight * 10;
      const step = list.clientHeight / 6;
      const intervals = [];
      const started = performance.now();
      let last = started;
      const frame = (now) => {
        intervals.push(now - last);
        last = now;
        if (list.scrollTop + step >= target || list.scrollTop + list.clientHeight >= list.scrollHeight) {
          observer.disconnect();
          intervals.sort((a, b) => a - b);
          resolve({
            frames: intervals.length,
            ms: Math.round(now - started),
            p95: Math.round(intervals[Math.floor(intervals.length * 0.95)]),
            worst: Math.round(intervals[intervals.length - 1]),
            longTasks: longTasks.length,
          });
          return;
        }
        list.scrollTop += step;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    })`);
}

async function main() {
  if (!existsSync(join(UI_ROOT, 'index.html')))
    throw new Error(`No built UI at ${UI_ROOT}: run npm run build:ui first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'wh-bench-ui-'));
  const local = await openLocal(dataDir);
  await local.runtime.start();
  const scheduler = createScheduler({ runtime: local.runtime, store: local.store, catalog });
  const app = await buildServer(
    { runtime: local.runtime, store: local.store, storage: local.runtime.storage, catalog, scheduler },
    { uiRoot: UI_ROOT },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    await deployFlow(local.store, FLOW);
    const execution = bigExecution('BigExecution5000TaskRuns');
    let seeded = Date.now();
    await local.store.createExecution(execution, []);
    const lines = logLines(execution);
    for (let i = 0; i < lines.length; i += 10_000) await local.store.appendLogs(lines.slice(i, i + 10_000));
    seeded = Date.now() - seeded;
    const executionBytes = (
      await fetch(`${url}/api/v1/main/executions/${execution.id}`).then((r) => r.text())
    ).length;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(120_000);
    const path = `${url}/executions/bench.ui/big/${execution.id}`;
    const gantt: number[] = [];
    const firstLogs: number[] = [];
    const allLogs: number[] = [];
    for (let run = 0; run < LOADS; run++) {
      let started = Date.now();
      await page.goto(path);
      await page.getByTestId('gantt-row').first().waitFor();
      gantt.push(Date.now() - started);
      started = Date.now();
      await page.goto(`${path}/logs`);
      await page.getByTestId('log-line').first().waitFor();
      firstLogs.push(Date.now() - started);
      await page
        .getByTestId('log-count')
        .filter({ hasText: /^200,000 lines$/ })
        .waitFor();
      allLogs.push(Date.now() - started);
    }
    const logScroll = await scrollSmoothness(page, '.log-list');
    await page.goto(path);
    await page.getByTestId('gantt-row').first().waitFor();
    const ganttScroll = await scrollSmoothness(page, '.gantt-rows');
    await browser.close();

    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      node: process.version,
      seeded: `${TASK_RUNS} task runs + ${LOG_LINES} log lines in ${seeded} ms`,
      executionJsonBytes: executionBytes,
      ganttFirstRowMs: { median: median(gantt), all: gantt },
      logsFirstLineMs: { median: median(firstLogs), all: firstLogs },
      logsAllLoadedMs: { median: median(allLogs), all: allLogs },
      logScroll,
      ganttScroll,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await app.close();
    await scheduler.stop();
    await local.close(2_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
