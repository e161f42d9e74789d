/**
 * The built server imports plugins on demand (issue 22): nothing at start, then the plugins of the
 * flows it reads, the triggers it arms and the tasks it runs, and all of them when a route lists
 * them. Tests that import the registry see every plugin loaded and so hide a missed path: this one
 * runs the built CLI (dist/, see `pretest`) and checks over HTTP that flows using flowables, a
 * subflow, the three core triggers, pluginDefaults and a script task validate, run and succeed.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';

const API = '/api/v1/main';
const NAMESPACE = 'lazy.server';

interface ExecutionView {
  id: string;
  flowId: string;
  state: { current: string };
  taskRunList: Array<{ taskId: string; state: { current: string }; outputs?: Record<string, unknown> }>;
}

let root: string;
let server: ServerProcess;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wh-on-demand-'));
  // A copy: flows saved through the API are written to the folder.
  cpSync('test/fixtures/server-on-demand', join(root, 'flows'), { recursive: true });
  server = await startServerProcess([
    'server',
    'local',
    '--data',
    join(root, 'data'),
    '-f',
    join(root, 'flows'),
    '--port',
    '0',
  ]);
}, 30_000);

afterAll(async () => {
  if (server?.child.exitCode === null) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${server.url}${API}${path}`, init);
  const body = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${body}`);
  return JSON.parse(body) as T;
}

/** The executions of a flow, newest first. */
async function executionsOf(flowId: string): Promise<ExecutionView[]> {
  const page = await json<{ results: ExecutionView[] }>(
    `/executions/search?namespace=${NAMESPACE}&flowId=${flowId}&size=100`,
  );
  return page.results;
}

/** Waits until a flow has an execution in a terminal state, and returns it. */
async function endedExecutionOf(flowId: string, timeoutMs = 15_000): Promise<ExecutionView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ended = (await executionsOf(flowId)).find((e) =>
      ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.state.current),
    );
    if (ended) return json<ExecutionView>(`/executions/${ended.id}`);
    if (Date.now() > deadline) throw new Error(`no ended execution of ${flowId}:\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('windhover server local with plugins loaded on demand', () => {
  it('deploys the folder flows at start, every one valid', () => {
    expect(server.stdout()).toContain('Loaded 4 flows');
    expect(server.stderr()).toBe('');
  });

  it('runs a webhook flow (wait: true) through nested flowables, a subflow and a script task', async () => {
    const execution = await json<ExecutionView>(`/executions/webhook/${NAMESPACE}/parent/parent-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 3, kind: 'loop', items: [1, 2] }),
    });
    expect(execution.state.current).toBe('SUCCESS');
    const runs = execution.taskRunList;
    expect(runs.every((run) => run.state.current === 'SUCCESS')).toBe(true);
    const ids = runs.map((run) => run.taskId);
    for (const id of ['outer', 'check', 'pick', 'each', 'both', 'call', 'script', 'answer'])
      expect(ids).toContain(id);
    expect(ids.filter((id) => id === 'left' || id === 'right')).toHaveLength(4);
    // pluginDefaults gave the script its Process runner: it ran here, exit code 0.
    expect(runs.find((run) => run.taskId === 'answer')?.outputs).toEqual({ value: 'done 0' });
    expect((await endedExecutionOf('child')).state.current).toBe('SUCCESS');
  });

  it('fires a Flow trigger after the subflow and a Schedule trigger', async () => {
    expect((await endedExecutionOf('follower')).state.current).toBe('SUCCESS');
    expect((await endedExecutionOf('ticking')).state.current).toBe('SUCCESS');
  });

  // Before the plugin list below, which loads every plugin.
  it('validates, deploys and runs a flow POSTed later with plugin types not used yet', async () => {
    const later = [
      'id: later',
      `namespace: ${NAMESPACE}`,
      'tasks:',
      '  - id: tolerant',
      '    type: io.kestra.plugin.core.flow.AllowFailure',
      '    tasks:',
      '      - id: put',
      '        type: io.kestra.plugin.core.kv.Set',
      '        key: greeting',
      '        value: hello',
      '  - id: get',
      '    type: io.kestra.plugin.core.kv.Get',
      '    key: greeting',
      '  - id: show',
      '    type: io.kestra.plugin.core.debug.Return',
      '    format: "{{ outputs.get.value }}"',
      '',
    ].join('\n');
    const yaml = { 'content-type': 'application/x-yaml' };
    const checked = await json<Array<{ constraints?: string }>>('/flows/validate', {
      method: 'POST',
      headers: yaml,
      body: later,
    });
    expect(checked).toHaveLength(1);
    expect(checked[0]!.constraints).toBeUndefined();
    await json('/flows', { method: 'POST', headers: yaml, body: later });
    const started = await json<ExecutionView>(`/executions/${NAMESPACE}/later?wait=true`, { method: 'POST' });
    expect(started.state.current).toBe('SUCCESS');
    const shown = started.taskRunList.find((run) => run.taskId === 'show');
    expect(shown?.outputs).toEqual({ value: 'hello' });
  });

  it('answers the plugin list, the flow JSON Schema and a plugin doc with every plugin', async () => {
    const groups =
      await json<Array<{ tasks: string[]; triggers: string[]; conditions: string[] }>>('/plugins');
    const tasks = groups.flatMap((group) => group.tasks);
    expect(tasks).toContain('io.kestra.plugin.gcp.bigquery.Query');
    expect(tasks).toContain('io.kestra.plugin.jdbc.postgresql.Query');
    expect(groups.flatMap((group) => group.triggers)).toContain('io.kestra.plugin.gcp.gcs.Trigger');
    const schema = JSON.stringify(await json<Record<string, unknown>>('/plugins/schemas/flow'));
    expect(schema).toContain('io.kestra.plugin.dbt.cli.DbtCLI');
    expect(schema).toContain('io.kestra.plugin.git.Clone');
    const doc = await json<{ type: string }>(
      '/plugins/io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
    );
    expect(doc.type).toBe('io.kestra.plugin.notifications.slack.SlackIncomingWebhook');
  });

  it('reads its stored flows at the next start (no flow folder) and runs them', async () => {
    expect(await server.stop()).toBe(0);
    server = await startServerProcess(['server', 'local', '--data', join(root, 'data'), '--port', '0']);
    const execution = await json<ExecutionView>(`/executions/webhook/${NAMESPACE}/parent/parent-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.taskRunList.map((run) => run.taskId)).toContain('small');
    const later = await json<ExecutionView>(`/executions/${NAMESPACE}/later?wait=true`, { method: 'POST' });
    expect(later.state.current).toBe('SUCCESS');
  });
});
