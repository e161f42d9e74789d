/**
 * Backfills through the scheduler API: one execution per slot of [start, end], created in
 * batches with progress, paused, resumed after a restart without duplicates, deleted; errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WindhoverError } from '../../../src/errors.js';
import { harnessPool, scheduledFlow } from './support.js';

const { start, stop, closeAll } = harnessPool();

afterEach(closeAll);

const daily = scheduledFlow(
  'daily',
  `- id: nightly
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 2 * * *"
  recoverMissedSchedules: NONE
  labels:
    kind: nightly`,
  `inputs:
  - id: mode
    type: STRING
    defaults: incremental
`,
);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof WindhoverError ? error.code : `not a WindhoverError: ${String(error)}`;
}

describe('backfill', () => {
  it('creates one execution per slot of [start, end], start included, with its inputs and labels', async () => {
    const harness = await start('2025-02-01T12:00:00Z');
    await harness.deploy(daily);
    const started = await harness.scheduler.startBackfill('test.sched', 'daily', 'nightly', {
      start: '2025-01-01T02:00:00Z',
      end: '2025-01-10T12:00:00Z',
      inputs: { mode: 'full' },
      labels: [{ key: 'run', value: 'backfill-jan' }],
    });
    expect(started.backfill).toMatchObject({ created: 0, total: 10, done: false, paused: false });
    expect(started.backfill?.currentDate).toBe('2025-01-01T02:00:00Z');
    await harness.clock.advanceTo('2025-02-01T12:00:01Z');
    const executions = await harness.executions('daily');
    expect(executions.map((e) => e.trigger?.variables.date)).toEqual(
      Array.from({ length: 10 }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}T02:00:00Z`),
    );
    expect(executions.every((e) => e.inputs.mode === 'full')).toBe(true);
    expect(executions[0]!.labels).toEqual(
      expect.arrayContaining([
        { key: 'kind', value: 'nightly' },
        { key: 'run', value: 'backfill-jan' },
      ]),
    );
    const view = await harness.scheduler.getTrigger('test.sched', 'daily', 'nightly');
    expect(view.backfill).toMatchObject({ created: 10, skipped: 0, total: 10, done: true });
    expect(view.backfill?.currentDate).toBeUndefined();
  });

  it('creates thousands of slots progressively, pauses, and resumes after a restart without duplicates', async () => {
    const first = await start('2025-03-01T00:30:00Z');
    await first.deploy(
      scheduledFlow(
        'hourly',
        `- id: h
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 * * * *"
  recoverMissedSchedules: NONE`,
      ),
    );
    const started = await first.scheduler.startBackfill('test.sched', 'hourly', 'h', {
      start: '2025-01-01T00:00:00Z',
      end: '2025-02-11T15:00:00Z',
    });
    expect(started.backfill?.total).toBe(1000);
    // One wake-up creates one batch, not the whole range.
    await first.clock.fireNext();
    const afterOne = (await first.scheduler.getTrigger('test.sched', 'hourly', 'h')).backfill!;
    expect(afterOne.created).toBeGreaterThan(0);
    expect(afterOne.created).toBeLessThan(1000);
    expect((await first.executions('hourly')).length).toBe(afterOne.created);

    const paused = await first.scheduler.setBackfillPaused('test.sched', 'hourly', 'h', true);
    expect(paused.backfill?.paused).toBe(true);
    await first.clock.advanceTo('2025-03-01T00:31:00Z');
    expect((await first.executions('hourly')).length).toBe(afterOne.created);
    await stop(first);

    const second = await start('2025-03-01T00:31:00Z', first.dataDir);
    expect((await second.scheduler.getTrigger('test.sched', 'hourly', 'h')).backfill).toMatchObject({
      paused: true,
      created: afterOne.created,
    });
    await second.scheduler.setBackfillPaused('test.sched', 'hourly', 'h', false);
    await second.clock.advanceTo('2025-03-01T00:32:00Z');
    const dates = await second.dates('hourly');
    expect(dates).toHaveLength(1000);
    expect(new Set(dates).size).toBe(1000);
    expect(dates[0]).toBe('2025-01-01T00:00:00Z');
    expect(dates[999]).toBe('2025-02-11T15:00:00Z');
    expect((await second.scheduler.getTrigger('test.sched', 'hourly', 'h')).backfill).toMatchObject({
      created: 1000,
      done: true,
    });
    const deleted = await second.scheduler.deleteBackfill('test.sched', 'hourly', 'h');
    expect(deleted.backfill).toBeUndefined();
  });

  it('refuses bad ranges, a second backfill in progress and unknown triggers', async () => {
    const harness = await start('2025-02-01T12:00:00Z');
    await harness.deploy(daily);
    const api = harness.scheduler;
    expect(await codeOf(api.startBackfill('test.sched', 'daily', 'nightly', { start: 'yesterday' }))).toBe(
      'WH_BACKFILL_INVALID',
    );
    expect(
      await codeOf(
        api.startBackfill('test.sched', 'daily', 'nightly', {
          start: '2025-01-10T00:00:00Z',
          end: '2025-01-01T00:00:00Z',
        }),
      ),
    ).toBe('WH_BACKFILL_INVALID');
    await api.setTriggerDisabled('test.sched', 'daily', 'nightly', true);
    await api.startBackfill('test.sched', 'daily', 'nightly', { start: '2025-01-01T00:00:00Z' });
    expect(
      await codeOf(api.startBackfill('test.sched', 'daily', 'nightly', { start: '2025-01-01T00:00:00Z' })),
    ).toBe('WH_BACKFILL_INVALID');
    expect(
      await codeOf(api.startBackfill('test.sched', 'daily', 'nope', { start: '2025-01-01T00:00:00Z' })),
    ).toBe('WH_TRIGGER_NOT_FOUND');
    expect(await codeOf(api.getTrigger('test.sched', 'other', 'nightly'))).toBe('WH_TRIGGER_NOT_FOUND');
    // A trigger disabled through the API still runs its backfill (its regular slots stay off).
    await harness.clock.advanceTo('2025-02-03T12:00:00Z');
    const dates = await harness.dates('daily');
    // The end defaults to now (Feb 1, 12:00): Jan 1 to Feb 1; the disabled trigger adds none of Feb 2-3.
    expect(dates).toHaveLength(32);
    expect(dates.at(-1)).toBe('2025-02-01T02:00:00Z');
  });
});
