import { ErrorCodes, ProblemCodes } from '../errors.js';
import { PluginNotLoadedError } from './catalog.js';
import type { PluginCatalog } from './catalog.js';
import { checkDependencies, checkDuplicateIds, checkRetryPolicy } from './checks.js';
import { checkInputDefinitions } from './inputs/check.js';
import type { Flow, FlowInput, FlowTask, FlowTrigger, Label, PluginDefault } from './model.js';
import type { PathSegment, PendingProblem, Problem } from './problems.js';
import { FLOW_SHAPE } from './schema/flow.js';
import { isRecord, objectShape } from './schema/prop.js';
import type { PluginKind } from './schema/prop.js';
import { loadYamlSource } from './source.js';
import { resolveProblem } from './source-positions.js';
import type { SourceDocument } from './source.js';
import { closestMatches } from './suggest.js';
import { reportDeprecated, validatePlugin, validateTaskList } from './validate-plugin.js';
import type { WalkContext } from './validate-plugin.js';
import { problemsFromZod } from './zod-problems.js';
import type { Subject } from './zod-problems.js';
import { z } from 'zod';
import { defaultLibrary } from '../expr/library/index.js';
import { checkFlowExpressions } from './expressions/check.js';

/** The result of validating one flow (one YAML document). */
export interface FlowValidation {
  /** 0-based index of the document in its file. */
  documentIndex: number;
  id?: string;
  namespace?: string;
  /** The validated, normalized flow; present only when there is no error (warnings allowed). */
  flow?: Flow;
  problems: Problem[];
  valid: boolean;
}

/** The result of validating one file, which may hold several flows separated by `---`. */
export interface FileValidation {
  file?: string;
  flows: FlowValidation[];
  /** Problems of the file as a whole: encoding, YAML syntax, no flow at all. */
  problems: Problem[];
  valid: boolean;
}

const flowSchema = z.strictObject(objectShape(FLOW_SHAPE));
const PLUGIN_KINDS: PluginKind[] = ['task', 'trigger', 'condition', 'runner'];

/** Validates the text of a flow file (one or more YAML documents). Never throws. */
export function validateFlowSource(
  input: string | Uint8Array,
  options: { catalog: PluginCatalog; file?: string },
): FileValidation {
  const source = loadYamlSource(input, options.file);
  const flows = source.documents.map((document) => validateDocument(document, options.catalog, options.file));
  const valid = source.problems.length === 0 && flows.every((f) => f.valid);
  return { file: options.file, flows, problems: source.problems, valid };
}

function validateDocument(document: SourceDocument, catalog: PluginCatalog, file?: string): FlowValidation {
  const { flow, problems: pending } = validateFlowValue(document.value, catalog);
  const positions = pending.length > 0 ? document.positions() : undefined;
  const problems = pending.map((p) => resolveProblem(positions, p, file));
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const value = isRecord(document.value) ? document.value : {};
  const valid = !problems.some((p) => p.severity === 'error');
  return {
    documentIndex: document.index,
    id: typeof value.id === 'string' ? value.id : undefined,
    namespace: typeof value.namespace === 'string' ? value.namespace : undefined,
    flow: valid ? flow : undefined,
    problems,
    valid,
  };
}

/**
 * Validates a flow given as a plain value (parsed YAML or JSON). Returns the normalized flow
 * (best effort when there are errors) and every problem found, with paths but no positions.
 */
export function validateFlowValue(
  value: unknown,
  catalog: PluginCatalog,
): { flow?: Flow; problems: PendingProblem[] } {
  const problems: PendingProblem[] = [];
  try {
    return { flow: walkFlow(value, catalog, problems), problems };
  } catch (error) {
    if (error instanceof PluginNotLoadedError) throw error;
    const tooDeep = error instanceof RangeError;
    problems.push({
      code: tooDeep ? ProblemCodes.TOO_COMPLEX : ErrorCodes.INTERNAL,
      severity: 'error',
      message: tooDeep
        ? 'the flow is nested too deeply to validate'
        : `internal error while validating (please report it): ${error instanceof Error ? error.message : String(error)}`,
      path: [],
    } as PendingProblem);
    return { problems };
  }
}

function walkFlow(value: unknown, catalog: PluginCatalog, problems: PendingProblem[]): Flow | undefined {
  if (!isRecord(value)) {
    problems.push({
      code: ProblemCodes.WRONG_TYPE,
      severity: 'error',
      message: `a flow must be a map with \`id\`, \`namespace\` and \`tasks\`, got ${Array.isArray(value) ? 'a list' : `\`${String(value)}\``}`,
      path: [],
    });
    return undefined;
  }
  const raw: Record<string, unknown> = { ...value, inputs: renameLegacyInputIds(value.inputs) };
  const parsed = flowSchema.safeParse(raw);
  if (!parsed.success) {
    const subject: Subject = { name: 'the flow', ownerAt: flowPartOwner(raw) };
    problems.push(...problemsFromZod(parsed.error, FLOW_SHAPE, raw, [], subject));
  }
  reportDeprecated(FLOW_SHAPE, raw, [], { problems }, 'the flow');

  const defaults = collectPluginDefaults(raw, catalog, problems);
  const ctx: WalkContext = {
    catalog,
    defaults,
    problems,
    ids: { task: new Map(), trigger: new Map() },
    scopes: [],
  };
  const list = (name: string, nonEmpty = false) =>
    validateTaskList(raw[name], [name], ctx, 0, { nonEmpty }) as FlowTask[];
  const tasks = list('tasks', true);
  const errors = list('errors');
  const finallyTasks = list('finally');
  const afterExecution = list('afterExecution');
  const triggers = Array.isArray(raw.triggers)
    ? (raw.triggers
        .map((t, i) => validatePlugin('trigger', t, ['triggers', i], ctx, 0))
        .filter(Boolean) as FlowTrigger[])
    : [];

  checkDuplicateIds(ctx.ids.task, 'task', problems);
  checkDuplicateIds(ctx.ids.trigger, 'trigger', problems);
  checkDependencies(ctx.scopes, ctx.ids.task, problems);
  if (Array.isArray(raw.inputs)) checkInputDefinitions(raw.inputs, ['inputs'], problems);
  checkOutputs(raw.outputs, problems);
  const labels = checkLabels(raw.labels, problems);
  checkConcurrency(raw.concurrency, problems);
  problems.push(...checkFlowExpressions(raw, catalog, defaultLibrary));
  if (isRecord(raw.retry)) checkRetryPolicy(raw.retry, ['retry'], problems);

  if (typeof raw.id !== 'string' || typeof raw.namespace !== 'string') return undefined;
  return {
    id: raw.id,
    namespace: raw.namespace,
    ...(typeof raw.revision === 'number' ? { revision: raw.revision } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    labels,
    inputs: (Array.isArray(raw.inputs) ? raw.inputs : []) as FlowInput[],
    outputs: (Array.isArray(raw.outputs) ? raw.outputs : []) as Flow['outputs'],
    variables: isRecord(raw.variables) ? raw.variables : {},
    tasks,
    errors,
    finally: finallyTasks,
    afterExecution,
    triggers,
    pluginDefaults: [...defaults],
    ...(isRecord(raw.concurrency)
      ? { concurrency: { behavior: 'QUEUE', ...raw.concurrency } as Flow['concurrency'] }
      : {}),
    ...(isRecord(raw.retry) ? { retry: raw.retry as unknown as Flow['retry'] } : {}),
    disabled: raw.disabled === true,
    ...(Array.isArray(raw.sla) ? { sla: raw.sla } : {}),
  };
}

/** Names inputs, outputs and pluginDefaults entries by their id or type in messages. */
function flowPartOwner(raw: Record<string, unknown>): Subject['ownerAt'] {
  const parts: Record<string, { noun: string; key: string }> = {
    inputs: { noun: 'input', key: 'id' },
    outputs: { noun: 'output', key: 'id' },
    pluginDefaults: { noun: 'pluginDefaults entry', key: 'type' },
  };
  return (path) => {
    const [list, index, ...relative] = path;
    const part = typeof list === 'string' ? parts[list] : undefined;
    if (!part || typeof index !== 'number') return undefined;
    const entry = (raw[list as string] as unknown[] | undefined)?.[index];
    const name = isRecord(entry) ? entry[part.key] : undefined;
    if (typeof name !== 'string') return undefined;
    return { owner: `${part.noun} \`${name}\``, relative };
  };
}

/** Kestra's old flows named inputs with `name`; take it as the id (with a warning from the schema). */
function renameLegacyInputIds(inputs: unknown): unknown {
  if (!Array.isArray(inputs)) return inputs;
  return (inputs as unknown[]).map((input): unknown => {
    if (isRecord(input) && input.id === undefined && typeof input.name === 'string') {
      const { name, ...rest } = input;
      return { id: name, ...rest, name };
    }
    return input;
  });
}

function collectPluginDefaults(
  raw: Record<string, unknown>,
  catalog: PluginCatalog,
  problems: PendingProblem[],
): PluginDefault[] {
  const out: PluginDefault[] = [];
  for (const key of ['taskDefaults', 'pluginDefaults']) {
    const list = raw[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      if (!isRecord(entry) || typeof entry.type !== 'string' || !isRecord(entry.values)) return;
      out.push({ type: entry.type, forced: entry.forced === true, values: entry.values });
      const names = PLUGIN_KINDS.flatMap((kind) => catalog.names(kind));
      const prefix = entry.type;
      if (!names.some((name) => name.startsWith(prefix))) {
        const close = closestMatches(prefix, names, 2);
        problems.push({
          code: ProblemCodes.SUSPICIOUS,
          severity: 'warning',
          message: `pluginDefaults type \`${prefix}\` matches no known plugin type${close.length ? ` (did you mean ${close.map((c) => `\`${c}\``).join(', ')}?)` : ''}`,
          path: [key, index, 'type'],
        });
      }
    });
  }
  return out;
}

/** The one system label a flow may carry (Kestra's FlowValidator allows it): the flow is read-only in the UI. */
const READ_ONLY_LABEL = 'system.readOnly';

function checkLabels(labels: unknown, problems: PendingProblem[]): Label[] {
  const out: Label[] = [];
  const add = (key: unknown, value: unknown, at: PathSegment[]) => {
    if (typeof key !== 'string' || !['string', 'number', 'boolean'].includes(typeof value)) return;
    const error = (message: string) =>
      problems.push({ code: ProblemCodes.INVALID_VALUE, severity: 'error', message, path: at, atKey: true });
    if (key.trim() === '') error('label keys must not be empty');
    else if (key.startsWith('system.') && key !== READ_ONLY_LABEL)
      error(
        `label \`${key}\` is reserved: keys starting with \`system.\` are set by Windhover (only \`${READ_ONLY_LABEL}\` may be set on a flow)`,
      );
    else if (out.some((l) => l.key === key)) error(`duplicate label \`${key}\``);
    out.push({ key, value: String(value) });
  };
  if (isRecord(labels)) {
    for (const [key, value] of Object.entries(labels)) add(key, value, ['labels', key]);
  } else if (Array.isArray(labels)) {
    labels.forEach((label, i) => {
      if (isRecord(label)) add(label.key, label.value, ['labels', i, 'key']);
    });
  }
  return out;
}

function checkOutputs(outputs: unknown, problems: PendingProblem[]): void {
  if (!Array.isArray(outputs)) return;
  const first = new Map<string, number>();
  outputs.forEach((output, index) => {
    if (!isRecord(output) || typeof output.id !== 'string') return;
    const seen = first.get(output.id);
    if (seen === undefined) {
      first.set(output.id, index);
      return;
    }
    problems.push({
      code: ProblemCodes.DUPLICATE_ID,
      severity: 'error',
      message: `duplicate output id \`${output.id}\`: output ids must be unique`,
      path: ['outputs', index, 'id'],
      related: ['outputs', seen, 'id'],
    });
  });
}

function checkConcurrency(concurrency: unknown, problems: PendingProblem[]): void {
  if (!isRecord(concurrency) || concurrency.behavior === 'FAIL_AFTER_N_RETRIES') return;
  for (const key of ['maxRetries', 'retryInterval']) {
    if (concurrency[key] === undefined) continue;
    problems.push({
      code: ProblemCodes.SUSPICIOUS,
      severity: 'warning',
      message: `\`concurrency.${key}\` only applies to behavior FAIL_AFTER_N_RETRIES; it is ignored with ${typeof concurrency.behavior === 'string' ? concurrency.behavior : 'QUEUE'}`,
      path: ['concurrency', key],
      atKey: true,
    });
  }
}
