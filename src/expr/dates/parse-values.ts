import type {
  Element,
  Field,
  FractionElement,
  NumberElement,
  ReducedElement,
  TextStyle,
} from './elements.js';
import { digit, regionEquals, setField } from './parse-state.js';
import type { ParseState } from './parse-state.js';

/** Parsing numbers, fractions and names (months, days, AM/PM, eras), as Java's printer-parsers. */

/** The elements that read digits. */
export type ValueElement = NumberElement | ReducedElement | FractionElement;

function widths(e: ValueElement): { min: number; max: number; sign: NumberElement['sign'] } {
  if (e.kind === 'reduced') return { min: 2, max: 2, sign: 'NOT_NEGATIVE' };
  if (e.kind === 'fraction') return { min: e.min, max: e.max, sign: 'NOT_NEGATIVE' };
  return e;
}

/** NumberPrinterParser.parse, with adjacent value parsing and sign rules. */
export function parseNumber(s: ParseState, e: ValueElement, text: string, start: number): number {
  let position = start;
  const length = text.length;
  if (position === length) return ~position;
  const { min, max, sign } = widths(e);
  const fixedWidth =
    e.subsequentWidth === -1 || (e.subsequentWidth > 0 && min === max && sign === 'NOT_NEGATIVE');
  const strict = !s.lenient;
  const effMin = strict || fixedWidth ? min : 1;
  let effMax = (strict || fixedWidth ? max : 9) + Math.max(e.subsequentWidth, 0);
  const c = text[position];
  let negative = false;
  let positive = false;
  if (c === '+' || c === '-') {
    const plus = c === '+';
    const allowed =
      sign === 'EXCEEDS_PAD' ? true : sign === 'NORMAL' ? !plus || !strict : !strict && min !== max;
    if (!allowed) return ~position;
    negative = !plus;
    positive = plus;
    position++;
  }
  const minEnd = position + effMin;
  if (minEnd > length) return ~position;
  let total = 0;
  let pos = position;
  for (let pass = 0; pass < 2; pass++) {
    const maxEnd = Math.min(pos + effMax, length);
    while (pos < maxEnd) {
      const d = digit(text, pos++);
      if (d < 0) {
        pos--;
        if (pos < minEnd) return ~position;
        break;
      }
      total = total * 10 + d;
    }
    if (e.subsequentWidth > 0 && pass === 0) {
      // Give the digits the following fixed-width fields need back to them.
      effMax = Math.max(effMin, pos - position - e.subsequentWidth);
      pos = position;
      total = 0;
    } else {
      break;
    }
  }
  if (negative) {
    if (total === 0 && strict) return ~(position - 1);
    total = -total;
  } else if (sign === 'EXCEEDS_PAD' && strict) {
    const parsed = pos - position;
    if (positive) {
      if (parsed <= min) return ~(position - 1);
    } else if (parsed > min) {
      return ~position;
    }
  }
  if (e.kind === 'reduced') {
    // Two digits count from 2000 (Java's BASE_DATE); more digits (lenient) are the year itself.
    if (pos - position === 2 && total >= 0) total = 2000 + total;
    return setField(s, e.field, total, position, pos);
  }
  if (e.kind === 'fraction')
    return setField(s, 'NanoOfSecond', total * 10 ** (9 - (pos - position)), position, pos);
  return setField(s, e.field, total, position, pos);
}

/** FractionPrinterParser.parse with a decimal point (ISO's optional `.123456789`). */
export function parseFraction(s: ParseState, e: FractionElement, text: string, start: number): number {
  let position = start;
  const strict = !s.lenient;
  const effMin = strict ? e.min : 0;
  const effMax = strict ? e.max : 9;
  const length = text.length;
  if (position !== length && e.decimalPoint) {
    if (text[position] !== '.') return effMin > 0 ? ~position : position;
    position++;
  }
  const minEnd = position + effMin;
  if (minEnd > length) return ~position;
  const maxEnd = Math.min(position + effMax, length);
  let total = 0;
  let pos = position;
  while (pos < maxEnd) {
    const d = digit(text, pos++);
    if (d < 0) {
      if (pos - 1 < minEnd) return ~position;
      pos--;
      break;
    }
    total = total * 10 + d;
  }
  return setField(s, 'NanoOfSecond', total * 10 ** (9 - (pos - position)), position, pos);
}

function textCandidates(
  s: ParseState,
  field: Field,
  style: TextStyle,
  standalone: boolean,
): (readonly [string, number])[] {
  const l = s.locale;
  const styles: readonly TextStyle[] = s.lenient ? ['FULL', 'SHORT', 'NARROW'] : [style];
  const out: (readonly [string, number])[] = [];
  for (const st of styles) {
    switch (field) {
      case 'MonthOfYear':
        l.months(st, standalone).forEach((n, i) => out.push([n, i + 1]));
        break;
      case 'DayOfWeek':
        l.days(st, standalone).forEach((n, i) => out.push([n, i + 1]));
        break;
      case 'AmPmOfDay':
        l.ampm().forEach((n, i) => out.push([n, i]));
        break;
      case 'Era':
        l.eras(st).forEach((n, i) => out.push([n, i]));
        break;
      case 'QuarterOfYear':
        l.quarters(st).forEach((n, i) => out.push([n, i + 1]));
        break;
      default:
        break;
    }
  }
  return out.sort((a, b) => b[0].length - a[0].length);
}

/** TextPrinterParser.parse: the longest matching name of the style (any style when lenient). */
export function parseText(
  s: ParseState,
  e: Extract<Element, { kind: 'text' }>,
  text: string,
  position: number,
): number {
  if (position > text.length) return ~position;
  const candidates = e.fixed
    ? e.fixed.map((n, i) => [n, i + 1] as const)
    : textCandidates(s, e.field, e.style, e.standalone);
  for (const [name, value] of candidates) {
    if (name && regionEquals(s, text, position, name))
      return setField(s, e.field, value, position, position + name.length);
  }
  if (!s.lenient) return ~position;
  return parseNumber(
    s,
    { kind: 'number', field: e.field, min: 1, max: 19, sign: 'NORMAL', subsequentWidth: 0 },
    text,
    position,
  );
}
