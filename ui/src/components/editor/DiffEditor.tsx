/** A read-only side-by-side diff of two texts (flow revisions), Monaco bundled locally. */
import { DiffEditor as MonacoDiffEditor } from '@monaco-editor/react';
import type { CodeLanguage } from './CodeEditor';
import { monacoTheme } from './monaco';

/** Monaco's diff view between `original` (left) and `modified` (right). */
export function DiffEditor({
  original,
  modified,
  language,
  height = 480,
}: {
  original: string;
  modified: string;
  language: CodeLanguage;
  height?: string | number;
}) {
  return (
    <div className="code-editor" data-testid="diff-editor">
      <MonacoDiffEditor
        original={original}
        modified={modified}
        language={language}
        height={height}
        theme={monacoTheme()}
        options={{
          readOnly: true,
          originalEditable: false,
          minimap: { enabled: false },
          renderSideBySide: true,
          useInlineViewWhenSpaceIsLimited: false,
          renderOverviewRuler: false,
          automaticLayout: true,
          scrollBeyondLastLine: false,
          fontSize: 13,
        }}
      />
    </div>
  );
}
