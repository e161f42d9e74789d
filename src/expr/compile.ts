import type { Args, Expr, Node } from './ast.js';
import { arrangeArguments } from './arguments.js';
import type { CallKind, Signature } from './arguments.js';
import { attributeNames, callMethod, getAttribute } from './attributes.js';
import { ExpressionError, ExpressionErrorCodes, Undefined } from './errors.js';
import type {
  CallContext,
  FilterDefinition,
  FunctionDefinition,
  Library,
  TestDefinition,
} from './library/types.js';
import { CallError } from './library/types.js';
import { arithmetic, comparison, contains, isIn, negate, OperatorError, range } from './operators.js';
import { callContext, Scope, SUSPEND, UNDEFINED } from './scope.js';
import { didYouMean } from './suggest.js';
import { equals, isMap, JavaDouble, plain, toText, truthy } from './values.js';

/** A compiled expression: evaluates against a scope; throws Undefined for a missing variable. */
export type Evaluate = (scope: Scope) => unknown;
type Emit = (scope: Scope) => string;

/** How nested renders are done (render(), renderOnce()): supplied by render.ts. */
export type NestedRender = (template: string, recursive: boolean, scope: Scope) => unknown;

interface Compiler {
  source: string;
  library: Library;
  nested: NestedRender;
}

/** A template compiled to closures, ready to render many times. */
export interface CompiledTemplate {
  readonly source: string;
  readonly nodes: readonly Node[];
  /** Set when the template is exactly one `{{ expr }}`: its value keeps its type. */
  readonly single: Evaluate | undefined;
  readonly emit: Emit;
}

/** Compiles parsed nodes; unknown filters, functions and tests, and wrong argument counts, fail here. */
export function compileNodes(
  source: string,
  nodes: Node[],
  library: Library,
  nested: NestedRender,
): CompiledTemplate {
  const c: Compiler = { source, library, nested };
  const emit = compileBody(nodes, c);
  const only = nodes.length === 1 && nodes[0]!.kind === 'print' ? nodes[0] : undefined;
  return { source, nodes, single: only?.kind === 'print' ? compileExpr(only.expr, c) : undefined, emit };
}

function fail(c: Compiler, code: ExpressionError['code'], message: string, at: number): never {
  throw new ExpressionError(code, message, at, c.source);
}

/** Rethrows control signals and template errors; wraps anything else with its position. */
function rethrow(c: Compiler, error: unknown, at: number, what: string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows control signals unchanged
  if (error === SUSPEND || error instanceof Undefined || error instanceof ExpressionError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  const shown = error instanceof CallError || error instanceof OperatorError ? message : `${message}`;
  throw new ExpressionError(
    ExpressionErrorCodes.EVALUATION,
    what ? `${what}: ${shown}` : shown,
    at,
    c.source,
  );
}

// ---- template nodes ----

function compileBody(nodes: readonly Node[], c: Compiler): Emit {
  const parts = nodes.map((n) => compileNode(n, c));
  if (parts.length === 0) return () => '';
  if (parts.length === 1) return parts[0]!;
  return (scope) => {
    let out = '';
    for (const part of parts) {
      out += part(scope);
      if (out.length > scope.state.maxOutputLength) tooLong(c, scope, nodes[0]?.at ?? 0);
    }
    return out;
  };
}

function tooLong(c: Compiler, scope: Scope, at: number): never {
  return fail(
    c,
    ExpressionErrorCodes.TOO_COMPLEX,
    `the rendered text is longer than ${scope.state.maxOutputLength} characters`,
    at,
  );
}

function compileNode(node: Node, c: Compiler): Emit {
  switch (node.kind) {
    case 'text': {
      const text = node.text;
      return () => text;
    }
    case 'print': {
      const value = compileExpr(node.expr, c);
      return (scope) => toText(value(scope));
    }
    case 'if': {
      const branches = node.branches.map((b) => ({
        cond: compileExpr(b.cond, c),
        body: compileBody(b.body, c),
      }));
      const otherwise = node.otherwise ? compileBody(node.otherwise, c) : undefined;
      return (scope) => {
        for (const branch of branches) if (truthy(branch.cond(scope))) return branch.body(scope);
        return otherwise ? otherwise(scope) : '';
      };
    }
    case 'for':
      return compileFor(node, c);
    case 'set': {
      const value = compileExpr(node.value, c);
      const name = node.name;
      return (scope) => {
        scope.set(name, value(scope));
        return '';
      };
    }
    case 'filterBlock': {
      const body = compileBody(node.body, c);
      const filters = node.filters.map((f) => {
        const def = lookupFilter(f.name, f.at, c);
        return { def, args: compileArgs(f.args, def, f.at, c), at: f.at, name: f.name };
      });
      return (scope) => {
        let value: unknown = body(scope);
        for (const f of filters) value = applyFilter(f.def, f.name, value, f.args(scope), scope, f.at, c);
        return toText(value);
      };
    }
  }
}

function compileFor(node: Extract<Node, { kind: 'for' }>, c: Compiler): Emit {
  const iterable = compileExpr(node.iterable, c);
  const body = compileBody(node.body, c);
  const otherwise = node.otherwise ? compileBody(node.otherwise, c) : undefined;
  const variable = node.variable;
  return (scope) => {
    const value = iterable(scope);
    const items = iterate(value, c, node.iterable.at);
    if (items.length === 0) return otherwise ? otherwise(scope) : '';
    let out = '';
    const length = items.length;
    for (let index = 0; index < length; index++) {
      const inner = new Scope(scope.root, scope.state, scope);
      inner.set(variable, items[index]);
      inner.set('loop', {
        index,
        revindex: length - index - 1,
        first: index === 0,
        last: index === length - 1,
        length,
      });
      out += body(inner);
      if (out.length > scope.state.maxOutputLength) tooLong(c, scope, node.at);
    }
    return out;
  };
}

/** What `for` iterates: a list's items, a map's `{key, value}` entries, a string's characters? No: Pebble refuses strings. */
function iterate(value: unknown, c: Compiler, at: number): unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (isMap(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  return fail(
    c,
    ExpressionErrorCodes.EVALUATION,
    `\`for\` needs a list or a map, got ${toText(value) === '' ? 'nothing' : `\`${toText(value)}\``}`,
    at,
  );
}

// ---- expressions ----

export function compileExpr(e: Expr, c: Compiler): Evaluate {
  switch (e.kind) {
    case 'literal': {
      const value =
        e.double && typeof e.value === 'number' && Number.isInteger(e.value)
          ? new JavaDouble(e.value)
          : e.value;
      return () => value;
    }
    case 'var':
      return compileVar(e, c);
    case 'attr':
      return compileAttr(e, c);
    case 'call':
      return compileCall(e, c);
    case 'filter':
      return compileFilter(e, c);
    case 'test':
      return compileTest(e, c);
    case 'unary': {
      const operand = compileExpr(e.operand, c);
      if (e.op === 'not') return (scope) => !truthy(operand(scope));
      if (e.op === '-') {
        return (scope) => {
          try {
            return negate(operand(scope));
          } catch (error) {
            return rethrow(c, error, e.at, '');
          }
        };
      }
      return operand;
    }
    case 'binary':
      return compileBinary(e, c);
    case 'ternary': {
      const cond = compileExpr(e.cond, c);
      const then = compileExpr(e.then, c);
      const otherwise = compileExpr(e.else, c);
      return (scope) => (truthy(cond(scope)) ? then(scope) : otherwise(scope));
    }
    case 'array': {
      const items = e.items.map((i) => compileExpr(i, c));
      return (scope) => items.map((i) => i(scope));
    }
    case 'map': {
      const entries = e.entries.map(([k, v]) => [compileExpr(k, c), compileExpr(v, c)] as const);
      return (scope) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) out[toText(k(scope))] = v(scope);
        return out;
      };
    }
    case 'concat': {
      const parts = e.parts.map((p) => compileExpr(p, c));
      return (scope) => parts.map((p) => toText(p(scope))).join('');
    }
  }
}

/** The dotted path an expression reads, for messages: `inputs.taxi`, `outputs.x['a.csv']`. */
export function pathOf(e: Expr): string {
  if (e.kind === 'var') return e.name;
  if (e.kind === 'attr') {
    const base = pathOf(e.object);
    if (e.dotted && e.name.kind === 'literal') return `${base}.${String(e.name.value)}`;
    if (e.name.kind === 'literal')
      return `${base}[${typeof e.name.value === 'string' ? `'${e.name.value}'` : String(e.name.value)}]`;
    return `${base}[…]`;
  }
  return 'the value';
}

function compileVar(e: Extract<Expr, { kind: 'var' }>, c: Compiler): Evaluate {
  const name = e.name;
  // Course-notes sugar: a bare `now` (no parentheses) is the function now().
  const sugar = name === 'now' ? c.library.functions.get('now') : undefined;
  return (scope) => {
    const value = scope.lookup(name);
    if (value !== UNDEFINED) return value;
    if (sugar) return callFunction(sugar, 'now', [], scope, e.at, c);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a cheap control signal (no stack): `??` catches it
    throw new Undefined(name, e.at, `\`${name}\` is not defined`);
  };
}

function compileAttr(e: Extract<Expr, { kind: 'attr' }>, c: Compiler): Evaluate {
  const object = compileExpr(e.object, c);
  const key = compileExpr(e.name, c);
  const path = pathOf(e);
  const at = e.at;
  // Course-notes sugar: `kv.name` reads the KV store, as kv('name').
  const kv =
    e.object.kind === 'var' && e.object.name === 'kv' && e.dotted && !e.args
      ? c.library.functions.get('kv')
      : undefined;
  if (e.args) {
    const args = e.args.map((a) => compileExpr(a, c));
    const method = String((e.name as { value?: unknown }).value);
    return (scope) => {
      const self = object(scope);
      try {
        return callMethod(
          self,
          method,
          args.map((a) => plain(a(scope))),
        );
      } catch (error) {
        return rethrow(c, error, at, `\`${path}()\``);
      }
    };
  }
  return (scope) => {
    if (kv && scope.lookup('kv') === UNDEFINED) return callFunction(kv, 'kv', [key(scope)], scope, at, c);
    const self = object(scope);
    const value = getAttribute(self, key(scope));
    if (value !== UNDEFINED) return value;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a cheap control signal (no stack): `??` catches it
    throw new Undefined(path, at, missingReason(self, key(scope), e, path));
  };
}

function missingReason(
  self: unknown,
  key: unknown,
  e: Extract<Expr, { kind: 'attr' }>,
  path: string,
): string {
  const base = pathOf(e.object);
  if (self === null || self === undefined) return `\`${base}\` is null, so it has no \`${toText(key)}\``;
  if (Array.isArray(self))
    return `\`${base}\` is a list of ${self.length} item${self.length === 1 ? '' : 's'}; there is no item \`${toText(key)}\``;
  const names = attributeNames(self);
  if (names.length === 0) return `\`${path}\` does not exist`;
  const hint = didYouMean(toText(key), names);
  const listed = names.length <= 8 ? ` (it has ${names.map((n) => `\`${n}\``).join(', ')})` : '';
  return `\`${base}\` has no \`${toText(key)}\`${hint || listed}`;
}

function compileBinary(e: Extract<Expr, { kind: 'binary' }>, c: Compiler): Evaluate {
  const left = compileExpr(e.left, c);
  const right = compileExpr(e.right, c);
  const at = e.at;
  const op = e.op;
  switch (op) {
    case 'and':
      return (scope) => truthy(left(scope)) && truthy(right(scope));
    case 'or':
      return (scope) => truthy(left(scope)) || truthy(right(scope));
    case '==':
      return (scope) => equals(left(scope), right(scope));
    case '!=':
      return (scope) => !equals(left(scope), right(scope));
    case '??':
      return (scope) => {
        const value = guarded(left, scope);
        return value === UNDEFINED || value === null ? right(scope) : value;
      };
    case '???':
      return (scope) => {
        const value = guarded(left, scope);
        return value === UNDEFINED ? right(scope) : value;
      };
    case '~':
      return (scope) => toText(left(scope)) + toText(right(scope));
    default:
      break;
  }
  const apply = binaryOperation(op);
  return (scope) => {
    const a = left(scope);
    const b = right(scope);
    try {
      return apply(a, b);
    } catch (error) {
      return rethrow(c, error, at, '');
    }
  };
}

function binaryOperation(op: string): (a: unknown, b: unknown) => unknown {
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return (a, b) => arithmetic(op, a, b);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (a, b) => comparison(op, a, b);
    case 'contains':
      return contains;
    case 'in':
      return isIn;
    case 'not in':
      return (a, b) => !isIn(a, b);
    case '..':
      return range;
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** Evaluates, turning a missing variable into UNDEFINED (for `??`, `default`, `is defined`). */
function guarded(evaluate: Evaluate, scope: Scope): unknown {
  try {
    return evaluate(scope);
  } catch (error) {
    if (error instanceof Undefined) return UNDEFINED;
    throw error;
  }
}

// ---- filters, functions, tests ----

function lookupFilter(name: string, at: number, c: Compiler): FilterDefinition {
  const def = c.library.filters.get(name);
  if (!def)
    fail(
      c,
      ExpressionErrorCodes.UNKNOWN_FILTER,
      `unknown filter \`${name}\`${didYouMean(name, c.library.filters.keys())}`,
      at,
    );
  return def;
}

/** Compiles arguments into parameter order; wrong arguments fail at compile time. */
function compileArgs(
  args: Args,
  def: Signature,
  at: number,
  c: Compiler,
  kind: CallKind = 'filter',
): (scope: Scope) => unknown[] {
  const arranged = arrangeArguments(args, def, kind, at);
  if ('error' in arranged) return fail(c, ExpressionErrorCodes.ARGUMENTS, arranged.error, arranged.at);
  const slots = arranged.slots.map((slot) => (slot ? compileExpr(slot, c) : undefined));
  if (slots.length === 0) return () => [];
  return (scope) => slots.map((slot) => (slot ? plain(slot(scope)) : undefined));
}

function applyFilter(
  def: FilterDefinition,
  name: string,
  input: unknown,
  args: unknown[],
  scope: Scope,
  at: number,
  c: Compiler,
): unknown {
  try {
    return def.apply(input === UNDEFINED ? undefined : plain(input), args, context(scope, c));
  } catch (error) {
    return rethrow(c, error, at, `filter \`${name}\``);
  }
}

function context(scope: Scope, c: Compiler): CallContext {
  return (scope.context ??= callContext(scope, c.nested));
}

function compileFilter(e: Extract<Expr, { kind: 'filter' }>, c: Compiler): Evaluate {
  const name = e.name;
  const def = lookupFilter(name, e.at, c);
  const input = compileExpr(e.input, c);
  const args = compileArgs(e.args, def, e.at, c);
  const at = e.at;
  if (def.acceptsUndefined) {
    return (scope) => applyFilter(def, name, guarded(input, scope), args(scope), scope, at, c);
  }
  return (scope) => applyFilter(def, name, input(scope), args(scope), scope, at, c);
}

function callFunction(
  def: FunctionDefinition,
  name: string,
  args: unknown[],
  scope: Scope,
  at: number,
  c: Compiler,
): unknown {
  try {
    return def.apply(args, context(scope, c));
  } catch (error) {
    return rethrow(c, error, at, `\`${name}()\``);
  }
}

function compileCall(e: Extract<Expr, { kind: 'call' }>, c: Compiler): Evaluate {
  const def = c.library.functions.get(e.name);
  if (!def)
    fail(
      c,
      ExpressionErrorCodes.UNKNOWN_FUNCTION,
      `unknown function \`${e.name}()\`${didYouMean(e.name, c.library.functions.keys())}`,
      e.at,
    );
  const args = compileArgs(e.args, def, e.at, c, 'function');
  const at = e.at;
  const name = e.name;
  return (scope) => callFunction(def, name, args(scope), scope, at, c);
}

function compileTest(e: Extract<Expr, { kind: 'test' }>, c: Compiler): Evaluate {
  const def: TestDefinition | undefined = c.library.tests.get(e.name);
  if (!def)
    fail(
      c,
      ExpressionErrorCodes.UNKNOWN_TEST,
      `unknown test \`${e.name}\`${didYouMean(e.name, c.library.tests.keys())}`,
      e.at,
    );
  const input = compileExpr(e.input, c);
  const args = compileArgs(e.args, def, e.at, c, 'test');
  const negated = e.negated;
  const at = e.at;
  return (scope) => {
    const value = def.acceptsUndefined ? guarded(input, scope) : input(scope);
    let result: boolean;
    try {
      result = def.apply(value === UNDEFINED ? undefined : plain(value), args(scope), context(scope, c));
    } catch (error) {
      return rethrow(c, error, at, `test \`${e.name}\``);
    }
    return negated ? !result : result;
  };
}
