import { ProblemCodes } from '../errors.js';
import type { PluginCatalog, PluginDefinition, ReportFn } from './catalog.js';
import type { PluginDefault } from './model.js';
import { applyPluginDefaults } from './plugin-defaults.js';
import { describeValue, formatPath } from './problems.js';
import type { PathSegment, PendingProblem } from './problems.js';
import { isRecord } from './schema/prop.js';
import type { PluginKind, Prop } from './schema/prop.js';
import { didYouMean } from './suggest.js';
import { problemsFromZod } from './zod-problems.js';
import type { Subject } from './zod-problems.js';
import { checkRetryPolicy } from './checks.js';

/** Deeper nesting of flowables than this is refused (it is a mistake, and recursion has limits). */
export const MAX_NESTING = 64;

/** A task list whose `dependsOn` links are checked once every task id of the flow is known. */
export interface DependencyScope {
  path: PathSegment[];
  entries: Array<{ id: string; dependsOn: unknown; path: PathSegment[] }>;
}

/** State shared while one flow's plugins are validated. */
export interface WalkContext {
  catalog: PluginCatalog;
  defaults: readonly PluginDefault[];
  problems: PendingProblem[];
  /** Declarations of each task id (all nesting levels), and of each trigger id. */
  ids: { task: Map<string, PathSegment[][]>; trigger: Map<string, PathSegment[][]> };
  scopes: DependencyScope[];
}

const ARTICLE: Record<PluginKind, string> = {
  task: 'a task',
  trigger: 'a trigger',
  condition: 'a condition',
  runner: 'a task runner',
};
const OTHER_KIND: Partial<Record<PluginKind, PluginKind>> = { task: 'trigger', trigger: 'task' };
const LIST_OF: Record<PluginKind, string> = {
  task: 'tasks',
  trigger: 'triggers',
  condition: 'conditions',
  runner: 'taskRunner',
};

/** Validates a list of tasks and returns their normalized form. */
export function validateTaskList(
  value: unknown,
  path: PathSegment[],
  ctx: WalkContext,
  depth: number,
  options: { nonEmpty?: boolean; owner?: string } = {},
): Array<Record<string, unknown>> {
  if (!Array.isArray(value)) return [];
  if (options.nonEmpty && value.length === 0) {
    ctx.problems.push({
      code: ProblemCodes.REQUIRED,
      severity: 'error',
      message: `\`${String(path[path.length - 1])}\`${options.owner ? ` of ${options.owner}` : ''} must hold at least one task`,
      path,
    });
  }
  const out: Array<Record<string, unknown>> = [];
  const scope: DependencyScope = { path, entries: [] };
  value.forEach((item, index) => {
    const itemPath = [...path, index];
    const normalized = validatePlugin('task', item, itemPath, ctx, depth);
    if (normalized) out.push(normalized);
    if (
      isRecord(item) &&
      typeof item.id === 'string' &&
      item.dependsOn !== undefined &&
      item.dependsOn !== null
    ) {
      scope.entries.push({ id: item.id, dependsOn: item.dependsOn, path: itemPath });
    } else if (isRecord(item) && typeof item.id === 'string') {
      scope.entries.push({ id: item.id, dependsOn: undefined, path: itemPath });
    }
  });
  if (scope.entries.some((e) => e.dependsOn !== undefined)) ctx.scopes.push(scope);
  return out;
}

/**
 * Validates one task, trigger, condition or task runner against its definition (after
 * pluginDefaults), walks into its nested tasks and plugins, and returns its normalized form:
 * canonical type, defaults applied, course-notes aliases mapped. Returns undefined when the
 * value is not even a map.
 */
export function validatePlugin(
  kind: PluginKind,
  raw: unknown,
  path: PathSegment[],
  ctx: WalkContext,
  depth: number,
): Record<string, unknown> | undefined {
  const report = (problem: Omit<PendingProblem, 'severity'> & { severity?: PendingProblem['severity'] }) =>
    ctx.problems.push({ severity: 'error', ...problem });

  if (!isRecord(raw)) {
    report({
      code: ProblemCodes.WRONG_TYPE,
      message: `expected ${ARTICLE[kind]} (a map with ${kind === 'task' || kind === 'trigger' ? '`id` and ' : ''}\`type\`), got ${describeValue(raw)}`,
      path,
    });
    return undefined;
  }
  if (depth > MAX_NESTING) {
    report({
      code: ProblemCodes.TOO_COMPLEX,
      message: `tasks are nested more than ${MAX_NESTING} levels deep`,
      path,
    });
    return undefined;
  }
  if ((kind === 'task' || kind === 'trigger') && typeof raw.id === 'string') {
    const declared = ctx.ids[kind].get(raw.id);
    if (declared) declared.push(path);
    else ctx.ids[kind].set(raw.id, [path]);
  }

  const writtenType = raw.type;
  const owner = describeOwner(kind, raw);
  if (typeof writtenType !== 'string' || writtenType === '') {
    report({
      code:
        writtenType === undefined || writtenType === null ? ProblemCodes.REQUIRED : ProblemCodes.WRONG_TYPE,
      message:
        writtenType === undefined || writtenType === null
          ? `missing required property \`type\` on ${owner}`
          : `\`type\` of ${owner} must be a plugin type name, got ${describeValue(writtenType)}`,
      path: writtenType === undefined || writtenType === null ? path : [...path, 'type'],
    });
    return undefined;
  }

  const definition = ctx.catalog.lookup(kind, writtenType);
  if (!definition) {
    reportUnknownType(kind, writtenType, path, ctx);
    return undefined;
  }
  if (definition.deprecated !== undefined) {
    report({
      code: ProblemCodes.DEPRECATED,
      severity: 'warning',
      message: `\`${writtenType}\` is deprecated; ${deprecationAdvice(definition.deprecated)}`,
      path: [...path, 'type'],
    });
  } else if (definition.legacyNames.includes(writtenType)) {
    report({
      code: ProblemCodes.DEPRECATED,
      severity: 'warning',
      message: `\`${writtenType}\` is a deprecated name of \`${definition.type}\``,
      path: [...path, 'type'],
    });
  }

  const names = [writtenType, definition.type];
  let { props, fromDefaults } = applyPluginDefaults(raw, ctx.defaults, names, definition);
  let finalType = definition.type;
  if (definition.resolveType) {
    const concrete = definition.resolveType(props);
    if (concrete && ctx.catalog.lookup(kind, concrete)) {
      finalType = concrete;
      ({ props, fromDefaults } = applyPluginDefaults(raw, ctx.defaults, [...names, concrete], definition));
    }
  }

  const subject: Subject = { name: writtenType, owner };
  const parsed = definition.schema.safeParse(props);
  if (!parsed.success) {
    for (const problem of problemsFromZod(parsed.error, definition.properties, props, path, subject)) {
      const key = problem.path[path.length];
      if (typeof key === 'string' && fromDefaults.has(key)) problem.message += ' (set by pluginDefaults)';
      ctx.problems.push(problem);
    }
  }
  if (hasDeprecated(definition.properties)) reportDeprecated(definition.properties, raw, path, ctx, owner);
  if (isRecord(props.retry)) checkRetryPolicy(props.retry, [...path, 'retry'], ctx.problems);

  if (parsed.success && definition.check) {
    const reportFn: ReportFn = (relative, message, options = {}) =>
      ctx.problems.push({
        code: options.code ?? ProblemCodes.INVALID_VALUE,
        severity: options.severity ?? 'error',
        message,
        path: [...path, ...relative],
        atKey: options.atKey,
      });
    definition.check(props, reportFn);
  }

  const normalized: Record<string, unknown> = { ...props, type: finalType };
  walkSlots(definition, props, normalized, path, ctx, depth, owner);
  return definition.normalize ? definition.normalize(normalized) : normalized;
}

function walkSlots(
  definition: PluginDefinition,
  props: Record<string, unknown>,
  out: Record<string, unknown>,
  path: PathSegment[],
  ctx: WalkContext,
  depth: number,
  owner: string,
): void {
  // In document order, so that "first declared" means first in the file.
  const slots = Object.keys(props)
    .map((key) => definition.slots.find((s) => s.name === key))
    .filter((s): s is NonNullable<typeof s> => s !== undefined);
  for (const slot of slots) {
    const value = props[slot.name];
    if (value === undefined || value === null) continue;
    const slotPath = [...path, slot.name];
    const required = definition.properties[slot.name]?.info.required === true;
    switch (slot.kind) {
      case 'tasks':
        out[slot.name] = validateTaskList(value, slotPath, ctx, depth + 1, { nonEmpty: required, owner });
        break;
      case 'taskMap':
        if (isRecord(value)) {
          const cases: Record<string, unknown> = {};
          for (const [key, list] of Object.entries(value)) {
            cases[key] = validateTaskList(list, [...slotPath, key], ctx, depth + 1, {
              nonEmpty: true,
              owner,
            });
          }
          out[slot.name] = cases;
        }
        break;
      case 'dagTasks':
        if (Array.isArray(value)) out[slot.name] = validateDagTasks(value, slotPath, ctx, depth + 1);
        break;
      case 'task':
        out[slot.name] = validatePlugin('task', value, slotPath, ctx, depth + 1);
        break;
      case 'plugin':
        out[slot.name] = validatePlugin(slot.pluginKind!, value, slotPath, ctx, depth + 1);
        break;
      case 'pluginList':
        if (Array.isArray(value)) {
          out[slot.name] = value.map((item, i) =>
            validatePlugin(slot.pluginKind!, item, [...slotPath, i], ctx, depth + 1),
          );
        }
        break;
      case 'pluginMap':
        if (isRecord(value)) {
          const entries: Record<string, unknown> = {};
          for (const [key, item] of Object.entries(value)) {
            entries[key] = validatePlugin(slot.pluginKind!, item, [...slotPath, key], ctx, depth + 1);
          }
          out[slot.name] = entries;
        }
        break;
      default:
        break;
    }
  }
}

/** `flow.Dag` tasks: `[{task, dependsOn}]`; the links are checked like sibling `dependsOn`. */
function validateDagTasks(
  entries: unknown[],
  path: PathSegment[],
  ctx: WalkContext,
  depth: number,
): unknown[] {
  const scope: DependencyScope = { path, entries: [] };
  const out = entries.map((entry, index) => {
    if (!isRecord(entry)) return entry;
    if (entry.task === undefined || entry.task === null) {
      ctx.problems.push({
        code: ProblemCodes.REQUIRED,
        severity: 'error',
        message: `missing required property \`task\` in \`${formatPath([path[path.length - 1]!, index])}\``,
        path: [...path, index],
      });
      return entry;
    }
    const task = validatePlugin('task', entry.task, [...path, index, 'task'], ctx, depth);
    if (isRecord(entry.task) && typeof entry.task.id === 'string') {
      scope.entries.push({
        id: entry.task.id,
        dependsOn: entry.dependsOn ?? undefined,
        path: [...path, index],
      });
    }
    return { ...entry, task };
  });
  ctx.scopes.push(scope);
  return out;
}

function reportUnknownType(kind: PluginKind, type: string, path: PathSegment[], ctx: WalkContext): void {
  const other = OTHER_KIND[kind];
  if (other && ctx.catalog.lookup(other, type)) {
    ctx.problems.push({
      code: ProblemCodes.UNKNOWN_TYPE,
      severity: 'error',
      message: `\`${type}\` is ${ARTICLE[other]} type, not ${ARTICLE[kind]}; put it under \`${LIST_OF[other]}\``,
      path: [...path, 'type'],
    });
    return;
  }
  const suggestions = didYouMean(type, ctx.catalog.names(kind));
  ctx.problems.push({
    code: ProblemCodes.UNKNOWN_TYPE,
    severity: 'error',
    message: `unknown ${kind === 'runner' ? 'task runner' : kind} type \`${type}\`${suggestions}`,
    path: [...path, 'type'],
  });
}

function describeOwner(kind: PluginKind, raw: Record<string, unknown>): string {
  if ((kind === 'task' || kind === 'trigger') && typeof raw.id === 'string') return `${kind} \`${raw.id}\``;
  return typeof raw.type === 'string' ? `\`${raw.type}\`` : ARTICLE[kind];
}

const deprecatedCache = new WeakMap<Readonly<Record<string, Prop>>, boolean>();

/** Whether a shape has a deprecated property at any depth (cached: most have none). */
function hasDeprecated(shape: Readonly<Record<string, Prop>>): boolean {
  let found = deprecatedCache.get(shape);
  if (found === undefined) {
    found = Object.values(shape).some(
      (prop) =>
        prop.info.deprecated !== undefined ||
        (prop.info.shape !== undefined && hasDeprecated(prop.info.shape)) ||
        Object.values(prop.info.variants ?? {}).some(hasDeprecated),
    );
    deprecatedCache.set(shape, found);
  }
  return found;
}

/** "use `x`" for a replacement's name (a property or a type), else the advice as written. */
export function deprecationAdvice(instead: string): string {
  return /^[A-Za-z_][\w.]*$/.test(instead) ? `use \`${instead}\`` : instead;
}

/** Warns about deprecated properties that the flow itself writes (not those from defaults). */
export function reportDeprecated(
  shape: Readonly<Record<string, Prop>>,
  value: Record<string, unknown>,
  path: PathSegment[],
  ctx: { problems: PendingProblem[] },
  owner: string,
  relative: PathSegment[] = [],
): void {
  for (const [key, child] of Object.entries(value)) {
    const prop = shape[key];
    if (!prop) continue;
    const here = [...relative, key];
    if (prop.info.deprecated) {
      ctx.problems.push({
        code: ProblemCodes.DEPRECATED,
        severity: 'warning',
        message: `\`${formatPath(here)}\` of ${owner} is deprecated; ${deprecationAdvice(prop.info.deprecated)}`,
        path: [...path, key],
        atKey: true,
      });
    }
    if (!isRecord(child)) continue;
    if (prop.info.kind === 'object' && prop.info.shape) {
      reportDeprecated(prop.info.shape, child, [...path, key], ctx, owner, here);
    } else if (prop.info.kind === 'variant') {
      const tag = child[prop.info.discriminator!];
      const variant = typeof tag === 'string' ? prop.info.variants?.[tag] : undefined;
      if (variant) reportDeprecated(variant, child, [...path, key], ctx, owner, here);
    }
  }
}
