/**
 * gcs.Trigger against the emulator, on the scheduler with a fake clock: one execution per new
 * object, also across a restart (the memory is committed with the execution), and MOVE applied
 * only once the execution is committed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow, openLocal } from '../../../../src/engine/runtime/index.js';
import type { LocalSetup } from '../../../../src/engine/runtime/index.js';
import { createScheduler } from '../../../../src/engine/scheduler/index.js';
import type { Scheduler } from '../../../../src/engine/scheduler/index.js';
import { catalog } from '../../../../src/plugins/registry.js';
import { FakeClock, removeData, settleWithPolls } from '../../../engine/scheduler/support.js';
import { startTestEmulator } from '../../../emulators/gcp/support.js';
import type { TestEmulator } from '../../../emulators/gcp/support.js';

let emulator: TestEmulator;
let storage: Storage;
const bucket = 'trigger-test-bucket';

interface Harness {
  dir: string;
  clock: FakeClock;
  local: LocalSetup;
  scheduler: Scheduler;
  close(): Promise<void>;
}

const open: Harness[] = [];
const folders: string[] = [];

async function openHarness(now: string, dir?: string): Promise<Harness> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'wh-gcs-trigger-'));
  if (!dir) folders.push(dataDir);
  const local = await openLocal(dataDir, {
    catalog,
    env: { ...process.env, STORAGE_EMULATOR_HOST: emulator.url },
  });
  await local.runtime.start();
  const clock = new FakeClock(now);
  const scheduler = createScheduler({ runtime: local.runtime, store: local.store, catalog, clock });
  clock.settle = settleWithPolls(scheduler);
  await scheduler.start();
  const harness: Harness = {
    dir: dataDir,
    clock,
    local,
    scheduler,
    close: async () => {
      open.splice(open.indexOf(harness), 1);
      await scheduler.stop();
      await local.close(2_000);
    },
  };
  open.push(harness);
  return harness;
}

function watchFlow(id: string, prefix: string, extra = ''): string {
  return `id: ${id}
namespace: test.gcs
tasks:
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{% for blob in trigger.blobs %}{{ blob.name }}={{ read(blob.uri) }} {% endfor %}"
triggers:
  - id: watch
    type: io.kestra.plugin.gcp.gcs.Trigger
    interval: PT1M
    from: gs://${bucket}/${prefix}
${extra}`;
}

async function deploy(h: Harness, source: string): Promise<void> {
  const flow = await deployFlow(h.local.store, source, undefined, catalog);
  await h.scheduler.flowChanged(flow.namespace, flow.id);
  await h.clock.advanceTo(h.clock.now().toISOString());
}

/** The log line of each execution of a flow, in start order, once they ended. */
async function lines(h: Harness, flowId: string): Promise<string[]> {
  const page = await h.local.store.searchExecutions({ flowId, size: 1000 });
  const out: string[] = [];
  for (const summary of page.results.sort((a, b) => a.state.startDate.localeCompare(b.state.startDate))) {
    const ended = await h.local.runtime.waitForEnd(summary.id);
    expect(ended.state.current).toBe('SUCCESS');
    const logs = await h.local.store.getLogs(summary.id);
    out.push(
      logs
        .find((l) => l.taskId === 'read')!
        .message.trim()
        .split(' ')
        .sort()
        .join(' '),
    );
  }
  return out;
}

async function put(name: string, content: string): Promise<void> {
  await storage.bucket(bucket).file(name).save(content, { resumable: false });
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  storage = new Storage({ apiEndpoint: emulator.url, projectId: 'windhover-test' });
  await storage.createBucket(bucket);
});

afterEach(async () => {
  for (const h of [...open]) await h.close();
  for (const dir of folders.splice(0)) removeData(dir);
});

afterAll(async () => {
  await emulator?.close();
});

describe('gcs.Trigger', () => {
  it('starts one execution per new object, also across a restart (action NONE)', async () => {
    await put('inbox/a.csv', 'one');
    await put('inbox/b.csv', 'two');
    const first = await openHarness('2026-01-01T00:00:00Z');
    await deploy(first, watchFlow('watch_inbox', 'inbox/'));
    expect(await lines(first, 'watch_inbox')).toEqual(['inbox/a.csv=one inbox/b.csv=two']);

    // Nothing new: no execution; a new object: one execution with it alone.
    await first.clock.advanceTo('2026-01-01T00:01:00Z');
    expect(await lines(first, 'watch_inbox')).toHaveLength(1);
    await put('inbox/c.csv', 'three');
    await first.clock.advanceTo('2026-01-01T00:02:00Z');
    expect(await lines(first, 'watch_inbox')).toEqual([
      'inbox/a.csv=one inbox/b.csv=two',
      'inbox/c.csv=three',
    ]);
    await first.close();

    // A restart on the same data: what was seen stays seen; an overwritten object fires again.
    const second = await openHarness('2026-01-01T00:05:00Z', first.dir);
    await second.clock.advanceTo('2026-01-01T00:07:00Z');
    expect(await lines(second, 'watch_inbox')).toHaveLength(2);
    await put('inbox/a.csv', 'one-again');
    await put('inbox/d.csv', 'four');
    await second.clock.advanceTo('2026-01-01T00:08:00Z');
    expect(await lines(second, 'watch_inbox')).toEqual([
      'inbox/a.csv=one inbox/b.csv=two',
      'inbox/c.csv=three',
      'inbox/a.csv=one-again inbox/d.csv=four',
    ]);
  });

  it('moves the objects it fired for, once the execution is committed (action MOVE)', async () => {
    await put('drop/x.json', '{}');
    await put('drop/y.json', '[]');
    const h = await openHarness('2026-01-01T00:00:00Z');
    await deploy(
      h,
      watchFlow(
        'watch_drop',
        'drop/',
        `    action: MOVE\n    moveDirectory: gs://${bucket}/done/\n    regExp: ".*\\\\.json"\n`,
      ),
    );
    expect(await lines(h, 'watch_drop')).toEqual(['drop/x.json={} drop/y.json=[]']);
    const [left] = await storage.bucket(bucket).getFiles({ prefix: 'drop/' });
    const [moved] = await storage.bucket(bucket).getFiles({ prefix: 'done/' });
    expect(left.map((f) => f.name)).toEqual([]);
    expect(moved.map((f) => f.name).sort()).toEqual(['done/x.json', 'done/y.json']);
    await h.clock.advanceTo('2026-01-01T00:03:00Z');
    expect(await lines(h, 'watch_drop')).toHaveLength(1);
  });
});
