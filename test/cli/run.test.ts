/**
 * `windhover run`, `flow test` and `executions list|show`, through the built command.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windhover } from './windhover.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'windhover-run-'));
const data = join(dir, 'data');
function flowFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HELLO = flowFile(
  'hello.yaml',
  `id: hello
namespace: cli.test
inputs:
  - id: name
    type: STRING
    defaults: world
  - id: times
    type: INT
    defaults: 1
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }} x{{ inputs.times }}"
  - id: shout
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.name | upper }}"
outputs:
  - id: shouted
    type: STRING
    value: "{{ outputs.shout.value }}"
`,
);

describe('windhover run', () => {
  it('runs a flow to the end: progress and summary (on stderr when stdout is not a terminal), exit 0', () => {
    const { code, stdout, stderr } = windhover('run', HELLO, '--data', data, '--input', 'name=ann');
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Running cli\.test\.hello \(revision \d+\) as execution \w+$/m);
    expect(stderr).toContain('INFO  greet Hello ann x1');
    expect(stderr).toMatch(/✓ SUCCESS {2}shout/);
    expect(stderr).toContain('shouted: "ANN"');
  });

  it('--json: stdout holds only the execution in Kestra’s shape; progress goes to stderr', () => {
    const { code, stdout, stderr } = windhover('run', HELLO, '--data', data, '--json', '-i', 'times=3');
    expect(code).toBe(0);
    const execution = JSON.parse(stdout) as {
      taskRunList: Array<{ taskId: string }>;
    } & Record<string, unknown>;
    expect(execution).toMatchObject({
      namespace: 'cli.test',
      flowId: 'hello',
      state: { current: 'SUCCESS' },
      inputs: { name: 'world', times: 3 },
      outputs: { shouted: 'WORLD' },
    });
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual(['greet', 'shout']);
    expect(execution.taskRunList[1]).toMatchObject({
      state: { current: 'SUCCESS' },
      outputs: { value: 'WORLD' },
      attempts: [{}],
    });
    expect(execution).not.toHaveProperty('control');
    expect(stderr).toContain('Hello world x3');
  });

  it('exits 1 when the execution fails', () => {
    const failing = flowFile(
      'fail.yaml',
      'id: fail\nnamespace: cli.test\ntasks:\n  - id: f\n    type: io.kestra.plugin.core.execution.Fail\n    errorMessage: nope\n',
    );
    const { code, stderr } = windhover('run', failing, '--data', data);
    expect(code).toBe(1);
    expect(stderr).toContain('ERROR f nope');
    expect(stderr).toMatch(/✗ FAILED/);
  });

  it('refuses an invalid flow with the validator messages, and invalid inputs, creating nothing', async () => {
    const invalid = flowFile(
      'invalid.yaml',
      'id: invalid\nnamespace: cli.none\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    mesage: hi\n',
    );
    const bad = windhover('run', invalid, '--data', data);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid\.yaml:6:5 .*mesage.*\[WH_FLOW_INVALID\]/s);
    const inputs = windhover('run', HELLO, '--data', data, '-i', 'times=many');
    expect(inputs.code).toBe(2);
    expect(inputs.stderr).toContain('Invalid input for `times`');
    expect(inputs.stderr).toContain('[WH_INPUT_INVALID]');
    const store = await openSqliteStore(join(data, 'windhover.db'));
    try {
      expect((await store.searchExecutions({ namespace: 'cli.none' })).total).toBe(0);
      const hello = await store.searchExecutions({ namespace: 'cli.test', flowId: 'hello' });
      expect(hello.results.every((e) => e.inputs.times !== 'many')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('prints the validator’s warnings before it starts the execution', () => {
    const misread = flowFile(
      'misread.yaml',
      'id: misread\nnamespace: cli.test\ninputs:\n  - id: name\n    type: STRING\n    defaults: world\ntasks:\n  - id: greet\n    type: io.kestra.plugin.core.log.Log\n    message: "Hello {{ inputs.nmae }}"\n',
    );
    const { code, stderr } = windhover('run', misread, '--data', data);
    const warning = `${misread}:10:24  warning: no input \`nmae\` is declared (did you mean \`name\`?)`;
    expect(stderr).toContain(warning);
    expect(stderr.indexOf(warning)).toBeLessThan(stderr.indexOf('Running cli.test.misread'));
    expect(code).toBe(1);
  });

  it('refuses an input the flow does not declare, naming the closest one, creating nothing', async () => {
    const typo = windhover('run', HELLO, '--data', data, '-i', 'nmae=Ada', '-i', 'times=2');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'Invalid inputs for cli.test.hello:\n  - `nmae` is not an input of the flow (did you mean `name`?)',
    );
    expect(typo.stderr).toContain('[WH_INPUT_INVALID]');
    expect(typo.stderr).not.toContain('Running');
    const unrelated = windhover('flow', 'test', HELLO, 'colour', 'red', '--data', data);
    expect(unrelated.code).toBe(2);
    expect(unrelated.stderr).toContain('`colour` is not an input of the flow (its inputs: `name`, `times`)');
    const store = await openSqliteStore(join(data, 'windhover.db'));
    try {
      const hello = await store.searchExecutions({ namespace: 'cli.test', flowId: 'hello' });
      expect(hello.results.some((e) => e.inputs.times === 2 && e.inputs.name === 'world')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("accepts Kestra's `flow test FILE key value…`", () => {
    const { code, stderr } = windhover('flow', 'test', HELLO, 'name', 'bo', 'times', '2', '--data', data);
    expect(code).toBe(0);
    expect(stderr).toContain('Hello bo x2');
    expect(windhover('flow', 'test', HELLO, 'name', '--data', data).code).toBe(2);
  });

  it('stops on SIGTERM with exit code 143, leaving the execution to resume', async () => {
    const slow = flowFile(
      'slow.yaml',
      'id: slow\nnamespace: cli.sigterm\ntasks:\n  - id: nap\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT5S\n  - id: after\n    type: io.kestra.plugin.core.log.Log\n    message: after the nap\n',
    );
    const sigData = join(dir, 'sigterm');
    const child = spawn(process.execPath, ['bin/windhover.js', 'run', slow, '--data', sigData], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    while (!output.includes('Running cli.sigterm.slow')) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(output).toContain('Stopping: running tasks get up to 30 s to finish');
    // Nothing is lost: the execution is there, unfinished, for the next start to resume.
    const list = windhover('executions', 'list', '--data', sigData, '--json');
    const { results } = JSON.parse(list.stdout) as { results: Array<{ state: { current: string } }> };
    expect(results.map((e) => e.state.current)).toEqual(['RUNNING']);
  });
});

describe('windhover executions', () => {
  it('lists executions newest first and shows one with its task tree and logs', () => {
    const list = windhover('executions', 'list', '--data', data, '--flow', 'hello');
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ executions$/);
    const id = lines[0]!.split(/\s+/)[0]!;
    const show = windhover('executions', 'show', id, '--data', data, '--logs');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('cli.test.hello');
    expect(show.stdout).toMatch(/✓ SUCCESS {2}greet/);
    expect(show.stdout).toContain('Logs');
    const json = JSON.parse(windhover('executions', 'show', id, '--data', data, '--json').stdout) as {
      id: string;
    };
    expect(json.id).toBe(id);
    expect(windhover('executions', 'show', 'nope', '--data', data).stderr).toContain(
      'WH_EXECUTION_NOT_FOUND',
    );
    expect(windhover('executions', 'list', '--data', data, '--state', 'DONE').code).toBe(2);
  });
});
