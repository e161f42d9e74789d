/**
 * Schedule triggers over restarts: recoverMissedSchedules after downtime, no duplicate after a
 * restart right after firing, disabled triggers and flows, stopAfter, conditions, inputs and
 * labels — on a fake clock, with a real runtime and SQLite store reopened on the same folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { harnessPool, scheduledFlow, triggerDate } from './support.js';
import type { Harness } from './support.js';

const { start, stop, closeAll } = harnessPool();

afterEach(closeAll);

const hourly = (recover: string) =>
  scheduledFlow(
    'hourly',
    `- id: every_hour
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 * * * *"
  recoverMissedSchedules: ${recover}`,
  );

describe('recoverMissedSchedules after a 3-day downtime', () => {
  async function downtime(recover: string): Promise<{ dates: string[]; harness: Harness }> {
    const first = await start('2025-01-01T00:30:00Z');
    await first.deploy(hourly(recover));
    await first.clock.advanceTo('2025-01-01T01:30:00Z');
    expect(await first.dates('hourly')).toEqual(['2025-01-01T01:00:00Z']);
    await stop(first);
    // Three days later.
    const second = await start('2025-01-04T01:30:00Z', first.dataDir);
    await second.clock.advanceTo('2025-01-04T01:30:00Z');
    return { dates: await second.dates('hourly'), harness: second };
  }

  it('ALL fires every missed slot, oldest first, then goes on', async () => {
    const { dates, harness } = await downtime('ALL');
    expect(dates).toHaveLength(1 + 72);
    expect(dates[1]).toBe('2025-01-01T02:00:00Z');
    expect(dates[72]).toBe('2025-01-04T01:00:00Z');
    expect(new Set(dates).size).toBe(dates.length);
    await harness.clock.advanceTo('2025-01-04T02:00:00Z');
    expect((await harness.dates('hourly')).at(-1)).toBe('2025-01-04T02:00:00Z');
  });

  it('LAST fires only the last missed slot', async () => {
    const { dates, harness } = await downtime('LAST');
    expect(dates).toEqual(['2025-01-01T01:00:00Z', '2025-01-04T01:00:00Z']);
    const last = (await harness.executions('hourly')).at(-1);
    expect(last?.trigger?.variables).toEqual({
      date: '2025-01-04T01:00:00Z',
      next: '2025-01-04T02:00:00Z',
      previous: '2025-01-04T00:00:00Z',
    });
  });

  it('NONE fires no missed slot, only the next ones', async () => {
    const { dates, harness } = await downtime('NONE');
    expect(dates).toEqual(['2025-01-01T01:00:00Z']);
    await harness.clock.advanceTo('2025-01-04T02:00:00Z');
    expect(await harness.dates('hourly')).toEqual(['2025-01-01T01:00:00Z', '2025-01-04T02:00:00Z']);
  });
});

describe('lateMaximumDelay', () => {
  it('skips recovered slots older than the delay, and fires those within it', async () => {
    const first = await start('2025-01-01T00:30:00Z');
    await first.deploy(
      scheduledFlow(
        'late',
        `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "0 * * * *"
  lateMaximumDelay: PT2H30M`,
      ),
    );
    await stop(first);
    const second = await start('2025-01-01T10:15:00Z', first.dataDir);
    await second.clock.advanceTo('2025-01-01T10:15:00Z');
    // Missed 01:00 to 10:00 (ALL): only those at most 2 h 30 min old fire.
    expect(await second.dates('late')).toEqual([
      '2025-01-01T08:00:00Z',
      '2025-01-01T09:00:00Z',
      '2025-01-01T10:00:00Z',
    ]);
  });
});

describe('exactly once', () => {
  it('does not fire a slot again when the process restarts right after firing it', async () => {
    const first = await start('2025-01-01T00:59:59Z');
    await first.deploy(hourly('ALL'));
    await first.clock.advanceTo('2025-01-01T01:00:00Z');
    expect(await first.dates('hourly')).toEqual(['2025-01-01T01:00:00Z']);
    await stop(first);
    const second = await start('2025-01-01T01:00:00.010Z', first.dataDir);
    await second.clock.advanceTo('2025-01-01T01:59:00Z');
    expect(await second.dates('hourly')).toEqual(['2025-01-01T01:00:00Z']);
  });

  it('commits the trigger state with the execution also for a flow with a concurrency limit', async () => {
    // Such a flow is created, then admitted: the runtime's other path of insertion.
    const flow = hourly('ALL').replace('tasks:', 'concurrency:\n  limit: 1\ntasks:');
    const first = await start('2025-01-01T00:59:59Z');
    await first.deploy(flow);
    await first.clock.advanceTo('2025-01-01T01:00:00Z');
    expect(await first.dates('hourly')).toEqual(['2025-01-01T01:00:00Z']);
    await stop(first);
    const second = await start('2025-01-01T01:00:00.010Z', first.dataDir);
    await second.clock.advanceTo('2025-01-01T02:00:00Z');
    expect(await second.dates('hourly')).toEqual(['2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z']);
  });

  it('starts a brand-new trigger at now, not at some past slot', async () => {
    const harness = await start('2025-01-01T10:30:00Z');
    await harness.deploy(hourly('ALL'));
    await harness.clock.advanceTo('2025-01-01T10:59:00Z');
    expect(await harness.dates('hourly')).toEqual([]);
    await harness.clock.advanceTo('2025-01-01T11:00:00Z');
    expect(await harness.dates('hourly')).toEqual(['2025-01-01T11:00:00Z']);
  });
});

describe('disabled', () => {
  it('never fires a trigger disabled in the YAML, nor any trigger of a disabled flow', async () => {
    const harness = await start('2025-01-01T00:00:00Z');
    await harness.deploy(
      scheduledFlow(
        'off_trigger',
        `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "*/10 * * * *"
  disabled: true`,
      ),
    );
    await harness.deploy(
      scheduledFlow(
        'off_flow',
        `- id: s
  type: io.kestra.plugin.core.trigger.Schedule
  cron: "*/10 * * * *"`,
        'disabled: true\n',
      ),
    );
    await harness.clock.advanceTo('2025-01-01T02:00:00Z');
    expect(await harness.dates('off_trigger')).toEqual([]);
    expect(await harness.dates('off_flow')).toEqual([]);
    const view = await harness.scheduler.getTrigger('test.sched', 'off_flow', 's');
    expect(view.disabled).toBe(true);
    expect(view.nextExecutionDate).toBeUndefined();
  });

  it('keeps a trigger disabled through the API across a restart, and recovers per policy once enabled', async () => {
    const first = await start('2025-01-01T00:30:00Z');
    await first.deploy(hourly('LAST'));
    await first.scheduler.setTriggerDisabled('test.sched', 'hourly', 'every_hour', true);
    await first.clock.advanceTo('2025-01-01T03:30:00Z');
    expect(await first.dates('hourly')).toEqual([]);
    await stop(first);
    const second = await start('2025-01-01T05:30:00Z', first.dataDir);
    await second.clock.advanceTo('2025-01-01T06:30:00Z');
    expect(await second.dates('hourly')).toEqual([]);
    expect((await second.scheduler.getTrigger('test.sched', 'hourly', 'every_hour')).disabled).toBe(true);
    const enabled = await second.scheduler.setTriggerDisabled('test.sched', 'hourly', 'every_hour', false);
    expect(enabled.disabled).toBe(false);
    await second.clock.advanceTo('2025-01-01T07:00:00Z');
    // LAST: of the slots missed while disabled, only 06:00; then 07:00.
    expect(await second.dates('hourly')).toEqual(['2025-01-01T06:00:00Z', '2025-01-01T07:00:00Z']);
  });
});

describe('stopAfter', () => {
  it('disables the trigger once an execution it started ends in a listed state', async () => {
    const harness = await start('2025-01-01T00:00:00Z');
    await harness.deploy(`id: failing
namespace: test.sched
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: boom
triggers:
  - id: s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/10 * * * *"
    stopAfter: [FAILED]
`);
    await harness.clock.advanceTo('2025-01-01T00:10:00Z');
    const [execution] = await harness.executions('failing');
    expect(execution).toBeDefined();
    const ended = await harness.local.runtime.waitForEnd(execution!.id);
    expect(ended.state.current).toBe('FAILED');
    await harness.clock.settle();
    const view = await harness.scheduler.getTrigger('test.sched', 'failing', 's');
    expect(view).toMatchObject({ disabled: true, stoppedBy: execution!.id });
    await harness.clock.advanceTo('2025-01-01T01:00:00Z');
    expect(await harness.dates('failing')).toEqual(['2025-01-01T00:10:00Z']);
  });
});

describe('conditions, inputs and labels', () => {
  it('skips slots whose conditions fail, and renders inputs with the trigger variables', async () => {
    const harness = await start('2025-01-05T12:00:00Z'); // a Sunday
    await harness.deploy(`id: weekdays
namespace: test.sched
inputs:
  - id: day
    type: STRING
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.day }}"
triggers:
  - id: s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    timezone: Europe/Paris
    inputs:
      day: "{{ trigger.date | date('EEEE') }}"
    labels:
      source: schedule
    conditions:
      - type: io.kestra.plugin.core.condition.Not
        conditions:
          - type: io.kestra.plugin.core.condition.Weekend
      - type: io.kestra.plugin.core.condition.Or
        conditions:
          - type: io.kestra.plugin.core.condition.DayWeek
            dayOfWeek: MONDAY
          - type: io.kestra.plugin.core.condition.DayWeekInMonth
            dayOfWeek: FRIDAY
            dayInMonth: SECOND
`);
    await harness.clock.advanceTo('2025-01-20T12:00:00Z');
    const executions = await harness.executions('weekdays');
    // Mondays 6, 13, 20 and the second Friday (10); never a weekend day.
    expect(executions.map(triggerDate)).toEqual([
      '2025-01-06T11:00:00+01:00',
      '2025-01-10T11:00:00+01:00',
      '2025-01-13T11:00:00+01:00',
      '2025-01-20T11:00:00+01:00',
    ]);
    expect(executions.map((e) => e.inputs.day)).toEqual(['Monday', 'Friday', 'Monday', 'Monday']);
    const labels = executions[0]!.labels;
    expect(labels).toContainEqual({ key: 'source', value: 'schedule' });
    expect(labels).toContainEqual({ key: 'system.correlationId', value: executions[0]!.id });
    // Skipped slots moved the trigger on: a restart does not fire them.
    expect((await harness.scheduler.getTrigger('test.sched', 'weekdays', 's')).nextExecutionDate).toBe(
      '2025-01-21T11:00:00+01:00',
    );
  });
});
