import { analyzeTemplate } from '../../expr/analyze.js';
import { ExpressionErrorCodes } from '../../expr/errors.js';
import type { TemplateAnalysis, VariableReference } from '../../expr/analyze.js';
import type { Library } from '../../expr/library/types.js';
import { ProblemCodes } from '../../errors.js';
import type { PluginCatalog } from '../catalog.js';
import type { PendingProblem } from '../problems.js';
import { isRecord } from '../schema/prop.js';
import { didYouMean } from '../suggest.js';
import { collectTemplateSites } from './sites.js';
import type { TemplateSite } from './sites.js';
import { computeTaskOrder } from './task-order.js';
import type { TaskOrder } from './task-order.js';

/** Variables Kestra puts in the context of a task (KESTRA-REFERENCE.md "Expressions"). */
const KNOWN_ROOTS = [
  'flow',
  'execution',
  'inputs',
  'vars',
  'outputs',
  'tasks',
  'labels',
  'trigger',
  'task',
  'taskrun',
  'parent',
  'parents',
  'item',
  'workerTaskrun',
  'envs',
  'globals',
  'workingDir',
  'outputDir',
  'kv',
  'now',
];

/** What each trigger type puts in `trigger.*`. */
const TRIGGER_VARIABLES: Record<string, readonly string[]> = {
  'io.kestra.plugin.core.trigger.Schedule': ['date', 'next', 'previous'],
  'io.kestra.plugin.core.trigger.Webhook': ['body', 'headers', 'parameters'],
  'io.kestra.plugin.core.trigger.Flow': [
    'executionId',
    'namespace',
    'flowId',
    'flowRevision',
    'state',
    'outputs',
    'executionLabels',
  ],
};

/** The flowable whose `condition` is evaluated after its tasks ran (so it may read their outputs). */
const AFTER_CHILDREN: Record<string, string> = { 'io.kestra.plugin.core.flow.LoopUntil': 'condition' };
/** Flowables whose outputs exist while their tasks run (LoopUntil's `iterationCount`). */
const OUTPUTS_WHILE_RUNNING = new Set(['io.kestra.plugin.core.flow.LoopUntil']);

/** What an expression error in a flow leads to, as Kestra runs it. */
const RUN_TIME_FAILURE = ' (the task fails when it renders this)';

const analyses = new Map<string, TemplateAnalysis>();
const MAX_CACHED = 20_000;

function analyze(text: string, library: Library): TemplateAnalysis {
  let analysis = analyses.get(text);
  if (!analysis) {
    analysis = analyzeTemplate(text, library);
    if (analyses.size >= MAX_CACHED) analyses.clear();
    analyses.set(text, analysis);
  }
  return analysis;
}

interface FlowFacts {
  order: TaskOrder;
  inputs: Set<string>;
  variables: Set<string>;
  triggerVariables: Set<string>;
  hasTriggers: boolean;
}

/**
 * The static checks of a flow's expressions: syntax errors and unknown filters, functions and
 * tests, and references that cannot exist where they are read (an undeclared input or variable,
 * the outputs of a task that has not run, `trigger.date` without a Schedule) are warnings, since
 * Kestra accepts the flow (and fails the task that renders a malformed string).
 */
export function checkFlowExpressions(
  flow: Record<string, unknown>,
  catalog: PluginCatalog,
  library: Library,
): PendingProblem[] {
  const sites = collectTemplateSites(flow, catalog);
  if (sites.length === 0) return [];
  const problems: PendingProblem[] = [];
  let facts: FlowFacts | undefined;
  for (const site of sites) {
    const analysis = analyze(site.text, library);
    for (const error of analysis.errors) {
      // Kestra saves such a flow and fails the task that renders the string: a warning (an
      // error with --strict), so that a flow Kestra runs is not refused. A template beyond
      // Windhover's limits (nesting, chains) stays an error: refused before it is ever rendered.
      const ours = error.code === ExpressionErrorCodes.TOO_COMPLEX;
      problems.push({
        code: error.code,
        severity: ours ? 'error' : 'warning',
        message: ours ? error.message : `${error.message}${RUN_TIME_FAILURE}`,
        path: site.path,
        valueOffset: error.at,
      });
    }
    if (analysis.references.length === 0) continue;
    facts ??= flowFacts(flow, catalog);
    for (const ref of analysis.references) {
      const message = referenceProblem(ref, site, facts);
      if (message) {
        problems.push({
          code: ProblemCodes.EXPR_REFERENCE,
          severity: 'warning',
          message,
          path: site.path,
          valueOffset: ref.at,
        });
      }
    }
  }
  return problems;
}

function flowFacts(flow: Record<string, unknown>, catalog: PluginCatalog): FlowFacts {
  const inputs = new Set<string>();
  if (Array.isArray(flow.inputs)) {
    for (const input of flow.inputs) {
      if (!isRecord(input)) continue;
      const id =
        typeof input.id === 'string' ? input.id : typeof input.name === 'string' ? input.name : undefined;
      if (id) inputs.add(id);
    }
  }
  const triggerVariables = new Set<string>();
  const triggers = Array.isArray(flow.triggers) ? flow.triggers : [];
  for (const trigger of triggers) {
    const plugin =
      isRecord(trigger) && typeof trigger.type === 'string'
        ? catalog.lookup('trigger', trigger.type)
        : undefined;
    if (!plugin) continue;
    // The engine's own triggers are listed; a plugin trigger's variables are the outputs it declares.
    for (const name of TRIGGER_VARIABLES[plugin.type] ?? Object.keys(plugin.outputs ?? {}))
      triggerVariables.add(name);
  }
  return {
    order: computeTaskOrder(flow, catalog),
    inputs,
    variables: new Set(isRecord(flow.variables) ? Object.keys(flow.variables) : []),
    triggerVariables,
    hasTriggers: triggers.length > 0,
  };
}

/** Why a reference cannot be read where it is, or undefined when it can. */
function referenceProblem(ref: VariableReference, site: TemplateSite, facts: FlowFacts): string | undefined {
  const [first] = ref.path;
  // A guarded read (`inputs.x ?? 'd'`) says the author knows it may be missing; but a task
  // that does not exist is a mistake whatever the guard.
  if (ref.guarded && ref.root !== 'outputs' && ref.root !== 'tasks') return undefined;
  switch (ref.root) {
    case 'inputs':
      if (first === undefined) return undefined;
      return inputProblem(ref, facts);
    case 'vars':
      if (first === undefined || facts.variables.has(first)) return undefined;
      return `no variable \`${first}\` is declared in \`variables\`${didYouMean(first, facts.variables)}`;
    case 'outputs':
      if (first === undefined || site.owner.kind === 'trigger') return undefined;
      return outputsProblem(first, site, facts);
    case 'tasks':
      if (first === undefined || facts.order.ids.has(first)) return undefined;
      return `no task \`${first}\` in this flow${didYouMean(first, facts.order.ids)}`;
    case 'trigger':
      if (ref.guarded || first === undefined || facts.triggerVariables.has(first)) return undefined;
      return triggerProblem(first, facts);
    default: {
      if (KNOWN_ROOTS.includes(ref.root)) return undefined;
      // Only names close to a known variable: Kestra has more variables than this list.
      const hint = didYouMean(ref.root, KNOWN_ROOTS);
      return hint ? `unknown variable \`${ref.root}\`${hint}` : undefined;
    }
  }
}

function inputProblem(ref: VariableReference, facts: FlowFacts): string | undefined {
  // Dotted input ids nest (`db.port` is `inputs.db.port`); a JSON input's attributes are its own.
  let dotted = '';
  for (const part of ref.path) {
    if (part === undefined) return undefined;
    dotted = dotted ? `${dotted}.${part}` : part;
    if (facts.inputs.has(dotted)) return undefined;
  }
  if ([...facts.inputs].some((id) => id.startsWith(`${dotted}.`))) return undefined;
  // Name the longest dotted id the path could be: `inputs.db.prot` is `db.prot`.
  const name = [...facts.inputs].some((id) => id.includes('.')) ? dotted : ref.path[0]!;
  return `no input \`${name}\` is declared${didYouMean(name, facts.inputs)}`;
}

function outputsProblem(taskId: string, site: TemplateSite, facts: FlowFacts): string | undefined {
  const { order } = facts;
  if (!order.ids.has(taskId)) return `no task \`${taskId}\` in this flow${didYouMean(taskId, order.ids)}`;
  const owner = site.owner;
  if (owner.kind !== 'task') return undefined; // variables are rendered where they are read; flow outputs see every task
  const reader = owner.id;
  const afterChildren = AFTER_CHILDREN[owner.type] === owner.property;
  if (taskId === reader && !afterChildren)
    return `task \`${reader}\` reads its own outputs, which do not exist until it ends`;
  if (order.endsBefore(taskId, reader)) return undefined;
  if (OUTPUTS_WHILE_RUNNING.has(order.types.get(taskId) ?? '') && order.descendants.get(taskId)?.has(reader))
    return undefined;
  if (order.descendants.get(reader)?.has(taskId)) {
    return afterChildren
      ? undefined
      : `task \`${reader}\` reads \`outputs.${taskId}\`, but \`${taskId}\` runs inside \`${reader}\`, after it starts`;
  }
  return `task \`${reader}\` reads \`outputs.${taskId}\`, but \`${taskId}\` does not end before \`${reader}\` starts (it runs later, in parallel, or in another branch)`;
}

function triggerProblem(name: string, facts: FlowFacts): string {
  const providers = Object.entries(TRIGGER_VARIABLES)
    .filter(([, names]) => names.includes(name))
    .map(([type]) => type.slice(type.lastIndexOf('.') + 1));
  const which = providers.length > 0 ? `a ${providers.join(' or ')} trigger` : 'a trigger';
  const has = facts.hasTriggers ? `none of this flow's triggers sets it` : 'this flow has no trigger';
  return `\`trigger.${name}\` is only set when ${which} starts the execution, and ${has}; in other executions it is undefined (guard it: \`trigger.${name} ?? …\`)`;
}
