import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestServer } from './support.js';
import type { TestServer } from './support.js';

const USER = 'admin';
const PASSWORD = 'correct-horse-battery-staple';
const MIB = 1024 * 1024;

/** One request of each guarded family, under both prefixes. */
const GUARDED: Array<{ method: 'GET' | 'PUT' | 'POST' | 'DELETE'; path: string; payload?: string }> = [
  { method: 'GET', path: '/flows/search' },
  { method: 'POST', path: '/flows', payload: 'id: x\nnamespace: a\ntasks: []\n' },
  { method: 'GET', path: '/executions/search' },
  { method: 'GET', path: '/logs/search' },
  { method: 'GET', path: '/namespaces/company.team/kv' },
  { method: 'PUT', path: '/namespaces/company.team/kv/guarded', payload: 'written' },
  { method: 'GET', path: '/namespaces/company.team/files/directory' },
  { method: 'DELETE', path: '/namespaces/company.team/files?path=/a.txt' },
  { method: 'GET', path: '/triggers/search' },
  { method: 'PUT', path: '/triggers/backfill/pause', payload: '{}' },
  { method: 'GET', path: '/plugins' },
  { method: 'GET', path: '/plugins/schemas/flow' },
  { method: 'GET', path: '/no/such/route' },
];

describe('auth and limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ auth: { username: USER, password: PASSWORD }, listen: true });
  });
  afterAll(() => server.close());

  it.each(['/api/v1/main', '/api/v1'])(
    'refuses a wrong password with 401 on every guarded family under %s',
    async (prefix) => {
      for (const { method, path, payload } of GUARDED) {
        for (const authorization of [basicAuth(USER, 'wrong'), basicAuth('root', PASSWORD), undefined]) {
          const res = await server.app.inject({
            method,
            url: `${prefix}${path}`,
            headers: {
              'content-type': path.startsWith('/flows')
                ? 'application/x-yaml'
                : path.includes('/kv/')
                  ? 'text/plain'
                  : 'application/json',
              ...(authorization ? { authorization } : {}),
            },
            ...(payload !== undefined ? { payload } : {}),
          });
          expect(res.statusCode, `${method} ${prefix}${path}`).toBe(401);
          expect(res.json()).toMatchObject({ code: 'WH_UNAUTHORIZED' });
          expect(res.headers['www-authenticate']).toContain('Basic');
        }
      }
      // The refused write wrote nothing.
      expect(await server.local.store.kvGet('company.team', 'guarded')).toBeUndefined();
      const openapi = await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(openapi.statusCode).toBe(401);
    },
  );

  it('refuses malformed Authorization headers with 401, not a crash', async () => {
    for (const authorization of [
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from(USER).toString('base64')}`,
      `Bearer ${PASSWORD}`,
      'Basic',
      `Basic ${Buffer.from(':').toString('base64')}`,
      `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('hex')}`,
    ]) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/api/v1/main/plugins',
        headers: { authorization },
      });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('lets the right credentials through, whatever the case of the scheme', async () => {
    const token = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    for (const authorization of [basicAuth(USER, PASSWORD), `basic ${token}`, `BASIC ${token}`]) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/api/v1/main/namespaces/company.team/kv',
        headers: { authorization },
      });
      expect(res.statusCode, authorization).toBe(200);
    }
  });

  it('takes a password holding a colon, and refuses a prefix of the right one', async () => {
    const colon = await startTestServer({ auth: { username: 'ops', password: 'a:b:c' } });
    try {
      const ok = await colon.app.inject({
        method: 'GET',
        url: '/api/v1/main/plugins',
        headers: { authorization: basicAuth('ops', 'a:b:c') },
      });
      expect(ok.statusCode).toBe(200);
      for (const password of ['a:b', 'a:b:c ', 'a:b:cd', '']) {
        const res = await colon.app.inject({
          method: 'GET',
          url: '/api/v1/main/plugins',
          headers: { authorization: basicAuth('ops', password) },
        });
        expect(res.statusCode, JSON.stringify(password)).toBe(401);
      }
    } finally {
      await colon.close();
    }
  });

  it('leaves health, metrics and webhooks open', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    for (const prefix of ['/api/v1/main', '/api/v1']) {
      const hook = await server.app.inject({
        method: 'POST',
        url: `${prefix}/executions/webhook/company.team/no-flow/no-key`,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      // No such webhook: a 404, never a request for credentials.
      expect(hook.statusCode, prefix).toBe(404);
    }
  });

  it('does not open a guarded route through dot segments after an open prefix (raw HTTP)', async () => {
    // Clients and inject resolve `..` before sending; a raw request keeps it, as an attacker would.
    const port = Number(new URL(server.url!).port);
    const raw = (path: string) =>
      new Promise<string>((resolvePromise, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
        );
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('end', () => resolvePromise(data));
        socket.on('error', reject);
      });
    for (const path of [
      '/api/v1/main/executions/webhook/../../plugins',
      '/api/v1/main/executions/webhook/%2e%2e/%2e%2e/plugins',
      '/api/v1/executions/webhook/a/b/../../../../plugins',
      '/health/../api/v1/main/plugins',
      '/metrics/../api/v1/main/plugins',
    ]) {
      const response = await raw(path);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
      // 400: the UI's static files refuse `..`; 401/404: the API's guard and router.
      expect([400, 401, 404], `${path}: ${response.split('\r\n')[0]}`).toContain(status);
      expect(response).not.toContain('io.kestra.plugin.core');
    }
  });

  it('answers an unknown route with 404 WH_NOT_FOUND (with credentials)', async () => {
    for (const url of ['/api/v1/main/nothing', '/api/v1/nothing/here', '/not-api']) {
      const res = await server.app.inject({
        method: 'GET',
        url,
        headers: { authorization: basicAuth(USER, PASSWORD) },
      });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ code: 'WH_NOT_FOUND' });
    }
  });

  it('answers a 50 MB YAML body with 413 WH_BODY_TOO_LARGE over real HTTP, and keeps serving', async () => {
    const line = '# padding padding padding padding padding padding padding padding padding\n';
    const body = `id: big\nnamespace: company.team\n${line.repeat(Math.ceil((50 * MIB) / line.length))}tasks: []\n`;
    expect(body.length).toBeGreaterThanOrEqual(50 * MIB);
    for (const chunked of [false, true]) {
      const res = await request(`${server.url}/api/v1/main/flows`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-yaml',
          authorization: basicAuth(USER, PASSWORD),
          ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
        },
        // A generator has no length: sent chunked, so the limit is found while reading.
        body: chunked
          ? Readable.from(
              (function* () {
                for (let i = 0; i < body.length; i += MIB) yield body.slice(i, i + MIB);
              })(),
            )
          : body,
      }).catch((error: unknown) => error as Error);
      if (res instanceof Error) {
        // The server may close the socket while the client is still sending; the status is then
        // checked through inject below. Any other failure is a real one.
        expect((res as NodeJS.ErrnoException).code, String(res)).toMatch(/ECONNRESET|EPIPE|UND_ERR_SOCKET/);
      } else {
        expect(res.statusCode, `chunked=${chunked}`).toBe(413);
        expect(await res.body.json()).toMatchObject({ code: 'WH_BODY_TOO_LARGE' });
      }
    }
    const injected = await server.app.inject({
      method: 'POST',
      url: '/api/v1/main/flows',
      headers: { 'content-type': 'application/x-yaml', authorization: basicAuth(USER, PASSWORD) },
      payload: body,
    });
    expect(injected.statusCode).toBe(413);
    expect(injected.json()).toMatchObject({ code: 'WH_BODY_TOO_LARGE' });
    // Still up.
    const health = await request(`${server.url}/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('answers an upload over the upload limit with 413 and keeps no partial file', async () => {
    const small = await startTestServer({ maxUploadSize: 1024 });
    try {
      const boundary = 'limit-boundary';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="fileContent"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.alloc(64 * 1024, 7),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/v1/main/namespaces/company.team/files?path=/big.bin',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'WH_BODY_TOO_LARGE' });
      const read = await small.app.inject({
        method: 'GET',
        url: '/api/v1/main/namespaces/company.team/files?path=/big.bin',
      });
      expect(read.statusCode).toBe(404);
    } finally {
      await small.close();
    }
  });
});

describe('passwords in logs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-auth-log-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('never writes the password, right or wrong, to the request log', async () => {
    // A separate process, because Fastify's logger writes to file descriptor 1 directly.
    const support = resolve('test/server/support.ts');
    const script = join(dir, 'log-check.mts');
    await writeFile(
      script,
      `import { basicAuth, startTestServer } from ${JSON.stringify(support)};
const server = await startTestServer({ auth: { username: 'admin', password: 'Sup3r-S3cret-PW' }, logRequests: true });
for (const password of ['Sup3r-S3cret-PW', 'Wr0ng-Guess-PW']) {
  for (const url of ['/api/v1/main/plugins', '/api/v1/main/nothing', '/api/v1/main/namespaces/BAD/kv']) {
    await server.app.inject({ method: 'GET', url, headers: { authorization: basicAuth('admin', password) } });
  }
}
await server.app.inject({ method: 'GET', url: '/api/v1/main/plugins?password=Sup3r-S3cret-PW-in-query' });
await server.close();
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    // The log is on and holds the requests (else the test would prove nothing).
    expect(output).toContain('/api/v1/main/plugins');
    expect(output).toMatch(/"statusCode":401/);
    expect(output).not.toContain('Sup3r-S3cret-PW"');
    expect(output).not.toMatch(/Sup3r-S3cret-PW(?!-in-query)/);
    expect(output).not.toContain('Wr0ng-Guess-PW');
    for (const password of ['Sup3r-S3cret-PW', 'Wr0ng-Guess-PW'])
      expect(output).not.toContain(Buffer.from(`admin:${password}`).toString('base64'));
  });
});
