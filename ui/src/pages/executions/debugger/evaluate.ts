/**
 * Renders an expression in the browser with Windhover's own expression engine (src/expr, the
 * one the worker uses), so the debugger answers on each keystroke without a server round trip.
 */
import { ExpressionError, templates, toText } from '../../../../../src/expr/index';
import { toJson } from '../../../../../src/expr/values';
import type { HostFunction } from '../../../../../src/expr/index';

/** What a try gave: the value (and its text as shown), or the error with its position. */
export type Evaluation =
  | { ok: true; value: unknown; text: string }
  | { ok: false; code: string; message: string; line?: number; column?: number; offset?: number };

/**
 * Functions backed by the server (kv, secret, read, fileSize…): each says it is not available
 * here rather than answering something the task did not see.
 */
const SERVER_ONLY: Readonly<Record<string, HostFunction>> = new Proxy(
  {},
  {
    get: (_target, name) => () => {
      throw new Error(`\`${String(name)}()\` needs the server: it is not available in the debugger`);
    },
  },
);

/** How a value reads: maps and lists as indented JSON (the engine's JSON), the rest as the engine prints it. */
export function showValue(value: unknown): string {
  if (value === undefined) return '';
  const isCollection =
    Array.isArray(value) || (value !== null && Object.getPrototypeOf(value) === Object.prototype);
  return isCollection ? JSON.stringify(JSON.parse(toJson(value, true)), null, 2) : toText(value);
}

/** Renders `expression` against `variables`; never throws. */
export function evaluate(expression: string, variables: Readonly<Record<string, unknown>>): Evaluation {
  try {
    const value = templates.renderTyped(expression, variables, {
      host: SERVER_ONLY,
      maxOutputLength: 1_000_000,
    });
    return { ok: true, value, text: showValue(value) };
  } catch (error) {
    if (error instanceof ExpressionError)
      return {
        ok: false,
        code: error.code,
        message: error.message,
        line: error.line,
        column: error.column,
        offset: error.offset,
      };
    return {
      ok: false,
      code: 'WH_EXPR_EVALUATION',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
