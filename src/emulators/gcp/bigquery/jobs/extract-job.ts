/**
 * Extract jobs: a native table written by DuckDB's COPY as CSV, newline-delimited JSON or Parquet
 * (optionally gzip-compressed) under the object store's temporary folder, then put as an object.
 * A `*` in the destination URI becomes the 12-digit shard number BigQuery writes (one shard,
 * `000000000000`). Values are written as BigQuery exports them: TIMESTAMP as `… UTC` text, BYTES
 * in base64, INT64 in JSON as text.
 */
import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BigQueryApiError, invalid } from '../errors.js';
import { canonicalType, modeOf } from '../schema.js';
import { requireTable, tableLabel } from '../service.js';
import type { BigQueryService } from '../service.js';
import type { BigQueryField } from '../sql/translate.js';
import { duckdbTableName, quoteIdent, quoteLiteral } from '../warehouse.js';
import { tableRefOf } from './destination.js';
import type { JobInput, JobOutcome, JobRun } from './types.js';

const formats = ['CSV', 'NEWLINE_DELIMITED_JSON', 'PARQUET'] as const;
type ExtractFormat = (typeof formats)[number];

function formatOf(value: unknown): ExtractFormat {
  const name = typeof value === 'string' && value !== '' ? value.toUpperCase() : 'CSV';
  const format = formats.find(
    (candidate) => candidate === (name === 'JSON' ? 'NEWLINE_DELIMITED_JSON' : name),
  );
  if (format === undefined)
    throw invalid(
      `Destination format ${name} is not supported by the emulator (CSV, NEWLINE_DELIMITED_JSON, PARQUET)`,
    );
  return format;
}

/** `gs://bucket/name` split, with the `*` replaced by the first shard's number. */
function destinationOf(uri: string): { bucket: string; name: string } {
  const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (match === null) throw invalid(`${uri} is not a gs://bucket/object URI`);
  const name = match[2]!;
  if (name.split('*').length > 2) throw invalid(`The destination URI ${uri} may hold one * at most`);
  return { bucket: match[1]!, name: name.replace('*', '000000000000') };
}

/** The column as written in a text export. */
function exportColumn(field: BigQueryField, format: ExtractFormat): string {
  const column = quoteIdent(field.name);
  if (format === 'PARQUET' || modeOf(field) === 'REPEATED') return column;
  switch (canonicalType(field.type)) {
    case 'TIMESTAMP':
      return `regexp_replace(strftime(${column}, '%Y-%m-%d %H:%M:%S.%f'), '\\.?0+$', '') || ' UTC' AS ${column}`;
    case 'BYTES':
      return `to_base64(${column}) AS ${column}`;
    case 'INTEGER':
      return format === 'NEWLINE_DELIMITED_JSON' ? `CAST(${column} AS VARCHAR) AS ${column}` : column;
    default:
      return column;
  }
}

function copyOptions(format: ExtractFormat, config: Record<string, unknown>): string {
  const compression = typeof config.compression === 'string' ? config.compression.toUpperCase() : 'NONE';
  const options: string[] = [];
  switch (format) {
    case 'CSV': {
      options.push('FORMAT csv');
      options.push(`HEADER ${config.printHeader === false ? 'false' : 'true'}`);
      const delimiter =
        typeof config.fieldDelimiter === 'string' && config.fieldDelimiter !== ''
          ? config.fieldDelimiter
          : ',';
      options.push(
        `DELIMITER ${quoteLiteral(delimiter === '\\t' || delimiter.toLowerCase() === 'tab' ? '\t' : delimiter)}`,
      );
      break;
    }
    case 'NEWLINE_DELIMITED_JSON':
      options.push('FORMAT json');
      break;
    case 'PARQUET':
      options.push('FORMAT parquet');
      break;
  }
  if (compression === 'GZIP') options.push("COMPRESSION 'gzip'");
  else if (format === 'PARQUET' && (compression === 'SNAPPY' || compression === 'ZSTD'))
    options.push(`COMPRESSION '${compression.toLowerCase()}'`);
  else if (compression !== 'NONE')
    throw invalid(`Compression ${compression} is not supported for ${format} exports`);
  return options.join(', ');
}

/** Runs an extract job. */
export async function runExtract(
  service: BigQueryService,
  input: JobInput,
  run: JobRun,
): Promise<JobOutcome> {
  const config = input.config;
  const source = tableRefOf(config.sourceTable, 'sourceTable', input.projectId);
  const table = requireTable(service, source);
  if (table.type !== 'TABLE')
    throw invalid(
      `Cannot extract ${tableLabel(source)}: it is ${table.type === 'VIEW' ? 'a view' : 'an external table'}`,
    );
  const uris: string[] = Array.isArray(config.destinationUris)
    ? config.destinationUris.map(String)
    : typeof config.destinationUri === 'string'
      ? [config.destinationUri]
      : [];
  if (uris.length === 0) throw invalid('Required parameter is missing: destinationUris');
  if (uris.length > 1)
    throw invalid('The emulator extracts to one destination URI (use a * in it for sharded names)');
  const target = destinationOf(uris[0]!);
  if (!service.objects.hasBucket(target.bucket))
    throw new BigQueryApiError('notFound', `Not found: Bucket ${target.bucket}`, uris[0]);
  const format = formatOf(config.destinationFormat);
  if (format === 'CSV') {
    const nested = table.fields.find(
      (field) => modeOf(field) === 'REPEATED' || canonicalType(field.type) === 'RECORD',
    );
    if (nested !== undefined)
      throw invalid(`Operation cannot be performed on a nested schema. Field: ${nested.name}`);
  }
  const options = copyOptions(format, config);
  const file = join(service.objects.tempDir(), `extract-${randomUUID()}`);
  if (run.cancelled) throw new Error('cancelled');
  try {
    await service.warehouse.withConnection(async (connection) => {
      run.connection = connection;
      try {
        const columns =
          table.fields.length === 0
            ? '*'
            : table.fields.map((field) => exportColumn(field, format)).join(', ');
        await connection.run(
          `COPY (SELECT ${columns} FROM ${duckdbTableName(table)}) TO ${quoteLiteral(file)} (${options})`,
        );
      } finally {
        delete run.connection;
      }
    });
    if (run.cancelled) throw new Error('cancelled');
    const bytes = (await stat(file)).size;
    const contentType =
      format === 'CSV' ? 'text/csv' : format === 'PARQUET' ? 'application/octet-stream' : 'application/json';
    await service.objects.putFile(target.bucket, target.name, file, { contentType });
    return {
      statistics: { extract: { destinationUriFileCounts: ['1'], inputBytes: String(bytes) } },
    };
  } finally {
    await rm(file, { force: true });
  }
}
