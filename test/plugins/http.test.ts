/**
 * http.Request and http.Download against real HTTP servers on 127.0.0.1, through real flows
 * (SQLite store, executor, worker, local storage).
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';
import {
  closedPort,
  json,
  startHttpProxy,
  startHttpServer,
  startSelfSignedServer,
} from './support/http-server.js';
import type { TestServer } from './support/http-server.js';

let rt: TestRuntime;
let server: TestServer;
let trickleClosedAt = 0;

const flow = (tasks: string) => `id: http_${Math.random().toString(36).slice(2, 8)}
namespace: test.http
tasks:
${tasks}`;

/** The answer for a multipart body, parsed by the platform's own parser. */
async function parseMultipart(contentType: string, body: Buffer) {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const out: Record<string, string | { name: string; text: string }> = {};
  for (const [key, value] of form.entries())
    out[key] = typeof value === 'string' ? value : { name: value.name, text: await value.text() };
  return out;
}

beforeAll(async () => {
  process.env.SECRET_WH_HTTP_TOKEN = Buffer.from('t0ps3cret').toString('base64');
  rt = await startTestRuntime({ workerConcurrency: 4 });
  server = await startHttpServer(
    {
      '/hello': (req, res) =>
        json(res, 200, { hello: 'world', agent: req.headers['user-agent'], trace: req.headers['x-trace'] }),
      '/echo': (req, res, body) =>
        json(res, 201, {
          method: req.method,
          contentType: req.headers['content-type'],
          body: body.toString(),
        }),
      '/multipart': async (req, res, body) =>
        json(res, 200, await parseMultipart(String(req.headers['content-type']), body)),
      '/basic': (req, res) => {
        const expected = `Basic ${Buffer.from('ann:pw d').toString('base64')}`;
        if (req.headers.authorization === expected) json(res, 200, { ok: 'basic' });
        else res.writeHead(401, { 'www-authenticate': 'Basic' }).end('who are you?');
      },
      '/bearer': (req, res) => {
        if (req.headers.authorization === 'Bearer t0ps3cret') json(res, 200, { ok: 'bearer' });
        else res.writeHead(401).end('bad token');
      },
      '/r1': (_req, res) => void res.writeHead(301, { location: '/r2' }).end(),
      '/r2': (_req, res) => void res.writeHead(302, { location: '/final' }).end(),
      '/final': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('arrived'),
      '/missing': (_req, res) =>
        void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such order 42"}'),
      '/files/report%20Q1.csv': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,2\n'),
      '/attachment': (_req, res) =>
        void res
          .writeHead(200, { 'content-disposition': `attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt` })
          .end('content of the attachment'),
      '/empty': (_req, res) => void res.writeHead(200).end(),
      '/': (_req, res) => void res.writeHead(200).end('root'),
    },
    {
      // Answers nothing, ever: the client's idle timeout must end the wait.
      '/silent': () => undefined,
      // Sends the head and a first chunk, then stalls.
      '/stall': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first chunk');
      },
      // Trickles bytes until the client goes away; records when it did.
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const timer = setInterval(() => res.write('.'), 20);
        res.on('close', () => {
          clearInterval(timer);
          trickleClosedAt = Date.now();
        });
      },
      '/big': (req, res) =>
        streamBytes(res, Number(new URL(req.url!, 'http://x').searchParams.get('bytes') ?? BIG)),
    },
  );
});

afterAll(async () => {
  await server.close();
  await rt.dispose();
});

async function errorLines(id: string): Promise<string> {
  return (await rt.logs(id)).filter((l) => l.startsWith('ERROR')).join('\n');
}

describe('http.Request', () => {
  it('GET with headers: code, lower-case headers, body as text, the URL', async () => {
    const execution = await rt.run(
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/hello?x=1
    headers:
      X-Trace: "{{ flow.namespace }}"
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.get.code }} {{ fromJson(outputs.get.body).hello }} {{ outputs.get.headers['content-type'][0] }}"`),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const out = outputsOf(execution, 'get')!;
    expect(out).toMatchObject({ uri: `${server.url}/hello?x=1`, code: 200 });
    expect(JSON.parse(out.body as string)).toEqual({
      hello: 'world',
      agent: 'Windhover',
      trace: 'test.http',
    });
    expect(outputsOf(execution, 'use')).toEqual({ value: '200 world application/json' });
  });

  it('POST a JSON body (text or map) with its content type', async () => {
    const execution = await rt.run(
      flow(`  - id: text
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/echo
    method: POST
    body: '{"title": "{{ flow.id }}"}'
  - id: map
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/echo
    method: PUT
    contentType: application/vnd.api+json
    body:
      n: 1
      list: [a, b]`),
    );
    expect(statesOf(execution)).toEqual({ text: 'SUCCESS', map: 'SUCCESS' });
    const text = JSON.parse(outputsOf(execution, 'text')!.body as string) as Record<string, string>;
    expect(outputsOf(execution, 'text')!.code).toBe(201);
    expect(text).toMatchObject({ method: 'POST', contentType: 'application/json; charset=UTF-8' });
    expect(JSON.parse(text.body!)).toEqual({ title: execution.flowId });
    const map = JSON.parse(outputsOf(execution, 'map')!.body as string) as Record<string, string>;
    expect(map).toMatchObject({ method: 'PUT', contentType: 'application/vnd.api+json; charset=UTF-8' });
    expect(JSON.parse(map.body!)).toEqual({ n: 1, list: ['a', 'b'] });
  });

  it('formData is sent url-encoded by default, and kept in the outputs', async () => {
    const execution = await rt.run(
      flow(`  - id: login
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/echo
    method: POST
    contentType: application/x-www-form-urlencoded
    formData:
      user: ann
      password: "p&ss word"`),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const echoed = JSON.parse(outputsOf(execution, 'login')!.body as string) as Record<string, string>;
    expect(echoed.contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(new URLSearchParams(echoed.body).get('password')).toBe('p&ss word');
    expect(outputsOf(execution, 'login')!.formData).toEqual({ user: 'ann', password: 'p&ss word' });
  });

  it('multipart/form-data sends kestra:// files (named by the URI or by {name, content}) and fields', async () => {
    const execution = await rt.run(
      flow(`  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/files/report%20Q1.csv
  - id: upload
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/multipart
    method: POST
    contentType: multipart/form-data
    formData:
      note: quarterly
      count: 3
      file: "{{ outputs.dl.uri }}"
      renamed:
        name: my-file.csv
        content: "{{ outputs.dl.uri }}"`),
    );
    expect(statesOf(execution)).toEqual({ dl: 'SUCCESS', upload: 'SUCCESS' });
    expect(JSON.parse(outputsOf(execution, 'upload')!.body as string)).toEqual({
      note: 'quarterly',
      count: '3',
      file: { name: 'report Q1.csv', text: 'a,b\n1,2\n' },
      renamed: { name: 'my-file.csv', text: 'a,b\n1,2\n' },
    });
  });

  it('basic auth (options.auth and the deprecated flat settings) and bearer auth; secrets stay out of the logs', async () => {
    const execution = await rt.run(
      flow(`  - id: basic
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/basic
    options:
      auth:
        type: BASIC
        username: ann
        password: pw d
  - id: flat
    type: io.kestra.plugin.http.Request
    uri: ${server.url}/basic
    options:
      basicAuthUser: ann
      basicAuthPassword: pw d
  - id: bearer
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/bearer
    options:
      logs: [REQUEST_HEADERS, RESPONSE_HEADERS]
      auth:
        type: BEARER
        token: "{{ secret('WH_HTTP_TOKEN') }}"`),
    );
    expect(statesOf(execution)).toEqual({ basic: 'SUCCESS', flat: 'SUCCESS', bearer: 'SUCCESS' });
    expect(outputsOf(execution, 'bearer')!.body).toBe('{"ok":"bearer"}');
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toContain('Authorization: Bearer ***');
    expect(logs).not.toContain('t0ps3cret');
  });

  it('follows a 301 → 302 chain by default; with followRedirects: false the 302 is the answer', async () => {
    const execution = await rt.run(
      flow(`  - id: follow
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/r1
  - id: stay
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/r2
    options:
      followRedirects: false`),
    );
    expect(statesOf(execution)).toEqual({ follow: 'SUCCESS', stay: 'SUCCESS' });
    expect(outputsOf(execution, 'follow')).toMatchObject({ code: 200, body: 'arrived' });
    expect(outputsOf(execution, 'stay')).toMatchObject({ code: 302, headers: { location: ['/final'] } });
  });

  it('a 404 fails with the code, the URL and the start of the body; allowFailed accepts it', async () => {
    const failed = await rt.run(
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/missing?api_key=abc`),
    );
    expect(failed.state.current).toBe('FAILED');
    const message = await errorLines(failed.id);
    expect(message).toContain(
      `GET ${server.url}/missing?… answered 404 Not Found: {"error":"no such order 42"}`,
    );
    expect(message).toContain('options.allowFailed: true');
    expect(message).not.toContain('abc');

    const allowed = await rt.run(
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/missing
    options:
      allowFailed: true
  - id: old
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/missing
    allowFailed: true
  - id: listed
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/missing
    options:
      allowedResponseCodes: [200, 404]`),
    );
    expect(statesOf(allowed)).toEqual({ get: 'SUCCESS', old: 'SUCCESS', listed: 'SUCCESS' });
    expect(outputsOf(allowed, 'get')).toMatchObject({ code: 404, body: '{"error":"no such order 42"}' });

    const notListed = await rt.run(
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/hello
    options:
      allowedResponseCodes: [204]`),
    );
    expect(notListed.state.current).toBe('FAILED');
    expect(await errorLines(notListed.id)).toContain('not in options.allowedResponseCodes [204]');
  });

  it('a refused connection fails with a message naming the URL and ECONNREFUSED', async () => {
    const port = await closedPort();
    const execution = await rt.run(
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: http://127.0.0.1:${port}/api`),
    );
    expect(execution.state.current).toBe('FAILED');
    expect(await errorLines(execution.id)).toContain(
      `GET http://127.0.0.1:${port}/api refused the connection (ECONNREFUSED)`,
    );
  });

  it('a server that never answers fails after readIdleTimeout, fast', async () => {
    const started = Date.now();
    const execution = await rt.run(
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/silent
    options:
      timeout:
        readIdleTimeout: PT1S`),
    );
    const took = Date.now() - started;
    expect(execution.state.current).toBe('FAILED');
    expect(await errorLines(execution.id)).toContain(
      'sent no response within options.timeout.readIdleTimeout: PT1S',
    );
    expect(took).toBeLessThan(5000);
  });

  it('goes through an HTTP proxy with its credentials (options.proxy and the deprecated flat settings)', async () => {
    const proxy = await startHttpProxy();
    try {
      const execution = await rt.run(
        flow(`  - id: nested
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/hello
    options:
      proxy:
        type: HTTP
        address: ${proxy.host}
        port: ${proxy.port}
        username: px
        password: secret
  - id: flat
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/hello
    options:
      proxyType: HTTP
      proxyAddress: ${proxy.host}
      proxyPort: ${proxy.port}`),
      );
      expect(statesOf(execution)).toEqual({ nested: 'SUCCESS', flat: 'SUCCESS' });
      expect(outputsOf(execution, 'nested')!.code).toBe(200);
      const host = server.url.replace('http://', '');
      expect(proxy.seen).toHaveLength(2);
      expect(proxy.seen[0]!.line).toContain(host);
      expect(proxy.seen[0]!.auth).toBe(`Basic ${Buffer.from('px:secret').toString('base64')}`);
      expect(proxy.seen[1]!.auth).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('a self-signed certificate is refused with a hint, and accepted with insecureTrustAllCertificates', async () => {
    const tls = await startSelfSignedServer();
    try {
      const execution = await rt.run(
        flow(`  - id: strict
    type: io.kestra.plugin.core.http.Request
    uri: ${tls.url}/
    allowFailure: true
  - id: trusting
    type: io.kestra.plugin.core.http.Request
    uri: ${tls.url}/
    options:
      ssl:
        insecureTrustAllCertificates: true`),
      );
      expect(statesOf(execution)).toEqual({ strict: 'WARNING', trusting: 'SUCCESS' });
      expect(outputsOf(execution, 'trusting')!.body).toBe('ok over tls');
      const errors = await errorLines(execution.id);
      expect(errors).toContain(`GET ${tls.url}/ failed: the server's TLS certificate was rejected`);
      expect(errors).toContain('options.ssl.insecureTrustAllCertificates: true');
    } finally {
      await tls.close();
    }
  });

  it('bad properties fail with a clear message', async () => {
    const execution = await rt.run(
      flow(`  - id: url
    type: io.kestra.plugin.core.http.Request
    uri: "not a url"
    allowFailure: true
  - id: scheme
    type: io.kestra.plugin.core.http.Request
    uri: ftp://example.com/x
    allowFailure: true
  - id: getbody
    type: io.kestra.plugin.core.http.Request
    uri: ${server.url}/echo
    body: "{}"
    allowFailure: true`),
    );
    const errors = await errorLines(execution.id);
    expect(errors).toContain('Property `uri`: `not%20a%20url` is not a valid URL');
    expect(errors).toContain('only http and https URLs can be called');
    expect(errors).toContain('A GET request cannot carry a body');
  });
});

describe('http.Download', () => {
  it('a body that stops flowing fails after readIdleTimeout', async () => {
    const execution = await rt.run(
      flow(`  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/stall
    options:
      timeout:
        readIdleTimeout: PT1S`),
    );
    expect(execution.state.current).toBe('FAILED');
    expect(await errorLines(execution.id)).toContain(
      `GET ${server.url}/stall failed: the server stopped sending data for longer than options.timeout.readIdleTimeout: PT1S`,
    );
  });

  it("the task's timeout aborts an endless download and closes the connection", async () => {
    const started = Date.now();
    const execution = await rt.run(
      flow(`  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/trickle
    timeout: PT1S`),
    );
    expect(execution.state.current).toBe('FAILED');
    expect(await errorLines(execution.id)).toContain('Timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect.poll(() => trickleClosedAt, { timeout: 2000 }).toBeGreaterThan(started);
  });

  it('names the file from saveAs, Content-Disposition, or the URL', async () => {
    const execution = await rt.run(
      flow(`  - id: saved
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/files/report%20Q1.csv
    saveAs: orders.csv
  - id: disposition
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/attachment
  - id: fromurl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/files/report%20Q1.csv
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.disposition.uri) }}"`),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const name = (id: string) => decodeURIComponent(String(outputsOf(execution, id)!.uri).split('/').pop()!);
    expect(name('saved')).toBe('orders.csv');
    expect(name('disposition')).toBe('résumé.txt');
    expect(name('fromurl')).toBe('report Q1.csv');
    expect(outputsOf(execution, 'saved')).toMatchObject({ code: 200, length: 8 });
    expect(outputsOf(execution, 'saved')!.headers).toMatchObject({ 'content-type': ['text/csv'] });
    expect(String(outputsOf(execution, 'saved')!.uri)).toMatch(/^kestra:\/\/\//);
    expect(outputsOf(execution, 'read')).toEqual({ value: 'content of the attachment' });
  });

  it('an empty body fails by default; failOnEmptyResponse: false stores an empty file', async () => {
    const failed = await rt.run(
      flow(`  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/empty`),
    );
    expect(failed.state.current).toBe('FAILED');
    expect(await errorLines(failed.id)).toContain(
      `GET ${server.url}/empty answered 200 with an empty body; set failOnEmptyResponse: false`,
    );
    const passed = await rt.run(
      flow(`  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/empty
    failOnEmptyResponse: false`),
    );
    expect(passed.state.current).toBe('SUCCESS');
    expect(outputsOf(passed, 'dl')).toMatchObject({ code: 200, length: 0 });
  });

  it('a 404 fails like Request does', async () => {
    const execution = await rt.run(
      flow(`  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/missing`),
    );
    expect(execution.state.current).toBe('FAILED');
    expect(await errorLines(execution.id)).toContain('answered 404 Not Found');
  });

  it('streams 200 MB into storage with little memory', { timeout: 120_000 }, async () => {
    // Warm up first (code loaded, pools and caches made) so that the samples see the download only.
    await rt.run(
      flow(`  - id: warm
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/big?bytes=${8 * 1024 * 1024}`),
    );
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    let execution;
    try {
      execution = await rt.run(
        flow(`  - id: big
    type: io.kestra.plugin.core.http.Download
    uri: ${server.url}/big`),
      );
    } finally {
      clearInterval(sampler);
    }
    const growthMb = (peak - before) / 1024 / 1024;
    console.log(
      `Download of 200 MB: rss before ${(before / 1048576).toFixed(1)} MB, peak ${(peak / 1048576).toFixed(1)} MB, growth ${growthMb.toFixed(1)} MB`,
    );
    expect(execution.state.current).toBe('SUCCESS');
    const out = outputsOf(execution, 'big')!;
    expect(out.length).toBe(BIG);
    expect(await rt.runtime.storage.size(String(out.uri))).toBe(BIG);
    expect(growthMb).toBeLessThan(50);
  });
});

const BIG = 200 * 1024 * 1024;

/** Writes `total` bytes in 64 KiB chunks made on the fly, waiting for `drain` (backpressure). */
function streamBytes(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
  const pump = () => {
    while (sent < total) {
      const part = sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
      sent += part.length;
      if (!res.write(part)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
