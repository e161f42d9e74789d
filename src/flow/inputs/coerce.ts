import { parseJsonBounded } from '../../bounded-json.js';
import { ProblemCodes } from '../../errors.js';
import { formatIsoDuration, parseIsoDuration } from '../duration.js';
import type { FlowInput, InputType } from '../model.js';
import { isExpression } from '../schema/prop.js';
import { findCycles } from '../checks.js';
import { parseIsoDate, parseIsoDateTime, parseIsoTime, timeToSeconds } from './temporal.js';
import { MAX_YAML_TEXT_LENGTH } from '../source-text.js';
import { readYamlValue } from '../source-value.js';

/** One input that could not be accepted. */
export interface InputProblem {
  code: typeof ProblemCodes.INPUT_VALUE;
  /** The input's id. */
  input: string;
  /** The whole message: ``Invalid input for `year`: must be one of 2019, 2020, got `2018` ``. */
  message: string;
}

export interface CoerceOptions {
  /**
   * Renders an expression found in `defaults`, `dependsOn.condition` or a SELECT `expression`,
   * with the inputs known so far. Without it, such expressions are reported as problems.
   */
  render?: (template: string, context: { inputs: Record<string, unknown> }) => unknown;
}

export type CoerceResult =
  | { ok: true; values: Record<string, unknown>; ignored: string[] }
  | { ok: false; problems: InputProblem[]; values: Record<string, unknown>; ignored: string[] };

type Parsed = { value: unknown } | { error: string };

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/*
 * Kestra's URI rule (FlowInputOutput's URI_PATTERN): a lowercase scheme, `://`, an optional
 * `www.`, a host of up to 256 characters with a dot and a 1–6 character ending, then path,
 * query and fragment characters. Its single regex backtracks on long texts, so it is checked in
 * two linear steps that accept exactly the same texts: everything after `://` is made of the
 * allowed characters, and the start matches the scheme and host (bounded by 256 × 6).
 */
const URI_SCHEME = /^[a-z]+:\/\//;
const URI_REST = /^[-a-zA-Z0-9()@:%_+.~#?&/=]*$/;
const URI_START = /^[a-z]+:\/\/(?:www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b/;

/** Whether a text is a URI as Kestra's URI input accepts it. */
function isKestraUri(text: string): boolean {
  const scheme = URI_SCHEME.exec(text);
  return scheme !== null && URI_REST.test(text.slice(scheme[0].length)) && URI_START.test(text);
}

/**
 * Turns raw submitted values (strings from a form or the CLI, or JSON values) into typed input
 * values, applying defaults and checks. Reports every problem at once. Values of dotted ids
 * nest (`a.b` → `{a: {b: …}}`); inputs whose `dependsOn.condition` is false are left out;
 * optional inputs without a value are `null`.
 */
export function coerceInputValues(
  inputs: readonly FlowInput[],
  submitted: Readonly<Record<string, unknown>>,
  options: CoerceOptions = {},
): CoerceResult {
  const problems: InputProblem[] = [];
  const flat: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const fail = (input: string, message: string) =>
    problems.push({
      code: ProblemCodes.INPUT_VALUE,
      input,
      message: `Invalid input for \`${input}\`: ${message}`,
    });

  for (const input of dependencyOrder(inputs)) {
    const condition = input.dependsOn?.condition;
    if (condition !== undefined && condition !== null && condition !== '') {
      if (!options.render) {
        // Without an expression engine the condition cannot be known; treat the input as shown.
      } else {
        let shown: unknown;
        try {
          shown = options.render(condition, { inputs: nest(flat) });
        } catch (error) {
          fail(input.id, `its \`dependsOn.condition\` cannot be evaluated: ${errorText(error)}`);
          continue;
        }
        if (!isTruthyCondition(shown)) continue;
      }
    }

    let raw = submitted[input.id];
    if (raw === '' && input.type !== 'STRING' && input.type !== 'SECRET') raw = undefined;
    if (raw === undefined || raw === null) {
      if (input.defaults !== undefined && input.defaults !== null) {
        if (typeof input.defaults === 'string' && isExpression(input.defaults)) {
          if (!options.render) {
            fail(input.id, 'its default is an expression, which needs the expression engine to be rendered');
            continue;
          }
          try {
            raw = options.render(input.defaults, { inputs: nest(flat) });
          } catch (error) {
            fail(input.id, `its default cannot be rendered: ${errorText(error)}`);
            continue;
          }
        } else {
          raw = input.defaults;
        }
      }
    }
    if (raw === undefined || raw === null) {
      if (input.required !== false) fail(input.id, 'a value is required');
      else flat[input.id] = null;
      continue;
    }

    let choices: unknown[] | undefined;
    if ((input.type === 'SELECT' || input.type === 'MULTISELECT') && input.expression && options.render) {
      try {
        const rendered = options.render(input.expression, { inputs: nest(flat) });
        choices = Array.isArray(rendered)
          ? rendered
          : typeof rendered === 'string'
            ? tryJsonList(rendered)
            : undefined;
      } catch (error) {
        fail(input.id, `its \`expression\` cannot be rendered: ${errorText(error)}`);
        continue;
      }
    }

    const parsed = coerceInputValue(input, raw, choices);
    if ('error' in parsed) fail(input.id, parsed.error);
    else flat[input.id] = parsed.value;
  }

  const declared = new Set(inputs.map((i) => i.id));
  const ignored = Object.keys(submitted).filter((key) => !declared.has(key));
  Object.assign(values, nest(flat));
  return problems.length > 0 ? { ok: false, problems, values, ignored } : { ok: true, values, ignored };
}

/**
 * Parses and checks one value for one input. `choices` overrides `values` for SELECT and
 * MULTISELECT (when they come from a rendered `expression`).
 */
export function coerceInputValue(input: FlowInput, raw: unknown, choices?: readonly unknown[]): Parsed {
  const secret = input.type === 'SECRET';
  const shown = (v: unknown) => (secret ? '`******`' : show(v));
  switch (input.type) {
    case 'STRING':
    case 'SECRET': {
      if (!isScalar(raw)) return { error: `must be a string, got ${kindOf(raw)}` };
      const text = String(raw);
      if (input.validator) {
        const regex = compileValidator(input.validator);
        if (regex && !regex.test(text))
          return { error: `must match \`${input.validator}\`, got ${shown(text)}` };
      }
      return { value: text };
    }
    case 'INT':
      return checkRange(input, parseInteger(raw), (n) => n);
    case 'FLOAT':
      return checkRange(input, parseFloatValue(raw), (n) => n);
    case 'BOOLEAN':
    case 'BOOL':
      return parseBoolean(raw);
    case 'DATE':
      return checkOrder(
        input,
        parseWith(raw, parseIsoDate, 'an ISO-8601 date such as `2024-02-05`'),
        (v) => Date.parse(v),
        parseIsoDate,
      );
    case 'DATETIME':
      return checkOrder(
        input,
        parseWith(
          raw,
          (t) => parseIsoDateTime(t)?.iso,
          'an ISO-8601 date-time such as `2024-02-05T10:00:00Z`',
        ),
        (v) => parseIsoDateTime(v)!.epochMs,
        (t) => parseIsoDateTime(t)?.iso,
      );
    case 'TIME':
      return checkOrder(
        input,
        parseWith(raw, parseIsoTime, 'an ISO-8601 time such as `10:15` or `10:15:30`'),
        timeToSeconds,
        parseIsoTime,
      );
    case 'DURATION':
      return checkRange(
        input,
        parseDuration(raw),
        (n) => n,
        (n) => formatIsoDuration(n),
      );
    case 'JSON':
      if (typeof raw !== 'string') return { value: raw };
      try {
        return { value: parseJsonBounded(raw) };
      } catch (error) {
        return { error: `must be valid JSON: ${errorText(error)}` };
      }
    case 'YAML': {
      if (typeof raw !== 'string') return { value: raw };
      // Linear and bounded (size, duplicate keys, aliases, nesting): the value comes from a client.
      if (raw.length > MAX_YAML_TEXT_LENGTH)
        return { error: `must be at most ${MAX_YAML_TEXT_LENGTH / (1024 * 1024)} MiB of YAML` };
      const read = readYamlValue(raw);
      return 'error' in read
        ? { error: `must be valid YAML: ${read.error} (line ${read.line}, column ${read.column})` }
        : { value: read.value };
    }
    case 'ARRAY':
      return parseArray(input, raw);
    case 'SELECT':
    case 'ENUM': {
      if (!isScalar(raw)) return { error: `must be one value, got ${kindOf(raw)}` };
      const value = String(raw);
      const allowed = allowedChoices(input, choices);
      if (allowed && !input.allowCustomValue && !allowed.includes(value)) {
        return { error: `must be one of ${allowed.join(', ')}, got ${show(value)}` };
      }
      return { value };
    }
    case 'MULTISELECT': {
      const list = typeof raw === 'string' ? (tryJsonList(raw) ?? [raw]) : raw;
      if (!Array.isArray(list)) return { error: `must be a list of values, got ${kindOf(raw)}` };
      const allowed = allowedChoices(input, choices);
      const values: string[] = [];
      for (const item of list) {
        if (!isScalar(item)) return { error: `must be a list of values, got a list holding ${kindOf(item)}` };
        const value = String(item);
        if (allowed && !input.allowCustomValue && !allowed.includes(value)) {
          return { error: `each value must be one of ${allowed.join(', ')}, got ${show(value)}` };
        }
        values.push(value);
      }
      return { value: values };
    }
    case 'FILE': {
      if (typeof raw !== 'string' || raw === '') return { error: `must be a file, got ${kindOf(raw)}` };
      const extensions = [
        ...(input.extension ? [input.extension] : []),
        ...(input.allowedFileExtensions ?? []),
      ].map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
      if (extensions.length > 0 && !extensions.some((e) => raw.toLowerCase().endsWith(e))) {
        return {
          error: `must be a ${extensions.map((e) => `\`${e}\``).join(' or ')} file, got ${show(raw)}`,
        };
      }
      return { value: raw };
    }
    case 'URI': {
      if (typeof raw !== 'string' || !isKestraUri(raw)) {
        return {
          error: `must be a URI such as \`https://example.com/data.csv\` (a lowercase scheme, \`://\` and a host with a domain, as Kestra checks), got ${show(raw)}`,
        };
      }
      return { value: raw };
    }
    case 'EMAIL':
      if (typeof raw !== 'string' || !EMAIL.test(raw))
        return { error: `must be an email address, got ${show(raw)}` };
      return { value: raw };
  }
}

/** Compiles a STRING input's `validator` as a full-match regex (Java's `matches`), or undefined. */
export function compileValidator(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next flavour: without `u`, more Java-style escapes are accepted
    }
  }
  return undefined;
}

function allowedChoices(input: FlowInput, choices?: readonly unknown[]): string[] | undefined {
  const list = choices ?? (Array.isArray(input.values) ? input.values : undefined);
  return list?.map(String);
}

function parseArray(input: FlowInput, raw: unknown): Parsed {
  const list = typeof raw === 'string' ? tryJsonList(raw) : raw;
  if (!Array.isArray(list)) return { error: `must be a list such as \`["a", "b"]\`, got ${show(raw)}` };
  const itemType: InputType = input.itemType ?? 'STRING';
  const out: unknown[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = coerceInputValue({ id: input.id, type: itemType }, item);
    if ('error' in parsed) return { error: `item ${index + 1} ${parsed.error}` };
    out.push(parsed.value);
  }
  return { value: out };
}

function parseInteger(raw: unknown): Parsed {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw)
        ? Number(raw)
        : NaN;
  if (!Number.isInteger(n)) return { error: `must be an integer, got ${show(raw)}` };
  if (n < INT_MIN || n > INT_MAX)
    return { error: `must be an integer between ${INT_MIN} and ${INT_MAX}, got ${show(raw)}` };
  return { value: n };
}

function parseFloatValue(raw: unknown): Parsed {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw)
        ? Number(raw)
        : NaN;
  if (!Number.isFinite(n)) return { error: `must be a number, got ${show(raw)}` };
  return { value: n };
}

function parseBoolean(raw: unknown): Parsed {
  if (typeof raw === 'boolean') return { value: raw };
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
    return { value: raw.trim().toLowerCase() === 'true' };
  return { error: `must be \`true\` or \`false\`, got ${show(raw)}` };
}

function parseDuration(raw: unknown): Parsed {
  const ms = typeof raw === 'string' ? parseIsoDuration(raw) : undefined;
  if (ms === undefined)
    return { error: `must be an ISO-8601 duration such as \`PT5M\` or \`P1D\`, got ${show(raw)}` };
  return { value: ms };
}

function parseWith(raw: unknown, parse: (text: string) => string | undefined, expects: string): Parsed {
  const value = typeof raw === 'string' ? parse(raw) : undefined;
  return value === undefined ? { error: `must be ${expects}, got ${show(raw)}` } : { value };
}

/** Applies `min`/`max` to a parsed number (INT, FLOAT, or a DURATION in ms) and formats it. */
function checkRange(
  input: FlowInput,
  parsed: Parsed,
  toNumber: (n: number) => number,
  format: (n: number) => unknown = (n) => n,
): Parsed {
  if ('error' in parsed) return parsed;
  const n = toNumber(parsed.value as number);
  const bound = (b: number | string | undefined) =>
    b === undefined || b === null
      ? undefined
      : typeof b === 'number'
        ? b
        : input.type === 'DURATION'
          ? parseIsoDuration(b)
          : Number(b);
  const min = bound(input.min);
  const max = bound(input.max);
  if (min !== undefined && n < min)
    return { error: `must be at least ${String(input.min)}, got ${show(format(n))}` };
  if (max !== undefined && n > max)
    return { error: `must be at most ${String(input.max)}, got ${show(format(n))}` };
  return { value: format(n) };
}

/** Applies `after`/`before` to a parsed date, date-time or time. */
function checkOrder(
  input: FlowInput,
  parsed: Parsed,
  toNumber: (v: string) => number,
  parseBound: (text: string) => string | undefined,
): Parsed {
  if ('error' in parsed) return parsed;
  const value = parsed.value as string;
  const n = toNumber(value);
  const after = input.after ? parseBound(input.after) : undefined;
  const before = input.before ? parseBound(input.before) : undefined;
  if (after !== undefined && !(n > toNumber(after)))
    return { error: `must be after ${input.after}, got ${show(value)}` };
  if (before !== undefined && !(n < toNumber(before)))
    return { error: `must be before ${input.before}, got ${show(value)}` };
  return parsed;
}

/** Inputs in an order where each comes after the inputs its `dependsOn` names. */
function dependencyOrder(inputs: readonly FlowInput[]): FlowInput[] {
  const byId = new Map(inputs.map((i) => [i.id, i]));
  const edges = new Map(inputs.map((i) => [i.id, (i.dependsOn?.inputs ?? []).filter((d) => byId.has(d))]));
  if (findCycles(edges).length > 0) return [...inputs];
  const done = new Set<string>();
  const out: FlowInput[] = [];
  const visit = (input: FlowInput) => {
    if (done.has(input.id)) return;
    done.add(input.id);
    for (const dep of edges.get(input.id) ?? []) visit(byId.get(dep)!);
    out.push(input);
  };
  inputs.forEach(visit);
  return out;
}

/** `{'a.b': 1, c: 2}` → `{a: {b: 1}, c: 2}`. */
export function nest(flat: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(flat)) {
    const parts = id.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
  }
  return out;
}

function tryJsonList(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Kestra's truthiness of a rendered condition: false, 0, -0 and empty are false. */
export function isTruthyCondition(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return !['', 'false', '0', '-0'].includes(value.trim().toLowerCase());
  return true;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a map';
  return show(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `\`${value.length > 60 ? `${value.slice(0, 57)}...` : value}\``;
  if (typeof value === 'object' && value !== null) return `\`${JSON.stringify(value).slice(0, 60)}\``;
  return `\`${String(value)}\``;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
