/**
 * Triggers, with Kestra's paths and shapes: search (each trigger as `{ abstractTrigger,
 * triggerContext }`), a flow's triggers, update through `PUT /triggers` (its `disabled` and a new
 * `backfill`), enable/disable in bulk, and backfill pause, unpause and delete. The scheduler
 * (src/engine/scheduler/contract.ts) does the work; this file maps shapes and checks bodies.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BackfillRequest, SchedulerApi, TriggerView } from '../../engine/scheduler/contract.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { Page, Store } from '../../store/contract.js';
import type { ServerDeps } from '../deps.js';
import { queryParameters } from '../openapi.js';
import { MAX_PAGE_SIZE, queryPage, queryText } from './paging.js';
import type { Query } from './paging.js';

/** Kestra's `Trigger` (the trigger context), with Windhover's extra fields. */
export type TriggerContextView = Omit<TriggerView, 'lastFireDate' | 'updated'> & {
  /** The last slot fired (Kestra's `date`). */
  date?: string;
  updatedDate?: string;
};

const TAGS = ['Triggers'];

const LABELS = z.union([
  z.array(z.object({ key: z.string(), value: z.string() })),
  // Kestra's UI also sends labels as a map.
  z
    .record(z.string(), z.string())
    .transform((map) => Object.entries(map).map(([key, value]) => ({ key, value }))),
]);

const TRIGGER_ID = z.object({
  namespace: z.string().min(1),
  flowId: z.string().min(1),
  triggerId: z.string().min(1),
});

const BACKFILL = z.object({
  start: z.string().min(1),
  end: z.string().min(1).nullish(),
  inputs: z.record(z.string(), z.unknown()).nullish(),
  labels: LABELS.nullish(),
});

/** The body of `PUT /triggers`: the trigger context; only `disabled` and `backfill` are read. */
const TRIGGER_UPDATE = TRIGGER_ID.extend({
  disabled: z.boolean().nullish(),
  backfill: BACKFILL.nullish(),
}).loose();
const SET_DISABLED = TRIGGER_ID.extend({ disabled: z.boolean() });
const BULK_DISABLED = z.object({ triggers: z.array(TRIGGER_ID.loose()), disabled: z.boolean() });
const TRIGGER_LIST = z.array(TRIGGER_ID.loose());

type TriggerId = z.infer<typeof TRIGGER_ID>;

/** Parses a body against a schema; a mismatch is a 400 naming each wrong field. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  throw new WindhoverError(
    ErrorCodes.REQUEST_INVALID,
    `Invalid ${what}: ${problems.map((p) => `${p.path || 'body'}: ${p.message}`).join('; ')}`,
    problems,
  );
}

/** The trigger context of a scheduler view, in Kestra's field names. */
export function triggerContextView(view: TriggerView): TriggerContextView {
  const { lastFireDate, updated, ...rest } = view;
  return {
    ...rest,
    ...(lastFireDate !== undefined ? { date: lastFireDate } : {}),
    ...(updated !== undefined ? { updatedDate: updated } : {}),
  };
}

/** The trigger as the flow declares it (Kestra's `abstractTrigger`), or null when gone. */
async function declaredTriggers(
  store: Store,
  views: readonly TriggerView[],
): Promise<Map<string, Record<string, unknown> | null>> {
  const out = new Map<string, Record<string, unknown> | null>();
  const flows = new Map<string, Array<Record<string, unknown>>>();
  for (const view of views) {
    const flowKey = `${view.namespace}\u0000${view.flowId}`;
    let triggers = flows.get(flowKey);
    if (!triggers) {
      const flow = await store.getFlow(view.namespace, view.flowId);
      const declared = flow?.definition.triggers;
      triggers = Array.isArray(declared) ? (declared as Array<Record<string, unknown>>) : [];
      flows.set(flowKey, triggers);
    }
    out.set(`${flowKey}\u0000${view.triggerId}`, triggers.find((t) => t.id === view.triggerId) ?? null);
  }
  return out;
}

/** Starts the backfill a `PUT /triggers` body asks for, unless it is the one running already. */
async function applyBackfill(
  scheduler: SchedulerApi,
  id: TriggerId,
  current: TriggerView,
  backfill: z.infer<typeof BACKFILL>,
): Promise<void> {
  // Kestra's UI sends the whole trigger back: the backfill it already has is not a new one.
  if (current.backfill && current.backfill.start === backfill.start && !current.backfill.done) return;
  const request: BackfillRequest = {
    start: backfill.start,
    ...(backfill.end ? { end: backfill.end } : {}),
    ...(backfill.inputs ? { inputs: backfill.inputs } : {}),
    ...(backfill.labels ? { labels: backfill.labels } : {}),
  };
  await scheduler.startBackfill(id.namespace, id.flowId, id.triggerId, request);
}

/** Registers the triggers routes. */
export function registerTriggerRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { scheduler, store } = deps;

  app.get<{ Querystring: Query }>(
    '/triggers/search',
    {
      schema: {
        summary:
          'Search triggers (q, namespace prefix, flowId, page, size): { results: [{ abstractTrigger, triggerContext }], total }',
        tags: TAGS,
        querystring: queryParameters({
          q: 'Text in the namespace, flow id or trigger id (any case)',
          namespace: 'A namespace (its children included)',
          flowId: 'A flow id',
          page: 'The page, from 1',
          size: 'Triggers per page',
        }),
      },
    },
    async (request) => {
      const namespace = queryText(request.query, 'namespace');
      const flowId = queryText(request.query, 'flowId');
      const query = queryText(request.query, 'q')?.toLowerCase();
      const paging = queryPage(request.query);
      const filter = { ...(namespace ? { namespace } : {}), ...(flowId ? { flowId } : {}) };
      let page: Page<TriggerView>;
      if (query === undefined) page = await scheduler.listTriggers({ ...filter, ...paging });
      else {
        // The scheduler has no text filter: match on every trigger, then cut the page here.
        const all = await scheduler.listTriggers({ ...filter, page: 1, size: MAX_PAGE_SIZE });
        const found = all.results.filter((view) =>
          [view.namespace, view.flowId, view.triggerId].some((text) => text.toLowerCase().includes(query)),
        );
        const from = (paging.page - 1) * paging.size;
        page = { results: found.slice(from, from + paging.size), total: found.length };
      }
      const declared = await declaredTriggers(store, page.results);
      return {
        results: page.results.map((view) => ({
          abstractTrigger:
            declared.get(`${view.namespace}\u0000${view.flowId}\u0000${view.triggerId}`) ?? null,
          triggerContext: triggerContextView(view),
        })),
        total: page.total,
      };
    },
  );

  app.get<{ Params: { namespace: string; flowId: string }; Querystring: Query }>(
    '/triggers/:namespace/:flowId',
    { schema: { summary: "A flow's triggers: { results: [triggerContext], total }", tags: TAGS } },
    async (request) => {
      const page = await scheduler.listTriggers({
        namespace: request.params.namespace,
        flowId: request.params.flowId,
        ...queryPage(request.query),
      });
      // listTriggers matches child namespaces too; a flow's triggers are in its own only.
      const own = page.results.filter((view) => view.namespace === request.params.namespace);
      return { results: own.map(triggerContextView), total: page.total - (page.results.length - own.length) };
    },
  );

  app.put(
    '/triggers',
    {
      schema: {
        summary: 'Update a trigger: `disabled`, and a `backfill` { start, end, inputs, labels } to start one',
        tags: TAGS,
      },
    },
    async (request) => {
      const body = parseBody(TRIGGER_UPDATE, request.body, 'trigger');
      const current = await scheduler.getTrigger(body.namespace, body.flowId, body.triggerId);
      if (body.backfill) await applyBackfill(scheduler, body, current, body.backfill);
      if (typeof body.disabled === 'boolean' && body.disabled !== current.disabled)
        await scheduler.setTriggerDisabled(body.namespace, body.flowId, body.triggerId, body.disabled);
      return triggerContextView(await scheduler.getTrigger(body.namespace, body.flowId, body.triggerId));
    },
  );

  app.put(
    '/triggers/set-disabled',
    {
      schema: {
        summary: 'Disable or enable one trigger: { namespace, flowId, triggerId, disabled }',
        tags: TAGS,
      },
    },
    async (request) => {
      const body = parseBody(SET_DISABLED, request.body, 'request');
      const view = await scheduler.setTriggerDisabled(
        body.namespace,
        body.flowId,
        body.triggerId,
        body.disabled,
      );
      return triggerContextView(view);
    },
  );

  app.post(
    '/triggers/set-disabled/by-triggers',
    {
      schema: {
        summary: 'Disable or enable triggers: { triggers: [...], disabled } → { count }',
        tags: TAGS,
      },
    },
    async (request) => {
      const body = parseBody(BULK_DISABLED, request.body, 'request');
      // Checked first, so that an unknown trigger changes nothing.
      for (const t of body.triggers) await scheduler.getTrigger(t.namespace, t.flowId, t.triggerId);
      for (const t of body.triggers)
        await scheduler.setTriggerDisabled(t.namespace, t.flowId, t.triggerId, body.disabled);
      return { count: body.triggers.length };
    },
  );

  const backfillAction = (
    trigger: TriggerId,
    action: 'pause' | 'unpause' | 'delete',
  ): Promise<TriggerView> =>
    action === 'delete'
      ? scheduler.deleteBackfill(trigger.namespace, trigger.flowId, trigger.triggerId)
      : scheduler.setBackfillPaused(trigger.namespace, trigger.flowId, trigger.triggerId, action === 'pause');

  for (const [method, action] of [
    ['PUT', 'pause'],
    ['PUT', 'unpause'],
    ['POST', 'delete'],
  ] as const) {
    app.route({
      method,
      url: `/triggers/backfill/${action}`,
      schema: {
        summary: `${action.charAt(0).toUpperCase()}${action.slice(1)} the backfill of a trigger`,
        tags: TAGS,
      },
      handler: async (request) => {
        const body = parseBody(TRIGGER_ID.loose(), request.body, 'trigger');
        return triggerContextView(await backfillAction(body, action));
      },
    });
    app.post(
      `/triggers/backfill/${action}/by-triggers`,
      {
        schema: {
          summary: `${action.charAt(0).toUpperCase()}${action.slice(1)} the backfills of several triggers → { count }`,
          tags: TAGS,
        },
      },
      async (request) => {
        const triggers = parseBody(TRIGGER_LIST, request.body, 'trigger list');
        let count = 0;
        for (const trigger of triggers) {
          try {
            await backfillAction(trigger, action);
            count++;
          } catch (error) {
            // As Kestra does in bulk: a trigger without a backfill is skipped, not an error.
            if (!(error instanceof WindhoverError) || error.code !== ErrorCodes.BACKFILL_INVALID) throw error;
          }
        }
        return { count };
      },
    );
  }
}
