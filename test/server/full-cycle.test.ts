/**
 * The whole cycle over real HTTP with credentials, as a user's client drives it: import flows,
 * set a KV value, start an execution with inputs and a FILE, follow it by SSE to its end,
 * download its output file and read its logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllEvents } from './sse-client.js';
import { basicAuth, startTestServer } from './support.js';
import type { TestServer } from './support.js';

const AUTH = { username: 'cycle', password: 'full-cycle-pw' };

const REPORT_FLOW = `id: report
namespace: cycle.team
inputs:
  - id: title
    type: STRING
  - id: rows
    type: FILE
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Report {{ inputs.title }} for {{ kv('customer') }}"
  - id: write
    type: io.kestra.plugin.core.storage.Write
    extension: .csv
    content: "{{ inputs.title | upper }} for {{ kv('customer') }}\\n{{ read(inputs.rows) }}"
outputs:
  - id: report
    type: STRING
    value: "{{ outputs.write.uri }}"
`;

const OTHER_FLOW = `id: other
namespace: cycle.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`;

interface ExecutionBody {
  id: string;
  state: { current: string };
  outputs: Record<string, unknown>;
}

describe('full cycle over real HTTP', () => {
  let server: TestServer;
  const headers = { authorization: basicAuth(AUTH.username, AUTH.password) };
  beforeAll(async () => {
    server = await startTestServer({ listen: true, auth: AUTH });
  });
  afterAll(() => server.close());

  const url = (path: string) => `${server.url!}/api/v1/main${path}`;
  const request = async (
    method: string,
    path: string,
    body?: string | FormData,
    extra: Record<string, string> = {},
  ) => {
    const response = await fetch(url(path), {
      method,
      headers: { ...headers, ...extra },
      ...(body !== undefined ? { body } : {}),
    });
    return response;
  };

  it('imports, sets KV, triggers with a FILE, follows to the end, downloads the output, reads the logs', async () => {
    expect((await fetch(url('/flows/search'))).status).toBe(401);

    const upload = new FormData();
    upload.append('fileUpload', new Blob([REPORT_FLOW]), 'report.yaml');
    upload.append('fileUpload', new Blob([OTHER_FLOW]), 'other.yml');
    const imported = await request('POST', '/flows/import', upload);
    expect(imported.status).toBe(200);
    const importAnswer = (await imported.json()) as { imported: Array<{ id: string }>; invalids: unknown[] };
    expect(importAnswer.imported.map((f) => f.id).sort()).toEqual(['other', 'report']);
    expect(importAnswer.invalids).toEqual([]);

    const kv = await request('PUT', '/namespaces/cycle.team/kv/customer', '"ACME"', {
      'content-type': 'text/plain',
    });
    expect(kv.status).toBe(200);

    const form = new FormData();
    form.append('title', 'weekly');
    form.append('rows', new Blob(['a,1\nb,2\n']), 'rows.csv');
    const created = await request('POST', '/executions/cycle.team/report?labels=run:cycle', form);
    expect(created.status).toBe(200);
    const execution = (await created.json()) as ExecutionBody;

    const events = await readAllEvents(url(`/executions/${execution.id}/follow`), headers);
    expect(events.at(-1)!.id).toBe('end');
    const final = JSON.parse(events.at(-1)!.data) as ExecutionBody;
    expect(final.state.current).toBe('SUCCESS');

    const uri = final.outputs.report as string;
    expect(uri).toMatch(/^kestra:\/\/\/cycle\/team\/report\/executions\/.+\.csv$/);
    const file = await request('GET', `/executions/${execution.id}/file?path=${encodeURIComponent(uri)}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('WEEKLY for ACME\na,1\nb,2\n');

    const logs = (await (await request('GET', `/logs/${execution.id}?taskId=greet`)).json()) as Array<{
      message: string;
    }>;
    expect(logs.map((l) => l.message)).toEqual(['Report weekly for ACME']);
    const text = await (await request('GET', `/logs/${execution.id}/download`)).text();
    expect(text).toContain('[greet] Report weekly for ACME');

    const search = (await (
      await request('GET', '/executions/search?namespace=cycle&labels=run:cycle')
    ).json()) as {
      total: number;
    };
    expect(search.total).toBe(1);
  });
});
