import { DateError } from './errors.js';
import { charEquals, copyState, digit, regionEquals, setField } from './parse-state.js';
import type { ParseState } from './parse-state.js';
import { isJavaZoneId, javaZoneIds, zoneIdOfName, zoneNameList } from './zone-data.js';
import { offsetZone, prefixedZone, zoneOf } from './zone.js';

/** Parsing offsets (`+01:00`, `GMT+1`), zone ids and zone names, as Java's printer-parsers. */

/** Two digits at array[0], preceded by a colon when asked (OffsetIdPrinterParser.parseDigits). */
function offsetDigits(text: string, colon: boolean, index: number, array: number[]): boolean {
  let pos = array[0]!;
  if (pos < 0) return true;
  if (colon && index !== 1) {
    if (pos + 1 > text.length || text[pos] !== ':') return false;
    pos++;
  }
  if (pos + 2 > text.length) return false;
  const a = digit(text, pos);
  const b = digit(text, pos + 1);
  if (a < 0 || b < 0) return false;
  const value = a * 10 + b;
  if (value > 59) return false;
  array[index] = value;
  array[0] = pos + 2;
  return true;
}

/** OffsetIdPrinterParser.parse for the padded-hour patterns (`+HH…`). */
export function parseOffset(
  s: ParseState,
  type: number,
  noOffsetText: string,
  text: string,
  position: number,
): number {
  const length = text.length;
  const noOffsetLength = noOffsetText.length;
  if (noOffsetLength === 0) {
    if (position === length) return setField(s, 'OffsetSeconds', 0, position, position);
  } else {
    if (position === length) return ~position;
    if (regionEquals(s, text, position, noOffsetText))
      return setField(s, 'OffsetSeconds', 0, position, position + noOffsetLength);
  }
  const sign = text[position];
  if (sign === '+' || sign === '-') {
    const negative = sign === '-' ? -1 : 1;
    let colon = type > 0 && type % 2 === 0;
    let parseType = type;
    if (s.lenient) {
      if (colon || (parseType === 0 && length > position + 3 && text[position + 3] === ':')) {
        colon = true;
        parseType = 10;
      } else {
        parseType = 9;
      }
    }
    const array = [position + 1, 0, 0, 0];
    if (!offsetDigits(text, false, 1, array)) array[0] = ~array[0]!;
    const minute = (mandatory: boolean): void => {
      if (!offsetDigits(text, colon, 2, array) && mandatory) array[0] = ~array[0]!;
    };
    const second = (mandatory: boolean): void => {
      if (!offsetDigits(text, colon, 3, array) && mandatory) array[0] = ~array[0]!;
    };
    switch (parseType) {
      case 1:
      case 2:
        minute(false);
        break;
      case 3:
      case 4:
        minute(true);
        break;
      case 5:
      case 6:
        minute(true);
        second(false);
        break;
      case 7:
      case 8:
        minute(true);
        second(true);
        break;
      case 9:
      case 10:
        if (offsetDigits(text, colon, 2, array)) offsetDigits(text, colon, 3, array);
        break;
      default:
        break;
    }
    if (array[0]! > 0) {
      const [end, h, m, sec] = array as [number, number, number, number];
      if (h > 23 || m > 59 || sec > 59)
        throw new DateError('Value out of range: Hour[0-23], Minute[0-59], Second[0-59]');
      return setField(s, 'OffsetSeconds', negative * (h * 3600 + m * 60 + sec), position, end);
    }
  }
  if (noOffsetLength === 0) return setField(s, 'OffsetSeconds', 0, position, position);
  return ~position;
}

/** LocalizedOffsetIdPrinterParser.parse: `GMT`, `GMT+1`, `GMT+01:00`. */
export function parseLocalizedOffset(s: ParseState, full: boolean, text: string, position: number): number {
  const end = text.length;
  if (!regionEquals(s, text, position, 'GMT')) return ~position;
  let pos = position + 3;
  if (pos === end) return setField(s, 'OffsetSeconds', 0, position, pos);
  const sign = text[pos];
  if (sign !== '+' && sign !== '-') return setField(s, 'OffsetSeconds', 0, position, pos);
  const negative = sign === '-' ? -1 : 1;
  pos++;
  let h: number;
  let m = 0;
  let sec = 0;
  if (full) {
    const h1 = digit(text, pos++);
    const h2 = digit(text, pos++);
    if (h1 < 0 || h2 < 0 || text[pos++] !== ':') return ~position;
    h = h1 * 10 + h2;
    const m1 = digit(text, pos++);
    const m2 = digit(text, pos++);
    if (m1 < 0 || m2 < 0) return ~position;
    m = m1 * 10 + m2;
    if (pos + 2 < end && text[pos] === ':') {
      const s1 = digit(text, pos + 1);
      const s2 = digit(text, pos + 2);
      if (s1 >= 0 && s2 >= 0) {
        sec = s1 * 10 + s2;
        pos += 3;
      }
    }
  } else {
    h = digit(text, pos++);
    if (h < 0) return ~position;
    if (pos < end) {
      const h2 = digit(text, pos);
      if (h2 >= 0) {
        h = h * 10 + h2;
        pos++;
      }
      if (pos + 2 < end && text[pos] === ':') {
        const m1 = digit(text, pos + 1);
        const m2 = digit(text, pos + 2);
        if (m1 >= 0 && m2 >= 0) {
          m = m1 * 10 + m2;
          pos += 3;
          if (pos + 2 < end && text[pos] === ':') {
            const s1 = digit(text, pos + 1);
            const s2 = digit(text, pos + 2);
            if (s1 >= 0 && s2 >= 0) {
              sec = s1 * 10 + s2;
              pos += 3;
            }
          }
        }
      }
    }
  }
  return setField(s, 'OffsetSeconds', negative * (h * 3600 + m * 60 + sec), position, pos);
}

/** ZoneIdPrinterParser.parseOffsetBased: `UTC`, `GMT+01:00`, `UT-5` after a prefix. */
function parseOffsetBased(
  s: ParseState,
  text: string,
  prefixPos: number,
  position: number,
  noOffsetText: string,
): number {
  const prefix = text.slice(prefixPos, position).toUpperCase();
  if (position >= text.length || text[position] === '0' || charEquals(s, text[position]!, 'Z')) {
    s.zone = prefix ? prefixedZone(prefix, 0) : offsetZone(0);
    return position;
  }
  const inner = copyState(s);
  inner.fields = new Map();
  const end = parseOffset(inner, 6, noOffsetText, text, position);
  if (end < 0) {
    if (noOffsetText === 'Z') return ~prefixPos;
    s.zone = prefixedZone(prefix, 0);
    return position;
  }
  const offset = inner.fields.get('OffsetSeconds') ?? 0;
  s.zone = prefix ? prefixedZone(prefix, offset) : offsetZone(offset);
  return end;
}

let sortedIds: string[] | undefined;

/** The longest of `candidates` at `position`. */
function longestMatch(
  s: ParseState,
  text: string,
  position: number,
  candidates: Iterable<string>,
): string | undefined {
  let best: string | undefined;
  for (const candidate of candidates) {
    if ((!best || candidate.length > best.length) && regionEquals(s, text, position, candidate))
      best = candidate;
  }
  return best;
}

/** ZoneIdPrinterParser / ZoneTextPrinterParser.parse: an offset, a prefixed offset, a zone id or (`z`) a zone name. */
export function parseZone(
  s: ParseState,
  text: string,
  position: number,
  names: 'short' | 'long' | undefined,
): number {
  const length = text.length;
  if (position >= length) return ~position;
  const next = text[position]!;
  if (next === '+' || next === '-') return parseOffsetBased(s, text, position, position, 'Z');
  if (length >= position + 2) {
    const second = text[position + 1]!;
    if (charEquals(s, next, 'U') && charEquals(s, second, 'T')) {
      if (length >= position + 3 && charEquals(s, text[position + 2]!, 'C')) {
        if (!names) return parseOffsetBased(s, text, position, position + 3, '0');
      } else {
        return parseOffsetBased(s, text, position, position + 2, '0');
      }
    } else if (
      charEquals(s, next, 'G') &&
      length >= position + 3 &&
      charEquals(s, second, 'M') &&
      charEquals(s, text[position + 2]!, 'T')
    ) {
      if (length >= position + 4 && charEquals(s, text[position + 3]!, '0')) {
        s.zone = zoneOf('GMT0');
        return position + 4;
      }
      return parseOffsetBased(s, text, position, position + 3, '0');
    }
  }
  const id = longestMatch(s, text, position, (sortedIds ??= [...javaZoneIds()]));
  const name = names ? longestMatch(s, text, position, zoneNameList(names === 'long')) : undefined;
  if (name && (!id || name.length >= id.length)) {
    const zoneId = zoneIdOfName(name, names === 'long');
    if (zoneId) {
      s.zone = zoneOf(zoneId);
      return position + name.length;
    }
  }
  if (id && isJavaZoneId(id)) {
    s.zone = zoneOf(id);
    return position + id.length;
  }
  if (charEquals(s, next, 'Z')) {
    s.zone = offsetZone(0);
    return position + 1;
  }
  return ~position;
}
