import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { LocalStorage, StorageFileNotFound, StorageUriError } from '../../src/storage/index.js';
import { describeStorageConformance } from './conformance.js';

const scope = { namespace: 'company.team', flowId: 'etl', executionId: 'ex1' };

function storage(): { storage: LocalStorage; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'wh-storage-'));
  return { storage: new LocalStorage(root), root };
}

describe('LocalStorage', () => {
  it("builds Kestra's URIs: the namespace as folders, then flow, execution, task and task run", () => {
    const { storage: s } = storage();
    expect(s.taskRunFileUri(scope, 'extract', 'tr1', 'data.csv')).toBe(
      'kestra:///company/team/etl/executions/ex1/tasks/extract/tr1/data.csv',
    );
    expect(s.inputFileUri(scope, 'file', 'in put.csv')).toBe(
      'kestra:///company/team/etl/executions/ex1/inputs/file/in%20put.csv',
    );
  });

  it('writes and reads back text, buffers and streams, under the root', async () => {
    const { storage: s, root } = storage();
    const uri = s.taskRunFileUri(scope, 't', 'tr', 'a.txt');
    expect(await s.put(uri, 'hello')).toBe(5);
    expect(readFileSync(join(root, 'company/team/etl/executions/ex1/tasks/t/tr/a.txt'), 'utf8')).toBe(
      'hello',
    );
    expect((await s.readBuffer(uri)).toString()).toBe('hello');
    const streamed = s.taskRunFileUri(scope, 't', 'tr', 'b.txt');
    await s.put(streamed, Readable.from(['line 1\n', 'line 2\n']));
    expect(await text(await s.readStream(streamed))).toBe('line 1\nline 2\n');
    expect(await s.size(streamed)).toBe(14);
    expect(await s.exists(streamed)).toBe(true);
    const local = join(root, '..', `local-${Date.now()}.txt`);
    writeFileSync(local, 'from disk');
    const copied = s.taskRunFileUri(scope, 't', 'tr', 'c.txt');
    await s.putLocalFile(copied, local);
    expect(readFileSync(await s.localPath(copied), 'utf8')).toBe('from disk');
  });

  it('reports a missing file with its URI', async () => {
    const { storage: s } = storage();
    const uri = 'kestra:///company/team/etl/executions/ex1/tasks/t/tr/missing.csv';
    await expect(s.readBuffer(uri)).rejects.toBeInstanceOf(StorageFileNotFound);
    await expect(s.readStream(uri)).rejects.toThrow(`File not found in internal storage: ${uri}`);
    expect(await s.exists(uri)).toBe(false);
    expect(await s.delete(uri)).toBe(false);
  });

  it('refuses URIs that are not kestra:/// or that leave the root', async () => {
    const { storage: s } = storage();
    for (const uri of [
      'file:///etc/passwd',
      'kestra://relative/path',
      'kestra:///../../etc/passwd',
      'kestra:///a/%2E%2E/%2E%2E/%2E%2E/x',
      'kestra:///a/%zz',
    ]) {
      await expect(s.readBuffer(uri), uri).rejects.toBeInstanceOf(StorageUriError);
    }
    await expect(s.put('kestra:///../escape.txt', 'x')).rejects.toThrow(/points outside the storage/);
  });

  it("purges an execution's files and lists what it removed, leaving other executions'", async () => {
    const { storage: s } = storage();
    const mine = [s.taskRunFileUri(scope, 'a', 'tr1', 'one.csv'), s.inputFileUri(scope, 'f', 'in.csv')];
    const other = s.taskRunFileUri({ ...scope, executionId: 'ex2' }, 'a', 'tr9', 'keep.csv');
    for (const uri of [...mine, other]) await s.put(uri, 'x');
    expect((await s.purgeExecution(scope)).sort()).toEqual([...mine].sort());
    expect(await s.exists(mine[0]!)).toBe(false);
    expect(await s.exists(other)).toBe(true);
    expect(await s.purgeExecution(scope)).toEqual([]);
  });
});

describe('namespace files', () => {
  it('live under kestra:///<namespace as path>/_files and are listed recursively', async () => {
    const { storage: s } = storage();
    const uri = s.namespaceFileUri('company.team', 'scripts/etl.py');
    expect(uri).toBe('kestra:///company/team/_files/scripts/etl.py');
    await s.put(uri, 'print(1)');
    await s.put(s.namespaceFileUri('company.team', 'README.md'), '#');
    expect(await s.list(s.namespaceFilesRoot('company.team'))).toEqual([
      'kestra:///company/team/_files/README.md',
      'kestra:///company/team/_files/scripts/etl.py',
    ]);
    expect(await s.list(s.namespaceFilesRoot('other'))).toEqual([]);
    expect(() => s.namespaceFileUri('company.team', '../../secrets')).toThrow(StorageUriError);
  });
});

describeStorageConformance('LocalStorage', () => {
  const root = mkdtempSync(join(tmpdir(), 'wh-storage-'));
  return {
    storage: new LocalStorage(root),
    close: () => Promise.resolve(rmSync(root, { recursive: true, force: true })),
  };
});
