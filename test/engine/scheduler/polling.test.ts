/**
 * Polling triggers: a trigger plugin with `poll` is polled every `interval` by the scheduler,
 * the files it stores belong to the execution it starts, what it remembers is committed with
 * that execution (so a restart does not fire the same objects again), its `afterCommit` runs
 * only after the commit, and a failing poll is retried at the next interval. The plugin here is
 * a test trigger over an in-memory "bucket" the test controls.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployFlow, openLocal } from '../../../src/engine/runtime/index.js';
import type { LocalSetup } from '../../../src/engine/runtime/index.js';
import { createScheduler } from '../../../src/engine/scheduler/index.js';
import type { Scheduler } from '../../../src/engine/scheduler/index.js';
import { createCatalog } from '../../../src/flow/catalog.js';
import { defineTrigger, p } from '../../../src/plugins/api.js';
import { PLUGINS } from '../../../src/plugins/registry.js';
import { FakeClock, removeData, settleWithPolls } from './support.js';

/** The test's "bucket": folder → object name → content. */
const buckets = new Map<string, Map<string, string>>();
/** Polls made, by folder; a folder in `failing` makes its polls throw. */
const polls = new Map<string, number>();
const failing = new Set<string>();

const ListTrigger = defineTrigger({
  type: 'io.windhover.test.ListTrigger',
  title: 'Test polling trigger',
  description: 'Lists an in-memory folder of the test and fires on new objects.',
  properties: {
    interval: p.string({ dynamic: false }).describe('How often to poll.'),
    from: p.string().required().describe('The folder.'),
    action: p.enum(['NONE', 'DELETE']).default('NONE').describe('What to do with the objects reported.'),
  },
  async poll(ctx, props, memory) {
    const folder = String(props.from);
    polls.set(folder, (polls.get(folder) ?? 0) + 1);
    if (failing.has(folder)) throw new Error(`the folder ${folder} does not answer`);
    const objects = buckets.get(folder) ?? new Map<string, string>();
    const seen = (memory?.seen ?? {}) as Record<string, string>;
    const fresh = [...objects.entries()].filter(([name, content]) => seen[name] !== content);
    // What is no longer there is forgotten: the memory stays as small as the folder.
    const kept = Object.fromEntries([...objects.entries()]);
    if (fresh.length === 0) return { memory: { seen: kept } };
    const blobs = [];
    for (const [name, content] of fresh) blobs.push({ name, uri: await ctx.storage.putFile(name, content) });
    return {
      fire: { variables: { blobs } },
      memory: { seen: kept },
      ...(props.action === 'DELETE'
        ? {
            afterCommit: () => {
              for (const [name] of fresh) objects.delete(name);
              return Promise.resolve();
            },
          }
        : {}),
    };
  },
});

const testCatalog = createCatalog([...PLUGINS, ListTrigger]);

function pollingFlow(id: string, folder: string, extra = ''): string {
  return `id: ${id}
namespace: test.polling
tasks:
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.blobs | length }}: {% for blob in trigger.blobs %}{{ blob.name }}={{ read(blob.uri) }} {% endfor %}"
triggers:
  - id: watch
    type: io.windhover.test.ListTrigger
    interval: PT1M
    from: ${folder}
${extra}`;
}

interface PollHarness {
  dir: string;
  clock: FakeClock;
  local: LocalSetup;
  scheduler: Scheduler;
  close(): Promise<void>;
}

const open: PollHarness[] = [];
const folders: string[] = [];

async function openPolling(now: string, dir?: string): Promise<PollHarness> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'wh-poll-'));
  if (!dir) folders.push(dataDir);
  const local = await openLocal(dataDir, { catalog: testCatalog });
  await local.runtime.start();
  const clock = new FakeClock(now);
  const scheduler = createScheduler({
    runtime: local.runtime,
    store: local.store,
    catalog: testCatalog,
    clock,
  });
  clock.settle = settleWithPolls(scheduler);
  await scheduler.start();
  const harness: PollHarness = {
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

async function deploy(harness: PollHarness, source: string): Promise<void> {
  const flow = await deployFlow(harness.local.store, source, undefined, testCatalog);
  await harness.scheduler.flowChanged(flow.namespace, flow.id);
  // What is due now (the first poll) fires: the fake clock fires timers only when moved.
  await harness.clock.advanceTo(harness.clock.now().toISOString());
}

/** The log line of each execution of a flow, in order, once they ended. */
async function lines(harness: PollHarness, flowId: string): Promise<string[]> {
  const page = await harness.local.store.searchExecutions({ flowId, size: 1000 });
  const out: string[] = [];
  for (const summary of page.results.sort((a, b) => a.state.startDate.localeCompare(b.state.startDate))) {
    const ended = await harness.local.runtime.waitForEnd(summary.id);
    expect(ended.state.current).toBe('SUCCESS');
    const logs = await harness.local.store.getLogs(summary.id);
    out.push(logs.find((l) => l.taskId === 'read')!.message.trim());
  }
  return out;
}

afterEach(async () => {
  for (const harness of [...open]) await harness.close();
  for (const dir of folders.splice(0)) removeData(dir);
  buckets.clear();
  polls.clear();
  failing.clear();
});

describe('polling triggers', () => {
  it('polls every interval, fires once for the objects it finds, and again only for new ones', async () => {
    buckets.set(
      'inbox',
      new Map([
        ['a.csv', 'one'],
        ['b.csv', 'two'],
      ]),
    );
    const h = await openPolling('2026-01-01T00:00:00Z');
    await deploy(h, pollingFlow('watch_inbox', 'inbox'));
    // Polled at once when deployed: both objects, in one execution, their files readable by it.
    expect(polls.get('inbox')).toBe(1);
    expect(await lines(h, 'watch_inbox')).toEqual(['2: a.csv=one b.csv=two']);

    // Not again before the interval, and nothing new after it.
    await h.clock.advanceTo('2026-01-01T00:00:30Z');
    expect(polls.get('inbox')).toBe(1);
    await h.clock.advanceTo('2026-01-01T00:01:00Z');
    expect(polls.get('inbox')).toBe(2);
    expect(await lines(h, 'watch_inbox')).toHaveLength(1);

    // A new object and a changed one start one more execution with just those two.
    buckets.get('inbox')!.set('c.csv', 'three');
    buckets.get('inbox')!.set('a.csv', 'one, again');
    await h.clock.advanceTo('2026-01-01T00:02:00Z');
    expect(await lines(h, 'watch_inbox')).toEqual([
      '2: a.csv=one b.csv=two',
      '2: a.csv=one, again c.csv=three',
    ]);
  });

  it('remembers what it fired across a restart, and runs afterCommit only once committed', async () => {
    buckets.set('drop', new Map([['x.json', '{}']]));
    const first = await openPolling('2026-01-01T00:00:00Z');
    await deploy(first, pollingFlow('watch_drop', 'drop'));
    expect(await lines(first, 'watch_drop')).toEqual(['1: x.json={}']);
    await first.close();

    // The same data folder, a new process: the memory committed with the execution says x.json was seen.
    const second = await openPolling('2026-01-01T00:05:00Z', first.dir);
    await second.clock.advanceTo('2026-01-01T00:07:00Z');
    expect(polls.get('drop')).toBeGreaterThanOrEqual(2);
    expect(await lines(second, 'watch_drop')).toEqual(['1: x.json={}']);

    // With action DELETE, the objects reported are removed after the execution was committed.
    buckets.set('trash', new Map([['t1', 'gone soon']]));
    await deploy(second, pollingFlow('watch_trash', 'trash', '    action: DELETE\n'));
    expect(await lines(second, 'watch_trash')).toEqual(['1: t1=gone soon']);
    expect([...buckets.get('trash')!.keys()]).toEqual([]);
  });

  it('retries a failing poll at the next interval, and does not poll while disabled', async () => {
    buckets.set('flaky', new Map([['f', 'ok']]));
    failing.add('flaky');
    const h = await openPolling('2026-01-01T00:00:00Z');
    await deploy(h, pollingFlow('watch_flaky', 'flaky'));
    expect(polls.get('flaky')).toBe(1);
    expect(await lines(h, 'watch_flaky')).toEqual([]);
    await h.clock.advanceTo('2026-01-01T00:00:59Z');
    expect(polls.get('flaky')).toBe(1);
    failing.delete('flaky');
    await h.clock.advanceTo('2026-01-01T00:01:00Z');
    expect(await lines(h, 'watch_flaky')).toEqual(['1: f=ok']);

    await h.scheduler.setTriggerDisabled('test.polling', 'watch_flaky', 'watch', true);
    const before = polls.get('flaky');
    buckets.get('flaky')!.set('g', 'later');
    await h.clock.advanceTo('2026-01-01T00:05:00Z');
    expect(polls.get('flaky')).toBe(before);
    expect(await lines(h, 'watch_flaky')).toHaveLength(1);
  });
});
