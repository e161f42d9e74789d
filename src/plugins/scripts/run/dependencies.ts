/**
 * `dependencies` of Python script tasks: installed with pip (`python3 -m pip install
 * --target`) into a folder put on PYTHONPATH. With `dependencyCacheEnabled` (the default) the
 * folder is kept under the worker's work root, keyed by the list, and reused by later runs.
 * pip runs as the script's user (a package's build runs code of its own); a cached folder is
 * then given back to the worker's user, so that no script can change what later runs import.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chown, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskFailure } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { findOnPath } from './environment.js';
import { takeBack } from './ownership.js';
import type { ScriptIdentity } from './identity.js';
import { runProcess, SpawnError } from './process.js';

const COMPLETE = '.windhover-complete';

export interface DependencyInput {
  dependencies: readonly string[];
  cache: boolean;
  workRoot: string;
  env: NodeJS.ProcessEnv;
  /** The user pip runs as; the worker's own when not given. */
  user: ScriptIdentity | undefined;
}

/**
 * Installs the packages (once, when cached); returns the folder to put on PYTHONPATH and
 * whether the caller must delete it after the run (no cache).
 */
export async function installPythonDependencies(
  ctx: TaskContext,
  input: DependencyInput,
): Promise<{ dir: string; temporary: boolean }> {
  const root = join(input.workRoot, '.windhover', 'python-deps');
  const key = createHash('sha256')
    .update([...input.dependencies].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = join(root, input.cache ? key : `run-${randomBytes(6).toString('hex')}`);
  if (input.cache && (await isComplete(dir))) {
    ctx.logger.debug(`Dependencies ${input.dependencies.join(', ')} are already installed in ${dir}`);
    return { dir, temporary: false };
  }
  const python = findOnPath('python3', input.env.PATH) ?? findOnPath('python', input.env.PATH);
  if (!python)
    throw new TaskFailure(
      'Property `dependencies`: `python3` was not found on this worker to install them with pip: install Python 3, or remove `dependencies`',
    );
  // Installed into a fresh folder, renamed into place when complete: concurrent runs never
  // see half an install.
  const staging = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  if (input.user) await chown(staging, input.user.uid, input.user.gid);
  ctx.logger.info(
    `Installing dependencies with pip: ${input.dependencies.join(' ')} (into ${input.cache ? dir : 'a folder of this run'}, put on PYTHONPATH)`,
  );
  let noPip = false;
  try {
    const result = await runProcess({
      argv: [
        python,
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-input',
        '--target',
        staging,
        ...input.dependencies,
      ],
      cwd: staging,
      // pip's advice against running as root is noise for a task log; its download cache
      // would go to the script user's HOME, the working directory, and be removed with it.
      env: { ...input.env, PIP_ROOT_USER_ACTION: 'ignore', ...(input.user ? { PIP_NO_CACHE_DIR: '1' } : {}) },
      user: input.user,
      signal: ctx.signal,
      onStdout: (line) => ctx.logger.info(line),
      onStderr: (line) => {
        if (/No module named pip/.test(line)) noPip = true;
        ctx.logger.warn(line);
      },
    });
    if (noPip)
      throw new TaskFailure(
        `Property \`dependencies\`: pip is not installed for ${python}: install it (\`${python} -m ensurepip\`) or remove \`dependencies\``,
      );
    if (result.exitCode !== 0)
      throw new TaskFailure(
        `Property \`dependencies\`: pip could not install ${input.dependencies.join(', ')} (exit code ${result.exitCode}); see the log above`,
      );
    if (input.user) takeBack(staging, { files: true });
    await writeFile(join(staging, COMPLETE), '');
    if (await isComplete(dir)) {
      // Another run installed the same list meanwhile: theirs is used, maybe right now.
      await rm(staging, { recursive: true, force: true });
    } else {
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    }
    return { dir, temporary: !input.cache };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof SpawnError)
      throw new TaskFailure(
        `Property \`dependencies\`: ${python} could not be started to run pip (${error.code})`,
      );
    throw error;
  }
}

async function isComplete(dir: string): Promise<boolean> {
  return (await stat(join(dir, COMPLETE)).catch(() => undefined)) !== undefined;
}
