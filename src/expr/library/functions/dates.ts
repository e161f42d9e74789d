import { KestraNow, offsetZone } from '../../dates/index.js';
import { defineFunction } from '../define.js';
import { formatArg, zoneArg } from '../filters/dates.js';
import type { FunctionDefinition } from '../types.js';

/**
 * Kestra's `now(format, timeZone, existingFormat, locale)` (NowFunction): the render's clock in
 * the render's zone (or `timeZone`). Kestra answers text; without `format` Windhover answers a
 * date-time that prints exactly that text (`iso`) and stays a date-time for filters and
 * comparisons (at the text's fixed offset, as Kestra re-reads it); with `format` it answers
 * the formatted text, as Kestra.
 */
export const DATE_FUNCTIONS: readonly FunctionDefinition[] = [
  defineFunction({
    name: 'now',
    description: 'The current date-time, in the server zone or `timeZone`; formatted when `format` is given.',
    params: ['format', 'timeZone', 'existingFormat', 'locale'],
    apply: ([format, timeZone, , locale], call) => {
      const zone = zoneArg('now', timeZone, call);
      const millis = call.now().getTime();
      // Kestra's now() is text with an offset: what follows it (dateAdd) works at that fixed offset.
      const offset = zone.offsetAt(millis);
      const now = new KestraNow(millis, 0, offsetZone(offset), offset);
      if (format === undefined || format === null) return now;
      return formatArg('now', now, format, zone, locale);
    },
  }),
];
