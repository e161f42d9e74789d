/**
 * How script isolation is set: the environment's allow-list and `WINDHOVER_SCRIPT_ENV`, the
 * user scripts run as (a user id per task run by default when the worker is root, a
 * WorkingDirectory's files handed from one to the next; `WINDHOVER_SCRIPT_USER` to name one, or
 * `none`), and the modes of the data folder.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processEnvironment } from '../../../src/plugins/scripts/run/environment.js';
import { SCRIPT_UIDS } from '../../../src/plugins/scripts/run/identity.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorOf, flow, logsOf, PROCESS } from './support.js';

const isRoot = process.getuid?.() === 0;
const SETTINGS = ['WINDHOVER_SCRIPT_ENV', 'WINDHOVER_SCRIPT_USER', 'EXTRA_ONE', 'EXTRA_TWO'];
const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});
afterEach(() => {
  for (const name of SETTINGS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** The user and group ids a shell task printed (`id -u`, `id -g`, and `id -G` in some). */
async function idsOf(executionId: string, taskId: string): Promise<string> {
  return (await rt.store.getLogs(executionId))
    .filter((l) => l.taskId === taskId)
    .map((l) => l.message)
    .join(' ');
}

describe('the environment of scripts', () => {
  const base = {
    contextEnv: {},
    workingDir: '/data/work/run-1',
    outputDir: '/data/work/run-1/_output',
  };
  const workerEnv = {
    PATH: '/usr/bin:/bin',
    HOME: '/root',
    TMPDIR: '/var/tmp/worker',
    LANG: 'C.UTF-8',
    LC_TIME: 'fr_FR.UTF-8',
    TZ: 'Europe/Paris',
    WINDHOVER_PASSWORD: 'pw',
    SECRET_X: 'eA==',
    DATABASE_URL: 'postgres://u:p@db/x',
  };

  it('takes PATH, locale and time zone from the worker, HOME and TMPDIR only for its own user, then the task env', () => {
    const own = processEnvironment({ ...base, env: { TZ: 'UTC' }, otherUser: false, workerEnv });
    expect(own).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/root',
      TMPDIR: '/var/tmp/worker',
      LANG: 'C.UTF-8',
      LC_TIME: 'fr_FR.UTF-8',
      TZ: 'UTC',
      WORKING_DIR: '/data/work/run-1',
      OUTPUT_DIR: '/data/work/run-1/_output',
    });
    const other = processEnvironment({ ...base, env: undefined, otherUser: true, workerEnv });
    expect(other.HOME).toBe('/data/work/run-1');
    expect(other.TMPDIR).toBeUndefined();
    expect(Object.keys(other).sort()).toEqual(
      ['HOME', 'LANG', 'LC_TIME', 'OUTPUT_DIR', 'PATH', 'TZ', 'WORKING_DIR'].sort(),
    );
  });

  it('WINDHOVER_SCRIPT_ENV passes the variables it names, and never the server’s own or SECRET_*', async () => {
    process.env.EXTRA_ONE = 'one';
    process.env.EXTRA_TWO = 'two';
    process.env.WINDHOVER_SCRIPT_ENV = 'EXTRA_ONE, LANG';
    const e = await rt.run(
      flow(`  - id: show
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo "one=\${EXTRA_ONE:-unset} two=\${EXTRA_TWO:-unset}"
`),
    );
    expect(await logsOf(rt, e, 'show')).toEqual(['INFO one=one two=unset']);

    process.env.WINDHOVER_SCRIPT_ENV = 'EXTRA_ONE,WINDHOVER_PASSWORD';
    const refused = await rt.run(
      flow(`  - id: show
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo never
`),
    );
    expect(statesOf(refused)).toEqual({ show: 'FAILED' });
    expect(await errorOf(rt, refused, 'show')).toMatch(
      /^WINDHOVER_SCRIPT_ENV names WINDHOVER_PASSWORD: the server's own variables \(WINDHOVER_\*\) and secrets \(SECRET_\*\) are never given to scripts/,
    );
  });
});

describe.runIf(isRoot)('the user scripts run as (worker running as root)', () => {
  it('a user id of its own per task run; the tasks of a WorkingDirectory change each other’s files', async () => {
    const e = await rt.run(
      flow(`  - id: alone
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo "$(id -u) $(id -g) $(id -G)"
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      seed.txt: "seed"
    tasks:
      - id: first
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - echo "$(id -u) $(id -g) $(id -G)"
          - echo "first" > shared.txt
      - id: second
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - echo "$(id -u) $(id -g) $(id -G)"
          - echo "second" >> shared.txt
          - echo "changed" >> seed.txt
          - echo "::{\\"outputs\\":{\\"lines\\":\\"$(cat shared.txt seed.txt | tr '\\n' ' ')\\"}}::"
`),
    );
    expect(statesOf(e)).toEqual({ alone: 'SUCCESS', wdir: 'SUCCESS', first: 'SUCCESS', second: 'SUCCESS' });
    const alone = await idsOf(e.id, 'alone');
    const first = await idsOf(e.id, 'first');
    const second = await idsOf(e.id, 'second');
    const [uid, gid, ...groups] = alone.split(' ').map(Number);
    expect(uid).toBeGreaterThanOrEqual(SCRIPT_UIDS.first);
    expect(uid).toBeLessThan(SCRIPT_UIDS.first + SCRIPT_UIDS.count);
    expect(gid).toBe(uid);
    // Only its own group: root's supplementary groups are dropped.
    expect(groups).toEqual([gid]);
    expect(first).toMatch(/^\d+ \d+ \d+$/);
    expect(first).not.toBe(alone);
    expect(second).toMatch(/^\d+ \d+ \d+$/);
    expect(second).not.toBe(first);
    // The WorkingDirectory's own input file (written by the worker) is the scripts' to change.
    expect(outputsOf(e, 'second')).toMatchObject({ vars: { lines: 'first second seedchanged ' } });
  });

  it('a program in a folder closed to the script’s user fails saying so', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'wh-closed-'));
    try {
      const tool = join(closed, 'tool.sh');
      writeFileSync(tool, '#!/bin/sh\necho ran\n', { mode: 0o755 });
      const e = await rt.run(
        flow(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - ${tool}
`),
      );
      expect(statesOf(e)).toEqual({ run: 'FAILED' });
      const error = (await errorOf(rt, e, 'run')) ?? '';
      expect(error.startsWith(`\`${tool}\` cannot be run by the script's user `)).toBe(true);
      expect(error).toMatch(
        /user \d+ \(EACCES\): install it where every user can run it, or set WINDHOVER_SCRIPT_USER$/,
      );
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it('WINDHOVER_SCRIPT_USER names one user for every script, or none to keep the worker’s', async () => {
    const task = `  - id: who
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo "$(id -u) $(id -g)"
`;
    process.env.WINDHOVER_SCRIPT_USER = 'nobody';
    expect(await idsOf((await rt.run(flow(task))).id, 'who')).toBe('65534 65534');
    process.env.WINDHOVER_SCRIPT_USER = '12345:23456';
    expect(await idsOf((await rt.run(flow(task))).id, 'who')).toBe('12345 23456');
    process.env.WINDHOVER_SCRIPT_USER = 'none';
    expect(await idsOf((await rt.run(flow(task))).id, 'who')).toBe('0 0');
    process.env.WINDHOVER_SCRIPT_USER = 'no-such-user-here';
    const failed = await rt.run(flow(task));
    expect(statesOf(failed)).toEqual({ who: 'FAILED' });
    expect(await errorOf(rt, failed, 'who')).toBe(
      'WINDHOVER_SCRIPT_USER=no-such-user-here: there is no such user on this worker (/etc/passwd); give a user name, `uid:gid`, `auto` or `none`',
    );
  });
});

describe('the data folder', () => {
  it('is closed to other users: work/ can be passed through, the store and storage not at all', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(rt.dataDir)).toBe(0o711);
    expect(mode(join(rt.dataDir, 'work'))).toBe(0o711);
    if (process.env.WINDHOVER_TEST_STORE !== 'postgres') {
      expect(mode(join(rt.dataDir, 'storage'))).toBe(0o700);
      expect(mode(join(rt.dataDir, 'windhover.db'))).toBe(0o600);
    }
  });

  it('under a folder closed to other users, keeps working directories where scripts can reach them', async () => {
    // A data folder under root's home (mode 0700), as a clone or npx there makes.
    const closed = mkdtempSync(join(tmpdir(), 'wh-closed-'));
    const own = await startTestRuntime({}, join(closed, 'data'));
    let workRoot: string | undefined;
    try {
      const execution = await own.run(
        flow(`  - id: where
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo "$(id -u) $(pwd)"
  - id: module
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    script: |
      from kestra import Kestra
      Kestra.outputs({"imported": True})
`),
      );
      expect(statesOf(execution)).toEqual({ where: 'SUCCESS', module: 'SUCCESS' });
      const [uid, cwd] = (await logsOf(own, execution, 'where'))[0]!.replace(/^INFO /, '').split(' ');
      workRoot = dirname(cwd!);
      if (isRoot) {
        expect(Number(uid)).toBeGreaterThanOrEqual(SCRIPT_UIDS.first);
        expect(cwd!.startsWith(join(tmpdir(), 'windhover-work-'))).toBe(true);
        expect(statSync(workRoot).mode & 0o777).toBe(0o711);
      } else expect(cwd!.startsWith(join(closed, 'data', 'work'))).toBe(true);
      expect(outputsOf(execution, 'module')).toMatchObject({ vars: { imported: true } });
    } finally {
      await own.dispose();
      rmSync(closed, { recursive: true, force: true });
      if (workRoot?.startsWith(join(tmpdir(), 'windhover-work-')))
        rmSync(workRoot, { recursive: true, force: true });
    }
  });
});
