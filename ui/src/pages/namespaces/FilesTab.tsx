/**
 * The Files tab of a namespace: the file tree on the left, the open file on the right
 * (`?path=` in the URL, so a file has a link), and the actions: new file, new folder, upload,
 * rename (the API moves files and folders) and delete.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useUrlParams } from '../../app/urlParams';
import { deleteFile, moveFile, writeFile } from '../../api/namespaces';
import type { FileEntry } from '../../api/namespaces';
import { FileEditor } from './FileEditor';
import { joinPath, parentOf } from './filePaths';
import { FileTree } from './FileTree';
import { PathDialog } from './PathDialog';
import { ConfirmDeleteModal } from './Modal';
import { ErrorBox } from '../../components/ErrorBox';

type Dialog = 'new-file' | 'new-folder' | 'rename' | 'delete' | undefined;

/** Namespace files: tree, editor and file actions. */
export function FilesTab({ namespace }: { namespace: string }) {
  const client = useQueryClient();
  const [params, editParams] = useUrlParams();
  const openFile = params.get('path') ?? undefined;
  const [selection, setSelection] = useState<{ path: string; type: FileEntry['type'] } | undefined>(
    openFile ? { path: openFile, type: 'File' } : undefined,
  );
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(ancestors(openFile)));
  const [pendingFolders, setPendingFolders] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog>();
  const upload = useRef<HTMLInputElement>(null);

  const targetDir = !selection
    ? ''
    : selection.type === 'Directory'
      ? selection.path
      : parentOf(selection.path);
  const refresh = () => client.invalidateQueries({ queryKey: ['ns-files', namespace] });
  // Bumped when an upload may have replaced the open file: its editor then reloads it.
  const [reloads, setReloads] = useState(0);
  const showFile = (path: string | undefined) => {
    editParams((next) => {
      if (path) next.set('path', path);
      else next.delete('path');
    });
  };
  // The open file has unsaved changes: opening another one asks first.
  const dirty = useRef(false);
  const select = (path: string, type: FileEntry['type']) => {
    if (type === 'File' && path !== openFile && dirty.current) {
      if (!window.confirm(`Discard the unsaved changes to /${openFile ?? ''}?`)) return;
      dirty.current = false;
    }
    setSelection({ path, type });
    if (type === 'File') showFile(path);
  };

  const uploadFiles = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) await writeFile(namespace, joinPath(targetDir, file.name), file);
      return files;
    },
    onSuccess: async (files) => {
      await refresh();
      await client.invalidateQueries({ queryKey: ['ns-file', namespace] });
      setReloads((n) => n + 1);
      const first = files[0];
      if (first) select(joinPath(targetDir, first.name), 'File');
    },
  });

  const close = () => setDialog(undefined);

  return (
    <div className="files-tab">
      <aside className="files-side card">
        <div className="files-actions">
          <button type="button" onClick={() => setDialog('new-file')}>
            New file
          </button>
          <button type="button" onClick={() => setDialog('new-folder')}>
            New folder
          </button>
          <button type="button" onClick={() => upload.current?.click()} disabled={uploadFiles.isPending}>
            {uploadFiles.isPending ? 'Uploading…' : 'Upload'}
          </button>
          <input
            ref={upload}
            type="file"
            multiple
            hidden
            aria-label="Upload files"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length > 0) uploadFiles.mutate(files);
            }}
          />
        </div>
        <div className="files-target muted ns-small">
          In <code>/{targetDir}</code>
        </div>
        {uploadFiles.isError && <ErrorBox error={uploadFiles.error} title="Upload failed" />}
        <FileTree
          namespace={namespace}
          selected={selection?.path}
          expanded={expanded}
          pendingFolders={pendingFolders}
          onSelect={select}
          onToggle={(path) =>
            setExpanded((current) => {
              const next = new Set(current);
              if (next.has(path)) next.delete(path);
              else next.add(path);
              return next;
            })
          }
        />
        {selection && (
          <div className="files-actions files-selection">
            <span className="muted ns-small files-selected" title={selection.path}>
              {selection.path}
            </span>
            <button type="button" onClick={() => setDialog('rename')}>
              Rename
            </button>
            <button type="button" className="danger" onClick={() => setDialog('delete')}>
              Delete
            </button>
          </div>
        )}
      </aside>
      <section className="files-main">
        {openFile ? (
          <FileEditor
            key={`${openFile}#${reloads}`}
            namespace={namespace}
            path={openFile}
            onDirtyChange={(value) => (dirty.current = value)}
          />
        ) : (
          <div className="card empty">
            <strong>No file open</strong>
            <span className="muted">
              Pick a file in the tree, or create one. Tasks read these files with <code>namespaceFiles</code>.
            </span>
          </div>
        )}
      </section>

      {dialog === 'new-file' && (
        <PathDialog
          title="New file"
          label={`File name in /${targetDir}`}
          placeholder="main.py or scripts/main.py"
          submitLabel="Create"
          onClose={close}
          onSubmit={async (name) => {
            const path = joinPath(targetDir, name);
            await writeFile(namespace, path, '');
            setPendingFolders((list) => list.filter((f) => !path.startsWith(`${f}/`)));
            setExpanded((current) => new Set([...current, ...ancestors(path)]));
            await refresh();
            select(path, 'File');
          }}
        />
      )}
      {dialog === 'new-folder' && (
        <PathDialog
          title="New folder"
          label={`Folder name in /${targetDir}`}
          hint="A folder is kept once a file is saved in it."
          placeholder="scripts"
          submitLabel="Create"
          onClose={close}
          onSubmit={(name) => {
            const path = joinPath(targetDir, name);
            setPendingFolders((list) => [
              ...list,
              ...ancestors(`${path}/x`).filter((f) => !list.includes(f)),
            ]);
            setExpanded((current) => new Set([...current, ...ancestors(`${path}/x`)]));
            setSelection({ path, type: 'Directory' });
            return Promise.resolve();
          }}
        />
      )}
      {dialog === 'rename' && selection && (
        <PathDialog
          title={`Rename /${selection.path}`}
          label="New path"
          initial={selection.path}
          submitLabel="Rename"
          onClose={close}
          onSubmit={async (to) => {
            if (pendingFolders.includes(selection.path)) {
              setPendingFolders((list) => list.map((f) => (f === selection.path ? to : f)));
            } else {
              await moveFile(namespace, selection.path, to);
              await refresh();
            }
            if (openFile && (openFile === selection.path || openFile.startsWith(`${selection.path}/`)))
              showFile(`${to}${openFile.slice(selection.path.length)}`);
            setSelection({ path: to, type: selection.type });
          }}
        />
      )}
      {dialog === 'delete' && selection && (
        <DeleteDialog
          namespace={namespace}
          path={selection.path}
          type={selection.type}
          pending={pendingFolders.includes(selection.path)}
          onClose={close}
          onDeleted={async () => {
            setPendingFolders((list) => list.filter((f) => f !== selection.path));
            if (openFile && (openFile === selection.path || openFile.startsWith(`${selection.path}/`)))
              showFile(undefined);
            setSelection(undefined);
            await refresh();
          }}
        />
      )}
    </div>
  );
}

function DeleteDialog({
  namespace,
  path,
  type,
  pending,
  onClose,
  onDeleted,
}: {
  namespace: string;
  path: string;
  type: FileEntry['type'];
  pending: boolean;
  onClose: () => void;
  onDeleted: () => Promise<void>;
}) {
  const remove = useMutation({
    mutationFn: () => (pending ? Promise.resolve() : deleteFile(namespace, path)),
    onSuccess: async () => {
      await onDeleted();
      onClose();
    },
  });
  return (
    <ConfirmDeleteModal
      title={`Delete /${path}?`}
      onClose={onClose}
      onConfirm={() => remove.mutate()}
      busy={remove.isPending}
      testId="file-delete"
    >
      <p>
        {type === 'Directory'
          ? 'The folder and every file in it will be deleted.'
          : 'The file will be deleted.'}
      </p>
      {remove.isError && <ErrorBox error={remove.error} title="Nothing was deleted" />}
    </ConfirmDeleteModal>
  );
}

/** The folders above a path, outermost first (`a/b/c.txt` → `a`, `a/b`). */
function ancestors(path: string | undefined): string[] {
  if (!path) return [];
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
