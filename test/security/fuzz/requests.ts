/**
 * Generators of bad requests for the fuzz suite: every route of the API (read from the
 * server's own OpenAPI document), with path parameters, query values, bodies, content types
 * and methods drawn from what attackers and careless clients send.
 */
import fc from 'fast-check';

/** A route as the OpenAPI document lists it: `GET /api/v1/main/flows/{namespace}`. */
export interface RouteSpec {
  method: string;
  path: string;
}

/** One request to send. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the request was made of, for the report of a failure. */
  shape: string;
}

/** The names the fixtures deploy, so that part of the requests reach real handlers. */
export interface Fixtures {
  namespace: string;
  flowId: string;
  executionId: string;
  webhookKey: string;
  /** A folder the data folder is in, for attempts to write next to it. */
  outsideDir: string;
}

const LONG = 'a'.repeat(4096);

/** Texts that broke or could break a parser, a path check or a database. */
function nastyTexts(fixtures: Fixtures): string[] {
  return [
    '',
    ' ',
    '.',
    '..',
    '...',
    '../..',
    '../../../../etc/passwd',
    `../../${fixtures.outsideDir.split('/').at(-1)!}/planted`,
    `${fixtures.outsideDir}/planted`,
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    '\\..\\..\\',
    '\0',
    'a\0b',
    '%00',
    '%2e%2e',
    '%252e%252e',
    '%',
    '%zz',
    '%c0%ae%c0%ae',
    'été',
    'ЖЖЖ',
    '😀',
    '\u202e',
    '\uFEFF',
    '\uD800',
    'UPPER.Case',
    'a'.repeat(256),
    LONG,
    '-1',
    '0',
    '1e309',
    '99999999999999999999',
    'NaN',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '{{ secret("X") }}',
    "{{ 'a' * 100000000 }}",
    '{% for i in range(0, 100000000) %}x{% endfor %}',
    "' OR 1=1 --",
    '"; DROP TABLE flows; --',
    '$(touch /tmp/pwned)',
    '`id`',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'prototype',
    'kestra:///../../etc/passwd',
    'kestra:///other/ns/_files/x',
    'nsfile:///x',
    'file:///etc/passwd',
    'http://169.254.169.254/latest/meta-data/',
    fixtures.namespace,
    fixtures.flowId,
    fixtures.executionId,
  ];
}

/** A text for a path segment or a query value: a nasty one, the fixtures' names, or random. */
function text(fixtures: Fixtures): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...nastyTexts(fixtures)), weight: 5 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
    { arbitrary: fc.integer().map(String), weight: 1 },
  );
}

/** A path segment: usually %-encoded as a client would, sometimes raw. */
function segment(fixtures: Fixtures): fc.Arbitrary<string> {
  return fc.tuple(text(fixtures), fc.integer({ min: 0, max: 9 })).map(([value, how]) => {
    if (how < 7) return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '?')) || '%20';
    // Raw: only what an HTTP request line can carry (visible ASCII but `?` and `#`).
    return value.replace(/[^!-~]|[?#]/g, '_') || '_';
  });
}

const QUERY_NAMES = [
  'page',
  'size',
  'revision',
  'limit',
  'after',
  'startDate',
  'endDate',
  'namespace',
  'flowId',
  'state',
  'labels',
  'q',
  'path',
  'from',
  'to',
  'minLevel',
  'taskId',
  'taskRunId',
  'wait',
  'delete',
  'source',
  'scheduleDate',
  'sort',
  'filters[q][EQUALS]',
  '__proto__',
];

/** A query string of known and unknown names, values nasty or plausible, some repeated. */
function queryString(fixtures: Fixtures): fc.Arbitrary<string> {
  const value = fc.oneof(
    text(fixtures),
    fc.constantFrom(
      '1',
      '25',
      '10000',
      '10001',
      '2024-02-30',
      '2024-05-01T10:00:00Z',
      'SUCCESS',
      'a:b',
      'true',
    ),
  );
  return fc
    .array(fc.tuple(fc.constantFrom(...QUERY_NAMES), value), { maxLength: 4 })
    .map((pairs) =>
      pairs.length === 0
        ? ''
        : `?${pairs
            .map(
              ([name, v]) =>
                `${encodeURIComponent(name)}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '?'))}`,
            )
            .join('&')}`,
    );
}

/** JSON nested `depth` deep, as arrays or objects. */
function deepJson(depth: number, objects: boolean): string {
  return objects
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** YAML texts: flows broken in the ways users and attackers break them. */
function yamlBodies(fixtures: Fixtures): string[] {
  const flow = `id: ${fixtures.flowId}\nnamespace: ${fixtures.namespace}\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
  const many = Array.from({ length: 2000 }, (_, i) => `  k${i}: v${i}`).join('\n');
  return [
    flow,
    `${flow}variables:\n${many}\n`,
    `${flow}variables:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
    `${flow}variables:\n  a: *undefined_alias\n`,
    `${flow}variables:\n  x: 1\n  x: 2\n`,
    'id: [unclosed\n',
    `id: a\nnamespace: b\ntasks: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
    `${'- '.repeat(2000)}x\n`,
    '!!js/function "function(){ return 1 }"',
    '!!binary AAAA',
    '<<: *a',
    '--- \n--- \n---\n',
    '\t\tid: tabs\n',
    `id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands: ["touch ${fixtures.outsideDir}/planted"]\n`,
    `id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ ${'('.repeat(3000)}1${')'.repeat(3000)} }}"\n`,
    `id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: "${'{{ 1 }}'.repeat(20000)}"\n`,
  ];
}

/** A multipart form: well made, cut short, without boundary, or with far too many parts. */
function multipartBodies(fixtures: Fixtures): Array<{ contentType: string; body: string }> {
  const part = (name: string, value: string, filename?: string) =>
    `--xx\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;
  const flow = `id: imported\nnamespace: ${fixtures.namespace}\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
  const manyFields = Array.from({ length: 1200 }, (_, i) => part(`f${i}`, 'v')).join('');
  return [
    {
      contentType: 'multipart/form-data; boundary=xx',
      body: `${part('fileContent', 'hello', 'a.txt')}--xx--\r\n`,
    },
    {
      contentType: 'multipart/form-data; boundary=xx',
      body: `${part('fileUpload', flow, 'flow.yml')}--xx--\r\n`,
    },
    {
      contentType: 'multipart/form-data; boundary=xx',
      body: part('fileContent', 'cut short', 'a.txt').slice(0, -10),
    },
    { contentType: 'multipart/form-data', body: `${part('fileContent', 'no boundary', 'a.txt')}--xx--\r\n` },
    { contentType: 'multipart/form-data; boundary=xx', body: `${manyFields}--xx--\r\n` },
    {
      contentType: 'multipart/form-data; boundary=xx',
      body: `${part('fileContent', 'x', `../../${'b'.repeat(300)}.txt`)}--xx--\r\n`,
    },
    {
      contentType: 'multipart/form-data; boundary=xx',
      body: `${part('fileContent', 'planted', '../../../planted.txt')}--xx--\r\n`,
    },
    { contentType: 'multipart/form-data; boundary=xx', body: 'garbage without any boundary' },
    { contentType: 'multipart/form-data; boundary=', body: '--\r\n\r\n' },
  ];
}

/** A body with its content type: JSON, YAML, text, multipart, binary, or none. */
function body(fixtures: Fixtures): fc.Arbitrary<{ contentType?: string; body?: Buffer; shape: string }> {
  const json = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.constantFrom(
      deepJson(5000, false),
      deepJson(5000, true),
      deepJson(150, true),
      '{"__proto__": {"polluted": true}}',
      '{"constructor": {"prototype": {"polluted": true}}}',
      '{"namespace": "../..", "flowId": "\\u0000", "triggerId": "x"}',
      '{"start": "2024-02-30", "end": "not a date"}',
      '{"triggers": [' +
        Array.from({ length: 500 }, () => '{"namespace":"a","flowId":"b","triggerId":"c"}').join(',') +
        '], "disabled": true}',
      '[' + '1,'.repeat(100000) + '1]',
      '{"a":',
      'not json',
      '',
    ),
  );
  return fc.oneof(
    { arbitrary: fc.constant({ shape: 'no body' }), weight: 2 },
    {
      arbitrary: fc
        .tuple(json, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'))
        .map(([text, contentType]) => ({
          contentType,
          body: Buffer.from(text),
          shape: `json:${text.slice(0, 60)}`,
        })),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...yamlBodies(fixtures)), fc.constantFrom('application/x-yaml', 'text/plain'))
        .map(([text, contentType]) => ({
          contentType,
          body: Buffer.from(text),
          shape: `yaml:${text.slice(0, 60)}`,
        })),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(...multipartBodies(fixtures)).map(({ contentType, body }) => ({
        contentType,
        body: Buffer.from(body),
        shape: `multipart:${body.slice(0, 60)}`,
      })),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(
          text(fixtures),
          fc.constantFrom(
            'text/plain',
            'application/octet-stream',
            'application/x-www-form-urlencoded',
            'weird/type',
            '',
          ),
        )
        .map(([text, contentType]) => ({
          contentType,
          body: Buffer.from(text),
          shape: `text:${text.slice(0, 60)}`,
        })),
      weight: 2,
    },
    {
      arbitrary: fc
        .uint8Array({ maxLength: 512 })
        .map((bytes) => ({ contentType: 'application/json', body: Buffer.from(bytes), shape: 'binary' })),
      weight: 1,
    },
  );
}

/** Other spellings of `/api/` a router may read the same way (the login bypass of issue 19). */
const PREFIX_SPELLINGS = [
  '/%61pi/',
  '/%61%70%69/',
  '//api/',
  '/./api/',
  '/x/../api/',
  '/API/',
  '/api./',
  '/api;a=b/',
  '/%2561pi/',
];

/** Fills a route's `{parameters}`: the fixtures' values for most, nasty ones for the rest. */
function routePath(route: RouteSpec, fixtures: Fixtures): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const known: Record<string, string> = {
    namespace: fixtures.namespace,
    flowId: fixtures.flowId,
    id: fixtures.flowId,
    executionId: fixtures.executionId,
    key: fixtures.webhookKey,
    type: 'io.kestra.plugin.core.log.Log',
  };
  return fc
    .tuple(
      ...names.map((name) =>
        fc.oneof(fc.constant(encodeURIComponent(known[name] ?? 'x')), segment(fixtures)),
      ),
      fc.boolean(),
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 6 },
        { arbitrary: fc.constantFrom(...PREFIX_SPELLINGS), weight: 1 },
      ),
    )
    .map((values) => {
      const spelling = values.pop() as string | undefined;
      const alias = values.pop() as boolean;
      let index = 0;
      const path = route.path.replace(/\{\w+\}/g, () => values[index++] as string);
      // Kestra's older prefix answers the same routes.
      const routed = alias ? path.replace(/^\/api\/v1\/main\//, '/api/v1/') : path;
      return spelling === undefined ? routed : routed.replace(/^\/api\//, spelling);
    });
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** A bad request to one of `routes`, mostly with the route's own method. */
export function fuzzRequest(routes: readonly RouteSpec[], fixtures: Fixtures): fc.Arbitrary<FuzzRequest> {
  return fc
    .constantFrom(...routes)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        path: routePath(route, fixtures),
        query: queryString(fixtures),
        body: body(fixtures),
        method: fc.oneof(
          { arbitrary: fc.constant(route.method), weight: 8 },
          { arbitrary: fc.constantFrom(...METHODS), weight: 1 },
        ),
      }),
    )
    .map(({ route, path, query, body: { contentType, body: payload, shape }, method }): FuzzRequest => {
      // GET and HEAD carry no body in practice (and Fastify refuses one with a content type).
      const withBody = payload !== undefined && method !== 'GET' && method !== 'HEAD';
      const headers: Record<string, string> = withBody && contentType ? { 'content-type': contentType } : {};
      return {
        method,
        path: `${path}${query}`,
        headers,
        ...(withBody ? { body: payload } : {}),
        shape: `${route.method} ${route.path} ← ${withBody ? shape : 'no body'}`,
      };
    });
}
