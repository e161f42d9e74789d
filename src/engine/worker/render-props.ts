/**
 * Renders a task's properties before it runs, as Kestra does: every dynamic string is a
 * template; a property that is exactly one expression keeps the value's type; the result is
 * then converted to the property's kind (`"5"` to 5 for an integer, a JSON text to a list…).
 */
import { ErrorCodes } from '../../errors.js';
import { isExpression, isRecord } from '../../flow/schema/prop.js';
import type { Prop, PropInfo } from '../../flow/schema/prop.js';
import { SLOT_KINDS } from '../../flow/schema/prop.js';
import { parseIsoDuration } from '../../flow/duration.js';
import { toText } from '../../expr/index.js';

/** Renders one template to a typed value (the worker's async renderer). */
export type TypedRenderer = (template: string) => Promise<unknown>;

/** Properties the engine reads itself, or that are not rendered (Kestra's non-dynamic ones). */
const ENGINE_PROPS: ReadonlySet<string> = new Set([
  'id',
  'type',
  'version',
  'description',
  'retry',
  'timeout',
  'disabled',
  'logLevel',
  'logToFile',
  'allowFailure',
  'allowWarning',
  'runIf',
  'workerGroup',
  'dependsOn',
]);

/** A rendered value that does not fit its property. */
export class PropertyRenderError extends Error {
  readonly code = ErrorCodes.TASK_PROPERTY_INVALID;
  constructor(path: string, message: string) {
    super(`Property \`${path}\`: ${message}`);
    this.name = 'PropertyRenderError';
  }
}

/**
 * The task's own properties, rendered and typed, with declared defaults for those absent.
 * Child task lists and plugins (slots), and deferred properties, are left as they are.
 */
export async function renderTaskProperties(
  properties: Readonly<Record<string, Prop>>,
  task: Readonly<Record<string, unknown>>,
  render: TypedRenderer,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) {
    // `description` documents any task, but a plugin that declares it reads it too (a BigQuery
    // dataset's description: in Kestra the task's field is the dataset's), so it is rendered then.
    if (ENGINE_PROPS.has(name) && name !== 'description') continue;
    const value = task[name];
    if (SLOT_KINDS.has(prop.info.kind) || prop.info.deferred === true) {
      if (value !== undefined) out[name] = value;
      continue;
    }
    if (value === undefined || value === null) {
      // A default may be an expression itself (`{{ flow.namespace }}`), rendered like a value.
      const fallback = prop.info.default;
      if (fallback !== undefined)
        out[name] =
          typeof fallback === 'string' && isExpression(fallback)
            ? await renderValue(prop, fallback, name, render)
            : fallback;
      continue;
    }
    out[name] = await renderValue(prop, value, name, render);
  }
  return out;
}

/** Renders a value against its property (or deeply, when its shape is unknown). */
export async function renderValue(
  prop: Prop | undefined,
  value: unknown,
  path: string,
  render: TypedRenderer,
): Promise<unknown> {
  const info = prop?.info;
  if (info?.asText === true) return renderAsText(value, render);
  if (typeof value === 'string') {
    const rendered = isExpression(value) && (info?.dynamic ?? true) ? await render(value) : value;
    return info ? convert(info, rendered, path) : rendered;
  }
  if (Array.isArray(value)) {
    const item = itemOf(info, 'list');
    return Promise.all(value.map((v, i) => renderValue(item, v, `${path}[${i}]`, render)));
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    // A map's keys are data, rendered as Kestra renders them (`"{{ inputs.key }}": value`); an
    // object's keys are field names.
    const keysRendered = isMap(info) && (info?.dynamic ?? true);
    for (const [key, v] of Object.entries(value)) {
      const shownKey = keysRendered && isExpression(key) ? toText(await render(key)) : key;
      out[shownKey] = await renderValue(fieldOf(info, value, key), v, `${path}.${key}`, render);
    }
    return out;
  }
  return info ? convert(info, value, path) : value;
}

/** Renders every string inside a value to text, and map keys too (Kestra's `renderMap`). */
async function renderAsText(value: unknown, render: TypedRenderer): Promise<unknown> {
  const text = async (s: string) => (isExpression(s) ? toText(await render(s)) : s);
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => renderAsText(v, render)));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[await text(key)] = await renderAsText(v, render);
    return out;
  }
  return value;
}

/** The property of a list's items or a map's values. */
function itemOf(info: PropInfo | undefined, shape: 'list' | 'map'): Prop | undefined {
  if (!info) return undefined;
  if (info.kind === shape) return info.item;
  if (info.kind === 'union') return info.options?.find((o) => o.info.kind === shape)?.info.item;
  return undefined;
}

/** Whether a record value of this property is a map (of a map, or of a union whose record form is one). */
function isMap(info: PropInfo | undefined): boolean {
  if (!info) return false;
  if (info.kind === 'map') return true;
  if (info.kind !== 'union') return false;
  const record = info.options?.find(
    (o) => o.info.kind === 'object' || o.info.kind === 'map' || o.info.kind === 'variant',
  );
  return record?.info.kind === 'map';
}

/** The property of an object's field (object, variant, map or union of them). */
function fieldOf(info: PropInfo | undefined, value: Record<string, unknown>, key: string): Prop | undefined {
  if (!info) return undefined;
  switch (info.kind) {
    case 'object':
      return info.shape?.[key];
    case 'map':
      return info.item;
    case 'variant': {
      const variant = info.variants?.[String(value[info.discriminator ?? 'type'])];
      return variant?.[key];
    }
    case 'union': {
      const option = info.options?.find(
        (o) => o.info.kind === 'object' || o.info.kind === 'map' || o.info.kind === 'variant',
      );
      return option ? fieldOf(option.info, value, key) : undefined;
    }
    default:
      return undefined;
  }
}

/** Converts a rendered value to the property's kind, as Jackson would. */
function convert(info: PropInfo, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  const fail = (what: unknown): never => {
    throw new PropertyRenderError(
      path,
      `expected ${info.expects}, got ${JSON.stringify(toText(what)).slice(0, 200)}`,
    );
  };
  switch (info.kind) {
    case 'string':
      return typeof value === 'string' ? value : toText(value);
    case 'integer':
    case 'number': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value.trim())
            : NaN;
      if (!Number.isFinite(n) || (info.kind === 'integer' && !Number.isInteger(n))) return fail(value);
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text = toText(value).trim().toLowerCase();
      if (text === 'true' || text === 'false') return text === 'true';
      return fail(value);
    }
    case 'duration': {
      const text = toText(value).trim();
      if (parseIsoDuration(text) === undefined) return fail(value);
      return text;
    }
    case 'enum': {
      const text = toText(value);
      if (info.values && !info.values.includes(text)) return fail(value);
      return text;
    }
    case 'list':
      return typeof value === 'string' ? parseJson(value, 'list', () => fail(value)) : value;
    case 'map':
    case 'object':
      return typeof value === 'string' ? parseJson(value, 'map', () => fail(value)) : value;
    default:
      return value;
  }
}

function parseJson(text: string, shape: 'list' | 'map', fail: () => never): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail();
  }
  if (shape === 'list' ? !Array.isArray(parsed) : !isRecord(parsed)) return fail();
  return parsed;
}
