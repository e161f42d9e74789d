/**
 * Kestra's deprecated LocalFiles: `inputs` written into the working directory, `outputs` (globs)
 * kept in internal storage as `uris`; inside a WorkingDirectory it shares files with its siblings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { warningsOf } from '../../helpers.js';
import { errorOf, flow, logsOf, PROCESS } from '../scripts/support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const indent = (text: string) => text.replace(/^(?=.)/gm, '    ');

describe('LocalFiles', () => {
  it('writes its inputs for the next task and keeps its outputs, inside a WorkingDirectory', async () => {
    const source = flow(`  - id: note
    type: io.kestra.plugin.core.storage.Write
    content: stored note
    extension: .txt
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: inputs
        type: io.kestra.core.tasks.storages.LocalFiles
        inputs:
          hello.txt: "Hello from {{ flow.namespace }}"
          data/note.txt: "{{ outputs.note.uri }}"
      - id: work
        type: io.kestra.plugin.scripts.shell.Commands
${indent(PROCESS)}        commands:
          - cat hello.txt data/note.txt
          - mkdir -p out/sub && cp hello.txt out/sub/copy.txt && echo two > out/two.txt
      - id: collect
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs:
          - out/**
`);
    expect(warningsOf(source).filter((w) => w.includes('LocalFiles'))).toEqual([
      '12:15 `io.kestra.core.tasks.storages.LocalFiles` is deprecated; use `inputFiles` and `outputFiles` of a WorkingDirectory or a script task',
      '24:15 `io.kestra.plugin.core.storage.LocalFiles` is deprecated; use `inputFiles` and `outputFiles` of a WorkingDirectory or a script task',
    ]);
    const e = await rt.run(source);
    expect(statesOf(e)).toEqual({
      note: 'SUCCESS',
      wdir: 'SUCCESS',
      inputs: 'SUCCESS',
      work: 'SUCCESS',
      collect: 'SUCCESS',
    });
    expect(await logsOf(rt, e, 'work')).toEqual(['INFO Hello from test.scriptsstored note']);
    expect(outputsOf(e, 'inputs')).toEqual({ uris: {} });
    const uris = outputsOf(e, 'collect')?.uris as Record<string, string>;
    expect(Object.keys(uris).sort()).toEqual(['out/sub/copy.txt', 'out/two.txt']);
    expect((await rt.runtime.storage.readBuffer(uris['out/sub/copy.txt']!)).toString()).toBe(
      'Hello from test.scripts',
    );
  });

  it('takes its inputs as a JSON map in a string', async () => {
    const e = await rt.run(
      flow(`  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: files
        type: io.kestra.core.tasks.storages.LocalFiles
        inputs: '{"a.txt": "first", "b.txt": "second"}'
        outputs: ["*.txt"]
`),
    );
    expect(e.state.current).toBe('SUCCESS');
    const uris = outputsOf(e, 'files')?.uris as Record<string, string>;
    expect(Object.keys(uris).sort()).toEqual(['a.txt', 'b.txt']);
    expect((await rt.runtime.storage.readBuffer(uris['b.txt']!)).toString()).toBe('second');
  });

  it('refuses an input file name outside the directory', async () => {
    const e = await rt.run(
      flow(`  - id: files
    type: io.kestra.core.tasks.storages.LocalFiles
    inputs:
      ../escape.txt: nope
`),
    );
    expect(statesOf(e)).toEqual({ files: 'FAILED' });
    expect(await errorOf(rt, e, 'files')).toContain(
      '`../escape.txt` is not a path inside the working directory',
    );
  });
});
