/**
 * GET /executions/statistics/timeline and /slowest-flows: the home page's aggregates, counted
 * by the store, with their windows and refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, execution } from '../store/builders.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

describe('execution statistics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ scheduler: false });
    const store = server.local.store;
    const ended = (
      id: string,
      flowId: string,
      state: 'SUCCESS' | 'FAILED',
      start: number,
      minutes: number,
    ) => {
      const e = execution(id, { flowId, state, start: at(start) });
      return { ...e, state: { ...e.state, endDate: at(start + minutes) } };
    };
    await store.createExecution(ended('a', 'quick', 'SUCCESS', 10, 1), []);
    await store.createExecution(ended('b', 'quick', 'FAILED', 20, 2), []);
    await store.createExecution(ended('c', 'long', 'SUCCESS', 70, 30), []);
    await store.createExecution(execution('d', { flowId: 'long', state: 'RUNNING', start: at(130) }), []);
  });
  afterAll(() => server.close());

  const get = (url: string) => server.app.inject({ method: 'GET', url: `${API}${url}` });

  it('counts executions per hour by state from startDate', async () => {
    const response = await get(
      `/executions/statistics/timeline?startDate=${at(0)}&endDate=${at(180)}&interval=hour`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      startDate: at(0),
      endDate: at(180),
      interval: 'hour',
      results: [
        { date: at(0), state: 'FAILED', count: 1 },
        { date: at(0), state: 'SUCCESS', count: 1 },
        { date: at(60), state: 'SUCCESS', count: 1 },
        { date: at(120), state: 'RUNNING', count: 1 },
      ],
    });
  });

  it('counts per day by default', async () => {
    const response = await get(`/executions/statistics/timeline?startDate=${at(-60)}&endDate=${at(24 * 60)}`);
    expect(response.json()).toMatchObject({
      interval: 'day',
      results: [
        { date: at(-60), state: 'FAILED', count: 1 },
        { date: at(-60), state: 'RUNNING', count: 1 },
        { date: at(-60), state: 'SUCCESS', count: 2 },
      ],
    });
  });

  it('refuses an unknown interval, a reversed window and too many intervals', async () => {
    for (const query of [
      `interval=week&startDate=${at(0)}&endDate=${at(60)}`,
      `startDate=${at(60)}&endDate=${at(0)}`,
      `interval=hour&startDate=2020-01-01T00:00:00Z&endDate=${at(0)}`,
    ]) {
      const response = await get(`/executions/statistics/timeline?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    }
  });

  it('ranks flows by their longest ended execution', async () => {
    const response = await get(`/executions/statistics/slowest-flows?startDate=${at(0)}&endDate=${at(180)}`);
    expect(response.statusCode).toBe(200);
    expect(response.json<{ results: unknown[] }>().results).toEqual([
      { namespace: 'company.team', flowId: 'long', executions: 1, maxMs: 1_800_000, avgMs: 1_800_000 },
      { namespace: 'company.team', flowId: 'quick', executions: 2, maxMs: 120_000, avgMs: 90_000 },
    ]);
    const limited = await get(
      `/executions/statistics/slowest-flows?startDate=${at(0)}&endDate=${at(180)}&limit=1`,
    );
    expect(limited.json<{ results: unknown[] }>().results).toHaveLength(1);
    expect((await get('/executions/statistics/slowest-flows?limit=1000')).statusCode).toBe(400);
  });
});
