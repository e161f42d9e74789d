/**
 * Checks time-zone ids the way Java's `ZoneId.of` (which Kestra uses) reads them: `Z`; an
 * offset such as `+02:00`, `-5` or `+0530`; `UTC`, `GMT` or `UT`, alone or followed by an offset;
 * or a region id from the tz database (`Europe/Paris`, `America/New_York`), case-sensitive.
 * Region ids are checked against the tz database this Node.js carries (`Intl`).
 */
import { closestMatches } from '../../api.js';

const OFFSET = /^[+-](\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/;
const PREFIXED = /^(UTC|GMT|UT)([+-].*)?$/;
/** Java's syntax of region ids. */
const REGION = /^[A-Za-z][A-Za-z0-9~/._+-]+$/;

let zones: readonly string[] | undefined;

/** The canonical zone ids Node.js knows, with `UTC`. */
function knownZones(): readonly string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC'];
  return zones;
}

/** Returns why `value` is not a time-zone id Kestra accepts, or undefined when it is fine. */
export function checkTimeZone(value: string): string | undefined {
  if (value === 'Z') return undefined;
  const prefixed = PREFIXED.exec(value);
  if (prefixed) {
    const offset = prefixed[2];
    return offset === undefined || validOffset(offset) ? undefined : notValid(value, '');
  }
  if (/^[+-]/.test(value)) {
    return validOffset(value)
      ? undefined
      : notValid(value, ' (an offset must be between -18:00 and +18:00, such as `+02:00`)');
  }
  if (REGION.test(value) && acceptedByIntl(value)) {
    const known = knownZones();
    if (known.includes(value)) return undefined;
    const sameLetters = known.find((zone) => zone.toLowerCase() === value.toLowerCase());
    // Intl ignores case, Java does not: `europe/paris` must be written `Europe/Paris`.
    if (sameLetters)
      return notValid(value, ` (did you mean \`${sameLetters}\`? time-zone ids are case-sensitive)`);
    // An alias Intl knows but does not list (`US/Eastern`, `Asia/Kolkata`): Java knows it too.
    return undefined;
  }
  const close = closestMatches(value, knownZones(), 3);
  const hint = close.length > 0 ? ` (did you mean ${close.map((z) => `\`${z}\``).join(', ')}?)` : '';
  return notValid(value, hint || ' (use an IANA id such as `Europe/Paris`, or an offset such as `+02:00`)');
}

function notValid(value: string, hint: string): string {
  return `\`${value}\` is not a time-zone id${hint}`;
}

function validOffset(text: string): boolean {
  const match = OFFSET.exec(text);
  if (!match) return false;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  const seconds = Number(match[3] ?? 0);
  if (minutes > 59 || seconds > 59) return false;
  return hours * 3600 + minutes * 60 + seconds <= 18 * 3600;
}

function acceptedByIntl(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
