/**
 * Files going into and out of a task's working directory, as Kestra's script tasks and
 * WorkingDirectory move them: `namespaceFiles` and `inputFiles` written in before the work,
 * `outputFiles` (glob patterns) kept in internal storage after it. Every path is checked to
 * stay inside the working directory.
 */
import { createWriteStream } from 'node:fs';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, realpath, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import picomatch from 'picomatch';
import { isExpression, isRecord, TaskFailure } from '../api.js';
import type { ReportFn, TaskContext } from '../api.js';

/** Where a file of the working directory comes from: inline text or a stored file. */
export type InputFileSource = { kind: 'content'; content: string } | { kind: 'uri'; uri: string };

/** The `namespaceFiles` property of script tasks and WorkingDirectory. */
export interface NamespaceFilesOptions {
  enabled?: boolean;
  include?: string[];
  exclude?: string[];
  namespaces?: string[];
  ifExists?: 'OVERWRITE' | 'FAIL' | 'WARN' | 'IGNORE';
  folderPerNamespace?: boolean;
}

const KESTRA_SCHEME = 'kestra://';

/**
 * The `inputFiles` property as a map of file name to content: a map, or that map as JSON text
 * (what an expression such as `{{ outputs.x.vars.files | json }}` renders to).
 */
export function parseInputFiles(value: unknown, property = 'inputFiles'): Record<string, string> {
  if (value === undefined || value === null) return {};
  let map: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      map = JSON.parse(value);
    } catch {
      throw new TaskFailure(
        `Property \`${property}\`: the text \`${preview(value)}\` is not a JSON map of file name to content; give a YAML map instead`,
      );
    }
  }
  if (!isRecord(map)) throw new TaskFailure(`Property \`${property}\` must be a map of file name to content`);
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(map)) {
    if (typeof content === 'string') files[name] = content;
    else if (typeof content === 'number' || typeof content === 'boolean') files[name] = String(content);
    else
      throw new TaskFailure(
        `Property \`${property}\`: the content of \`${name}\` must be text or a kestra:// URI, not ${content === null ? 'null' : typeof content}`,
      );
  }
  return files;
}

/**
 * Checks at validation an `inputFiles` given as literal text (not an expression): it must be a
 * JSON map of file name to content, which is what Kestra reads from text.
 */
export function checkInputFilesText(value: unknown, report: ReportFn): void {
  if (typeof value !== 'string' || isExpression(value)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || !Object.values(parsed).every((v) => typeof v === 'string'))
    report(
      ['inputFiles'],
      '`inputFiles` given as text must be a JSON map of file name to content (or an expression); a YAML map is simpler',
    );
}

/** Whether a file's content is a stored file to copy (Kestra copies a value starting with `kestra://`). */
export function sourceOf(content: string): InputFileSource {
  return content.startsWith(KESTRA_SCHEME) && !/[\r\n]/.test(content)
    ? { kind: 'uri', uri: content.trim() }
    : { kind: 'content', content };
}

/**
 * The absolute path of `name` inside `root`; fails when the name is empty, absolute or
 * leaves the directory (`../x`), so that nothing is ever written outside it.
 */
export function pathInside(root: string, name: string, property: string): string {
  const full = resolve(root, name);
  const rel = relative(root, full);
  if (name.trim() === '' || isAbsolute(name) || rel === '' || rel === '..' || rel.startsWith(`..${sep}`))
    throw new TaskFailure(
      `Property \`${property}\`: the file name \`${name}\` is not a path inside the working directory; use a relative name such as \`data/input.csv\``,
    );
  return full;
}

/**
 * Makes the parent folders of a file inside `root` and clears the way for writing it: a
 * symbolic link left there (by an earlier task) is removed rather than written through.
 */
async function prepareTarget(root: string, path: string, name: string, property: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const realRoot = await realpath(root);
  const realParent = await realpath(dirname(path));
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep))
    throw new TaskFailure(
      `Property \`${property}\`: the file name \`${name}\` goes through a link that leaves the working directory`,
    );
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) await unlink(path);
  else if (existing?.isDirectory())
    throw new TaskFailure(`Property \`${property}\`: \`${name}\` is a folder of the working directory`);
}

/** Writes one file in the working directory from a stream. */
async function writeStream(path: string, content: Readable): Promise<void> {
  await pipeline(content, createWriteStream(path));
}

/**
 * Writes `inputFiles` into `root`: inline content as is, a `kestra://` URI by copying the
 * stored file. A missing stored file fails with its file name and URI.
 */
export async function writeInputFiles(
  ctx: TaskContext,
  root: string,
  files: Record<string, string>,
  property = 'inputFiles',
): Promise<void> {
  // Every name is checked before anything is written.
  const targets = Object.entries(files).map(([name, content]) => ({
    name,
    path: pathInside(root, name, property),
    source: sourceOf(content),
  }));
  for (const { name, path, source } of targets) {
    await prepareTarget(root, path, name, property);
    if (source.kind === 'content') {
      await writeFile(path, source.content);
      continue;
    }
    let stream: Readable;
    try {
      stream = await ctx.storage.readStream(source.uri);
    } catch (error) {
      throw new TaskFailure(
        `Property \`${property}\`: the file \`${name}\` cannot be copied from \`${source.uri}\`: ${(error as Error).message}. Check that the URI comes from an output of a task of this execution (such as \`{{ outputs.task.outputFiles['name'] }}\`).`,
      );
    }
    await writeStream(path, stream);
  }
}

/** Copies the namespace files selected by `namespaceFiles` into `root`. */
export async function writeNamespaceFiles(
  ctx: TaskContext,
  root: string,
  options: NamespaceFilesOptions | undefined,
): Promise<number> {
  if (!options || options.enabled === false) return 0;
  const namespaces =
    options.namespaces && options.namespaces.length > 0 ? options.namespaces : [ctx.run.namespace];
  const ifExists = options.ifExists ?? 'OVERWRITE';
  const written = new Set<string>();
  let count = 0;
  for (const namespace of namespaces) {
    const paths = await ctx.namespaceFiles.list({
      namespace,
      ...(options.include ? { include: options.include.map(namespaceFilePattern) } : {}),
      ...(options.exclude ? { exclude: options.exclude.map(namespaceFilePattern) } : {}),
    });
    for (const file of paths) {
      const name = options.folderPerNamespace ? `${namespace}/${file}` : file;
      const path = pathInside(root, name, 'namespaceFiles');
      // Later namespaces win over earlier ones; `ifExists` is about files already there.
      if (!written.has(path) && ifExists !== 'OVERWRITE' && (await lstat(path).catch(() => undefined))) {
        if (ifExists === 'FAIL')
          throw new TaskFailure(
            `Property \`namespaceFiles\`: \`${name}\` is already in the working directory and \`ifExists\` is FAIL`,
          );
        if (ifExists === 'WARN')
          ctx.logger.warn(
            `Namespace file \`${name}\` is already in the working directory: kept the existing one`,
          );
        continue;
      }
      await prepareTarget(root, path, name, 'namespaceFiles');
      await writeStream(path, await ctx.storage.readStream(ctx.namespaceFiles.uri(file, namespace)));
      written.add(path);
      count++;
    }
  }
  return count;
}

/**
 * A `namespaceFiles` include/exclude glob as Kestra reads it, for paths relative to the
 * namespace root: Kestra matches `/`-rooted paths, so `/ignore/**` is anchored at the root, and
 * it prefixes a pattern starting with a name by `**\/`, so `scripts/**` matches at any depth.
 */
export function namespaceFilePattern(pattern: string): string {
  const glob = pattern.startsWith('glob:') ? pattern.slice('glob:'.length) : pattern;
  if (glob.startsWith('/')) return glob.replace(/^\/+/, '');
  return /^\w/.test(glob) && !pattern.startsWith('glob:') ? `**/${glob}` : glob;
}

/** Files below `root`, as `/`-separated paths relative to it; links are not followed. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  await walk(root, '');
  return out.sort();
}

/**
 * Uploads the files of `root` matching the `outputFiles` glob patterns (dot files included)
 * to internal storage; returns their URIs by relative path, as `outputs.<id>.outputFiles`.
 * A pattern matching nothing is logged as a warning unless `quiet`.
 */
export async function collectOutputFiles(
  ctx: TaskContext,
  root: string,
  patterns: readonly string[],
  options: { quiet?: boolean } = {},
): Promise<Record<string, string>> {
  const uris: Record<string, string> = {};
  if (patterns.length === 0) return uris;
  const files = await listFiles(root);
  for (const pattern of patterns) {
    const matches = picomatch(pattern.replace(/^\.\//, ''), { dot: true });
    const found = files.filter((f) => matches(f));
    if (found.length === 0 && !options.quiet)
      ctx.logger.warn(`outputFiles: no file of the working directory matches \`${pattern}\``);
    for (const file of found) {
      if (uris[file] !== undefined) continue;
      uris[file] = await ctx.storage.putLocalFile(join(root, file), file);
    }
  }
  return uris;
}

/** Reads the `namespaceFiles` property (a map) into options; undefined when not given. */
export function namespaceFilesOptions(value: unknown): NamespaceFilesOptions | undefined {
  if (!isRecord(value)) return undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  const options: NamespaceFilesOptions = {};
  if (value.enabled === false) options.enabled = false;
  const include = list(value.include);
  const exclude = list(value.exclude);
  const namespaces = list(value.namespaces);
  if (include) options.include = include;
  if (exclude) options.exclude = exclude;
  if (namespaces) options.namespaces = namespaces;
  if (typeof value.ifExists === 'string')
    options.ifExists = value.ifExists as NamespaceFilesOptions['ifExists'];
  if (value.folderPerNamespace === true) options.folderPerNamespace = true;
  return options;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
