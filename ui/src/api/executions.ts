/** Flows' inputs, executions and their commands, as the execution pages use them (docs/api-flows-executions.md). */
import { api, apiFetch } from './client';
import { followStream } from './sse';
import type { FlowGraphData } from './flows';
import type { Execution, Page, StateName } from './types';

/** One declared input of a flow (docs/inputs.md); only the fields the form reads. */
export interface FlowInput {
  id: string;
  type: string;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  prefill?: unknown;
  values?: string[];
  allowCustomValue?: boolean;
  itemType?: string;
  min?: number | string;
  max?: number | string;
  dependsOn?: { inputs?: string[]; condition?: string };
  /** Deprecated spelling of `id`. */
  name?: string;
}

/** A task of a flow, as far as the pages need it (Pause tasks' `onResume`). */
export interface FlowTask {
  id: string;
  type: string;
  onResume?: FlowInput[];
  tasks?: FlowTask[];
  then?: FlowTask[];
  else?: FlowTask[];
  errors?: FlowTask[];
  [key: string]: unknown;
}

/** A flow as GET /flows/{ns}/{id} answers it. */
export interface FlowDetail {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  disabled?: boolean;
  inputs?: FlowInput[];
  tasks?: FlowTask[];
  errors?: FlowTask[];
  finally?: FlowTask[];
  labels?: Record<string, string> | Array<{ key: string; value: string }>;
}

/** An input problem in a 422 answer's details. */
export interface InputProblem {
  input: string;
  message: string;
}

const enc = encodeURIComponent;

/** A flow with its inputs (a revision when given). */
export function getFlow(namespace: string, flowId: string, revision?: number) {
  return api<FlowDetail>(`/flows/${enc(namespace)}/${enc(flowId)}`, {
    query: { source: false, revision },
  });
}

/** The graph of a flow's revision (the one an execution ran). */
export function getFlowGraph(namespace: string, flowId: string, revision: number, signal?: AbortSignal) {
  return api<FlowGraphData>(`/flows/${enc(namespace)}/${enc(flowId)}/graph`, {
    query: { revision },
    ...(signal ? { signal } : {}),
  });
}

/** Starts an execution with a multipart form of inputs and `key:value` labels. */
export function startExecution(namespace: string, flowId: string, form: FormData, labels: string[]) {
  return api<Execution>(`/executions/${enc(namespace)}/${enc(flowId)}`, {
    method: 'POST',
    body: form,
    query: { labels },
  });
}

/** One execution with its task runs. */
export function getExecution(id: string, signal?: AbortSignal) {
  return api<Execution>(`/executions/${enc(id)}`, signal ? { signal } : {});
}

/** The filters of the executions list (all optional). */
export interface ExecutionSearch {
  namespace?: string;
  flowId?: string;
  state?: StateName[];
  labels?: string[];
  startDate?: string;
  endDate?: string;
  page?: number;
  size?: number;
}

/** A page of executions, newest first (without task runs). */
export function searchExecutions(search: ExecutionSearch, signal?: AbortSignal) {
  return api<Page<Execution>>('/executions/search', {
    query: { ...search },
    ...(signal ? { signal } : {}),
  });
}

/**
 * Follows an execution until it ends: `onExecution` gets each new version (the last one with
 * `ended` true). Resolves when the server closes the stream.
 */
export function followExecution(
  id: string,
  onExecution: (execution: Execution, ended: boolean) => void,
  signal: AbortSignal,
): Promise<void> {
  return followStream(
    `/executions/${enc(id)}/follow`,
    (messages) => {
      const last = messages[messages.length - 1];
      if (last) onExecution(JSON.parse(last.data) as Execution, last.id === 'end');
    },
    { signal },
  );
}

/** Kills a running execution. */
export const killExecution = (id: string) =>
  api<Execution>(`/executions/${enc(id)}/kill`, { method: 'DELETE' });

/** Restarts a FAILED or KILLED execution's failed task runs, on another revision of its flow if given. */
export const restartExecution = (id: string, revision?: number) =>
  api<Execution>(`/executions/${enc(id)}/restart`, { method: 'POST', query: { revision } });

/** Replays an ended execution as a new one, from a task run when given. */
export const replayExecution = (id: string, taskRunId?: string) =>
  api<Execution>(`/executions/${enc(id)}/replay`, { method: 'POST', query: { taskRunId } });

/** Resumes a paused execution with its `onResume` inputs. */
export const resumeExecution = (id: string, form: FormData) =>
  api<void>(`/executions/${enc(id)}/resume`, { method: 'POST', body: form });

/** Sets a task run's state (the execution goes on from there). */
export const setTaskRunState = (id: string, taskRunId: string, state: StateName) =>
  api<Execution>(`/executions/${enc(id)}/state`, { method: 'POST', body: { taskRunId, state } });

/** The path and query of an execution's file (for apiFetch). */
export const executionFilePath = (id: string) => `/executions/${enc(id)}/file`;

/** Fetches an execution's file (a `kestra://` URI) as a raw response. */
export const fetchExecutionFile = (id: string, uri: string, signal?: AbortSignal) =>
  apiFetch(executionFilePath(id), { query: { path: uri }, ...(signal ? { signal } : {}) });
