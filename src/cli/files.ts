import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, WindhoverError } from '../errors.js';

const FLOW_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/**
 * The flow files named by CLI arguments: a file as given (whatever its extension), a directory
 * searched recursively for `*.yml`/`*.yaml` (hidden folders and node_modules skipped), sorted.
 */
export async function collectFlowFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new WindhoverError(ErrorCodes.FILE_UNREADABLE, `no such file or directory: ${path}`);
    }
    if (info.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return files;
}

async function walk(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name))
        out.push(...(await walk(path)));
    } else if (entry.isFile() && FLOW_FILE.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}
