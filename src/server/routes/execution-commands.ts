/**
 * Commands on an execution: kill, restart, resume (with `onResume` inputs), change a task run's
 * state, and replay as a new execution. The executor applies commands in order; these routes
 * refuse with WH_EXECUTION_STATE (409) what it would ignore, so the caller learns why.
 */
import type { FastifyInstance } from 'fastify';
import type { Execution, State } from '../../engine/model.js';
import { isTerminal } from '../../engine/model.js';
import { indexFlow } from '../../engine/executor/flow-index.js';
import { queryParameters } from '../openapi.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { ServerDeps } from '../deps.js';
import { readRawInputs } from './execution-inputs.js';
import { loadExecution } from './execution-lookup.js';
import { shownExecution } from './execution-secrets.js';
import { MAX_REVISION, queryInteger, queryText } from './paging.js';
import type { Query } from './paging.js';

const TAGS = ['Executions'];
const TERMINAL_TASK_STATES: ReadonlySet<string> = new Set([
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'SKIPPED',
  'CANCELLED',
]);

interface Params {
  executionId: string;
}

function stateError(execution: Execution, what: string): WindhoverError {
  return new WindhoverError(
    ErrorCodes.EXECUTION_STATE,
    `Execution ${execution.id} is ${execution.state.current}: ${what}`,
    { executionId: execution.id, state: execution.state.current },
  );
}

/**
 * A revision an execution may be restarted on: it exists and has every task the execution ran
 * (the executor finds each task run's task in the flow it steps on).
 */
async function checkRestartRevision(deps: ServerDeps, execution: Execution, revision: number): Promise<void> {
  const flow = await deps.runtime.flows.get(execution.namespace, execution.flowId, revision);
  if (!flow || flow.revision !== revision)
    throw new WindhoverError(
      ErrorCodes.NOT_FOUND,
      `Flow ${execution.namespace}.${execution.flowId} has no revision ${revision}`,
      { namespace: execution.namespace, flowId: execution.flowId, revision },
    );
  const index = indexFlow(flow);
  const missing = [...new Set(execution.taskRunList.map((run) => run.taskId))].filter(
    (taskId) => !index.nodes.has(taskId),
  );
  if (missing.length > 0)
    throw stateError(
      execution,
      `revision ${revision} has no task ${missing.map((id) => `\`${id}\``).join(', ')} that this execution ran; restart on a revision that keeps them, or replay`,
    );
}

/** Registers the command routes of executions. */
export function registerExecutionCommandRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { runtime, storage } = deps;

  app.delete<{ Params: Params }>(
    '/executions/:executionId/kill',
    { schema: { summary: 'Kill an execution (202); its running tasks are stopped', tags: TAGS } },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      if (isTerminal(execution.state.current) || execution.state.current === 'KILLING')
        throw stateError(execution, 'it has ended or is being killed already');
      await runtime.command(execution.id, { kind: 'kill' });
      return reply.status(202).send(await shownExecution(runtime, execution));
    },
  );

  app.post<{ Params: Params; Querystring: Query }>(
    '/executions/:executionId/restart',
    {
      schema: {
        summary:
          'Restart a FAILED or KILLED execution from its failed task runs; `revision` runs it on another revision of its flow (a fix deployed since)',
        tags: TAGS,
        querystring: queryParameters({
          revision: "The flow revision to run on from now (default: the execution's own)",
        }),
      },
    },
    async (request) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      if (execution.state.current !== 'FAILED' && execution.state.current !== 'KILLED')
        throw stateError(execution, 'only a FAILED or KILLED execution can be restarted');
      const revision = queryInteger(request.query, 'revision', { max: MAX_REVISION });
      if (revision !== undefined && revision !== execution.flowRevision)
        await checkRestartRevision(deps, execution, revision);
      await runtime.command(execution.id, {
        kind: 'restart',
        ...(revision !== undefined ? { revision } : {}),
      });
      return shownExecution(runtime, execution);
    },
  );

  app.post<{ Params: Params; Querystring: Query }>(
    '/executions/:executionId/resume',
    {
      schema: {
        summary: 'Resume a PAUSED execution; onResume inputs as multipart/form-data or JSON (204)',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const paused = execution.taskRunList.filter((run) => run.state.current === 'PAUSED');
      if (paused.length === 0) throw stateError(execution, 'no task run is paused');
      const raw = await readRawInputs(request, storage, {
        namespace: execution.namespace,
        flowId: execution.flowId,
        executionId: execution.id,
      });
      const taskRunId = queryText(request.query, 'taskRunId');
      // The Pause's onResume inputs are checked: a missing or wrong one is a 422, still PAUSED.
      await runtime.resume(execution.id, raw, taskRunId);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: Params; Body: { taskRunId?: unknown; state?: unknown } }>(
    '/executions/:executionId/state',
    {
      schema: {
        summary:
          'Change the state of a task run of an ended execution ({ taskRunId, state }); the execution goes on from there',
        tags: TAGS,
      },
    },
    async (request) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const body = request.body ?? {};
      const taskRunId = typeof body.taskRunId === 'string' ? body.taskRunId : undefined;
      const state = typeof body.state === 'string' ? body.state.toUpperCase() : undefined;
      if (!taskRunId || !state || !TERMINAL_TASK_STATES.has(state))
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          `Send { "taskRunId": "…", "state": "…" } with one of ${[...TERMINAL_TASK_STATES].join(', ')}`,
        );
      if (!execution.taskRunList.some((run) => run.id === taskRunId))
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          `Task run ${taskRunId} is not in execution ${execution.id}`,
        );
      if (!isTerminal(execution.state.current))
        throw stateError(execution, 'a task run state can be changed only once the execution has ended');
      await runtime.command(execution.id, { kind: 'setTaskRunState', taskRunId, state: state as State });
      return shownExecution(runtime, execution);
    },
  );

  app.post<{ Params: Params; Querystring: Query }>(
    '/executions/:executionId/replay',
    {
      schema: {
        summary:
          'Replay an execution as a new one, from the start or from a task run (taskRunId), on a revision',
        tags: TAGS,
      },
    },
    async (request) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const taskRunId = queryText(request.query, 'taskRunId');
      const revision = queryInteger(request.query, 'revision', { max: MAX_REVISION });
      if (!isTerminal(execution.state.current))
        throw stateError(execution, 'only an ended execution can be replayed');
      const flow = await runtime.flows.get(
        execution.namespace,
        execution.flowId,
        revision ?? execution.flowRevision,
      );
      if (!flow)
        throw new WindhoverError(
          ErrorCodes.REPLAY_INVALID,
          `Flow ${execution.namespace}.${execution.flowId} has no revision ${revision ?? execution.flowRevision}`,
        );
      const replayed = await runtime.replay(execution.id, {
        ...(taskRunId !== undefined ? { fromTaskRunId: taskRunId } : {}),
        ...(revision !== undefined ? { revision } : {}),
      });
      return shownExecution(runtime, replayed);
    },
  );
}
