/**
 * The tree of a namespace's files: each directory is listed when it is opened (one request per
 * directory), folders first. Folders made in the UI that hold no file yet are shown too.
 */
import { useQuery } from '@tanstack/react-query';
import { listDirectory } from '../../api/namespaces';
import type { FileEntry } from '../../api/namespaces';
import { joinPath, parentOf } from './filePaths';

interface TreeProps {
  namespace: string;
  selected: string | undefined;
  expanded: ReadonlySet<string>;
  /** Folders created in the UI (the server has no empty folders). */
  pendingFolders: readonly string[];
  onSelect: (path: string, type: FileEntry['type']) => void;
  onToggle: (path: string) => void;
}

/** The whole tree, from the root. */
export function FileTree(props: TreeProps) {
  return (
    <ul className="file-tree" role="tree" aria-label="Namespace files">
      <DirectoryChildren {...props} dir="" depth={0} />
    </ul>
  );
}

function DirectoryChildren({ dir, depth, ...props }: TreeProps & { dir: string; depth: number }) {
  const listing = useQuery({
    queryKey: ['ns-files', props.namespace, dir],
    queryFn: ({ signal }) => listDirectory(props.namespace, dir, signal),
  });
  if (listing.isPending) return <li className="file-tree-note muted">Loading…</li>;
  if (listing.isError) return <li className="file-tree-note error-text">{listing.error.message}</li>;
  const entries = [...listing.data];
  for (const folder of props.pendingFolders)
    if (parentOf(folder) === dir && !entries.some((e) => joinPath(dir, e.fileName) === folder))
      entries.push({ fileName: folder.slice(folder.lastIndexOf('/') + 1), type: 'Directory', size: 0 });
  entries.sort((a, b) =>
    a.type === b.type ? a.fileName.localeCompare(b.fileName) : a.type === 'Directory' ? -1 : 1,
  );
  if (entries.length === 0 && depth === 0) return <li className="file-tree-note muted">No files yet</li>;
  return (
    <>
      {entries.map((entry) => {
        const path = joinPath(dir, entry.fileName);
        const open = props.expanded.has(path);
        const isDir = entry.type === 'Directory';
        return (
          <li
            key={path}
            role="treeitem"
            aria-expanded={isDir ? open : undefined}
            aria-selected={props.selected === path}
          >
            <button
              type="button"
              className={`file-tree-item${props.selected === path ? ' selected' : ''}`}
              style={{ paddingLeft: `${8 + depth * 16}px` }}
              data-testid={`file-${path}`}
              onClick={() => {
                props.onSelect(path, entry.type);
                if (isDir) props.onToggle(path);
              }}
            >
              <span className="file-tree-icon" aria-hidden="true">
                {isDir ? (open ? '▾' : '▸') : '·'}
              </span>
              {entry.fileName}
              {isDir && <span className="file-tree-slash">/</span>}
            </button>
            {isDir && open && (
              <ul role="group">
                <DirectoryChildren {...props} dir={path} depth={depth + 1} />
              </ul>
            )}
          </li>
        );
      })}
    </>
  );
}
