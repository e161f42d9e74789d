/**
 * Kestra's expression debugger endpoint: `POST /executions/{id}/eval/{taskRunId}` renders the
 * expression of a text body with the variables and functions that task run's templates had
 * (kv, secret, read…), and answers `{ result }` or `{ error, stackTrace }` (200 either way, as
 * Kestra does). The answer is masked with the execution's secrets, including any read here.
 */
import type { FastifyInstance } from 'fastify';
import { indexFlow } from '../../engine/executor/flow-index.js';
import { hostFunctions } from '../../engine/worker/host-functions.js';
import { buildVariables, IndexedExecution } from '../../engine/worker/variables.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { ExpressionError, templates } from '../../expr/index.js';
import type { ServerDeps } from '../deps.js';
import { loadExecution } from './execution-lookup.js';
import { secretsOf } from './execution-secrets.js';

const TAGS = ['Executions'];
/** The longest expression accepted, in characters (the flow editor's templates are far shorter). */
const MAX_EXPRESSION = 100_000;
/** The longest answer, in characters. */
const MAX_RESULT = 1_000_000;

/** Registers the eval route. */
export function registerExecutionEvalRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { runtime, store, storage } = deps;

  app.post<{ Params: { executionId: string; taskRunId: string } }>(
    '/executions/:executionId/eval/:taskRunId',
    {
      schema: {
        summary:
          "Render an expression (the text body) with a task run's variables and functions: { result } or { error, stackTrace }, secrets masked",
        tags: TAGS,
      },
    },
    async (request) => {
      const expression = request.body;
      if (typeof expression !== 'string' || expression.length > MAX_EXPRESSION)
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          `Send the expression as the text body (Content-Type text/plain), at most ${MAX_EXPRESSION.toLocaleString('en-US')} characters`,
        );
      const execution = await loadExecution(runtime, request.params.executionId);
      const run = execution.taskRunList.find((candidate) => candidate.id === request.params.taskRunId);
      if (!run)
        throw new WindhoverError(
          ErrorCodes.NOT_FOUND,
          `Task run ${request.params.taskRunId} is not in execution ${execution.id}`,
          { executionId: execution.id, taskRunId: request.params.taskRunId },
        );
      const flow = await runtime.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
      if (!flow)
        throw new WindhoverError(
          ErrorCodes.FLOW_NOT_FOUND,
          `Flow ${execution.namespace}.${execution.flowId} revision ${execution.flowRevision} is gone: its variables cannot be rebuilt`,
        );
      const index = indexFlow(flow);
      const task = index.nodes.get(run.taskId)?.task;
      let { mask } = await secretsOf(runtime, execution);
      const host = hostFunctions({
        store,
        storage,
        namespace: execution.namespace,
        executionId: execution.id,
        env: runtime.taskEnv,
        // A secret read here is masked in the answer however short, as in a task's log.
        onSecret: (value) => {
          mask = mask.with([value], 1);
        },
      });
      const vars = buildVariables({
        indexed: new IndexedExecution(execution, flow, index),
        run,
        ...(task ? { task } : {}),
        env: runtime.taskEnv,
      });
      try {
        const result = await templates.renderAsync(expression, vars, { host, maxOutputLength: MAX_RESULT });
        return { result: mask.text(result) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const where =
          error instanceof ExpressionError
            ? `${error.code} at line ${error.line}, column ${error.column}`
            : 'WH_EXPR_EVALUATION';
        return { error: mask.text(message), stackTrace: mask.text(`${where}: ${message}`) };
      }
    },
  );
}
