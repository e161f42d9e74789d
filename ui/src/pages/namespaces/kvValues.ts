/**
 * KV values between the edit form and the API. The server types a PUT body from its text the
 * way Kestra does (docs/api.md), so each type is encoded to the text that the server reads back
 * as that type: a STRING is sent quoted, a JSON value must be an object or a list, and so on.
 */
import type { KvType } from '../../api/namespaces';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// As the server reads a DATETIME: an offset (or Z) is required.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/i;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** True for an ISO-8601 duration such as PT1H, P7D or P1DT12H. */
export function isIsoDuration(text: string): boolean {
  return DURATION.test(text.trim());
}

/** The text body that stores `raw` as `type`, or `{ error }` saying why it cannot. */
export function encodeKvValue(type: KvType, raw: string): { text: string } | { error: string } {
  const value = raw.trim();
  switch (type) {
    case 'STRING':
      return { text: JSON.stringify(raw) };
    case 'NUMBER':
      return NUMBER.test(value) ? { text: value } : { error: `"${raw}" is not a number (e.g. 42 or 2.5).` };
    case 'BOOLEAN':
      return value === 'true' || value === 'false' ? { text: value } : { error: 'Choose true or false.' };
    case 'DATE':
      return DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? { text: value }
        : { error: `"${raw}" is not a date (YYYY-MM-DD).` };
    case 'DATETIME':
      return DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? { text: value }
        : { error: `"${raw}" is not a date-time with an offset (e.g. 2024-05-01T10:15:00Z).` };
    case 'DURATION':
      return isIsoDuration(value)
        ? { text: value.toUpperCase() }
        : { error: `"${raw}" is not an ISO-8601 duration (e.g. PT1H30M or P7D).` };
    case 'JSON': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (error) {
        return { error: `Invalid JSON: ${(error as Error).message}` };
      }
      if (parsed === null || typeof parsed !== 'object')
        return { error: 'A JSON value is an object or a list (use NUMBER, BOOLEAN or STRING for others).' };
      return { text: JSON.stringify(parsed) };
    }
  }
}

/** A stored value as the form edits it. */
export function kvValueToText(type: KvType, value: unknown): string {
  if (type === 'JSON') return JSON.stringify(value, null, 2);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A stored value as the list shows it (one line). */
export function kvValuePreview(type: KvType, value: unknown): string {
  if (type === 'STRING' && typeof value === 'string') return value;
  if (type === 'JSON') return JSON.stringify(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
