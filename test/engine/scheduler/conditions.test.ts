/** Condition and precondition evaluation, without a runtime. */
import { describe, expect, it } from 'vitest';
import { conditionsHold } from '../../../src/engine/scheduler/conditions.js';
import { evaluateFlowTrigger } from '../../../src/engine/scheduler/flow-trigger.js';
import { renderer } from '../../../src/engine/scheduler/firing.js';
import type { Execution } from '../../../src/engine/model.js';

const C = 'io.kestra.plugin.core.condition.';
const at = (date: string) => renderer({ trigger: { date } }, 'UTC');

describe('date conditions', () => {
  it('reads the day of the week in the offset the date is written with', () => {
    const monday = [{ type: `${C}DayWeek`, dayOfWeek: 'MONDAY' }];
    // 23:30 on Sunday in New York is Monday in UTC: the trigger's zone decides.
    expect(conditionsHold(monday, { render: at('2025-01-05T23:30:00-05:00') })).toBe(false);
    expect(conditionsHold(monday, { render: at('2025-01-06T04:30:00Z') })).toBe(true);
  });

  it('finds the last weekday of a month, and the second', () => {
    const last = [{ type: `${C}DayWeekInMonth`, dayOfWeek: 'FRIDAY', dayInMonth: 'LAST' }];
    expect(conditionsHold(last, { render: at('2025-01-31T09:00:00Z') })).toBe(true);
    expect(conditionsHold(last, { render: at('2025-01-24T09:00:00Z') })).toBe(false);
    const second = [{ type: `${C}DayWeekInMonth`, dayOfWeek: 'FRIDAY', dayInMonth: 'SECOND' }];
    expect(conditionsHold(second, { render: at('2025-01-10T09:00:00Z') })).toBe(true);
    expect(conditionsHold(second, { render: at('2025-01-03T09:00:00Z') })).toBe(false);
  });

  it('compares instants for DateTimeBetween and times of day with offsets for TimeBetween', () => {
    const between = [
      { type: `${C}DateTimeBetween`, after: '2025-01-01T00:00:00+01:00', before: '2025-01-31T23:59:59Z' },
    ];
    expect(conditionsHold(between, { render: at('2024-12-31T23:30:00Z') })).toBe(true);
    expect(conditionsHold(between, { render: at('2024-12-31T22:30:00Z') })).toBe(false);
    const evening = [{ type: `${C}TimeBetween`, after: '16:00:00+02:00', before: '20:00:00+02:00' }];
    expect(conditionsHold(evening, { render: at('2025-06-01T14:30:00Z') })).toBe(true);
    expect(conditionsHold(evening, { render: at('2025-06-01T16:30:00+02:00') })).toBe(true);
    expect(conditionsHold(evening, { render: at('2025-06-01T19:30:00Z') })).toBe(false);
  });

  it('evaluates Not, Or and Expression, and refuses a type it cannot evaluate', () => {
    const weekday = [{ type: `${C}Not`, conditions: [{ type: `${C}Weekend` }] }];
    expect(conditionsHold(weekday, { render: at('2025-01-04T09:00:00Z') })).toBe(false);
    expect(conditionsHold(weekday, { render: at('2025-01-06T09:00:00Z') })).toBe(true);
    const expression = [{ type: `${C}Expression`, expression: "{{ trigger.date | date('HH') == '09' }}" }];
    expect(conditionsHold(expression, { render: at('2025-01-06T09:00:00Z') })).toBe(true);
    expect(conditionsHold(expression, { render: at('2025-01-06T10:00:00Z') })).toBe(false);
    expect(() =>
      conditionsHold([{ type: `${C}PublicHoliday` }], { render: at('2025-01-06T09:00:00Z') }),
    ).toThrow(/not supported/);
  });
});

function upstream(flowId: string, state: Execution['state']['current'] = 'SUCCESS'): Execution {
  return {
    id: `e-${flowId}`,
    namespace: 'company.team',
    flowId,
    flowRevision: 1,
    state: { current: state, histories: [], startDate: '2025-01-01T00:00:00Z' },
    inputs: {},
    labels: [],
    taskRunList: [],
    version: 1,
  };
}

describe('Flow trigger preconditions', () => {
  const render = renderer({}, 'UTC');

  it('matches where filters and keeps results in a sliding window', () => {
    const trigger = {
      id: 't',
      type: 'io.kestra.plugin.core.trigger.Flow',
      preconditions: {
        id: 'p',
        timeWindow: { type: 'SLIDING_WINDOW', window: 'PT1H' },
        where: [
          { id: 'a', filters: [{ field: 'FLOW_ID', type: 'STARTS_WITH', value: 'load_' }] },
          { id: 'b', operand: 'OR', filters: [{ field: 'FLOW_ID', type: 'IN', values: ['check', 'audit'] }] },
        ],
      },
    };
    const first = evaluateFlowTrigger(
      trigger,
      upstream('load_x'),
      undefined,
      new Date('2025-01-01T10:00:00Z'),
      render,
      'UTC',
    );
    expect(first.fire).toBe(false);
    expect(Object.keys(first.preconditions!.results)).toEqual(['where.a']);
    // Two hours later the first result slid out of the window.
    const late = evaluateFlowTrigger(
      trigger,
      upstream('audit'),
      first.preconditions,
      new Date('2025-01-01T12:00:00Z'),
      render,
      'UTC',
    );
    expect(late.fire).toBe(false);
    const inTime = evaluateFlowTrigger(
      trigger,
      upstream('audit'),
      first.preconditions,
      new Date('2025-01-01T10:30:00Z'),
      render,
      'UTC',
    );
    expect(inTime.fire).toBe(true);
    expect(inTime.preconditions!.results).toEqual({});
  });

  it('ignores upstream executions after a daily deadline, and states not listened to', () => {
    const trigger = {
      id: 't',
      type: 'io.kestra.plugin.core.trigger.Flow',
      states: ['SUCCESS'],
      preconditions: {
        id: 'p',
        timeWindow: { type: 'DAILY_TIME_DEADLINE', deadline: '09:00:00' },
        flows: [{ namespace: 'company.team', flowId: 'bronze' }],
      },
    };
    expect(
      evaluateFlowTrigger(
        trigger,
        upstream('bronze'),
        undefined,
        new Date('2025-01-01T08:00:00Z'),
        render,
        'UTC',
      ).fire,
    ).toBe(true);
    expect(
      evaluateFlowTrigger(
        trigger,
        upstream('bronze'),
        undefined,
        new Date('2025-01-01T09:30:00Z'),
        render,
        'UTC',
      ).fire,
    ).toBe(false);
    expect(
      evaluateFlowTrigger(
        trigger,
        upstream('bronze', 'FAILED'),
        undefined,
        new Date('2025-01-01T08:00:00Z'),
        render,
        'UTC',
      ).fire,
    ).toBe(false);
  });
});
