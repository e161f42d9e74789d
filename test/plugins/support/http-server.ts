/** A real HTTP server on 127.0.0.1 for plugin tests: routes by path, records every request it got. */
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a server; `routes` maps a path (without query) to its handler, unknown paths answer
 * 404. `streamRoutes` get the request before its body is read (for endless or huge answers).
 */
export async function startHttpServer(
  routes: Record<string, Route>,
  streamRoutes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {},
): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const streaming = streamRoutes[path];
    if (streaming) {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.alloc(0),
      });
      streaming(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const route = routes[path];
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${path}`);
        return;
      }
      Promise.resolve(route(req, res, body)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestProxy {
  host: string;
  port: number;
  /** `CONNECT host:port` or `GET http://…` lines it served, with their Proxy-Authorization. */
  seen: { line: string; auth: string | undefined }[];
  close(): Promise<void>;
}

/** A forwarding HTTP proxy (CONNECT tunnels and absolute-URL requests) on 127.0.0.1. */
export async function startHttpProxy(): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ line: `${req.method} ${req.url}`, auth: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({ line: `CONNECT ${req.url}`, auth: req.headers['proxy-authorization'] });
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for 127.0.0.1 (valid 100 years), made for these tests with openssl. */
const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWlV1iMifzACiUANr
Wy/VwLlnPYPtxsporcVT2av0XsOhRANCAASyA0jRmVwKQgSQUMP+3R3jytcnm5zx
ftK6HhU1m8tttoQlt9ElwEObuFcZMAn/c6uQpd2VSLJ7IOkQgMM/LuqM
-----END PRIVATE KEY-----\n`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUXdV9G7V1fF7z+M3iFUhkKHJn++IwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjE5Mzg1OFoYDzIxMjYxMTAy
MTkzODU4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASyA0jRmVwKQgSQUMP+3R3jytcnm5zxftK6HhU1m8tttoQlt9ElwEOb
uFcZMAn/c6uQpd2VSLJ7IOkQgMM/LuqMo2QwYjAdBgNVHQ4EFgQUR78JpCRb+Uij
15Iri27+4LHZ3oowHwYDVR0jBBgwFoAUR78JpCRb+Uij15Iri27+4LHZ3oowDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IHlY7zF9oAeVEBzJTCur5Viu3KN6POSJ1d2cmg2bGAXtAiEAhtpHk7OFX5V29kfL
bjndxo72kderhmlLbCuEODqoJvM=
-----END CERTIFICATE-----\n`,
};

/** An HTTPS server with a self-signed certificate, answering `ok` to every request. */
export async function startSelfSignedServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createTlsServer(SELF_SIGNED, (_req, res) => void res.writeHead(200).end('ok over tls'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
