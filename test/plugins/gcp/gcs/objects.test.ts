/**
 * The Cloud Storage object tasks (Upload, Download, Downloads, Copy, Delete, DeleteList, List)
 * run in flows against the emulator, each result checked with the official client.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, statesOf } from '../../../engine/support/runtime.js';
import { bucketName, startGcsHarness } from './support.js';
import type { GcsHarness } from './support.js';

let h: GcsHarness;
let bucket: string;

beforeAll(async () => {
  // The tests' local files are made in the temporary folder, listed as a folder flows may read.
  h = await startGcsHarness({ WINDHOVER_LOCAL_FILES_ALLOWED_PATHS: tmpdir() });
  bucket = bucketName('objects');
  await h.storage.createBucket(bucket);
});

afterAll(async () => {
  await h?.close();
});

async function content(name: string): Promise<Buffer> {
  const [data] = await h.storage.bucket(bucket).file(name).download();
  return data;
}

async function names(prefix = ''): Promise<string[]> {
  const [files] = await h.storage.bucket(bucket).getFiles({ prefix });
  return files.map((file) => file.name).sort();
}

describe('gcs.Upload', () => {
  it('uploads a stored file, with its content type', async () => {
    const execution = await h.run(`  - id: make
    type: io.kestra.plugin.core.storage.Write
    content: "a,b\\n1,2\\n"
    extension: .csv
  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    from: "{{ outputs.make.uri }}"
    to: gs://${bucket}/raw/small.csv
    contentType: text/csv`);
    expect(statesOf(execution)).toEqual({ make: 'SUCCESS', upload: 'SUCCESS' });
    expect(outputsOf(execution, 'upload')).toEqual({ uri: `gs://${bucket}/raw/small.csv` });
    expect((await content('raw/small.csv')).toString()).toBe('a,b\n1,2\n');
    const [metadata] = await h.storage.bucket(bucket).file('raw/small.csv').getMetadata();
    expect(metadata.contentType).toBe('text/csv');
  });

  it('streams a local file above the resumable threshold (6 MiB) intact, as a resumable upload', async () => {
    const data = randomBytes(6 * 1024 * 1024);
    const dir = mkdtempSync(join(tmpdir(), 'wh-gcs-upload-'));
    const path = join(dir, 'data.bin');
    writeFileSync(path, data);
    try {
      const execution = await h.run(`  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    from: ${path}
    to: gs://${bucket}/big/data.bin`);
      expect(statesOf(execution).upload).toBe('SUCCESS');
      expect((await h.rt.logs(execution.id)).join('\n')).toContain('(resumable)');
      const stored = await content('big/data.bin');
      expect(stored.length).toBe(data.length);
      expect(createHash('md5').update(stored).digest('hex')).toBe(
        createHash('md5').update(data).digest('hex'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the worker's disk only inside WINDHOVER_LOCAL_FILES_ALLOWED_PATHS, and the working directory", async () => {
    const execution = await h.run(`  - id: environ
    type: io.kestra.plugin.gcp.gcs.Upload
    from: /proc/self/environ
    to: gs://${bucket}/leak/environ
    allowFailure: true
  - id: missing_outside
    type: io.kestra.plugin.gcp.gcs.Upload
    from: file:///etc/no-such-file
    to: gs://${bucket}/leak/none
    allowFailure: true
  - id: up_and_out
    type: io.kestra.plugin.gcp.gcs.Upload
    from: ../../../../../../etc/hostname
    to: gs://${bucket}/leak/hostname
    allowFailure: true`);
    expect(statesOf(execution)).toEqual({
      environ: 'WARNING',
      missing_outside: 'WARNING',
      up_and_out: 'WARNING',
    });
    const errors = (await h.errors(execution)).join('\n');
    expect(errors).toContain("reading `/proc/self/environ` from the worker's disk is not allowed");
    // Outside the allowed folders, a missing file gets the same answer (no probing the disk).
    expect(errors).toContain("reading `file:///etc/no-such-file` from the worker's disk is not allowed");
    expect(errors).toContain("`../../../../../../etc/hostname` leaves the task's working directory");
    expect(await names('leak/')).toEqual([]);
  });

  it('leaves no object when the upload is cut off (task timeout)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-gcs-cut-'));
    const path = join(dir, 'huge.bin');
    // 200 MiB, sparse: made at once, takes seconds to send, so a 300 ms timeout cuts it off.
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024);
    closeSync(fd);
    try {
      const execution = await h.run(`  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    timeout: PT0.3S
    from: ${path}
    to: gs://${bucket}/cut/huge.bin`);
      expect(statesOf(execution).upload).not.toBe('SUCCESS');
      expect(await names('cut/')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the course-notes form: bucket plus a relative to, also from pluginDefaults', async () => {
    const execution = await h.run(
      `  - id: make
    type: io.kestra.plugin.core.storage.Write
    content: hello
  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    from: "{{ outputs.make.uri }}"
    to: "{{ 'notes/' ~ 'hello.txt' }}"
  - id: upload_full
    type: io.kestra.plugin.gcp.gcs.Upload
    from: "{{ outputs.make.uri }}"
    to: "{{ 'gs://${bucket}/notes/full.txt' }}"`,
      `pluginDefaults:
  - type: io.kestra.plugin.gcp
    values:
      bucket: ${bucket}`,
    );
    expect(statesOf(execution)).toMatchObject({ upload: 'SUCCESS', upload_full: 'SUCCESS' });
    expect(await names('notes/')).toEqual(['notes/full.txt', 'notes/hello.txt']);
  });

  it('fails on a missing bucket and leaves nothing', async () => {
    const execution = await h.run(`  - id: make
    type: io.kestra.plugin.core.storage.Write
    content: hello
  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    from: "{{ outputs.make.uri }}"
    to: gs://no-such-bucket-${bucket}/x.txt`);
    expect(statesOf(execution).upload).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toMatch(/notFound/);
  });
});

describe('gcs.Download, Copy, Delete, List', () => {
  it('downloads an object into internal storage', async () => {
    await h.storage.bucket(bucket).file('dl/one.csv').save('x,y\n', { resumable: false });
    const execution = await h.run(`  - id: download
    type: io.kestra.plugin.gcp.gcs.Download
    from: gs://${bucket}/dl/one.csv
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.download.uri) }}"`);
    expect(statesOf(execution)).toEqual({ download: 'SUCCESS', show: 'SUCCESS' });
    expect(outputsOf(execution, 'download')).toMatchObject({ bucket, path: 'dl/one.csv' });
    expect(String(outputsOf(execution, 'download')?.uri)).toMatch(/^kestra:\/\/.*one\.csv$/);
    expect(outputsOf(execution, 'show')).toEqual({ value: 'x,y\n' });
  });

  it('fails a Download of a missing object with Google reason, leaving no file', async () => {
    const execution = await h.run(`  - id: download
    type: io.kestra.plugin.gcp.gcs.Download
    from: gs://${bucket}/dl/missing.csv`);
    expect(statesOf(execution).download).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toMatch(/notFound: .*missing\.csv/);
  });

  it('copies, moves (delete: true) and deletes objects', async () => {
    await h.storage.bucket(bucket).file('cp/src.txt').save('copy me', { resumable: false });
    const execution = await h.run(`  - id: copy
    type: io.kestra.plugin.gcp.gcs.Copy
    from: gs://${bucket}/cp/src.txt
    to: gs://${bucket}/cp/copy.txt
  - id: move
    type: io.kestra.plugin.gcp.gcs.Copy
    from: gs://${bucket}/cp/copy.txt
    to: gs://${bucket}/cp/moved.txt
    delete: true
  - id: delete
    type: io.kestra.plugin.gcp.gcs.Delete
    uri: gs://${bucket}/cp/src.txt
  - id: delete_missing
    type: io.kestra.plugin.gcp.gcs.Delete
    uri: gs://${bucket}/cp/src.txt`);
    expect(statesOf(execution)).toEqual({
      copy: 'SUCCESS',
      move: 'SUCCESS',
      delete: 'SUCCESS',
      delete_missing: 'SUCCESS',
    });
    expect(outputsOf(execution, 'move')).toEqual({ uri: `gs://${bucket}/cp/moved.txt` });
    expect(outputsOf(execution, 'delete')).toMatchObject({ deleted: true });
    expect(outputsOf(execution, 'delete_missing')).toMatchObject({ deleted: false });
    expect(await names('cp/')).toEqual(['cp/moved.txt']);
    expect((await content('cp/moved.txt')).toString()).toBe('copy me');
  });

  it('copies across buckets into a folder (to ending in /)', async () => {
    const other = bucketName('copy-target');
    await h.storage.createBucket(other);
    await h.storage.bucket(bucket).file('cp2/report.csv').save('r', { resumable: false });
    const execution = await h.run(`  - id: copy
    type: io.kestra.plugin.gcp.gcs.Copy
    from: gs://${bucket}/cp2/report.csv
    to: gs://${other}/reports/`);
    expect(outputsOf(execution, 'copy')).toEqual({ uri: `gs://${other}/reports/report.csv` });
    const [files] = await h.storage.bucket(other).getFiles();
    expect(files.map((f) => f.name)).toEqual(['reports/report.csv']);
  });

  it('fails a Delete with errorOnMissing on a missing object', async () => {
    const execution = await h.run(`  - id: delete
    type: io.kestra.plugin.gcp.gcs.Delete
    uri: gs://${bucket}/nothing/here.txt
    errorOnMissing: true`);
    expect(statesOf(execution).delete).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toContain(
      `notFound: no object gs://${bucket}/nothing/here.txt`,
    );
  });

  it('lists a directory or recursively, filtered', async () => {
    for (const name of ['ls/a.csv', 'ls/b.json', 'ls/sub/c.csv', 'ls/sub/deeper/d.csv']) {
      await h.storage.bucket(bucket).file(name).save(name, { resumable: false });
    }
    const execution = await h.run(`  - id: dir
    type: io.kestra.plugin.gcp.gcs.List
    from: gs://${bucket}/ls/
  - id: files
    type: io.kestra.plugin.gcp.gcs.List
    from: gs://${bucket}/ls/
    filter: FILES
  - id: recursive_csv
    type: io.kestra.plugin.gcp.gcs.List
    from: gs://${bucket}/ls/
    listingType: RECURSIVE
    regExp: ".*\\\\.csv"`);
    const blobs = (id: string) =>
      (outputsOf(execution, id)?.blobs as Array<{ name: string; isDirectory: boolean }>).map(
        (b) => `${b.name}${b.isDirectory ? ' (dir)' : ''}`,
      );
    expect(blobs('dir').sort()).toEqual(['ls/a.csv', 'ls/b.json', 'ls/sub/ (dir)']);
    expect(blobs('files').sort()).toEqual(['ls/a.csv', 'ls/b.json']);
    expect(blobs('recursive_csv').sort()).toEqual(['ls/a.csv', 'ls/sub/c.csv', 'ls/sub/deeper/d.csv']);
    const first = (outputsOf(execution, 'files')?.blobs as Array<Record<string, unknown>>)[0]!;
    expect(first).toMatchObject({
      bucket,
      uri: `gs://${bucket}/${String(first.name)}`,
      size: String(first.name).length,
    });
  });
});

describe('gcs.Downloads and DeleteList', () => {
  it('downloads a prefix and moves the objects (action: MOVE)', async () => {
    for (const name of ['in/one.csv', 'in/two.csv']) {
      await h.storage.bucket(bucket).file(name).save(`content of ${name}`, { resumable: false });
    }
    const execution = await h.run(`  - id: downloads
    type: io.kestra.plugin.gcp.gcs.Downloads
    from: gs://${bucket}/in/
    action: MOVE
    moveDirectory: gs://${bucket}/archive/
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ outputs.downloads.blobs | jq('.[].uri') }}"
    tasks:
      - id: read
        type: io.kestra.plugin.core.debug.Return
        format: "{{ read(taskrun.value) }}"`);
    expect(statesOf(execution).downloads).toBe('SUCCESS');
    const blobs = outputsOf(execution, 'downloads')?.blobs as Array<{ name: string; uri: string }>;
    expect(blobs.map((b) => b.name).sort()).toEqual(['in/one.csv', 'in/two.csv']);
    expect(blobs.every((b) => b.uri.startsWith('kestra://'))).toBe(true);
    const read = execution.taskRunList.filter((r) => r.taskId === 'read').map((r) => r.outputs?.value);
    expect(read.sort()).toEqual(['content of in/one.csv', 'content of in/two.csv']);
    expect(await names('in/')).toEqual([]);
    expect(await names('archive/')).toEqual(['archive/one.csv', 'archive/two.csv']);
  });

  it('deletes what a listing finds', async () => {
    for (const name of ['tmp/a.txt', 'tmp/b.txt', 'tmp/keep.csv']) {
      await h.storage.bucket(bucket).file(name).save('12345', { resumable: false });
    }
    const execution = await h.run(`  - id: cleanup
    type: io.kestra.plugin.gcp.gcs.DeleteList
    from: gs://${bucket}/tmp/
    regExp: ".*\\\\.txt"
    concurrent: 2
  - id: again
    type: io.kestra.plugin.gcp.gcs.DeleteList
    from: gs://${bucket}/tmp/
    regExp: ".*\\\\.txt"
    errorOnEmpty: true`);
    expect(outputsOf(execution, 'cleanup')).toEqual({ count: 2, size: 10 });
    expect(statesOf(execution).again).toBe('FAILED');
    expect(await names('tmp/')).toEqual(['tmp/keep.csv']);
  });
});
