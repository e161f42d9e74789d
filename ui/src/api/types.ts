/**
 * The JSON shapes of the API the UI reads (Kestra's shapes; see docs/api.md). Only the fields
 * the UI uses are typed.
 */
export type StateName =
  | 'CREATED'
  | 'QUEUED'
  | 'RUNNING'
  | 'PAUSED'
  | 'RESTARTED'
  | 'KILLING'
  | 'SUCCESS'
  | 'WARNING'
  | 'FAILED'
  | 'KILLED'
  | 'CANCELLED'
  | 'RETRYING'
  | 'RETRIED'
  | 'SKIPPED'
  | 'BREAKPOINT'
  | 'SUBMITTED';

export const TERMINAL_STATES: readonly StateName[] = [
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRIED',
  'SKIPPED',
];

export interface StateHistory {
  state: StateName;
  date: string;
}

export interface State {
  current: StateName;
  histories: StateHistory[];
  startDate: string;
  endDate?: string;
  duration?: string;
}

export interface Label {
  key: string;
  value: string;
}

export interface TaskRun {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  parentTaskRunId?: string;
  value?: string;
  iteration?: number;
  attempts: { state: State }[];
  outputs: Record<string, unknown>;
  state: State;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: State;
  inputs: Record<string, unknown>;
  labels: Label[];
  /** The flow's outputs; absent when it has none (a failed execution has none, as in Kestra). */
  outputs?: Record<string, unknown>;
  taskRunList: TaskRun[];
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  originalId: string;
  parentId?: string;
  scheduleDate?: string;
}

export interface Page<T> {
  results: T[];
  total: number;
}

export interface LogEntry {
  executionId: string;
  taskRunId?: string;
  taskId?: string;
  attemptNumber?: number;
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  timestamp: string;
  namespace?: string;
  flowId?: string;
}
