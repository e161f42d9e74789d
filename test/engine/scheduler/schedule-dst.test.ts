/**
 * Schedule slots across DST changes and months, on a fake clock: the trigger dates of the
 * executions created are the slots, each once, in the trigger's zone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openHarness, removeData, scheduledFlow } from './support.js';
import type { Harness } from './support.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (!harness) return;
  await harness.close();
  removeData(harness.dataDir);
  harness = undefined;
});

async function slotsOf(start: string, end: string, trigger: string): Promise<string[]> {
  harness = await openHarness(start);
  await harness.deploy(scheduledFlow('f', trigger));
  await harness.clock.advanceTo(end);
  return harness.dates('f');
}

describe('Schedule across DST in America/New_York', () => {
  it('fires a 02:30 slot skipped by the spring change once, at 03:00 EDT', async () => {
    const dates = await slotsOf(
      '2025-03-07T12:00:00Z',
      '2025-03-11T12:00:00Z',
      `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "30 2 * * *"
  timezone: America/New_York`,
    );
    expect(dates).toEqual([
      '2025-03-08T02:30:00-05:00',
      '2025-03-09T03:00:00-04:00',
      '2025-03-10T02:30:00-04:00',
      '2025-03-11T02:30:00-04:00',
    ]);
  });

  it('fires a 01:30 slot in the hour repeated by the fall change once, at its first occurrence', async () => {
    const dates = await slotsOf(
      '2025-10-31T12:00:00Z',
      '2025-11-03T12:00:00Z',
      `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "30 1 * * *"
  timezone: America/New_York`,
    );
    expect(dates).toEqual([
      '2025-11-01T01:30:00-04:00',
      '2025-11-02T01:30:00-04:00',
      '2025-11-03T01:30:00-05:00',
    ]);
  });

  it('fires an hourly schedule every real hour: none extra in spring, both 01:00 in the fall', async () => {
    harness = await openHarness('2025-03-09T05:30:00Z');
    await harness.deploy(
      scheduledFlow(
        'spring',
        `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 * * * *"
  timezone: America/New_York`,
      ),
    );
    await harness.clock.advanceTo('2025-03-09T08:30:00Z');
    expect(await harness.dates('spring')).toEqual([
      '2025-03-09T01:00:00-05:00',
      '2025-03-09T03:00:00-04:00',
      '2025-03-09T04:00:00-04:00',
    ]);
    await harness.close();
    removeData(harness.dataDir);

    harness = await openHarness('2025-11-02T03:30:00Z');
    await harness.deploy(
      scheduledFlow(
        'fall',
        `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "@hourly"
  timezone: America/New_York`,
      ),
    );
    await harness.clock.advanceTo('2025-11-02T07:30:00Z');
    expect(await harness.dates('fall')).toEqual([
      '2025-11-02T00:00:00-04:00',
      '2025-11-02T01:00:00-04:00',
      '2025-11-02T01:00:00-05:00',
      '2025-11-02T02:00:00-05:00',
    ]);
  });
});

describe('Schedule across DST in Europe/Paris', () => {
  it('fires 02:30 on the spring-change day at 03:00 CEST, and once on the fall-change day', async () => {
    const spring = await slotsOf(
      '2025-03-29T00:00:00Z',
      '2025-03-31T12:00:00Z',
      `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "30 2 * * *"
  timezone: Europe/Paris`,
    );
    expect(spring).toEqual([
      '2025-03-29T02:30:00+01:00',
      '2025-03-30T03:00:00+02:00',
      '2025-03-31T02:30:00+02:00',
    ]);
    await harness!.close();
    removeData(harness!.dataDir);
    harness = undefined;

    const fall = await slotsOf(
      '2025-10-25T00:00:00Z',
      '2025-10-27T12:00:00Z',
      `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "30 2 * * *"
  timezone: Europe/Paris`,
    );
    expect(fall).toEqual([
      '2025-10-25T02:30:00+02:00',
      '2025-10-26T02:30:00+02:00',
      '2025-10-27T02:30:00+01:00',
    ]);
  });

  it('fires an hourly schedule in both occurrences of the repeated 02:00 hour', async () => {
    const dates = await slotsOf(
      '2025-10-25T23:30:00Z',
      '2025-10-26T02:30:00Z',
      `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 * * * *"
  timezone: Europe/Paris`,
    );
    expect(dates).toEqual([
      '2025-10-26T02:00:00+02:00',
      '2025-10-26T02:00:00+01:00',
      '2025-10-26T03:00:00+01:00',
    ]);
  });
});

describe('Schedule monthly slots', () => {
  it('fires `0 9 1 * *` on the first of each month at 09:00 Paris time, winter and summer', async () => {
    harness = await openHarness('2025-01-15T00:00:00Z');
    await harness.deploy(
      scheduledFlow(
        'monthly',
        `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 9 1 * *"
  timezone: Europe/Paris`,
      ),
    );
    await harness.clock.advanceTo('2025-05-15T00:00:00Z');
    const executions = await harness.executions('monthly');
    expect(executions.map((e) => e.trigger?.variables)).toEqual([
      {
        date: '2025-02-01T09:00:00+01:00',
        next: '2025-03-01T09:00:00+01:00',
        previous: '2025-01-01T09:00:00+01:00',
      },
      {
        date: '2025-03-01T09:00:00+01:00',
        next: '2025-04-01T09:00:00+02:00',
        previous: '2025-02-01T09:00:00+01:00',
      },
      {
        date: '2025-04-01T09:00:00+02:00',
        next: '2025-05-01T09:00:00+02:00',
        previous: '2025-03-01T09:00:00+01:00',
      },
      {
        date: '2025-05-01T09:00:00+02:00',
        next: '2025-06-01T09:00:00+02:00',
        previous: '2025-04-01T09:00:00+02:00',
      },
    ]);
    expect(executions.every((e) => e.trigger?.type === 'io.kestra.plugin.core.trigger.Schedule')).toBe(true);
  });
});
