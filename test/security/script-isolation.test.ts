/**
 * Script tasks are isolated from the server (issue 19): run by a worker whose environment holds
 * the server's password, a store URL and a `SECRET_*` value, a Python and a shell task look for
 * them in their environment and in their parents' `/proc/<pid>/environ`, open the store and the
 * internal storage, write into another namespace's files, read another running execution's
 * working directory and environment, and change the Python dependencies other runs import. They
 * cannot. The environment is an allow-list on any worker; the file and process checks need a
 * worker running as root (as here and in CI), which starts scripts as users of their own.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';

const PASSWORD = `wh-password-${randomUUID()}`;
const SECRET_VALUE = `secret-x-${randomUUID()}`;
const STORE_URL = `postgres://windhover:store-${randomUUID()}@127.0.0.1:5432/windhover`;
/** What a server process holds in its environment. */
const SERVER_ENV: Record<string, string> = {
  WINDHOVER_USERNAME: 'admin',
  WINDHOVER_PASSWORD: PASSWORD,
  WINDHOVER_STORE_URL: STORE_URL,
  SECRET_X: Buffer.from(SECRET_VALUE).toString('base64'),
};
/** Every value a script must not find anywhere. */
const SECRETS = [PASSWORD, SECRET_VALUE, SERVER_ENV.SECRET_X!, STORE_URL];
const isRoot = process.getuid?.() === 0;
const PROCESS = `    taskRunner:\n      type: io.kestra.plugin.core.runner.Process\n`;

let rt: TestRuntime;
let shared: string;
const before: Record<string, string | undefined> = {};
beforeAll(async () => {
  // The worker's own environment, as a server started with them has it (scripts used to get all of it).
  for (const [name, value] of Object.entries(SERVER_ENV)) {
    before[name] = process.env[name];
    process.env[name] = value;
  }
  rt = await startTestRuntime({ env: { ...process.env } });
  // A folder every user may read, for the files the test hands to scripts.
  shared = mkdtempSync(join(tmpdir(), 'wh-isolation-'));
  chmodSync(shared, 0o755);
});
afterAll(async () => {
  await rt?.dispose();
  rmSync(shared, { recursive: true, force: true });
  for (const [name, value] of Object.entries(before)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('script tasks and the server', () => {
  it("see none of the server's variables in their environment, only the allow-list and their env", async () => {
    const e = await rt.run(`id: env_probe
namespace: test.isolation
tasks:
  - id: py
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    env:
      TASK_VAR: from-the-flow
    script: |
      import json, os
      from kestra import Kestra
      secrets = json.loads(${JSON.stringify(JSON.stringify(SECRETS))})
      Kestra.outputs({
          "names": sorted(os.environ),
          "holding": sorted(k for k, v in os.environ.items() if any(s in v for s in secrets)),
          "home": os.environ.get("HOME"),
          "workingDir": os.environ.get("WORKING_DIR"),
      })
  - id: sh
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - env | cut -d= -f1
`);
    expect(statesOf(e)).toEqual({ py: 'SUCCESS', sh: 'SUCCESS' });
    const vars = (outputsOf(e, 'py')?.vars ?? {}) as {
      names: string[];
      holding: string[];
      home: string;
      workingDir: string;
    };
    expect(vars.names.filter((n) => /^(WINDHOVER_|SECRET_)/.test(n))).toEqual([]);
    expect(vars.holding).toEqual([]);
    expect(vars.names).toEqual(
      expect.arrayContaining(['TASK_VAR', 'WORKING_DIR', 'OUTPUT_DIR', 'PYTHONPATH']),
    );
    const allowed = /^(PATH|HOME|LANG|LANGUAGE|TZ|TMPDIR|LC_\w+|TASK_VAR|WORKING_DIR|OUTPUT_DIR|PYTHONPATH)$/;
    expect(vars.names.filter((n) => !allowed.test(n))).toEqual([]);
    if (isRoot) expect(vars.home).toBe(vars.workingDir);
    const shellNames = (await rt.store.getLogs(e.id)).filter((l) => l.taskId === 'sh').map((l) => l.message);
    expect(shellNames).toContain('WORKING_DIR');
    expect(shellNames.filter((n) => /^(WINDHOVER_|SECRET_)/.test(n))).toEqual([]);
  });

  it.runIf(isRoot)(
    "cannot read their parents' environment, the store, the storage, other namespaces' files or another execution's directory",
    async () => {
      const dataDir = rt.dataDir;
      await rt.runtime.storage.put(rt.runtime.storage.namespaceFileUri('test.other', 'kept.txt'), 'theirs');
      // A running execution of another flow: a private file in its directory, a secret in its environment.
      const flag = join(shared, 'release');
      const holder = await rt.deploy(`id: holder
namespace: test.other
tasks:
  - id: hold
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    env:
      A_TOKEN: "{{ secret('X') }}"
    commands:
      - echo "a private note" > note.txt
      - echo "dir $WORKING_DIR"
      - for i in $(seq 1 300); do [ -e ${flag} ] && exit 0; sleep 0.1; done; exit 1
`);
      const held = await rt.runtime.submit(holder);
      const otherDir = await workingDirOf(held.id);

      const e = await rt.run(`id: intruder
namespace: test.isolation
tasks:
  - id: py
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    script: |
      import json, os
      from kestra import Kestra
      data = ${JSON.stringify(dataDir)}
      other = ${JSON.stringify(otherDir)}
      secrets = json.loads(${JSON.stringify(JSON.stringify(SECRETS))})
      results = {}
      def attempt(name, action):
          try:
              action()
              results[name] = "done"
          except OSError as error:
              results[name] = "denied: " + type(error).__name__
      def read(path):
          with open(path, "rb") as f:
              return f.read()
      def write(path):
          os.makedirs(os.path.dirname(path), exist_ok=True)
          with open(path, "w") as f:
              f.write("written by another flow")
      attempt("own working directory", lambda: write(os.path.join(os.getcwd(), "mine.txt")))
      attempt("store", lambda: read(os.path.join(data, "windhover.db")))
      attempt("list data folder", lambda: os.listdir(data))
      attempt("list storage", lambda: os.listdir(os.path.join(data, "storage")))
      attempt("read other namespace file", lambda: read(os.path.join(data, "storage/test/other/_files/kept.txt")))
      attempt("write other namespace file", lambda: write(os.path.join(data, "storage/test/other/_files/pwned.txt")))
      attempt("list work root", lambda: os.listdir(os.path.join(data, "work")))
      attempt("list other working directory", lambda: os.listdir(other))
      attempt("read other working directory", lambda: read(os.path.join(other, "note.txt")))
      # Up the parents: the worker, what started it, ...
      parents = []
      pid = os.getppid()
      while pid > 1:
          try:
              read("/proc/%d/environ" % pid)
              parents.append("read")
          except OSError as error:
              parents.append("denied: " + type(error).__name__)
          with open("/proc/%d/stat" % pid) as f:
              pid = int(f.read().rsplit(")", 1)[1].split()[1])
      # Any process of the machine whose environment holds a secret (the other execution's).
      holding = []
      for entry in os.listdir("/proc"):
          if entry.isdigit() and int(entry) != os.getpid():
              try:
                  text = read("/proc/%s/environ" % entry).decode("utf-8", "replace")
              except OSError:
                  continue
              if any(s in text for s in secrets):
                  holding.append(int(entry))
      Kestra.outputs({"results": results, "parents": parents, "holding": holding})
`);
      writeFileSync(flag, '');
      const heldEnd = await rt.runtime.waitForEnd(held.id);
      expect(statesOf(e)).toEqual({ py: 'SUCCESS' });
      expect(statesOf(heldEnd)).toEqual({ hold: 'SUCCESS' });
      const vars = (outputsOf(e, 'py')?.vars ?? {}) as {
        results: Record<string, string>;
        parents: string[];
        holding: number[];
      };
      expect(vars.results['own working directory']).toBe('done');
      const done = Object.entries(vars.results).filter(
        ([name, result]) => name !== 'own working directory' && !result.startsWith('denied'),
      );
      expect(done).toEqual([]);
      expect(vars.parents.length).toBeGreaterThan(0);
      expect(vars.parents.filter((p) => !p.startsWith('denied'))).toEqual([]);
      expect(vars.holding).toEqual([]);
      expect(await rt.runtime.storage.list(`kestra:///test/other/_files`)).toEqual([
        'kestra:///test/other/_files/kept.txt',
      ]);
    },
  );

  it.runIf(isRoot)(
    'a process a script leaves behind cannot change its directory once the task ended',
    async () => {
      const probes = mkdtempSync(join(tmpdir(), 'wh-isolation-probe-'));
      chmodSync(probes, 0o777);
      const probe = join(probes, 'probe');
      try {
        // `setsid` takes the process out of the task's process group, which is stopped at the end
        // (the pause lets it get there first).
        const e = await rt.run(`id: leftover
namespace: test.isolation
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles:
      - "data/**"
    tasks:
      - id: first
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - mkdir data && echo kept > data/a.txt
          - setsid sh -c '
              sleep 0.7;
              (echo late > late.txt && echo wrote-late || echo denied-late) >> ${probe};
              (mv data data.old && ln -s /etc data && echo swapped || echo denied-swap) >> ${probe}
            ' > /dev/null 2>&1 &
          - sleep 0.3
      - id: second
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - sleep 1.5
          - cat data/a.txt
          - test -e late.txt && echo late-written || echo no-late
          - test -L data && echo data-is-a-link || echo data-is-a-folder
`);
        expect(statesOf(e)).toEqual({ wdir: 'SUCCESS', first: 'SUCCESS', second: 'SUCCESS' });
        expect(readFileSync(probe, 'utf8').split('\n').filter(Boolean)).toEqual([
          'denied-late',
          'denied-swap',
        ]);
        const second = (await rt.store.getLogs(e.id))
          .filter((l) => l.taskId === 'second')
          .map((l) => l.message);
        expect(second).toEqual(['kept', 'no-late', 'data-is-a-folder']);
        expect(Object.keys(outputsOf(e, 'wdir')?.outputFiles as Record<string, string>)).toEqual([
          'data/a.txt',
        ]);
      } finally {
        rmSync(probes, { recursive: true, force: true });
      }
    },
  );

  it.runIf(isRoot)('cannot change the cached Python dependencies later runs import', async () => {
    const wheel = join(shared, 'whguard-0.1-py3-none-any.whl');
    // A minimal pure-Python wheel: pip installs it without any index.
    execFileSync('python3', [
      '-c',
      `import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('whguard/__init__.py', 'VALUE = 42\\n')
    z.writestr('whguard-0.1.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: whguard\\nVersion: 0.1\\n')
    z.writestr('whguard-0.1.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr('whguard-0.1.dist-info/RECORD', 'whguard/__init__.py,,\\nwhguard-0.1.dist-info/METADATA,,\\nwhguard-0.1.dist-info/WHEEL,,\\nwhguard-0.1.dist-info/RECORD,,\\n')`,
      wheel,
    ]);
    const task = (id: string) => `  - id: ${id}
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    dependencies:
      - ${wheel}
    script: |
      import whguard
      from kestra import Kestra
      try:
          with open(whguard.__file__, "a") as f:
              f.write("VALUE = 666\\n")
          changed = "done"
      except OSError as error:
          changed = "denied: " + type(error).__name__
      Kestra.outputs({"value": whguard.VALUE, "changed": changed})
`;
    const e = await rt.run(`id: deps_guard
namespace: test.isolation
tasks:
${task('first')}${task('second')}`);
    expect(statesOf(e)).toEqual({ first: 'SUCCESS', second: 'SUCCESS' });
    expect(outputsOf(e, 'first')).toMatchObject({ vars: { value: 42, changed: 'denied: PermissionError' } });
    expect(outputsOf(e, 'second')).toMatchObject({ vars: { value: 42, changed: 'denied: PermissionError' } });
  });
});

/** The working directory a running execution's task printed (`dir <path>`), waited for up to 10 s. */
async function workingDirOf(executionId: string): Promise<string> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const line = (await rt.store.getLogs(executionId)).find((l) => l.message.startsWith('dir '));
    if (line) return line.message.slice('dir '.length);
    await sleep(50);
  }
  throw new Error(`execution ${executionId} printed no working directory within 10 s`);
}
