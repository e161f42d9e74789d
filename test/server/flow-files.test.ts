/**
 * Flows from a folder are files first: with `-f DIR`, a flow saved, created or deleted through
 * the API is written to (or removed from) its file, atomically, and the watcher that then sees
 * the file does not make a second revision of it.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

const HELLO = `# The greeting flow; this comment stays in the file.
id: hello_world
namespace: company.team

tasks:
  - id: say_hello
    type: io.kestra.plugin.core.log.Log
    message: Hello   # and so does this one
`;

const flow = (id: string, namespace: string, message = 'hi') =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

let root: string;
let folder: string;
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A folder of flows (relative path → text) and a server watching it. */
async function serve(files: Record<string, string>): Promise<TestServer> {
  root = mkdtempSync(join(tmpdir(), 'wh-files-'));
  folder = join(root, 'flows');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  mkdirSync(folder, { recursive: true });
  server = await startTestServer({ flowPaths: [folder], scheduler: false });
  return server;
}

const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: string) =>
  server!.app.inject({
    method,
    url: `${API}${url}`,
    ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/x-yaml' } } : {}),
  });

const revisions = async (namespace: string, id: string) =>
  (await server!.local.store.flowRevisions(namespace, id)).map((f) => f.revision);

/** Every file under the folder, relative, sorted (temporary files would show here). */
function filesOf(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? filesOf(join(directory, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/** Lets the watcher see what was written and do what it would do (one pass after its pause). */
async function letTheWatcherRun(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  await server!.sync!.rescan();
}

describe('flows from a folder are files first', () => {
  it('writes a saved flow to the file it came from, byte for byte, and makes one revision', async () => {
    await serve({ '01_hello_world.yaml': flow('hello_world', 'company.team') });
    const file = join(folder, '01_hello_world.yaml');
    const inodeBefore = statSync(file).ino;
    // The editor's text as sent: comments, blank lines and no newline at the end.
    const edited = HELLO.replace(/\n$/, '');

    const saved = await send('PUT', '/flows/company.team/hello_world', edited);
    expect(saved.statusCode).toBe(200);
    expect(saved.json<{ revision: number }>().revision).toBe(2);

    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect((await server!.local.store.getFlow('company.team', 'hello_world'))!.source).toBe(edited);
    // Written through a temporary file renamed over the old one, which leaves nothing behind.
    expect(statSync(file).ino).not.toBe(inodeBefore);
    expect(filesOf(folder)).toEqual(['01_hello_world.yaml']);

    await letTheWatcherRun();
    expect(await revisions('company.team', 'hello_world')).toEqual([1, 2]);
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('leaves the file alone when the save is refused', async () => {
    await serve({ 'hello.yaml': HELLO });
    const refused = await send(
      'PUT',
      '/flows/company.team/hello_world',
      'id: hello_world\nnamespace: company.team\ntasks:\n  - id: x\n    type: nope\n',
    );
    expect(refused.statusCode).toBe(422);
    expect(readFileSync(join(folder, 'hello.yaml'), 'utf8')).toBe(HELLO);
  });

  it('writes a new flow beside the files of a flat folder as <id>.yaml', async () => {
    await serve({ '01_hello_world.yaml': HELLO });
    expect((await send('POST', '/flows', flow('new_one', 'company.team'))).statusCode).toBe(200);
    expect(readFileSync(join(folder, 'new_one.yaml'), 'utf8')).toBe(flow('new_one', 'company.team'));
    // The same id in another namespace does not overwrite it.
    expect((await send('POST', '/flows', flow('new_one', 'other.team'))).statusCode).toBe(200);
    expect(readFileSync(join(folder, 'other.team.new_one.yaml'), 'utf8')).toBe(flow('new_one', 'other.team'));
    await letTheWatcherRun();
    expect(await revisions('company.team', 'new_one')).toEqual([1]);
    expect(await revisions('other.team', 'new_one')).toEqual([1]);
  });

  it('writes a new flow to <namespace>/<id>.yaml in a folder laid out by namespace', async () => {
    await serve({ 'company.team/hello.yaml': HELLO, 'empty.ns/other.yml': flow('other', 'empty.ns') });
    expect((await send('POST', '/flows', flow('created', 'brand.new'))).statusCode).toBe(200);
    expect(readFileSync(join(folder, 'brand.new', 'created.yaml'), 'utf8')).toBe(
      flow('created', 'brand.new'),
    );
    // A namespace that has files already: the new one goes beside them.
    expect((await send('POST', '/flows', flow('sibling', 'empty.ns'))).statusCode).toBe(200);
    expect(existsSync(join(folder, 'empty.ns', 'sibling.yaml'))).toBe(true);
    await letTheWatcherRun();
    expect(await revisions('brand.new', 'created')).toEqual([1]);
    expect(await revisions('empty.ns', 'sibling')).toEqual([1]);
  });

  it('writes a new flow to <namespace>/<id>.yaml in an empty folder', async () => {
    await serve({});
    expect((await send('POST', '/flows', flow('first', 'company.team'))).statusCode).toBe(200);
    expect(filesOf(folder)).toEqual(['company.team/first.yaml']);
  });

  it('saves nothing when the file cannot be written, and says which file', async () => {
    // An empty folder puts a new flow in <namespace>/, where a plain file stands in the way.
    await serve({ 'blocked.ns': 'not a folder' });
    const refused = await send('POST', '/flows', flow('stuck', 'blocked.ns'));
    expect(refused.statusCode).toBe(500);
    expect(refused.json()).toMatchObject({
      code: 'WH_FLOW_FILE_UNWRITABLE',
      message: expect.stringContaining('blocked.ns/stuck.yaml') as unknown,
    });
    expect(await server!.local.store.getFlow('blocked.ns', 'stuck')).toBeUndefined();
    expect(filesOf(folder)).toEqual(['blocked.ns']);
  });

  it('writes the flows of an import to new files', async () => {
    await serve({ 'hello.yaml': HELLO });
    const boundary = 'flowfilesboundary';
    const payload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="fileUpload"; filename="imported.yml"',
      'Content-Type: application/x-yaml',
      '',
      flow('imported', 'company.team'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const response = await server!.app.inject({
      method: 'POST',
      url: `${API}/flows/import`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode).toBe(200);
    expect(filesOf(folder)).toEqual(['hello.yaml', 'imported.yaml']);
    await letTheWatcherRun();
    expect(await revisions('company.team', 'imported')).toEqual([1]);
  });

  it('removes the file of a flow deleted through the API, and the watcher does not bring it back', async () => {
    await serve({ 'hello.yaml': HELLO, 'keep.yaml': flow('keep', 'company.team') });
    expect((await send('DELETE', '/flows/company.team/hello_world')).statusCode).toBe(204);
    expect(filesOf(folder)).toEqual(['keep.yaml']);
    await letTheWatcherRun();
    expect(await server!.local.store.getFlow('company.team', 'hello_world')).toBeUndefined();
    expect(await revisions('company.team', 'keep')).toEqual([1]);
    expect((await send('DELETE', '/flows/company.team/hello_world')).statusCode).toBe(404);
  });

  it('keeps the files of a namespace deployed in one request in step (written and removed)', async () => {
    await serve({ 'a.yaml': flow('a', 'bulk.ns'), 'b.yaml': flow('b', 'bulk.ns') });
    const body = `${flow('a', 'bulk.ns', 'changed')}---\n${flow('c', 'bulk.ns')}`;
    expect((await send('POST', '/flows/bulk.ns', body)).statusCode).toBe(200);
    expect(filesOf(folder)).toEqual(['a.yaml', 'c.yaml']);
    expect(readFileSync(join(folder, 'a.yaml'), 'utf8')).toContain('message: changed');
  });

  it('makes one revision of an edit on disk, and does not write it back', async () => {
    await serve({ 'hello.yaml': HELLO });
    const file = join(folder, 'hello.yaml');
    const edited = HELLO.replace('Hello', 'Hello from disk');
    writeFileSync(file, edited);
    await vi.waitFor(async () => expect(await revisions('company.team', 'hello_world')).toEqual([1, 2]), {
      timeout: 5_000,
      interval: 25,
    });
    const inode = statSync(file).ino;
    await letTheWatcherRun();
    await letTheWatcherRun();
    expect(await revisions('company.team', 'hello_world')).toEqual([1, 2]);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(statSync(file).ino).toBe(inode);
  });
});
