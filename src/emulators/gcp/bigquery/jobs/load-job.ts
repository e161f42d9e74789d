/**
 * Load jobs: CSV, newline-delimited JSON, Parquet (and Avro when DuckDB has its extension) from
 * gs:// URIs (wildcards through the object store) or from the bytes uploaded with the job, read by
 * DuckDB itself and written to the destination table in one transaction, so a failed load leaves
 * the table as it was. The schema is the job's, the one detected (`autodetect`, or always for
 * self-describing Parquet/Avro), or the destination table's.
 */
import { statSync } from 'node:fs';
import type { CsvOptions } from '../catalog.js';
import { BigQueryApiError, invalid, textOf } from '../errors.js';
import { checkGcsUris, filesOf } from '../external.js';
import { normalizeFields } from '../schema.js';
import { tableLabel } from '../service.js';
import type { BigQueryService } from '../service.js';
import {
  detectedReadExpression,
  detectFields,
  ensureFormatReadable,
  readExpression,
  sourceFormatOf,
} from '../sources.js';
import type { SourceSpec } from '../sources.js';
import type { BigQueryField } from '../sql/translate.js';
import { estimatedRowBytes } from '../table-stats.js';
import { destinationOf, schemaUpdateOptionsOf, writeToDestination } from './destination.js';
import type { Destination } from './destination.js';
import type { JobInput, JobOutcome, JobRun } from './types.js';

function flag(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return value === true || textOf(value).toLowerCase() === 'true';
}

/** The CSV options of a load configuration (they sit at its top level). */
function csvOptionsOf(config: Record<string, unknown>): CsvOptions {
  const csv: CsvOptions = {};
  if (config.skipLeadingRows !== undefined && config.skipLeadingRows !== null)
    csv.skipLeadingRows = textOf(config.skipLeadingRows);
  if (typeof config.fieldDelimiter === 'string') csv.fieldDelimiter = config.fieldDelimiter;
  if (typeof config.quote === 'string') csv.quote = config.quote;
  const jagged = flag(config.allowJaggedRows);
  if (jagged !== undefined) csv.allowJaggedRows = jagged;
  const newlines = flag(config.allowQuotedNewlines);
  if (newlines !== undefined) csv.allowQuotedNewlines = newlines;
  if (typeof config.encoding === 'string') csv.encoding = config.encoding;
  if (typeof config.nullMarker === 'string') csv.nullMarker = config.nullMarker;
  return csv;
}

/** A load job's destination: appended to by default, with the table options it may create it with. */
function loadDestinationOf(config: Record<string, unknown>, projectId: string): Destination {
  const destination: Destination = {
    ...destinationOf(config, projectId, 'WRITE_APPEND'),
    schemaUpdateOptions: schemaUpdateOptionsOf(config.schemaUpdateOptions),
    tableOptions: {},
  };
  const options = destination.tableOptions!;
  if (typeof config.timePartitioning === 'object' && config.timePartitioning !== null)
    options.timePartitioning = { type: 'DAY', ...(config.timePartitioning as Record<string, unknown>) };
  const clustering = config.clustering as { fields?: unknown } | undefined;
  if (clustering !== undefined && clustering !== null && Array.isArray(clustering.fields))
    options.clustering = { fields: clustering.fields.map(String) };
  const properties = config.destinationTableProperties as
    { description?: unknown; friendlyName?: unknown; labels?: unknown } | undefined;
  if (typeof properties?.description === 'string') options.description = properties.description;
  if (typeof properties?.friendlyName === 'string') options.friendlyName = properties.friendlyName;
  return destination;
}

/** Runs a load job. */
export async function runLoad(service: BigQueryService, input: JobInput, run: JobRun): Promise<JobOutcome> {
  const config = input.config;
  const format = sourceFormatOf(config.sourceFormat);
  const destination = loadDestinationOf(config, input.projectId);
  const label = tableLabel(destination.ref);

  let files: string[];
  let inputBytes: number;
  if (run.uploadFile !== undefined) {
    files = [run.uploadFile];
    inputBytes = statSync(run.uploadFile).size;
  } else {
    const uris = Array.isArray(config.sourceUris) ? config.sourceUris.map(String) : [];
    checkGcsUris(uris, `The load job into ${label}`);
    ({ files, bytes: inputBytes } = filesOf(service.objects, uris));
  }
  const spec: SourceSpec = { format, files };
  if (format === 'CSV') spec.csv = csvOptionsOf(config);
  const ignoreUnknownValues = flag(config.ignoreUnknownValues);
  if (ignoreUnknownValues !== undefined) spec.ignoreUnknownValues = ignoreUnknownValues;
  if (config.maxBadRecords !== undefined && config.maxBadRecords !== null)
    spec.maxBadRecords = Number(config.maxBadRecords);

  const schema = config.schema as { fields?: unknown } | undefined;
  const given =
    schema?.fields !== undefined && schema.fields !== null
      ? normalizeFields(schema.fields, `schema of the load into ${label}`)
      : undefined;
  const selfDescribing = format === 'PARQUET' || format === 'AVRO';
  const autodetect = flag(config.autodetect) === true;

  if (run.cancelled) throw new Error('cancelled');
  const rows = await service.warehouse.write(async (connection) => {
    run.connection = connection;
    try {
      await ensureFormatReadable(connection, format);
      let fields: BigQueryField[] | undefined = given;
      let source: string;
      if (fields !== undefined && fields.length > 0) {
        source = readExpression(spec, fields);
      } else if (autodetect || selfDescribing) {
        fields = await detectFields(connection, spec);
        source = detectedReadExpression(spec, fields);
      } else {
        const existing = service.catalog.table(destination.ref);
        if (existing === undefined || existing.fields.length === 0)
          throw invalid(`No schema specified on job or table ${label}: give a schema or set autodetect`);
        fields = existing.fields;
        source = readExpression(spec, fields);
      }
      try {
        return { count: await writeToDestination(service, connection, destination, source, fields), fields };
      } catch (error) {
        if (error instanceof BigQueryApiError) throw error;
        // DuckDB's reader says which line and value it could not read.
        const message = (error instanceof Error ? error.message : String(error)).split('\n\n')[0]!.trim();
        throw new BigQueryApiError('invalid', `Error while reading data for ${label}: ${message}`);
      }
    } finally {
      delete run.connection;
    }
  });

  return {
    statistics: {
      load: {
        inputFiles: String(files.length),
        inputFileBytes: String(inputBytes),
        outputRows: String(rows.count),
        outputBytes: String(rows.count * estimatedRowBytes(rows.fields)),
        badRecords: '0',
      },
    },
  };
}
