/**
 * WorkingDirectory with script tasks: its inputFiles and namespace files are written before
 * its tasks run, its tasks share the directory, its outputFiles are kept after them.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InternalStorage } from '../../../src/storage/contract.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorOf, flow, logsOf, PROCESS } from './support.js';

let rt: TestRuntime;
let storage: InternalStorage;
beforeAll(async () => {
  rt = await startTestRuntime();
  // The runtime's own: local files, or PostgreSQL under vitest.postgres.config.ts.
  storage = rt.runtime.storage;
});
afterAll(async () => {
  await rt.dispose();
});

describe('WorkingDirectory', () => {
  it('inputFiles first, two shell tasks sharing a file, outputFiles kept, directory removed', async () => {
    await storage.put(storage.namespaceFileUri('test.scripts', 'lib/helper.sh'), 'echo "helper here"\n');
    const e = await rt.run(
      flow(`  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      enabled: true
      include: ["lib/**"]
    inputFiles:
      seed.txt: "seed from {{ flow.namespace }}"
    outputFiles:
      - "result*.txt"
    tasks:
      - id: first
        type: io.kestra.plugin.scripts.shell.Commands
${indent(PROCESS)}        commands:
          - (cat seed.txt; echo) > shared.txt
          - echo "first was here" >> shared.txt
          - sh lib/helper.sh
      - id: second
        type: io.kestra.plugin.scripts.shell.Commands
${indent(PROCESS)}        commands:
          - cat shared.txt
          - cp shared.txt result.txt
          - echo "::{\\"outputs\\":{\\"dir\\":\\"$WORKING_DIR\\"}}::"
  - id: after
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    inputFiles:
      in.txt: "{{ outputs.wdir.outputFiles['result.txt'] }}"
    commands:
      - tail -n 1 in.txt
`),
    );
    expect(statesOf(e)).toEqual({ wdir: 'SUCCESS', first: 'SUCCESS', second: 'SUCCESS', after: 'SUCCESS' });
    expect(await logsOf(rt, e, 'first')).toEqual(['INFO helper here']);
    expect(await logsOf(rt, e, 'second')).toEqual(['INFO seed from test.scripts', 'INFO first was here']);
    const files = outputsOf(e, 'wdir')?.outputFiles as Record<string, string>;
    expect(Object.keys(files)).toEqual(['result.txt']);
    expect((await storage.readBuffer(files['result.txt']!)).toString()).toBe(
      'seed from test.scripts\nfirst was here\n',
    );
    expect(await logsOf(rt, e, 'after')).toEqual(['INFO first was here']);
    const dir = (outputsOf(e, 'second')?.vars as { dir: string }).dir;
    expect(existsSync(dir)).toBe(false);
  });

  it('a bad input file name fails the WorkingDirectory before its tasks run', async () => {
    const e = await rt.run(
      flow(`  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      ../outside.txt: nope
    tasks:
      - id: never
        type: io.kestra.plugin.scripts.shell.Commands
${indent(PROCESS)}        commands: [echo never]
`),
    );
    expect(statesOf(e)).toEqual({ wdir: 'FAILED' });
    expect(await errorOf(rt, e, 'wdir')).toContain('the file name `../outside.txt` is not a path inside');
  });
});

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}
