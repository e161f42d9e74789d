/** Copy (a copy job between tables) and ExtractToGcs (an extract job to `gs://` files). */
import { parseIsoDuration, TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { openBigQuery, projectOf, textProp } from './connection.js';
import { runJob } from './jobs.js';
import { withAutoRetry } from './retry.js';
import { parseTableName, tableText } from './table-ref.js';

type Json = Record<string, unknown>;

/** The job-level settings Copy and ExtractToGcs share: labels, dry run, timeout. */
function jobSettings(props: Json): Json {
  const settings: Json = {};
  if (props.labels && typeof props.labels === 'object') settings.labels = props.labels;
  if (props.dryRun === true) settings.dryRun = true;
  const timeout =
    typeof props.jobTimeout === 'string'
      ? parseIsoDuration(props.jobTimeout)
      : typeof props.jobTimeoutMs === 'number'
        ? props.jobTimeoutMs
        : undefined;
  if (timeout !== undefined) settings.jobTimeoutMs = String(timeout);
  return settings;
}

/** Runs Copy: `sourceTables` into `destinationTable`. */
export async function copyTables(ctx: TaskContext, props: Json): Promise<Json> {
  const bigquery = await openBigQuery(ctx, props);
  const project = await projectOf(bigquery);
  const sources = Array.isArray(props.sourceTables) ? props.sourceTables.map(String) : [];
  if (sources.length === 0) throw new TaskFailure('`sourceTables` is empty: give at least one table to copy');
  const destinationName = textProp(props.destinationTable);
  if (!destinationName) throw new TaskFailure('`destinationTable` is missing: give the table to copy into');
  const copy: Json = {
    sourceTables: sources.map((name, index) => parseTableName(name, project, `sourceTables[${index}]`)),
    destinationTable: parseTableName(destinationName, project, 'destinationTable'),
  };
  for (const key of ['operationType', 'writeDisposition', 'createDisposition']) {
    if (textProp(props[key])) copy[key] = props[key];
  }
  const location = textProp(props.location);
  const { job } = await withAutoRetry(ctx, props, bigquery, () =>
    runJob(ctx, bigquery, {
      configuration: { copy, ...jobSettings(props) },
      ...(location ? { location } : {}),
    }),
  );
  ctx.logger.info(`Copied ${sources.join(', ')} into ${destinationName}`);
  return { jobId: job.id ?? '' };
}

/** Runs ExtractToGcs: `sourceTable` written to `destinationUris`. */
export async function extractToGcs(ctx: TaskContext, props: Json): Promise<Json> {
  const bigquery = await openBigQuery(ctx, props);
  const project = await projectOf(bigquery);
  const sourceName = textProp(props.sourceTable);
  if (!sourceName) throw new TaskFailure('`sourceTable` is missing: give the table to extract');
  const sourceTable = parseTableName(sourceName, project, 'sourceTable');
  const uris = Array.isArray(props.destinationUris) ? props.destinationUris.map(String) : [];
  if (uris.length === 0)
    throw new TaskFailure('`destinationUris` is empty: give at least one `gs://bucket/path` URI');
  uris.forEach((uri, index) => {
    if (!/^gs:\/\/[^/]+\/.+/.test(uri)) {
      throw new TaskFailure(
        `\`destinationUris[${index}]\`: \`${uri}\` is not a Cloud Storage URI; write \`gs://bucket/path\``,
      );
    }
  });
  const extract: Json = { sourceTable, destinationUris: uris };
  const format = textProp(props.format);
  if (format) extract.destinationFormat = format === 'JSON' ? 'NEWLINE_DELIMITED_JSON' : format;
  for (const key of ['compression', 'fieldDelimiter', 'printHeader', 'useAvroLogicalTypes']) {
    if (props[key] !== undefined && props[key] !== null) extract[key] = props[key];
  }
  const location = textProp(props.location);
  const { job, metadata } = await withAutoRetry(ctx, props, bigquery, () =>
    runJob(ctx, bigquery, {
      configuration: { extract, ...jobSettings(props) },
      ...(location ? { location } : {}),
    }),
  );
  const fileCounts = (metadata.statistics?.extract?.destinationUriFileCounts ?? []).map(Number);
  ctx.logger.info(`Extracted ${tableText(sourceTable)} to ${uris.join(', ')}`);
  return { jobId: job.id ?? '', sourceTable: tableText(sourceTable), destinationUris: uris, fileCounts };
}
