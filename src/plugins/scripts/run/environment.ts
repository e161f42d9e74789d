/**
 * The environment of a script task's process, built from an allow-list: a few variables of the
 * worker's (PATH, locale, time zone, and HOME/TMPDIR when the script runs as the worker's own
 * user), those an operator names in `WINDHOVER_SCRIPT_ENV`, the task's `env`,
 * `WORKING_DIR`/`OUTPUT_DIR`, and for Python the `kestra` module on `PYTHONPATH` and a `python`
 * command where only `python3` is installed. Never the rest of the server's environment: its
 * credentials, store URL and `SECRET_*` values.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readlink, symlink, unlink } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskFailure } from '../../api.js';

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

const moduleCopies = new Map<string, Promise<string>>();

/**
 * A copy of the `kestra` module in the work root, readable by every user, made once per worker:
 * for scripts that run as another user and cannot read the package's own folder (Windhover
 * installed under `/root`, as npx and a clone in root's home put it).
 */
export function kestraModuleCopy(workRoot: string, source: string): Promise<string> {
  const dir = join(workRoot, '.windhover', 'python');
  let made = moduleCopies.get(dir);
  if (!made) {
    made = (async () => {
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await copyFile(join(source, 'kestra.py'), join(dir, 'kestra.py'));
      await chmod(join(dir, 'kestra.py'), 0o644);
      return dir;
    })();
    // A failed copy is tried again by the next task.
    made.catch(() => moduleCopies.delete(dir));
    moduleCopies.set(dir, made);
  }
  return made;
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

/** The setting naming further variables of the worker's environment that scripts get. */
export const SCRIPT_ENV_VARIABLE = 'WINDHOVER_SCRIPT_ENV';

/** Variables of the worker's environment every script gets. */
const PASSED: ReadonlySet<string> = new Set(['PATH', 'LANG', 'LANGUAGE', 'TZ']);
/** Variables that name the worker user's own folders: passed only to scripts running as that user. */
const PASSED_TO_OWN_USER: ReadonlySet<string> = new Set(['HOME', 'TMPDIR']);
/** Names `WINDHOVER_SCRIPT_ENV` may not pass: the server's own settings and the secrets of `secret()`. */
const NEVER_PASSED = /^(WINDHOVER_|SECRET_)/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

let operatorNames: { raw: string | undefined; names: readonly string[] } | undefined;

/**
 * The names listed in `WINDHOVER_SCRIPT_ENV` (separated by commas or spaces). Throws a
 * TaskFailure for a name that is not a variable name or that the server keeps to itself.
 */
export function passedThrough(raw: string | undefined = process.env[SCRIPT_ENV_VARIABLE]): readonly string[] {
  if (operatorNames && operatorNames.raw === raw) return operatorNames.names;
  const names = (raw ?? '').split(/[\s,]+/).filter((name) => name !== '');
  for (const name of names) {
    if (!VARIABLE_NAME.test(name))
      throw new TaskFailure(`${SCRIPT_ENV_VARIABLE}: \`${name}\` is not a variable name`);
    if (NEVER_PASSED.test(name))
      throw new TaskFailure(
        `${SCRIPT_ENV_VARIABLE} names ${name}: the server's own variables (WINDHOVER_*) and secrets (SECRET_*) are never given to scripts; give a task what it needs in its \`env\`, e.g. \`{{ secret('NAME') }}\``,
      );
  }
  operatorNames = { raw, names };
  return names;
}

export interface EnvironmentInput {
  /** The task's `env` property. */
  env: Readonly<Record<string, string>> | undefined;
  /** What the worker gives processes in addition to the allow-list. */
  contextEnv: Readonly<Record<string, string>>;
  workingDir: string;
  outputDir: string;
  /** Whether the script runs as another user than the worker's (its HOME is then the working directory). */
  otherUser: boolean;
  /** The worker's environment, read through the allow-list. Default `process.env`. */
  workerEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * The allowed variables of the worker's environment, then the context's, the directories and
 * the task's `env` (which wins).
 */
export function processEnvironment(input: EnvironmentInput): NodeJS.ProcessEnv {
  const workerEnv = input.workerEnv ?? process.env;
  const extra = new Set(passedThrough());
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(workerEnv)) {
    if (value === undefined) continue;
    const allowed =
      PASSED.has(name) ||
      name.startsWith('LC_') ||
      extra.has(name) ||
      (!input.otherUser && PASSED_TO_OWN_USER.has(name));
    if (allowed) env[name] = value;
  }
  // Tools keep caches and settings in HOME: the working directory is the one folder such a
  // user may write, and it goes with the task.
  if (input.otherUser) env.HOME = input.workingDir;
  return {
    ...env,
    ...input.contextEnv,
    WORKING_DIR: input.workingDir,
    OUTPUT_DIR: input.outputDir,
    ...(input.env ?? {}),
  };
}
