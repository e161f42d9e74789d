import type { Element, Field } from './elements.js';
import type { LocaleText } from './locale.js';
import type { Zone } from './zone.js';

/**
 * The state of a parse and the helpers every element parser shares. Parsers return the next
 * position, or the bitwise complement of the position where they failed (as Java's).
 */
export type ParsedField = Field | 'OffsetSeconds' | 'InstantSeconds';

/** What a parse found, before resolving. */
export interface ParseState {
  fields: Map<ParsedField, number>;
  zone: Zone | undefined;
  caseInsensitive: boolean;
  lenient: boolean;
  locale: LocaleText;
  /** Compiles a FormatStyle pattern to elements (the formatter module supplies it). */
  compile: (pattern: string) => readonly Element[];
}

/** A copy to try an optional part on (fields copied, settings shared by value). */
export function copyState(s: ParseState): ParseState {
  return { ...s, fields: new Map(s.fields) };
}

/** Records a field; a second, different value for it fails the parse (Java's setParsedField). */
export function setField(
  s: ParseState,
  field: ParsedField,
  value: number,
  errorPos: number,
  successPos: number,
): number {
  const old = s.fields.get(field);
  s.fields.set(field, value);
  return old !== undefined && old !== value ? ~errorPos : successPos;
}

/** Java's charEquals: equal, or equal ignoring case when the parse is case-insensitive. */
export function charEquals(s: ParseState, a: string, b: string): boolean {
  return (
    a === b ||
    (s.caseInsensitive && (a.toUpperCase() === b.toUpperCase() || a.toLowerCase() === b.toLowerCase()))
  );
}

/** Whether `expected` is in `text` at `pos` (Java's subSequenceEquals). */
export function regionEquals(s: ParseState, text: string, pos: number, expected: string): boolean {
  if (pos + expected.length > text.length) return false;
  for (let i = 0; i < expected.length; i++) if (!charEquals(s, text[pos + i]!, expected[i]!)) return false;
  return true;
}

/** The digit at `pos`, or -1. */
export function digit(text: string, pos: number): number {
  const c = text.charCodeAt(pos) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}
