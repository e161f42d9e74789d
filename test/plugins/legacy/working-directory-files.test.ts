/**
 * WorkingDirectory files as Kestra gives them: `inputFiles` as a map or as JSON text, and
 * `namespaceFiles` include/exclude patterns read as Kestra reads them (a pattern starting with
 * `/` is anchored at the namespace root, one starting with a name matches at any depth).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorsOf } from '../../helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
  const storage = rt.runtime.storage;
  const files: Array<[string, string]> = [
    ['test/a/b/c/1.txt', 'first'],
    ['a/b/c/2.txt', 'second'],
    ['a/b/3.txt', 'third'],
    ['ignore/4.txt', 'fourth'],
  ];
  for (const [path, content] of files)
    await storage.put(storage.namespaceFileUri('test.wdfiles', path), content);
});
afterAll(async () => {
  await rt.dispose();
});

/** A flow whose WorkingDirectory has these properties and keeps every `.txt` file it sees. */
const flow = (id: string, properties: string) => `id: ${id}
namespace: test.wdfiles
tasks:
  - id: dir
    type: io.kestra.plugin.core.flow.WorkingDirectory
${properties}    tasks:
      - id: seen
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs: ["**.txt"]
`;

const seen = (e: Parameters<typeof outputsOf>[0]) => Object.keys(outputsOf(e, 'seen')?.uris ?? {}).sort();

describe('WorkingDirectory files', () => {
  it('takes inputFiles as JSON text, as Kestra does', async () => {
    const source = flow('json_inputs', `    inputFiles: '{"one.txt": "1", "sub/two.txt": "2"}'\n`);
    expect(errorsOf(source)).toEqual([]);
    const e = await rt.run(source);
    expect(e.state.current).toBe('SUCCESS');
    expect(seen(e)).toEqual(['one.txt', 'sub/two.txt']);
  });

  it('refuses inputFiles text that is not a JSON map', () => {
    expect(errorsOf(flow('bad_inputs', `    inputFiles: 'one.txt: 1'\n`))).toEqual([
      '6:17 `inputFiles` given as text must be a JSON map of file name to content (or an expression); a YAML map is simpler',
    ]);
  });

  it('leaves out namespace files under an excluded folder anchored at the root', async () => {
    const e = await rt.run(
      flow('ns_exclude', `    namespaceFiles:\n      enabled: true\n      exclude:\n        - /ignore/**\n`),
    );
    expect(seen(e)).toEqual(['a/b/3.txt', 'a/b/c/2.txt', 'test/a/b/c/1.txt']);
  });

  it('matches an include pattern starting with a name at any depth', async () => {
    const e = await rt.run(
      flow('ns_include', `    namespaceFiles:\n      enabled: true\n      include:\n        - c/**\n`),
    );
    expect(seen(e)).toEqual(['a/b/c/2.txt', 'test/a/b/c/1.txt']);
  });
});
