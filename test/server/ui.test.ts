/**
 * The web UI's files through the server: index.html for every page URL (deep links), hashed
 * assets cached, the API's 404 kept as JSON, the UI open without credentials while the API is
 * not, and a hint at `/` when the UI is not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };
let root: string;
let server: TestServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wh-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  server = await startTestServer({ uiRoot: root, auth: { username: 'u', password: 'p' } });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('web UI files', () => {
  it('answers page URLs with index.html, uncached, without credentials', async () => {
    for (const url of ['/', '/flows', '/executions/company.team/etl/6Lx2/logs?level=ERROR']) {
      const res = await server.app.inject({ method: 'GET', url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long cache, and 404 for a missing one', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    const missing = await server.app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
  });

  it('keeps the API guarded and its unknown routes JSON, even for a browser', async () => {
    const guarded = await server.app.inject({
      method: 'GET',
      url: '/api/v1/main/flows/search',
      headers: HTML,
    });
    expect(guarded.statusCode).toBe(401);
    expect(guarded.headers['www-authenticate']).toContain('Basic');
    const fromUi = await server.app.inject({
      method: 'GET',
      url: '/api/v1/main/flows/search',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    // The UI's requests get no WWW-Authenticate: the browser must not open its own dialog.
    expect(fromUi.statusCode).toBe(401);
    expect(fromUi.headers['www-authenticate']).toBeUndefined();
    const unknown = await server.app.inject({
      method: 'GET',
      url: '/api/v1/main/nothing',
      headers: { ...HTML, authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'WH_NOT_FOUND' });
  });

  it('says how to build the UI when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wh-ui-empty-'));
    const bare = await startTestServer({ uiRoot: empty });
    try {
      const res = await bare.app.inject({ method: 'GET', url: '/', headers: HTML });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('npm run build:ui');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
