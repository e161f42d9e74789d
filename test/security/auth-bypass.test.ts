/**
 * The login cannot be walked around by spelling a path another way (issue 19, item 1): the
 * router decodes `%61pi` into `api`, so a guard reading the raw URL let every route family
 * through. Sent as raw HTTP, since clients resolve `..` and some encodings before sending.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestServer } from '../server/support.js';
import type { TestServer } from '../server/support.js';

const USER = 'admin';
const PASSWORD = 'correct-horse-battery-staple';

/** One guarded route of each family, as the API names it below `/api/v1/main`. */
const FAMILIES = [
  'flows/search',
  'executions/search',
  'logs/search',
  'namespaces/company.team/kv',
  'namespaces/company.team/files/directory',
  'triggers/search',
  'plugins',
  'plugins/schemas/flow',
];

/** Ways of writing `/api/v1/main/<rest>` that a router may read as that path. */
function spellings(rest: string): string[] {
  return [
    `/%61pi/v1/main/${rest}`,
    `/%61%70%69/%76%31/main/${rest}`,
    `/api/v1/%6dain/${rest}`,
    `/api%2Fv1%2Fmain%2F${rest.replace(/\//g, '%2F')}`,
    `/api/v1%2Fmain/${rest}`,
    `//api/v1/main/${rest}`,
    `/api//v1//main/${rest}`,
    `/./api/v1/main/${rest}`,
    `/api/v1/main/./${rest}`,
    `/api/v1/x/../main/${rest}`,
    `/x/%2e%2e/api/v1/main/${rest}`,
    `/%2561pi/v1/main/${rest}`,
    `/API/v1/main/${rest}`,
    `/Api/V1/Main/${rest}`,
    `/api./v1/main/${rest}`,
    `/api/v1./main./${rest}`,
    `/api/v1/main/${rest};a=b`,
    `/api;x/v1/main/${rest}`,
    `/api/v1/main/${rest}/`,
    `/api/v1/main/${rest}%20`,
    `/api/v1/main/${rest}%00`,
    `/api\\v1\\main\\${rest.replace(/\//g, '\\')}`,
    `/api/v1/${rest}`,
    `/api/v1/main/${rest}?x=/health`,
  ];
}

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends one request as written, without any client-side normalization. */
function rawRequest(
  port: number,
  method: string,
  path: string,
  headers = '',
  body = '',
): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n${body}`,
      ),
    );
    let data = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${path}`)));
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolvePromise({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    socket.on('error', reject);
  });
}

describe('authentication decided on the route the router matched', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({ auth: { username: USER, password: PASSWORD }, listen: true });
    port = Number(new URL(server.url!).port);
    const deploy = await server.app.inject({
      method: 'POST',
      url: '/api/v1/main/flows',
      headers: { 'content-type': 'application/x-yaml', authorization: basicAuth(USER, PASSWORD) },
      payload:
        'id: secret_flow\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
    });
    expect(deploy.statusCode).toBe(200);
  });
  afterAll(() => server.close());

  it('reaches the API without credentials through no spelling of its path, with any method', async () => {
    const reached: string[] = [];
    let answered = 0;
    for (const rest of FAMILIES) {
      for (const path of spellings(rest)) {
        for (const method of ['GET', 'HEAD', 'OPTIONS', 'DELETE']) {
          const response = await rawRequest(port, method, path);
          answered++;
          // 401: guarded; 404: no such route; 400: refused by the router or static files.
          if (![400, 401, 404, 405].includes(response.status))
            reached.push(`${method} ${path} → ${response.status}`);
          // Nothing of the API leaks, whatever the status.
          if (/secret_flow|io\.kestra\.plugin|"results"|"total"/.test(response.body))
            reached.push(`${method} ${path} leaked ${response.body.slice(0, 80)}`);
        }
      }
    }
    expect(reached).toEqual([]);
    expect(answered).toBe(FAMILIES.length * spellings('x').length * 4);
  });

  it('answers 401 to the plain and the decoded spellings alike, and 200 with credentials', async () => {
    for (const path of [
      '/api/v1/main/flows/search',
      '/%61pi/v1/main/flows/search',
      '/api/v1/%6dain/plugins',
    ]) {
      expect((await rawRequest(port, 'GET', path)).status, path).toBe(401);
      const authorized = await rawRequest(
        port,
        'GET',
        path,
        `Authorization: ${basicAuth(USER, PASSWORD)}\r\n`,
      );
      expect(authorized.status, path).toBe(200);
    }
    // HEAD of a guarded GET route is guarded too.
    expect((await rawRequest(port, 'HEAD', '/%61pi/v1/main/flows/search')).status).toBe(401);
  });

  it('cannot deploy or run a flow through an encoded path', async () => {
    const flow =
      'id: pwned\nnamespace: company.team\ntasks:\n  - id: sh\n    type: io.kestra.plugin.core.log.Log\n    message: pwned\n';
    for (const path of ['/%61pi/v1/main/flows', '/api/v1/%6dain/flows', '//api/v1/main/flows']) {
      const response = await rawRequest(
        port,
        'POST',
        path,
        `Content-Type: application/x-yaml\r\nContent-Length: ${Buffer.byteLength(flow)}\r\n`,
        flow,
      );
      expect([401, 404], path).toContain(response.status);
    }
    for (const path of ['/%61pi/v1/main/executions/company.team/secret_flow']) {
      const response = await rawRequest(port, 'POST', path, 'Content-Length: 0\r\n');
      expect(response.status, path).toBe(401);
    }
    expect(await server.local.store.getFlow('company.team', 'pwned')).toBeUndefined();
    const executions = await server.local.store.searchExecutions({ page: 1, size: 10 });
    expect(executions.total).toBe(0);
  });

  it('keeps health, metrics, the UI and webhooks open, however they are spelt', async () => {
    for (const path of ['/health', '/%68ealth', '/metrics', '/%6detrics']) {
      expect((await rawRequest(port, 'GET', path)).status, path).toBe(200);
    }
    for (const path of [
      '/api/v1/main/executions/webhook/company.team/no-flow/no-key',
      '/%61pi/v1/main/executions/webhook/company.team/no-flow/no-key',
      '/api/v1/executions/webhook/company.team/no-flow/no-key',
    ]) {
      // No such webhook: a 404, never a request for credentials.
      expect((await rawRequest(port, 'GET', path)).status, path).toBe(404);
    }
  });
});
