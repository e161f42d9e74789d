import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main/triggers';

// Yearly slots: none falls inside a test run, so only backfills create executions.
const YEARLY = `id: yearly
namespace: company.team
inputs:
  - id: who
    type: STRING
    defaults: nobody
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.who }}"
triggers:
  - id: every_year
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 0 1 1 *"
    timezone: UTC
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: secret-key
`;

const OTHER = `id: other
namespace: company.other
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: monthly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 1 * *"
`;

interface SearchResult {
  results: Array<{
    abstractTrigger: Record<string, unknown> | null;
    triggerContext: Record<string, unknown>;
  }>;
  total: number;
}

describe('triggers routes', () => {
  let server: TestServer;
  const id = { namespace: 'company.team', flowId: 'yearly', triggerId: 'every_year' };

  beforeAll(async () => {
    server = await startTestServer();
    for (const source of [YEARLY, OTHER]) {
      const flow = await deployFlow(server.local.store, source);
      await server.scheduler.flowChanged(flow.namespace, flow.id);
    }
  });
  afterAll(() => server.close());

  const search = async (query: string) => {
    const res = await server.app.inject({ method: 'GET', url: `${API}/search?${query}` });
    expect(res.statusCode).toBe(200);
    return res.json<SearchResult>();
  };
  const send = (method: 'PUT' | 'POST', url: string, payload: unknown) =>
    server.app.inject({ method, url, payload: payload as Record<string, unknown> });

  it('searches triggers with their declaration and next date, by namespace and flow', async () => {
    const all = await search('');
    expect(all.total).toBe(3);
    const team = await search('namespace=company.team');
    expect(team.total).toBe(2);
    const schedule = team.results.find((r) => r.triggerContext.triggerId === 'every_year');
    expect(schedule?.abstractTrigger).toMatchObject({ id: 'every_year', cron: '0 0 1 1 *' });
    expect(schedule?.triggerContext).toMatchObject({ ...id, disabled: false, cron: '0 0 1 1 *' });
    const next = Date.parse(String(schedule?.triggerContext.nextExecutionDate));
    const nextYear = Date.UTC(new Date().getUTCFullYear() + 1, 0, 1);
    expect(next).toBe(nextYear);
    expect(
      (await search('namespace=company&flowId=other')).results.map((r) => r.triggerContext.triggerId),
    ).toEqual(['monthly']);
  });

  it('finds triggers by text in their namespace, flow or id (q)', async () => {
    const found = await search('q=MONTH');
    expect(found.total).toBe(1);
    expect(found.results[0]?.triggerContext).toMatchObject({ flowId: 'other', triggerId: 'monthly' });
    expect((await search('q=yearly&size=1')).total).toBe(2);
    expect((await search('q=yearly&size=1')).results).toHaveLength(1);
  });

  it('pages the search', async () => {
    const first = await search('size=2&page=1');
    const second = await search('size=2&page=2');
    expect(first.results).toHaveLength(2);
    expect(second.results).toHaveLength(1);
    expect(first.total).toBe(3);
    const ids = [...first.results, ...second.results].map((r) => r.triggerContext.triggerId);
    expect(new Set(ids).size).toBe(3);
    const bad = await server.app.inject({ method: 'GET', url: `${API}/search?page=0` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
  });

  it("lists one flow's triggers", async () => {
    const res = await server.app.inject({ method: 'GET', url: `${API}/company.team/yearly` });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ results: Array<{ triggerId: string }>; total: number }>();
    expect(page.results.map((t) => t.triggerId).sort()).toEqual(['every_year', 'hook']);
    expect(page.total).toBe(2);
  });

  it('disables and enables triggers in bulk, and one through PUT /triggers', async () => {
    const off = await send('POST', `${API}/set-disabled/by-triggers`, {
      triggers: [id, { namespace: 'company.other', flowId: 'other', triggerId: 'monthly' }],
      disabled: true,
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ count: 2 });
    expect((await server.scheduler.getTrigger('company.team', 'yearly', 'every_year')).disabled).toBe(true);
    expect((await server.scheduler.getTrigger('company.other', 'other', 'monthly')).disabled).toBe(true);
    const on = await send('PUT', API, { ...id, disabled: false });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ ...id, disabled: false });
    expect((await server.scheduler.getTrigger('company.team', 'yearly', 'every_year')).disabled).toBe(false);
    const single = await send('PUT', `${API}/set-disabled`, {
      namespace: 'company.other',
      flowId: 'other',
      triggerId: 'monthly',
      disabled: false,
    });
    expect(single.json()).toMatchObject({ disabled: false });
  });

  it('changes nothing when one trigger of a bulk request is unknown', async () => {
    const res = await send('POST', `${API}/set-disabled/by-triggers`, {
      triggers: [id, { namespace: 'company.team', flowId: 'yearly', triggerId: 'nope' }],
      disabled: true,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'WH_TRIGGER_NOT_FOUND' });
    expect((await server.scheduler.getTrigger('company.team', 'yearly', 'every_year')).disabled).toBe(false);
  });

  it('runs a backfill started through PUT /triggers: one execution per slot, with its inputs and labels', async () => {
    const start = await send('PUT', API, {
      ...id,
      backfill: {
        start: '2021-01-01T00:00:00Z',
        end: '2023-06-01T00:00:00Z',
        inputs: { who: 'backfill' },
        labels: [{ key: 'origin', value: 'backfill-test' }],
      },
    });
    expect(start.statusCode).toBe(200);
    expect(start.json()).toMatchObject({ backfill: { start: expect.any(String) as unknown, total: 3 } });
    const deadline = Date.now() + 20_000;
    let executions = await server.local.store.searchExecutions({
      namespace: 'company.team',
      flowId: 'yearly',
    });
    while (executions.total < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      executions = await server.local.store.searchExecutions({ namespace: 'company.team', flowId: 'yearly' });
    }
    expect(executions.total).toBe(3);
    for (const execution of executions.results) {
      expect(execution.inputs).toMatchObject({ who: 'backfill' });
      expect(execution.labels).toEqual(expect.arrayContaining([{ key: 'origin', value: 'backfill-test' }]));
    }
    const view = (await search('flowId=yearly')).results.find(
      (r) => r.triggerContext.triggerId === 'every_year',
    );
    expect(view?.triggerContext.backfill).toMatchObject({ created: 3, total: 3, done: true });
  });

  it('pauses, unpauses and deletes a backfill', async () => {
    await send('PUT', API, {
      ...id,
      backfill: { start: '2000-01-01T00:00:00Z', end: '2020-01-01T00:00:00Z' },
    });
    const paused = await send('PUT', `${API}/backfill/pause`, id);
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ backfill: { paused: true } });
    const resumed = await send('PUT', `${API}/backfill/unpause`, id);
    expect(resumed.json()).toMatchObject({ backfill: { paused: false } });
    const deleted = await send('POST', `${API}/backfill/delete`, id);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).not.toHaveProperty('backfill');
    const again = await send('POST', `${API}/backfill/delete`, id);
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'WH_BACKFILL_INVALID' });
    const bulk = await send('POST', `${API}/backfill/pause/by-triggers`, [id]);
    expect(bulk.json()).toEqual({ count: 0 });
  });

  it('refuses a backfill on a trigger that is not a Schedule, or with reversed dates (422)', async () => {
    const hook = await send('PUT', API, {
      namespace: 'company.team',
      flowId: 'yearly',
      triggerId: 'hook',
      backfill: { start: '2021-01-01T00:00:00Z' },
    });
    expect(hook.statusCode).toBe(422);
    expect(hook.json()).toMatchObject({ code: 'WH_BACKFILL_INVALID' });
    const reversed = await send('PUT', API, {
      ...id,
      backfill: { start: '2022-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' },
    });
    expect(reversed.statusCode).toBe(422);
  });

  it('answers 404 for an unknown trigger and 400 for a malformed body', async () => {
    const missing = await send('PUT', API, { namespace: 'company.team', flowId: 'nope', triggerId: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'WH_TRIGGER_NOT_FOUND' });
    const pause = await send('PUT', `${API}/backfill/pause`, { namespace: 'a', flowId: 'b', triggerId: 'c' });
    expect(pause.statusCode).toBe(404);
    const malformed = await send('PUT', API, { namespace: 'company.team', disabled: 'yes' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    expect(malformed.json<{ message: string }>().message).toContain('flowId');
  });
});
