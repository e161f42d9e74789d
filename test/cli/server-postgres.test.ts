/**
 * `windhover server standalone` on PostgreSQL, as separate OS processes: flows, executions and
 * their files (internal storage in PostgreSQL too) survive a restart of the server; a wrong URL
 * fails at start with a clear message and a non-zero exit, never echoing the password.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import { withClient } from '../support/postgres-store.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { windhoverAsync } from './windhover.js';

const db = await createPostgresDatabase('standalone');
const root = mkdtempSync(join(tmpdir(), 'wh-server-pg-'));
const API = '/api/v1/main';

const FLOW = `id: hello_pg
namespace: company.team
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"
  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: "greetings to {{ inputs.who }}"
    extension: .txt
`;

afterAll(async () => {
  await db.drop();
  rmSync(root, { recursive: true, force: true });
});

function start(dataName: string): Promise<ServerProcess> {
  return startServerProcess(
    ['server', 'standalone', '--data', join(root, dataName), '--port', '0', '--store-url', db.url],
    { WINDHOVER_STORAGE_URL: db.url },
    30_000,
  );
}

interface ExecutionBody {
  id: string;
  state: { current: string };
  taskRunList: { taskId: string; outputs: Record<string, unknown> }[];
}

describe.skipIf(!db.available)('server standalone on PostgreSQL', () => {
  it('runs flows on PostgreSQL; they, their executions and files outlive the process', async () => {
    const first = await start('one');
    let executionId: string;
    try {
      expect(first.stdout()).toContain('store postgres://');
      const saved = await fetch(`${first.url}${API}/flows`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-yaml' },
        body: FLOW,
      });
      expect(saved.status, await saved.clone().text()).toBe(200);
      const form = new FormData();
      form.set('who', 'postgres');
      const run = await fetch(`${first.url}${API}/executions/company.team/hello_pg?wait=true`, {
        method: 'POST',
        body: form,
      });
      const body = (await run.json()) as ExecutionBody;
      expect(body.state.current).toBe('SUCCESS');
      executionId = body.id;
    } finally {
      expect(await first.stop()).toBe(0);
    }

    // Another process, with another data folder: everything comes from PostgreSQL.
    const second = await start('two');
    try {
      const read = await fetch(`${second.url}${API}/executions/${executionId}`);
      const execution = (await read.json()) as ExecutionBody;
      expect(execution.state.current).toBe('SUCCESS');
      const uri = execution.taskRunList.find((run) => run.taskId === 'file')!.outputs.uri as string;
      const file = await fetch(
        `${second.url}${API}/executions/${executionId}/file?path=${encodeURIComponent(uri)}`,
      );
      expect(await file.text()).toBe('greetings to postgres');
      const logs = (await (await fetch(`${second.url}${API}/logs/${executionId}`)).json()) as {
        message: string;
      }[];
      expect(logs.map((line) => line.message)).toContain('hello postgres');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('migrates a fresh database with `sys migrate`, two at once (one waits)', async () => {
    const fresh = await createPostgresDatabase('migrate');
    try {
      const [a, b] = await Promise.all([
        windhoverAsync(['sys', 'migrate', '--store-url', fresh.url]),
        windhoverAsync(['sys', 'migrate'], { WINDHOVER_STORE_URL: fresh.url }),
      ]);
      for (const result of [a, b]) {
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(/is at schema version \d+/);
      }
      const { rows } = await withClient(fresh.url, (client) =>
        client.query<{ version: number; n: string }>(
          'SELECT max(version) AS version, count(*) AS n FROM schema_migrations',
        ),
      );
      expect(Number(rows[0]!.n)).toBe(rows[0]!.version);
    } finally {
      await fresh.drop();
    }
  });

  it('runs a worker role on every address without credentials (it serves only /health and /metrics)', async () => {
    const worker = await startServerProcess(
      [
        'server',
        'worker',
        '--data',
        join(root, 'worker'),
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--store-url',
        db.url,
      ],
      {},
      30_000,
    );
    try {
      const health = await fetch(`${worker.url}/health`);
      expect(health.status).toBe(200);
      expect((await fetch(`${worker.url}/api/v1/main/flows/search`)).status).toBe(404);
      // Started without --storage-url: its task files would stay where no other process looks.
      expect(worker.stderr()).toContain('`server worker` without storage.url keeps task files');
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });

  it('refuses a role on a SQLite store, which one process owns', async () => {
    const result = await windhoverAsync([
      'server',
      'executor',
      '--data',
      join(root, 'sqlite-role'),
      '--port',
      '0',
      '--store-url',
      `sqlite://${join(root, 'x.db')}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WH_CONFIG_INVALID');
    expect(result.stderr).toContain('needs PostgreSQL');
  });

  it('fails at start on a PostgreSQL it cannot reach, saying why, without the password', async () => {
    const result = await windhoverAsync([
      'server',
      'standalone',
      '--data',
      join(root, 'bad'),
      '--port',
      '0',
      '--store-url',
      'postgres://wh:secret-pw@127.0.0.1:1/windhover',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WH_STORE_UNREACHABLE');
    expect(result.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(result.stderr).not.toContain('secret-pw');
  });
});
