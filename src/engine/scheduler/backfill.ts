/**
 * Backfills of Schedule triggers: one execution per slot of [start, end], created a batch per
 * wake-up (so thousands of slots never go at once), each committed with the backfill's progress
 * (its cursor and counts) so that a restart resumes it without firing a slot twice. A backfill
 * runs beside the regular schedule, which goes on firing meanwhile.
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { BackfillRequest, BackfillView } from './contract.js';
import { labelList } from './firing.js';
import type { BackfillMemory } from './memory.js';
import type { SchedulerCore, TriggerEntry } from './scheduler.js';
import { formatInZone, slotVariables } from './slots.js';

/** Slots of one backfill created per wake-up. */
const SLOTS_PER_STEP = 50;
/** Most slots a backfill may hold. */
export const MAX_BACKFILL_SLOTS = 100_000;

export class BackfillRunner {
  constructor(private readonly core: SchedulerCore) {}

  /** Whether the entry has a backfill with slots left to fire, not paused. */
  pending(entry: TriggerEntry): boolean {
    const backfill = entry.memory.backfill;
    // A flow disabled in YAML runs nothing; a disabled trigger holds only its regular slots.
    if (backfill === undefined || backfill.paused || entry.flow.disabled) return false;
    return this.nextSlot(entry, backfill) !== undefined;
  }

  private nextSlot(entry: TriggerEntry, backfill: BackfillMemory): Date | undefined {
    const slot = entry.slots?.next(new Date(backfill.cursor));
    return slot && slot.getTime() <= Date.parse(backfill.end) ? slot : undefined;
  }

  /** Fires the next batch of slots; false when the store failed. */
  async step(entry: TriggerEntry): Promise<boolean> {
    for (let i = 0; i < SLOTS_PER_STEP; i++) {
      const backfill = entry.memory.backfill;
      if (!backfill || backfill.paused) return true;
      const slot = this.nextSlot(entry, backfill);
      if (!slot) return true;
      const cursor = slot.toISOString();
      const created = { ...entry.memory, backfill: { ...backfill, cursor, created: backfill.created + 1 } };
      const skipped = { ...entry.memory, backfill: { ...backfill, cursor, skipped: backfill.skipped + 1 } };
      const ok = await this.core.startExecution(entry, slotVariables(entry.slots!, slot), created, {
        ...(backfill.inputs ? { inputs: backfill.inputs } : {}),
        ...(backfill.labels ? { labels: backfill.labels } : {}),
        onSkip: skipped,
      });
      if (!ok) return false;
    }
    return true;
  }

  /** Starts a backfill over [start, end] (end defaults to now). */
  async start(entry: TriggerEntry, request: BackfillRequest): Promise<void> {
    const slots = entry.slots;
    if (!slots || entry.broken) {
      throw new WindhoverError(
        ErrorCodes.BACKFILL_INVALID,
        `Only a Schedule trigger can be backfilled; ${entry.trigger.id} is a ${entry.trigger.type}${entry.broken ? ` (${entry.broken})` : ''}`,
      );
    }
    const current = entry.memory.backfill;
    if (current && this.nextSlot(entry, current)) {
      throw new WindhoverError(
        ErrorCodes.BACKFILL_INVALID,
        `Trigger ${entry.trigger.id} has a backfill in progress; delete it first`,
      );
    }
    const start = parseInstant(request.start, 'start');
    const end = request.end === undefined ? this.core.clock.now() : parseInstant(request.end, 'end');
    if (start.getTime() > end.getTime()) {
      throw new WindhoverError(ErrorCodes.BACKFILL_INVALID, 'The backfill start is after its end', {
        start: request.start,
        end: request.end,
      });
    }
    // The start slot itself is included: slots after (start - 1 ms).
    const cursor = new Date(start.getTime() - 1);
    const total = slots.between(cursor, end, MAX_BACKFILL_SLOTS + 1).length;
    if (total > MAX_BACKFILL_SLOTS) {
      throw new WindhoverError(
        ErrorCodes.BACKFILL_INVALID,
        `The backfill holds more than ${MAX_BACKFILL_SLOTS} slots; split the range`,
      );
    }
    const labels = labelList(request.labels);
    const backfill: BackfillMemory = {
      start: start.toISOString(),
      end: end.toISOString(),
      cursor: cursor.toISOString(),
      paused: false,
      ...(request.inputs ? { inputs: request.inputs } : {}),
      ...(labels.length > 0 ? { labels } : {}),
      created: 0,
      skipped: 0,
      total,
    };
    await this.core.saveMemory(entry, { ...entry.memory, backfill });
  }

  /** The API's view of a backfill. */
  view(entry: TriggerEntry): BackfillView | undefined {
    const backfill = entry.memory.backfill;
    const slots = entry.slots;
    if (!backfill || !slots) return undefined;
    const next = this.nextSlot(entry, backfill);
    return {
      start: formatInZone(new Date(backfill.start), slots.zone),
      end: formatInZone(new Date(backfill.end), slots.zone),
      ...(next ? { currentDate: formatInZone(next, slots.zone) } : {}),
      paused: backfill.paused,
      ...(backfill.inputs ? { inputs: backfill.inputs } : {}),
      ...(backfill.labels ? { labels: backfill.labels } : {}),
      created: backfill.created,
      skipped: backfill.skipped,
      total: backfill.total,
      done: next === undefined,
    };
  }
}

function parseInstant(text: string, what: string): Date {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  if (Number.isNaN(ms) || !/T|^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new WindhoverError(
      ErrorCodes.BACKFILL_INVALID,
      `The backfill ${what} \`${String(text)}\` is not an ISO-8601 date-time`,
    );
  }
  return new Date(ms);
}
