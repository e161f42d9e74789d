/**
 * The validated flow: plain JSON, in Kestra's shape, with canonical type names, pluginDefaults
 * applied and course-notes property aliases mapped onto Kestra's properties. Property values
 * are kept as written (unrendered); the worker renders them when the task runs.
 */

export interface Label {
  key: string;
  value: string;
}

/**
 * The property the flow model sets (to `true`) on the ForEach a deprecated EachParallel becomes:
 * the tasks of one item run in parallel, as EachParallel runs them, rather than in order.
 */
export const EACH_PARALLEL = 'eachParallel';

/** A task of a flow: `id`, canonical `type`, and its properties (child tasks are FlowTasks). */
export interface FlowTask {
  id: string;
  type: string;
  [property: string]: unknown;
}

export interface FlowTrigger {
  id: string;
  type: string;
  [property: string]: unknown;
}

export type InputType =
  | 'STRING'
  | 'INT'
  | 'FLOAT'
  | 'BOOLEAN'
  | 'BOOL'
  | 'DATE'
  | 'DATETIME'
  | 'TIME'
  | 'DURATION'
  | 'JSON'
  | 'YAML'
  | 'ARRAY'
  | 'SELECT'
  | 'MULTISELECT'
  | 'ENUM'
  | 'FILE'
  | 'URI'
  | 'EMAIL'
  | 'SECRET';

/** A flow input. Which of the optional properties apply depends on `type`. */
export interface FlowInput {
  id: string;
  type: InputType;
  description?: string;
  displayName?: string;
  /** Kestra's default is true. */
  required?: boolean;
  defaults?: unknown;
  prefill?: unknown;
  dependsOn?: { inputs?: string[]; condition?: string };
  validator?: string;
  min?: number | string;
  max?: number | string;
  after?: string;
  before?: string;
  values?: unknown[] | string;
  expression?: string;
  allowCustomValue?: boolean;
  autoSelectFirst?: boolean;
  itemType?: InputType;
  extension?: string;
  allowedFileExtensions?: string[];
}

export interface FlowOutput {
  id: string;
  type: InputType;
  value: unknown;
  description?: string;
  displayName?: string;
  required?: boolean;
}

export interface PluginDefault {
  type: string;
  forced?: boolean;
  values: Record<string, unknown>;
}

export type ConcurrencyBehavior = 'QUEUE' | 'CANCEL' | 'FAIL' | 'FAIL_AFTER_N_RETRIES';

export interface Concurrency {
  limit: number;
  behavior: ConcurrencyBehavior;
  /** FAIL_AFTER_N_RETRIES: how many times admission is retried before failing. */
  maxRetries?: number;
  /** FAIL_AFTER_N_RETRIES: ISO-8601 duration between admission retries. */
  retryInterval?: string;
}

export interface RetryPolicy {
  type: 'constant' | 'exponential' | 'random';
  interval?: string;
  minInterval?: string;
  maxInterval?: string;
  delayFactor?: number;
  maxAttempts?: number;
  maxDuration?: string;
  warningOnRetry?: boolean;
  behavior?: 'RETRY_FAILED_TASK' | 'CREATE_NEW_EXECUTION';
}

export interface Flow {
  id: string;
  namespace: string;
  revision?: number;
  description?: string;
  labels: Label[];
  inputs: FlowInput[];
  outputs: FlowOutput[];
  variables: Record<string, unknown>;
  tasks: FlowTask[];
  errors: FlowTask[];
  finally: FlowTask[];
  afterExecution: FlowTask[];
  triggers: FlowTrigger[];
  pluginDefaults: PluginDefault[];
  concurrency?: Concurrency;
  retry?: RetryPolicy;
  disabled: boolean;
  sla?: unknown[];
}
