/**
 * File databases (SQLite, DuckDB): where the URL's file is, a stored database file copied in
 * before the SQL runs (`sqliteFile`, `databaseUri`), and the file kept afterwards
 * (`outputDbFile` → `databaseUri`).
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { parseJdbcUrl } from './jdbc-url.js';

/** In memory, or a file path. */
export type DatabaseLocation = { memory: true; path?: undefined } | { memory: false; path: string };

/**
 * The database a file-database URL opens. A relative path is in the task's working directory
 * (as Kestra does); an empty path or `:memory:` is in memory, unless a stored file is given
 * (`storedName`), which is then copied to `<workingDir>/<storedName>`.
 */
export async function fileDatabaseLocation(
  ctx: TaskContext,
  url: unknown,
  options: { stored?: unknown; storedName: string },
): Promise<DatabaseLocation> {
  const parsed = parseJdbcUrl(toText(url ?? ''));
  const stored = options.stored === undefined || options.stored === null ? undefined : toText(options.stored);
  const inMemory = parsed.path === '' || parsed.path === ':memory:';
  if (inMemory && stored === undefined) return { memory: true };
  const path = inMemory
    ? resolve(await ctx.workingDirectory(), options.storedName)
    : isAbsolute(parsed.path)
      ? parsed.path
      : resolve(await ctx.workingDirectory(), parsed.path);
  if (!existsSync(dirname(path)))
    throw new TaskFailure(
      `Property \`url\`: the folder of the database file \`${path}\` does not exist; create it first, or use a path relative to the task's working directory`,
    );
  if (stored !== undefined) {
    if (!stored.startsWith('kestra://'))
      throw new TaskFailure(`The stored database file must be a \`kestra://\` URI, got \`${stored}\``);
    if (!(await ctx.storage.exists(stored)))
      throw new TaskFailure(`The stored database file \`${stored}\` does not exist in internal storage`);
    await mkdir(dirname(path), { recursive: true });
    await pipeline(await ctx.storage.readStream(stored), createWriteStream(path));
  }
  return { memory: false, path };
}

/** `outputDbFile: true`: stores the database file, as output `databaseUri`. */
export async function keepDatabaseFile(
  ctx: TaskContext,
  location: DatabaseLocation,
  wanted: unknown,
): Promise<Record<string, unknown>> {
  if (wanted !== true) return {};
  if (location.memory)
    throw new TaskFailure(
      '`outputDbFile: true` needs a database file: give a `url` with a file path (an in-memory database has no file)',
    );
  return { databaseUri: await ctx.storage.putLocalFile(location.path) };
}
