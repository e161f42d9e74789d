/**
 * Monaco, bundled with the app (no CDN: the server may have no internet): the workers come from
 * Vite `?worker` imports, `@monaco-editor/react` is told to use this copy, and monaco-yaml is
 * configured once for the whole page (it allows one instance only).
 */
import { loader } from '@monaco-editor/react';
// The editor core and only the languages the UI edits (the full bundle adds a 7 MB TypeScript worker).
import * as monaco from 'monaco-editor/editor/editor.api.js';
import './monaco-features';
import 'monaco-editor/languages/definitions/yaml/register.js';
import 'monaco-editor/languages/definitions/python/register.js';
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/sql/register.js';
import 'monaco-editor/languages/features/json/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker.js?worker';
import { configureMonacoYaml } from 'monaco-yaml';
import type { JSONSchema } from 'monaco-yaml';
import YamlWorker from 'monaco-yaml/yaml.worker.js?worker';

self.MonacoEnvironment = {
  getWorker(_moduleId: string, label: string) {
    if (label === 'yaml') return new YamlWorker();
    if (label === 'json') return new JsonWorker();
    return new EditorWorker();
  },
};

loader.config({ monaco });

/** The options monaco-yaml (via monaco-worker-manager) still passes to `createWebWorker`. */
interface LegacyWorkerOptions {
  label?: string;
  moduleId?: string;
  createData?: unknown;
  host?: Record<string, (...args: never[]) => unknown>;
  keepIdleModels?: boolean;
}

/**
 * monaco-yaml 5 creates its worker with the options of Monaco < 0.52 ({ label, moduleId,
 * createData }); Monaco 0.57 wants the Worker itself. This Monaco for monaco-yaml starts the
 * YAML worker and hands it the createData, as Monaco's own language workers do.
 */
const monacoForYaml = {
  ...monaco,
  editor: {
    ...monaco.editor,
    createWebWorker(options: LegacyWorkerOptions) {
      const worker = new YamlWorker();
      worker.postMessage('ignore');
      worker.postMessage(options.createData);
      return monaco.editor.createWebWorker({
        worker,
        ...(options.host ? { host: options.host } : {}),
        ...(options.keepIdleModels !== undefined ? { keepIdleModels: options.keepIdleModels } : {}),
      });
    },
  },
} as unknown as typeof monaco;

// Validation stays with the server (POST /flows/validate knows expressions and plugins better than
// the schema does); monaco-yaml gives completion and hover docs from the schema.
const yaml = configureMonacoYaml(monacoForYaml, {
  enableSchemaRequest: false,
  validate: false,
  completion: true,
  hover: true,
  schemas: [],
});

const yamlSchemas = new Map<string, { fileMatch: string[]; schema: JSONSchema }>();

/** Gives the YAML models whose path matches `fileMatch` (globs) completion and hovers from `schema`. */
export function setYamlSchema(uri: string, fileMatch: string[], schema: JSONSchema): void {
  yamlSchemas.set(uri, { fileMatch, schema });
  void yaml.update({
    ...yaml.getOptions(),
    schemas: [...yamlSchemas.entries()].map(([id, entry]) => ({ uri: id, ...entry })),
  });
}

/** Follows the app's theme (`html[data-theme]`) live: vs or vs-dark. */
function followTheme(): void {
  const apply = () =>
    monaco.editor.setTheme(document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs');
  apply();
  new MutationObserver(apply).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
}
followTheme();

/** The theme matching the app's current theme. */
export function monacoTheme(): 'vs' | 'vs-dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs';
}

export { monaco };
