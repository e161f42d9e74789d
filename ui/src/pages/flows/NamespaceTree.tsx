/** The namespaces of the flows as a tree (a.b.c nests under a.b); a click filters the list. */
import { useMemo } from 'react';

interface TreeNode {
  name: string;
  path: string;
  count: number;
  children: TreeNode[];
}

function buildTree(namespaces: string[]): TreeNode[] {
  const root: TreeNode = { name: '', path: '', count: 0, children: [] };
  for (const namespace of namespaces) {
    let node = root;
    const parts = namespace.split('.');
    parts.forEach((part, index) => {
      const path = parts.slice(0, index + 1).join('.');
      let child = node.children.find((c) => c.path === path);
      if (!child) {
        child = { name: part, path, count: 0, children: [] };
        node.children.push(child);
      }
      child.count += 1;
      node = child;
    });
  }
  const sort = (nodes: TreeNode[]) => {
    nodes.sort((a, b) => a.name.localeCompare(b.name));
    nodes.forEach((n) => sort(n.children));
  };
  sort(root.children);
  return root.children;
}

function Branch({
  nodes,
  selected,
  onSelect,
  depth,
}: {
  nodes: TreeNode[];
  selected: string | undefined;
  onSelect: (namespace: string | undefined) => void;
  depth: number;
}) {
  return (
    <ul className="ns-tree-list">
      {nodes.map((node) => (
        <li key={node.path}>
          <button
            type="button"
            className={`ns-tree-item${selected === node.path ? ' active' : ''}`}
            style={{ paddingLeft: 8 + depth * 14 }}
            onClick={() => onSelect(selected === node.path ? undefined : node.path)}
            title={node.path}
            data-namespace={node.path}
          >
            <span className="ns-tree-name">{node.name}</span>
            <span className="ns-tree-count">{node.count}</span>
          </button>
          {node.children.length > 0 && (
            <Branch nodes={node.children} selected={selected} onSelect={onSelect} depth={depth + 1} />
          )}
        </li>
      ))}
    </ul>
  );
}

/** A tree of namespaces (one entry per flow given) with flow counts; `selected` is highlighted. */
export function NamespaceTree({
  namespaces,
  selected,
  onSelect,
}: {
  namespaces: string[];
  selected: string | undefined;
  onSelect: (namespace: string | undefined) => void;
}) {
  const tree = useMemo(() => buildTree(namespaces), [namespaces]);
  return (
    <nav className="ns-tree card" aria-label="Namespaces" data-testid="namespace-tree">
      <button
        type="button"
        className={`ns-tree-item ns-tree-all${selected === undefined ? ' active' : ''}`}
        onClick={() => onSelect(undefined)}
      >
        <span className="ns-tree-name">All namespaces</span>
        <span className="ns-tree-count">{namespaces.length}</span>
      </button>
      <Branch nodes={tree} selected={selected} onSelect={onSelect} depth={0} />
    </nav>
  );
}
