/**
 * Kestra's UI addresses redirect to our pages: a bookmark of Kestra's flow editor, execution or
 * namespace page (with or without the tenant segment `main`) opens the same page here, its query
 * kept; the redirect never leaves the server, and works with auth on and without a built UI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };
let root: string;
let server: TestServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wh-ui-redirects-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  server = await startTestServer({ uiRoot: root, auth: { username: 'u', password: 'p' }, scheduler: false });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function location(url: string, target = server): Promise<string | undefined> {
  const res = await target.app.inject({ method: 'GET', url, headers: HTML });
  expect(res.statusCode, url).toBe(302);
  return res.headers.location;
}

describe("Kestra's UI addresses", () => {
  it.each([
    ['/ui', '/'],
    ['/ui/', '/'],
    ['/ui/main', '/'],
    ['/ui/main/dashboards', '/'],
    ['/ui/flows', '/flows'],
    ['/ui/main/flows', '/flows'],
    ['/ui/main/flows/new', '/flows/new'],
    ['/ui/main/flows/edit/company.team/hello_world', '/flows/company.team/hello_world'],
    ['/ui/flows/edit/company.team/hello_world', '/flows/company.team/hello_world'],
    ['/ui/main/flows/edit/company.team/hello_world/revisions', '/flows/company.team/hello_world/revisions'],
    ['/ui/main/flows/edit/company.team/hello_world/executions', '/flows/company.team/hello_world/executions'],
    ['/ui/main/flows/edit/company.team/hello_world/metrics', '/flows/company.team/hello_world'],
    ['/ui/main/executions', '/executions'],
    ['/ui/main/executions/company.team/etl/4wjOB2', '/executions/company.team/etl/4wjOB2'],
    ['/ui/executions/company.team/etl/4wjOB2/gantt', '/executions/company.team/etl/4wjOB2'],
    ['/ui/main/executions/company.team/etl/4wjOB2/logs', '/executions/company.team/etl/4wjOB2/logs'],
    ['/ui/main/executions/company.team/etl/4wjOB2/outputs', '/executions/company.team/etl/4wjOB2/outputs'],
    ['/ui/main/namespaces', '/namespaces'],
    ['/ui/main/namespaces/edit/company.team', '/namespaces/company.team'],
    ['/ui/main/namespaces/edit/company.team/files', '/namespaces/company.team/files'],
    ['/ui/main/kv', '/namespaces'],
    ['/ui/main/plugins', '/plugins'],
    ['/ui/main/plugins/io.kestra.plugin.core.log.Log', '/plugins/io.kestra.plugin.core.log.Log'],
    ['/ui/plugins/io.kestra.plugin.core.log.Log/0.23.0', '/plugins/io.kestra.plugin.core.log.Log'],
    ['/ui/main/admin/triggers', '/triggers'],
    ['/ui/main/logs', '/logs'],
    ['/ui/main/blueprints', '/blueprints'],
    ['/ui/main/blueprints/flow/community', '/blueprints'],
    ['/ui/blueprints/flow/community/124', '/blueprints'],
  ])('%s → %s', async (from, to) => {
    expect(await location(from)).toBe(to);
  });

  it('keeps the query, encodes what it copies, and never points off the server', async () => {
    expect(await location('/ui/main/executions?namespace=company.team&state=FAILED')).toBe(
      '/executions?namespace=company.team&state=FAILED',
    );
    expect(await location('/ui/main/flows/edit/a%20b/c')).toBe('/flows/a%20b/c');
    for (const url of ['/ui//evil.example/x', '/ui/%2F%2Fevil.example', '/ui/main/%5C%5Cevil.example']) {
      const target = await location(url);
      expect(target, url).toMatch(/^\/[^/\\]/);
    }
  });

  it('redirects without credentials (the page itself asks) and without a built UI', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/ui/main/flows' });
    expect(res.statusCode).toBe(302);
    const empty = mkdtempSync(join(tmpdir(), 'wh-ui-empty-'));
    const bare = await startTestServer({ uiRoot: empty, scheduler: false });
    try {
      expect(await location('/ui/main/flows/edit/ns/id', bare)).toBe('/flows/ns/id');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
