/**
 * Secret masking: what an execution shows (its log lines, task and flow outputs, inputs, error
 * messages) never holds a secret in clear. The secrets are the process's `SECRET_*` values
 * (decoded) and the values of the execution's SECRET inputs; each is masked as `******` in its
 * plain text and in the encodings a task is likely to produce of the same text: base64 (as
 * `echo -n $X | base64` or `base64encode` give it), JSON-escaped (inside a JSON string, once or
 * twice), and each line of a multi-line secret (a script prints a key file line by line).
 *
 * Masking is on what is shown: tasks still receive the real values, and the store keeps inputs
 * and outputs as they are so the execution can run.
 */
import type { Flow } from '../flow/model.js';
import type { Execution } from './model.js';

/** What a masked secret is replaced by (as Kestra shows it). */
export const SECRET_MASK = '******';

/**
 * Values shorter than this are not masked: a secret of one to three characters ("on", "1")
 * would turn every occurrence of that text in every log line into `******`.
 */
export const MIN_SECRET_LENGTH = 4;

/** A set of secret values compiled into one pattern; immutable. */
export class SecretMask {
  /** Masks nothing. */
  static readonly NONE = new SecretMask([]);

  /** One alternation of every form of every secret, longest first (so it masks whole). */
  private readonly pattern: RegExp | undefined;

  private constructor(
    /** The secret values it was built from (at least MIN_SECRET_LENGTH long, distinct). */
    private readonly secrets: readonly string[],
  ) {
    const forms = [...new Set(secrets.flatMap(formsOf))].sort((a, b) => b.length - a.length);
    this.pattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  /** A mask of these values (those shorter than MIN_SECRET_LENGTH are left out). */
  static of(values: Iterable<string>): SecretMask {
    return SecretMask.NONE.with(values);
  }

  /** Whether it masks nothing (callers skip work then). */
  get empty(): boolean {
    return this.pattern === undefined;
  }

  /**
   * This mask and these values; itself when they add nothing. `minLength` lowers the limit for
   * values known to be secrets where they are used (a task masks those it reads, as Kestra does).
   */
  with(values: Iterable<string>, minLength = MIN_SECRET_LENGTH): SecretMask {
    const known = new Set(this.secrets);
    const added = [...values].filter((v) => v.length >= Math.max(1, minLength) && !known.has(v));
    if (added.length === 0) return this;
    return new SecretMask([...known, ...new Set(added)]);
  }

  /** The text with every secret replaced by `******`. */
  text(text: string): string {
    if (this.pattern === undefined) return text;
    return text.replace(this.pattern, SECRET_MASK);
  }

  /** A copy of a JSON-like value (objects, arrays, scalars) with every string, keys included, masked. */
  deep<T>(value: T): T {
    if (this.pattern === undefined) return value;
    return this.deepValue(value) as T;
  }

  private deepValue(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.deepValue(item));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      out[this.text(key)] = this.deepValue(item);
    return out;
  }
}

/** The texts that show a secret: itself, base64, JSON-escaped, and its lines. */
function formsOf(secret: string): string[] {
  const forms = [secret];
  const lines = secret
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= MIN_SECRET_LENGTH);
  if (lines.length > 1 || (lines.length === 1 && lines[0] !== secret)) forms.push(...lines);
  for (const text of [secret, ...lines]) {
    const once = JSON.stringify(text).slice(1, -1);
    forms.push(once, JSON.stringify(once).slice(1, -1));
  }
  // `echo $X | base64` encodes the trailing newline too.
  forms.push(base64(secret), base64(`${secret}\n`));
  return forms;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A `SECRET_*` variable's value as `secret()` gives it (the variable holds it base64-encoded). */
export function decodeSecret(encoded: string): string {
  return Buffer.from(encoded, 'base64').toString('utf8');
}

const processMasks = new WeakMap<object, SecretMask>();

/** The mask of every `SECRET_*` value of an environment (computed once per environment object). */
export function environmentSecrets(env: Readonly<Record<string, string | undefined>>): SecretMask {
  let mask = processMasks.get(env);
  if (!mask) {
    const values: string[] = [];
    for (const [name, raw] of Object.entries(env))
      if (name.startsWith('SECRET_') && raw !== undefined) values.push(decodeSecret(raw));
    mask = SecretMask.of(values);
    processMasks.set(env, mask);
  }
  return mask;
}

/** The secrets of one execution: what to mask in it, and which of its inputs are SECRET. */
export interface ExecutionSecrets {
  mask: SecretMask;
  /** Ids of the flow's SECRET inputs (dotted ids are nested in `inputs`); shown as `******`. */
  inputIds: readonly string[];
}

/**
 * The secrets of an execution: the environment's and the values of its flow's SECRET inputs.
 * Without its flow (a revision deleted since), only the environment's.
 */
export function executionSecrets(
  env: Readonly<Record<string, string | undefined>>,
  flow: Pick<Flow, 'inputs'> | undefined,
  execution: Pick<Execution, 'inputs' | 'control'>,
): ExecutionSecrets {
  let mask = environmentSecrets(env);
  // Secrets the execution's tasks read with `secret()`: masked however short, like SECRET inputs
  // (the execution knows they are secrets, so masking them garbles only its own lines).
  const read = secretsReadBy(execution);
  if (read.length > 0) mask = mask.with(secretValues(env, read), 1);
  const inputIds = (flow?.inputs ?? []).filter((input) => input.type === 'SECRET').map((input) => input.id);
  if (inputIds.length === 0) return { mask, inputIds };
  const values = inputIds
    .map((id) => valueAt(execution.inputs, id))
    .filter((value): value is string => typeof value === 'string');
  return { mask: mask.with(values, 1), inputIds };
}

/** The `control` key holding the names (upper-cased) of the secrets an execution's tasks read. */
export const SECRETS_READ = 'secretsRead';

/** The names of the secrets an execution's tasks read with `secret()` (kept in its control). */
export function secretsReadBy(execution: Pick<Execution, 'control'>): readonly string[] {
  const names = execution.control?.[SECRETS_READ];
  return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [];
}

/** The decoded values of these secrets (names upper-cased, as `secret()` looks them up). */
function secretValues(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string[] {
  const values: string[] = [];
  for (const name of names) {
    const raw = secretIndex(env).get(name);
    if (raw !== undefined) values.push(decodeSecret(raw));
  }
  return values;
}

const secretIndexes = new WeakMap<object, ReadonlyMap<string, string>>();

/**
 * The `SECRET_*` variables of an environment by upper-cased name (after the prefix), as Kestra's
 * SecretService keys them; computed once per environment object.
 */
export function secretIndex(env: Readonly<Record<string, string | undefined>>): ReadonlyMap<string, string> {
  let index = secretIndexes.get(env);
  if (!index) {
    const byName = new Map<string, string>();
    for (const [name, raw] of Object.entries(env))
      if (name.startsWith('SECRET_') && raw !== undefined) byName.set(name.slice(7).toUpperCase(), raw);
    index = byName;
    secretIndexes.set(env, index);
  }
  return index;
}

/** The value at a dotted input id (`a.b` is `inputs.a.b`, as inputs are nested). */
function valueAt(inputs: Readonly<Record<string, unknown>>, id: string): unknown {
  let value: unknown = inputs;
  for (const part of id.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The inputs as shown: each SECRET input given a value is `******`, whatever its length. */
export function maskSecretInputs(
  inputs: Readonly<Record<string, unknown>>,
  inputIds: readonly string[],
): Record<string, unknown> {
  if (inputIds.length === 0) return { ...inputs };
  const shown = structuredClone(inputs) as Record<string, unknown>;
  for (const id of inputIds) {
    const parts = id.split('.');
    let target: unknown = shown;
    for (const part of parts.slice(0, -1)) {
      if (target === null || typeof target !== 'object' || Array.isArray(target)) break;
      target = (target as Record<string, unknown>)[part];
    }
    const last = parts[parts.length - 1]!;
    if (target === null || typeof target !== 'object' || Array.isArray(target)) continue;
    const record = target as Record<string, unknown>;
    if (record[last] !== undefined && record[last] !== null) record[last] = SECRET_MASK;
  }
  return shown;
}
