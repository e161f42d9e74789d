import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const FILES = '/api/v1/main/namespaces/company.team/files';

/** A multipart/form-data body with one file field. */
function multipart(field: string, name: string, content: string | Buffer) {
  const boundary = '----windhover-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('namespace files routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const upload = (path: string, content: string | Buffer, field = 'fileContent') =>
    server.app.inject({
      method: 'POST',
      url: `${FILES}?path=${encodeURIComponent(path)}`,
      ...multipart(field, path.split('/').pop() ?? 'f', content),
    });
  const read = (path: string) =>
    server.app.inject({ method: 'GET', url: `${FILES}?path=${encodeURIComponent(path)}` });

  it('uploads a file and reads it back, byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const res = await upload('/data/raw.bin', bytes);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ fileName: 'raw.bin', type: 'File', size: bytes.length });
    const back = await read('/data/raw.bin');
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(bytes)).toBe(true);
  });

  it('stores the file where namespace tasks and flows find it', async () => {
    await upload('scripts/main.py', 'print("hi")\n');
    const uri = server.local.runtime.storage.namespaceFileUri('company.team', 'scripts/main.py');
    expect((await server.local.runtime.storage.readBuffer(uri)).toString()).toBe('print("hi")\n');
    // `/scripts/main.py` and `scripts/main.py` are one file, as in Kestra.
    expect((await read('scripts/main.py')).body).toBe('print("hi")\n');
  });

  it('lists a directory with files and sub-directories, and the root', async () => {
    await upload('/dir/a.txt', 'a');
    await upload('/dir/sub/b.txt', 'bb');
    const res = await server.app.inject({ method: 'GET', url: `${FILES}/directory?path=/dir` });
    expect(res.statusCode).toBe(200);
    const list = res.json<Array<{ fileName: string; type: string; size: number }>>();
    expect(list.map((f) => [f.fileName, f.type])).toEqual([
      ['a.txt', 'File'],
      ['sub', 'Directory'],
    ]);
    expect(list[0]?.size).toBe(1);
    const root = await server.app.inject({ method: 'GET', url: `${FILES}/directory` });
    const names = root.json<Array<{ fileName: string }>>().map((f) => f.fileName);
    expect(names).toEqual(expect.arrayContaining(['data', 'dir', 'scripts']));
  });

  it('answers an empty list for the root of a namespace without files', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/v1/main/namespaces/empty.ns/files/directory',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });

  it('gives stats of a file and of a directory', async () => {
    await upload('/stats/s.txt', 'hello');
    const file = await server.app.inject({ method: 'GET', url: `${FILES}/stats?path=/stats/s.txt` });
    expect(file.json()).toMatchObject({ fileName: 's.txt', type: 'File', size: 5 });
    const modified = file.json<{ lastModifiedTime: number }>().lastModifiedTime;
    expect(Math.abs(modified - Date.now())).toBeLessThan(60_000);
    const dir = await server.app.inject({ method: 'GET', url: `${FILES}/stats?path=/stats` });
    expect(dir.json()).toMatchObject({ fileName: 'stats', type: 'Directory' });
    const missing = await server.app.inject({ method: 'GET', url: `${FILES}/stats?path=/nope` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'WH_NAMESPACE_FILE_NOT_FOUND' });
  });

  it('searches paths', async () => {
    const res = await server.app.inject({ method: 'GET', url: `${FILES}/search?q=MAIN` });
    expect(res.json()).toEqual(['/scripts/main.py']);
  });

  it('moves a file, then a whole directory', async () => {
    await upload('/mv/one.txt', '1');
    const moved = await server.app.inject({ method: 'PUT', url: `${FILES}?from=/mv/one.txt&to=/mv/two.txt` });
    expect(moved.statusCode).toBe(204);
    expect((await read('/mv/one.txt')).statusCode).toBe(404);
    expect((await read('/mv/two.txt')).body).toBe('1');
    const dir = await server.app.inject({ method: 'PUT', url: `${FILES}?from=/mv&to=/moved/here` });
    expect(dir.statusCode).toBe(204);
    expect((await read('/moved/here/two.txt')).body).toBe('1');
    expect((await read('/mv/two.txt')).statusCode).toBe(404);
  });

  it('refuses to move onto an existing path or into itself', async () => {
    await upload('/m/a.txt', 'a');
    await upload('/m/b.txt', 'b');
    const onto = await server.app.inject({ method: 'PUT', url: `${FILES}?from=/m/a.txt&to=/m/b.txt` });
    expect(onto.statusCode).toBe(400);
    expect((await read('/m/b.txt')).body).toBe('b');
    const into = await server.app.inject({ method: 'PUT', url: `${FILES}?from=/m&to=/m/inner` });
    expect(into.statusCode).toBe(400);
    const missing = await server.app.inject({ method: 'PUT', url: `${FILES}?from=/none&to=/x` });
    expect(missing.statusCode).toBe(404);
  });

  it('deletes a file, then a directory with everything in it; 404 when missing', async () => {
    await upload('/del/x.txt', 'x');
    await upload('/del/deep/y.txt', 'y');
    const one = await server.app.inject({ method: 'DELETE', url: `${FILES}?path=/del/x.txt` });
    expect(one.statusCode).toBe(204);
    expect((await read('/del/x.txt')).statusCode).toBe(404);
    const dir = await server.app.inject({ method: 'DELETE', url: `${FILES}?path=/del` });
    expect(dir.statusCode).toBe(204);
    expect((await read('/del/deep/y.txt')).statusCode).toBe(404);
    const again = await server.app.inject({ method: 'DELETE', url: `${FILES}?path=/del` });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'WH_NAMESPACE_FILE_NOT_FOUND' });
  });

  it('answers 404 for a missing file and 400 without a path', async () => {
    const missing = await read('/missing.txt');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'WH_NAMESPACE_FILE_NOT_FOUND' });
    const noPath = await server.app.inject({ method: 'GET', url: FILES });
    expect(noPath.statusCode).toBe(400);
    expect(noPath.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
  });

  it('refuses an upload that is not a multipart form with 4xx, not a crash', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: `${FILES}?path=/plain.txt`,
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect((await read('/plain.txt')).statusCode).toBe(404);
  });

  it('refuses an upload without a fileContent part', async () => {
    const res = await upload('/wrong-field.txt', 'x', 'other');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'WH_REQUEST_INVALID' });
    expect((await read('/wrong-field.txt')).statusCode).toBe(404);
  });

  describe('path traversal', () => {
    const escapes = [
      '../secret.txt',
      '/../../etc/passwd',
      'a/../../b',
      '%2e%2e/secret.txt',
      '%2E%2E%2Fsecret.txt',
      '..%2Fsecret.txt',
      'ok/%2e%2e/%2e%2e/x',
      'C:\\Windows\\win.ini',
      '..\\secret.txt',
    ];

    it.each(escapes)('refuses %s with 400 WH_PATH_INVALID on every route', async (path) => {
      // The value is put in the URL as written: `%2e%2e` arrives as `..` after one decoding.
      const q = path.replace(/\\/g, '%5C');
      for (const [method, url] of [
        ['GET', `${FILES}?path=${q}`],
        ['GET', `${FILES}/stats?path=${q}`],
        ['GET', `${FILES}/directory?path=${q}`],
        ['DELETE', `${FILES}?path=${q}`],
        ['PUT', `${FILES}?from=${q}&to=/x.txt`],
        ['PUT', `${FILES}?from=/scripts/main.py&to=${q}`],
      ] as const) {
        const res = await server.app.inject({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(400);
        expect(res.json(), `${method} ${url}`).toMatchObject({ code: 'WH_PATH_INVALID' });
      }
      const up = await server.app.inject({
        method: 'POST',
        url: `${FILES}?path=${q}`,
        ...multipart('fileContent', 'x', 'pwned'),
      });
      expect(up.statusCode).toBe(400);
      expect(up.json()).toMatchObject({ code: 'WH_PATH_INVALID' });
    });

    it('refuses a NUL in a path, and a double-encoded `..`', async () => {
      for (const q of ['a%00b.txt', '%252e%252e/secret.txt']) {
        const res = await server.app.inject({ method: 'GET', url: `${FILES}?path=${q}` });
        expect(res.statusCode, q).toBe(400);
        expect(res.json()).toMatchObject({ code: 'WH_PATH_INVALID' });
      }
    });

    it('never writes outside the namespace', async () => {
      await server.app.inject({
        method: 'POST',
        url: `${FILES}?path=%2e%2e/%2e%2e/escaped.txt`,
        ...multipart('fileContent', 'x', 'pwned'),
      });
      const everything = await readdir(server.dataDir, { recursive: true });
      expect(everything.length).toBeGreaterThan(0);
      expect(everything.filter((name) => name.includes('escaped'))).toEqual([]);
    });
  });
});
