import { epochDayOf, SECONDS_PER_DAY } from './calendar.js';
import type { Element } from './elements.js';
import { copyState, regionEquals, setField } from './parse-state.js';
import type { ParseState } from './parse-state.js';
import { parseFraction, parseNumber, parseText } from './parse-values.js';
import { parseLocalizedOffset, parseOffset, parseZone } from './parse-zones.js';

export type { ParsedField, ParseState } from './parse-state.js';

/**
 * Parsing text with elements into raw field values, as Java's printer-parsers do it: positions
 * are returned, failures are the bitwise complement of the position where they happened.
 */

/** InstantPrinterParser.parse: an ISO instant with an offset, as instant seconds and nanos. */
function parseInstant(
  s: ParseState,
  text: string,
  position: number,
  compile: (pattern: string) => readonly Element[],
): number {
  const inner = copyState(s);
  inner.fields = new Map();
  inner.caseInsensitive = true;
  const elements = compile("uuuu-MM-dd'T'HH:mm:ss");
  let pos = parseElements(inner, elements, text, position);
  if (pos < 0) return pos;
  pos = parseFraction(
    inner,
    { kind: 'fraction', min: 0, max: 9, decimalPoint: true, subsequentWidth: 0 },
    text,
    pos,
  );
  if (pos < 0) return pos;
  pos = parseOffset(inner, 6, 'Z', text, pos);
  if (pos < 0) return pos;
  const f = inner.fields;
  let hour = f.get('HourOfDay') ?? 0;
  let days = 0;
  const minute = f.get('MinuteOfHour') ?? 0;
  let second = f.get('SecondOfMinute') ?? 0;
  const nano = f.get('NanoOfSecond') ?? 0;
  if (hour === 24 && minute === 0 && second === 0 && nano === 0) {
    hour = 0;
    days = 1;
  } else if (hour === 23 && minute === 59 && second === 60) {
    second = 59;
  }
  const day = epochDayOf(f.get('Year') ?? 0, f.get('MonthOfYear') ?? 1, f.get('DayOfMonth') ?? 1) + days;
  const seconds = day * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - (f.get('OffsetSeconds') ?? 0);
  const next = setField(s, 'InstantSeconds', seconds, position, pos);
  return next < 0 ? next : setField(s, 'NanoOfSecond', nano, position, next);
}

/** PadPrinterParserDecorator.parse. */
function parsePadded(
  s: ParseState,
  e: Extract<Element, { kind: 'pad' }>,
  text: string,
  position: number,
): number {
  if (position === text.length) return ~position;
  let end = position + e.width;
  if (end > text.length) {
    if (!s.lenient) return ~position;
    end = text.length;
  }
  let pos = position;
  while (pos < end && text[pos] === ' ') pos++;
  const result = parseElement(s, e.element, text.slice(0, end), pos);
  if (result !== end && !s.lenient) return ~(pos + 1);
  return result;
}

function parseElement(s: ParseState, e: Element, text: string, position: number): number {
  switch (e.kind) {
    case 'literal':
      if (position > text.length) return ~position;
      return regionEquals(s, text, position, e.text) ? position + e.text.length : ~position;
    case 'number':
    case 'reduced':
      return parseNumber(s, e, text, position);
    case 'fraction':
      return e.min === e.max && !e.decimalPoint
        ? parseNumber(s, e, text, position)
        : parseFraction(s, e, text, position);
    case 'text':
      return parseText(s, e, text, position);
    case 'offset':
      return parseOffset(s, e.type, e.noOffsetText, text, position);
    case 'localizedOffset':
      return parseLocalizedOffset(s, e.full, text, position);
    case 'zoneText':
      return parseZone(s, text, position, e.full ? 'long' : 'short');
    case 'zoneId':
      return parseZone(s, text, position, undefined);
    case 'dayPeriod':
      // Day periods only print: Java reads them, Windhover does not.
      return ~position;
    case 'instant':
      return parseInstant(s, text, position, s.compile);
    case 'localized':
      return parseElements(s, s.compile(s.locale.styles[e.style]!), text, position);
    case 'optional': {
      const trial = copyState(s);
      const end = parseElements(trial, e.elements, text, position);
      if (end < 0) return position;
      s.fields = trial.fields;
      s.zone = trial.zone;
      s.caseInsensitive = trial.caseInsensitive;
      s.lenient = trial.lenient;
      return end;
    }
    case 'pad':
      return parsePadded(s, e, text, position);
    case 'settings':
      if (e.caseInsensitive !== undefined) s.caseInsensitive = e.caseInsensitive;
      if (e.lenient !== undefined) s.lenient = e.lenient;
      return position;
  }
}

/** Parses elements from `position`; the end position, or the complement of the failing one. */
export function parseElements(
  s: ParseState,
  elements: readonly Element[],
  text: string,
  position: number,
): number {
  let pos = position;
  for (const e of elements) {
    pos = parseElement(s, e, text, pos);
    if (pos < 0) return pos;
  }
  return pos;
}
