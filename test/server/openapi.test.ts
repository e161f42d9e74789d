import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestServer } from './support.js';
import type { TestServer } from './support.js';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ in: string; name: string }>;
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** Every route of the app as `METHOD /path` (HEAD left out), read from Fastify's route tree. */
function appRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)(?:├── |└── )(\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()))
      if (method !== '' && method !== 'HEAD' && method !== '-') out.push(`${method} ${path}`);
  }
  return out;
}

/**
 * A path with its parameters unnamed (`/a/:b` and `/a/{b}` → `/a/{}`): the route tree prints
 * parameters that share a position merged (`:namespace|:executionId`), so names are not compared.
 */
const shape = (path: string) => path.replace(/(?::[A-Za-z0-9_]+\|?)+|\{[A-Za-z0-9_]+\}/g, '{}');

describe('OpenAPI document', () => {
  let server: TestServer;
  let doc: OpenApi;
  const auth = { authorization: basicAuth('admin', 'pw') };

  beforeAll(async () => {
    server = await startTestServer({ auth: { username: 'admin', password: 'pw' } });
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: auth });
    expect(res.statusCode).toBe(200);
    doc = res.json<OpenApi>();
  });
  afterAll(() => server.close());

  it('is an OpenAPI 3 document behind basic auth', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    const open = await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(open.statusCode).toBe(401);
  });

  it('lists every route of the app once, under /api/v1/main (the /api/v1 alias copies hidden)', () => {
    const routes = appRoutes(server.app.printRoutes({ commonPrefix: false }));
    // The tree parser found the routes (a broken parser would make this test pass vacuously).
    expect(routes).toEqual(
      expect.arrayContaining(['GET /health', 'GET /metrics', 'PUT /api/v1/main/triggers']),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${shape(path)}`),
    );
    const expected = routes
      .filter((route) => !route.endsWith(' /api/v1/openapi.json'))
      // The web UI's pages and static files (`GET /`, `GET *`) and the redirects of Kestra's UI
      // addresses (`GET /ui`, `GET /ui*`) are not part of the API.
      .filter((route) => !/ \/\*?$/.test(route) && !route.endsWith(' *') && !/ \/ui\*?$/.test(route))
      .filter((route) => {
        const path = route.split(' ')[1]!;
        return !path.startsWith('/api/v1/') || path.startsWith('/api/v1/main/');
      })
      .map((route) => {
        const [method, path] = route.split(' ');
        return `${method} ${shape(path!)}`;
      });
    expect([...documented].sort()).toEqual([...new Set(expected)].sort());
    expect(new Set(documented).size).toBe(documented.length);
    // Every alias route exists in the app, but not in the document.
    expect(routes.some((r) => r.includes(' /api/v1/namespaces/'))).toBe(true);
    expect(documented.filter((r) => /^\w+ \/api\/v1\/(?!main\/)/.test(r))).toEqual([]);
  });

  it('gives each operation a summary and tags', () => {
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      }
    expect(doc.paths['/api/v1/main/namespaces/{namespace}/kv/{key}']?.put?.tags).toEqual(['KV']);
  });

  it('documents path and query parameters', () => {
    const names = (path: string, method: string) =>
      (doc.paths[path]?.[method]?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(names('/api/v1/main/namespaces/{namespace}/files', 'put')).toEqual([
      'path:namespace',
      'query:from',
      'query:to',
    ]);
    expect(names('/api/v1/main/triggers/search', 'get')).toEqual(
      expect.arrayContaining(['query:namespace', 'query:flowId', 'query:page', 'query:size']),
    );
  });

  it('marks health and metrics as open, and the API as basic-auth', () => {
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/metrics']?.get?.security).toEqual([]);
    expect(doc.paths['/api/v1/main/plugins']?.get?.security).toBeUndefined();
  });
});
