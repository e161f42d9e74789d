/**
 * Kestra's deprecated state tasks (`io.kestra.core.tasks.states.Get|Set|Delete`): a JSON map per
 * state `name`, kept in the flow's namespace KV store as Kestra 0.20+ keeps it, by flow (or for
 * the whole namespace with `namespace: true`) and by ForEach value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { warningsOf } from '../../helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const flow = (id: string, tasks: string) => `id: ${id}\nnamespace: test.states\ntasks:\n${tasks}`;

describe('state tasks', () => {
  const roundTrip = flow(
    'round_trip',
    `  - id: empty
    type: io.kestra.core.tasks.states.Get
  - id: first
    type: io.kestra.core.tasks.states.Set
    data:
      "{{ flow.id }}": one
      nested: { a: 1 }
  - id: second
    type: io.kestra.plugin.core.state.Set
    data:
      other: two
      nested: { b: 2 }
  - id: read
    type: io.kestra.core.tasks.states.Get
  - id: remove
    type: io.kestra.core.tasks.states.Delete
  - id: again
    type: io.kestra.core.tasks.states.Get
  - id: remove_again
    type: io.kestra.core.tasks.states.Delete
`,
  );

  it('warns that each name is deprecated in favour of the KV tasks', () => {
    expect(warningsOf(roundTrip)).toContainEqual(
      '5:11 `io.kestra.core.tasks.states.Get` is deprecated; use the KV store tasks (`io.kestra.plugin.core.kv.Get`, `Set`, `Delete`)',
    );
  });

  it('sets by merging into the map, gets it, deletes it', async () => {
    const e = await rt.run(roundTrip);
    expect(e.state.current).toBe('SUCCESS');
    expect(outputsOf(e, 'empty')).toEqual({ count: 0, data: {} });
    expect(outputsOf(e, 'first')).toEqual({ count: 2, key: 'round_trip_states_tasks-states_default' });
    expect(outputsOf(e, 'second')).toEqual({ count: 3, key: 'round_trip_states_tasks-states_default' });
    expect(outputsOf(e, 'read')).toEqual({
      count: 3,
      data: { round_trip: 'one', other: 'two', nested: { a: 1, b: 2 } },
    });
    expect(outputsOf(e, 'remove')).toEqual({ deleted: true });
    expect(outputsOf(e, 'again')).toEqual({ count: 0, data: {} });
    expect(outputsOf(e, 'remove_again')).toEqual({ deleted: false });
  });

  it('keeps a state from one execution to the next, apart per flow unless `namespace: true`', async () => {
    const writer = flow(
      'writer',
      `  - id: own
    type: io.kestra.core.tasks.states.Set
    name: counter
    data: { seen: "{{ execution.id }}" }
  - id: shared
    type: io.kestra.core.tasks.states.Set
    namespace: true
    data: { by: writer }
`,
    );
    const first = await rt.run(writer);
    const reader = flow(
      'reader',
      `  - id: own
    type: io.kestra.core.tasks.states.Get
    name: counter
  - id: shared
    type: io.kestra.core.tasks.states.Get
    namespace: true
`,
    );
    const read = await rt.run(reader);
    expect(outputsOf(read, 'own')).toEqual({ count: 0, data: {} });
    expect(outputsOf(read, 'shared')).toEqual({ count: 1, data: { by: 'writer' } });
    const readOwn = await rt.run(
      flow(
        'writer',
        `  - id: own
    type: io.kestra.core.tasks.states.Get
    name: counter
`,
      ),
    );
    expect(outputsOf(readOwn, 'own')).toEqual({ count: 1, data: { seen: first.id } });
  });

  it('keeps one state per ForEach value unless `taskrunValue: false`', async () => {
    const e = await rt.run(
      flow(
        'per_value',
        `  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: mine
        type: io.kestra.core.tasks.states.Set
        name: items
        data: { "{{ taskrun.value }}": true }
      - id: common
        type: io.kestra.core.tasks.states.Set
        name: items
        taskrunValue: false
        data: { "{{ taskrun.value }}": true }
  - id: all
    type: io.kestra.core.tasks.states.Get
    name: items
`,
      ),
    );
    expect(outputsOf(e, 'mine', 'b')).toMatchObject({ count: 1 });
    expect(outputsOf(e, 'common', 'b')).toMatchObject({ count: 2 });
    expect(outputsOf(e, 'all')).toEqual({ count: 2, data: { a: true, b: true } });
  });

  it('fails on a missing state with `errorOnMissing`', async () => {
    const e = await rt.run(
      flow(
        'missing',
        `  - id: get
    type: io.kestra.core.tasks.states.Get
    name: nothing_here
    errorOnMissing: true
    allowFailure: true
  - id: delete
    type: io.kestra.core.tasks.states.Delete
    name: nothing_here
    errorOnMissing: true
`,
      ),
    );
    expect(statesOf(e)).toEqual({ get: 'WARNING', delete: 'FAILED' });
    const errors = (await rt.logs(e.id)).filter(
      (l) => l.startsWith('ERROR get') || l.startsWith('ERROR delete'),
    );
    expect(errors).toEqual([
      'ERROR get The state `nothing_here` of flow test.states.missing does not exist, and `errorOnMissing` is true',
      'ERROR delete The state `nothing_here` of flow test.states.missing does not exist, and `errorOnMissing` is true',
    ]);
  });
});
