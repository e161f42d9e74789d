/**
 * The flow editor's YAML ⇄ no-code switch on a flow of 200 tasks (60 of them inside 10
 * flowables: Sequential, If, Switch, ForEach), opened in headless Chromium.
 *
 *   npm run bench:ui-nocode   (needs the built UI: npm run build:ui, or WINDHOVER_TEST_UI_ROOT)
 *
 * Each of LOADS fresh page loads opens the editor, waits until the YAML view is shown and the page
 * is idle for a moment (as a user would read it first), then times the FIRST YAML → no-code switch
 * (click until the last task's card is visible), the no-code → YAML switch back (until the editor
 * is visible), and ROUNDS more switches each way. Medians over the loads. Goal: under 300 ms.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { openLocal } from '../src/engine/runtime/local.js';
import { buildServer } from '../src/server/app.js';
import { catalog } from '../src/plugins/registry.js';
import { createScheduler } from '../src/engine/scheduler/index.js';

const LOADS = Number(process.env.LOADS ?? 7);
const ROUNDS = 3;
/** How long the YAML view is left idle before the first switch (a user reads before clicking). */
const IDLE_MS = 1_000;
const UI_ROOT = process.env.WINDHOVER_TEST_UI_ROOT ?? join(process.cwd(), 'dist', 'ui');
const CHROMIUM = process.env.WINDHOVER_TEST_CHROMIUM ?? '/usr/bin/chromium';
const LOG = 'io.kestra.plugin.core.log.Log';
const FLOW = 'io.kestra.plugin.core.flow';

/** 200 tasks: 140 top-level (10 of them flowables: Sequential, If, Switch, ForEach) and 60 Log tasks inside those. */
function bigFlow(): string {
  const lines = ['id: many', 'namespace: bench.nocode', '# 200 tasks, some nested', 'tasks:'];
  let count = 0;
  const log = (indent: string) => {
    count++;
    lines.push(
      `${indent}- id: t${count} # task ${count}`,
      `${indent}  type: ${LOG}`,
      `${indent}  message: m${count}`,
    );
  };
  for (let block = 0; block < 10; block++) {
    for (let i = 0; i < 12; i++) log('  ');
    count++;
    const kind = ['Sequential', 'If', 'Switch', 'ForEach'][block % 4]!;
    lines.push(`  - id: f${count}`, `    type: ${FLOW}.${kind}`);
    if (kind === 'If') lines.push('    condition: "{{ true }}"', '    then:');
    else if (kind === 'Switch') lines.push('    value: a', '    cases:', '      a:');
    else if (kind === 'ForEach') lines.push('    values: [1, 2]', '    tasks:');
    else lines.push('    tasks:');
    const indent = kind === 'Switch' ? '        ' : '      ';
    for (let i = 0; i < 6; i++) log(indent);
  }
  while (count < 200) log('  ');
  return `${lines.join('\n')}\n`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return Math.round(performance.now() - started);
}

const toNoCode = (page: Page) =>
  timed(async () => {
    await page.getByTestId('view-nocode').click();
    await page.getByTestId('nocode-task-139').waitFor();
  });
const toYaml = (page: Page) =>
  timed(async () => {
    await page.getByTestId('view-yaml').click();
    await page.locator('.editor-pane .monaco-editor').waitFor({ state: 'visible' });
  });

async function main() {
  if (!existsSync(join(UI_ROOT, 'index.html')))
    throw new Error(`No built UI at ${UI_ROOT}: run npm run build:ui first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'wh-bench-nocode-'));
  const local = await openLocal(dataDir);
  await local.runtime.start();
  const scheduler = createScheduler({ runtime: local.runtime, store: local.store, catalog });
  const app = await buildServer(
    { runtime: local.runtime, store: local.store, storage: local.runtime.storage, catalog, scheduler },
    { uiRoot: UI_ROOT },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, baseURL: url });
    page.setDefaultTimeout(30_000);
    const created = await page.request.post('/api/v1/main/flows', {
      data: bigFlow(),
      headers: { 'content-type': 'application/x-yaml' },
    });
    if (!created.ok()) throw new Error(`flow not created: ${await created.text()}`);
    const first: number[] = [];
    const firstBack: number[] = [];
    const later: number[] = [];
    const laterBack: number[] = [];
    for (let load = 0; load < LOADS; load++) {
      // A fresh page each time: nothing cached in the app's memory from the load before.
      await page.goto('about:blank');
      await page.goto('/flows/bench.nocode/many/edit');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      await page
        .getByTestId('problems-count')
        .filter({ hasText: /^No problems/ })
        .waitFor();
      await page.waitForTimeout(IDLE_MS);
      first.push(await toNoCode(page));
      firstBack.push(await toYaml(page));
      for (let round = 0; round < ROUNDS; round++) {
        later.push(await toNoCode(page));
        laterBack.push(await toYaml(page));
      }
    }
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
          node: process.version,
          flow: `200 tasks (60 inside 10 flowables), ${bigFlow().length} characters`,
          firstYamlToNoCodeMs: { median: median(first), all: first.join(' ') },
          firstNoCodeToYamlMs: { median: median(firstBack), all: firstBack.join(' ') },
          laterYamlToNoCodeMs: { median: median(later), all: later.join(' ') },
          laterNoCodeToYamlMs: { median: median(laterBack), all: laterBack.join(' ') },
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await app.close();
    await scheduler.stop();
    await local.close(2_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
