/**
 * Script tasks through the real runtime: real python3, sh and node processes in working
 * directories, files in and out of internal storage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InternalStorage } from '../../../src/storage/contract.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorOf, flow, logsOf, PROCESS } from './support.js';

let rt: TestRuntime;
let storage: InternalStorage;
beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 4 });
  // The runtime's own: local files, or PostgreSQL under vitest.postgres.config.ts.
  storage = rt.runtime.storage;
});
afterAll(async () => {
  await rt.dispose();
});

describe('outputs and logs', () => {
  it('reads ::{...}:: lines as outputs, metrics and logs, and logs the other lines', async () => {
    const e = await rt.run(
      flow(`  - id: sh
    type: io.kestra.plugin.scripts.shell.Script
${PROCESS}    script: |
      echo "plain line"
      echo '::{"outputs":{"count":3,"name":"taxi"}}::'
      echo '::{"outputs":{"count":4}}::'
      echo '::{"metrics":[{"name":"rows","type":"counter","value":12,"tags":{"t":"x"}}]}::'
      echo '::{"logs":[{"level":"WARN","message":"from the protocol"},{"level":"DEBUG","message":"details"}]}::'
      echo '::{not json}::'
      printf 'no newline at the end'
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.sh.vars.count }} {{ outputs.sh.vars.name }} {{ outputs.sh.exitCode }}"
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(outputsOf(e, 'sh')).toEqual({ exitCode: 0, vars: { count: 4, name: 'taxi' } });
    expect(outputsOf(e, 'use')).toEqual({ value: '4 taxi 0' });
    expect(await logsOf(rt, e, 'sh')).toEqual([
      'INFO plain line',
      'DEBUG Metric rows (counter): 12 {"t":"x"}',
      'WARN from the protocol',
      'DEBUG details',
      'INFO ::{not json}::',
      'INFO no newline at the end',
    ]);
  });

  it('logs standard error at ERROR; SUCCESS on exit 0 unless warningOnStdErr is true', async () => {
    const e = await rt.run(
      flow(`  - id: quiet
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo "to stderr" >&2
  - id: strict
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    warningOnStdErr: true
    commands:
      - echo "to stderr" >&2
  - id: clean
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    warningOnStdErr: true
    commands:
      - echo "only stdout"
`),
    );
    expect(statesOf(e)).toEqual({ quiet: 'SUCCESS', strict: 'WARNING', clean: 'SUCCESS' });
    expect(await logsOf(rt, e, 'quiet')).toEqual(['ERROR to stderr']);
    expect(e.state.current).toBe('WARNING');
  });

  it('fails on a non-zero exit code, keeping exitCode and the vars sent before', async () => {
    const e = await rt.run(
      flow(`  - id: fail
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo '::{"outputs":{"step":1}}::'
      - exit 3
      - echo never
`),
    );
    expect(statesOf(e)).toEqual({ fail: 'FAILED' });
    expect(outputsOf(e, 'fail')).toEqual({ exitCode: 3, vars: { step: 1 } });
    expect(await errorOf(rt, e, 'fail')).toBe('Command failed with exit code 3');
    expect((await logsOf(rt, e, 'fail')).join('\n')).not.toContain('never');
  });

  it('failFast false: every command runs and the last one decides', async () => {
    const e = await rt.run(
      flow(`  - id: go_on
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    failFast: false
    commands:
      - "false"
      - echo still here
`),
    );
    expect(statesOf(e)).toEqual({ go_on: 'SUCCESS' });
    expect(await logsOf(rt, e, 'go_on')).toEqual(['INFO still here']);
  });
});

describe('commands, interpreters, environment', () => {
  it('env, WORKING_DIR, OUTPUT_DIR, beforeCommands in the same shell, {{ workingDir }}', async () => {
    const e = await rt.run(
      flow(`  - id: env
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    env:
      GREETING: "hello {{ flow.namespace }}"
    beforeCommands:
      - export FROM_BEFORE=yes
      - cd sub 2>/dev/null || mkdir sub
    commands:
      - echo "$GREETING $FROM_BEFORE"
      - test "$WORKING_DIR" = "{{ workingDir }}" && echo "same dir"
      - test "$(pwd)" = "{{ workingDir }}" && echo "cwd is the working dir"
      - test "$OUTPUT_DIR" = "{{ workingDir }}/_output" && test -d "$OUTPUT_DIR" && echo "output dir"
      - echo kept > "$OUTPUT_DIR/report.txt"
      - echo also > "{{ outputDir }}/also.txt"
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(await logsOf(rt, e, 'env')).toEqual([
      'INFO hello test.scripts yes',
      'INFO same dir',
      'INFO cwd is the working dir',
      'INFO output dir',
    ]);
    const files = outputsOf(e, 'env')?.outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(['also.txt', 'report.txt']);
    expect((await storage.readBuffer(files['report.txt']!)).toString()).toBe('kept\n');
  });

  it('a custom interpreter gets the joined commands', async () => {
    const e = await rt.run(
      flow(`  - id: bash
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    interpreter: ["/bin/bash", "-c"]
    commands:
      - 'words=(a b c); echo "\${#words[@]} words"'
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(await logsOf(rt, e, 'bash')).toEqual(['INFO 3 words']);
  });

  it('shell Script runs the script file; bash.Commands is shell.Commands', async () => {
    const e = await rt.run(
      flow(`  - id: script
    type: io.kestra.plugin.scripts.shell.Script
${PROCESS}    script: |
      for i in 1 2; do echo "line $i"; done
      echo "{{ task.id }}"
  - id: alias
    type: io.kestra.plugin.scripts.bash.Commands
${PROCESS}    commands:
      - echo alias works
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(await logsOf(rt, e, 'script')).toEqual(['INFO line 1', 'INFO line 2', 'INFO script']);
    expect(await logsOf(rt, e, 'alias')).toEqual(['INFO alias works']);
  });

  it('node Script and Commands', async () => {
    const e = await rt.run(
      flow(`  - id: script
    type: io.kestra.plugin.scripts.node.Script
${PROCESS}    script: |
      const total = [1, 2, 3].reduce((a, b) => a + b, 0);
      console.log('total ' + total);
      console.log('::' + JSON.stringify({ outputs: { total } }) + '::');
  - id: commands
    type: io.kestra.plugin.scripts.node.Commands
${PROCESS}    inputFiles:
      main.mjs: |
        import { readFileSync } from 'node:fs';
        console.log('read ' + readFileSync('data.txt', 'utf8').trim());
      data.txt: "{{ outputs.script.vars.total }}"
    commands:
      - node main.mjs
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(outputsOf(e, 'script')).toEqual({ exitCode: 0, vars: { total: 6 } });
    expect(await logsOf(rt, e, 'commands')).toEqual(['INFO read 6']);
  });

  it('python resolves as a command and the kestra module imports, in Script and Commands', async () => {
    const e = await rt.run(
      flow(`  - id: script
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    script: |
      import sys
      from kestra import Kestra
      Kestra.outputs({"major": sys.version_info[0]})
  - id: commands
    type: io.kestra.plugin.scripts.python.Commands
${PROCESS}    inputFiles:
      main.py: |
        from kestra import Kestra
        Kestra.outputs({"from": "file"})
    commands:
      - python main.py
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(outputsOf(e, 'script')).toEqual({ exitCode: 0, vars: { major: 3 } });
    expect(outputsOf(e, 'commands')).toEqual({ exitCode: 0, vars: { from: 'file' } });
  });

  it('a missing interpreter or command fails with what to install', async () => {
    const e = await rt.run(
      flow(`  - id: interpreter
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    interpreter: ["/nonexistent/sh", "-c"]
    commands:
      - echo hi
`),
    );
    expect(statesOf(e)).toEqual({ interpreter: 'FAILED' });
    expect(await errorOf(rt, e, 'interpreter')).toBe(
      '`/nonexistent/sh` was not found on this worker: install it, or change the command or `interpreter`',
    );
    const e2 = await rt.run(
      flow(`  - id: python
    type: io.kestra.plugin.scripts.python.Commands
${PROCESS}    env:
      PATH: /nonexistent
    commands:
      - python3 -c pass
`),
    );
    expect(await errorOf(rt, e2, 'python')).toBe(
      '`python3` was not found on this worker: install it, or change the command or `interpreter`',
    );
    expect(outputsOf(e2, 'python')).toMatchObject({ exitCode: 127 });
    const e3 = await rt.run(
      flow(`  - id: in_shell
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - echo before
      - windhover-no-such-tool --version
`),
    );
    expect(await errorOf(rt, e3, 'in_shell')).toBe(
      'Command failed with exit code 127: `windhover-no-such-tool` was not found on this worker; install it, or change the command or `interpreter`',
    );
  });
});

describe('task runners', () => {
  it('without taskRunner, or with a containerImage, says the task runs as a local process', async () => {
    const e = await rt.run(
      flow(`  - id: default
    type: io.kestra.plugin.scripts.shell.Commands
    commands: [echo hi]
  - id: image
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    containerImage: alpine:3
    commands: [echo hi]
  - id: legacy
    type: io.kestra.plugin.scripts.shell.Commands
    runner: PROCESS
    commands: [echo hi]
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect((await logsOf(rt, e, 'default'))[0]).toMatch(
      /^INFO No `taskRunner` is set: Kestra would run this task in a Docker container of `ubuntu`; Windhover runs it as a local process/,
    );
    expect(await logsOf(rt, e, 'image')).toEqual([
      'INFO `containerImage` (alpine:3) is ignored: the Process task runner runs commands on this worker',
      'INFO hi',
    ]);
    expect(await logsOf(rt, e, 'legacy')).toEqual(['INFO hi']);
  });
});

describe('files', () => {
  it('inputFiles from a previous task outputFiles (kestra:// URI), nested names, JSON text', async () => {
    const e = await rt.run(
      flow(`  - id: make
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    outputFiles:
      - "out/*.csv"
      - .hidden
    script: |
      import os
      os.makedirs("out", exist_ok=True)
      open("out/a.csv", "w").write("x,y\\n1,2\\n")
      open(".hidden", "w").write("dot")
      open("not-kept.txt", "w").write("no")
  - id: use
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    inputFiles:
      data/in.csv: "{{ outputs.make.outputFiles['out/a.csv'] }}"
      notes.txt: inline text
    commands:
      - cat data/in.csv notes.txt
  - id: json
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    inputFiles: '{"a.txt": "from json"}'
    commands:
      - cat a.txt
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    const files = outputsOf(e, 'make')?.outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(['.hidden', 'out/a.csv']);
    expect(files['out/a.csv']).toMatch(
      /^kestra:\/\/\/test\/scripts\/scripts_\d+\/executions\/.+\/tasks\/make\//,
    );
    expect(await logsOf(rt, e, 'use')).toEqual(['INFO x,y', 'INFO 1,2', 'INFO inline text']);
    expect(await logsOf(rt, e, 'json')).toEqual(['INFO from json']);
  });

  it('a kestra:// URI that does not exist fails naming the file and the URI', async () => {
    const uri = 'kestra:///test/scripts/nothing/executions/x/tasks/t/r/missing.csv';
    const e = await rt.run(
      flow(`  - id: use
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    inputFiles:
      in.csv: ${uri}
    commands: [cat in.csv]
`),
    );
    expect(statesOf(e)).toEqual({ use: 'FAILED' });
    const error = await errorOf(rt, e, 'use');
    expect(error).toContain('the file `in.csv` cannot be copied from');
    expect(error).toContain(uri);
  });

  it('refuses inputFiles names that leave the working directory, writing nothing', async () => {
    for (const name of ['../../escaped.txt', '/tmp/absolute-escape.txt', 'ok/../../escaped.txt']) {
      const e = await rt.run(
        flow(`  - id: escape
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    inputFiles:
      first.txt: written first?
      "${name}": nope
    commands: [echo ran]
`),
      );
      expect(statesOf(e)).toEqual({ escape: 'FAILED' });
      expect(await errorOf(rt, e, 'escape')).toBe(
        `Property \`inputFiles\`: the file name \`${name}\` is not a path inside the working directory; use a relative name such as \`data/input.csv\``,
      );
      expect((await logsOf(rt, e, 'escape')).join('\n')).not.toContain('ran');
    }
    expect(existsSync(join(rt.dataDir, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(rt.dataDir, 'work', 'escaped.txt'))).toBe(false);
    expect(existsSync('/tmp/absolute-escape.txt')).toBe(false);
  });

  it('namespace files are copied first (include/exclude), inputFiles of the same name win', async () => {
    const ns = 'test.scripts';
    await storage.put(storage.namespaceFileUri(ns, 'scripts/etl.py'), 'print("etl from namespace")\n');
    await storage.put(storage.namespaceFileUri(ns, 'scripts/skip.py'), 'print("skip")\n');
    await storage.put(storage.namespaceFileUri(ns, 'config.txt'), 'from namespace');
    await storage.put(storage.namespaceFileUri(ns, 'other.txt'), 'not included');
    const e = await rt.run(
      flow(`  - id: ns
    type: io.kestra.plugin.scripts.python.Commands
${PROCESS}    namespaceFiles:
      enabled: true
      include: ["scripts/**", "config.txt"]
      exclude: ["**/skip.py"]
    inputFiles:
      config.txt: from inputFiles
    commands:
      - python scripts/etl.py && cat config.txt && echo && ls -A | sort | tr '\\n' ' '
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    expect(await logsOf(rt, e, 'ns')).toEqual([
      'INFO etl from namespace',
      'INFO from inputFiles',
      'INFO _output config.txt scripts ',
    ]);
    const off = await rt.run(
      flow(`  - id: off
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    namespaceFiles:
      enabled: false
    commands: ["ls -A | tr '\\\\n' ' '"]
`),
    );
    expect(await logsOf(rt, off, 'off')).toEqual(['INFO _output ']);
  });

  it('the working directory of a task run is removed after it', async () => {
    const e = await rt.run(
      flow(`  - id: wd
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands: ['echo "::{\\"outputs\\":{\\"dir\\":\\"$WORKING_DIR\\"}}::"']
`),
    );
    const dir = (outputsOf(e, 'wd')?.vars as { dir: string }).dir;
    expect(dir.startsWith(join(rt.dataDir, 'work'))).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(join(import.meta.dirname, '../../../python/kestra.py'), 'utf8')).toContain(
      'class Kestra',
    );
  });
});

describe('secrets', () => {
  it('masks a secret a script prints, on stdout and stderr, and passes it to the process intact', async () => {
    const token = 'sk-live-51Hx9';
    const secretRt = await startTestRuntime({
      env: { ...process.env, SECRET_API_TOKEN: Buffer.from(token).toString('base64') },
    });
    try {
      const e = await secretRt.run(
        flow(`  - id: leak
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    env:
      TOKEN: "{{ secret('API_TOKEN') }}"
    commands:
      - echo "token is $TOKEN"
      - echo "again $TOKEN" >&2
      - test "$TOKEN" = '${token}' && echo intact
`),
      );
      expect(statesOf(e)).toEqual({ leak: 'SUCCESS' });
      const lines = await logsOf(secretRt, e, 'leak');
      expect(lines).toEqual(
        expect.arrayContaining(['INFO token is ******', 'ERROR again ******', 'INFO intact']),
      );
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await secretRt.dispose();
    }
  });
});
