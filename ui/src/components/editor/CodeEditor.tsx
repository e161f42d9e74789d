/**
 * A code editor (Monaco, bundled locally) for YAML flows, namespace files and JSON inputs.
 * Markers (validation problems) are given by the caller; the theme follows the app's theme.
 */
import Editor from '@monaco-editor/react';
import type { OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { monaco, monacoTheme } from './monaco';

export type CodeLanguage = 'yaml' | 'json' | 'python' | 'shell' | 'sql' | 'plaintext';

/** A problem shown in the editor (lines and columns start at 1). */
export interface EditorMarker {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export type MonacoEditor = Parameters<OnMount>[0];

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  language: CodeLanguage;
  readOnly?: boolean;
  /** CSS height; default 400px. */
  height?: string | number;
  markers?: EditorMarker[];
  /** The model's URI path (e.g. `flow.yaml`): schemas registered with setYamlSchema match on it. */
  path?: string;
  /** Called once the editor exists (cursor tracking, commands). */
  onMount?: (editor: MonacoEditor) => void;
  /** Ctrl/Cmd+S in the editor. */
  onSave?: () => void;
  /** Accessible name of the editor. */
  ariaLabel?: string;
  /** Wrap long lines at the editor's width (a narrow pane beside others shows them whole). */
  wordWrap?: boolean;
}

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

/** Monaco with the app's theme, caller-given markers and an optional save shortcut. */
export function CodeEditor({
  value,
  onChange,
  language,
  readOnly = false,
  height = 400,
  markers,
  path,
  onMount,
  onSave,
  ariaLabel,
  wordWrap = false,
}: CodeEditorProps) {
  const editorRef = useRef<MonacoEditor | null>(null);
  // The latest onSave, so the command registered once at mount calls the current one.
  const saveRef = useRef(onSave);
  saveRef.current = onSave;

  const applyMarkers = () => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'windhover',
      (markers ?? []).map((m) => {
        const line = Math.min(Math.max(m.line, 1), model.getLineCount());
        // A marker without an end covers the rest of its line (at least one character).
        const endLine = m.endLine ?? line;
        const endColumn = m.endColumn ?? Math.max(model.getLineMaxColumn(line), m.column + 1);
        return {
          startLineNumber: line,
          startColumn: Math.max(m.column, 1),
          endLineNumber: endLine,
          endColumn,
          message: m.message,
          severity: SEVERITY[m.severity],
        };
      }),
    );
  };

  useEffect(applyMarkers);

  // The editor owns its text while the user types: the `value` prop lags behind fast typing (React
  // renders after several keystrokes), so a value the editor itself emitted is never pushed back
  // (it would undo keystrokes and move the cursor). Only a value from elsewhere replaces the text.
  const emittedRef = useRef<string[]>([]);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || emittedRef.current.includes(value) || value === editor.getValue()) return;
    emittedRef.current = [];
    editor.setValue(value);
  }, [value]);

  // A value that changed while Monaco was still loading is applied once it is there.
  const valueRef = useRef(value);
  valueRef.current = value;

  const handleMount: OnMount = (editor) => {
    editorRef.current = editor;
    if (editor.getValue() !== valueRef.current) editor.setValue(valueRef.current);
    // An action, not addCommand: Monaco's commands are global, so the last editor created (a docs
    // example) would take Ctrl+S from the flow editor.
    editor.addAction({
      id: 'windhover.save',
      label: 'Save',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => saveRef.current?.(),
    });
    applyMarkers();
    onMount?.(editor);
  };

  return (
    <div className="code-editor" data-testid="code-editor" data-language={language}>
      <Editor
        defaultValue={value}
        language={language}
        height={height}
        theme={monacoTheme()}
        {...(path ? { path } : {})}
        onChange={(next) => {
          emittedRef.current.push(next ?? '');
          if (emittedRef.current.length > 200) emittedRef.current.shift();
          onChange?.(next ?? '');
        }}
        onMount={handleMount}
        options={{
          readOnly,
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          tabSize: 2,
          renderWhitespace: 'selection',
          wordWrap: wordWrap ? 'on' : 'off',
          // Wrapped lines keep their indentation, so a wrapped YAML value still reads as nested.
          wrappingIndent: 'indent',
          fixedOverflowWidgets: true,
          quickSuggestions: { other: true, comments: false, strings: true },
          ariaLabel: ariaLabel ?? `${language} editor`,
        }}
      />
    </div>
  );
}
