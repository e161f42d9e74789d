/**
 * External tables: their definition (from `tables.insert`'s `externalDataConfiguration` or from
 * `CREATE EXTERNAL TABLE … OPTIONS(…)`) and the DuckDB expression that reads their objects,
 * resolved at query time through the object store (so new objects matching a wildcard are read).
 */
import { BigQueryApiError, invalid, textOf } from './errors.js';
import type { CsvOptions, ExternalDataConfiguration } from './catalog.js';
import { normalizeFields } from './schema.js';
import { readExpression, detectedReadExpression, sourceFormatOf } from './sources.js';
import type { SourceSpec } from './sources.js';
import type { BigQueryField } from './sql/translate.js';
import type { ObjectStore } from '../storage/object-store.js';

/** Checks that every URI is a `gs://bucket/name` URI. */
export function checkGcsUris(uris: readonly string[], what: string): void {
  if (uris.length === 0) throw invalid(`${what}: at least one gs:// URI is required`);
  for (const uri of uris)
    if (!/^gs:\/\/[^/]+\/.+/.test(uri))
      throw invalid(
        `${what}: ${uri} is not a gs://bucket/object URI (the emulator reads its own Cloud Storage only)`,
      );
}

/** The local files of the objects the URIs name; `notFound` when a URI matches nothing. */
export function filesOf(objects: ObjectStore, uris: readonly string[]): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  for (const uri of uris) {
    const found = objects.matchUris([uri]);
    if (found.length === 0) throw new BigQueryApiError('notFound', `Not found: URI ${uri}`, uri);
    for (const object of found) {
      files.push(object.path);
      bytes += object.size;
    }
  }
  return { files, bytes };
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : textOf(value);
}

function flag(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return value === true || textOf(value).toLowerCase() === 'true';
}

/** An external table's definition from the API's `externalDataConfiguration`, checked. */
export function externalConfigFromApi(raw: unknown, what: string): ExternalDataConfiguration {
  if (typeof raw !== 'object' || raw === null)
    throw invalid(`${what}: externalDataConfiguration must be an object`);
  const config = raw as Record<string, unknown>;
  const uris = Array.isArray(config.sourceUris) ? config.sourceUris.map(String) : [];
  checkGcsUris(uris, what);
  const result: ExternalDataConfiguration = {
    sourceUris: uris,
    sourceFormat: sourceFormatOf(config.sourceFormat),
  };
  if (config.autodetect !== undefined) result.autodetect = flag(config.autodetect) ?? false;
  if (typeof config.compression === 'string') result.compression = config.compression.toUpperCase();
  if (config.ignoreUnknownValues !== undefined)
    result.ignoreUnknownValues = flag(config.ignoreUnknownValues) ?? false;
  if (config.maxBadRecords !== undefined) result.maxBadRecords = Number(config.maxBadRecords);
  if (typeof config.csvOptions === 'object' && config.csvOptions !== null)
    result.csvOptions = { ...(config.csvOptions as CsvOptions) };
  const schema = config.schema as { fields?: unknown } | undefined;
  if (schema?.fields !== undefined) result.schema = { fields: normalizeFields(schema.fields, what) };
  return result;
}

/** An external table's definition from `CREATE EXTERNAL TABLE … OPTIONS(…)` (lower-case keys). */
export function externalConfigFromDdl(
  format: string,
  uris: string[],
  options: Record<string, unknown>,
  schema: BigQueryField[] | undefined,
  what: string,
): ExternalDataConfiguration {
  checkGcsUris(uris, what);
  const csv: CsvOptions = {};
  if (options.skip_leading_rows !== undefined) csv.skipLeadingRows = textOf(options.skip_leading_rows);
  if (options.field_delimiter !== undefined) csv.fieldDelimiter = text(options.field_delimiter)!;
  if (options.quote !== undefined) csv.quote = text(options.quote)!;
  if (options.allow_jagged_rows !== undefined) csv.allowJaggedRows = flag(options.allow_jagged_rows)!;
  if (options.allow_quoted_newlines !== undefined)
    csv.allowQuotedNewlines = flag(options.allow_quoted_newlines)!;
  if (options.encoding !== undefined) csv.encoding = text(options.encoding)!;
  if (options.null_marker !== undefined) csv.nullMarker = text(options.null_marker)!;
  const result: ExternalDataConfiguration = { sourceUris: uris, sourceFormat: sourceFormatOf(format) };
  if (Object.keys(csv).length > 0) result.csvOptions = csv;
  if (options.compression !== undefined) result.compression = textOf(options.compression).toUpperCase();
  if (options.ignore_unknown_values !== undefined)
    result.ignoreUnknownValues = flag(options.ignore_unknown_values)!;
  if (options.max_bad_records !== undefined) result.maxBadRecords = Number(options.max_bad_records);
  if (schema !== undefined) result.schema = { fields: normalizeFields(schema, what) };
  else result.autodetect = true;
  return result;
}

/** How to read an external table's objects, resolved now. */
export function externalSpec(
  objects: ObjectStore,
  config: ExternalDataConfiguration,
): { spec: SourceSpec; bytes: number } {
  const { files, bytes } = filesOf(objects, config.sourceUris);
  const spec: SourceSpec = { format: config.sourceFormat, files };
  if (config.csvOptions !== undefined) spec.csv = config.csvOptions;
  if (config.compression !== undefined) spec.compression = config.compression;
  if (config.ignoreUnknownValues !== undefined) spec.ignoreUnknownValues = config.ignoreUnknownValues;
  if (config.maxBadRecords !== undefined) spec.maxBadRecords = config.maxBadRecords;
  return { spec, bytes };
}

/**
 * The DuckDB table expression reading an external table with its fields: the declared schema, or
 * the fields detected when the table was defined (renamed by position).
 */
export function externalReadExpression(
  objects: ObjectStore,
  config: ExternalDataConfiguration,
  fields: readonly BigQueryField[],
): string {
  const { spec } = externalSpec(objects, config);
  return config.schema !== undefined ? readExpression(spec, fields) : detectedReadExpression(spec, fields);
}
