/**
 * A scheduler of a cluster that lost its lease without noticing (paused past it: GC, a frozen VM)
 * fires nothing: its trigger memory is written only while it still holds the lease in the store,
 * with the execution it creates, so its successor alone fires the slot. It then stops firing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCHEDULER_LEASE } from '../../../src/engine/scheduler/index.js';
import { harnessPool } from './support.js';

const harnesses = harnessPool();

afterEach(async () => {
  vi.restoreAllMocks();
  await harnesses.closeAll();
});

const EVERY_MINUTE = `id: ticker
namespace: test.fence
tasks:
  - id: tick
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: minutely
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
`;

describe('the scheduler lease as a fence', () => {
  it('refuses the slots of a scheduler whose lease another took, and it stops firing', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'info').mockImplementation(() => {});
    // A long lease: this scheduler believes it holds it for the whole test, as a paused one would.
    const harness = await harnesses.start('2025-01-01T10:00:30Z', undefined, {
      cluster: { memberId: 'scheduler-a', fires: true, leaseTtlMs: 60_000 },
    });
    const store = harness.local.store;
    await harness.deploy(EVERY_MINUTE);
    await harness.clock.advanceTo('2025-01-01T10:01:30Z');
    expect(await harness.dates('ticker')).toEqual(['2025-01-01T10:01:00Z']);

    // Another scheduler takes the lease over (a's ran out while a was paused, say).
    await store.releaseLease(SCHEDULER_LEASE, 'scheduler-a');
    expect(await store.acquireLease(SCHEDULER_LEASE, 'scheduler-b', 60_000)).toBe(true);
    await harness.clock.advanceTo('2025-01-01T10:03:30Z');
    expect(await harness.dates('ticker')).toEqual(['2025-01-01T10:01:00Z']);
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('lost the scheduler lease'));
    // Its memory stayed where the last slot it fired left it: the successor goes on from there.
    const state = await store.getTriggerState('test.fence', 'ticker', 'minutely');
    expect(state?.state.lastSlot).toBe('2025-01-01T10:01:00.000Z');
  });
});
