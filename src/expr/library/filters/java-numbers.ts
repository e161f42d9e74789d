import { makeDouble } from '../../values.js';
import type { JavaDouble } from '../../values.js';
import { fail } from './support.js';

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const DIGITS: Readonly<Record<number, RegExp>> = { 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ };

function invalid(text: string): never {
  return fail(`\`number\`: "${text}" is not a valid number`);
}

/** Java's `new BigDecimal(text).toString()`: the digits as written, `1E+3` for negative scales. */
export function bigDecimalText(text: string): string | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '') return undefined;
  const frac = m[3] ?? '';
  const coeff = ((m[2] ?? '') + frac).replace(/^0+(?=\d)/, '');
  const scale = frac.length - Number(m[4] ?? 0);
  const sign = m[1] === '-' && /[1-9]/.test(coeff) ? '-' : '';
  if (scale === 0) return sign + coeff;
  const adjusted = -scale + (coeff.length - 1);
  if (scale > 0 && adjusted >= -6) {
    const plain =
      coeff.length > scale
        ? `${coeff.slice(0, -scale)}.${coeff.slice(-scale)}`
        : `0.${'0'.repeat(scale - coeff.length)}${coeff}`;
    return sign + plain;
  }
  const mantissa = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** Java's `Integer.decode` / `Long.decode` (`0x1F`, `#1F`, `017` octal, signs), range-checked. */
export function javaDecode(text: string, bits: 32 | 64): number {
  let i = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    i = 1;
  }
  let radix = 10;
  if (text.startsWith('0x', i) || text.startsWith('0X', i)) {
    radix = 16;
    i += 2;
  } else if (text.startsWith('#', i)) {
    radix = 16;
    i += 1;
  } else if (text.startsWith('0', i) && text.length > i + 1) {
    radix = 8;
    i += 1;
  }
  const digits = text.slice(i);
  if (!DIGITS[radix]!.test(digits)) invalid(text);
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  const value = BigInt(prefix + digits) * (negative ? -1n : 1n);
  const limit = 1n << BigInt(bits - 1);
  if (value < -limit || value >= limit) invalid(text);
  return Number(value);
}

/** The shortest decimal that reads back as the same 32-bit float, as Java's `Float.toString`. */
export function toFloat(value: number): number {
  const f = Math.fround(value);
  if (!Number.isFinite(f) || f === 0) return f;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** Java's `Double.valueOf`: decimal text with an optional `f`/`d` suffix, NaN, Infinity. */
function javaDouble(text: string): number {
  const t = text.trim().replace(/[fFdD]$/, '');
  if (/^[+-]?(NaN|Infinity)$/.test(t)) return Number(t);
  const m = DECIMAL.exec(t);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '') invalid(text);
  return Number(t);
}

function whole(text: string): number {
  if (/^[+-]?\d+$/.test(text)) return Number(BigInt(text));
  return javaDecode(text, 64);
}

/**
 * Commons Lang's `NumberUtils.createNumber`, the number Kestra's `number` filter makes of a text:
 * a long for whole numbers (`0x` hex, `0` octal, `L` suffix), a double for the others.
 */
export function createNumber(text: string): number | JavaDouble {
  if (text.trim() === '') fail('`number`: a blank string is not a valid number');
  if (/^-?(0[xX]|#)/.test(text)) return javaDecode(text, 64);
  const last = text[text.length - 1]!;
  if (!/[\d.]/.test(last)) {
    const body = text.slice(0, -1);
    if (last === 'l' || last === 'L') {
      if (!/^-?\d+$/.test(body)) invalid(text);
      return whole(body);
    }
    if ('fFdD'.includes(last)) return makeDouble(javaDouble(body));
    invalid(text);
  }
  if (!/[.eE]/.test(text)) {
    if (/^[+-]?0\d/.test(text)) return javaDecode(text, 64);
    if (!/^[+-]?\d+$/.test(text)) invalid(text);
    return whole(text);
  }
  const m = DECIMAL.exec(text);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '') invalid(text);
  return makeDouble(Number(text));
}

/** Kestra's `number(type)`: INT, LONG, FLOAT, DOUBLE, BIGDECIMAL, BIGINTEGER, or inferred. */
export function parseNumber(text: string, type: string): number | JavaDouble {
  switch (type) {
    case 'INT':
      return javaDecode(text, 32);
    case 'LONG':
      return javaDecode(text, 64);
    case 'FLOAT':
      return makeDouble(toFloat(javaDouble(text)));
    case 'DOUBLE':
      return makeDouble(javaDouble(text));
    case 'BIGDECIMAL': {
      if (bigDecimalText(text) === undefined) invalid(text);
      const n = Number(text);
      return /[.eE]/.test(text) ? makeDouble(n) : n;
    }
    case 'BIGINTEGER':
      if (/^[+-]?\d+$/.test(text)) return Number(BigInt(text));
      return javaDecode(text, 64);
    default:
      return createNumber(text);
  }
}
