/**
 * Checks of the request values routes share: the namespace and flow id of the URL, and paths
 * of namespace files (which must never leave their namespace).
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';
import {
  FLOW_ID_MAX_LENGTH,
  FLOW_ID_PATTERN,
  NAMESPACE_MAX_LENGTH,
  NAMESPACE_PATTERN,
} from '../../flow/schema/flow.js';

/** A value as an error message shows it: its start, when it is long. */
function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The namespace of a route, checked against Kestra's pattern (400 otherwise). */
export function namespaceParam(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  if (!NAMESPACE_PATTERN.test(text) || text.length > NAMESPACE_MAX_LENGTH)
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `${JSON.stringify(shorten(text))} is not a namespace: use at most ${NAMESPACE_MAX_LENGTH} lower-case letters, digits, \`.\`, \`_\` and \`-\` (e.g. \`company.team\`)`,
    );
  return text;
}

/** A flow id of a route, checked against Kestra's pattern (400 otherwise). */
export function flowIdParam(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  if (!FLOW_ID_PATTERN.test(text) || text.length > FLOW_ID_MAX_LENGTH)
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `${JSON.stringify(shorten(text))} is not a flow id: use at most ${FLOW_ID_MAX_LENGTH} letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`,
    );
  return text;
}

/**
 * Checks the path parameters that name a namespace or a flow, on every route that has them,
 * before its handler: one rule for all, so that `..`, NUL or unicode in a namespace is a 400
 * everywhere rather than a 404 on some routes and an empty 200 on others.
 */
export function checkFlowParams(params: unknown): void {
  if (typeof params !== 'object' || params === null) return;
  const named = params as Record<string, unknown>;
  if ('namespace' in named) namespaceParam(named.namespace);
  if ('flowId' in named) flowIdParam(named.flowId);
  // `/flows/:namespace/:id`: the flow's id.
  if ('namespace' in named && 'id' in named) flowIdParam(named.id);
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
