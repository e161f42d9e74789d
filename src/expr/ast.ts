/** The syntax tree of templates and expressions. Every node knows its offset in the template. */

export type Expr =
  | { kind: 'literal'; value: unknown; double?: boolean; at: number }
  | { kind: 'var'; name: string; at: number }
  | { kind: 'attr'; object: Expr; name: Expr; dotted: boolean; args?: Expr[]; at: number }
  | { kind: 'call'; name: string; args: Args; at: number }
  | { kind: 'filter'; input: Expr; name: string; args: Args; at: number }
  | { kind: 'test'; input: Expr; name: string; args: Args; negated: boolean; at: number }
  | { kind: 'unary'; op: string; operand: Expr; at: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; at: number }
  | { kind: 'ternary'; cond: Expr; then: Expr; else: Expr; at: number }
  | { kind: 'array'; items: Expr[]; at: number }
  | { kind: 'map'; entries: Array<[Expr, Expr]>; at: number }
  | { kind: 'concat'; parts: Expr[]; at: number };

export interface Args {
  positional: Expr[];
  named: Array<{ name: string; value: Expr; at: number }>;
}

export type Node =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'print'; expr: Expr; at: number; end: number }
  | { kind: 'if'; branches: Array<{ cond: Expr; body: Node[] }>; otherwise: Node[] | null; at: number }
  | { kind: 'for'; variable: string; iterable: Expr; body: Node[]; otherwise: Node[] | null; at: number }
  | { kind: 'set'; name: string; value: Expr; at: number }
  | {
      kind: 'filterBlock';
      filters: Array<{ name: string; args: Args; at: number }>;
      body: Node[];
      at: number;
    };

/** Calls each expression node of a template, depth first (used by static checks). */
export function walkExpressions(nodes: readonly Node[], visit: (expr: Expr) => void): void {
  const expr = (e: Expr): void => {
    visit(e);
    switch (e.kind) {
      case 'attr':
        expr(e.object);
        expr(e.name);
        e.args?.forEach(expr);
        break;
      case 'call':
        args(e.args);
        break;
      case 'filter':
      case 'test':
        expr(e.input);
        args(e.args);
        break;
      case 'unary':
        expr(e.operand);
        break;
      case 'binary':
        expr(e.left);
        expr(e.right);
        break;
      case 'ternary':
        expr(e.cond);
        expr(e.then);
        expr(e.else);
        break;
      case 'array':
        e.items.forEach(expr);
        break;
      case 'map':
        e.entries.forEach(([k, v]) => {
          expr(k);
          expr(v);
        });
        break;
      case 'concat':
        e.parts.forEach(expr);
        break;
      default:
        break;
    }
  };
  const args = (a: Args) => {
    a.positional.forEach(expr);
    a.named.forEach((n) => expr(n.value));
  };
  const node = (n: Node): void => {
    switch (n.kind) {
      case 'print':
        expr(n.expr);
        break;
      case 'if':
        n.branches.forEach((b) => {
          expr(b.cond);
          b.body.forEach(node);
        });
        n.otherwise?.forEach(node);
        break;
      case 'for':
        expr(n.iterable);
        n.body.forEach(node);
        n.otherwise?.forEach(node);
        break;
      case 'set':
        expr(n.value);
        break;
      case 'filterBlock':
        n.filters.forEach((f) => args(f.args));
        n.body.forEach(node);
        break;
      default:
        break;
    }
  };
  nodes.forEach(node);
}
