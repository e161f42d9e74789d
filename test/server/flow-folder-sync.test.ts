import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLocal } from '../../src/engine/runtime/local.js';
import type { LocalSetup } from '../../src/engine/runtime/local.js';
import { startFlowFolderSync } from '../../src/server/flow-folder-sync.js';
import type { FlowFolderSync } from '../../src/server/flow-folder-sync.js';

const flow = (id: string, message = 'hi', namespace = 'sync.test') =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

let root: string;
let folder: string;
let local: LocalSetup;
let sync: FlowFolderSync | undefined;
let changed: string[];
let problems: string[];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'wh-sync-'));
  folder = join(root, 'flows');
  mkdirSync(folder);
  local = await openLocal(join(root, 'data'));
  changed = [];
  problems = [];
});

afterEach(async () => {
  sync?.close();
  sync = undefined;
  await local.close(1_000);
  rmSync(root, { recursive: true, force: true });
});

async function start(watch = true): Promise<FlowFolderSync> {
  sync = await startFlowFolderSync({
    folders: [folder],
    store: local.store,
    scheduler: {
      flowChanged: (ns, id) => {
        changed.push(`${ns}.${id}`);
        return Promise.resolve();
      },
    },
    debounceMs: 30,
    watch,
    info: () => {},
    problem: (line) => problems.push(line),
  });
  return sync;
}

async function revisionOf(id: string, namespace = 'sync.test'): Promise<number | undefined> {
  return (await local.store.getFlow(namespace, id))?.revision;
}

/** Waits for the watcher to bring the store to the expected state (no timing is asserted). */
async function eventually(check: () => Promise<void>): Promise<void> {
  await vi.waitFor(check, { timeout: 5_000, interval: 25 });
}

describe('flow folder sync', () => {
  it('loads every flow of the folder and its subfolders, skipping a file that does not validate', async () => {
    writeFileSync(join(folder, 'a.yaml'), flow('a'));
    mkdirSync(join(folder, 'team'));
    writeFileSync(join(folder, 'team', 'b.yml'), flow('b'));
    writeFileSync(join(folder, 'broken.yaml'), 'id: broken\nnamespace: sync.test\ntasks: []\n');
    writeFileSync(join(folder, 'notes.txt'), 'not a flow');
    mkdirSync(join(folder, '.hidden'));
    writeFileSync(join(folder, '.hidden', 'c.yaml'), flow('c'));
    const { initial } = await start(false);
    expect(initial.deployed).toHaveLength(2);
    expect(initial.invalid).toEqual([expect.stringContaining('broken.yaml')]);
    expect(problems).toEqual([expect.stringMatching(/broken\.yaml skipped: The flow does not validate/)]);
    expect(await revisionOf('a')).toBe(1);
    expect(await revisionOf('b')).toBe(1);
    expect(await revisionOf('broken')).toBeUndefined();
    expect(await revisionOf('c')).toBeUndefined();
    expect(changed.sort()).toEqual(['sync.test.a', 'sync.test.b']);
  });

  it('refuses a flow path that is not a folder', async () => {
    rmSync(folder, { recursive: true });
    const failure: unknown = await start().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'WH_CONFIG_INVALID' });
    expect((failure as Error).message).toContain('no such folder');
  });

  it('follows files as they are added, edited, broken, renamed to another id and deleted', async () => {
    writeFileSync(join(folder, 'a.yaml'), flow('a'));
    await start();

    writeFileSync(join(folder, 'new.yaml'), flow('added'));
    await eventually(async () => expect(await revisionOf('added')).toBe(1));

    writeFileSync(join(folder, 'a.yaml'), flow('a', 'edited'));
    await eventually(async () => expect(await revisionOf('a')).toBe(2));
    expect((await local.store.getFlow('sync.test', 'a'))!.source).toContain('edited');

    // A broken edit is reported and the last good revision stays.
    writeFileSync(join(folder, 'a.yaml'), 'id: a\nnamespace: sync.test\ntasks:\n  - id: x\n    type: nope\n');
    await eventually(() => Promise.resolve(expect(problems.join('\n')).toMatch(/a\.yaml skipped/)));
    expect(await revisionOf('a')).toBe(2);

    // Saved the way editors do: a temporary file renamed over the original.
    writeFileSync(join(folder, '.a.yaml.swp'), flow('a', 'fixed'));
    renameSync(join(folder, '.a.yaml.swp'), join(folder, 'a.yaml'));
    await eventually(async () => expect(await revisionOf('a')).toBe(3));

    // The file now holds another flow: the old one goes, the new one comes.
    writeFileSync(join(folder, 'new.yaml'), flow('renamed'));
    await eventually(async () => expect(await revisionOf('renamed')).toBe(1));
    await eventually(async () => expect(await local.store.getFlow('sync.test', 'added')).toBeUndefined());

    unlinkSync(join(folder, 'a.yaml'));
    await eventually(async () => expect(await local.store.getFlow('sync.test', 'a')).toBeUndefined());
    expect(changed.filter((key) => key === 'sync.test.a').length).toBeGreaterThanOrEqual(3);
    expect(changed).toContain('sync.test.added');
  });

  it('watches folders created after the start', async () => {
    await start();
    mkdirSync(join(folder, 'later', 'deeper'), { recursive: true });
    writeFileSync(join(folder, 'later', 'deeper', 'd.yaml'), flow('deep'));
    await eventually(async () => expect(await revisionOf('deep')).toBe(1));
    // Only the new folder's own watcher sees an edit inside it.
    writeFileSync(join(folder, 'later', 'deeper', 'd.yaml'), flow('deep', 'again'));
    await eventually(async () => expect(await revisionOf('deep')).toBe(2));
    rmSync(join(folder, 'later'), { recursive: true });
    await eventually(async () => expect(await local.store.getFlow('sync.test', 'deep')).toBeUndefined());
  });

  it('keeps a flow that another file still holds when one of the two is deleted', async () => {
    writeFileSync(join(folder, 'one.yaml'), flow('twin', 'one'));
    writeFileSync(join(folder, 'two.yaml'), flow('twin', 'two'));
    const current = await start(false);
    unlinkSync(join(folder, 'one.yaml'));
    const summary = await current.rescan();
    expect(summary.deleted).toEqual([]);
    expect(await revisionOf('twin')).toBeDefined();
    unlinkSync(join(folder, 'two.yaml'));
    expect((await current.rescan()).deleted).toEqual(['sync.test.twin']);
  });
});
