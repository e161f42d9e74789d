/** Namespaces derived from the flows: each one and its parents, with flow counts. */
import type { FlowSummary } from '../../api/namespaces';

export interface NamespaceRow {
  namespace: string;
  /** Dots in the name: the indent of the tree. */
  depth: number;
  /** Flows in this namespace itself. */
  own: number;
  /** Flows here and in its children. */
  total: number;
}

/** Every namespace of the flows and its parents, sorted so children follow their parent. */
export function namespaceRows(flows: readonly FlowSummary[]): NamespaceRow[] {
  const rows = new Map<string, NamespaceRow>();
  for (const flow of flows) {
    const parts = flow.namespace.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const namespace = parts.slice(0, i).join('.');
      const row = rows.get(namespace) ?? { namespace, depth: i - 1, own: 0, total: 0 };
      row.total++;
      if (i === parts.length) row.own++;
      rows.set(namespace, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
}

const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

/** Why a namespace name is not valid, or undefined when it is. */
export function namespaceProblem(name: string): string | undefined {
  if (!name) return 'Type a namespace, such as company.team.';
  if (!NAMESPACE.test(name))
    return `"${name}" is not a namespace: lower-case letters, digits, ".", "_" and "-" only.`;
  return undefined;
}
