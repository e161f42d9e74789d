/**
 * Executions with Kestra's paths: create (multipart or JSON inputs, FILE uploads, `labels`,
 * `wait`, `scheduleDate`, `revision`), get, search with paging, follow as server-sent events,
 * and the files of an execution. Commands (kill, restart, resume…) are in execution-commands.ts.
 */
import type { FastifyInstance } from 'fastify';
import { executionJson } from '../../engine/kestra-json.js';
import { newId } from '../../engine/ids.js';
import type { State } from '../../engine/model.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { ServerDeps } from '../deps.js';
import { registerExecutionCommandRoutes } from './execution-commands.js';
import { registerExecutionEvalRoutes } from './execution-eval.js';
import { readRawInputs } from './execution-inputs.js';
import { followExecution, hasEnded } from './execution-follow.js';
import { executionFileUri, loadExecution } from './execution-lookup.js';
import { secretsOf, shownExecution } from './execution-secrets.js';
import {
  MAX_REVISION,
  queryBoolean,
  queryDate,
  queryInteger,
  queryLabels,
  queryList,
  queryPage,
  queryText,
} from './paging.js';
import type { Query } from './paging.js';
import { openEventStream } from './sse.js';

const TAGS = ['Executions'];

const STATES: ReadonlySet<string> = new Set([
  'CREATED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'RESTARTED',
  'KILLING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'SKIPPED',
  'RETRYING',
  'RETRIED',
]);

/** `state=A&state=B` (or `state=A,B`), each a known state. */
function queryStates(query: Query): State[] {
  const states = queryList(query, 'state').flatMap((text) =>
    text.split(',').map((s) => s.trim().toUpperCase()),
  );
  for (const state of states)
    if (!STATES.has(state))
      throw new WindhoverError(
        ErrorCodes.REQUEST_INVALID,
        `The query parameter \`state\` has an unknown state ${JSON.stringify(state)}`,
        {
          parameter: 'state',
          known: [...STATES],
        },
      );
  return states as State[];
}

/** Registers the executions routes. */
export function registerExecutionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { runtime, store, storage } = deps;

  app.post<{ Params: { namespace: string; flowId: string }; Querystring: Query }>(
    '/executions/:namespace/:flowId',
    {
      schema: {
        summary:
          'Start an execution: inputs as multipart/form-data (files as file parts) or JSON; labels=k:v, wait, scheduleDate, revision',
        tags: TAGS,
      },
    },
    async (request) => {
      const { namespace, flowId } = request.params;
      const revision = queryInteger(request.query, 'revision', { max: MAX_REVISION });
      const labels = queryLabels(request.query);
      const system = labels.find((l) => l.key.startsWith('system.') && l.key !== 'system.correlationId');
      if (system)
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          `System labels are set by Windhover only: ${system.key}=${system.value} cannot be given`,
        );
      const wait = queryBoolean(request.query, 'wait', false);
      const scheduleDate = queryDate(request.query, 'scheduleDate');
      const latest = await runtime.flows.get(namespace, flowId);
      const flow =
        latest && revision !== undefined ? await runtime.flows.get(namespace, flowId, revision) : latest;
      if (!flow)
        throw new WindhoverError(
          ErrorCodes.FLOW_NOT_FOUND,
          `Flow ${namespace}.${flowId}${revision !== undefined && latest ? ` revision ${revision}` : ''} not found`,
          { namespace, flowId, ...(revision !== undefined ? { revision } : {}) },
        );
      // Kestra answers 409 Conflict for a disabled flow.
      if (flow.disabled)
        throw new WindhoverError(
          ErrorCodes.EXECUTION_STATE,
          `Flow ${namespace}.${flowId} is disabled: it cannot be executed`,
          { namespace, flowId },
        );
      const id = newId();
      const scope = { namespace, flowId, executionId: id };
      let inputs: Record<string, unknown>;
      try {
        const raw = await readRawInputs(request, storage, scope);
        inputs = runtime.prepareInputs(flow, raw);
      } catch (error) {
        // Files already uploaded belong to no execution: remove them (a no-op when there are none).
        await storage.purgeExecution(scope);
        throw error;
      }
      const execution = await runtime.submit(flow, {
        id,
        inputs,
        labels,
        ...(scheduleDate !== undefined ? { scheduleDate } : {}),
      });
      if (!wait) return shownExecution(runtime, execution);
      return shownExecution(runtime, await runtime.waitForEnd(id));
    },
  );

  app.get<{ Params: { executionId: string } }>(
    '/executions/:executionId',
    { schema: { summary: 'Get an execution with its task runs', tags: TAGS } },
    async (request) => shownExecution(runtime, await loadExecution(runtime, request.params.executionId)),
  );

  app.get<{ Querystring: Query }>(
    '/executions/search',
    {
      schema: {
        summary:
          'Search executions by namespace (children included), flowId, state (repeatable), labels k:v, startDate, endDate; newest first',
        tags: TAGS,
      },
    },
    async (request) => {
      const query = request.query;
      const { page, size } = queryPage(query);
      const namespace = queryText(query, 'namespace');
      const flowId = queryText(query, 'flowId');
      const states = queryStates(query);
      const labels = queryLabels(query);
      const startFrom = queryDate(query, 'startDate');
      const startTo = queryDate(query, 'endDate');
      const found = await store.searchExecutions({
        page,
        size,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(flowId !== undefined ? { flowId } : {}),
        ...(states.length > 0 ? { states } : {}),
        ...(labels.length > 0 ? { labels } : {}),
        ...(startFrom !== undefined ? { startFrom } : {}),
        ...(startTo !== undefined ? { startTo } : {}),
      });
      return {
        results: await Promise.all(
          found.results.map((summary) => shownExecution(runtime, { ...summary, taskRunList: [] })),
        ),
        total: found.total,
      };
    },
  );

  app.get<{ Params: { executionId: string } }>(
    '/executions/:executionId/follow',
    {
      schema: {
        summary:
          'Follow an execution (server-sent events): its JSON on every change, `id: end` once it has ended',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const secrets = await secretsOf(runtime, execution);
      const stream = openEventStream(reply);
      if (hasEnded(execution)) {
        stream.send({ id: 'end', data: executionJson(execution, secrets) });
        stream.end();
        return;
      }
      await followExecution(runtime, execution.id, stream, secrets);
    },
  );

  app.get<{ Params: { executionId: string }; Querystring: Query }>(
    '/executions/:executionId/file',
    {
      schema: {
        summary: 'Download a file of the execution (path=kestra:///…, inside this execution only)',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const uri = executionFileUri(storage, execution, queryText(request.query, 'path'));
      const size = await storage.size(uri);
      const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
      const stream = await storage.readStream(uri);
      return reply
        .type('application/octet-stream')
        .header('content-length', size)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(stream);
    },
  );

  app.get<{ Params: { executionId: string }; Querystring: Query }>(
    '/executions/:executionId/file/metas',
    { schema: { summary: 'The size of a file of the execution (path=kestra:///…)', tags: TAGS } },
    async (request) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const uri = executionFileUri(storage, execution, queryText(request.query, 'path'));
      return { size: await storage.size(uri) };
    },
  );

  registerExecutionCommandRoutes(app, deps);
  registerExecutionEvalRoutes(app, deps);
}
