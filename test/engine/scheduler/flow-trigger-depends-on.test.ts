/**
 * Flow trigger preconditions as Kestra evaluates them today: `where` filters IS_TRUE/IS_FALSE by
 * truthiness (TruthUtils), and the newer `dependsOn` / `window` / `mode` / `minSatisfied` form.
 */
import { describe, expect, it } from 'vitest';
import { evaluateFlowTrigger } from '../../../src/engine/scheduler/flow-trigger.js';
import type { PreconditionMemory } from '../../../src/engine/scheduler/memory.js';
import { renderer } from '../../../src/engine/scheduler/firing.js';
import type { Execution } from '../../../src/engine/model.js';
import type { FlowTrigger } from '../../../src/flow/model.js';

function upstream(flowId: string, state = 'SUCCESS', labels: Execution['labels'] = []): Execution {
  return {
    id: `e-${flowId}`,
    namespace: 'company.team',
    flowId,
    flowRevision: 1,
    state: {
      current: state as Execution['state']['current'],
      histories: [],
      startDate: '2025-01-01T00:00:00Z',
    },
    inputs: {},
    labels,
    taskRunList: [],
    version: 1,
  };
}

const render = renderer({}, 'UTC');
const TYPE = 'io.kestra.plugin.core.trigger.Flow';

/** Feeds upstream executions one after the other (a minute apart); which of them fired. */
function fired(trigger: Record<string, unknown>, runs: Execution[]): boolean[] {
  let memory: PreconditionMemory | undefined;
  return runs.map((run, i) => {
    const decision = evaluateFlowTrigger(
      trigger as FlowTrigger,
      run,
      memory,
      new Date(Date.parse('2025-01-01T10:00:00Z') + i * 60_000),
      render,
      'UTC',
    );
    memory = decision.preconditions ?? memory;
    return decision.fire;
  });
}

describe('Flow trigger where filters', () => {
  it('tests IS_TRUE and IS_FALSE by truthiness, as Kestra does', () => {
    const where = (type: string, value: string) => ({
      id: 't',
      type: TYPE,
      preconditions: { id: 'p', where: [{ id: 'w', filters: [{ field: 'EXPRESSION', type, value }] }] },
    });
    expect(fired(where('IS_TRUE', '1'), [upstream('a')])).toEqual([true]);
    expect(fired(where('IS_TRUE', 'yes'), [upstream('a')])).toEqual([true]);
    expect(fired(where('IS_TRUE', '0'), [upstream('a')])).toEqual([false]);
    expect(fired(where('IS_FALSE', ''), [upstream('a')])).toEqual([true]);
    expect(fired(where('IS_FALSE', 'no'), [upstream('a')])).toEqual([false]);
  });
});

describe('Flow trigger dependsOn', () => {
  const dependsOn = [
    { namespace: 'company.team', flowId: 'a', states: ['SUCCESS'] },
    { namespace: 'company.team', flowId: 'b' },
    { flowId: 'c', labels: { team: 'data' } },
  ];

  it('fires once every dependency was met in the window, and again each time after (fireOnce false)', () => {
    const trigger = { id: 't', type: TYPE, dependsOn: dependsOn.slice(0, 2) };
    expect(fired(trigger, [upstream('a'), upstream('a', 'FAILED'), upstream('b'), upstream('b')])).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('resets after firing with window.fireOnce', () => {
    const trigger = { id: 't', type: TYPE, dependsOn: dependsOn.slice(0, 2), window: { fireOnce: true } };
    expect(fired(trigger, [upstream('a'), upstream('b'), upstream('b'), upstream('a')])).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('fires on any dependency with mode ANY, and on minSatisfied of them with AT_LEAST', () => {
    expect(fired({ id: 't', type: TYPE, dependsOn, mode: 'ANY' }, [upstream('x'), upstream('b')])).toEqual([
      false,
      true,
    ]);
    const atLeast = { id: 't', type: TYPE, dependsOn, mode: 'AT_LEAST', minSatisfied: 2 };
    const labelled = upstream('c', 'SUCCESS', [{ key: 'team', value: 'data' }]);
    expect(fired(atLeast, [upstream('c'), labelled, upstream('b')])).toEqual([false, false, true]);
  });

  it('renders a dependency `when` and keeps daily deadlines of `window`', () => {
    const gated = { id: 't', type: TYPE, dependsOn: [{ flowId: 'a', when: '{{ 1 == 2 }}' }] };
    expect(fired(gated, [upstream('a')])).toEqual([false]);
    const late = { id: 't', type: TYPE, dependsOn: [{ flowId: 'a' }], window: { deadline: '09:00:00' } };
    expect(fired(late, [upstream('a')])).toEqual([false]);
    const open = {
      id: 't',
      type: TYPE,
      dependsOn: [{ flowId: 'a' }],
      window: { from: '09:00:00', to: '11:00:00' },
    };
    expect(fired(open, [upstream('a')])).toEqual([true]);
  });
});
