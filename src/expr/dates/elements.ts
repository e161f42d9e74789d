/**
 * The parts a compiled formatter is made of, one per DateTimeFormatterBuilder printer-parser,
 * and a builder that assembles them with Java's rules (adjacent value parsing, optional
 * sections, padding, parse settings).
 */

/** Fields, named as Java's `toString()` of them names them in messages. */
export type Field =
  | 'Era'
  | 'YearOfEra'
  | 'Year'
  | 'MonthOfYear'
  | 'DayOfMonth'
  | 'DayOfYear'
  | 'QuarterOfYear'
  | 'AlignedDayOfWeekInMonth'
  | 'DayOfWeek'
  | 'AmPmOfDay'
  | 'HourOfDay'
  | 'ClockHourOfDay'
  | 'HourOfAmPm'
  | 'ClockHourOfAmPm'
  | 'MinuteOfHour'
  | 'SecondOfMinute'
  | 'NanoOfSecond'
  | 'MilliOfDay'
  | 'NanoOfDay'
  | 'ModifiedJulianDay'
  | 'WeekBasedYear'
  | 'WeekOfWeekBasedYear'
  | 'WeekOfMonth'
  | 'LocalizedDayOfWeek'
  | 'IsoWeekBasedYear'
  | 'IsoWeekOfWeekBasedYear';

export type SignStyle = 'NORMAL' | 'NOT_NEGATIVE' | 'EXCEEDS_PAD';
export type TextStyle = 'FULL' | 'SHORT' | 'NARROW';

export interface NumberElement {
  kind: 'number';
  field: Field;
  min: number;
  max: number;
  sign: SignStyle;
  /** Digits later fixed-width fields need (adjacent value parsing); -1 when this one is fixed width. */
  subsequentWidth: number;
}

export interface ReducedElement {
  kind: 'reduced';
  field: Field;
  /** Two digits, counted from 2000 (Java's BASE_DATE). */
  subsequentWidth: number;
}

export interface FractionElement {
  kind: 'fraction';
  min: number;
  max: number;
  decimalPoint: boolean;
  subsequentWidth: number;
}

export type Element =
  | { kind: 'literal'; text: string }
  | NumberElement
  | ReducedElement
  | FractionElement
  | { kind: 'text'; field: Field; style: TextStyle; standalone: boolean; fixed?: readonly string[] }
  /** An offset as `+HH:MM:ss` and friends: an index into OFFSET_PATTERNS, and the text for zero. */
  | { kind: 'offset'; type: number; noOffsetText: string }
  | { kind: 'localizedOffset'; full: boolean }
  | { kind: 'zoneText'; full: boolean; generic: boolean }
  /** A zone id; `regionOnly` leaves out offsets (ISO's `[Europe/Paris]`). */
  | { kind: 'zoneId'; regionOnly: boolean }
  | { kind: 'dayPeriod'; style: TextStyle }
  | { kind: 'instant' }
  /** FormatStyle FULL (0) … SHORT (3): a pattern that depends on the locale. */
  | { kind: 'localized'; style: number }
  | { kind: 'optional'; elements: Element[] }
  | { kind: 'pad'; width: number; element: Element }
  | { kind: 'settings'; caseInsensitive?: boolean; lenient?: boolean };

/** OffsetIdPrinterParser's patterns: `X`, `x` and `Z` pick from them. */
export const OFFSET_PATTERNS = [
  '+HH',
  '+HHmm',
  '+HH:mm',
  '+HHMM',
  '+HH:MM',
  '+HHMMss',
  '+HH:MM:ss',
  '+HHMMSS',
  '+HH:MM:SS',
  '+HHmmss',
  '+HH:mm:ss',
] as const;

/** A pattern Java refuses; the pattern compiler turns it into a DateError. */
export class BuildError extends Error {}

interface Section {
  elements: Element[];
  parent: Section | undefined;
  /** Index of the value parser that later fixed-width values reserve digits from, or -1. */
  active: number;
  padWidth: number;
}

/** Assembles elements as Java's DateTimeFormatterBuilder does. */
export class Builder {
  private section: Section = { elements: [], parent: undefined, active: -1, padWidth: 0 };

  private append(element: Element): number {
    const s = this.section;
    let e = element;
    if (s.padWidth > 0) {
      e = { kind: 'pad', width: s.padWidth, element: e };
      s.padWidth = 0;
    }
    s.elements.push(e);
    s.active = -1;
    return s.elements.length - 1;
  }

  /** Appends a value parser, applying adjacent value parsing to the active one. */
  private appendAdjacent(element: NumberElement | ReducedElement | FractionElement): this {
    const s = this.section;
    const fixed =
      element.kind === 'reduced' ||
      (element.min === element.max && (element.kind === 'fraction' || element.sign === 'NOT_NEGATIVE'));
    const width = element.kind === 'reduced' ? 2 : element.max;
    const base = s.active >= 0 && s.padWidth === 0 ? s.elements[s.active] : undefined;
    if (base && (base.kind === 'number' || base.kind === 'reduced' || base.kind === 'fraction')) {
      const activeIndex = s.active;
      if (fixed) {
        base.subsequentWidth += width;
        element.subsequentWidth = -1;
        this.append(element);
        s.active = activeIndex;
      } else {
        base.subsequentWidth = -1;
        s.active = this.append(element);
      }
    } else {
      s.active = this.append(element);
    }
    return this;
  }

  value(field: Field, min = 1, max = 19, sign: SignStyle = 'NORMAL'): this {
    return this.appendAdjacent({ kind: 'number', field, min, max, sign, subsequentWidth: 0 });
  }

  /** appendValue(field, width): fixed width, never negative. */
  fixed(field: Field, width: number): this {
    return this.value(field, width, width, 'NOT_NEGATIVE');
  }

  reduced(field: Field): this {
    return this.appendAdjacent({ kind: 'reduced', field, subsequentWidth: 0 });
  }

  fraction(min: number, max: number, decimalPoint: boolean): this {
    const element: FractionElement = { kind: 'fraction', min, max, decimalPoint, subsequentWidth: 0 };
    if (min === max && !decimalPoint) return this.appendAdjacent(element);
    this.append(element);
    return this;
  }

  text(field: Field, style: TextStyle, standalone = false, fixed?: readonly string[]): this {
    this.append(
      fixed ? { kind: 'text', field, style, standalone, fixed } : { kind: 'text', field, style, standalone },
    );
    return this;
  }

  literal(text: string): this {
    if (text.length > 0) this.append({ kind: 'literal', text });
    return this;
  }

  offset(pattern: string, noOffsetText: string): this {
    const type = (OFFSET_PATTERNS as readonly string[]).indexOf(pattern);
    if (type < 0) throw new BuildError(`Invalid zone offset pattern: ${pattern}`);
    this.append({ kind: 'offset', type, noOffsetText });
    return this;
  }

  /** appendOffsetId: `+HH:MM:ss`, `Z` for zero. */
  offsetId(): this {
    return this.offset('+HH:MM:ss', 'Z');
  }

  localizedOffset(full: boolean): this {
    this.append({ kind: 'localizedOffset', full });
    return this;
  }

  zoneText(full: boolean, generic = false): this {
    this.append({ kind: 'zoneText', full, generic });
    return this;
  }

  zoneId(regionOnly = false): this {
    this.append({ kind: 'zoneId', regionOnly });
    return this;
  }

  dayPeriod(style: TextStyle): this {
    this.append({ kind: 'dayPeriod', style });
    return this;
  }

  instant(): this {
    this.append({ kind: 'instant' });
    return this;
  }

  localized(style: number): this {
    this.append({ kind: 'localized', style });
    return this;
  }

  settings(settings: { caseInsensitive?: boolean; lenient?: boolean }): this {
    this.append({ kind: 'settings', ...settings });
    return this;
  }

  padNext(width: number): this {
    this.section.padWidth = width;
    return this;
  }

  optionalStart(): this {
    this.section.active = -1;
    this.section = { elements: [], parent: this.section, active: -1, padWidth: 0 };
    return this;
  }

  /** Closes the innermost optional section; false when there is none. */
  optionalEnd(): boolean {
    const inner = this.section;
    if (!inner.parent) return false;
    this.section = inner.parent;
    if (inner.elements.length > 0) this.append({ kind: 'optional', elements: inner.elements });
    return true;
  }

  /** The elements, closing any optional section left open (as Java's toFormatter). */
  build(): Element[] {
    while (this.optionalEnd());
    return this.section.elements;
  }
}
