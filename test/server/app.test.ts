import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestServer } from './support.js';
import type { TestServer } from './support.js';

describe('server app', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ auth: { username: 'admin', password: 's3cret' } });
  });
  afterAll(() => server.close());

  it('answers an unknown route with 404 and a WH_NOT_FOUND body', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/main/nothing/here',
      headers: { authorization: basicAuth('admin', 's3cret') },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'WH_NOT_FOUND' });
  });

  it('refuses a wrong password with 401 and never echoes it', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/main/flows/search',
      headers: { authorization: basicAuth('admin', 'wrong-password') },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Basic');
    expect(res.json()).toMatchObject({ code: 'WH_UNAUTHORIZED' });
    expect(res.body).not.toContain('wrong-password');
  });

  it('refuses a request without credentials with 401', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/flows/search' });
    expect(res.statusCode).toBe(401);
  });
});
