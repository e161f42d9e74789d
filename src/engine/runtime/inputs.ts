import { ErrorCodes, ProblemCodes, WindhoverError } from '../../errors.js';
import type { TemplateEngine } from '../../expr/index.js';
import { coerceInputValues } from '../../flow/index.js';
import type { InputProblem } from '../../flow/index.js';
import type { Flow, FlowInput } from '../../flow/model.js';
import { StorageUriError } from '../../storage/contract.js';
import { namespacePrefix, storagePath } from '../../storage/uri.js';

/** Where a FILE input given as text may point, beyond the flow's own namespace. */
export interface InputOrigins {
  /** Namespaces whose files the inputs may name too (a subflow's parent's). */
  fileNamespaces?: readonly string[];
}

/**
 * Checks and types raw input values for a flow (defaults applied, expressions in defaults
 * rendered). Throws WH_INPUT_INVALID listing every problem; no execution is created then.
 */
export function prepareInputs(
  flow: Flow,
  raw: Readonly<Record<string, unknown>>,
  engine: TemplateEngine,
  origins: InputOrigins = {},
): Record<string, unknown> {
  return checkInputValues(
    flow.inputs,
    raw,
    engine,
    { namespace: flow.namespace, title: `Invalid inputs for ${flow.namespace}.${flow.id}` },
    origins,
  );
}

/** What inputs are checked for: the namespace whose files they may name, and the error's first line. */
export interface InputTarget {
  namespace: string;
  title: string;
}

/**
 * Checks and types raw values for declared inputs (a flow's, or a Pause's `onResume`), as
 * prepareInputs does. Throws WH_INPUT_INVALID listing every problem.
 */
export function checkInputValues(
  inputs: readonly FlowInput[],
  raw: Readonly<Record<string, unknown>>,
  engine: TemplateEngine,
  target: InputTarget,
  origins: InputOrigins = {},
): Record<string, unknown> {
  const result = coerceInputValues(inputs, raw, {
    render: (template, context) => engine.renderTyped(template, context),
  });
  const problems = result.ok
    ? unreadableFiles(inputs, target.namespace, result.values, origins)
    : result.problems;
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.message}`).join('\n');
    throw new WindhoverError(ErrorCodes.INPUT_INVALID, `${target.title}:\n${lines}`, problems);
  }
  return result.ok ? result.values : {};
}

/**
 * FILE inputs that name a file the flow may not read: a `kestra:///` URI outside the storage
 * of its namespace (its namespace files, its executions' files, an upload to this execution),
 * or of the namespaces `origins` adds. Otherwise anyone who may start a flow could have it read
 * another namespace's files by giving their URI as text.
 */
function unreadableFiles(
  inputs: readonly FlowInput[],
  namespace: string,
  values: Readonly<Record<string, unknown>>,
  origins: InputOrigins,
): InputProblem[] {
  const prefixes = [namespace, ...(origins.fileNamespaces ?? [])].map(
    (namespace) => `${storagePath(namespacePrefix(namespace))}/`,
  );
  const problems: InputProblem[] = [];
  for (const input of inputs) {
    const value = values[input.id];
    if (input.type !== 'FILE' || typeof value !== 'string') continue;
    let path: string | undefined;
    try {
      path = storagePath(value);
    } catch (error) {
      if (!(error instanceof StorageUriError)) throw error;
    }
    if (path === undefined || !prefixes.some((prefix) => path.startsWith(prefix)))
      problems.push({
        code: ProblemCodes.INPUT_VALUE,
        input: input.id,
        message: `Invalid input for \`${input.id}\`: it must be a file uploaded with the execution or a \`kestra:///\` file of namespace \`${namespace}\`, got ${JSON.stringify(value)}`,
      });
  }
  return problems;
}
