import type { PluginCatalog } from '../catalog.js';
import type { PathSegment } from '../problems.js';
import { EXPRESSION_PATTERN, isRecord } from '../schema/prop.js';
import type { PluginKind, Prop } from '../schema/prop.js';

/** Whose string an expression is in: it decides what the expression may read. */
export type SiteOwner =
  | { kind: 'task'; id: string; type: string; property: string }
  | { kind: 'trigger'; id: string }
  | { kind: 'flow'; part: 'variables' | 'inputs' | 'outputs' | 'pluginDefaults' };

/** A string of a flow that holds an expression and is rendered. */
export interface TemplateSite {
  path: PathSegment[];
  text: string;
  owner: SiteOwner;
}

/**
 * Every rendered string of a flow that holds `{{ … }}` or `{% … %}`: dynamic properties of
 * tasks, triggers, conditions and task runners (Kestra renders no others), variables, input
 * defaults and conditions, flow outputs, pluginDefaults values.
 */
export function collectTemplateSites(flow: Record<string, unknown>, catalog: PluginCatalog): TemplateSite[] {
  const sites: TemplateSite[] = [];
  const add = (value: unknown, path: PathSegment[], owner: SiteOwner) =>
    collectStrings(value, path, (text, at) => sites.push({ path: at, text, owner }));

  const visitPlugin = (
    kind: PluginKind,
    raw: unknown,
    path: PathSegment[],
    owner: (prop: string) => SiteOwner,
  ) => {
    if (!isRecord(raw) || typeof raw.type !== 'string') return;
    const def = catalog.lookup(kind, raw.type);
    if (!def) return;
    for (const [key, value] of Object.entries(raw)) {
      const prop = def.properties[key];
      if (!prop) continue;
      const at = [...path, key];
      switch (prop.info.kind) {
        case 'tasks':
          if (Array.isArray(value)) value.forEach((t, i) => visitTask(t, [...at, i]));
          break;
        case 'taskMap':
          if (isRecord(value))
            for (const [k, list] of Object.entries(value))
              if (Array.isArray(list)) list.forEach((t, i) => visitTask(t, [...at, k, i]));
          break;
        case 'dagTasks':
          if (Array.isArray(value))
            value.forEach((e, i) => isRecord(e) && visitTask(e.task, [...at, i, 'task']));
          break;
        case 'task':
          visitTask(value, at);
          break;
        case 'plugin':
          visitPlugin(prop.info.pluginKind!, value, at, owner);
          break;
        case 'pluginList':
          if (Array.isArray(value))
            value.forEach((p, i) => visitPlugin(prop.info.pluginKind!, p, [...at, i], owner));
          break;
        case 'pluginMap':
          if (isRecord(value))
            for (const [k, p] of Object.entries(value))
              visitPlugin(prop.info.pluginKind!, p, [...at, k], owner);
          break;
        default:
          collectDynamic(value, prop, at, (text, where) =>
            sites.push({ path: where, text, owner: owner(key) }),
          );
      }
    }
  };

  const visitTask = (raw: unknown, path: PathSegment[]) => {
    if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.type !== 'string') return;
    const { id, type } = raw;
    visitPlugin('task', raw, path, (property) => ({ kind: 'task', id, type, property }));
  };

  for (const list of ['tasks', 'errors', 'finally', 'afterExecution']) {
    const tasks = flow[list];
    if (Array.isArray(tasks)) tasks.forEach((t, i) => visitTask(t, [list, i]));
  }
  if (Array.isArray(flow.triggers)) {
    flow.triggers.forEach((t, i) => {
      const id = isRecord(t) && typeof t.id === 'string' ? t.id : String(i);
      visitPlugin('trigger', t, ['triggers', i], () => ({ kind: 'trigger', id }));
    });
  }
  if (isRecord(flow.variables)) add(flow.variables, ['variables'], { kind: 'flow', part: 'variables' });
  if (Array.isArray(flow.inputs)) {
    flow.inputs.forEach((input, i) => {
      if (!isRecord(input)) return;
      for (const key of ['defaults', 'expression'])
        add(input[key], ['inputs', i, key], { kind: 'flow', part: 'inputs' });
      if (isRecord(input.dependsOn))
        add(input.dependsOn.condition, ['inputs', i, 'dependsOn', 'condition'], {
          kind: 'flow',
          part: 'inputs',
        });
    });
  }
  if (Array.isArray(flow.outputs)) {
    flow.outputs.forEach(
      (output, i) =>
        isRecord(output) && add(output.value, ['outputs', i, 'value'], { kind: 'flow', part: 'outputs' }),
    );
  }
  for (const key of ['pluginDefaults', 'taskDefaults']) {
    const list = flow[key];
    if (Array.isArray(list))
      list.forEach(
        (d, i) => isRecord(d) && add(d.values, [key, i, 'values'], { kind: 'flow', part: 'pluginDefaults' }),
      );
  }
  return sites;
}

type Found = (text: string, path: PathSegment[]) => void;

/** Strings holding an expression, anywhere in a value. */
function collectStrings(value: unknown, path: PathSegment[], found: Found): void {
  if (typeof value === 'string') {
    if (EXPRESSION_PATTERN.test(value)) found(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collectStrings(v, [...path, i], found));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) collectStrings(v, [...path, k], found);
  }
}

/** Strings holding an expression in the dynamic parts of a property's value. */
function collectDynamic(value: unknown, prop: Prop | undefined, path: PathSegment[], found: Found): void {
  if (!prop) return;
  const { info } = prop;
  if (typeof value === 'string') {
    const dynamic =
      info.dynamic || (info.kind === 'union' && (info.options ?? []).some((o) => o.info.dynamic));
    if (dynamic && EXPRESSION_PATTERN.test(value)) found(value, path);
    return;
  }
  switch (info.kind) {
    case 'any':
      collectStrings(value, path, found);
      return;
    case 'list':
    case 'map':
      if (Array.isArray(value)) value.forEach((v, i) => collectDynamic(v, info.item, [...path, i], found));
      else if (isRecord(value))
        for (const [k, v] of Object.entries(value)) collectDynamic(v, info.item, [...path, k], found);
      return;
    case 'object':
      if (isRecord(value))
        for (const [k, v] of Object.entries(value)) collectDynamic(v, info.shape?.[k], [...path, k], found);
      return;
    case 'variant':
      if (isRecord(value)) {
        const tag = value[info.discriminator ?? 'type'];
        const shape = typeof tag === 'string' ? info.variants?.[tag] : undefined;
        for (const [k, v] of Object.entries(value)) collectDynamic(v, shape?.[k], [...path, k], found);
      }
      return;
    case 'union':
      for (const option of info.options ?? []) {
        if (
          (Array.isArray(value) && option.info.kind === 'list') ||
          (isRecord(value) && option.info.kind !== 'list')
        ) {
          collectDynamic(value, option, path, found);
          return;
        }
      }
      return;
    default:
      return;
  }
}
