/**
 * Files of the worker's own disk named by a task property (gcs.Upload's `from: /data/x.csv`).
 * A flow author must not read what the worker can (its environment under /proc, the data folder,
 * keys): as Kestra's `kestra.local-files.allowed-paths`, an absolute path is read only inside a
 * folder listed in the worker's WINDHOVER_LOCAL_FILES_ALLOWED_PATHS, and a relative one only
 * inside the task's working directory; both after resolving symbolic links.
 */
import { realpath, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, relative, resolve, sep } from 'node:path';
import { TaskFailure } from './context.js';
import type { TaskContext } from './context.js';

/** The worker environment variable listing the folders flows may read files from (`:`-separated). */
export const ALLOWED_PATHS_VARIABLE = 'WINDHOVER_LOCAL_FILES_ALLOWED_PATHS';

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function realOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/**
 * The real path and size of the local file a property names (`/abs/path`, `file:///abs/path` or a
 * path relative to the working directory), or a task error saying why it may not be read.
 */
export async function allowedLocalFile(
  ctx: TaskContext,
  written: string,
  property: string,
): Promise<{ path: string; size: number }> {
  const text = written.startsWith('file://') ? decodeURI(written.slice('file://'.length)) : written;
  const workDir = isAbsolute(text) ? undefined : await realpath(await ctx.workingDirectory());
  const lexical = resolve(workDir ?? '/', text);
  // Where the file really is (links resolved); a missing file is judged by its written path, so
  // the answer for a path outside the allowed folders does not tell whether it exists.
  const path = (await realOrUndefined(lexical)) ?? lexical;
  const folders = workDir
    ? [workDir]
    : (ctx.workerEnv[ALLOWED_PATHS_VARIABLE] ?? '').split(delimiter).filter((folder) => isAbsolute(folder));
  const real = await Promise.all(
    folders.map(async (folder) => (await realOrUndefined(folder)) ?? resolve(folder)),
  );
  if (!real.some((folder) => inside(folder, path))) {
    throw new TaskFailure(
      workDir
        ? `\`${property}\`: \`${written}\` leaves the task's working directory`
        : `\`${property}\`: reading \`${written}\` from the worker's disk is not allowed; list its folder in the worker's ${ALLOWED_PATHS_VARIABLE} (as Kestra's kestra.local-files.allowed-paths), or pass the file as a \`kestra://\` URI`,
    );
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new TaskFailure(
      `\`${property}\`: no file at \`${written}\` (give a \`kestra://\` URI or the path of a file)`,
    );
  return { path, size: info.size };
}
