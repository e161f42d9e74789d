/**
 * How tall a parsed template's expression trees are: compiling and evaluating recurse, so a tree
 * taller than MAX_HEIGHT is refused at parse time. Measured without recursion.
 */
import type { Expr, Node } from './ast.js';

/** Height of expression trees beyond which compiling and evaluating could exhaust the stack. */
export const MAX_HEIGHT = 1000;

/** The first expression node deeper than `limit` in its tree, found without recursion. */
export function tallerThan(nodes: readonly Node[], limit: number): Expr | undefined {
  const stack: Array<[Expr, number]> = [];
  walkExpressionRoots(nodes, (root) => stack.push([root, 1]));
  while (stack.length > 0) {
    const [expr, height] = stack.pop()!;
    if (height > limit) return expr;
    for (const child of childrenOf(expr)) stack.push([child, height + 1]);
  }
  return undefined;
}

function walkExpressionRoots(nodes: readonly Node[], visit: (e: Expr) => void): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'print':
        visit(n.expr);
        break;
      case 'set':
        visit(n.value);
        break;
      case 'if':
        n.branches.forEach((b) => {
          visit(b.cond);
          walkExpressionRoots(b.body, visit);
        });
        if (n.otherwise) walkExpressionRoots(n.otherwise, visit);
        break;
      case 'for':
        visit(n.iterable);
        walkExpressionRoots(n.body, visit);
        if (n.otherwise) walkExpressionRoots(n.otherwise, visit);
        break;
      case 'filterBlock':
        walkExpressionRoots(n.body, visit);
        break;
      default:
        break;
    }
  }
}

function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'attr':
      return [e.object, e.name, ...(e.args ?? [])];
    case 'call':
      return [...e.args.positional, ...e.args.named.map((n) => n.value)];
    case 'filter':
    case 'test':
      return [e.input, ...e.args.positional, ...e.args.named.map((n) => n.value)];
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'ternary':
      return [e.cond, e.then, e.else];
    case 'array':
      return e.items;
    case 'map':
      return e.entries.flat();
    case 'concat':
      return e.parts;
    default:
      return [];
  }
}
