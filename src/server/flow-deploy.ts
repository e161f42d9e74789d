/**
 * The one way the API and the flow folders (`-f`) save and delete flows: every flow of a request is validated with the
 * plugin catalog first (nothing is saved when one fails), then each is saved as a new revision
 * and the scheduler is told, so that its triggers follow at once. On a server with flow folders
 * the API's saves and deletions reach the flows' files first (`flowFiles`).
 */
import { setTimeout } from 'node:timers/promises';
import type { SchedulerApi } from '../engine/scheduler/contract.js';
import { ErrorCodes, WindhoverError } from '../errors.js';
import { validateFlowSource } from '../flow/index.js';
import { withPluginsFor } from '../plugins/on-demand.js';
import { MAX_YAML_TEXT_LENGTH } from '../flow/source-text.js';
import type { Flow, Problem } from '../flow/index.js';
import type { StoredFlow } from '../store/contract.js';
import type { ServerDeps } from './deps.js';

/**
 * What saving flows needs: the catalog to validate with, the store, the scheduler to tell, and
 * the flow folders' files to write (the API's saves; the folder sync itself passes none).
 */
export interface FlowSaveDeps extends Pick<ServerDeps, 'catalog' | 'store' | 'flowFiles'> {
  scheduler: Pick<SchedulerApi, 'flowChanged'>;
}

/** One YAML document of a request body, with the line it starts at (1-based). */
export interface FlowDocument {
  source: string;
  /** Line of the body where this document's first line is. */
  firstLine: number;
  /** A name for messages: the uploaded file's name, when there is one. */
  file?: string;
}

/** A problem of a flow document, with lines counted in the whole request body. */
export interface DeployProblem {
  /** 0-based index of the document in the request. */
  document: number;
  file?: string;
  code: string;
  severity: Problem['severity'];
  message: string;
  path: string;
  line: number;
  column: number;
}

/** A flow that validated, ready to save. */
export interface ValidFlow {
  flow: Flow;
  source: string;
}

/** What checking the documents of a request found. */
export interface DocumentsCheck {
  valid: ValidFlow[];
  problems: DeployProblem[];
}

const SEPARATOR = /^---[ \t]*(#.*)?$/;

/**
 * Splits a YAML text into its documents at `---` lines, keeping each one's text (a flow's
 * source is its own document) and where it starts. Empty documents are dropped. A text without
 * `---` is one document kept byte for byte: the flow's source is what the user saved (and what
 * its file in a flow folder holds).
 */
export function splitYamlDocuments(text: string, file?: string): FlowDocument[] {
  const lines = text.split(/\r?\n/);
  if (!lines.some((line) => SEPARATOR.test(line)))
    return lines.some((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
      ? [{ source: text, firstLine: 1, ...(file ? { file } : {}) }]
      : [];
  const documents: FlowDocument[] = [];
  let start = 0;
  const flush = (end: number) => {
    const body = lines.slice(start, end);
    const meaningful = body.some((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    if (meaningful)
      documents.push({
        source: `${body.join('\n').replace(/\s+$/, '')}\n`,
        firstLine: start + 1,
        ...(file ? { file } : {}),
      });
  };
  lines.forEach((line, index) => {
    if (!SEPARATOR.test(line)) return;
    flush(index);
    start = index + 1;
  });
  flush(lines.length);
  return documents;
}

function pathText(path: readonly (string | number)[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Refuses (413) a YAML body holding a flow over MAX_YAML_TEXT_LENGTH, before any parser reads
 * it, whatever the size of the whole body (a namespace's flows may be many).
 */
export function checkFlowSizes(text: string, file?: string): void {
  let start = 0;
  let startLine = 1;
  const check = (end: number) => {
    if (end - start <= MAX_YAML_TEXT_LENGTH) return;
    const mib = ((end - start) / (1024 * 1024)).toFixed(1);
    throw new WindhoverError(
      ErrorCodes.BODY_TOO_LARGE,
      `The flow at ${file ? `${file}:` : 'line '}${startLine} holds ${mib} MiB of YAML, over the ${MAX_YAML_TEXT_LENGTH / (1024 * 1024)} MiB a flow may hold`,
    );
  };
  let line = 1;
  for (let at = 0; at < text.length; line++) {
    const next = text.indexOf('\n', at);
    const end = next < 0 ? text.length : next + 1;
    const separator =
      text.startsWith('---', at) && SEPARATOR.test(text.slice(at, next < 0 ? end : next).replace(/\r$/, ''));
    if (separator) {
      check(at);
      start = end;
      startLine = line + 1;
    }
    at = end;
  }
  check(text.length);
}

/** How long reading flows may hold the event loop before it pauses for other requests. */
const SLICE_MS = 50;
/** The pause: long enough for a waiting request to be read, routed and answered. */
const PAUSE_MS = 5;

/**
 * Validates each document (one flow each); never throws. Reading many large flows is done in
 * turns: once it has held the event loop for SLICE_MS, it pauses between two documents, so that
 * `/health` and other requests are answered in between (a flow holds at most 2 MiB of text,
 * read in a second or so at worst). A body of small flows is read without a pause.
 */
export async function checkFlowDocuments(
  deps: Pick<ServerDeps, 'catalog'>,
  documents: readonly FlowDocument[],
): Promise<DocumentsCheck> {
  const valid: ValidFlow[] = [];
  const problems: DeployProblem[] = [];
  let sliceStart = performance.now();
  for (const [index, document] of documents.entries()) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await setTimeout(PAUSE_MS);
      sliceStart = performance.now();
    }
    // An on-demand catalog imports the plugins the flow names first.
    const result = await withPluginsFor(
      document.source,
      () => validateFlowSource(document.source, { catalog: deps.catalog }),
      deps.catalog,
    );
    const found = [...result.problems, ...result.flows.flatMap((f) => f.problems)];
    for (const problem of found)
      problems.push({
        document: index,
        ...(document.file ? { file: document.file } : {}),
        code: problem.code,
        severity: problem.severity,
        message: problem.message,
        path: pathText(problem.path),
        line: problem.line + document.firstLine - 1,
        column: problem.column,
      });
    const flow = result.flows[0]?.flow;
    if (result.valid && result.flows.length === 1 && flow) valid.push({ flow, source: document.source });
  }
  return { valid, problems };
}

/** The WH_FLOW_INVALID error of documents that do not validate, each problem with its line and column. */
export function flowInvalid(problems: readonly DeployProblem[]): WindhoverError {
  const errors = problems.filter((p) => p.severity === 'error');
  const lines = errors.map((p) => `  ${p.file ? `${p.file}:` : ''}${p.line}:${p.column}  ${p.message}`);
  return new WindhoverError(
    ErrorCodes.FLOW_INVALID,
    `The flow does not validate:\n${lines.join('\n') || '  no flow in the request body'}`,
    errors,
  );
}

/**
 * Validates every document and, only if all are valid, saves each flow (a new revision when its
 * source changed) and tells the scheduler. Throws WH_FLOW_INVALID listing every problem, or
 * what `check` throws for a valid flow.
 */
export async function deployFlows(
  deps: FlowSaveDeps,
  documents: readonly FlowDocument[],
  check?: (flow: Flow) => void | Promise<void>,
): Promise<StoredFlow[]> {
  const { valid, problems } = await checkFlowDocuments(deps, documents);
  if (valid.length !== documents.length || documents.length === 0) throw flowInvalid(problems);
  // Checks of the caller (namespace of the path, existence) run on every flow before any is saved.
  for (const { flow } of valid) await check?.(flow);
  return saveValidFlows(deps, valid);
}

/** Saves flows checkFlowDocuments found valid (a new revision when the source changed), telling the scheduler. */
export async function saveValidFlows(deps: FlowSaveDeps, valid: readonly ValidFlow[]): Promise<StoredFlow[]> {
  const saved: StoredFlow[] = [];
  for (const { flow, source } of valid) {
    const save = () =>
      deps.store.saveFlow({
        namespace: flow.namespace,
        id: flow.id,
        source,
        definition: flow as unknown as Record<string, unknown>,
      });
    const result = deps.flowFiles ? await deps.flowFiles.write(flow, source, save) : await save();
    saved.push(result.flow);
    if (result.changed) await deps.scheduler.flowChanged(flow.namespace, flow.id);
  }
  return saved;
}

/**
 * Deletes a flow (its revisions stay for old executions), and its files in the flow folders
 * first, and tells the scheduler; false when missing.
 */
export async function deleteFlow(
  deps: Omit<FlowSaveDeps, 'catalog'>,
  namespace: string,
  id: string,
): Promise<boolean> {
  if (deps.flowFiles) {
    const current = await deps.store.getFlow(namespace, id);
    if (!current || current.deleted) return false;
    await deps.flowFiles.remove({ namespace, id });
  }
  const deleted = await deps.store.deleteFlow(namespace, id);
  if (deleted) await deps.scheduler.flowChanged(namespace, id);
  return deleted;
}
