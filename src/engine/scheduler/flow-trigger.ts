/**
 * The Flow trigger: does an ended upstream execution start this flow? `states`, `conditions`,
 * then `preconditions` or `dependsOn` (see preconditions.ts), met within the time window; results
 * are kept in the trigger state until enough are met.
 */
import { parseIsoDuration } from '../../flow/duration.js';
import type { FlowTrigger } from '../../flow/model.js';
import type { Execution } from '../model.js';
import { CORRELATION_ID } from '../runtime/new-execution.js';
import { conditionsHold, textOf } from './conditions.js';
import type { RenderFn } from './conditions.js';
import type { PreconditionMemory } from './memory.js';
import { preconditionsOf } from './preconditions.js';
import { offsetMinutesAt, parseZone } from './slots.js';

const DEFAULT_STATES = [
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRIED',
  'SKIPPED',
  'PAUSED',
];
const DAY_MS = 86_400_000;

export interface FlowTriggerDecision {
  fire: boolean;
  /** The new precondition results, when they changed. */
  preconditions?: PreconditionMemory;
  /**
   * When it fires: the flow outputs of every execution that met a precondition in the window,
   * merged (the latest wins on a key), which the new execution reads as `trigger.outputs`.
   */
  outputs?: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

/**
 * The trigger variables of an execution started by a Flow trigger; `outputs` are the
 * upstream's flow outputs, or those merged over the precondition window.
 */
export function flowTriggerVariables(
  upstream: Execution,
  outputs?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    executionId: upstream.id,
    namespace: upstream.namespace,
    flowId: upstream.flowId,
    flowRevision: upstream.flowRevision,
    state: upstream.state.current,
    // Its own labels: the correlation id is the chain's, passed on as a label (Kestra leaves it out).
    executionLabels: Object.fromEntries(
      upstream.labels.filter((l) => l.key !== CORRELATION_ID).map((l) => [l.key, l.value]),
    ),
    outputs: outputs ?? upstream.outputs ?? {},
  };
}

/** Decides whether the trigger fires for `upstream`, updating its precondition results. */
export function evaluateFlowTrigger(
  trigger: FlowTrigger,
  upstream: Execution,
  stored: PreconditionMemory | undefined,
  now: Date,
  render: RenderFn,
  defaultZone: string,
): FlowTriggerDecision {
  const states = Array.isArray(trigger.states) ? (trigger.states as string[]) : DEFAULT_STATES;
  if (!states.includes(upstream.state.current)) return { fire: false };
  if (!conditionsHold(trigger.conditions, { render, upstream })) return { fire: false };
  const spec = preconditionsOf(trigger);
  if (!spec || spec.keys.length === 0) return { fire: true };
  const window = currentWindow(spec.timeWindow, now, defaultZone);
  if (!window) return { fire: false }; // outside a daily window: nothing counts
  const memory = freshResults(stored, window, now);
  let matched = false;
  for (const [key, test] of spec.keys) {
    if (!test(upstream, render)) continue;
    memory.results[key] = now.toISOString();
    matched = true;
  }
  if (!matched) return { fire: false };
  if (upstream.outputs && Object.keys(upstream.outputs).length > 0)
    memory.outputs = deepMerge(memory.outputs ?? {}, upstream.outputs);
  const met = spec.keys.filter(([key]) => memory.results[key] !== undefined).length;
  const enough =
    spec.mode === 'ANY'
      ? met > 0
      : spec.mode === 'AT_LEAST'
        ? met >= spec.minSatisfied
        : met === spec.keys.length;
  const outputs = memory.outputs;
  if (enough && spec.resetOnSuccess) {
    memory.results = {};
    delete memory.outputs;
  }
  return { fire: enough, preconditions: memory, ...(enough && outputs ? { outputs } : {}) };
}

/** `base` with `added` merged in, maps deeply, `added` winning elsewhere (Kestra's deepMerge). */
function deepMerge(base: Obj, added: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(added)) {
    const current = out[key];
    out[key] = isObj(current) && isObj(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The window results must fall in: fixed [start, end) or sliding (start only moves). */
interface Window {
  start: number;
  fixed: boolean;
}

function currentWindow(timeWindow: Obj | undefined, now: Date, defaultZone: string): Window | undefined {
  const type = typeof timeWindow?.type === 'string' ? timeWindow.type : 'DURATION_WINDOW';
  const length = durationMs(timeWindow?.window) ?? DAY_MS;
  const zone = parseZone(typeof timeWindow?.timezone === 'string' ? timeWindow.timezone : defaultZone);
  const offsetMs = offsetMinutesAt(zone, now) * 60_000;
  const midnight = Math.floor((now.getTime() + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  switch (type) {
    case 'SLIDING_WINDOW':
      return { start: now.getTime() - length, fixed: false };
    case 'DAILY_TIME_DEADLINE': {
      const deadline = midnight + timeOfDayMs(timeWindow?.deadline);
      return now.getTime() <= deadline ? { start: midnight, fixed: true } : undefined;
    }
    case 'DAILY_TIME_WINDOW': {
      const start = midnight + timeOfDayMs(timeWindow?.startTime);
      const end = midnight + timeOfDayMs(timeWindow?.endTime);
      return now.getTime() >= start && now.getTime() <= end ? { start, fixed: true } : undefined;
    }
    default: {
      const advance = durationMs(timeWindow?.windowAdvance) ?? 0;
      const base = midnight + advance;
      const start = base + Math.floor((now.getTime() - base) / length) * length;
      return { start, fixed: true };
    }
  }
}

function freshResults(stored: PreconditionMemory | undefined, window: Window, now: Date): PreconditionMemory {
  const start = new Date(window.start).toISOString();
  if (window.fixed) {
    const same = stored?.windowStart === start;
    if (!same) return { windowStart: start, results: {} };
    return { windowStart: start, results: { ...stored.results }, ...outputsOf(stored) };
  }
  const kept = Object.entries(stored?.results ?? {}).filter(
    ([, at]) => Date.parse(at) >= window.start && Date.parse(at) <= now.getTime(),
  );
  // Outputs are not dated: they are kept while a result of the window is.
  return { results: Object.fromEntries(kept), ...(kept.length > 0 && stored ? outputsOf(stored) : {}) };
}

function outputsOf(stored: PreconditionMemory): { outputs?: Record<string, unknown> } {
  return stored.outputs ? { outputs: stored.outputs } : {};
}

/** Milliseconds after midnight of `HH:mm[:ss][offset]` (the offset is ignored: the zone rules). */
function timeOfDayMs(value: unknown): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?/.exec(textOf(value));
  if (!match) return 0;
  return (Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0)) * 1000;
}

function durationMs(value: unknown): number | undefined {
  return typeof value === 'string' ? parseIsoDuration(value) : undefined;
}
