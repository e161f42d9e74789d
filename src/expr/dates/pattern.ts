import { Builder, BuildError, OFFSET_PATTERNS } from './elements.js';
import type { Element, Field } from './elements.js';
import { DateError } from './errors.js';

/** The letters DateTimeFormatterBuilder.appendPattern maps straight to a field. */
const FIELD_OF: Readonly<Record<string, Field>> = {
  G: 'Era',
  y: 'YearOfEra',
  u: 'Year',
  Q: 'QuarterOfYear',
  q: 'QuarterOfYear',
  M: 'MonthOfYear',
  L: 'MonthOfYear',
  D: 'DayOfYear',
  d: 'DayOfMonth',
  F: 'AlignedDayOfWeekInMonth',
  E: 'DayOfWeek',
  c: 'DayOfWeek',
  e: 'DayOfWeek',
  a: 'AmPmOfDay',
  H: 'HourOfDay',
  k: 'ClockHourOfDay',
  K: 'HourOfAmPm',
  h: 'ClockHourOfAmPm',
  m: 'MinuteOfHour',
  s: 'SecondOfMinute',
  S: 'NanoOfSecond',
  A: 'MilliOfDay',
  n: 'NanoOfSecond',
  N: 'NanoOfDay',
  g: 'ModifiedJulianDay',
};

const TEXT_STYLES = ['SHORT', 'FULL', 'NARROW'] as const;

function tooMany(letter: string): never {
  throw new BuildError(`Too many pattern letters: ${letter}`);
}

/** A week-based field (`Y`, `w`, `W`, `e`, `c`): numbers in the locale's week definition. */
function weekField(b: Builder, letter: string, count: number): void {
  if (letter === 'Y') {
    if (count === 2) b.reduced('WeekBasedYear');
    else b.value('WeekBasedYear', count, 19, count < 4 ? 'NORMAL' : 'EXCEEDS_PAD');
    return;
  }
  const field: Field =
    letter === 'w' ? 'WeekOfWeekBasedYear' : letter === 'W' ? 'WeekOfMonth' : 'LocalizedDayOfWeek';
  b.value(field, count === 2 ? 2 : 1, 2, 'NOT_NEGATIVE');
}

/** DateTimeFormatterBuilder.parseField: a field letter repeated `count` times. */
function field(b: Builder, letter: string, count: number, f: Field): void {
  let standalone = false;
  switch (letter) {
    case 'u':
    case 'y':
      if (count === 2) b.reduced(f);
      else if (count < 4) b.value(f, count, 19, 'NORMAL');
      else b.value(f, count, 19, 'EXCEEDS_PAD');
      return;
    case 'c':
      if (count === 1) return weekField(b, letter, count);
      if (count === 2) throw new BuildError('Invalid pattern "cc"');
      standalone = true;
      break;
    case 'L':
    case 'q':
      standalone = true;
      break;
    case 'M':
    case 'Q':
    case 'E':
    case 'e':
      break;
    case 'a':
      if (count !== 1) tooMany(letter);
      b.text(f, 'SHORT');
      return;
    case 'G':
      if (count > 5) tooMany(letter);
      b.text(f, count <= 3 ? 'SHORT' : count === 4 ? 'FULL' : 'NARROW');
      return;
    case 'S':
      if (count > 9) throw new BuildError(`Minimum width must be from 0 to 9 inclusive but was ${count}`);
      b.fraction(count, count, false);
      return;
    case 'F':
      if (count !== 1) tooMany(letter);
      b.value(f);
      return;
    case 'd':
    case 'h':
    case 'H':
    case 'k':
    case 'K':
    case 'm':
    case 's':
      if (count === 1) b.value(f);
      else if (count === 2) b.fixed(f, 2);
      else tooMany(letter);
      return;
    case 'D':
      if (count === 1) b.value(f);
      else if (count <= 3) b.value(f, count, 3, 'NOT_NEGATIVE');
      else tooMany(letter);
      return;
    case 'g':
      b.value(f, count, 19, 'NORMAL');
      return;
    case 'A':
    case 'n':
    case 'N':
      b.value(f, count, 19, 'NOT_NEGATIVE');
      return;
    default:
      if (count === 1) b.value(f);
      else b.fixed(f, count);
      return;
  }
  // M L Q q E e c: numbers for one or two letters, text for three to five.
  if (count <= 2) {
    if (letter === 'e') weekField(b, letter, count);
    else if (letter === 'E') b.text(f, 'SHORT');
    else if (count === 1) b.value(f);
    else b.fixed(f, 2);
  } else if (count <= 5) {
    b.text(f, TEXT_STYLES[count - 3]!, standalone);
  } else {
    tooMany(letter);
  }
}

/** The letters that are not plain fields. */
function special(b: Builder, letter: string, count: number): void {
  switch (letter) {
    case 'z':
      if (count > 4) tooMany(letter);
      b.zoneText(count === 4);
      return;
    case 'V':
      if (count !== 2) throw new BuildError('Pattern letter count must be 2: V');
      b.zoneId();
      return;
    case 'v':
      if (count !== 1 && count !== 4) throw new BuildError('Wrong number of pattern letters: v');
      b.zoneText(count === 4, true);
      return;
    case 'Z':
      if (count < 4) b.offset('+HHMM', '+0000');
      else if (count === 4) b.localizedOffset(true);
      else if (count === 5) b.offset('+HH:MM:ss', 'Z');
      else tooMany(letter);
      return;
    case 'O':
      if (count !== 1 && count !== 4) throw new BuildError('Pattern letter count must be 1 or 4: O');
      b.localizedOffset(count === 4);
      return;
    case 'X':
      if (count > 5) tooMany(letter);
      b.offset(OFFSET_PATTERNS[count + (count === 1 ? 0 : 1)]!, 'Z');
      return;
    case 'x': {
      if (count > 5) tooMany(letter);
      const zero = count === 1 ? '+00' : count % 2 === 0 ? '+0000' : '+00:00';
      b.offset(OFFSET_PATTERNS[count + (count === 1 ? 0 : 1)]!, zero);
      return;
    }
    case 'W':
      if (count > 1) tooMany(letter);
      weekField(b, letter, count);
      return;
    case 'w':
      if (count > 2) tooMany(letter);
      weekField(b, letter, count);
      return;
    case 'Y':
      weekField(b, letter, count);
      return;
    case 'B':
      if (count === 1) b.dayPeriod('SHORT');
      else if (count === 4) b.dayPeriod('FULL');
      else if (count === 5) b.dayPeriod('NARROW');
      else throw new BuildError(`Wrong number of pattern letters: ${letter}`);
      return;
    default:
      throw new BuildError(`Unknown pattern letter: ${letter}`);
  }
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
}

/** Appends a pattern to a builder, as Java's DateTimeFormatterBuilder.appendPattern. */
export function appendPattern(b: Builder, pattern: string): void {
  for (let pos = 0; pos < pattern.length; pos++) {
    let cur = pattern[pos]!;
    if (isLetter(cur)) {
      let start = pos++;
      while (pos < pattern.length && pattern[pos] === cur) pos++;
      let count = pos - start;
      if (cur === 'p') {
        let pad = 0;
        const next = pattern[pos];
        if (next !== undefined && isLetter(next)) {
          pad = count;
          cur = next;
          start = pos++;
          while (pos < pattern.length && pattern[pos] === cur) pos++;
          count = pos - start;
        }
        if (pad === 0)
          throw new BuildError(`Pad letter 'p' must be followed by valid pad pattern: ${pattern}`);
        b.padNext(pad);
      }
      const f = FIELD_OF[cur];
      if (f) field(b, cur, count, f);
      else special(b, cur, count);
      pos--;
    } else if (cur === "'") {
      const start = pos++;
      for (; pos < pattern.length; pos++) {
        if (pattern[pos] === "'") {
          if (pattern[pos + 1] === "'") pos++;
          else break;
        }
      }
      if (pos >= pattern.length)
        throw new BuildError(`Pattern ends with an incomplete string literal: ${pattern}`);
      const text = pattern.slice(start + 1, pos);
      b.literal(text === '' ? "'" : text.replaceAll("''", "'"));
    } else if (cur === '[') {
      b.optionalStart();
    } else if (cur === ']') {
      if (!b.optionalEnd()) throw new BuildError('Pattern invalid as it contains ] without previous [');
    } else if (cur === '{' || cur === '}' || cur === '#') {
      throw new BuildError(`Pattern includes reserved character: '${cur}'`);
    } else {
      b.literal(cur);
    }
  }
}

/** Compiles a DateTimeFormatter.ofPattern pattern; a bad pattern is a DateError with Java's message. */
export function compilePattern(pattern: string): Element[] {
  const b = new Builder();
  try {
    appendPattern(b, pattern);
  } catch (error) {
    if (error instanceof BuildError) throw new DateError(error.message);
    throw error;
  }
  return b.build();
}
