/**
 * One namespace file open in the code editor: loaded as text, saved with the Save button or
 * Ctrl/Cmd+S (an upload that replaces it), with the unsaved state shown. Binary files are not
 * opened as text; they can be downloaded.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { apiFetch } from '../../api/client';
import { fileStats, readFile, writeFile } from '../../api/namespaces';
import { CodeEditor } from '../../components/editor/CodeEditor';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { showToast } from '../../components/Toasts';
import { languageOf } from './filePaths';

const MAX_EDITABLE_BYTES = 2 * 1_048_576;

/** The editor of the file at `path`. */
export function FileEditor({
  namespace,
  path,
  onDirtyChange,
  height = 'calc(100vh - 290px)',
}: {
  namespace: string;
  path: string;
  /** The code editor's CSS height (the flow editor's Files pane is shorter). */
  height?: string;
  /** Told when the text starts or stops differing from the saved file. */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const client = useQueryClient();
  const stats = useQuery({
    queryKey: ['ns-file-stats', namespace, path],
    queryFn: () => fileStats(namespace, path),
    staleTime: 0,
  });
  const tooLarge = stats.data !== undefined && stats.data.size > MAX_EDITABLE_BYTES;
  const file = useQuery({
    queryKey: ['ns-file', namespace, path],
    queryFn: () => readFile(namespace, path),
    staleTime: 0,
    // A large file would freeze the tab in the editor: it is offered as a download instead.
    enabled: stats.isSuccess && !tooLarge,
  });
  const [text, setText] = useState<string | undefined>();
  // What the editor starts from, fixed once loaded: feeding Monaco every keystroke back as its
  // value races fast typing (a stale value resets the model and drops characters).
  const [initial, setInitial] = useState<string | undefined>();
  useEffect(() => {
    if (initial === undefined && file.data !== undefined) setInitial(file.data);
  }, [initial, file.data]);
  const content = text ?? file.data ?? '';
  const dirty = text !== undefined && text !== file.data;
  useEffect(() => {
    onDirtyChange?.(dirty);
    if (!dirty) return;
    // Closing or reloading the tab with unsaved changes asks first.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, onDirtyChange]);
  const save = useMutation({
    mutationFn: (value: string) => writeFile(namespace, path, value),
    onSuccess: async (_entry, value) => {
      // The saved text is now the file's; later keystrokes stay unsaved.
      client.setQueryData(['ns-file', namespace, path], value);
      await client.invalidateQueries({ queryKey: ['ns-files', namespace] });
      showToast(`Saved ${path}`);
    },
  });
  const onSave = () => {
    if (dirty && !save.isPending) save.mutate(content);
  };

  if (stats.isError) return <ErrorBox error={stats.error} title={`Could not open /${path}`} />;
  if (tooLarge)
    return (
      <div className="card empty" data-testid="file-too-large">
        <strong>/{path} is too large to edit here</strong>
        <span className="muted">
          {(stats.data.size / 1_048_576).toFixed(1)} MB; the editor opens files up to{' '}
          {MAX_EDITABLE_BYTES / 1_048_576} MB.
        </span>
        <button type="button" onClick={() => void download(namespace, path)}>
          Download
        </button>
      </div>
    );
  if (file.isError) return <ErrorBox error={file.error} title={`Could not open /${path}`} />;
  if (file.isPending) return <Loading />;
  // A NUL byte: not text (an image, an archive); Monaco would show noise.
  const binary = file.data.includes('\u0000');
  return (
    <div className="file-editor">
      <div className="file-editor-head">
        <code className="file-editor-path">/{path}</code>
        {dirty && (
          <span className="file-editor-dirty" data-testid="file-dirty">
            unsaved
          </span>
        )}
        {save.isSuccess && !dirty && <span className="muted ns-small">saved</span>}
        <span className="ns-spacer" />
        <button type="button" onClick={() => void download(namespace, path)}>
          Download
        </button>
        {!binary && (
          <button type="button" className="primary" disabled={!dirty || save.isPending} onClick={onSave}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        )}
      </div>
      {save.isError && <ErrorBox error={save.error} title="The file was not saved" />}
      {binary ? (
        <div className="card empty">
          <strong>A binary file</strong>
          <span className="muted">It cannot be edited here; download it instead.</span>
        </div>
      ) : (
        <CodeEditor
          value={initial ?? content}
          onChange={setText}
          language={languageOf(path)}
          height={height}
          path={`ns-files/${namespace}/${path}`}
          onSave={onSave}
          ariaLabel={`Editor of ${path}`}
        />
      )}
    </div>
  );
}

/** Saves the file through the browser (the request needs the session's credentials). */
async function download(namespace: string, path: string): Promise<void> {
  const response = await apiFetch(`/namespaces/${encodeURIComponent(namespace)}/files`, {
    query: { path: `/${path}` },
  });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = path.slice(path.lastIndexOf('/') + 1);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
