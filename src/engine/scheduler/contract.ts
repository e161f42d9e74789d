/**
 * What the scheduler offers the server: the triggers it knows (with their next fire dates),
 * enabling and disabling them, and backfills. The scheduler itself lives beside this file.
 */
import type { Page } from '../../store/contract.js';
import type { Label } from '../../flow/model.js';

/** A backfill of a Schedule trigger: one execution per slot from `start` to `end`. */
export interface BackfillView {
  /** ISO-8601 instants. */
  start: string;
  end: string;
  /** The next slot the backfill will fire, absent once it is done. */
  currentDate?: string;
  paused: boolean;
  inputs?: Record<string, unknown>;
  labels?: Label[];
  /** Executions created so far, slots skipped (their conditions failed), and slots in the range. */
  created: number;
  skipped: number;
  total: number;
  done: boolean;
}

/** One trigger of a flow, as the scheduler sees it. */
export interface TriggerView {
  namespace: string;
  flowId: string;
  triggerId: string;
  /** Canonical trigger type. */
  type: string;
  /** Disabled in the flow's YAML or through the API. */
  disabled: boolean;
  /** Schedule only: the next slot it will fire (ISO-8601), absent when disabled or stopped. */
  nextExecutionDate?: string;
  /** Schedule only: the last slot it fired. */
  lastFireDate?: string;
  /** Schedule only, as written. */
  cron?: string;
  timezone?: string;
  backfill?: BackfillView;
  /** ISO-8601 instant of the last change of the trigger's state. */
  updated?: string;
  /** Set when `stopAfter` disabled the trigger: the execution whose end did. */
  stoppedBy?: string;
  /** Schedule only: why it cannot run (an invalid cron or time zone). */
  error?: string;
}

export interface TriggerFilter {
  namespace?: string;
  flowId?: string;
  /** 1-based. */
  page?: number;
  size?: number;
}

export interface BackfillRequest {
  /** ISO-8601 instants (or dates with offsets); `end` defaults to now. */
  start: string;
  end?: string;
  inputs?: Record<string, unknown>;
  labels?: Label[];
}

/** The scheduler as the server and the CLI use it. Errors are WindhoverErrors (WH_TRIGGER_NOT_FOUND, WH_BACKFILL_INVALID). */
export interface SchedulerApi {
  listTriggers(filter: TriggerFilter): Promise<Page<TriggerView>>;
  getTrigger(namespace: string, flowId: string, triggerId: string): Promise<TriggerView>;
  setTriggerDisabled(
    namespace: string,
    flowId: string,
    triggerId: string,
    disabled: boolean,
  ): Promise<TriggerView>;
  startBackfill(
    namespace: string,
    flowId: string,
    triggerId: string,
    request: BackfillRequest,
  ): Promise<TriggerView>;
  setBackfillPaused(
    namespace: string,
    flowId: string,
    triggerId: string,
    paused: boolean,
  ): Promise<TriggerView>;
  deleteBackfill(namespace: string, flowId: string, triggerId: string): Promise<TriggerView>;
  /** A flow was saved or deleted: read its triggers again (called by every path that deploys flows). */
  flowChanged(namespace: string, flowId: string): Promise<void>;
}
