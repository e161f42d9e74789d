import type { z } from 'zod';
import { ProblemCodes } from '../errors.js';
import { describeValue, formatPath } from './problems.js';
import type { PathSegment, PendingProblem } from './problems.js';
import { isRecord, propAtPath, SLOT_KINDS } from './schema/prop.js';
import type { Prop } from './schema/prop.js';
import { didYouMean } from './suggest.js';

/** Who owns the properties being checked, for messages. */
export interface Subject {
  /** Used in "unknown property `x` on <name>": a plugin type, or `the flow`. */
  name: string;
  /** Used in "`p` of <owner> must be …": `task \`load\``; omitted for the flow itself. */
  owner?: string;
  /**
   * Finds a more precise owner for a path (an input of the flow rather than the flow):
   * returns the owner's wording and the path relative to it.
   */
  ownerAt?: (path: readonly PathSegment[]) => { owner: string; relative: PathSegment[] } | undefined;
}

/**
 * Turns zod's issues into problems worded from our own property metadata, so every message
 * says what was expected and what was found, whatever zod's internal wording. Issues inside
 * nested tasks and plugins are left out: the validator walks into those itself.
 */
export function problemsFromZod(
  error: z.ZodError,
  shape: Readonly<Record<string, Prop>>,
  value: unknown,
  basePath: readonly PathSegment[],
  subject: Subject,
): PendingProblem[] {
  const out: PendingProblem[] = [];
  const seen = new Set<string>();
  const push = (problem: PendingProblem) => {
    // Missing properties share their parent's path; tell them apart by what they say.
    const key = `${problem.path.join('\u0000')}|${problem.atKey === true}|${problem.code === ProblemCodes.REQUIRED ? problem.message : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(problem);
  };

  for (const issue of error.issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (insideSlot(shape, value, path)) continue;
    const words = wording(path, subject);

    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(shape, value, path);
      for (const key of issue.keys) {
        push({
          code: ProblemCodes.UNKNOWN_PROPERTY,
          severity: 'error',
          message: `unknown property \`${key}\` ${words.where}${didYouMean(key, known)}`,
          path: [...basePath, ...path, key],
          atKey: true,
        });
      }
      continue;
    }

    // A variant's discriminator (`retry.type`, an input's `type`) that names no variant.
    const parent = path.length > 0 ? propAtPath(shape, value, path.slice(0, -1)) : undefined;
    const variantProp =
      parent?.info.kind === 'variant' && path[path.length - 1] === parent.info.discriminator
        ? { prop: parent, at: path.slice(0, -1) }
        : undefined;
    const self = propAtPath(shape, value, path);
    const variant = variantProp ?? (self?.info.kind === 'variant' ? { prop: self, at: path } : undefined);
    if (variant && isRecord(valueAt(value, variant.at))) {
      const discriminator = variant.prop.info.discriminator!;
      const tag = (valueAt(value, variant.at) as Record<string, unknown>)[discriminator];
      const names = Object.keys(variant.prop.info.variants ?? {});
      const tagPath = [...variant.at, discriminator];
      if (tag === undefined || tag === null) {
        push(missing(basePath, tagPath, subject));
        continue;
      }
      if (typeof tag !== 'string' || !names.includes(tag)) {
        const tagWords = wording(tagPath, subject);
        const listed = names.map((n) => `\`${n}\``).join(', ');
        push({
          code: ProblemCodes.INVALID_VALUE,
          severity: 'error',
          message: `${tagWords.label} must be one of ${listed}, got ${describeValue(tag)}${typeof tag === 'string' ? didYouMean(tag, names) : ''}`,
          path: [...basePath, ...tagPath],
        });
        continue;
      }
    }

    const found = valueAt(value, path);
    if (found === undefined || (found === null && self?.info.required)) {
      push(missing(basePath, path, subject));
      continue;
    }

    if (issue.code === 'custom' && issue.message && issue.message !== 'Invalid input') {
      push({
        code: ProblemCodes.INVALID_VALUE,
        severity: 'error',
        message: issue.message,
        path: [...basePath, ...path],
      });
      continue;
    }

    let message: string;
    if (issue.code === 'too_big' && issue.origin === 'string' && typeof found === 'string') {
      message = `${words.label} is ${found.length} characters long; at most ${String(issue.maximum)} are allowed`;
    } else if (self) {
      message = `${words.label} must be ${self.info.expects}, got ${describeValue(found)}${enumHint(self, found)}${unquotedExpressionHint(found)}`;
    } else {
      message = `${words.label}: ${issue.message}`;
    }
    push({
      code: isWrongShape(found, self) ? ProblemCodes.WRONG_TYPE : ProblemCodes.INVALID_VALUE,
      severity: 'error',
      message,
      path: [...basePath, ...path],
    });
  }
  return out;
}

/** How to name a property in a message: its label, and "on X" / "in `p` of X" for keys. */
function wording(path: readonly PathSegment[], subject: Subject): { label: string; where: string } {
  const precise = subject.ownerAt?.(path);
  const owner = precise?.owner ?? subject.owner;
  const relative = precise?.relative ?? path;
  const name = relative.length > 0 ? `\`${formatPath(relative)}\`` : 'the value';
  const label = owner ? `${name} of ${owner}` : name;
  const where =
    relative.length > 0
      ? `in \`${formatPath(relative)}\` of ${owner ?? subject.name}`
      : `on ${precise ? precise.owner : subject.name}`;
  return { label, where };
}

function missing(basePath: readonly PathSegment[], path: PathSegment[], subject: Subject): PendingProblem {
  const name = path[path.length - 1];
  const parent = path.slice(0, -1);
  return {
    code: ProblemCodes.REQUIRED,
    severity: 'error',
    message: `missing required property \`${String(name)}\` ${wording(parent, subject).where}`,
    // Point at the map that lacks the property.
    path: [...basePath, ...parent],
  };
}

/** Whether the path goes into a nested task or plugin, which the validator checks itself. */
function insideSlot(
  shape: Readonly<Record<string, Prop>>,
  value: unknown,
  path: readonly PathSegment[],
): boolean {
  for (let i = 1; i < path.length; i++) {
    const prop = propAtPath(shape, value, path.slice(0, i));
    if (prop && SLOT_KINDS.has(prop.info.kind)) return true;
  }
  return false;
}

function enumHint(prop: Prop, found: unknown): string {
  if (prop.info.kind !== 'enum' || typeof found !== 'string') return '';
  return didYouMean(found, prop.info.values ?? []);
}

/**
 * `message: {{ inputs.name }}` without quotes is a YAML map (with a map as its key), not a
 * string: the most common Kestra mistake. Say so.
 */
function unquotedExpressionHint(found: unknown): string {
  if (!isRecord(found)) return '';
  const keys = Object.keys(found);
  return keys.length === 1 && (keys[0]!.startsWith('{') || keys[0] === '[object Object]')
    ? ' (a value that starts with `{{` must be quoted)'
    : '';
}

function isWrongShape(found: unknown, prop: Prop | undefined): boolean {
  if (!prop) return false;
  const structured = [
    'list',
    'map',
    'object',
    'variant',
    'tasks',
    'taskMap',
    'dagTasks',
    'pluginList',
    'pluginMap',
    'plugin',
    'task',
  ];
  const wantsStructure = structured.includes(prop.info.kind);
  const isStructure = typeof found === 'object' && found !== null;
  return wantsStructure !== isStructure;
}

function knownKeys(
  shape: Readonly<Record<string, Prop>>,
  value: unknown,
  path: readonly PathSegment[],
): string[] {
  if (path.length === 0) return Object.keys(shape);
  const prop = propAtPath(shape, value, path);
  if (prop?.info.kind === 'object') return Object.keys(prop.info.shape ?? {});
  if (prop?.info.kind === 'variant') {
    const found = valueAt(value, path);
    const tag = isRecord(found) ? found[prop.info.discriminator!] : undefined;
    const variant = typeof tag === 'string' ? prop.info.variants?.[tag] : undefined;
    return Object.keys(variant ?? {});
  }
  return [];
}

/** The value at a path below `value`, or undefined. */
export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
