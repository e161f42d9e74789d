import { arrangeArguments } from './arguments.js';
import type { Expr, Node } from './ast.js';
import { walkExpressions } from './ast.js';
import { ExpressionError, ExpressionErrorCodes } from './errors.js';
import type { ExpressionErrorCode } from './errors.js';
import type { Library } from './library/types.js';
import { parseTemplate } from './parser.js';
import { didYouMean } from './suggest.js';

/** A problem found in a template without rendering it. */
export interface TemplateFinding {
  code: ExpressionErrorCode;
  message: string;
  /** Offset in the template. */
  at: number;
}

/** A variable a template reads: its root name and the attribute names after it. */
export interface VariableReference {
  root: string;
  /** Attribute names after the root; `undefined` where the key is computed (`outputs[x]`). */
  path: Array<string | undefined>;
  /** Offset of the root name in the template. */
  at: number;
  /** Read under `??`, `???`, `| default` or `is defined` (here or elsewhere in the template). */
  guarded: boolean;
}

export interface TemplateAnalysis {
  /** Syntax errors, unknown filters, functions and tests, wrong arguments. */
  errors: TemplateFinding[];
  references: VariableReference[];
}

/**
 * Parses a template and checks it against a library without rendering it: what `flow validate`
 * does for every expression of a flow. Reports every finding, not just the first.
 */
export function analyzeTemplate(template: string, library: Library): TemplateAnalysis {
  let nodes: Node[];
  try {
    nodes = parseLenient(template);
  } catch (error) {
    if (error instanceof ExpressionError)
      return { errors: [{ code: error.code, message: error.message, at: error.offset }], references: [] };
    throw error;
  }
  const errors: TemplateFinding[] = [];
  walkExpressions(nodes, (expr) => checkCall(expr, library, errors));
  for (const block of filterBlocks(nodes)) {
    for (const f of block.filters) {
      const def = library.filters.get(f.name);
      if (!def) errors.push(unknown('filter', f.name, f.at, library.filters.keys()));
    }
  }
  return { errors, references: collectReferences(nodes, library) };
}

/** Parses as the engine does, including its `{{{ x }}}` fallback for the course notes. */
function parseLenient(template: string): Node[] {
  try {
    return parseTemplate(template);
  } catch (error) {
    if (
      !(error instanceof ExpressionError) ||
      error.code !== ExpressionErrorCodes.SYNTAX ||
      !template.includes('{{{')
    )
      throw error;
    try {
      return parseTemplate(template, { lenientBraces: true });
    } catch {
      throw error;
    }
  }
}

function unknown(
  kind: 'filter' | 'function' | 'test',
  name: string,
  at: number,
  names: Iterable<string>,
): TemplateFinding {
  const codes = {
    filter: ExpressionErrorCodes.UNKNOWN_FILTER,
    function: ExpressionErrorCodes.UNKNOWN_FUNCTION,
    test: ExpressionErrorCodes.UNKNOWN_TEST,
  } as const;
  const label = kind === 'function' ? `\`${name}()\`` : `\`${name}\``;
  return { code: codes[kind], message: `unknown ${kind} ${label}${didYouMean(name, names)}`, at };
}

function checkCall(expr: Expr, library: Library, errors: TemplateFinding[]): void {
  let kind: 'filter' | 'function' | 'test';
  let defs: ReadonlyMap<
    string,
    { name: string; params: readonly string[]; required?: number; variadic?: boolean }
  >;
  if (expr.kind === 'filter') {
    kind = 'filter';
    defs = library.filters;
  } else if (expr.kind === 'call') {
    kind = 'function';
    defs = library.functions;
  } else if (expr.kind === 'test') {
    kind = 'test';
    defs = library.tests;
  } else {
    return;
  }
  const def = defs.get(expr.name);
  if (!def) {
    errors.push(unknown(kind, expr.name, expr.at, defs.keys()));
    return;
  }
  const arranged = arrangeArguments(expr.args, def, kind, expr.at);
  if ('error' in arranged)
    errors.push({ code: ExpressionErrorCodes.ARGUMENTS, message: arranged.error, at: arranged.at });
}

function filterBlocks(nodes: readonly Node[]): Array<Extract<Node, { kind: 'filterBlock' }>> {
  const out: Array<Extract<Node, { kind: 'filterBlock' }>> = [];
  const visit = (list: readonly Node[]) => {
    for (const n of list) {
      if (n.kind === 'filterBlock') {
        out.push(n);
        visit(n.body);
      } else if (n.kind === 'if') {
        n.branches.forEach((b) => visit(b.body));
        if (n.otherwise) visit(n.otherwise);
      } else if (n.kind === 'for') {
        visit(n.body);
        if (n.otherwise) visit(n.otherwise);
      }
    }
  };
  visit(nodes);
  return out;
}

/** Variables the template reads, other than its own `set` and `for` variables and `loop`. */
function collectReferences(nodes: readonly Node[], library: Library): VariableReference[] {
  const locals = new Set<string>(['loop']);
  const visitNodes = (list: readonly Node[]) => {
    for (const n of list) {
      if (n.kind === 'set') locals.add(n.name);
      if (n.kind === 'for') {
        locals.add(n.variable);
        visitNodes(n.body);
        if (n.otherwise) visitNodes(n.otherwise);
      }
      if (n.kind === 'if') {
        n.branches.forEach((b) => visitNodes(b.body));
        if (n.otherwise) visitNodes(n.otherwise);
      }
      if (n.kind === 'filterBlock') visitNodes(n.body);
    }
  };
  visitNodes(nodes);

  const found: VariableReference[] = [];
  const guardedPaths = new Set<string>();
  const visit = (expr: Expr, guarded: boolean): void => {
    const chain = chainOf(expr);
    if (chain) {
      if (!locals.has(chain.root)) found.push({ ...chain, guarded });
      if (guarded) guardedPaths.add(key(chain.root, chain.path));
      // Computed keys and method arguments are expressions of their own.
      for (let e: Expr = expr; e.kind === 'attr'; e = e.object) {
        if (e.name.kind !== 'literal') visit(e.name, false);
        e.args?.forEach((a) => visit(a, false));
      }
      return;
    }
    switch (expr.kind) {
      case 'binary':
        visit(expr.left, guarded || expr.op === '??' || expr.op === '???');
        visit(expr.right, guarded);
        return;
      case 'filter': {
        const accepts = library.filters.get(expr.name)?.acceptsUndefined === true;
        visit(expr.input, guarded || accepts);
        expr.args.positional.forEach((a) => visit(a, guarded));
        expr.args.named.forEach((a) => visit(a.value, guarded));
        return;
      }
      case 'test': {
        const accepts = library.tests.get(expr.name)?.acceptsUndefined === true;
        visit(expr.input, guarded || accepts);
        expr.args.positional.forEach((a) => visit(a, guarded));
        return;
      }
      case 'call':
        expr.args.positional.forEach((a) => visit(a, guarded));
        expr.args.named.forEach((a) => visit(a.value, guarded));
        return;
      case 'unary':
        visit(expr.operand, guarded);
        return;
      case 'ternary':
        visit(expr.cond, guarded);
        visit(expr.then, guarded);
        visit(expr.else, guarded);
        return;
      case 'array':
        expr.items.forEach((i) => visit(i, guarded));
        return;
      case 'map':
        expr.entries.forEach(([k, v]) => {
          visit(k, guarded);
          visit(v, guarded);
        });
        return;
      case 'concat':
        expr.parts.forEach((p) => visit(p, guarded));
        return;
      case 'attr':
        visit(expr.object, guarded);
        visit(expr.name, false);
        expr.args?.forEach((a) => visit(a, false));
        return;
      default:
        return;
    }
  };
  const visitTemplate = (list: readonly Node[]) => {
    for (const n of list) {
      switch (n.kind) {
        case 'print':
          visit(n.expr, false);
          break;
        case 'if':
          n.branches.forEach((b) => {
            visit(b.cond, false);
            visitTemplate(b.body);
          });
          if (n.otherwise) visitTemplate(n.otherwise);
          break;
        case 'for':
          visit(n.iterable, false);
          visitTemplate(n.body);
          if (n.otherwise) visitTemplate(n.otherwise);
          break;
        case 'set':
          visit(n.value, false);
          break;
        case 'filterBlock':
          n.filters.forEach((f) => f.args.positional.forEach((a) => visit(a, false)));
          visitTemplate(n.body);
          break;
        default:
          break;
      }
    }
  };
  visitTemplate(nodes);
  // A path tested with `is defined` or read under `??` somewhere is taken as guarded everywhere:
  // `{% if trigger.date is defined %}{{ trigger.date }}{% endif %}` is deliberate.
  return found.map((r) => (r.guarded || isGuardedBy(r, guardedPaths) ? { ...r, guarded: true } : r));
}

function isGuardedBy(ref: VariableReference, guarded: ReadonlySet<string>): boolean {
  for (let n = ref.path.length; n >= 0; n--)
    if (guarded.has(key(ref.root, ref.path.slice(0, n)))) return true;
  return false;
}

function key(root: string, path: ReadonlyArray<string | undefined>): string {
  return [root, ...path.map((p) => p ?? '*')].join('\u0000');
}

/** `a.b['c'].d` as root `a` and path `b, c, d`; undefined for anything else. */
function chainOf(expr: Expr): { root: string; path: Array<string | undefined>; at: number } | undefined {
  if (expr.kind === 'var') return { root: expr.name, path: [], at: expr.at };
  if (expr.kind !== 'attr' || expr.args) return undefined;
  const base = chainOf(expr.object);
  if (!base) return undefined;
  const name = expr.name.kind === 'literal' ? String(expr.name.value) : undefined;
  return { ...base, path: [...base.path, name] };
}
