/**
 * The environment of a script task's process: the worker's own, the task's `env`,
 * `WORKING_DIR`/`OUTPUT_DIR`, and for Python the `kestra` module on `PYTHONPATH` and a
 * `python` command where only `python3` is installed.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, readlink, symlink, unlink } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let kestraModuleDir: string | undefined | null = null;

/**
 * The folder holding `kestra.py` (the repository's `python/`), found by walking up from this
 * file: it is `src/plugins/scripts/run/` under tsx and vitest, `dist/plugins/scripts/run/` once
 * built, and deeper in other compiled layouts (benchmarks).
 */
export function kestraPythonDir(): string | undefined {
  if (kestraModuleDir !== null) return kestraModuleDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'python', 'kestra.py'))) return (kestraModuleDir = join(dir, 'python'));
    const parent = dirname(dir);
    if (parent === dir) return (kestraModuleDir = undefined);
    dir = parent;
  }
}

/** Found programs by name and PATH; a short life, so that a tool installed later is seen. */
const pathCache = new Map<string, { path: string | undefined; at: number }>();
const PATH_CACHE_MS = 5000;

/** The absolute path of a program found on `PATH` (cached for a few seconds), or undefined. */
export function findOnPath(program: string, pathValue: string | undefined): string | undefined {
  if (isAbsolute(program)) return canExecute(program) ? program : undefined;
  const key = `${program}\0${pathValue ?? ''}`;
  const now = Date.now();
  const cached = pathCache.get(key);
  if (cached && now - cached.at < PATH_CACHE_MS) return cached.path;
  let found: string | undefined;
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    if (canExecute(candidate)) {
      found = candidate;
      break;
    }
  }
  if (pathCache.size > 256) pathCache.clear();
  pathCache.set(key, { path: found, at: now });
  return found;
}

function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const shims = new Map<string, Promise<string>>();

/**
 * A folder with a `python` link to `python3`, to put first on `PATH` when `python` is not
 * installed: Kestra flows say `python`, many Linux machines only have `python3`. Undefined
 * when `python` exists or `python3` does not. Made once per worker under `workRoot`.
 */
export async function pythonShimDir(
  workRoot: string,
  pathValue: string | undefined,
): Promise<string | undefined> {
  if (findOnPath('python', pathValue)) return undefined;
  const python3 = findOnPath('python3', pathValue);
  if (!python3) return undefined;
  const dir = join(workRoot, '.windhover', 'python-shim');
  let made = shims.get(`${dir}\0${python3}`);
  if (!made) {
    made = makeShim(dir, python3);
    shims.set(`${dir}\0${python3}`, made);
  }
  return made;
}

async function makeShim(dir: string, python3: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const link = join(dir, 'python');
  const current = await readlink(link).catch(() => undefined);
  if (current !== python3) {
    if (current !== undefined) await unlink(link).catch(() => undefined);
    await symlink(python3, link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return dir;
}

/** Puts folders first on a `PATH`-like variable. */
export function prependPath(folders: readonly string[], current: string | undefined): string {
  return [...folders, ...(current ? [current] : [])].join(delimiter);
}

export interface EnvironmentInput {
  /** The task's `env` property. */
  env: Readonly<Record<string, string>> | undefined;
  /** What the worker gives processes in addition to its own environment. */
  contextEnv: Readonly<Record<string, string>>;
  workingDir: string;
  outputDir: string;
}

/** The worker's environment, then the context's, the task's `env`, and the directories. */
export function processEnvironment(input: EnvironmentInput): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...input.contextEnv,
    WORKING_DIR: input.workingDir,
    OUTPUT_DIR: input.outputDir,
    ...(input.env ?? {}),
  };
}
