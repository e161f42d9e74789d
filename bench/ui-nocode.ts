/**
 * The flow editor's YAML ⇄ no-code switch on a flow of 200 tasks (60 of them inside 10
 * flowables: Sequential, If, Switch, ForEach), opened in headless Chromium.
 *
 *   npm run bench:ui-nocode   (needs the built UI: npm run build:ui, or WINDHOVER_TEST_UI_ROOT)
 *
 * Each of LOADS fresh page loads opens the editor, waits until the YAML view is validated and the
 * page is idle for a second (as a user reads it first), then times the FIRST YAML → no-code switch
 * (click until the last top-level task's card is painted), the no-code → YAML switch back (until
 * the editor is painted), and ROUNDS more switches each way. LOADS more loads time the first switch
 * clicked as soon as the editor shows. Medians over the loads. Goal: under 300 ms.
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
import { profileSwitch } from './ui-nocode-profile.js';

const LOADS = Number(process.env.LOADS ?? 7) + (process.argv.includes('--profile') ? 1 : 0);

const ROUNDS = 3;
/** `--profile`: profile the first switch of one more load of each kind and print where its time goes (not counted). */
const PROFILE = process.argv.includes('--profile');
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

/**
 * Clicks the view button `button` in the page and returns the ms until `target` is visible and
 * the frame that shows it has been painted (the next animation frame, then a task after it).
 * Timed inside the page: Playwright's own waits poll at 20–500 ms steps, too coarse for this.
 */
async function switchView(page: Page, button: string, target: string): Promise<number> {
  // A string: the bench project has no DOM types (and tsx's helpers do not exist in the page).
  // React renders a click's update in a microtask queued by the click: `script` ends in the next one.
  const { total, script } = await page.evaluate<{ total: number; script: number }>(`new Promise((resolve) => {
    const started = performance.now();
    document.querySelector(${JSON.stringify(button)}).click();
    let script = 0;
    queueMicrotask(() => (script = Math.round(performance.now() - started)));
    const check = () => {
      const element = document.querySelector(${JSON.stringify(target)});
      if (element && element.checkVisibility())
        requestAnimationFrame(() => setTimeout(() => resolve({ total: Math.round(performance.now() - started), script }), 0));
      else requestAnimationFrame(check);
    };
    check();
  })`);
  scriptMs.get(button)!.push(script);
  return total;
}

/** The script share of each switch, by button (YAML → no-code, no-code → YAML). */
const scriptMs = new Map<string, number[]>([
  ['[data-testid=view-nocode]', []],
  ['[data-testid=view-yaml]', []],
]);

const toNoCode = (page: Page) =>
  switchView(page, '[data-testid=view-nocode]', '[data-testid=nocode-task-139]');
const toYaml = (page: Page) => switchView(page, '[data-testid=view-yaml]', '.editor-pane .monaco-editor');

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
    const atOnce: number[] = [];
    const open = async () => {
      // A fresh page each time: nothing cached in the app's memory from the load before.
      await page.goto('about:blank');
      await page.goto('/flows/bench.nocode/many/edit');
      await page.locator('.editor-pane .monaco-editor').waitFor();
    };
    for (let load = 0; load < LOADS; load++) {
      await open();
      await page
        .getByTestId('problems-count')
        .filter({ hasText: /^No problems/ })
        .waitFor();
      await page.waitForTimeout(IDLE_MS);
      if (PROFILE && load === 0) {
        // The first load's first switch, profiled: where its time goes (it is not counted).
        console.log(JSON.stringify(await profileSwitch(page, () => toNoCode(page)), null, 2));
        continue;
      }
      first.push(await toNoCode(page));
      firstBack.push(await toYaml(page));
      for (let round = 0; round < ROUNDS; round++) {
        later.push(await toNoCode(page));
        laterBack.push(await toYaml(page));
      }
    }
    // The impatient user: No-code clicked as soon as the editor shows (the schema may still be loading).
    for (let load = 0; load < LOADS; load++) {
      await open();
      if (PROFILE && load === 0) {
        console.log(JSON.stringify(await profileSwitch(page, () => toNoCode(page)), null, 2));
        continue;
      }
      atOnce.push(await toNoCode(page));
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
          firstYamlToNoCodeAsSoonAsShownMs: { median: median(atOnce), all: atOnce.join(' ') },
          laterYamlToNoCodeMs: { median: median(later), all: later.join(' ') },
          laterNoCodeToYamlMs: { median: median(laterBack), all: laterBack.join(' ') },
          // Of which React's render and commit (the rest: style, layout, paint).
          scriptShareMedianMs: Object.fromEntries(
            [...scriptMs].map(([button, all]) => [button, median(all)]),
          ),
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
