import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const KV = '/api/v1/main/namespaces/company.team/kv';

describe('KV routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const put = (key: string, body: string, headers: Record<string, string> = {}) =>
    server.app.inject({
      method: 'PUT',
      url: `${KV}/${key}`,
      headers: { 'content-type': 'text/plain', ...headers },
      payload: body,
    });
  const get = (key: string, prefix = KV) => server.app.inject({ method: 'GET', url: `${prefix}/${key}` });

  it.each([
    ['quoted', '"abc"', 'STRING', 'abc'],
    ['bare', 'hello world', 'STRING', 'hello world'],
    ['number', '12', 'NUMBER', 12],
    ['decimal', '2.5', 'NUMBER', 2.5],
    ['bool', 'true', 'BOOLEAN', true],
    ['object', '{"a":1,"b":[1,2]}', 'JSON', { a: 1, b: [1, 2] }],
    ['list', '[1,"x"]', 'JSON', [1, 'x']],
    ['date', '2024-05-01', 'DATE', '2024-05-01'],
    ['datetime', '2024-05-01T10:15:00Z', 'DATETIME', '2024-05-01T10:15:00Z'],
    ['duration', 'PT1H30M', 'DURATION', 'PT1H30M'],
    ['quoted_date', '"2024-05-01"', 'STRING', '2024-05-01'],
  ])('types a %s value as Kestra does', async (key, body, type, value) => {
    expect((await put(key, body)).statusCode).toBe(200);
    const res = await get(key);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ type, value });
  });

  it('takes a JSON body sent as application/json', async () => {
    const res = await server.app.inject({
      method: 'PUT',
      url: `${KV}/json_body`,
      headers: { 'content-type': 'application/json' },
      payload: '{"nested":{"x":true}}',
    });
    expect(res.statusCode).toBe(200);
    expect((await get('json_body')).json()).toEqual({ type: 'JSON', value: { nested: { x: true } } });
    const quoted = await server.app.inject({
      method: 'PUT',
      url: `${KV}/json_date_text`,
      headers: { 'content-type': 'application/json' },
      payload: '"2024-05-01"',
    });
    expect(quoted.statusCode).toBe(200);
    expect((await get('json_date_text')).json()).toEqual({ type: 'STRING', value: '2024-05-01' });
  });

  it('answers on the /api/v1 alias too, and the value is what a flow reads', async () => {
    await put('shared', '42');
    expect((await get('shared', '/api/v1/namespaces/company.team/kv')).json()).toEqual({
      type: 'NUMBER',
      value: 42,
    });
    expect(await server.local.store.kvGet('company.team', 'shared')).toMatchObject({ value: 42 });
  });

  it('lists entries with their type, dates, description and expiry', async () => {
    await put('with_ttl', 'x', { ttl: 'PT1H', description: 'one hour' });
    const res = await server.app.inject({ method: 'GET', url: KV });
    expect(res.statusCode).toBe(200);
    const list = res.json<Array<Record<string, unknown>>>();
    const entry = list.find((e) => e.key === 'with_ttl');
    expect(entry).toMatchObject({ namespace: 'company.team', type: 'STRING', description: 'one hour' });
    const expires = Date.parse(String(entry?.expirationDate));
    expect(expires - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    expect(typeof entry?.creationDate).toBe('string');
    expect(typeof entry?.updateDate).toBe('string');
    expect(list.find((e) => e.key === 'number')).not.toHaveProperty('expirationDate');
    expect(list.map((e) => e.key)).toEqual([...list.map((e) => e.key)].sort());
  });

  it('does not show an expired entry', async () => {
    await server.local.store.kvPut({
      namespace: 'company.team',
      key: 'gone',
      type: 'STRING',
      value: 'old',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect((await get('gone')).statusCode).toBe(404);
    const list = (await server.app.inject({ method: 'GET', url: KV })).json<Array<{ key: string }>>();
    expect(list.map((e) => e.key)).not.toContain('gone');
  });

  it('answers 404 WH_KV_NOT_FOUND for a missing key', async () => {
    const res = await get('missing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'WH_KV_NOT_FOUND' });
    expect(res.json<{ message: string }>().message).toContain('missing');
  });

  it('deletes a key: true, then false once it is gone', async () => {
    await put('to_delete', 'x');
    const first = await server.app.inject({ method: 'DELETE', url: `${KV}/to_delete` });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toBe(true);
    expect((await get('to_delete')).statusCode).toBe(404);
    const second = await server.app.inject({ method: 'DELETE', url: `${KV}/to_delete` });
    expect(second.json()).toBe(false);
  });

  it('deletes several keys at once, answering those that existed', async () => {
    await put('bulk_a', '1');
    await put('bulk_b', '2');
    const res = await server.app.inject({
      method: 'DELETE',
      url: KV,
      payload: { keys: ['bulk_a', 'bulk_missing', 'bulk_b'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ keys: ['bulk_a', 'bulk_b'] });
    expect((await get('bulk_a')).statusCode).toBe(404);
    const bad = await server.app.inject({ method: 'DELETE', url: KV, payload: { keys: 'bulk_a' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a bad ttl, a bad key and a bad namespace with 400', async () => {
    const ttl = await put('k', 'x', { ttl: 'one hour' });
    expect(ttl.statusCode).toBe(400);
    expect(ttl.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    expect(ttl.json<{ message: string }>().message).toContain('ttl');
    const key = await put('-bad', 'x');
    expect(key.statusCode).toBe(400);
    expect(key.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    const ns = await server.app.inject({ method: 'GET', url: '/api/v1/main/namespaces/Bad%20NS/kv' });
    expect(ns.statusCode).toBe(400);
    expect(ns.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
  });
});
