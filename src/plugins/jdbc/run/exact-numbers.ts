/** Numbers as databases write them, kept exact: a number when no digit is lost, else the text. */

/** A decimal (NUMERIC, DECIMAL) as a number when the number keeps every digit, else its text. */
export function parseDecimal(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  // 12.50 and 12.5 are the same decimal: compare without trailing fraction zeros.
  const canonical = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return String(n) === canonical.replace(/^(-?)0+(?=\d)/, '$1') ? n : text;
}

/** A whole number (BIGINT, int8) as a number when exact, else its text. */
export function parseWhole(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}
