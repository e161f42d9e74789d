/** Paths of namespace files: checks, joins and the editor language of a file. */
import type { CodeLanguage } from '../../components/editor/CodeEditor';

const LANGUAGES: Record<string, CodeLanguage> = {
  yml: 'yaml',
  yaml: 'yaml',
  json: 'json',
  py: 'python',
  sh: 'shell',
  bash: 'shell',
  sql: 'sql',
};

/** The editor language of a file, from its extension (plain text otherwise). */
export function languageOf(path: string): CodeLanguage {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && LANGUAGES[path.slice(dot + 1).toLowerCase()]) || 'plaintext';
}

/** A path typed by the user, cleaned (no leading or doubled slashes), or `{ error }`. */
export function cleanPath(text: string): { path: string } | { error: string } {
  const parts = text.trim().split('/').filter(Boolean);
  if (parts.length === 0) return { error: 'Give a name, such as main.py or scripts/main.py.' };
  if (parts.some((p) => p === '.' || p === '..'))
    return { error: 'A path cannot hold "." or ".." segments.' };
  if (parts.some((p) => /[\\:*?"<>|]/.test(p))) return { error: 'A name cannot hold \\ : * ? " < > or |.' };
  return { path: parts.join('/') };
}

/** `dir/name`, or `name` at the root. */
export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** The directory of a path ('' at the root). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
