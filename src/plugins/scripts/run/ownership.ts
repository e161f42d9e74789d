/**
 * The files of a working directory and the user a script runs as (identity.ts). The worker writes
 * the directory while it is its own (mode 0700), hands it over just before the commands start,
 * and takes its folders back as soon as they end. Handing over goes from the leaves up and taking
 * back from the top down, so that every folder the worker walks through belongs to it at that
 * moment: a process the script left behind cannot swap a folder for a link and make the worker
 * (root) change or read files elsewhere.
 */
import { chmod, lchown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScriptIdentity } from './identity.js';

/**
 * Gives a folder and everything in it to a user (links themselves, never what they point to),
 * the folder itself last and mode 0700: what the worker wrote there (input and namespace files,
 * the script, the files of earlier tasks of a WorkingDirectory) becomes the script's to change.
 * Every folder in it must be the worker's (made by it, or taken back by takeBack).
 */
export async function handOver(dir: string, identity: ScriptIdentity): Promise<void> {
  await handOverEntries(dir, identity);
  await lchown(dir, identity.uid, identity.gid);
  await chmod(dir, 0o700);
}

async function handOverEntries(dir: string, identity: ScriptIdentity): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // `dir` is still the worker's: nobody else can swap this folder for a link meanwhile.
    if (entry.isDirectory()) await handOverEntries(path, identity);
    await lchown(path, identity.uid, identity.gid);
  }
}

/**
 * Gives a folder and every folder in it back to the worker's user, from the top down (and the
 * files too with `files`): once a folder is the worker's, no other user can change what it
 * holds, so what the worker then reads there (output files) or writes (the next task of a
 * WorkingDirectory) stays inside it.
 */
export async function takeBack(dir: string, options: { files: boolean }): Promise<void> {
  const worker = workerIdentity();
  await lchown(dir, worker.uid, worker.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await takeBack(path, options);
    else if (options.files) await lchown(path, worker.uid, worker.gid);
  }
}

/** The worker's own user and group, to take a folder back from a script's user. */
export function workerIdentity(): ScriptIdentity {
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}
