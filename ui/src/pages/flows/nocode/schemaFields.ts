/**
 * How the no-code form edits a property, read from the flow JSON Schema the server serves (the
 * one the YAML completion uses, generated from the validator's own schemas): a checkbox, a select
 * of an enum's values, a text field (strings, numbers, durations, expressions), a nested list of
 * task (or trigger) cards for a property whose items are tasks, or, for other objects and lists, a
 * small YAML text area.
 */

/** A JSON Schema node (only what the form reads). */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  pattern?: string;
  description?: string;
  title?: string;
  default?: unknown;
  deprecated?: boolean;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  $ref?: string;
  'x-dynamic'?: boolean;
  [key: string]: unknown;
}

/**
 * `tasks`: a list of tasks (a flowable's `tasks`, If's `then`, `errors`…); `taskMap`: a map of
 * task lists (Switch's `cases`); `triggers`: a list of triggers.
 */
export type FieldKind =
  'boolean' | 'enum' | 'number' | 'duration' | 'text' | 'yaml' | 'tasks' | 'taskMap' | 'triggers';

/** What a list of cards holds: each kind has its own `#/definitions/<kind>` in the flow schema. */
export type PluginKind = 'task' | 'trigger';

const refTo = (kind: PluginKind) => `#/definitions/${kind}`;

/** One field of a form. */
export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** The values of an enum. */
  options?: string[];
  /** Expressions (`{{ … }}`) are accepted. */
  dynamic: boolean;
  default?: unknown;
}

const EXPRESSION_PATTERN = '\\{\\{|\\{%';

/** The alternatives of a node (nested anyOf/oneOf flattened), without `null`. */
function alternatives(node: SchemaNode): SchemaNode[] {
  const nested = node.anyOf ?? node.oneOf;
  if (nested) return nested.flatMap(alternatives);
  if (node.type === 'null') return [];
  return [node];
}

function types(node: SchemaNode): string[] {
  if (node.$ref || node.properties) return ['object'];
  if (Array.isArray(node.type)) return node.type;
  return node.type ? [node.type] : node.enum ? ['string'] : ['any'];
}

/** The field of one property. */
export function fieldOf(name: string, node: SchemaNode, required: boolean): FieldSpec {
  const alts = alternatives(node);
  let dynamic = node['x-dynamic'] === true;
  const kept = alts.filter((alt) => {
    if (alt.pattern === EXPRESSION_PATTERN) {
      dynamic = true;
      return false;
    }
    return true;
  });
  const description = node.description?.replace(/^Required\.\s*/, '');
  const base = {
    name,
    required: required || node.description?.startsWith('Required.') === true,
    dynamic,
    ...(description ? { description } : {}),
    ...(node.default !== undefined ? { default: node.default } : {}),
  };
  const listKind = cardListKind(kept);
  if (listKind) return { ...base, kind: listKind };
  const enums = kept.flatMap((alt) => (alt.enum ?? []).map(String));
  if (enums.length > 0) return { ...base, kind: 'enum', options: [...new Set(enums)] };
  const allTypes = new Set(kept.flatMap(types));
  const booleanText = (alt: SchemaNode) => alt.type === 'string' && alt.pattern?.includes('[Tt]rue') === true;
  if (kept.length > 0 && kept.every((alt) => alt.type === 'boolean' || booleanText(alt)))
    return { ...base, kind: 'boolean' };
  // Any value (an input's `defaults`): text, which stays a string; a list or map shows as YAML.
  if (allTypes.has('any')) return { ...base, kind: 'text' };
  if (allTypes.has('object') || allTypes.has('array'))
    return { ...base, kind: allTypes.has('string') ? 'text' : 'yaml' };
  if (kept.some((alt) => alt.type === 'string' && alt.pattern?.startsWith('^[-+]?[Pp]')))
    return { ...base, kind: 'duration' };
  if (kept.every((alt) => types(alt).every((t) => t === 'integer' || t === 'number' || alt.pattern)))
    return { ...base, kind: 'number' };
  return { ...base, kind: 'text' };
}

/** Whether the alternatives of a property are a list of tasks or triggers, or a map of task lists. */
function cardListKind(alts: SchemaNode[]): FieldKind | undefined {
  const itemsRef = (node: unknown) =>
    ((node as SchemaNode | undefined)?.items as SchemaNode | undefined)?.$ref;
  for (const alt of alts) {
    if (alt.type === 'array' && itemsRef(alt) === refTo('task')) return 'tasks';
    if (alt.type === 'array' && itemsRef(alt) === refTo('trigger')) return 'triggers';
    const values = alt.additionalProperties as SchemaNode | undefined;
    if (alt.type === 'object' && values?.type === 'array' && itemsRef(values) === refTo('task'))
      return 'taskMap';
  }
  return undefined;
}

/** Whether a field is shown as cards (a nested list) rather than one input. */
export function isCardList(field: FieldSpec): boolean {
  return field.kind === 'tasks' || field.kind === 'taskMap' || field.kind === 'triggers';
}

/** The fields of an object schema: required ones first, deprecated ones left out. */
export function fieldsOf(schema: SchemaNode | undefined, skip: string[] = []): FieldSpec[] {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const fields = Object.entries(properties)
    .filter(([name, node]) => !skip.includes(name) && node.deprecated !== true)
    .map(([name, node]) => fieldOf(name, node, required.has(name)));
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** The JSON Schema of a plugin type (`#/definitions/<type>`), aliases included. */
export function pluginSchema(flowSchema: SchemaNode, type: string): SchemaNode | undefined {
  const definitions = (flowSchema.definitions ?? {}) as Record<string, SchemaNode>;
  const direct = definitions[type];
  if (direct) return direct;
  return Object.values(definitions).find((def) => def.properties?.type?.enum?.includes(type));
}

/** The task (or trigger) types the schema knows (`#/definitions/task`), sorted. */
export function taskTypes(flowSchema: SchemaNode, kind: PluginKind = 'task'): string[] {
  const definitions = (flowSchema.definitions ?? {}) as Record<string, SchemaNode>;
  return (definitions[kind]?.anyOf ?? [])
    .map((ref) => ref.$ref?.replace('#/definitions/', '') ?? '')
    .filter(Boolean)
    .sort();
}

/**
 * The properties every task has (retry, timeout, disabled…): the form shows them apart, below the
 * task's own. Computed once per schema.
 */
export function commonTaskProperties(flowSchema: SchemaNode): Set<string> {
  const definitions = (flowSchema.definitions ?? {}) as Record<string, SchemaNode>;
  let common: Set<string> | undefined;
  for (const type of taskTypes(flowSchema)) {
    const names = Object.keys(definitions[type]?.properties ?? {});
    common = common ? new Set(names.filter((n) => common!.has(n))) : new Set(names);
  }
  return common ?? new Set();
}

/** The schema of an input of `type` (the `inputs` items' branch whose `type` enum has it). */
export function inputSchema(flowSchema: SchemaNode, type: string): SchemaNode | undefined {
  return inputBranches(flowSchema).find((branch) => branch.properties?.type?.enum?.includes(type));
}

/** The input types the schema knows (STRING, INT, …). */
export function inputTypes(flowSchema: SchemaNode): string[] {
  return inputBranches(flowSchema).flatMap((b) => (b.properties?.type?.enum ?? []).map(String));
}

function inputBranches(flowSchema: SchemaNode): SchemaNode[] {
  const inputs = flowSchema.properties?.inputs;
  const list = inputs ? alternatives(inputs).find((alt) => alt.type === 'array') : undefined;
  const items = list?.items as SchemaNode | undefined;
  return items ? (items.oneOf ?? items.anyOf ?? [items]) : [];
}
