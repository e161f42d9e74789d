/**
 * WorkingDirectory's `cache`, as Kestra keeps it: after a successful run the files of the
 * directory matching the patterns are kept (only when one of them changed since they were
 * restored); at the start of the next execution of the flow they are put back, unless the
 * cache is older than its `ttl`. Kept in the task cache as one folder per saved generation and
 * a manifest naming the current one, so that a run reading it never sees half a save.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import picomatch from 'picomatch';
import { isRecord } from '../api.js';
import type { TaskContext } from '../api.js';
import { listFiles, pathInside } from './working-files.js';

/** The `cache` property of a WorkingDirectory. */
export interface DirectoryCacheOptions {
  patterns: string[];
  /** How long a saved cache is used, in milliseconds; forever when absent. */
  ttlMs?: number;
}

interface Manifest {
  savedAt: string;
  generation: string;
  files: Array<{ path: string; mode: number }>;
}

const MANIFEST = 'manifest.json';

/**
 * Puts the saved files back into `root`, their modification time set to when they were saved
 * (so a save can tell whether the run changed them). A cache past its ttl is deleted instead.
 * Returns how many files were restored.
 */
export async function restoreDirectoryCache(
  ctx: TaskContext,
  root: string,
  options: DirectoryCacheOptions,
): Promise<number> {
  const manifest = await readManifest(ctx);
  if (!manifest) return 0;
  const savedAt = new Date(manifest.savedAt);
  if (options.ttlMs !== undefined && Date.now() - savedAt.getTime() > options.ttlMs) {
    ctx.logger.debug(`The cache saved at ${manifest.savedAt} is past its ttl: deleted`);
    await deleteGeneration(ctx, manifest);
    await ctx.cache.delete(MANIFEST);
    return 0;
  }
  let restored = 0;
  for (const file of manifest.files) {
    const content = await ctx.cache.read(`${manifest.generation}/${file.path}`);
    if (!content) {
      ctx.logger.warn(`The cache lost \`${file.path}\` (replaced by another execution?): not restored`);
      continue;
    }
    const path = pathInside(root, file.path, 'cache');
    await mkdir(dirname(path), { recursive: true });
    await pipeline(content, createWriteStream(path));
    await chmod(path, file.mode & 0o777);
    await utimes(path, savedAt, savedAt);
    restored++;
  }
  ctx.logger.debug(`Restored ${restored} file(s) from the cache saved at ${manifest.savedAt}`);
  return restored;
}

/**
 * Keeps the files of `root` matching the patterns as the new cache, when one of them changed
 * (or appeared, or went away) since the cache they came from was saved.
 */
export async function saveDirectoryCache(
  ctx: TaskContext,
  root: string,
  options: DirectoryCacheOptions,
): Promise<void> {
  const matches = picomatch(
    options.patterns.map((p) => p.replace(/^\.\//, '')),
    { dot: true },
  );
  const files: Array<{ path: string; mode: number; mtimeMs: number }> = [];
  for (const path of (await listFiles(root)).filter((f) => matches(f))) {
    const stat = await lstat(join(root, path));
    files.push({ path, mode: stat.mode, mtimeMs: stat.mtimeMs });
  }
  const previous = await readManifest(ctx);
  if (previous && !changed(previous, files)) {
    ctx.logger.debug('The cached files did not change: the cache is kept as it is');
    return;
  }
  if (!previous && files.length === 0) return;
  const generation = randomUUID();
  for (const file of files)
    await ctx.cache.writeLocalFile(`${generation}/${file.path}`, join(root, file.path));
  const manifest: Manifest = {
    savedAt: new Date().toISOString(),
    generation,
    files: files.map(({ path, mode }) => ({ path, mode })),
  };
  await ctx.cache.write(MANIFEST, JSON.stringify(manifest));
  if (previous) await deleteGeneration(ctx, previous);
  ctx.logger.debug(`Saved ${files.length} file(s) in the cache`);
}

/** Reads the `cache` property (validated by the schema); undefined when not given. */
export function directoryCacheOptions(
  value: unknown,
  parseDuration: (text: string) => number | undefined,
): DirectoryCacheOptions | undefined {
  if (!isRecord(value) || !Array.isArray(value.patterns)) return undefined;
  const ttlMs = typeof value.ttl === 'string' ? parseDuration(value.ttl) : undefined;
  return { patterns: value.patterns.map(String), ...(ttlMs !== undefined ? { ttlMs } : {}) };
}

/** Whether the files differ from the saved ones: a file added, gone, or modified after the save. */
function changed(previous: Manifest, files: ReadonlyArray<{ path: string; mtimeMs: number }>): boolean {
  const savedAt = Date.parse(previous.savedAt);
  if (files.length !== previous.files.length) return true;
  const saved = new Set(previous.files.map((f) => f.path));
  // Restored files carry the save time (to the millisecond, give or take the file system's rounding).
  return files.some((f) => !saved.has(f.path) || f.mtimeMs > savedAt + 1);
}

async function readManifest(ctx: TaskContext): Promise<Manifest | undefined> {
  const stream = await ctx.cache.read(MANIFEST);
  if (!stream) return undefined;
  try {
    const value: unknown = JSON.parse((await buffer(stream)).toString('utf8'));
    if (
      isRecord(value) &&
      typeof value.savedAt === 'string' &&
      typeof value.generation === 'string' &&
      Array.isArray(value.files)
    )
      return value as unknown as Manifest;
  } catch {
    // An unreadable manifest is no cache: the next save replaces it.
  }
  return undefined;
}

async function deleteGeneration(ctx: TaskContext, manifest: Manifest): Promise<void> {
  for (const file of manifest.files) await ctx.cache.delete(`${manifest.generation}/${file.path}`);
}
