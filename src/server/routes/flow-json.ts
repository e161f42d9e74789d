/** Flows in Kestra's JSON shape (`FlowWithSource`), as the flows routes answer them. */
import { stringify } from 'yaml';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { StoredFlow } from '../../store/contract.js';
import { checkFlowSizes } from '../flow-deploy.js';

/** The flow's definition with `revision`, `deleted`, `updated` and, when asked, its YAML `source`. */
export function flowJson(stored: StoredFlow, withSource = true): Record<string, unknown> {
  return {
    ...stored.definition,
    id: stored.id,
    namespace: stored.namespace,
    revision: stored.revision,
    deleted: stored.deleted,
    updated: stored.updated,
    ...(withSource ? { source: stored.source } : {}),
  };
}

/**
 * The YAML text of a request body: YAML or text as sent, or a JSON flow (Kestra's API takes
 * both) turned into YAML. A flow in it over 2 MiB is a 413 (checkFlowSizes).
 */
export function yamlBody(body: unknown): string {
  if (typeof body === 'string' && body.trim() !== '') {
    checkFlowSizes(body);
    return body;
  }
  if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return stringify(body);
  throw new WindhoverError(
    ErrorCodes.REQUEST_INVALID,
    'The request body is the flow: send its YAML with Content-Type application/x-yaml',
  );
}
