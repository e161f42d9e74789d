/** Properties shared by `http.Request` and `http.Download` (Kestra's AbstractHttp). */
import { p } from '../../api.js';
import type { Prop } from '../../api.js';

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'CUSTOM',
] as const;

const LOG_TYPES = ['REQUEST_HEADERS', 'REQUEST_BODY', 'RESPONSE_HEADERS', 'RESPONSE_BODY'] as const;

const authType = (name: string): Prop => p.enum([name], { dynamic: false }).required();

/** `options`: Kestra's HttpConfiguration, with the flat settings of older versions kept as deprecated. */
const optionsProp = p
  .object({
    timeout: p
      .object({
        connectTimeout: p.duration().describe('Longest time to establish the connection.'),
        readIdleTimeout: p
          .duration()
          .default('PT5M')
          .describe('Longest time a connection may stay idle while reading.'),
      })
      .describe('Connection timeouts.'),
    proxy: p
      .object({
        type: p.enum(['DIRECT', 'HTTP', 'SOCKS']).default('DIRECT').describe('Kind of proxy.'),
        address: p.string().describe('Host of the proxy.'),
        port: p.integer({ min: 1, max: 65535 }).describe('Port of the proxy.'),
        username: p.string().describe('User name for the proxy.'),
        password: p.string().describe('Password for the proxy.'),
      })
      .describe('A proxy to go through.'),
    auth: p
      .variant('type', {
        BASIC: {
          type: authType('BASIC'),
          username: p.string().describe('User name.'),
          password: p.string().describe('Password.'),
        },
        BEARER: {
          type: authType('BEARER'),
          token: p.string().describe('The bearer token.'),
        },
      })
      .describe('Authentication: `BASIC` (username, password) or `BEARER` (token).'),
    ssl: p
      .object({
        insecureTrustAllCertificates: p
          .boolean()
          .describe('Accept any server certificate. Insecure: for tests only.'),
      })
      .describe('TLS settings.'),
    followRedirects: p.boolean().default(true).describe('Follow redirects.'),
    allowFailed: p.boolean().default(false).describe('Do not fail on a response code of 400 or more.'),
    allowedResponseCodes: p.list(p.integer()).describe('Response codes accepted as success.'),
    enabledTcpExtendedKeepAlive: p
      .boolean()
      .default(true)
      .describe('Use extended TCP keep-alive socket options (turn off on Windows workers).'),
    defaultCharset: p.string().default('UTF-8').describe('Charset of the request body.'),
    logs: p
      .list(p.enum([...LOG_TYPES], { dynamic: false }), { dynamic: false })
      .describe('Parts of the request and response to log.'),
    retry: p
      .map(p.any(), { dynamic: false })
      .describe('Retry policy of the HTTP call (like a task `retry`); no retry by default.'),
    retryOnStatusCodes: p
      .list(p.integer())
      .describe('Response codes that are retried for GET and HEAD (502, 503, 504 by default).'),
    retryOnStatusCodesByMethod: p
      .map(p.list(p.integer()))
      .describe('Response codes that are retried, by HTTP method.'),
    retryableTransportFailureMethods: p
      .list(p.string())
      .describe('Methods retried on a connection failure (GET and HEAD by default).'),
    connectTimeout: p.duration().deprecated('options.timeout.connectTimeout'),
    readTimeout: p.duration().deprecated('options.timeout.readIdleTimeout'),
    readIdleTimeout: p.duration().deprecated('options.timeout.readIdleTimeout'),
    connectionPoolIdleTimeout: p.duration().deprecated('options.timeout'),
    maxContentLength: p
      .integer({ min: 0 })
      .describe(
        'Largest response body `Request` keeps in its `body` output, in bytes (10 MB by default); use `Download` for larger files.',
      ),
    proxyType: p.enum(['DIRECT', 'HTTP', 'SOCKS']).deprecated('options.proxy.type'),
    proxyAddress: p.string().deprecated('options.proxy.address'),
    proxyPort: p.integer().deprecated('options.proxy.port'),
    proxyUsername: p.string().deprecated('options.proxy.username'),
    proxyPassword: p.string().deprecated('options.proxy.password'),
    basicAuthUser: p.string().deprecated('options.auth'),
    basicAuthPassword: p.string().deprecated('options.auth'),
    logLevel: p
      .enum(['ALL', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF', 'NOT_SPECIFIED'], { dynamic: false })
      .deprecated('options.logs'),
  })
  .describe('Connection settings: timeouts, proxy, authentication, TLS, redirects, accepted codes.');

/** The properties of an HTTP call. */
export function httpProperties(): Record<string, Prop> {
  return {
    uri: p.string().required().describe('The full URL to call.'),
    method: p
      .enum([...METHODS])
      .default('GET')
      .describe('The HTTP method.'),
    body: p
      .union(p.string(), p.map(p.any(), { dynamic: false }), p.list(p.any(), { dynamic: false }))
      .describe('The request body, as text (often rendered JSON).'),
    formData: p
      .map(p.any())
      .describe(
        'Form fields. With `contentType: multipart/form-data`, a `kestra://` URI is sent as a file, and `{name, content}` names it.',
      ),
    contentType: p.string().default('application/json').describe('The request content type.'),
    headers: p.map(p.string()).describe('Request headers.'),
    options: optionsProp,
    allowFailed: p.boolean().deprecated('options.allowFailed'),
    sslOptions: p.object({ insecureTrustAllCertificates: p.boolean() }).deprecated('options.ssl'),
  };
}

/** Outputs common to both HTTP tasks. */
export const HTTP_OUTPUTS = {
  code: { type: 'integer', description: 'The response status code.' },
  headers: { type: 'object', description: 'The response headers (each a list of values).' },
} as const;
