/**
 * KV tasks (Set, Get, Delete, GetKeys) and the `kv()` function, through real flows on the
 * SQLite store: typed values, TTL expiry, key rules, missing keys.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKvKey, KvKeyError } from '../../src/engine/worker/kv-keys.js';
import { outputsOf, startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 4 });
});
afterAll(async () => {
  await rt.dispose();
});

/** A flow of the given tasks (YAML, indented as list items under `tasks:`). */
function flow(id: string, tasks: string, namespace = 'test.kv'): string {
  return `id: ${id}\nnamespace: ${namespace}\ntasks:\n${tasks}`;
}

async function errorLogs(executionId: string): Promise<string> {
  return (await rt.logs(executionId)).filter((l) => l.startsWith('ERROR')).join('\n');
}

describe('kv.Set and kv.Get', () => {
  it('stores typed values from rendered strings (kvType) and reads them back with their type', async () => {
    const execution = await rt.run(
      flow(
        'typed',
        `  - id: number
    type: io.kestra.plugin.core.kv.Set
    key: n
    value: "5"
    kvType: NUMBER
  - id: boolean
    type: io.kestra.plugin.core.kv.Set
    key: b
    value: "TRUE"
    kvType: BOOLEAN
  - id: json
    type: io.kestra.plugin.core.kv.Set
    key: j
    value: '{"a": [1, 2], "b": "x"}'
    kvType: JSON
  - id: date
    type: io.kestra.plugin.core.kv.Set
    key: d
    value: "2024-05-01"
    kvType: DATE
  - id: datetime
    type: io.kestra.plugin.core.kv.Set
    key: dt
    value: "2024-05-01T10:15:00Z"
    kvType: DATETIME
  - id: duration
    type: io.kestra.plugin.core.kv.Set
    key: du
    value: "pt30m"
    kvType: DURATION
  - id: plain
    type: io.kestra.plugin.core.kv.Set
    key: s
    value: "{{ 40 + 2 }}"
    kvDescription: an answer
  - id: get_n
    type: io.kestra.plugin.core.kv.Get
    key: n
  - id: get_j
    type: io.kestra.plugin.core.kv.Get
    key: j
  - id: sum
    type: io.kestra.plugin.core.debug.Return
    format: "{{ kv('n') + 1 }} {{ kv('b') }} {{ kv('j').a[1] }} {{ kv('d') }} {{ kv('du') }} {{ kv('s') }}"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'get_n')).toEqual({ value: 5 });
    expect(outputsOf(execution, 'get_j')).toEqual({ value: { a: [1, 2], b: 'x' } });
    expect(outputsOf(execution, 'sum')).toEqual({ value: '6 true 2 2024-05-01 PT30M 42' });
    const entries = await rt.store.kvList('test.kv');
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey.n?.type).toBe('NUMBER');
    expect(byKey.b).toMatchObject({ type: 'BOOLEAN', value: true });
    expect(byKey.j?.type).toBe('JSON');
    expect(byKey.dt).toMatchObject({ type: 'DATETIME', value: '2024-05-01T10:15:00Z' });
    expect(byKey.s).toMatchObject({ type: 'NUMBER', value: 42, description: 'an answer' });
  });

  it('`{{ kv.name }}` sugar and kv() read a value set earlier in the same flow', async () => {
    const execution = await rt.run(
      flow(
        'sugar',
        `  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: greeting
    value: "hello {{ flow.id }}"
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "sugar={{ kv.greeting }} fn={{ kv('greeting') }}"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(await rt.logs(execution.id)).toContain('INFO log sugar=hello sugar fn=hello sugar');
  });

  it('a value set in another namespace is read with `namespace`, not inherited', async () => {
    const execution = await rt.run(
      flow(
        'other_ns',
        `  - id: set
    type: io.kestra.plugin.core.kv.Set
    namespace: test.kv.other
    key: shared
    value: elsewhere
  - id: get_other
    type: io.kestra.plugin.core.kv.Get
    namespace: test.kv.other
    key: shared
  - id: get_here
    type: io.kestra.plugin.core.kv.Get
    key: shared
  - id: fn
    type: io.kestra.plugin.core.debug.Return
    format: "{{ kv('shared', 'test.kv.other') }}|{{ kv('shared', errorOnMissing=false) }}"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'get_other')).toEqual({ value: 'elsewhere' });
    expect(outputsOf(execution, 'get_here')).toEqual({ value: null });
    expect(outputsOf(execution, 'fn')).toEqual({ value: 'elsewhere|' });
  });

  it('overwrite: false fails when the key exists, naming it', async () => {
    await rt.store.kvPut({ namespace: 'test.kv', key: 'taken', type: 'STRING', value: 'first' });
    const execution = await rt.run(
      flow(
        'no_overwrite',
        `  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: taken
    value: second
    overwrite: false
`,
      ),
    );
    expect(statesOf(execution)).toEqual({ set: 'FAILED' });
    expect(await errorLogs(execution.id)).toMatch(/`taken` already exists in namespace `test.kv`.*overwrite/);
    expect((await rt.store.kvGet('test.kv', 'taken'))?.value).toBe('first');
  });

  it('ttl: the value expires; Get with errorOnMissing false then gives null', async () => {
    const setup = await rt.run(
      flow(
        'ttl_set',
        `  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: short_lived
    value: soon gone
    ttl: PT1S
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: short_lived
`,
      ),
    );
    expect(outputsOf(setup, 'get')).toEqual({ value: 'soon gone' });
    const entry = await rt.store.kvGet('test.kv', 'short_lived');
    expect(entry?.expiresAt).toBeDefined();
    await sleep(1100);
    const later = await rt.run(
      flow(
        'ttl_get',
        `  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: short_lived
    errorOnMissing: false
  - id: strict
    type: io.kestra.plugin.core.kv.Get
    key: short_lived
    errorOnMissing: true
`,
      ),
    );
    expect(outputsOf(later, 'get')).toEqual({ value: null });
    expect(statesOf(later)).toEqual({ get: 'SUCCESS', strict: 'FAILED' });
    expect(await errorLogs(later.id)).toContain(
      'No value for KV key `short_lived` in namespace `test.kv` (missing or expired), and `errorOnMissing` is true',
    );
  });
});

describe('kv.Delete and kv.GetKeys', () => {
  it('lists keys by prefix and deletes them', async () => {
    const execution = await rt.run(
      flow(
        'keys',
        `  - id: a
    type: io.kestra.plugin.core.kv.Set
    key: my_var.one
    value: 1
  - id: b
    type: io.kestra.plugin.core.kv.Set
    key: my_var.two
    value: 2
  - id: c
    type: io.kestra.plugin.core.kv.Set
    key: other
    value: 3
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: my_var
  - id: all
    type: io.kestra.plugin.core.kv.GetKeys
  - id: delete
    type: io.kestra.plugin.core.kv.Delete
    key: my_var.one
  - id: delete_again
    type: io.kestra.plugin.core.kv.Delete
    key: my_var.one
  - id: after
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: my_var
`,
        'test.kv.keys',
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'keys')).toEqual({ keys: ['my_var.one', 'my_var.two'] });
    expect(outputsOf(execution, 'all')).toEqual({ keys: ['my_var.one', 'my_var.two', 'other'] });
    expect(outputsOf(execution, 'delete')).toEqual({ deleted: true });
    expect(outputsOf(execution, 'delete_again')).toEqual({ deleted: false });
    expect(outputsOf(execution, 'after')).toEqual({ keys: ['my_var.two'] });
  });

  it('Delete with errorOnMissing fails on a missing key', async () => {
    const execution = await rt.run(
      flow(
        'delete_missing',
        `  - id: delete
    type: io.kestra.plugin.core.kv.Delete
    key: never_set
    errorOnMissing: true
`,
      ),
    );
    expect(statesOf(execution)).toEqual({ delete: 'FAILED' });
    expect(await errorLogs(execution.id)).toContain('No value for KV key `never_set` in namespace `test.kv`');
  });
});

describe('bad input', () => {
  it.each([
    ['my key/../x', 'io.kestra.plugin.core.kv.Set', 'value: 1'],
    ['has space', 'io.kestra.plugin.core.kv.Get', ''],
    ['_leading', 'io.kestra.plugin.core.kv.Delete', ''],
    ['', 'io.kestra.plugin.core.kv.Set', 'value: 1'],
  ])('key %j fails %s with a message naming it and the allowed characters', async (key, type, extra) => {
    const execution = await rt.run(
      flow(
        'bad_key',
        `  - id: t
    type: ${type}
    key: ${JSON.stringify(key)}
${extra ? `    ${extra}\n` : ''}`,
      ),
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    const errors = await errorLogs(execution.id);
    expect(errors).toContain(`Invalid KV key ${JSON.stringify(key)}`);
    expect(errors).toContain('letters, digits, `.`, `_` and `-`');
  });

  it("kv('bad key') fails the render with the same message", async () => {
    const execution = await rt.run(
      flow(
        'bad_fn_key',
        `  - id: t
    type: io.kestra.plugin.core.log.Log
    message: "{{ kv('bad key') }}"
`,
      ),
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    expect(await errorLogs(execution.id)).toMatch(
      /Rendering failed: .*Invalid KV key "bad key": .*letters, digits/,
    );
  });

  it('kv() of a missing key fails, saying how to get null instead', async () => {
    const execution = await rt.run(
      flow(
        'missing_fn_key',
        `  - id: t
    type: io.kestra.plugin.core.log.Log
    message: "{{ kv('nope') }}"
`,
      ),
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    expect(await errorLogs(execution.id)).toContain(
      "The KV key `nope` does not exist in namespace `test.kv` (or it expired); use `kv('nope', errorOnMissing=false)`",
    );
  });

  it.each([
    ['NUMBER', 'abc', 'expects a number'],
    ['BOOLEAN', 'yes', 'expects `true` or `false`'],
    ['JSON', '{not json', 'expects JSON text'],
    ['DATE', '01/05/2024', 'expects an ISO-8601 date'],
    ['DATETIME', '2024-05-01', 'expects an ISO-8601 date-time'],
    ['DURATION', '30 minutes', 'expects an ISO-8601 duration'],
  ])('kvType %s refuses %j', async (kvType, value, message) => {
    const execution = await rt.run(
      flow(
        'bad_value',
        `  - id: t
    type: io.kestra.plugin.core.kv.Set
    key: typed
    value: "${value}"
    kvType: ${kvType}
`,
      ),
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    const errors = await errorLogs(execution.id);
    expect(errors).toContain(`Property \`value\`: ${JSON.stringify(value)} is not a valid ${kvType}`);
    expect(errors).toContain(message);
  });

  it('a namespace that is not one fails clearly', async () => {
    const execution = await rt.run(
      flow(
        'bad_ns',
        `  - id: t
    type: io.kestra.plugin.core.kv.Get
    key: k
    namespace: "../etc"
`,
      ),
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    expect(await errorLogs(execution.id)).toContain('Property `namespace`: "../etc" is not a namespace');
  });
});

describe('checkKvKey', () => {
  it('accepts Kestra keys and refuses the rest', () => {
    for (const key of ['a', 'A1', 'my_key.v-2', '0.x']) expect(checkKvKey(key)).toBe(key);
    for (const key of ['', ' a', 'a b', 'a/b', '.a', '-a', 'é', 'a:b']) {
      expect(() => checkKvKey(key)).toThrow(KvKeyError);
    }
  });
});
