import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { windhoverAsync } from './windhover.js';

const USER = 'admin';
const PASSWORD = 'client-pw:with-colon';
const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

let root: string;
let server: ServerProcess;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wh-client-'));
  server = await startServerProcess(['server', 'local', '--data', join(root, 'data'), '--port', '0'], {
    WINDHOVER_USERNAME: USER,
    WINDHOVER_PASSWORD: PASSWORD,
  });
}, 30_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

/** Runs a client command against the test server (credentials through --user unless `env` says otherwise). */
function client(args: string[], env: Record<string, string> = {}, withUser = true) {
  return windhoverAsync(
    [...args, '--server', server.url, ...(withUser ? ['--user', `${USER}:${PASSWORD}`] : [])],
    env,
  );
}

async function api(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/api/v1/main${path}`, { headers: { authorization } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const logFlow = (id: string, namespace = 'cli.client') =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${id}\n`;

/** A port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

describe('flow namespace update', () => {
  it('deploys every flow of a folder, and with --delete removes the namespace’s others', async () => {
    const all = folder('ns-all', { 'a.yaml': logFlow('a'), 'b.yml': logFlow('b') });
    const first = await client(['flow', 'namespace', 'update', 'cli.client', all]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("2 flow(s) for namespace 'cli.client' successfully updated");
    expect(first.stdout).toContain('- cli.client.a');
    expect((await api('/flows/cli.client/a')).status).toBe(200);
    expect((await api('/flows/cli.client/b')).status).toBe(200);

    const onlyA = folder('ns-a', { 'a.yaml': logFlow('a').replace('message: a', 'message: a2') });
    const kept = await client(['flow', 'namespace', 'update', 'cli.client', onlyA]);
    expect(kept.code).toBe(0);
    expect((await api('/flows/cli.client/b')).status).toBe(200); // without --delete, b stays

    const pruned = await client(['flow', 'namespace', 'update', 'cli.client', onlyA, '--delete']);
    expect(pruned.code).toBe(0);
    expect((await api('/flows/cli.client/b')).status).toBe(404);
    const a = (await api('/flows/cli.client/a')).body as { source?: string; revision?: number };
    expect(a.source).toContain('message: a2');
  });

  it('saves nothing when a flow does not validate (exit 1, the server’s message)', async () => {
    const bad = folder('ns-bad', {
      'good.yaml': logFlow('good'),
      'bad.yaml':
        'id: bad\nnamespace: cli.client\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Nope\n',
    });
    const result = await client(['flow', 'namespace', 'update', 'cli.client', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('WH_FLOW_INVALID');
    expect(result.stderr).toContain('io.kestra.plugin.core.log.Nope');
    expect((await api('/flows/cli.client/good')).status).toBe(404);
  });
});

describe('flow validate --server', () => {
  it('has the server validate the files: exit 0 when valid, 1 with each problem otherwise', async () => {
    const good = folder('validate-good', { 'a.yaml': logFlow('a', 'any.ns') });
    const ok = await client(['flow', 'validate', good]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/✓ 1 of 1 flows valid in 1 file on http/);
    expect(ok.code).toBe(0);

    const bad = folder('validate-bad', {
      'bad.yaml': 'id: bad\nnamespace: any.ns\ntasks:\n  - id: t\n    type: nope.Nope\n',
    });
    const failed = await client(['flow', 'validate', bad]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/bad\.yaml: any\.ns\.bad: .*nope\.Nope/);
    expect(failed.stdout).toContain('✗ 0 of 1 flows valid');
  });

  it('--strict: a flow with a warning is not valid, and the summary says the warning counted', async () => {
    const warned = folder('validate-warned', {
      'warn.yaml': logFlow('w', 'any.ns').replace(
        'io.kestra.plugin.core.log.Log',
        'io.kestra.core.tasks.log.Log',
      ),
    });
    const strict = await client(['flow', 'validate', '--strict', warned]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/warn\.yaml: any\.ns\.w: warning: .*deprecated/);
    expect(strict.stdout).toMatch(
      /✗ 0 of 1 flows valid in 1 file on http\S+ with --strict \(0 errors, 1 warning, counted as an error\)/,
    );
  });
});

describe('namespace kv update', () => {
  it('sets typed values as Kestra types them, with an expiry', async () => {
    expect((await client(['namespace', 'kv', 'update', 'cli.client', 'answer', '42'])).code).toBe(0);
    expect((await api('/namespaces/cli.client/kv/answer')).body).toEqual({ type: 'NUMBER', value: 42 });

    const text = await client(['namespace', 'kv', 'update', 'cli.client', 'greeting', 'hello world']);
    expect(text.stdout).toContain('KV cli.client/greeting updated');
    expect((await api('/namespaces/cli.client/kv/greeting')).body).toEqual({
      type: 'STRING',
      value: 'hello world',
    });

    await client(['namespace', 'kv', 'update', 'cli.client', 'zip', '01234', '--type', 'STRING']);
    expect((await api('/namespaces/cli.client/kv/zip')).body).toEqual({ type: 'STRING', value: '01234' });

    writeFileSync(join(root, 'value.json'), '{"rows": [1, 2]}');
    await client([
      'namespace',
      'kv',
      'update',
      'cli.client',
      'doc',
      '-f',
      join(root, 'value.json'),
      '-e',
      'PT1H',
    ]);
    expect((await api('/namespaces/cli.client/kv/doc')).body).toEqual({
      type: 'JSON',
      value: { rows: [1, 2] },
    });
    const listed = (await api('/namespaces/cli.client/kv')).body as Array<{
      key: string;
      expirationDate?: string;
    }>;
    expect(listed.find((e) => e.key === 'doc')?.expirationDate).toBeDefined();

    const wrong = await client(['namespace', 'kv', 'update', 'cli.client', 'n', 'abc', '--type', 'NUMBER']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('the value is not a number');
  });
});

describe('executions trigger', () => {
  it('starts an execution with inputs and an uploaded FILE, and --wait reports its end', async () => {
    const flow = folder('trigger', {
      'echo.yaml': [
        'id: echo',
        'namespace: cli.client',
        'inputs:',
        '  - id: name',
        '    type: STRING',
        '  - id: data',
        '    type: FILE',
        'tasks:',
        '  - id: out',
        '    type: io.kestra.plugin.core.output.OutputValues',
        '    values:',
        '      text: "{{ inputs.name }}: {{ read(inputs.data) }}"',
        'outputs:',
        '  - id: text',
        '    type: STRING',
        '    value: "{{ outputs.out.values.text }}"',
        '',
      ].join('\n'),
      'fail.yaml': [
        'id: fail',
        'namespace: cli.client',
        'tasks:',
        '  - id: boom',
        '    type: io.kestra.plugin.core.execution.Fail',
        '',
      ].join('\n'),
    });
    expect((await client(['flow', 'namespace', 'update', 'cli.client', flow])).code).toBe(0);
    writeFileSync(join(root, 'upload.txt'), 'uploaded content');

    const waited = await client([
      'executions',
      'trigger',
      'cli.client',
      'echo',
      '-i',
      'name=Ada',
      '-i',
      `data=@${join(root, 'upload.txt')}`,
      '-l',
      'team:data',
      '--wait',
      '--json',
    ]);
    expect(waited.stderr).toBe('');
    expect(waited.code).toBe(0);
    const execution = JSON.parse(waited.stdout) as {
      id: string;
      state: { current: string };
      outputs: Record<string, unknown>;
      labels?: Array<{ key: string; value: string }>;
    };
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.outputs.text).toBe('Ada: uploaded content');
    expect(execution.labels).toContainEqual({ key: 'team', value: 'data' });

    const started = await client(['executions', 'trigger', 'cli.client', 'fail']);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^Execution \S+ of cli\.client\.fail: (CREATED|RUNNING|QUEUED|FAILED)/);
    const failed = await client(['executions', 'trigger', 'cli.client', 'fail', '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/: FAILED/);

    const missing = await client(['executions', 'trigger', 'cli.client', 'echo', '-i', 'name=Ada', '--wait']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('WH_INPUT_INVALID');
  });
});

describe('connection', () => {
  it('names the URL of a server it cannot reach, and asks for credentials when they are wrong', async () => {
    const port = await closedPort();
    const unreachable = await windhoverAsync([
      'namespace',
      'kv',
      'update',
      'ns',
      'k',
      'v',
      '--server',
      `http://127.0.0.1:${port}`,
    ]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(
      `Cannot reach the Windhover server at http://127.0.0.1:${port}: ECONNREFUSED`,
    );
    expect(unreachable.stderr).toContain('[WH_SERVER_UNREACHABLE]');

    const anonymous = await client(['namespace', 'kv', 'update', 'ns', 'k', 'v'], {}, false);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('[WH_UNAUTHORIZED]');
    expect(anonymous.stderr).toContain('--user');
  });

  it('reads the server and credentials from WINDHOVER_URL, WINDHOVER_USERNAME and WINDHOVER_PASSWORD', async () => {
    const port = new URL(server.url).port;
    const result = await windhoverAsync(['namespace', 'kv', 'update', 'cli.client', 'from_env', 'yes'], {
      WINDHOVER_URL: `http://localhost:${port}`,
      WINDHOVER_USERNAME: USER,
      WINDHOVER_PASSWORD: PASSWORD,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await api('/namespaces/cli.client/kv/from_env')).body).toEqual({ type: 'STRING', value: 'yes' });
  });
});
