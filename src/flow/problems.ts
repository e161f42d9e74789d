import type { ProblemCode } from '../errors.js';

/** A step in a path through a flow document: a map key or a list index. */
export type PathSegment = string | number;

export type Severity = 'error' | 'warning';

/** One finding about a flow: where it is, what is wrong, and a stable code. */
export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  /** Path of the offending node inside its YAML document, e.g. `['tasks', 2, 'sql']`. */
  path: PathSegment[];
  file?: string;
  /** 1-based line and column of the offending node (or of its key, for unknown properties). */
  line: number;
  column: number;
}

/** Where a problem should point, before positions are resolved against the YAML source. */
export interface PendingProblem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  path: PathSegment[];
  /** Point at the key of the last path segment rather than at its value. */
  atKey?: boolean;
  /** Another place the message refers to ("first declared at line N"). */
  related?: PathSegment[];
  /** For a problem inside a string value (an expression): the offset of the character in it. */
  valueOffset?: number;
}

/** Formats a path as `tasks[2].sql`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/** Describes a value briefly for messages: "a list", "a map", "`abc`", "nothing". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  switch (typeof value) {
    case 'object':
      return Array.isArray(value) ? 'a list' : 'a map';
    case 'string': {
      // Quote strings that would read as another type: `withSeconds: "true"` is a string.
      if (/^(true|false|null|[-+]?\d+(\.\d+)?)$/i.test(value)) return `the string \`"${value}"\``;
      const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return `\`${short.replace(/\n/g, '\\n')}\``;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return `\`${String(value)}\``;
    default:
      return `a ${typeof value}`;
  }
}

/** Formats a problem as `file:line:col  message` (warnings say so). */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file ?? '<input>'}:${problem.line}:${problem.column}`;
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  return `${where}  ${prefix}${problem.message}`;
}
