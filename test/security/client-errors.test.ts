/**
 * Client mistakes answered with a 4xx that names the problem, never a 500 or a hang (issue 19,
 * items 5 to 7): each case here answered 500, 200 or nothing before.
 */
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../server/support.js';
import type { TestServer } from '../server/support.js';

const API = '/api/v1/main';

const FLOW = `id: hook
namespace: company.team
inputs:
  - id: data
    type: FILE
    required: false
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: w
    type: io.kestra.plugin.core.trigger.Webhook
    key: k
`;

/** A multipart body holding one file in the field `fileContent`. */
function fileForm(content: string, boundary = 'xx'): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="fileContent"; filename="a.txt"\r\n\r\n${content}\r\n--${boundary}--\r\n`;
}

/** Writes raw bytes on one keep-alive connection and returns everything read within `ms`. */
function rawExchange(port: number, chunks: Array<string | { waitMs: number }>, ms: number) {
  return new Promise<{ data: string; closed: boolean }>((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('close', () => (closed = true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while the client still writes (the point of the test).
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    void (async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'string') socket.write(chunk);
        else await new Promise((r) => setTimeout(r, chunk.waitMs));
      }
      setTimeout(() => {
        socket.destroy();
        resolvePromise({ data, closed });
      }, ms);
    })();
  });
}

describe('client mistakes are 4xx', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({ listen: true });
    port = Number(new URL(server.url!).port);
    const res = await server.app.inject({
      method: 'POST',
      url: `${API}/flows`,
      headers: { 'content-type': 'application/x-yaml' },
      payload: FLOW,
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(() => server.close());

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, contentType?: string, payload?: string) =>
    server.app.inject({
      method,
      url,
      ...(contentType ? { headers: { 'content-type': contentType } } : {}),
      ...(payload !== undefined ? { payload } : {}),
    });

  it('refuses JSON nested 5,000 deep with 400, on the open webhook route too', async () => {
    const arrays = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const objects = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    for (const body of [arrays, objects]) {
      for (const url of [
        `${API}/executions/webhook/company.team/hook/k`,
        `${API}/executions/company.team/hook`,
        `${API}/triggers/backfill/pause`,
      ]) {
        const res = await inject(url.includes('triggers') ? 'PUT' : 'POST', url, 'application/json', body);
        expect(res.statusCode, url).toBe(400);
        expect(res.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
        expect(res.json<{ message: string }>().message).toContain('nested more than');
      }
    }
    // A text body that is deep JSON, on the webhook (which reads any content type), and a KV value.
    const hook = await inject('POST', `${API}/executions/webhook/company.team/hook/k`, 'text/plain', arrays);
    expect(hook.statusCode).toBe(400);
    const kv = await inject('PUT', `${API}/namespaces/company.team/kv/deep`, 'text/plain', arrays);
    expect(kv.statusCode).toBe(400);
    // Nesting within the limit still works.
    const fine = await inject(
      'POST',
      `${API}/executions/webhook/company.team/hook/k`,
      'application/json',
      '[[[1]]]',
    );
    expect(fine.statusCode).toBe(200);
  });

  it('refuses a JSON input nested too deep and a YAML input over 2 MiB, as invalid inputs', async () => {
    const flow = `id: typed
namespace: company.team
inputs:
  - id: j
    type: JSON
    required: false
  - id: y
    type: YAML
    required: false
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
`;
    expect((await inject('POST', `${API}/flows`, 'application/x-yaml', flow)).statusCode).toBe(200);
    const cases: Array<[Record<string, string>, string]> = [
      [{ j: `${'['.repeat(5000)}${']'.repeat(5000)}` }, 'nested more than'],
      [{ y: Array.from({ length: 300_000 }, (_, i) => `key_${i}: v`).join('\n') }, 'at most 2 MiB'],
    ];
    for (const [inputs, why] of cases) {
      const res = await inject(
        'POST',
        `${API}/executions/company.team/typed`,
        'application/json',
        JSON.stringify(inputs),
      );
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'WH_INPUT_INVALID' });
      expect(res.body).toContain(why);
    }
  });

  it('refuses page numbers and revisions beyond what the store can hold, and days the calendar lacks', async () => {
    for (const url of [
      `${API}/executions/search?page=99999999999999999999`,
      `${API}/flows/search?page=99999999999999999999`,
      `${API}/logs/search?page=99999999999999999999`,
      `${API}/triggers/search?page=1e3`,
      `${API}/executions/search?page=0x10`,
      `${API}/flows/company.team/hook?revision=99999999999`,
      `${API}/executions/search?startDate=2024-02-30`,
      `${API}/executions/search?endDate=2023-02-29T10:00:00Z`,
      `${API}/logs/search?startDate=2024-13-01`,
    ]) {
      const res = await inject('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    }
    expect((await inject('GET', `${API}/executions/search?startDate=2024-02-29`)).statusCode).toBe(200);
  });

  it('answers 400 for a namespace or flow id the API cannot have, on every route with one', async () => {
    for (const namespace of ['%00', '%C3%A9t%C3%A9', '.hidden', 'UPPER', 'a%2Fb']) {
      for (const url of [
        `${API}/triggers/${namespace}/hook`,
        `${API}/flows/${namespace}/hook`,
        `${API}/executions/${namespace}/hook`,
        `${API}/namespaces/${namespace}/kv`,
      ]) {
        const res = await inject(url.includes('/executions/') ? 'POST' : 'GET', url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ message: string }>().message, url).toContain('is not a namespace');
      }
    }
    const res = await inject('GET', `${API}/triggers/company.team/%00bad`);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toContain('is not a flow id');
  });

  it('refuses an upload path the disk cannot hold with 400, without the data folder in the message', async () => {
    const long = await inject(
      'POST',
      `${API}/namespaces/company.team/files?path=/${'a'.repeat(300)}.txt`,
      'multipart/form-data; boundary=xx',
      fileForm('hello'),
    );
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'WH_PATH_INVALID' });
    expect(long.body).not.toContain(server.dataDir);
    expect(long.body).toContain('too long');

    const file = await inject(
      'POST',
      `${API}/namespaces/company.team/files?path=/dir/a.txt`,
      'multipart/form-data; boundary=xx',
      fileForm('hello'),
    );
    expect(file.statusCode).toBe(200);
    const child = await inject(
      'POST',
      `${API}/namespaces/company.team/files?path=/dir/a.txt/child`,
      'multipart/form-data; boundary=xx',
      fileForm('hello'),
    );
    expect(child.statusCode).toBe(400);
    expect(child.json()).toMatchObject({ code: 'WH_PATH_INVALID' });
    expect(child.body).not.toContain(server.dataDir);
    const read = await inject('GET', `${API}/namespaces/company.team/files?path=/dir/a.txt/child`);
    expect(read.statusCode).toBe(404);
  });

  it('refuses a broken multipart form with 400', async () => {
    for (const [contentType, payload] of [
      // Cut short: the form never ends.
      [
        'multipart/form-data; boundary=xx',
        '--xx\r\nContent-Disposition: form-data; name="fileUpload"; filename="a.yml"\r\n\r\nid: a',
      ],
      // No boundary to split it by.
      ['multipart/form-data', fileForm('id: a')],
    ] as const) {
      const res = await inject('POST', `${API}/flows/import`, contentType, payload);
      expect(res.statusCode, payload).toBe(400);
      expect(res.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    }
  });

  it('answers a file part cut short with 400 on every route that stores uploads, rather than hanging', async () => {
    const cut = '--xx\r\nContent-Disposition: form-data; name="fileContent"; filename="a.txt"\r\n\r\nc';
    for (const url of [
      `${API}/executions/company.team/hook`,
      `${API}/namespaces/company.team/files?path=/cut.txt`,
    ]) {
      const started = Date.now();
      const res = await fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=xx' },
        body: cut,
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status, url).toBe(400);
      expect(Date.now() - started, url).toBeLessThan(2000);
    }
  });

  it('answers a form over the field limit with 413 and closes the connection rather than leaving it hanging', async () => {
    let body = '';
    for (let i = 0; i < 1500; i++)
      body += `--xx\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${'v'.repeat(2000)}\r\n`;
    body += '--xx--\r\n';
    const { data, closed } = await rawExchange(
      port,
      [
        `POST ${API}/namespaces/company.team/files?path=/many.txt HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=xx\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        { waitMs: 300 },
        'GET /health HTTP/1.1\r\nHost: a\r\n\r\n',
      ],
      2000,
    );
    expect(data).toMatch(/^HTTP\/1\.1 413/);
    // Either the second request is answered, or the connection was closed after the 413: a
    // client then knows to open another. Before, neither happened.
    const answeredHealth = /HTTP\/1\.1 200/.test(data);
    expect(answeredHealth || closed, data.slice(0, 300)).toBe(true);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });

  it('refuses a FILE input naming another namespace’s file, and takes one of its own namespace', async () => {
    const other = 'kestra:///other/ns/flow/executions/abc/tasks/t/r/secret.csv';
    for (const value of [other, 'kestra:///company/team/../../other/ns/_files/x.csv', '/etc/passwd']) {
      const res = await inject(
        'POST',
        `${API}/executions/company.team/hook`,
        'application/json',
        JSON.stringify({ data: value }),
      );
      expect(res.statusCode, value).toBe(422);
      expect(res.json()).toMatchObject({ code: 'WH_INPUT_INVALID' });
    }
    await server.local.runtime.storage.put('kestra:///company/team/_files/mine.csv', 'a,b\n');
    const own = await inject(
      'POST',
      `${API}/executions/company.team/hook`,
      'application/json',
      JSON.stringify({ data: 'kestra:///company/team/_files/mine.csv' }),
    );
    expect(own.statusCode).toBe(200);
  });
});

describe('symbolic links in the storage', () => {
  let server: TestServer;
  let outside: string;
  beforeAll(async () => {
    server = await startTestServer();
    outside = await mkdtemp(join(tmpdir(), 'wh-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'outside secret');
    const files = join(server.dataDir, 'storage', 'company', 'team', '_files');
    await mkdir(files, { recursive: true });
    await symlink(join(outside, 'secret.txt'), join(files, 'link.txt'));
    await symlink(outside, join(files, 'linkdir'));
  });
  afterAll(async () => {
    await server.close();
    await rm(outside, { recursive: true, force: true });
  });

  it('neither reads nor writes through a link that leaves the data folder', async () => {
    for (const path of ['/link.txt', '/linkdir/secret.txt']) {
      const read = await server.app.inject({
        method: 'GET',
        url: `${API}/namespaces/company.team/files?path=${path}`,
      });
      expect(read.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(read.statusCode, path).toBeLessThan(500);
      expect(read.body).not.toContain('outside secret');
    }
    const write = await server.app.inject({
      method: 'POST',
      url: `${API}/namespaces/company.team/files?path=/linkdir/planted.txt`,
      headers: { 'content-type': 'multipart/form-data; boundary=xx' },
      payload: fileForm('planted'),
    });
    expect(write.statusCode).toBe(400);
    expect(write.json<{ message: string }>().message).toContain('symbolic link');
    expect(await readdir(outside)).toEqual(['secret.txt']);
  });
});
