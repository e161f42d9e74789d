import { z } from 'zod';
import { parseIsoDuration } from '../duration.js';

/**
 * The property DSL that task, trigger, condition and runner schemas are written in. Each builder
 * returns a `Prop`: a zod schema (used to validate and to generate JSON Schema) plus the facts
 * docs and messages need (kind, description, required, default, dynamic, aliases).
 */

export type PluginKind = 'task' | 'trigger' | 'condition' | 'runner';

export type PropKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'duration'
  | 'enum'
  | 'list'
  | 'map'
  | 'object'
  | 'variant'
  | 'union'
  | 'any'
  | 'tasks'
  | 'task'
  | 'taskMap'
  | 'dagTasks'
  | 'plugin'
  | 'pluginList'
  | 'pluginMap';

/** Kinds whose values hold nested tasks or plugins that the validator walks into. */
export const SLOT_KINDS: ReadonlySet<PropKind> = new Set([
  'tasks',
  'task',
  'taskMap',
  'dagTasks',
  'plugin',
  'pluginList',
  'pluginMap',
]);

export interface PropInfo {
  kind: PropKind;
  required: boolean;
  /** Rendered with expressions before use: accepts `{{ … }}` in place of a literal. */
  dynamic: boolean;
  description?: string;
  default?: unknown;
  /** Set when the property is deprecated: what to use instead. */
  deprecated?: string;
  /** Set when the property is a course-notes alias: the Kestra property it maps onto. */
  aliasOf?: string;
  /**
   * Rendered by the engine later than the task's other properties (LoopUntil's `condition`,
   * after each iteration), so left as written when the task starts.
   */
  deferred?: boolean;
  /**
   * For `any`: every string inside, at any depth, is rendered to text, as Kestra renders an
   * `Object` property through `renderMap` (`'{{ 2 + 3 }}'` gives "5"), rather than keeping the
   * type of a string that is a single expression.
   */
  asText?: boolean;
  /** Human wording of what is expected, used in messages ("an integer", "one of `A`, `B`"). */
  expects: string;
  values?: readonly string[];
  item?: Prop;
  shape?: Readonly<Record<string, Prop>>;
  /** For `variant`: the discriminating key and the shape of each variant. */
  discriminator?: string;
  variants?: Readonly<Record<string, Readonly<Record<string, Prop>>>>;
  pluginKind?: PluginKind;
  /** For `union`: the accepted forms. */
  options?: readonly Prop[];
  examples?: unknown[];
}

/** A property: its zod schema and its documentation. Immutable; modifiers return copies. */
export class Prop {
  constructor(
    readonly schema: z.ZodType,
    readonly info: PropInfo,
  ) {}

  /** This property must be given. */
  required(): Prop {
    return new Prop(this.schema, { ...this.info, required: true });
  }

  /** What the property means, for docs and editors. */
  describe(description: string): Prop {
    return new Prop(this.schema, { ...this.info, description });
  }

  /** The value used when the property is not given (documentation; the plugin applies it). */
  default(value: unknown): Prop {
    return new Prop(this.schema, { ...this.info, default: value });
  }

  /**
   * Still accepted, but deprecated. `instead` is the property to use instead (a name), or a
   * sentence saying what to do when there is no replacement.
   */
  deprecated(instead: string): Prop {
    return new Prop(this.schema, { ...this.info, deprecated: instead });
  }

  /** A course-notes property name that maps onto the Kestra property `kestraProperty`. */
  aliasOf(kestraProperty: string): Prop {
    return new Prop(this.schema, { ...this.info, aliasOf: kestraProperty });
  }

  /** Rendered by the engine itself at a later point, not with the task's other properties. */
  deferred(): Prop {
    return new Prop(this.schema, { ...this.info, deferred: true });
  }

  /** Overrides the wording of what is expected, used in messages. */
  expects(wording: string): Prop {
    return new Prop(this.schema, { ...this.info, expects: wording });
  }

  /** Example values shown in docs. */
  examples(...values: unknown[]): Prop {
    return new Prop(this.schema, { ...this.info, examples: values });
  }

  /** The schema as it appears inside an object: optional unless required, with its metadata. */
  fieldSchema(): z.ZodType {
    const meta: Record<string, unknown> = {};
    if (this.info.description) meta.description = this.info.description;
    if (this.info.default !== undefined) meta.default = this.info.default;
    if (this.info.deprecated) meta.deprecated = true;
    if (this.info.dynamic) meta['x-dynamic'] = true;
    // YAML's `key:` with no value is null; Kestra reads it as absent, so optional means nullish.
    const field = this.info.required ? this.schema : this.schema.nullish();
    return Object.keys(meta).length > 0 ? field.meta(meta) : field;
  }
}

/** A string that holds a Pebble expression or tag: rendered at run time, so not checked here. */
export const EXPRESSION_PATTERN = /\{\{|\{%/;

/** Whether a value is a string that holds an expression (not a type guard: a string may not). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && EXPRESSION_PATTERN.test(value);
}

const expressionString = z.string().regex(EXPRESSION_PATTERN);

// Scalars written as strings: Jackson coerces "5" to 5 and "true" to true, and so do we. A
// dynamic property also takes an expression. Regexes rather than refinements, so that JSON
// Schema (editors) and validation agree.
const INTEGER_LITERAL = /^[-+]?\d+$/;
const NUMBER_LITERAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN_LITERAL = /^([Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Java `Duration.parse` grammar (see duration.ts), written out for JSON Schema's sake. */
const DURATION_LITERAL =
  /^[-+]?[Pp](?!$)(?:[-+]?\d+[Dd])?(?:[Tt](?=[-+]?\d)(?:[-+]?\d+[Hh])?(?:[-+]?\d+[Mm])?(?:[-+]?\d+(?:[.,]\d{0,9})?[Ss])?)?$/;

/** A string holding a literal of the given form, or (when dynamic) an expression. */
function scalarString(literal: RegExp, dynamic: boolean, accept?: (literal: string) => boolean): z.ZodType {
  const pattern = dynamic ? new RegExp(`${literal.source}|${EXPRESSION_PATTERN.source}`) : literal;
  const text = z.string().regex(pattern);
  return accept ? text.refine((v) => EXPRESSION_PATTERN.test(v) || accept(v)) : text;
}

function inRange(options: RangeOptions): (text: string) => boolean {
  return (text) => {
    const n = Number(text);
    return (options.min === undefined || n >= options.min) && (options.max === undefined || n <= options.max);
  };
}

interface ScalarOptions {
  /** Accept an expression in place of a literal (Kestra's `Property<T>`). Default true. */
  dynamic?: boolean;
}

function orExpression(schema: z.ZodType, dynamic: boolean): z.ZodType {
  return dynamic ? z.union([schema, expressionString]) : schema;
}

function dynamicSuffix(dynamic: boolean): string {
  return dynamic ? ' or an expression' : '';
}

function info(kind: PropKind, expects: string, dynamic: boolean, extra: Partial<PropInfo> = {}): PropInfo {
  return { kind, expects, dynamic, required: false, ...extra };
}

interface StringOptions extends ScalarOptions {
  /** A regex the (literal) value must match fully. */
  pattern?: RegExp;
  /** Wording of the pattern for messages, e.g. "letters, digits, `_` and `-`". */
  patternHint?: string;
  /** The whole wording of what is expected, e.g. "an id made of letters and digits". */
  expects?: string;
  maxLength?: number;
}

function string(options: StringOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  let text = z.string();
  if (options.pattern) text = text.regex(options.pattern);
  if (options.maxLength !== undefined) text = text.max(options.maxLength);
  // Jackson turns scalars into strings for String properties, so `message: 42` is fine.
  const constrained = options.pattern !== undefined || options.maxLength !== undefined;
  // A pattern constrains literals only: a dynamic property may hold an expression instead.
  const schema = constrained ? orExpression(text, dynamic) : z.union([text, z.number(), z.boolean()]);
  const hint = options.patternHint ? ` (${options.patternHint})` : '';
  return new Prop(schema, info('string', options.expects ?? `a string${hint}`, dynamic));
}

interface RangeOptions extends ScalarOptions {
  min?: number;
  max?: number;
}

function rangeText(options: RangeOptions): string {
  if (options.min !== undefined && options.max !== undefined)
    return ` between ${options.min} and ${options.max}`;
  if (options.min !== undefined) return ` of at least ${options.min}`;
  if (options.max !== undefined) return ` of at most ${options.max}`;
  return '';
}

function integer(options: RangeOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  let n = z.int();
  if (options.min !== undefined) n = n.min(options.min);
  if (options.max !== undefined) n = n.max(options.max);
  const schema = z.union([n, scalarString(INTEGER_LITERAL, dynamic, inRange(options))]);
  return new Prop(
    schema,
    info('integer', `an integer${rangeText(options)}${dynamicSuffix(dynamic)}`, dynamic),
  );
}

function number(options: RangeOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  let n = z.number();
  if (options.min !== undefined) n = n.min(options.min);
  if (options.max !== undefined) n = n.max(options.max);
  const schema = z.union([n, scalarString(NUMBER_LITERAL, dynamic, inRange(options))]);
  return new Prop(schema, info('number', `a number${rangeText(options)}${dynamicSuffix(dynamic)}`, dynamic));
}

function boolean(options: ScalarOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  const schema = z.union([z.boolean(), scalarString(BOOLEAN_LITERAL, dynamic)]);
  return new Prop(schema, info('boolean', `\`true\` or \`false\`${dynamicSuffix(dynamic)}`, dynamic));
}

function duration(options: ScalarOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  const schema = scalarString(DURATION_LITERAL, dynamic, (v) => parseIsoDuration(v) !== undefined);
  return new Prop(
    schema,
    info(
      'duration',
      `an ISO-8601 duration such as \`PT5M\`, \`PT1H30M\` or \`P1D\`${dynamicSuffix(dynamic)}`,
      dynamic,
    ),
  );
}

function enumeration(values: readonly [string, ...string[]], options: ScalarOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  const schema = orExpression(z.enum(values), dynamic);
  const listed = values.map((v) => `\`${v}\``).join(', ');
  return new Prop(schema, info('enum', `one of ${listed}${dynamicSuffix(dynamic)}`, dynamic, { values }));
}

function list(item: Prop, options: ScalarOptions & { min?: number } = {}): Prop {
  const dynamic = options.dynamic ?? true;
  let array = z.array(item.schema);
  if (options.min !== undefined) array = array.min(options.min);
  const atLeast = options.min ? ` with at least ${options.min} item${options.min > 1 ? 's' : ''}` : '';
  return new Prop(
    orExpression(array, dynamic),
    info('list', `a list${atLeast} of ${plural(item.info.expects)}${dynamicSuffix(dynamic)}`, dynamic, {
      item,
    }),
  );
}

function map(item: Prop = any(), options: ScalarOptions = {}): Prop {
  const dynamic = options.dynamic ?? true;
  const schema = orExpression(z.record(z.string(), item.schema), dynamic);
  return new Prop(schema, info('map', `a map${dynamicSuffix(dynamic)}`, dynamic, { item }));
}

/** A nested object with known properties (unknown ones are errors). */
function object(shape: Record<string, Prop>, options: { expects?: string } = {}): Prop {
  const schema = z.strictObject(objectShape(shape));
  const names = Object.keys(shape)
    .map((k) => `\`${k}\``)
    .join(', ');
  return new Prop(schema, info('object', options.expects ?? `a map with ${names}`, false, { shape }));
}

/** Objects told apart by one key (`retry.type: constant | exponential | random`). */
function variant(discriminator: string, variants: Record<string, Record<string, Prop>>): Prop {
  const options = Object.values(variants).map((shape) => z.strictObject(objectShape(shape)));
  const schema = z.discriminatedUnion(discriminator, options as [z.ZodObject, ...z.ZodObject[]]);
  const names = Object.keys(variants)
    .map((k) => `\`${k}\``)
    .join(', ');
  return new Prop(
    schema,
    info('variant', `a map whose \`${discriminator}\` is one of ${names}`, false, {
      discriminator,
      variants,
    }),
  );
}

/** One of several forms, e.g. a string or a list of strings. */
function union(...options: [Prop, Prop, ...Prop[]]): Prop {
  const schema = z.union(options.map((o) => o.schema) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  const expects = options.map((o) => o.info.expects).join(', or ');
  const dynamic = options.some((o) => o.info.dynamic);
  return new Prop(schema, info('union', expects, dynamic, { options }));
}

/** Any value; with `asText`, strings inside it render to text (see `PropInfo.asText`). */
function any(options: { asText?: boolean } = {}): Prop {
  return new Prop(z.unknown(), info('any', 'a value', true, options.asText === true ? { asText: true } : {}));
}

/**
 * The zod schemas that stand for one nested plugin (a task, a trigger…). Validation walks into
 * them separately; JSON Schema replaces them with a reference to the plugin kind's definition.
 */
const pluginRefs = new WeakMap<z.ZodType, PluginKind>();

/** The plugin kind a zod schema stands for, when it is a nested-plugin placeholder. */
export function pluginRefOf(schema: unknown): PluginKind | undefined {
  return typeof schema === 'object' && schema !== null ? pluginRefs.get(schema as z.ZodType) : undefined;
}

function pluginRef(kind: PluginKind): z.ZodType {
  const schema = z.looseObject({});
  pluginRefs.set(schema, kind);
  return schema;
}

function tasks(): Prop {
  return new Prop(z.array(pluginRef('task')), info('tasks', 'a list of tasks', false));
}

function task(): Prop {
  return new Prop(pluginRef('task'), info('task', 'a task (a map with `id` and `type`)', false));
}

function taskMap(): Prop {
  return new Prop(
    z.record(z.string(), z.array(pluginRef('task'))),
    info('taskMap', 'a map of task lists', false),
  );
}

function dagTasks(): Prop {
  const entry = z.strictObject({ task: pluginRef('task'), dependsOn: z.array(z.string()).nullish() });
  return new Prop(z.array(entry), info('dagTasks', 'a list of `{task, dependsOn}` entries', false));
}

function plugin(kind: PluginKind): Prop {
  return new Prop(
    pluginRef(kind),
    info('plugin', `a ${kind} (a map with a \`type\`)`, false, { pluginKind: kind }),
  );
}

function pluginList(kind: PluginKind): Prop {
  return new Prop(
    z.array(pluginRef(kind)),
    info('pluginList', `a list of ${kind}s`, false, { pluginKind: kind }),
  );
}

function pluginMap(kind: PluginKind): Prop {
  return new Prop(
    z.record(z.string(), pluginRef(kind)),
    info('pluginMap', `a map of ${kind}s`, false, { pluginKind: kind }),
  );
}

/** Turns a shape of props into the zod shape of a strict object. */
export function objectShape(shape: Record<string, Prop>): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const [name, prop] of Object.entries(shape)) out[name] = prop.fieldSchema();
  return out;
}

function plural(expects: string): string {
  const withoutArticle = expects.replace(/^(a|an) /, '');
  if (withoutArticle === expects) return expects;
  if (/^(string|integer|number|map|list|task|value)\b/.test(withoutArticle)) {
    return withoutArticle.replace(/^(\w+)/, '$1s');
  }
  return withoutArticle;
}

/** The property builders. */
export const p = {
  string,
  integer,
  number,
  boolean,
  duration,
  enum: enumeration,
  list,
  map,
  object,
  variant,
  union,
  any,
  tasks,
  task,
  taskMap,
  dagTasks,
  plugin,
  pluginList,
  pluginMap,
};

/** Finds the Prop that describes the value at `path` below a shape, walking the value alongside. */
export function propAtPath(
  shape: Readonly<Record<string, Prop>>,
  value: unknown,
  path: readonly (string | number)[],
): Prop | undefined {
  let current: Prop | undefined;
  let currentShape: Readonly<Record<string, Prop>> | undefined = shape;
  let currentValue = value;
  for (const segment of path) {
    if (currentShape) {
      current = currentShape[String(segment)];
      currentShape = undefined;
    } else if (current && (current.info.kind === 'list' || current.info.kind === 'map')) {
      current = current.info.item;
    } else {
      return current;
    }
    currentValue =
      isRecord(currentValue) || Array.isArray(currentValue)
        ? (currentValue as Record<string, unknown>)[segment]
        : undefined;
    if (!current) return undefined;
    if (current.info.kind === 'object') currentShape = current.info.shape;
    if (current.info.kind === 'variant' && isRecord(currentValue)) {
      const tag: unknown = currentValue[current.info.discriminator!];
      currentShape = typeof tag === 'string' ? current.info.variants?.[tag] : undefined;
    }
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
