/** Picking the storage backend from a URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStorage, openStorage, PostgresStorage } from '../../src/storage/index.js';
import { createPostgresDatabase } from '../support/databases.js';

const db = await createPostgresDatabase('storage_open');
const root = mkdtempSync(join(tmpdir(), 'wh-storage-open-'));

afterAll(async () => {
  await db.drop();
  rmSync(root, { recursive: true, force: true });
});

describe('openStorage', () => {
  it('opens local storage from a folder path or a file:// URL', async () => {
    for (const url of [root, pathToFileURL(root).href]) {
      const opened = openStorage(url);
      expect(opened.storage).toBeInstanceOf(LocalStorage);
      expect((opened.storage as LocalStorage).root).toBe(root);
      await opened.close();
    }
  });

  it('refuses other schemes with WH_CONFIG_INVALID, without echoing a password', () => {
    expect(() => openStorage('s3://bucket/prefix')).toThrow(
      /Unsupported internal storage URL `s3:\/\/bucket\/prefix`/,
    );
    let message = '';
    try {
      openStorage('mysql://app:s3cret@db:3306/x');
    } catch (error) {
      expect(error).toMatchObject({ code: 'WH_CONFIG_INVALID' });
      message = (error as Error).message;
    }
    expect(message).toContain('mysql://app:***@db:3306/x');
    expect(message).not.toContain('s3cret');
  });

  it.skipIf(!db.available)(
    'opens PostgreSQL storage from a postgres:// URL, shared by every opener',
    async () => {
      const a = openStorage(db.url);
      const b = openStorage(db.url.replace(/^postgres:/, 'postgresql:'));
      try {
        expect(a.storage).toBeInstanceOf(PostgresStorage);
        await a.storage.put('kestra:///ns/_files/a.txt', 'shared');
        expect((await b.storage.readBuffer('kestra:///ns/_files/a.txt')).toString()).toBe('shared');
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
  );
});
