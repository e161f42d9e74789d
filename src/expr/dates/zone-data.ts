import { JAVA_ZONES, LONG_NAME_ZONES, SHORT_NAME_ZONES, ZONE_NAME_SETS } from './java-data.js';

/**
 * Lookups over the generated Java data (java-data.ts): which zone ids `ZoneId.of` knows, their
 * English names, and which zone a name parses to. Built on first use: most renders need none.
 */

/** English names of a zone: long/short standard, long/short daylight, long/short generic. */
export interface ZoneNames {
  readonly longStandard: string;
  readonly shortStandard: string;
  readonly longDaylight: string;
  readonly shortDaylight: string;
  readonly longGeneric: string;
  readonly shortGeneric: string;
}

let zones: Map<string, ZoneNames> | undefined;

function load(): Map<string, ZoneNames> {
  const sets = ZONE_NAME_SETS.map((set): ZoneNames => {
    const [
      longStandard = '',
      shortStandard = '',
      longDaylight = '',
      shortDaylight = '',
      longGeneric = '',
      shortGeneric = '',
    ] = set.split('|');
    return { longStandard, shortStandard, longDaylight, shortDaylight, longGeneric, shortGeneric };
  });
  const map = new Map<string, ZoneNames>();
  for (const entry of JAVA_ZONES.split(',')) {
    const colon = entry.lastIndexOf(':');
    const names = sets[Number(entry.slice(colon + 1))];
    if (names) map.set(entry.slice(0, colon), names);
  }
  return map;
}

/** Whether Java's `ZoneId.of` knows a region id (case-sensitive, as Java). */
export function isJavaZoneId(id: string): boolean {
  return (zones ??= load()).has(id);
}

/** English names of a region zone, if Java has them. */
export function zoneNames(id: string): ZoneNames | undefined {
  return (zones ??= load()).get(id);
}

/** Every region id Java knows. */
export function javaZoneIds(): IterableIterator<string> {
  return (zones ??= load()).keys();
}

function pairs(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':');
    map.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return map;
}

let shortNames: Map<string, string> | undefined;
let longNames: Map<string, string> | undefined;

/** The zone id Java's parser reads a zone name as (`CET` → Europe/Paris). */
export function zoneIdOfName(name: string, long: boolean): string | undefined {
  return long
    ? (longNames ??= pairs(LONG_NAME_ZONES)).get(name)
    : (shortNames ??= pairs(SHORT_NAME_ZONES)).get(name);
}

/** Every zone name of one length, for parsing (longest first). */
export function zoneNameList(long: boolean): readonly string[] {
  const map = long ? (longNames ??= pairs(LONG_NAME_ZONES)) : (shortNames ??= pairs(SHORT_NAME_ZONES));
  return [...map.keys()].sort((a, b) => b.length - a.length);
}
