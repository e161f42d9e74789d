/**
 * What the scheduler remembers of each trigger, stored as the trigger state (free JSON in the
 * store, committed with the executions the trigger creates).
 */
import type { Label } from '../../flow/model.js';

/** A backfill in progress (or done). Instants are ISO-8601. */
export interface BackfillMemory {
  start: string;
  end: string;
  /** Slots after this instant are still to fire. */
  cursor: string;
  paused: boolean;
  inputs?: Record<string, unknown>;
  labels?: Label[];
  /** Executions created, slots skipped by conditions, and slots in [start, end]. */
  created: number;
  skipped: number;
  total: number;
}

/** Results of a Flow trigger's preconditions in the current window. */
export interface PreconditionMemory {
  /** The fixed window the results belong to (absent for sliding windows). */
  windowStart?: string;
  /** Key of a met precondition → when it was met (ISO-8601). */
  results: Record<string, string>;
  /** The flow outputs of the executions that met a precondition in this window, merged. */
  outputs?: Record<string, unknown>;
}

export interface TriggerMemory {
  /** Schedule: slots strictly after this instant are due. Absent for a trigger never seen. */
  cursor?: string;
  /** Schedule: the last slot that fired. */
  lastSlot?: string;
  /** Disabled through the API, or by `stopAfter`. */
  disabled?: boolean;
  /** The execution whose end disabled the trigger (`stopAfter`). */
  stoppedBy?: string;
  backfill?: BackfillMemory;
  preconditions?: PreconditionMemory;
  /**
   * The latest execution transitions (their `seq`) whose reaction (Flow trigger, `stopAfter`)
   * this memory holds. A transition is removed only after the scheduler reacted to it, so one
   * read again (its scheduler died first) is recognised here and not reacted to twice.
   */
  reacted?: number[];
  /** Polling triggers: when the last poll ended (ISO-8601); the next is due `interval` after. */
  lastPoll?: string;
  /** Polling triggers: what the trigger's plugin remembers between polls (objects seen…). */
  poll?: Record<string, unknown>;
}

/** How many reacted transitions a memory keeps: more than a scheduler reads before removing. */
export const REACTED_KEPT = 256;

/** `memory` noting that it holds the reaction to transition `seq`. */
export function withReacted(memory: TriggerMemory, seq: number): TriggerMemory {
  const reacted = [...(memory.reacted ?? []), seq];
  return { ...memory, reacted: reacted.slice(-REACTED_KEPT) };
}

/** Reads a stored state (written by this module, so trusted to have its shape). */
export function readMemory(state: Record<string, unknown> | undefined): TriggerMemory {
  // Written by this module only, so trusted to have its shape.
  const memory: TriggerMemory = state ?? {};
  return memory;
}
