/**
 * The YAML editor of a flow: schema completion and hovers, live validation markers with a
 * problems count, save (button or Ctrl/Cmd+S) with the server's message on failure, an
 * unsaved-changes mark, the topology beside the YAML, the docs of the task under the cursor, and
 * a notice when the flow is saved elsewhere while open (its file edited on disk, with `-f`), the
 * namespace files beside it (resizable, collapsible panes) and its webhook URLs.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { createFlow, updateFlow } from '../../api/flows';
import { CodeEditor } from '../../components/editor/CodeEditor';
import type { MonacoEditor } from '../../components/editor/CodeEditor';
import { ErrorBox } from '../../components/ErrorBox';
import { showToast } from '../../components/Toasts';
import { FlowGraph } from '../../components/graph/FlowGraph';
import { DocsPanel } from './DocsPanel';
import { EditorSplit } from './EditorSplit';
import { FlowChangedNotice, FlowDeletedNotice } from './FlowChangedNotice';
import { FlowFilesPane } from './FlowFilesPane';
import { pluginTypeAt } from './taskAtCursor';
import { useDebounced } from './useDebounced';
import { useFlowSchema, useFlowValidation, useSourceGraph } from './useFlowChecks';
import { useOutsideChange } from './useOutsideChange';
import { WebhookUrls } from './WebhookUrls';
import { NoCodeEditor } from './nocode/NoCodeEditor';
import { usePrepareNoCode } from './nocode/prepare';
import { ViewSwitch } from './nocode/ViewSwitch';
import type { EditorView } from './nocode/ViewSwitch';

const PANELS_KEY = 'windhover.editor.panels';

interface Panels {
  graph: boolean;
  docs: boolean;
  files: boolean;
}

function savedPanels(): Panels {
  try {
    const value = JSON.parse(localStorage.getItem(PANELS_KEY) ?? '') as Partial<Panels>;
    return { graph: value.graph !== false, docs: value.docs !== false, files: value.files === true };
  } catch {
    return { graph: true, docs: true, files: false };
  }
}

/** The editor of a new flow (no `flow`) or of an existing one. */
export function FlowSourceEditor({
  initialSource,
  initialRevision,
  flow,
}: {
  initialSource: string;
  /** The revision `initialSource` is (an existing flow). */
  initialRevision?: number;
  flow?: { namespace: string; id: string };
}) {
  const [source, setSource] = useState(initialSource);
  // A new flow starts from a template: nothing is unsaved until the user changes it (Save still works).
  const [savedSource, setSavedSource] = useState(initialSource);
  // The revision the editor's text stands on: a newer one with another text is news (see below).
  const [knownRevision, setKnownRevision] = useState(initialRevision);
  const [panels, setPanels] = useState<Panels>(savedPanels);
  const [cursorType, setCursorType] = useState<string | undefined>();
  const [view, setView] = useState<EditorView>('yaml');
  const viewRef = useRef(view);
  viewRef.current = view;
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const schema = useFlowSchema().data;
  // The no-code view's model is read ahead while the YAML view is idle: the switch only renders.
  usePrepareNoCode(source, schema, view === 'yaml');
  const validation = useFlowValidation(source);
  const graph = useSourceGraph(source, panels.graph);
  const dirty = source !== savedSource;
  // The docs follow the cursor once it rests (no request per keystroke while a type is typed).
  const docsType = useDebounced(cursorType, 300);

  useEffect(() => localStorage.setItem(PANELS_KEY, JSON.stringify(panels)), [panels]);

  const { newer, deleted } = useOutsideChange(flow, knownRevision, savedSource);
  const save = useMutation({
    // A flow deleted meanwhile (its file removed) is created again from the editor's text.
    mutationFn: (text: string) =>
      flow && !deleted ? updateFlow(flow.namespace, flow.id, text) : createFlow(text),
    onSuccess: async (saved, text) => {
      setSavedSource(text);
      showToast(`Saved revision ${saved.revision}`);
      setKnownRevision(saved.revision);
      await queryClient.invalidateQueries({ queryKey: ['flows'] });
      await queryClient.invalidateQueries({ queryKey: ['flow', saved.namespace, saved.id] });
      if (!flow) void navigate(`/flows/${saved.namespace}/${saved.id}/edit`, { replace: true });
    },
  });
  const { mutate, isPending } = save;
  const onSave = useCallback(() => {
    if (!isPending) mutate(sourceRef.current);
  }, [mutate, isPending]);

  const editorRef = useRef<MonacoEditor | null>(null);
  const onMount = useCallback((editor: MonacoEditor) => {
    editorRef.current = editor;
    const update = () => {
      // In the no-code view the forms rewrite the hidden editor's text: its cursor means nothing.
      if (viewRef.current !== 'yaml') return;
      const model = editor.getModel();
      const position = editor.getPosition();
      if (!model || !position) return;
      setCursorType(pluginTypeAt(model.getValue(), model.getOffsetAt(position)));
    };
    editor.onDidChangeCursorPosition(update);
    update();
  }, []);

  // A click on a task in the graph puts the cursor on its `id:` line (and the docs follow).
  const revealTask = useCallback((taskId: string) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const escaped = taskId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const [match] = model.findMatches(
      `^\\s*(- )?id:\\s*["']?${escaped}["']?\\s*$`,
      false,
      true,
      true,
      null,
      false,
    );
    if (!match) return;
    const position = {
      lineNumber: match.range.startLineNumber,
      column: model.getLineMaxColumn(match.range.startLineNumber),
    };
    editor.setPosition(position);
    editor.revealLineInCenter(position.lineNumber);
    editor.focus();
  }, []);

  // Leaving with unsaved changes loses them: the browser asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const modelPath = flow
    ? `file:///flows/${flow.namespace}/${flow.id}.flow.yaml`
    : 'file:///flows/new.flow.yaml';
  const loadNewer = () => {
    if (!newer) return;
    setSource(newer.source ?? '');
    setSavedSource(newer.source ?? '');
    setKnownRevision(newer.revision);
  };

  const { errors, warnings } = validation;
  return (
    <div className="flow-source-editor">
      <div className="editor-toolbar">
        <span
          className={`problems ${errors > 0 ? 'has-errors' : warnings > 0 ? 'has-warnings' : 'ok'}`}
          data-testid="problems-count"
          data-errors={errors}
          title={validation.problems.map((p) => `line ${p.line}: ${p.message}`).join('\n')}
        >
          {validation.pending ? '… ' : ''}
          {errors === 0 && warnings === 0
            ? 'No problems'
            : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
        </span>
        {validation.failure && (
          <span className="unsaved" role="status">
            Validation unavailable: {validation.failure.message}
          </span>
        )}
        {dirty && (
          <span className="unsaved" data-testid="unsaved">
            ● Unsaved changes
          </span>
        )}
        <span className="spacer" />
        <ViewSwitch view={view} onChange={setView} />
        <label className="toggle">
          <input
            type="checkbox"
            checked={panels.graph}
            onChange={(e) => setPanels({ ...panels, graph: e.target.checked })}
          />
          Topology
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={panels.docs}
            onChange={(e) => setPanels({ ...panels, docs: e.target.checked })}
          />
          Docs
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={panels.files}
            onChange={(e) => setPanels({ ...panels, files: e.target.checked })}
          />
          Files
        </label>
        <button
          type="button"
          className="primary"
          onClick={onSave}
          disabled={isPending || (!dirty && flow !== undefined && !deleted)}
          data-testid="save-flow"
          title="Save (Ctrl+S)"
        >
          {isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      {deleted ? (
        <FlowDeletedNotice />
      ) : (
        newer && (
          <FlowChangedNotice
            latest={newer}
            dirty={dirty}
            onLoad={loadNewer}
            onKeep={() => setKnownRevision(newer.revision)}
          />
        )
      )}
      {save.isError && (
        <div className="save-error" data-testid="save-error">
          <ErrorBox error={save.error} title="The flow was not saved" />
        </div>
      )}
      {flow && <WebhookUrls source={savedSource} />}
      <EditorSplit
        onOpenChange={(id, open) => setPanels((current) => ({ ...current, [id]: open }))}
        editor={
          <>
            {view === 'nocode' && (
              <NoCodeEditor source={source} onChange={setSource} onTaskType={setCursorType} />
            )}
            {/* Hidden, not unmounted, in the no-code view: switching back is instant and keeps undo. */}
            <div hidden={view !== 'yaml'}>
              <CodeEditor
                value={source}
                onChange={setSource}
                language="yaml"
                height="calc(100vh - 250px)"
                markers={validation.markers}
                path={modelPath}
                onMount={onMount}
                onSave={onSave}
                ariaLabel="Flow YAML"
                wordWrap
              />
            </div>
          </>
        }
        panes={[
          {
            id: 'graph',
            title: 'Topology',
            defaultWidth: 340,
            open: panels.graph,
            content: (
              <>
                {graph.graph ? (
                  <FlowGraph graph={graph.graph} direction="TB" onSelect={revealTask} />
                ) : (
                  <div className="graph-empty">{graph.error ? graph.error.message : '…'}</div>
                )}
                {graph.error && graph.graph && (
                  <div className="pane-note" data-testid="graph-error">
                    Showing the last graph that parsed: {graph.error.message}
                  </div>
                )}
              </>
            ),
          },
          {
            id: 'docs',
            title: 'Docs',
            defaultWidth: 300,
            open: panels.docs,
            content: <DocsPanel type={docsType} />,
          },
          {
            id: 'files',
            title: 'Files',
            defaultWidth: 380,
            open: panels.files,
            content: <FlowFilesPane namespace={flow?.namespace} />,
          },
        ]}
      />
    </div>
  );
}
