/** The flows API as the flows list and the editor use it (types and calls). */
import { api } from './client';
import type { Execution, Label, Page, StateName } from './types';

/** A flow as the API returns it (`FlowWithSource`); only the fields the UI reads. */
export interface Flow {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  labels?: Label[] | Record<string, string>;
  deleted?: boolean;
  updated?: string;
  disabled?: boolean;
  source?: string;
  tasks?: unknown[];
  triggers?: unknown[];
}

/** A validation problem with its position (1-based). */
export interface FlowProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  path: (string | number)[];
  line: number;
  column: number;
}

/** One flow's validation answer (`POST /flows/validate`). */
export interface FlowValidation {
  index: number;
  flow?: string;
  namespace?: string;
  constraints?: string;
  warnings: string[];
  problems: FlowProblem[];
}

/** The graph of a flow (`GET /flows/{ns}/{id}/graph`, `POST /flows/graph`). */
export interface FlowGraphData {
  nodes: Array<{
    uid: string;
    type: 'GraphTask' | 'GraphTrigger' | 'GraphClusterRoot' | 'GraphClusterEnd';
    task?: { id: string; type: string };
    trigger?: { id: string; type: string };
  }>;
  edges: Array<{ source: string; target: string; relation: { relationType: string; value?: string } }>;
  clusters?: Array<{ uid: string; taskId?: string; nodes: string[] }>;
}

const YAML = 'application/x-yaml';

/** The flow's labels as key/value pairs, whichever form (list or map) the YAML used. */
export function flowLabels(flow: Pick<Flow, 'labels'>): Label[] {
  if (Array.isArray(flow.labels)) return flow.labels;
  if (flow.labels && typeof flow.labels === 'object')
    return Object.entries(flow.labels).map(([key, value]) => ({ key, value: String(value) }));
  return [];
}

/** One page of flows matching a text and a namespace (children included). */
export function searchFlows(
  query: { q?: string; namespace?: string; page: number; size: number },
  signal?: AbortSignal,
) {
  return api<Page<Flow>>('/flows/search', { query, ...(signal ? { signal } : {}) });
}

/** The latest revision of a flow with its YAML source. */
export function getFlow(namespace: string, id: string, signal?: AbortSignal) {
  return api<Flow>(`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}`, {
    ...(signal ? { signal } : {}),
  });
}

/** Every revision of a flow, oldest first, with sources. */
export function flowRevisions(namespace: string, id: string, signal?: AbortSignal) {
  return api<Flow[]>(`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}/revisions`, {
    ...(signal ? { signal } : {}),
  });
}

/** Creates a flow from YAML (fails if it exists). */
export function createFlow(source: string) {
  return api<Flow>('/flows', { method: 'POST', body: source, contentType: YAML });
}

/** Saves a new revision of an existing flow. */
export function updateFlow(namespace: string, id: string, source: string) {
  return api<Flow>(`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body: source,
    contentType: YAML,
  });
}

/** Deletes a flow (its revisions stay for its executions; on a server with `-f`, its file goes). */
export function deleteFlow(namespace: string, id: string) {
  return api<void>(`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });
}

/** Validates YAML without saving it. */
export function validateFlow(source: string, signal?: AbortSignal) {
  return api<FlowValidation[]>('/flows/validate', {
    method: 'POST',
    body: source,
    contentType: YAML,
    ...(signal ? { signal } : {}),
  });
}

/** The graph of YAML source (not saved). */
export function graphOfSource(source: string, signal?: AbortSignal) {
  return api<FlowGraphData>('/flows/graph', {
    method: 'POST',
    body: source,
    contentType: YAML,
    ...(signal ? { signal } : {}),
  });
}

/** The graph of a saved flow. */
export function graphOfFlow(namespace: string, id: string, signal?: AbortSignal) {
  return api<FlowGraphData>(`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}/graph`, {
    ...(signal ? { signal } : {}),
  });
}

/** Recent executions (newest first), optionally of one flow. */
export function recentExecutions(
  query: { namespace?: string; flowId?: string; size: number },
  signal?: AbortSignal,
) {
  return api<Page<Execution>>('/executions/search', { query, ...(signal ? { signal } : {}) });
}

/** The state of the newest execution of each flow (`namespace.id` → state) from one page of executions. */
export function lastStates(executions: Execution[]): Map<string, StateName> {
  const states = new Map<string, StateName>();
  for (const execution of executions) {
    const key = `${execution.namespace}.${execution.flowId}`;
    if (!states.has(key)) states.set(key, execution.state.current);
  }
  return states;
}
