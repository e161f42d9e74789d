import { p } from './prop.js';
import type { PluginKind, Prop } from './prop.js';

/** Task and trigger ids: `^[a-zA-Z0-9][a-zA-Z0-9_-]*`. */
export const TASK_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
export const TASK_ID_EXPECTS = 'an id made of letters, digits, `_` and `-`, starting with a letter or digit';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Execution and task-run states (KESTRA-REFERENCE.md "Execution semantics"). */
export const STATES = [
  'CREATED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'RESTARTED',
  'KILLING',
  'RETRYING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRIED',
  'SKIPPED',
] as const;

const retryCommon = (type: string): Record<string, Prop> => ({
  type: p.enum([type], { dynamic: false }).required(),
  maxAttempts: p
    .integer({ min: 1, dynamic: false })
    .describe('How many attempts in all, the first included.'),
  maxAttempt: p.integer({ min: 1, dynamic: false }).deprecated('maxAttempts'),
  maxDuration: p
    .duration({ dynamic: false })
    .describe('How long to keep retrying, counted from the first attempt.'),
  warningOnRetry: p
    .boolean({ dynamic: false })
    .default(false)
    .describe('End in WARNING rather than SUCCESS when an attempt other than the first succeeds.'),
  behavior: p
    .enum(['RETRY_FAILED_TASK', 'CREATE_NEW_EXECUTION'], { dynamic: false })
    .default('RETRY_FAILED_TASK')
    .describe('Retry the failed task in the same execution, or start a new execution of the flow.'),
});

/** A retry policy: `constant`, `exponential` or `random`. */
export const retryProp = p
  .variant('type', {
    constant: {
      ...retryCommon('constant'),
      interval: p.duration({ dynamic: false }).required().describe('Time between attempts.'),
    },
    exponential: {
      ...retryCommon('exponential'),
      interval: p.duration({ dynamic: false }).required().describe('Time before the first retry.'),
      maxInterval: p.duration({ dynamic: false }).required().describe('Longest time between two attempts.'),
      delayFactor: p
        .number({ min: 1, dynamic: false })
        .default(2)
        .describe('Factor applied to the interval at each retry.'),
    },
    random: {
      ...retryCommon('random'),
      minInterval: p.duration({ dynamic: false }).required().describe('Shortest time between attempts.'),
      maxInterval: p.duration({ dynamic: false }).required().describe('Longest time between attempts.'),
    },
  })
  .describe(
    'Retry policy. A task without one inherits it from its nearest flowable parent, then from the flow.',
  );

const id = (what: string) =>
  p
    .string({ pattern: TASK_ID_PATTERN, expects: TASK_ID_EXPECTS, dynamic: false })
    .required()
    .describe(`The ${what}'s id, unique in the flow.`);

const logLevel = p.enum([...LOG_LEVELS], { dynamic: false }).describe('The lowest level of logs kept.');

const workerGroup = p.object({
  key: p.string({ dynamic: false }).required(),
  fallback: p.enum(['FAIL', 'WAIT', 'CANCEL'], { dynamic: false }),
});

function taskCommonProps(flowable: boolean): Record<string, Prop> {
  const props: Record<string, Prop> = {
    id: id('task'),
    type: p.string({ dynamic: false }).required().describe('The task type.'),
    version: p
      .string({ dynamic: false })
      .describe('Plugin version (accepted for compatibility; Windhover has one).'),
    description: p.string({ dynamic: false }).describe('What the task does (markdown).'),
    retry: retryProp,
    timeout: p.duration().describe('Longest time an attempt may run; it is then killed and fails.'),
    disabled: p.boolean({ dynamic: false }).default(false).describe('Leave the task out of executions.'),
    logLevel,
    logToFile: p
      .boolean({ dynamic: false })
      .default(false)
      .describe(
        "Write each attempt's log lines to a file in internal storage instead of the log; the attempt's `logFile` is its URI.",
      ),
    allowFailure: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('A failure of this task ends in WARNING, not FAILED.'),
    allowWarning: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('A warning of this task ends in SUCCESS.'),
    runIf: p.string().default('true').describe('An expression; when it renders falsy the task is SKIPPED.'),
    workerGroup,
    dependsOn: p
      .list(p.string({ pattern: TASK_ID_PATTERN, expects: TASK_ID_EXPECTS, dynamic: false }), {
        dynamic: false,
      })
      .expects('a list of task ids')
      .describe(
        'Ids of sibling tasks that must end first. A task list where any task has `dependsOn` runs as a DAG.',
      ),
  };
  if (flowable) {
    props.errors = p.tasks().describe('Tasks run when a task of this flowable fails.');
    props.finally = p.tasks().describe('Tasks run at the end of this flowable, whatever its state.');
  }
  return props;
}

function triggerCommonProps(): Record<string, Prop> {
  return {
    id: id('trigger'),
    type: p.string({ dynamic: false }).required().describe('The trigger type.'),
    version: p.string({ dynamic: false }),
    description: p.string({ dynamic: false }),
    disabled: p.boolean({ dynamic: false }).default(false).describe('A disabled trigger never fires.'),
    conditions: p.pluginList('condition').describe('All must hold for the trigger to fire.'),
    stopAfter: p
      .list(p.enum([...STATES], { dynamic: false }), { dynamic: false })
      .describe('Disable the trigger once an execution it started ends in one of these states.'),
    logLevel,
    logToFile: p.boolean({ dynamic: false }),
    workerGroup,
    allowConcurrent: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('Let the trigger start an execution while one it started is still running.'),
    failOnTriggerError: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('Create a FAILED execution when evaluating the trigger fails, rather than only logging it.'),
  };
}

/** The properties every plugin of a kind has, whatever its type. */
export function commonPropsFor(kind: PluginKind, flowable: boolean): Record<string, Prop> {
  switch (kind) {
    case 'task':
      return taskCommonProps(flowable);
    case 'trigger':
      return triggerCommonProps();
    case 'condition':
      return { type: p.string({ dynamic: false }).required().describe('The condition type.') };
    case 'runner':
      return {
        type: p.string({ dynamic: false }).required().describe('The task runner type.'),
        version: p.string({ dynamic: false }),
      };
  }
}
