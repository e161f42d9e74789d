/**
 * bigquery.Trigger against the emulator, polled by the real scheduler on a fake clock: no
 * execution while the query returns nothing, exactly one when it returns rows (with
 * `trigger.rows`/`trigger.size`, or `trigger.uri` with STORE), none again once they are handled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow, openLocal } from '../../../../src/engine/runtime/index.js';
import type { LocalSetup } from '../../../../src/engine/runtime/index.js';
import { createScheduler } from '../../../../src/engine/scheduler/index.js';
import type { Scheduler } from '../../../../src/engine/scheduler/index.js';
import { catalog } from '../../../../src/plugins/registry.js';
import type { TaskContext } from '../../../../src/plugins/api.js';
import { bigQueryClient } from '../../../../src/plugins/gcp/clients.js';
import { FakeClock } from '../../../engine/scheduler/support.js';
import { startTestEmulator } from '../../../emulators/gcp/support.js';
import type { TestEmulator } from '../../../emulators/gcp/support.js';

let emulator: TestEmulator;
let bigquery: BigQuery;
let local: LocalSetup;
let scheduler: Scheduler;
let clock: FakeClock;
const dir = mkdtempSync(join(tmpdir(), 'wh-bq-trigger-'));

beforeAll(async () => {
  emulator = await startTestEmulator();
  const env = { BIGQUERY_EMULATOR_HOST: emulator.url };
  bigquery = await bigQueryClient(
    {
      workerEnv: env,
      signal: new AbortController().signal,
      maskSecret: () => undefined,
    } as unknown as TaskContext,
    {},
  );
  await bigquery.createDataset('events');
  await bigquery.query('CREATE TABLE events.inbox (id INT64, body STRING, processed BOOL)');
  local = await openLocal(dir, { catalog, env });
  await local.runtime.start();
  clock = new FakeClock('2026-01-01T00:00:00Z');
  scheduler = createScheduler({ runtime: local.runtime, store: local.store, catalog, clock });
  clock.settle = async () => {
    await scheduler.idle();
    await new Promise((resolve) => setImmediate(resolve));
    await scheduler.idle();
  };
  await scheduler.start();
}, 60_000);

afterAll(async () => {
  await scheduler?.stop();
  await local?.close(2_000);
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until the trigger of `flowId` has polled at `at` (its committed `lastPoll`). */
async function polledAt(flowId: string, at: string): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    const state = (await local.store.listTriggerStates()).find((s) => s.flowId === flowId);
    if (state?.state.lastPoll === at) return;
    await sleep(20);
  }
  throw new Error(`the trigger of ${flowId} did not poll at ${at}`);
}

/** Moves the clock to `at` and waits for the poll due then. */
async function pollAt(flowId: string, at: string): Promise<void> {
  await clock.advanceTo(at);
  await polledAt(flowId, at);
  await scheduler.idle();
}

/** The log line of each execution of a flow, in order, once they ended. */
async function executionLines(flowId: string): Promise<string[]> {
  const page = await local.store.searchExecutions({ flowId, size: 100 });
  const out: string[] = [];
  for (const summary of page.results.sort((a, b) => a.state.startDate.localeCompare(b.state.startDate))) {
    const ended = await local.runtime.waitForEnd(summary.id);
    const logs = await local.store.getLogs(summary.id);
    expect(ended.state.current, logs.map((l) => l.message).join('\n')).toBe('SUCCESS');
    out.push(logs.find((l) => l.taskId === 'log')!.message.trim());
  }
  return out;
}

function watchingFlow(id: string, message: string, fetch: string): string {
  return `id: ${id}
namespace: test.bigquery
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "${message}"
triggers:
  - id: watch
    type: io.kestra.plugin.gcp.bigquery.Trigger
    interval: PT1M
    sql: SELECT id, body FROM events.inbox WHERE NOT processed ORDER BY id
    ${fetch}
`;
}

describe('bigquery.Trigger', () => {
  it('starts one execution when the query returns rows, none while it returns nothing', async () => {
    const flow = await deployFlow(
      local.store,
      watchingFlow(
        'watch_inbox',
        '{{ trigger.size }}: {% for row in trigger.rows %}{{ row.id }}={{ row.body }} {% endfor %}',
        'fetchType: FETCH',
      ),
      undefined,
      catalog,
    );
    await scheduler.flowChanged(flow.namespace, flow.id);
    await pollAt('watch_inbox', '2026-01-01T00:00:00.000Z');
    expect(await executionLines('watch_inbox')).toEqual([]);

    await bigquery.query(
      `INSERT INTO events.inbox (id, body, processed) VALUES (1, 'a', FALSE), (2, 'b', FALSE)`,
    );
    await pollAt('watch_inbox', '2026-01-01T00:01:00.000Z');
    expect(await executionLines('watch_inbox')).toEqual(['2: 1=a 2=b']);

    await bigquery.query('UPDATE events.inbox SET processed = TRUE WHERE id <= 2');
    await pollAt('watch_inbox', '2026-01-01T00:02:00.000Z');
    expect(await executionLines('watch_inbox')).toHaveLength(1);
  });

  it('gives trigger.uri, a file of the rows, with fetchType: STORE', async () => {
    await bigquery.query(`INSERT INTO events.inbox (id, body, processed) VALUES (3, 'c', FALSE)`);
    const flow = await deployFlow(
      local.store,
      watchingFlow('watch_store', '{{ trigger.size }} {{ read(trigger.uri) | trim }}', 'fetchType: STORE'),
      undefined,
      catalog,
    );
    await scheduler.flowChanged(flow.namespace, flow.id);
    await pollAt('watch_store', '2026-01-01T00:02:00.000Z');
    expect(await executionLines('watch_store')).toEqual(['1 {"id":3,"body":"c"}']);
  });
});
