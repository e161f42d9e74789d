/**
 * What the GCP task types share: credentials and project (Kestra's `GcpInterface`), BigQuery's
 * `location` and automatic retry (`AbstractBigquery`), the load options (`AbstractLoad`), and
 * helpers for `gs://` URIs and the course notes' alias properties.
 */
import { p, startsWithPrefix } from '../api.js';
import type { OutputDoc, Prop, ReportFn } from '../api.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** `projectId`, `serviceAccount`, `impersonatedServiceAccount`, `scopes`: every GCP task has them. */
export function gcpProps(): Record<string, Prop> {
  return {
    projectId: p.string().describe('The GCP project ID; default: the one of the credentials.'),
    serviceAccount: p
      .string()
      .describe(
        "The service account key, as JSON text, usually `{{ secret('GCP_CREDS') }}`; default: the worker's application default credentials.",
      ),
    impersonatedServiceAccount: p
      .string()
      .describe('The email of a service account to impersonate with the credentials.'),
    scopes: p
      .list(p.string())
      .default([CLOUD_PLATFORM_SCOPE])
      .describe('The OAuth scopes requested for the credentials.'),
  };
}

/** GCP properties plus BigQuery's `location` and automatic retry of transient job errors. */
export function bigqueryProps(): Record<string, Prop> {
  return {
    ...gcpProps(),
    location: p
      .string()
      .describe('The BigQuery location (e.g. `EU`, `us-central1`) where jobs run and datasets live.'),
    retryAuto: p
      .map(p.any(), { dynamic: false })
      .describe(
        'A retry policy (`type: constant|exponential|random`, as a task `retry`) for retryable BigQuery errors; default: exponential from 5 s, at most 10 attempts within 15 min.',
      ),
    retryReasons: p
      .list(p.string())
      .default(['rateLimitExceeded', 'jobBackendError', 'backendError', 'internalError', 'jobInternalError'])
      .describe('BigQuery error reasons that are retried automatically.'),
    retryMessages: p
      .list(p.string())
      .default([
        'due to concurrent update',
        'Retrying the job may solve the problem',
        'Retrying may solve the problem',
      ])
      .describe('Error message fragments (case-insensitive) that are retried automatically.'),
  };
}

export const WRITE_DISPOSITIONS = ['WRITE_TRUNCATE', 'WRITE_APPEND', 'WRITE_EMPTY'] as const;
export const CREATE_DISPOSITIONS = ['CREATE_IF_NEEDED', 'CREATE_NEVER'] as const;
export const SCHEMA_UPDATE_OPTIONS = ['ALLOW_FIELD_ADDITION', 'ALLOW_FIELD_RELAXATION'] as const;
export const TIME_PARTITIONING_TYPES = ['DAY', 'HOUR', 'MONTH', 'YEAR'] as const;
export const IF_EXISTS = ['ERROR', 'UPDATE', 'SKIP'] as const;

export function writeDisposition(): Prop {
  return p
    .enum(WRITE_DISPOSITIONS)
    .describe(
      'What to do when the destination table exists: `WRITE_TRUNCATE` replace its rows, `WRITE_APPEND` add rows, `WRITE_EMPTY` fail unless it is empty.',
    );
}

export function createDisposition(): Prop {
  return p
    .enum(CREATE_DISPOSITIONS)
    .describe('Whether the job may create the destination table: `CREATE_IF_NEEDED` or `CREATE_NEVER`.');
}

/** The options of a BigQuery load job (Kestra's `AbstractLoad`), used by Load and LoadFromGcs. */
export function loadProps(): Record<string, Prop> {
  return {
    ...bigqueryProps(),
    destinationTable: p
      .string()
      .describe('The table to load into: `dataset.table` or `project.dataset.table`. Required.'),
    format: p
      .enum(['CSV', 'JSON', 'AVRO', 'PARQUET', 'ORC'], { dynamic: false })
      .describe('The format of the source data (JSON means newline-delimited JSON).'),
    csvOptions: p
      .object({
        fieldDelimiter: p.string().describe('The column separator; default `,`. `\\t` is a tab.'),
        skipLeadingRows: p.integer({ min: 0 }).describe('How many lines to skip at the top (header lines).'),
        quote: p.string().describe('The quoting character; default `"`; `""` for none.'),
        allowJaggedRows: p
          .boolean()
          .describe('Accept rows missing trailing optional columns (read as NULL).'),
        allowQuotedNewLines: p.boolean().describe('Accept newlines inside quoted values.'),
        encoding: p.string().describe('`UTF-8` (default) or `ISO-8859-1`.'),
      })
      .describe('CSV parsing options; needed with `format: CSV` (`{}` keeps every default).'),
    avroOptions: p
      .object({
        useAvroLogicalTypes: p
          .boolean()
          .describe(
            'Read Avro logical types as their BigQuery types (e.g. TIMESTAMP) rather than raw types.',
          ),
      })
      .describe('Avro parsing options.'),
    schema: p
      .map(p.any())
      .describe(
        'The table schema, `{fields: [{name, type, mode?, description?, fields?}]}`; not needed when the table exists.',
      ),
    autodetect: p.boolean().describe('Let BigQuery infer the schema and options of CSV and JSON sources.'),
    writeDisposition: writeDisposition(),
    createDisposition: createDisposition(),
    ignoreUnknownValues: p
      .boolean()
      .describe('Ignore values not in the schema instead of counting the record as bad.'),
    maxBadRecords: p
      .integer({ min: 0 })
      .describe('How many bad records to tolerate before failing; default 0.'),
    clusteringFields: p.list(p.string()).describe('Columns that cluster the destination table.'),
    schemaUpdateOptions: p
      .list(p.enum(SCHEMA_UPDATE_OPTIONS))
      .describe(
        'Schema changes allowed as a side effect of the load (with WRITE_APPEND, or WRITE_TRUNCATE on a partition).',
      ),
    timePartitioningField: p.string().describe('The column that partitions the destination table by time.'),
    timePartitioningType: p
      .enum(TIME_PARTITIONING_TYPES)
      .default('DAY')
      .describe('The time partitioning granularity.'),
  };
}

export const LOAD_OUTPUTS: Record<string, OutputDoc> = {
  jobId: { type: 'string', description: 'The BigQuery job ID.' },
  destinationTable: { type: 'string', description: 'The loaded table, `project.dataset.table`.' },
  rows: { type: 'integer', description: 'How many rows were loaded.' },
};

/** Checks shared by the load tasks: CSV needs `csvOptions` (Kestra refuses it otherwise). */
export function checkLoad(props: Record<string, unknown>, report: ReportFn): void {
  if (props.format === 'CSV' && (props.csvOptions === undefined || props.csvOptions === null)) {
    report(['format'], '`format: CSV` needs `csvOptions` (write `csvOptions: {}` to keep the defaults)');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Whether a value is given (YAML `key:` without a value counts as absent). */
export function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The text of a value outside its expressions: `{{ a.b }}_raw` → `_raw`. */
export function literalText(value: string): string {
  return value.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, '');
}

/** Shortens a value for a message. */
export function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/** Reports a literal (or literal-started) value of `key` that is not a `gs://` URI. */
export function checkGsUri(props: Record<string, unknown>, report: ReportFn, key: string): void {
  const value = props[key];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === 'string' && startsWithPrefix(item, 'gs://') === 'no') {
        report(
          [key, index],
          `\`${key}[${index}]\` must be a \`gs://bucket/path\` URI, got \`${shown(item)}\``,
        );
      }
    });
    return;
  }
  if (typeof value === 'string' && startsWithPrefix(value, 'gs://') === 'no') {
    report([key], `\`${key}\` must be a \`gs://bucket/path\` URI, got \`${shown(value)}\``);
  }
}

/**
 * Qualifies a table name with a dataset: `<dataset>.<table>` unless the table's literal text
 * already has a `.` (it names its dataset) or no dataset is known.
 */
export function qualifyTable(table: unknown, dataset: unknown): unknown {
  if (typeof table !== 'string' || (typeof dataset !== 'string' && typeof dataset !== 'number')) return table;
  if (literalText(table).includes('.')) return table;
  return `${String(dataset)}.${table}`;
}
