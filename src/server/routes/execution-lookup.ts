/** Looking up the execution of a route, and checking the storage paths asked of it. */
import type { Runtime } from '../../engine/runtime/runtime.js';
import type { Execution } from '../../engine/model.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { InternalStorage } from '../../storage/contract.js';

/** The execution, or WH_EXECUTION_NOT_FOUND (404). */
export async function loadExecution(runtime: Runtime, executionId: string): Promise<Execution> {
  const execution = await runtime.execution(executionId);
  if (!execution)
    throw new WindhoverError(ErrorCodes.EXECUTION_NOT_FOUND, `Execution ${executionId} not found`, {
      executionId,
    });
  return execution;
}

/** The storage URI prefix of an execution's files (`kestra:///<ns>/<flow>/executions/<id>/`). */
function executionPrefix(storage: InternalStorage, execution: Execution): string {
  const probe = storage.inputFileUri(
    { namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id },
    'x',
    'x',
  );
  return probe.slice(0, probe.length - '/inputs/x/x'.length + 1);
}

/**
 * The `path` of a file route, checked: a `kestra://` URI inside this execution's files, without
 * `..` (also %-encoded). Anything else is WH_PATH_INVALID (400).
 */
export function executionFileUri(
  storage: InternalStorage,
  execution: Execution,
  path: string | undefined,
): string {
  if (path === undefined)
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      'The query parameter `path` is required (a kestra:/// URI)',
    );
  const invalid = (why: string) =>
    new WindhoverError(ErrorCodes.PATH_INVALID, `Invalid file path ${JSON.stringify(path)}: ${why}`, {
      path,
    });
  if (!path.startsWith('kestra:///')) throw invalid('give the kestra:/// URI of a file of this execution');
  let decoded = path;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
  const segments = decoded.slice('kestra:///'.length).split('/');
  if (segments.includes('..') || decoded.includes('\0') || decoded.includes('\\'))
    throw invalid('`..` and backslashes are not allowed');
  if (!path.startsWith(executionPrefix(storage, execution)))
    throw invalid(`it is not a file of execution ${execution.id}`);
  return path;
}
