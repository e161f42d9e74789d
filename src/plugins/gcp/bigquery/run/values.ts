/**
 * BigQuery result values as Kestra's BigQuery tasks give them to later expressions, read from the
 * REST API's raw rows (`{f: [{v}]}`, values as text) with the result schema: INT64 → number (text
 * beyond 2^53), FLOAT64 → number, NUMERIC → number when exact (else text), BOOL → boolean,
 * TIMESTAMP → ISO-8601 text in UTC (Java's `Instant` form), DATE/DATETIME/TIME → their text,
 * BYTES → base64 text, RECORD → object, REPEATED → list, JSON → parsed.
 */

/** A field of a BigQuery schema (`schema.fields[]` of the REST API). */
export interface BigQuerySchemaField {
  name: string;
  type: string;
  mode?: string;
  fields?: BigQuerySchemaField[];
}

/** A raw row of `jobs.getQueryResults` / `tabledata.list`. */
export interface RawRow {
  f?: Array<{ v?: unknown }>;
}

/** A row as an object, column name → value. */
export function rowValues(fields: readonly BigQuerySchemaField[], row: RawRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const cells = row.f ?? [];
  fields.forEach((field, index) => {
    out[field.name] = fieldValue(field, cells[index]?.v);
  });
  return out;
}

/** The value of one cell, a list for a REPEATED field. */
function fieldValue(field: BigQuerySchemaField, raw: unknown): unknown {
  if (raw === null || raw === undefined) return field.mode === 'REPEATED' ? [] : null;
  if (field.mode === 'REPEATED') {
    if (!Array.isArray(raw)) return [scalarValue(field, raw)];
    return raw.map((item: unknown) =>
      scalarValue(field, item !== null && typeof item === 'object' && 'v' in item ? item.v : item),
    );
  }
  return scalarValue(field, raw);
}

/** The value of a non-repeated cell. */
function scalarValue(field: BigQuerySchemaField, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.type.toUpperCase()) {
    case 'RECORD':
    case 'STRUCT':
      return typeof raw === 'object' ? rowValues(field.fields ?? [], raw) : raw;
    case 'INTEGER':
    case 'INT64':
      return integerValue(raw);
    case 'FLOAT':
    case 'FLOAT64':
      return floatValue(raw);
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return decimalValue(raw);
    case 'BOOLEAN':
    case 'BOOL':
      return raw === true || (typeof raw === 'string' && raw.toLowerCase() === 'true');
    case 'TIMESTAMP':
      return timestampValue(raw);
    case 'JSON':
      return jsonValue(raw);
    default:
      // STRING, BYTES (base64 already), DATE, DATETIME, TIME, GEOGRAPHY, INTERVAL, RANGE: their text.
      return typeof raw === 'string' ? raw : JSON.stringify(raw);
  }
}

function integerValue(raw: unknown): number | string {
  const text = String(raw);
  const value = Number(text);
  // Beyond 2^53 a number would silently change the value: the exact text is kept instead.
  return Number.isSafeInteger(value) ? value : text;
}

function floatValue(raw: unknown): number | string {
  const value = Number(raw);
  // JSON has no NaN or infinities: they stay text, as the API writes them.
  return Number.isFinite(value) ? value : String(raw);
}

function decimalValue(raw: unknown): number | string {
  const text = String(raw);
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  return sameDecimal(String(value), text) ? value : text;
}

/** Whether two decimal texts name the same number (`12.50` and `12.5`). */
function sameDecimal(a: string, b: string): boolean {
  const canonical = (text: string) => {
    if (/e/i.test(text)) return String(Number(text));
    let out = text.replace(/^(-?)0+(?=\d)/, '$1');
    if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
    return out === '-0' ? '0' : out;
  };
  return canonical(a) === canonical(b);
}

function jsonValue(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * A TIMESTAMP as Java's `Instant.toString()` writes it (`2008-12-25T15:30:00.123456Z`: the
 * fraction in groups of three digits, none when zero). The API gives microseconds since the epoch
 * (`formatOptions.useInt64Timestamp`), float seconds (`1.230219000123456E9`) or ISO text.
 */
export function timestampValue(raw: unknown): string {
  const text = String(raw).trim();
  if (/^-?\d+$/.test(text)) return instantText(BigInt(text));
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
    return instantText(BigInt(Math.round(Number(text) * 1e6)));
  }
  const parsed =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      text,
    );
  if (!parsed) return text;
  const [, day, time, fraction = '', zone = 'Z'] = parsed;
  const offset = /^(Z|UTC)$/i.test(zone)
    ? 'Z'
    : zone.length === 3
      ? `${zone}:00`
      : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = Date.parse(`${day}T${time}${offset}`);
  if (Number.isNaN(millis)) return text;
  const micros = BigInt(millis / 1000) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return instantText(micros);
}

/** Microseconds since the epoch as Java's `Instant.toString()`. */
function instantText(micros: bigint): string {
  const seconds = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const fraction = Number(micros - seconds * 1_000_000n);
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  if (fraction === 0) return `${base}Z`;
  const digits = String(fraction).padStart(6, '0');
  return `${base}.${digits.endsWith('000') ? digits.slice(0, 3) : digits}Z`;
}
