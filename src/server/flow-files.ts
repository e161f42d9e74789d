/**
 * Where a flow saved through the API goes in a flow folder (`-f DIR`), and how it is written
 * there: a new flow follows the folder's layout (see `newFlowFile`), and every write goes through
 * a temporary file renamed over the old one, so the watcher, an editor or `git` never read half a
 * flow.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';

/** A flow file of a folder and the flow it holds (when it holds a valid one). */
export interface HeldFile {
  file: string;
  flow?: { namespace: string; id: string };
}

/**
 * What the API's saves and deletions do to the flow folders. The file is written before the store
 * saves (the file is what a restart loads); the store's save then follows.
 */
export interface FlowFileWriter {
  /**
   * Writes `source` to the file holding the flow (or a new one), then runs `save` and records the
   * file as deployed, so that the watcher does not deploy it a second time. Throws
   * WH_FLOW_FILE_UNWRITABLE, before `save`, when the file cannot be written.
   */
  write<T>(flow: { namespace: string; id: string }, source: string, save: () => Promise<T>): Promise<T>;
  /** Removes every file holding the flow; throws WH_FLOW_FILE_UNWRITABLE when one cannot be removed. */
  remove(flow: { namespace: string; id: string }): Promise<void>;
}

/**
 * The file a new flow is written to, in `folder` (the first flow folder), following its layout:
 * - beside the files of the same namespace, when the folder has some;
 * - else at the top of the folder when its flows are all there (a flat folder, as examples/flows);
 * - else in `<namespace>/` (a folder laid out by namespace, or an empty one).
 * The name is `<id>.yaml` (`.yml` when every file of the folder uses it), or
 * `<namespace>.<id>.yaml` when that name is taken, then with `-2`, `-3`… Names for which
 * `taken` answers true are skipped.
 */
export function newFlowFile(
  folder: string,
  held: readonly HeldFile[],
  flow: { namespace: string; id: string },
  taken: (file: string) => boolean,
): string {
  const inFolder = held.filter(({ file }) => !relative(folder, file).startsWith('..'));
  const sameNamespace = inFolder.find((h) => h.flow?.namespace === flow.namespace);
  const flat = inFolder.length > 0 && inFolder.every(({ file }) => !relative(folder, file).includes(sep));
  const directory = sameNamespace
    ? dirname(sameNamespace.file)
    : flat
      ? folder
      : join(folder, flow.namespace);
  const yml = inFolder.length > 0 && inFolder.every(({ file }) => extname(file).toLowerCase() === '.yml');
  const extension = yml ? '.yml' : '.yaml';
  const candidates = [flow.id, `${flow.namespace}.${flow.id}`];
  for (const name of candidates) {
    const file = join(directory, `${name}${extension}`);
    if (!taken(file)) return file;
  }
  for (let n = 2; ; n++) {
    const file = join(directory, `${flow.namespace}.${flow.id}-${n}${extension}`);
    if (!taken(file)) return file;
  }
}

/**
 * Writes `text` to `path` through a temporary file in the same folder (a hidden name the flow
 * folder scan skips) renamed over it: readers see the old file or the new one, whole. Makes the
 * folder when missing; keeps the mode of the file it replaces.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temp = join(directory, `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    const previous = await stat(path).catch(() => undefined);
    if (previous) await chmod(temp, previous.mode & 0o7777);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
