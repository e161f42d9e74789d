/**
 * Triggers as the API shows them (`GET /triggers/search`, see src/server/routes/triggers.ts) and
 * the calls the Triggers page makes: enable/disable, start a backfill, pause/resume/delete it.
 */
import { api } from './client';
import type { Label, Page } from './types';

/** A backfill of a Schedule trigger: one execution per slot from `start` to `end`. */
export interface Backfill {
  start: string;
  end: string;
  /** The next slot it will fire; absent once done. */
  currentDate?: string;
  paused: boolean;
  inputs?: Record<string, unknown>;
  labels?: Label[];
  created: number;
  skipped: number;
  total: number;
  done: boolean;
}

/** The scheduler's state of one trigger (Kestra's trigger context). */
export interface TriggerContext {
  namespace: string;
  flowId: string;
  triggerId: string;
  type: string;
  disabled: boolean;
  nextExecutionDate?: string;
  /** The last slot fired. */
  date?: string;
  cron?: string;
  timezone?: string;
  backfill?: Backfill;
  updatedDate?: string;
  stoppedBy?: string;
  /** Why a Schedule cannot run (bad cron or zone). */
  error?: string;
}

/** One search result: the trigger as declared in the flow (null when gone) and its state. */
export interface TriggerSearchItem {
  abstractTrigger: Record<string, unknown> | null;
  triggerContext: TriggerContext;
}

export interface TriggerFilter {
  namespace?: string;
  flowId?: string;
  q?: string;
  page: number;
  size: number;
}

/** What identifies a trigger in every request body. */
export type TriggerKey = Pick<TriggerContext, 'namespace' | 'flowId' | 'triggerId'>;

export interface BackfillRequest {
  start: string;
  end?: string;
  inputs?: Record<string, unknown>;
  labels?: Label[];
}

/** A page of triggers matching the filter. */
export function searchTriggers(
  filter: TriggerFilter,
  signal?: AbortSignal,
): Promise<Page<TriggerSearchItem>> {
  return api('/triggers/search', { query: { ...filter }, ...(signal ? { signal } : {}) });
}

/** The current state of one trigger (from its flow's triggers). */
export async function getTrigger(key: TriggerKey, signal?: AbortSignal): Promise<TriggerContext> {
  const page = await api<Page<TriggerContext>>(
    `/triggers/${encodeURIComponent(key.namespace)}/${encodeURIComponent(key.flowId)}`,
    signal ? { signal } : {},
  );
  const found = page.results.find((t) => t.triggerId === key.triggerId);
  if (!found) throw new Error(`Trigger ${key.triggerId} of ${key.namespace}.${key.flowId} no longer exists`);
  return found;
}

/** Disables or enables a trigger; answers its new state. */
export function setTriggerDisabled(key: TriggerKey, disabled: boolean): Promise<TriggerContext> {
  return api('/triggers/set-disabled', { method: 'PUT', body: { ...keyOf(key), disabled } });
}

/** Starts a backfill (`PUT /triggers` with a `backfill`). */
export function startBackfill(key: TriggerKey, backfill: BackfillRequest): Promise<TriggerContext> {
  return api('/triggers', { method: 'PUT', body: { ...keyOf(key), backfill } });
}

/** Pauses, resumes or deletes the backfill of a trigger. */
export function backfillAction(
  key: TriggerKey,
  action: 'pause' | 'unpause' | 'delete',
): Promise<TriggerContext> {
  return api(`/triggers/backfill/${action}`, {
    method: action === 'delete' ? 'POST' : 'PUT',
    body: keyOf(key),
  });
}

function keyOf(key: TriggerKey): TriggerKey {
  return { namespace: key.namespace, flowId: key.flowId, triggerId: key.triggerId };
}
