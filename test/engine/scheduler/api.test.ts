/** The scheduler API the server uses: listing with paging and next dates, flow changes, errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { WindhoverError } from '../../../src/errors.js';
import { openHarness, removeData, scheduledFlow } from './support.js';
import type { Harness } from './support.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (!harness) return;
  await harness.close();
  removeData(harness.dataDir);
  harness = undefined;
});

const schedule = (cron: string, zone = '') => `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "${cron}"${zone ? `\n  timezone: ${zone}` : ''}`;

describe('scheduler API', () => {
  it('lists triggers by namespace, flow and trigger, with paging, types and next fire dates', async () => {
    harness = await openHarness('2025-01-01T10:15:00Z');
    await harness.deploy(scheduledFlow('b', schedule('0 * * * *')));
    await harness.deploy(scheduledFlow('a', schedule('30 9 * * *', 'Europe/Paris')));
    await harness.deploy(`id: c
namespace: test.sched
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: abc
  - id: after
    type: io.kestra.plugin.core.trigger.Flow
`);
    await harness.deploy(
      scheduledFlow('other', schedule('@daily')).replace('namespace: test.sched', 'namespace: elsewhere'),
    );

    const all = await harness.scheduler.listTriggers({ namespace: 'test', size: 3 });
    expect(all.total).toBe(4);
    expect(all.results.map((t) => `${t.flowId}.${t.triggerId}`)).toEqual(['a.s', 'b.s', 'c.after']);
    const second = await harness.scheduler.listTriggers({ namespace: 'test', size: 3, page: 2 });
    expect(second.results.map((t) => `${t.flowId}.${t.triggerId}:${t.type}`)).toEqual([
      'c.hook:io.kestra.plugin.core.trigger.Webhook',
    ]);
    expect(all.results[0]).toMatchObject({
      namespace: 'test.sched',
      cron: '30 9 * * *',
      timezone: 'Europe/Paris',
      disabled: false,
      nextExecutionDate: '2025-01-02T09:30:00+01:00',
    });
    expect(all.results[2]!.nextExecutionDate).toBeUndefined();

    await harness.clock.advanceTo('2025-01-01T11:00:00Z');
    const hourly = await harness.scheduler.getTrigger('test.sched', 'b', 's');
    expect(hourly).toMatchObject({
      lastFireDate: '2025-01-01T11:00:00Z',
      nextExecutionDate: '2025-01-01T12:00:00Z',
    });
    expect((await harness.scheduler.listTriggers({ flowId: 'other' })).total).toBe(1);
  });

  it('follows flow changes: a new cron, a deleted flow (then not found), a flow saved again starting afresh', async () => {
    harness = await openHarness('2025-01-01T10:15:00Z');
    await harness.deploy(scheduledFlow('f', schedule('0 * * * *')));
    await harness.clock.advanceTo('2025-01-01T11:00:00Z');
    await harness.deploy(scheduledFlow('f', schedule('*/10 * * * *')));
    expect((await harness.scheduler.getTrigger('test.sched', 'f', 's')).nextExecutionDate).toBe(
      '2025-01-01T11:10:00Z',
    );

    await harness.local.store.deleteFlow('test.sched', 'f');
    await harness.scheduler.flowChanged('test.sched', 'f');
    const error = await harness.scheduler.getTrigger('test.sched', 'f', 's').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WindhoverError);
    expect((error as WindhoverError).code).toBe('WH_TRIGGER_NOT_FOUND');
    await harness.clock.advanceTo('2025-01-01T12:05:00Z');
    expect(await harness.dates('f')).toEqual(['2025-01-01T11:00:00Z']);

    // Saved again: no slot of the time it was deleted is recovered.
    await harness.deploy(scheduledFlow('f', schedule('*/10 * * * *')));
    await harness.clock.advanceTo('2025-01-01T12:10:00Z');
    expect(await harness.dates('f')).toEqual(['2025-01-01T11:00:00Z', '2025-01-01T12:10:00Z']);
  });
});
