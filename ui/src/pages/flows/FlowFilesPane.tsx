/**
 * The flow editor's Files pane: the namespace files of the flow's namespace (the tree and the
 * editor of the Namespaces page's Files tab), so a script the flow reads with `namespaceFiles`
 * is opened, edited and saved beside the YAML. Creating, renaming and deleting stay on the
 * namespace's page, linked from here.
 */
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { FileEditor } from '../namespaces/FileEditor';
import { FileTree } from '../namespaces/FileTree';
import '../namespaces/namespaces.css';

const NO_PENDING_FOLDERS: readonly string[] = [];

/** The namespace files of `namespace` (undefined: a flow not saved yet). */
export function FlowFilesPane({ namespace }: { namespace: string | undefined }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [openFile, setOpenFile] = useState<string | undefined>();
  const dirty = useRef(false);
  if (!namespace) return <div className="pane-hint">Save the flow to see its namespace files.</div>;

  const toggle = (path: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  // A folder's click also toggles it (the tree calls `onToggle`): only files are opened here.
  const select = (path: string, type: 'File' | 'Directory') => {
    if (type === 'Directory') return;
    if (path !== openFile && dirty.current) {
      if (!window.confirm(`Discard the unsaved changes to /${openFile ?? ''}?`)) return;
      dirty.current = false;
    }
    setOpenFile(path);
  };

  return (
    <div className="flow-files">
      <div className="flow-files-tree">
        <div className="muted ns-small">
          <Link to={`/namespaces/${encodeURIComponent(namespace)}/files`}>{namespace}</Link>
        </div>
        <FileTree
          namespace={namespace}
          selected={openFile}
          expanded={expanded}
          pendingFolders={NO_PENDING_FOLDERS}
          onSelect={select}
          onToggle={toggle}
        />
      </div>
      {openFile ? (
        <FileEditor
          key={`${namespace}/${openFile}`}
          namespace={namespace}
          path={openFile}
          height="calc(100vh - 520px)"
          onDirtyChange={(value) => (dirty.current = value)}
        />
      ) : (
        <div className="pane-hint">Pick a file to edit it beside the flow.</div>
      )}
    </div>
  );
}
