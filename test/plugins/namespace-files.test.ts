/**
 * Namespace files tasks (UploadFiles, DownloadFiles, DeleteFiles) through real flows on local
 * storage: files under `kestra:///<ns as path>/_files/…`, Kestra's glob patterns, conflicts,
 * and paths that try to leave the namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globRegex, pathMatcher } from '../../src/plugins/core/namespace/paths.js';
import type { InternalStorage } from '../../src/storage/contract.js';
import { outputsOf, startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';

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

function flow(id: string, tasks: string): string {
  return `id: ${id}\nnamespace: test.nsfiles\ntasks:\n${tasks}`;
}

async function errorLogs(executionId: string): Promise<string> {
  return (await rt.logs(executionId)).filter((l) => l.startsWith('ERROR')).join('\n');
}

/** The files of a namespace, as paths. */
async function nsFiles(namespace: string): Promise<string[]> {
  const root = storage.namespaceFilesRoot(namespace);
  return (await storage.list(root)).map((uri) => decodeURIComponent(uri.slice(root.length)));
}

async function putNsFile(namespace: string, path: string, content: string): Promise<void> {
  await storage.put(storage.namespaceFileUri(namespace, path), content);
}

const text = async (uri: unknown) => (await storage.readBuffer(String(uri))).toString('utf8');

describe('UploadFiles', () => {
  it('filesMap and the map form of files put stored files at chosen paths', async () => {
    const execution = await rt.run(
      flow(
        'upload_map',
        `  - id: script
    type: io.kestra.plugin.core.storage.Write
    content: print("hi")
    extension: .py
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: test.nsfiles.up
    filesMap:
      /scripts/main.py: "{{ outputs.script.uri }}"
  - id: legacy
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: "{{ flow.namespace }}.up"
    files:
      copy/again.py: "{{ outputs.script.uri }}"
  - id: read_back
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read('scripts/main.py', namespace='test.nsfiles.up') }}"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'upload')).toEqual({
      files: { '/scripts/main.py': 'kestra:///test/nsfiles/up/_files/scripts/main.py' },
    });
    expect(outputsOf(execution, 'legacy')).toEqual({
      files: { '/copy/again.py': 'kestra:///test/nsfiles/up/_files/copy/again.py' },
    });
    expect(await nsFiles('test.nsfiles.up')).toEqual(['/copy/again.py', '/scripts/main.py']);
    expect(outputsOf(execution, 'read_back')).toEqual({ value: 'print("hi")' });
  });

  it('a list of URIs goes under destination by file name; patterns pick files of a WorkingDirectory', async () => {
    const execution = await rt.run(
      flow(
        'upload_list',
        `  - id: note
    type: io.kestra.plugin.core.storage.Write
    content: a note
    extension: .md
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      dbt/models/orders.sql: SELECT 1
      dbt/dbt_project.yml: "name: x"
      other.txt: not uploaded
    tasks:
      - id: upload
        type: io.kestra.plugin.core.namespace.UploadFiles
        namespace: test.nsfiles.list
        destination: /project
        files:
          - "glob:**/dbt/**"
          - "{{ outputs.note.uri }}"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(await nsFiles('test.nsfiles.list')).toEqual([
      '/project/dbt/dbt_project.yml',
      '/project/dbt/models/orders.sql',
      '/project/note.md',
    ]);
    expect(Object.keys(outputsOf(execution, 'upload')!.files as object).sort()).toEqual([
      '/project/dbt/dbt_project.yml',
      '/project/dbt/models/orders.sql',
      '/project/note.md',
    ]);
    expect(await text(storage.namespaceFileUri('test.nsfiles.list', 'project/dbt/models/orders.sql'))).toBe(
      'SELECT 1',
    );
  });

  it('conflict: OVERWRITE replaces, SKIP keeps, ERROR fails naming the file', async () => {
    await putNsFile('test.nsfiles.conflict', 'a.txt', 'old');
    const task = (id: string, conflict: string) => `  - id: ${id}
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: test.nsfiles.conflict
    conflict: ${conflict}
    filesMap:
      a.txt: "{{ outputs.new.uri }}"
`;
    const write = `  - id: new
    type: io.kestra.plugin.core.storage.Write
    content: new
`;
    const skip = await rt.run(flow('conflict_skip', write + task('skip', 'SKIP')));
    expect(outputsOf(skip, 'skip')).toEqual({ files: {} });
    expect(await text(storage.namespaceFileUri('test.nsfiles.conflict', 'a.txt'))).toBe('old');

    const error = await rt.run(flow('conflict_error', write + task('error', 'ERROR')));
    expect(statesOf(error)).toMatchObject({ error: 'FAILED' });
    expect(await errorLogs(error.id)).toContain(
      'The namespace file `/a.txt` already exists in `test.nsfiles.conflict` and `conflict` is ERROR',
    );

    const overwrite = await rt.run(flow('conflict_overwrite', write + task('overwrite', 'OVERWRITE')));
    expect(overwrite.state.current).toBe('SUCCESS');
    expect(await text(storage.namespaceFileUri('test.nsfiles.conflict', 'a.txt'))).toBe('new');
  });

  it('refuses paths leaving the namespace, missing files and bad namespaces', async () => {
    const execution = await rt.run(
      flow(
        'upload_bad',
        `  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: x
  - id: all
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: escape
        type: io.kestra.plugin.core.namespace.UploadFiles
        namespace: test.nsfiles.bad
        filesMap:
          ../../etc/x: "{{ outputs.file.uri }}"
      - id: escape_destination
        type: io.kestra.plugin.core.namespace.UploadFiles
        namespace: test.nsfiles.bad
        destination: ../up
        files:
          - "{{ outputs.file.uri }}"
      - id: missing
        type: io.kestra.plugin.core.namespace.UploadFiles
        namespace: test.nsfiles.bad
        filesMap:
          a.txt: kestra:///test/nsfiles/none.txt
      - id: bad_namespace
        type: io.kestra.plugin.core.namespace.UploadFiles
        namespace: ../other
        filesMap:
          a.txt: "{{ outputs.file.uri }}"
`,
      ),
    );
    expect(statesOf(execution)).toMatchObject({
      escape: 'FAILED',
      escape_destination: 'FAILED',
      missing: 'FAILED',
      bad_namespace: 'FAILED',
    });
    const errors = await errorLogs(execution.id);
    expect(errors).toContain('Property `filesMap` key: the path `../../etc/x` leaves the namespace (`..`)');
    expect(errors).toMatch(/Property `destination`: the path `\.\.\/up\/.*` leaves the namespace/);
    expect(errors).toContain(
      'Property `filesMap.a.txt`: the file `kestra:///test/nsfiles/none.txt` does not exist in internal storage',
    );
    expect(errors).toContain('Property `namespace`: "../other" is not a namespace');
    expect(await nsFiles('test.nsfiles.bad')).toEqual([]);
  });
});

describe('DownloadFiles and DeleteFiles', () => {
  it('downloads the files matching globs to internal storage, then deletes them', async () => {
    const ns = 'test.nsfiles.shared';
    await putNsFile(ns, 'queries/orders.sql', 'SELECT * FROM orders');
    await putNsFile(ns, 'queries/deep/users.sql', 'SELECT * FROM users');
    await putNsFile(ns, 'readme.md', '# shared');
    await putNsFile(ns, 'tmp/a.upl', 'x');
    const execution = await rt.run(
      flow(
        'download',
        `  - id: download
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: ${ns}
    files:
      - "**.sql"
  - id: one
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: ${ns}
    files: readme.md
  - id: none
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: ${ns}
    files: "*.csv"
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.download.files['/queries/orders.sql']) }}"
  - id: delete
    type: io.kestra.plugin.core.namespace.DeleteFiles
    namespace: ${ns}
    files:
      - "**.upl"
      - "queries/*.sql"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const downloaded = outputsOf(execution, 'download')!.files as Record<string, string>;
    expect(Object.keys(downloaded).sort()).toEqual(['/queries/deep/users.sql', '/queries/orders.sql']);
    expect(downloaded['/queries/deep/users.sql']).toMatch(
      /^kestra:\/\/\/test\/nsfiles\/download\/executions\//,
    );
    expect(await text(downloaded['/queries/deep/users.sql'])).toBe('SELECT * FROM users');
    expect(Object.keys(outputsOf(execution, 'one')!.files as object)).toEqual(['/readme.md']);
    expect(outputsOf(execution, 'none')).toEqual({ files: {} });
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      `WARN none No namespace file of \`${ns}\` matches \`*.csv\``,
    );
    expect(outputsOf(execution, 'show')).toEqual({ value: 'SELECT * FROM orders' });
    expect(outputsOf(execution, 'delete')).toEqual({
      files: {
        '/queries/orders.sql': 'kestra:///test/nsfiles/shared/_files/queries/orders.sql',
        '/tmp/a.upl': 'kestra:///test/nsfiles/shared/_files/tmp/a.upl',
      },
      count: 2,
    });
    expect(await nsFiles(ns)).toEqual(['/queries/deep/users.sql', '/readme.md']);
  });

  it('a bad namespace or an empty pattern fails clearly', async () => {
    const execution = await rt.run(
      flow(
        'download_bad',
        `  - id: all
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: ns
        type: io.kestra.plugin.core.namespace.DownloadFiles
        namespace: Not A Namespace
        files: "**"
      - id: empty
        type: io.kestra.plugin.core.namespace.DeleteFiles
        namespace: test.nsfiles
        files: ""
`,
      ),
    );
    expect(statesOf(execution)).toMatchObject({ ns: 'FAILED', empty: 'FAILED' });
    const errors = await errorLogs(execution.id);
    expect(errors).toContain('Property `namespace`: "Not A Namespace" is not a namespace');
    expect(errors).toContain('Property `files`: give a glob pattern or a path, or a list of them');
  });
});

describe('Kestra glob patterns', () => {
  it('match as Java PathMatcher globs over /-rooted paths', () => {
    expect(globRegex('/**.sql').test('/a/b/c.sql')).toBe(true);
    expect(globRegex('/*.sql').test('/a/c.sql')).toBe(false);
    expect(globRegex('/{a,b}/?.txt').test('/b/x.txt')).toBe(true);
    expect(globRegex('/[!a]*.txt').test('/a1.txt')).toBe(false);
    const deleteStyle = pathMatcher(['scripts/*.py'], 'files');
    expect(deleteStyle('/scripts/a.py')).toBe(true);
    expect(deleteStyle('/x/scripts/a.py')).toBe(true);
    const downloadStyle = pathMatcher(['scripts/*.py'], 'files', true);
    expect(downloadStyle('/x/scripts/a.py')).toBe(false);
    expect(pathMatcher(['regex:.*\\.py'], 'files')('/a/b.py')).toBe(true);
  });
});
