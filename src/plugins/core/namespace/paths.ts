/**
 * Paths and patterns of the namespace files tasks: Kestra matches namespace paths (`/a/b.sql`)
 * with Java's `PathMatcher` globs (`**.sql`, `glob:…`, `regex:…`); a path never leaves its
 * namespace. Not a plugin: UploadFiles, DownloadFiles and DeleteFiles import it.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { NAMESPACE_PATTERN, TaskFailure, toText } from '../../api.js';

/** A Java glob as a regex over whole paths: `**` crosses `/`, `*` and `?` do not. */
export function globRegex(glob: string): RegExp {
  let out = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeRegex(glob[++i]!);
    else if (c === '{' && !inGroup) {
      out += '(?:';
      inGroup = true;
    } else if (c === '}' && inGroup) {
      out += ')';
      inGroup = false;
    } else if (c === ',' && inGroup) out += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else out += escapeRegex(c);
  }
  if (inGroup) throw new Error(`the glob \`${glob}\` has an unclosed \`{\``);
  return new RegExp(`^${out}$`);
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/**
 * A test of `/`-rooted paths against Kestra patterns. `glob:` and `regex:` prefixes are taken as
 * they are; a bare pattern is a glob which, as Kestra does, matches at any depth when it starts
 * with a name (`scripts/*.py` then also matches `/a/scripts/x.py`) unless `rooted` (DownloadFiles roots it).
 */
export function pathMatcher(
  patterns: readonly string[],
  property: string,
  rooted = false,
): (path: string) => boolean {
  const regexes = patterns.map((pattern) => {
    try {
      if (pattern.startsWith('regex:')) return new RegExp(`^(?:${pattern.slice('regex:'.length)})$`);
      if (pattern.startsWith('glob:')) return globRegex(pattern.slice('glob:'.length));
      if (!rooted && /^\w/.test(pattern)) return globRegex(`**/${pattern}`);
      return globRegex(pattern.startsWith('/') ? pattern : `/${pattern}`);
    } catch (error) {
      throw new TaskFailure(
        `Property \`${property}\`: ${JSON.stringify(pattern)} is not a valid pattern (${(error as Error).message})`,
      );
    }
  });
  return (path) => regexes.some((regex) => regex.test(path));
}

/** `files` given as one pattern or a list of them. */
export function patternList(files: unknown, property = 'files'): string[] {
  const list = (Array.isArray(files) ? files : [files]).map((f) => toText(f).trim());
  if (list.length === 0 || list.some((f) => f === ''))
    throw new TaskFailure(
      `Property \`${property}\`: give a glob pattern or a path, or a list of them (e.g. \`**.sql\`)`,
    );
  return list;
}

/** The namespace a task acts on, checked. */
export function namespaceOf(value: unknown): string {
  const text = toText(value ?? '').trim();
  if (!NAMESPACE_PATTERN.test(text))
    throw new TaskFailure(
      `Property \`namespace\`: ${JSON.stringify(text)} is not a namespace: use lower-case letters, digits, \`.\`, \`_\` and \`-\` (e.g. \`company.team\`)`,
    );
  return text;
}

/**
 * A namespace path (relative, `/`-separated, no leading `/`) from parts such as a destination
 * folder and a file name; a `..` anywhere is refused, naming where the path came from.
 */
export function namespacePath(parts: readonly string[], from: string): string {
  const segments = parts.flatMap((part) => part.split(/[\\/]+/)).filter((s) => s !== '' && s !== '.');
  const shown = parts.filter((p) => p !== '').join('/');
  if (segments.includes('..'))
    throw new TaskFailure(
      `${from}: the path \`${shown}\` leaves the namespace (\`..\`): give a path inside it, such as \`scripts/main.py\``,
    );
  if (segments.length === 0) throw new TaskFailure(`${from}: the path \`${shown}\` names no file`);
  return segments.join('/');
}

/** The files below a local folder, as `/`-separated paths relative to it, sorted. */
export async function localFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
