import { fail } from './support.js';

/** A parsed Java `DecimalFormat` pattern (the subset flows use: digits, grouping, %, E, quotes). */
interface Pattern {
  prefix: string;
  suffix: string;
  negativePrefix: string;
  negativeSuffix: string;
  minInt: number;
  maxInt: number;
  grouping: number;
  minFrac: number;
  maxFrac: number;
  /** Digits of the exponent, 0 when the pattern has no `E`. */
  expDigits: number;
  multiplier: number;
}

const CACHE = new Map<string, Pattern>();

/** Exact decimal digits of a finite non-negative double: value = 0.digits × 10^point. */
function exactDigits(value: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let e: number;
  if (exponent === 0) e = -1074;
  else {
    mantissa |= 1n << 52n;
    e = exponent - 1075;
  }
  let text: string;
  let fracLength = 0;
  if (e >= 0) text = (mantissa << BigInt(e)).toString();
  else {
    text = (mantissa * 5n ** BigInt(-e)).toString();
    fracLength = -e;
  }
  const point = text.length - fracLength;
  const trimmed = text.replace(/0+$/, '');
  const lead = /^0*/.exec(trimmed)![0].length;
  return { digits: trimmed.slice(lead), point: point - lead };
}

/** Rounds digits (0.digits × 10^point) half-even to `keep` digits; may carry into a new digit. */
function roundDigits(digits: string, point: number, keep: number): { digits: string; point: number } {
  if (keep < 0) return { digits: '', point };
  if (digits.length <= keep) return { digits, point };
  const head = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  const rest = digits.slice(keep + 1);
  const last = keep > 0 ? head.charCodeAt(keep - 1) - 48 : 0;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || last % 2 === 1));
  if (!up) return { digits: head.replace(/0+$/, ''), point };
  const bumped = (BigInt(head || '0') + 1n).toString();
  if (head === '' || bumped.length > head.length)
    return { digits: bumped.replace(/0+$/, ''), point: point + 1 };
  return { digits: bumped.padStart(keep, '0').replace(/0+$/, ''), point };
}

function parsePattern(pattern: string): Pattern {
  const hit = CACHE.get(pattern);
  if (hit) return hit;
  const [positive, negative] = splitUnquoted(pattern);
  const p = parsePart(positive, pattern);
  if (negative !== undefined) {
    const n = parsePart(negative, pattern);
    p.negativePrefix = n.prefix;
    p.negativeSuffix = n.suffix;
  } else {
    p.negativePrefix = `-${p.prefix}`;
    p.negativeSuffix = p.suffix;
  }
  if (CACHE.size > 200) CACHE.clear();
  CACHE.set(pattern, p);
  return p;
}

function splitUnquoted(pattern: string): [string, string | undefined] {
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "'") quoted = !quoted;
    else if (pattern[i] === ';' && !quoted) return [pattern.slice(0, i), pattern.slice(i + 1)];
  }
  return [pattern, undefined];
}

function parsePart(part: string, pattern: string): Pattern {
  const p: Pattern = {
    prefix: '',
    suffix: '',
    negativePrefix: '',
    negativeSuffix: '',
    minInt: 0,
    maxInt: 0,
    grouping: 0,
    minFrac: 0,
    maxFrac: 0,
    expDigits: 0,
    multiplier: 1,
  };
  let phase = 0; // 0 prefix, 1 number, 2 suffix
  let quoted = false;
  let integer = '';
  let fraction: string | undefined;
  let exponent: string | undefined;
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === "'") {
      if (part[i + 1] === "'") {
        if (phase === 0) p.prefix += "'";
        else p.suffix += "'";
        i++;
      } else quoted = !quoted;
      continue;
    }
    if (!quoted && phase < 2 && ('#0,.'.includes(c) || (phase === 1 && c === 'E'))) {
      phase = 1;
      if (exponent !== undefined) {
        if (c !== '0') fail(`\`numberFormat\`: malformed pattern "${pattern}"`);
        exponent += c;
      } else if (c === 'E') exponent = '';
      else if (c === '.') {
        if (fraction !== undefined)
          fail(`\`numberFormat\`: malformed pattern "${pattern}" (two decimal points)`);
        fraction = '';
      } else if (fraction !== undefined) fraction += c;
      else integer += c;
      continue;
    }
    if (phase === 1) phase = 2;
    let text = c;
    if (!quoted && c === '%') p.multiplier = 100;
    else if (!quoted && c === '\u2030') p.multiplier = 1000;
    else if (!quoted && c === '\u00A4') text = '$';
    if (phase === 0) p.prefix += text;
    else p.suffix += text;
  }
  const digits = integer.replaceAll(',', '');
  p.minInt = (digits.match(/0/g) ?? []).length;
  p.maxInt = exponent !== undefined ? digits.length : Number.MAX_SAFE_INTEGER;
  const lastComma = integer.lastIndexOf(',');
  p.grouping = lastComma === -1 ? 0 : integer.length - lastComma - 1;
  p.minFrac = ((fraction ?? '').match(/0/g) ?? []).length;
  p.maxFrac = (fraction ?? '').length;
  p.expDigits = exponent?.length ?? 0;
  if (exponent !== undefined && p.expDigits === 0)
    fail(`\`numberFormat\`: malformed pattern "${pattern}" (E needs digits)`);
  return p;
}

function group(integer: string, size: number): string {
  if (size <= 0 || integer.length <= size) return integer;
  let out = '';
  for (let end = integer.length; end > 0; end -= size)
    out = integer.slice(Math.max(0, end - size), end) + (out ? `,${out}` : '');
  return out;
}

function plainNumber(digits: string, point: number, p: Pattern): string {
  const rounded = roundDigits(digits, point, point + p.maxFrac);
  const d = rounded.digits;
  const at = rounded.point;
  let integer = at > 0 ? d.slice(0, at).padEnd(at, '0') : '';
  let fraction = at >= 0 ? d.slice(at) : '0'.repeat(-at) + d;
  fraction = fraction.replace(/0+$/, '');
  if (fraction.length < p.minFrac) fraction = fraction.padEnd(p.minFrac, '0');
  integer = integer.replace(/^0+/, '');
  if (integer.length < p.minInt) integer = integer.padStart(p.minInt, '0');
  if (integer === '' && fraction === '') integer = '0';
  return group(integer, p.grouping) + (fraction ? `.${fraction}` : '');
}

function scientific(digits: string, point: number, p: Pattern): string {
  const engineering = p.maxInt > 1 && p.maxInt > p.minInt;
  const rounded = roundDigits(digits, point, p.maxInt + p.maxFrac);
  const d = rounded.digits;
  let exponent: number;
  let minInt = p.minInt;
  if (d === '') exponent = 0;
  else if (engineering) {
    const e = rounded.point - 1;
    exponent = Math.floor(e / p.maxInt) * p.maxInt;
    minInt = 1;
  } else exponent = rounded.point - Math.max(minInt, 1);
  const intCount = d === '' ? Math.max(minInt, 1) : rounded.point - exponent;
  let integer = d.slice(0, intCount).padEnd(intCount, '0');
  let fraction = d.slice(intCount);
  if (fraction.length < p.minFrac) fraction = fraction.padEnd(p.minFrac, '0');
  if (integer.length < minInt) integer = integer.padStart(minInt, '0');
  if (integer === '') integer = '0';
  const exp = String(Math.abs(exponent)).padStart(p.expDigits, '0');
  return `${integer}${fraction ? `.${fraction}` : ''}E${exponent < 0 ? '-' : ''}${exp}`;
}

/** Java's `new DecimalFormat(pattern, en_US symbols).format(value)`: half-even rounding. */
export function decimalFormat(value: number, pattern: string): string {
  const p = parsePattern(pattern);
  if (Number.isNaN(value)) return 'NaN';
  const negative = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value))
    return negative ? `${p.negativePrefix}\u221E${p.negativeSuffix}` : `${p.prefix}\u221E${p.suffix}`;
  const { digits, point } = exactDigits(Math.abs(value) * p.multiplier);
  const body = p.expDigits > 0 ? scientific(digits, point, p) : plainNumber(digits, point, p);
  return negative ? p.negativePrefix + body + p.negativeSuffix : p.prefix + body + p.suffix;
}
