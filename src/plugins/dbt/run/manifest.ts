/**
 * dbt's `manifest.json` kept in the KV store between runs (Kestra's `storeManifest` and
 * `loadManifest`): stored as a JSON value after a run, written back to `target/manifest.json`
 * of the project before the next, where `--state target` in a command finds it.
 */
import { readFile } from 'node:fs/promises';
import { isRecord, TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { kvNamespace } from '../../shared/kv-values.js';
import { writeInputFiles } from '../../shared/working-files.js';

/** Where a manifest is kept: a KV key of a namespace. */
export interface ManifestKey {
  key: string;
  namespace: string;
}

/** The `storeManifest` / `loadManifest` property, checked; undefined when not given. */
export function manifestKey(ctx: TaskContext, value: unknown, property: string): ManifestKey | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || value.key === undefined || value.key === null || toText(value.key).trim() === '')
    throw new TaskFailure(`Property \`${property}\` needs a \`key\` and a \`namespace\``);
  return { key: toText(value.key).trim(), namespace: kvNamespace(ctx, value.namespace) };
}

/**
 * Writes the kept manifest to `<project>/target/manifest.json` (`projectPath` is relative to
 * the working directory); warns, as Kestra does, when there is none.
 */
export async function loadManifest(
  ctx: TaskContext,
  where: ManifestKey,
  workingDir: string,
  projectPath: string,
): Promise<void> {
  const entry = await ctx.kv.get(where.key, where.namespace);
  const value = entry?.value;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    ctx.logger.warn('Property `loadManifest` has been used but no manifest has been found in the KV Store.');
    return;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const name = projectPath === '.' ? 'target/manifest.json' : `${projectPath}/target/manifest.json`;
  await writeInputFiles(ctx, workingDir, { [name]: text }, 'loadManifest');
}

/** Keeps a manifest file in KV as a JSON value. */
export async function storeManifest(ctx: TaskContext, where: ManifestKey, path: string): Promise<void> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    ctx.logger.warn(
      `target/manifest.json is not JSON, so it is not stored in KV: ${(error as Error).message}`,
    );
    return;
  }
  await ctx.kv.set(where.key, manifest, { namespace: where.namespace, type: 'JSON' });
}
