import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { windhover, windhoverAsync } from './windhover.js';

let root: string;
let running: ServerProcess[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wh-server-cli-'));
});

afterEach(async () => {
  for (const server of running) if (server.child.exitCode === null) await server.stop();
  running = [];
  rmSync(root, { recursive: true, force: true });
});

async function serve(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess(['server', ...args], env);
  running.push(server);
  return server;
}

/** The latest revision of a flow in a running server's store (SQLite readers do not block the server). */
async function storedRevision(dataDir: string, namespace: string, id: string): Promise<number | undefined> {
  const store = await openSqliteStore(join(dataDir, 'windhover.db'));
  try {
    return (await store.getFlow(namespace, id))?.revision;
  } finally {
    await store.close();
  }
}

const flowYaml = (id: string, message: string) =>
  `id: ${id}\nnamespace: cli.sync\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

describe('windhover server local', () => {
  it('starts, says it is open, answers /health, and stops cleanly on SIGTERM', async () => {
    const data = join(root, 'data');
    const server = await serve(['local', '--data', data, '--port', '0']);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout()).toMatch(
      /Windhover is running at http:\/\/127\.0\.0\.1:\d+ \(open: no credentials configured\)/,
    );
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(existsSync(join(data, 'windhover.lock'))).toBe(true);

    expect(await server.stop()).toBe(0);
    expect(server.stdout()).toContain('Windhover stopped');
    expect(server.stderr()).toBe('');
    expect(existsSync(join(data, 'windhover.lock'))).toBe(false);
    // The folder is free again: a second server takes it.
    const again = await serve(['local', '--data', data, '--port', '0']);
    expect(await again.stop()).toBe(0);
  });

  it('listens on an IPv6 address written as in a URL (--host [::1])', async () => {
    const server = await serve(['local', '--data', join(root, 'data'), '--port', '0', '--host', '[::1]']);
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('refuses a second server on the same data folder', async () => {
    const data = join(root, 'data');
    await serve(['local', '--data', data, '--port', '0']);
    const second = await windhoverAsync(['server', 'local', '--data', data, '--port', '0']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('WH_DATA_LOCKED');
  });

  it('refuses to listen on another address without credentials (exit 2, a clear message)', () => {
    const result = windhover(
      'server',
      'local',
      '--data',
      join(root, 'data'),
      '--host',
      '0.0.0.0',
      '--port',
      '0',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Refusing to listen on 0.0.0.0 without credentials');
    expect(result.stderr).toContain('WINDHOVER_USERNAME');
    expect(result.stderr).toContain('[WH_CONFIG_INVALID]');
    expect(existsSync(join(root, 'data'))).toBe(false); // nothing opened
  });

  it('guards the API with the credentials of the environment, and never prints the password', async () => {
    const server = await serve(['local', '--data', join(root, 'data'), '--port', '0'], {
      WINDHOVER_USERNAME: 'admin',
      WINDHOVER_PASSWORD: 'pa55-w0rd-xyz',
    });
    expect(server.stdout()).toContain('(basic auth as admin)');
    expect((await fetch(`${server.url}/api/v1/main/flows/search`)).status).toBe(401);
    const authorization = `Basic ${Buffer.from('admin:pa55-w0rd-xyz').toString('base64')}`;
    expect(
      (await fetch(`${server.url}/api/v1/main/flows/search`, { headers: { authorization } })).status,
    ).not.toBe(401);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await server.stop();
    expect(server.stdout() + server.stderr()).not.toContain('pa55-w0rd-xyz');
  });

  it('names a wrong setting from the config file and the environment', () => {
    writeFileSync(join(root, 'windhover.yml'), 'server:\n  portt: 8080\n');
    const result = windhover('server', 'local', '--config', join(root, 'windhover.yml'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('server.portt: unknown setting');
  });

  it('with -f serves the flows of a folder and follows files added, edited and deleted', async () => {
    const flows = join(root, 'flows');
    const data = join(root, 'data');
    cpSync('examples/flows', flows, { recursive: true });
    const server = await serve(['local', '--data', data, '--port', '0', '-f', flows]);
    expect(server.stdout()).toMatch(/Loaded 14 flows from .*flows; watching for changes/);
    expect(await storedRevision(data, 'company.team', 'hello_world')).toBe(1);
    const listed = await fetch(`${server.url}/api/v1/main/flows/company.team/hello_world`);
    expect(listed.status).toBe(200);

    writeFileSync(join(flows, 'added.yaml'), flowYaml('added', 'one'));
    await vi.waitFor(async () => expect(await storedRevision(data, 'cli.sync', 'added')).toBe(1), {
      timeout: 5_000,
    });
    writeFileSync(join(flows, 'added.yaml'), flowYaml('added', 'two'));
    await vi.waitFor(async () => expect(await storedRevision(data, 'cli.sync', 'added')).toBe(2), {
      timeout: 5_000,
    });
    await server.waitForOutput(/flow path: deployed cli\.sync\.added revision 2/);

    // A broken file is reported on stderr; the server goes on.
    writeFileSync(join(flows, 'broken.yaml'), 'id: broken\nnamespace: cli.sync\n');
    await server.waitForOutput(/broken\.yaml skipped: The flow does not validate/);
    expect(server.stderr()).toMatch(/broken\.yaml skipped/);

    unlinkSync(join(flows, 'added.yaml'));
    await vi.waitFor(async () => expect(await storedRevision(data, 'cli.sync', 'added')).toBeUndefined(), {
      timeout: 5_000,
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('with -f writes a flow saved through the API to its file, and a restart keeps the edit', async () => {
    const flows = join(root, 'flows');
    const data = join(root, 'data');
    cpSync('examples/flows', flows, { recursive: true });
    const file = join(flows, '01_hello_world.yaml');
    const edited = `${readFileSync(file, 'utf8')}\n# edited in the UI\n`;
    const first = await serve(['local', '--data', data, '--port', '0', '-f', flows]);
    const saved = await fetch(`${first.url}/api/v1/main/flows/company.team/hello_world`, {
      method: 'PUT',
      body: edited,
      headers: { 'content-type': 'application/x-yaml' },
    });
    expect(saved.status).toBe(200);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(await first.stop()).toBe(0);

    // The file is what the next start loads: the saved revision, not a new one, not the old text.
    const second = await serve(['local', '--data', data, '--port', '0', '-f', flows]);
    const flow = (await (await fetch(`${second.url}/api/v1/main/flows/company.team/hello_world`)).json()) as {
      revision: number;
      source: string;
    };
    expect(flow).toMatchObject({ revision: 2, source: edited });
    expect(await second.stop()).toBe(0);
  });

  it('--help documents every option', () => {
    const help = windhover('server', 'local', '--help').stdout;
    for (const option of [
      '--config',
      '--data',
      '--port',
      '--host',
      '--flow-path',
      '--worker-concurrency',
      '--timezone',
      '--public-url',
      '--max-body-size',
      '--max-upload-size',
      'WINDHOVER_USERNAME',
      'WINDHOVER_PASSWORD',
    ])
      expect(help).toContain(option);
    expect(windhover('server', 'standalone', '--help').stdout).toContain('--store-url');
  });
});

describe('windhover server standalone', () => {
  it('runs on a SQLite store URL, and needs one', async () => {
    const db = join(root, 'store', 'wh.db');
    const server = await serve(['standalone', '--data', join(root, 'data'), '--port', '0'], {
      WINDHOVER_STORE_URL: `sqlite://${db}`,
    });
    expect(server.stdout()).toContain(`store sqlite://${db}`);
    expect(existsSync(db)).toBe(true);
    expect(await server.stop()).toBe(0);
    expect(existsSync(`${db}.lock`)).toBe(false);

    const none = windhover('server', 'standalone', '--data', join(root, 'data2'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('`server standalone` needs a store');
  });
});
