import { EXPRESSION_PATTERN } from './prop.js';

/**
 * Helpers for checks on values that may hold expressions: a check can only judge the literal
 * parts; what an expression renders to is known at run time.
 */

/** Whether a value is a string with no expression in it. */
export function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && !EXPRESSION_PATTERN.test(value);
}

/**
 * The literal text a value starts with, before its first expression: all of it for a literal
 * string, `''` for one that starts with `{{`/`{%`, undefined for a non-string.
 */
export function literalHead(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = EXPRESSION_PATTERN.exec(value);
  return match ? value.slice(0, match.index) : value;
}

/**
 * Whether a string (literal, or expression with a literal start) begins with `prefix`: `yes`,
 * `no`, or `unknown` when an expression decides. Non-strings are `unknown`. Case-sensitive.
 */
export function startsWithPrefix(value: unknown, prefix: string): 'yes' | 'no' | 'unknown' {
  const head = literalHead(value);
  if (head === undefined) return 'unknown';
  if (head.startsWith(prefix)) return 'yes';
  if (isLiteral(value) || head.length >= prefix.length) return 'no';
  return prefix.startsWith(head) ? 'unknown' : 'no';
}
