/** The backfill form's fields checked and turned into the API's request. */
import type { BackfillRequest } from '../../api/triggers';
import type { Label } from '../../api/types';

/** The form as typed: datetime-local values (browser time) and free text. */
export interface BackfillForm {
  start: string;
  end: string;
  inputs: string;
  labels: string;
}

/** The request, or a message saying what is wrong with the form. */
export function parseBackfillForm(form: BackfillForm): BackfillRequest | string {
  if (!form.start) return 'Give the start date and time of the backfill.';
  const start = new Date(form.start);
  if (Number.isNaN(start.getTime())) return `The start ${form.start} is not a date and time.`;
  const end = form.end ? new Date(form.end) : undefined;
  if (end && Number.isNaN(end.getTime())) return `The end ${form.end} is not a date and time.`;
  if (end && end.getTime() < start.getTime()) return 'The end is before the start.';
  if (!end && start.getTime() > Date.now()) return 'The start is in the future: give an end date too.';
  let inputs: Record<string, unknown> | undefined;
  if (form.inputs.trim()) {
    try {
      const parsed = JSON.parse(form.inputs) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        return 'Inputs must be a JSON object, e.g. {"region": "eu"}.';
      inputs = parsed as Record<string, unknown>;
    } catch (error) {
      return `Inputs are not valid JSON: ${(error as Error).message}`;
    }
  }
  const labels: Label[] = [];
  for (const part of form.labels.split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return `The label "${part.trim()}" is not key=value.`;
    labels.push({ key: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return {
    start: start.toISOString(),
    ...(end ? { end: end.toISOString() } : {}),
    ...(inputs ? { inputs } : {}),
    ...(labels.length > 0 ? { labels } : {}),
  };
}
