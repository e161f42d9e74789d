import { readFileSync } from 'node:fs';

/**
 * Java 17's answers for the date tables, made by scripts/java/DateGroundTruth.java and frozen
 * in java-ground-truth.json (CI has no Java). Each section is a list of rows; see the generator.
 */
export interface GroundTruth {
  meta: [string, string][];
  instants: [string][];
  zones: [string, string][];
  patterns: [string][];
  /** [instant, zone, pattern index, output]; instant -1 when the pattern itself is refused. */
  format: [number, number, number, string][];
  /** [instant, zone, pattern, output] */
  wide: [number, number, string, string][];
  /** [instant, zone, Kestra format name, output] */
  named: [number, number, string, string][];
  /** [instant, zone, locale, pattern, output] */
  locales: [number, number, string, string, string][];
  /** [instant, zone, ZonedDateTime.toString(), ISO_OFFSET_DATE_TIME] */
  toString: [number, number, string, string][];
  /** [text, existingFormat or '', zone, converted toString() or error] */
  parse: [string, string, string, string][];
  /** [instant, zone, amount, unit, result] */
  plus: [string, string, number, string, string][];
  /** [id, input, calls, render zone, now, result]: Kestra's filters and now() (see KESTRA_CASES) */
  kestra: [string, string, string, string, string, string][];
  /** [id, ZoneId.of(id).getId() or error] */
  zoneIds: [string, string][];
}

/** The frozen Java answers; an answer starting with `!` is an exception (class: message). */
export const JAVA: GroundTruth = JSON.parse(
  readFileSync(new URL('./java-ground-truth.json', import.meta.url), 'utf8'),
) as GroundTruth;
