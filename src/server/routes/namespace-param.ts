/**
 * Checks of the request values the KV and namespace-file routes share: the namespace of the
 * URL, and paths of namespace files (which must never leave their namespace).
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { NAMESPACE_PATTERN } from '../../flow/schema/flow.js';

/** The namespace of a route, checked against Kestra's pattern (400 otherwise). */
export function namespaceParam(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  if (!NAMESPACE_PATTERN.test(text))
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `${JSON.stringify(text)} is not a namespace: use lower-case letters, digits, \`.\`, \`_\` and \`-\` (e.g. \`company.team\`)`,
    );
  return text;
}

function pathInvalid(shown: string, why: string): WindhoverError {
  return new WindhoverError(
    ErrorCodes.PATH_INVALID,
    `Invalid namespace file path ${JSON.stringify(shown)}: ${why}`,
  );
}

/**
 * A namespace file path as `/`-separated segments below the namespace root (`''` is the root).
 * As in Kestra, `/scripts/a.py` and `scripts/a.py` name the same file. `..` (also when still
 * %-encoded), NUL, backslashes and drive letters are refused with WH_PATH_INVALID.
 */
export function namespaceFilePath(
  value: unknown,
  parameter: string,
  options: { root?: boolean } = {},
): string {
  if (value === undefined || value === null || value === '') {
    if (options.root) return '';
    throw new WindhoverError(ErrorCodes.REQUEST_INVALID, `The query parameter \`${parameter}\` is required`);
  }
  if (typeof value !== 'string')
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `The query parameter \`${parameter}\` must be given once`,
    );
  if (value.includes('\0')) throw pathInvalid(value, 'it holds a NUL character');
  if (value.includes('\\')) throw pathInvalid(value, 'use `/` to separate folders, not `\\`');
  if (/^[A-Za-z]:/.test(value)) throw pathInvalid(value, 'a drive letter is not a namespace path');
  const segments = value.split('/').filter((segment) => segment !== '' && segment !== '.');
  for (const segment of segments) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // Not %-encoded text: the segment is taken as written.
    }
    if (segment === '..' || decoded === '..' || decoded.includes('\0') || decoded.includes('/'))
      throw pathInvalid(
        value,
        'it leaves the namespace (`..`); give a path inside it, such as `/scripts/main.py`',
      );
  }
  if (segments.length === 0 && !options.root) throw pathInvalid(value, 'it names no file');
  return segments.join('/');
}
