/** Fields that datasets and tables share in insert and patch requests. */
import { invalid, textOf } from './errors.js';

/** `labels` of a request over `current`: null clears them, and in a patch a label set to null is removed. */
export function labelsOf(value: unknown, current: Record<string, string> = {}): Record<string, string> {
  if (value === undefined) return current;
  if (value === null) return {};
  if (typeof value !== 'object') throw invalid('labels must be an object');
  const labels = { ...current };
  for (const [key, label] of Object.entries(value as Record<string, unknown>)) {
    if (label === null) delete labels[key];
    else labels[key] = textOf(label);
  }
  return labels;
}
