/**
 * Python specifics: `python` where only `python3` is installed, and `dependencies` installed
 * with pip (from a local wheel, so that no network is needed) into a cached folder.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorOf, flow, logsOf, PROCESS } from './support.js';

let rt: TestRuntime;
let dir: string;
let wheel: string;
beforeAll(async () => {
  rt = await startTestRuntime();
  dir = mkdtempSync(join(tmpdir(), 'wh-scripts-python-'));
  // pip reads the wheel as the script's user when the worker runs as root.
  chmodSync(dir, 0o755);
  wheel = join(dir, 'whdemo-0.1-py3-none-any.whl');
  // A minimal pure-Python wheel: pip installs it without any index.
  execFileSync('python3', [
    '-c',
    `import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('whdemo/__init__.py', 'VALUE = 42\\n')
    z.writestr('whdemo-0.1.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: whdemo\\nVersion: 0.1\\n')
    z.writestr('whdemo-0.1.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr('whdemo-0.1.dist-info/RECORD', 'whdemo/__init__.py,,\\nwhdemo-0.1.dist-info/METADATA,,\\nwhdemo-0.1.dist-info/WHEEL,,\\nwhdemo-0.1.dist-info/RECORD,,\\n')`,
    wheel,
  ]);
});
afterAll(async () => {
  await rt.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('python', () => {
  it('`python` runs python3 when only python3 is on PATH', async () => {
    const e = await rt.run(
      flow(`  - id: py
    type: io.kestra.plugin.scripts.python.Commands
${PROCESS}    env:
      PATH: /usr/bin:/bin
    commands:
      - python -c "import sys; print(sys.version_info[0])"
  - id: script
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    env:
      PATH: /usr/bin:/bin
    script: |
      from kestra import Kestra
      Kestra.outputs({"ok": True})
`),
    );
    expect(statesOf(e)).toEqual({ py: 'SUCCESS', script: 'SUCCESS' });
    expect(await logsOf(rt, e, 'py')).toEqual(['INFO 3']);
    expect(outputsOf(e, 'script')).toMatchObject({ vars: { ok: true } });
  });

  it('installs dependencies with pip once, then reuses them', async () => {
    const task = (id: string) => `  - id: ${id}
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    dependencies:
      - ${wheel}
    script: |
      import whdemo
      from kestra import Kestra
      Kestra.outputs({"value": whdemo.VALUE})
`;
    const e = await rt.run(flow(task('first') + task('second')));
    expect(statesOf(e)).toEqual({ first: 'SUCCESS', second: 'SUCCESS' });
    expect(outputsOf(e, 'first')).toMatchObject({ vars: { value: 42 } });
    expect(outputsOf(e, 'second')).toMatchObject({ vars: { value: 42 } });
    expect((await logsOf(rt, e, 'first'))[0]).toMatch(/^INFO Installing dependencies with pip: /);
    expect((await logsOf(rt, e, 'second')).filter((l) => l.includes('Installing'))).toEqual([]);
  });

  it('a dependency pip cannot install fails the task before the script runs', async () => {
    const e = await rt.run(
      flow(`  - id: bad
    type: io.kestra.plugin.scripts.python.Script
${PROCESS}    dependencies:
      - ${join(dir, 'missing-0.1-py3-none-any.whl')}
    script: print("never")
`),
    );
    expect(statesOf(e)).toEqual({ bad: 'FAILED' });
    expect(await errorOf(rt, e, 'bad')).toMatch(
      /^Property `dependencies`: pip could not install .*missing-0\.1-py3-none-any\.whl \(exit code 1\); see the log above$/,
    );
    expect((await logsOf(rt, e, 'bad')).join('\n')).not.toContain('never');
  });
});
