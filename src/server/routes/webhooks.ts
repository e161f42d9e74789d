/**
 * Webhook triggers: `GET|POST|PUT /executions/webhook/{namespace}/{flowId}/{key}` (open without
 * credentials; the key is the secret) starts an execution of the flow whose Webhook trigger has
 * that key. The request becomes `trigger.body` (JSON when it parses, else text),
 * `trigger.headers` and `trigger.parameters`. With `wait` the answer comes once the execution
 * has ended, and with `returnOutputs` it is the flow's outputs.
 *
 * This path is benchmarked (bench/webhook.ts): per request it reads the flow's latest revision
 * (the runtime's flow cache keeps it parsed) and nothing else from the store; the keys of a
 * revision's Webhook triggers are rendered once and cached.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JsonTooDeepError, parseJsonBounded } from '../../bounded-json.js';
import { templates, toText } from '../../expr/index.js';
import { executionJson } from '../../engine/kestra-json.js';
import { newId } from '../../engine/ids.js';
import { executionSecrets } from '../../engine/secret-mask.js';
import { conditionsHold } from '../../engine/scheduler/conditions.js';
import {
  disabledInFlow,
  renderContext,
  renderDeep,
  renderer,
  triggerLabels,
} from '../../engine/scheduler/firing.js';
import { readSecret } from '../../engine/worker/host-functions.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { Flow, FlowTrigger } from '../../flow/index.js';
import type { ServerDeps } from '../deps.js';
import { jsonTooDeep } from '../json-body.js';

const WEBHOOK_TYPE = 'io.kestra.plugin.core.trigger.Webhook';
const TIME_ZONE = 'UTC';
const CACHE_LIMIT = 10_000;

interface WebhookParams {
  namespace: string;
  flowId: string;
  key: string;
}

/** The Webhook triggers of one flow revision, by rendered key. */
type KeyIndex = Map<string, FlowTrigger>;

function notFound(namespace: string, flowId: string, why: string): WindhoverError {
  return new WindhoverError(
    ErrorCodes.WEBHOOK_NOT_FOUND,
    `No webhook for ${namespace}.${flowId} with this key: ${why}`,
    {
      namespace,
      flowId,
    },
  );
}

/** A trigger's key as the URL must carry it (`{{ secret('X') }}` and other expressions rendered). */
function renderKey(flow: Flow, trigger: FlowTrigger): string | undefined {
  const key = toText(trigger.key);
  if (!key.includes('{{') && !key.includes('{%')) return key.trim();
  try {
    const rendered = templates.render(key, renderContext(flow, {}), {
      timeZone: TIME_ZONE,
      host: { secret: ([name]) => readSecret(process.env, toText(name)) },
    });
    return rendered.trim();
  } catch (error) {
    console.error(
      `webhook: the key of ${flow.namespace}.${flow.id}.${trigger.id} cannot be rendered: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}

function keyIndex(flow: Flow): KeyIndex {
  const index: KeyIndex = new Map();
  for (const trigger of flow.triggers) {
    if (trigger.type !== WEBHOOK_TYPE) continue;
    const key = renderKey(flow, trigger);
    if (key !== undefined && !index.has(key)) index.set(key, trigger);
  }
  return index;
}

/** Request headers (or query values) as Kestra gives them: each name with a list of values. */
function listValues(values: Record<string, string | string[] | undefined>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  return out;
}

/** The body: JSON when it parses, else the text; absent when empty. */
function bodyValue(body: unknown): unknown {
  if (typeof body !== 'string') return body ?? null;
  if (body === '') return null;
  const first = body.trimStart()[0];
  if (first === '{' || first === '[' || first === '"') {
    try {
      return parseJsonBounded(body);
    } catch (error) {
      if (error instanceof JsonTooDeepError) throw jsonTooDeep('The webhook body');
      // Not JSON after all: kept as text, as Kestra does.
    }
  }
  return body;
}

/** The answer of `wait` + `returnOutputs`: the outputs, typed and coded as the trigger asks. */
function sendOutputs(
  reply: FastifyReply,
  trigger: FlowTrigger,
  outputs: Record<string, unknown>,
  failed: boolean,
): FastifyReply {
  const code = typeof trigger.responseCode === 'number' ? trigger.responseCode : failed ? 500 : 200;
  if (trigger.responseContentType === 'text/plain') {
    const values = Object.values(outputs);
    const text = values.length === 1 ? toText(values[0]) : JSON.stringify(outputs);
    return reply.status(code).type('text/plain; charset=utf-8').send(text);
  }
  return reply.status(code).type('application/json; charset=utf-8').send(outputs);
}

/** Registers the webhook route (GET, POST and PUT). */
export function registerWebhookRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { runtime, scheduler } = deps;
  const indexes = new Map<string, KeyIndex>();

  const lookup = (flow: Flow): KeyIndex => {
    const cacheKey = `${flow.namespace}\u0000${flow.id}\u0000${flow.revision ?? 0}`;
    let index = indexes.get(cacheKey);
    if (!index) {
      if (indexes.size >= CACHE_LIMIT) indexes.clear();
      index = keyIndex(flow);
      indexes.set(cacheKey, index);
    }
    return index;
  };

  const handle = async (request: FastifyRequest<{ Params: WebhookParams }>, reply: FastifyReply) => {
    const { namespace, flowId, key } = request.params;
    const flow = await runtime.flows.get(namespace, flowId);
    if (!flow) throw notFound(namespace, flowId, 'the flow does not exist');
    const trigger = lookup(flow).get(key);
    if (!trigger) throw notFound(namespace, flowId, 'no Webhook trigger of the flow has this key');
    // As Kestra: a disabled flow is a conflict (409), a disabled trigger is not found.
    if (flow.disabled)
      throw new WindhoverError(ErrorCodes.EXECUTION_STATE, `Flow ${namespace}.${flowId} is disabled`, {
        namespace,
        flowId,
      });
    if (disabledInFlow(flow, trigger)) throw notFound(namespace, flowId, 'the trigger is disabled');
    const state = await scheduler.getTrigger(namespace, flowId, trigger.id).catch(() => undefined);
    if (state?.disabled) throw notFound(namespace, flowId, 'the trigger is disabled');

    const variables = {
      body: bodyValue(request.body),
      headers: listValues(request.headers),
      parameters: listValues(request.query as Record<string, string | string[] | undefined>),
    };
    const context = renderContext(flow, variables);
    if (
      trigger.conditions !== undefined &&
      !conditionsHold(trigger.conditions, { render: renderer(context, TIME_ZONE) })
    )
      return reply.status(204).send();
    const raw = trigger.inputs !== undefined ? renderDeep(trigger.inputs, context, TIME_ZONE) : {};
    const inputs = runtime.prepareInputs(flow, (raw ?? {}) as Record<string, unknown>);
    const id = newId();
    const labels = trigger.labels !== undefined ? renderDeep(trigger.labels, context, TIME_ZONE) : undefined;
    const execution = await runtime.submit(flow, {
      id,
      inputs,
      labels: triggerLabels(id, labels),
      trigger: { id: trigger.id, type: trigger.type, variables },
    });
    // What is answered hides the process's secrets and the SECRET inputs (the flow is at hand).
    const secrets = executionSecrets(runtime.taskEnv, flow, execution);
    if (trigger.wait !== true) return reply.send(executionJson(execution, secrets));
    const ended = await runtime.waitForEnd(id);
    if (trigger.returnOutputs === true)
      return sendOutputs(
        reply,
        trigger,
        secrets.mask.deep(ended.outputs ?? {}),
        ended.state.current === 'FAILED',
      );
    return reply.send(executionJson(ended, secrets));
  };

  void app.register((scope, _options, done) => {
    // Any content type is taken: JSON when it parses, else text (Kestra's webhook body).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.route<{ Params: WebhookParams }>({
      method: ['GET', 'POST', 'PUT'],
      url: '/executions/webhook/:namespace/:flowId/:key',
      schema: {
        summary: 'Start an execution from a Webhook trigger (no credentials: the key is the secret)',
        tags: ['Executions'],
      },
      handler: handle,
    });
    done();
  });
}
