import type { z } from 'zod';
import { ProblemCodes } from '../errors.js';
import { describeValue, formatPath } from './problems.js';
import type { PathSegment, PendingProblem } from './problems.js';
import { isRecord, propAtPath } from './schema/prop.js';
import type { Prop } from './schema/prop.js';
import { didYouMean } from './suggest.js';

/** Who owns the properties being checked, for messages. */
export interface Subject {
  /** Used in "unknown property `x` on <name>": a plugin type, `the flow`, `input \`year\``. */
  name: string;
  /** Used in "`p` of <owner> must be …": `task \`load\``; omitted for the flow itself. */
  owner?: string;
}

/**
 * Turns zod's issues into problems worded from our own property metadata, so every message
 * says what was expected and what was found, whatever zod's internal wording.
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
    const key = `${problem.path.join('\u0000')}|${problem.atKey === true}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(problem);
  };

  for (const issue of error.issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    const where = path.length > 0 ? `in \`${formatPath(path)}\` of ` : 'on ';

    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(shape, value, path);
      for (const key of issue.keys) {
        push({
          code: ProblemCodes.UNKNOWN_PROPERTY,
          severity: 'error',
          message: `unknown property \`${key}\` ${where}${subject.name}${didYouMean(key, known)}`,
          path: [...basePath, ...path, key],
          atKey: true,
        });
      }
      continue;
    }

    const prop = propAtPath(shape, value, path);
    const found = valueAt(value, path);

    if (prop?.info.kind === 'variant' && isRecord(found)) {
      const discriminator = prop.info.discriminator!;
      const tag = found[discriminator];
      const names = Object.keys(prop.info.variants ?? {});
      if (tag === undefined || tag === null) {
        push(missing([...basePath, ...path, discriminator], [...path, discriminator], subject));
      } else if (typeof tag !== 'string' || !names.includes(tag)) {
        const listed = names.map((n) => `\`${n}\``).join(', ');
        push({
          code: ProblemCodes.INVALID_VALUE,
          severity: 'error',
          message: `${label([...path, discriminator], subject)} must be one of ${listed}, got ${describeValue(tag)}${typeof tag === 'string' ? didYouMean(tag, names) : ''}`,
          path: [...basePath, ...path, discriminator],
        });
      }
      continue;
    }

    if (found === undefined || (found === null && prop?.info.required)) {
      push(missing([...basePath, ...path], path, subject));
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

    const expects = prop?.info.expects;
    const message = expects
      ? `${label(path, subject)} must be ${expects}, got ${describeValue(found)}${enumHint(prop, found)}`
      : `${label(path, subject)}: ${issue.message}`;
    push({
      code: isWrongShape(found, prop) ? ProblemCodes.WRONG_TYPE : ProblemCodes.INVALID_VALUE,
      severity: 'error',
      message,
      path: [...basePath, ...path],
    });
  }
  return out;
}

function missing(fullPath: PathSegment[], path: PathSegment[], subject: Subject): PendingProblem {
  const name = path[path.length - 1];
  const parent = path.slice(0, -1);
  const where = parent.length > 0 ? `in \`${formatPath(parent)}\` of ` : 'on ';
  return {
    code: ProblemCodes.REQUIRED,
    severity: 'error',
    message: `missing required property \`${String(name)}\` ${where}${subject.name}`,
    // Point at the map that lacks the property.
    path: fullPath.slice(0, -1),
  };
}

function label(path: readonly PathSegment[], subject: Subject): string {
  const name = path.length > 0 ? `\`${formatPath(path)}\`` : 'the value';
  return subject.owner ? `${name} of ${subject.owner}` : name;
}

function enumHint(prop: Prop | undefined, found: unknown): string {
  if (prop?.info.kind !== 'enum' || typeof found !== 'string') return '';
  return didYouMean(found, prop.info.values ?? []);
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
