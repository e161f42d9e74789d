/**
 * datasets.insert / get / list / patch / update / delete. A dataset is a DuckDB schema named
 * `project.dataset` plus its record in the catalog (location, labels, description…).
 */
import type { DatasetMeta } from './catalog.js';
import { BigQueryApiError, invalid, textOf } from './errors.js';
import { etagOf, pageOf } from './paging.js';
import { labelsOf } from './resource-fields.js';
import { requireDataset } from './service.js';
import type { BigQueryService } from './service.js';
import { schemaName } from './warehouse.js';

const datasetIdPattern = /^[A-Za-z0-9_]{1,1024}$/;

/** The dataset resource the API answers with. */
export function datasetResource(meta: DatasetMeta): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    kind: 'bigquery#dataset',
    id: `${meta.projectId}:${meta.datasetId}`,
    datasetReference: { projectId: meta.projectId, datasetId: meta.datasetId },
    location: meta.location,
    creationTime: String(meta.creationTime),
    lastModifiedTime: String(meta.lastModifiedTime),
    type: 'DEFAULT',
  };
  if (meta.description !== undefined && meta.description !== null) resource.description = meta.description;
  if (meta.friendlyName !== undefined && meta.friendlyName !== null)
    resource.friendlyName = meta.friendlyName;
  if (meta.labels !== undefined && Object.keys(meta.labels).length > 0) resource.labels = meta.labels;
  if (meta.defaultTableExpirationMs !== undefined && meta.defaultTableExpirationMs !== null)
    resource.defaultTableExpirationMs = meta.defaultTableExpirationMs;
  resource.access = meta.access ?? [];
  resource.etag = etagOf(resource);
  return resource;
}

function optionalText(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  return textOf(value);
}

/** datasets.insert: 409 `duplicate` when it exists. */
export async function insertDataset(
  service: BigQueryService,
  projectId: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const reference = (body.datasetReference ?? {}) as Record<string, unknown>;
  const datasetId = reference.datasetId;
  if (typeof datasetId !== 'string' || datasetId === '')
    throw invalid('Required parameter is missing: datasetReference.datasetId');
  if (!datasetIdPattern.test(datasetId))
    throw invalid(
      `Invalid dataset ID "${datasetId}". Dataset IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long.`,
    );
  if (reference.projectId !== undefined && reference.projectId !== projectId)
    throw invalid(
      `The dataset's project ${textOf(reference.projectId)} is not the project of the request, ${projectId}`,
    );
  if (service.catalog.dataset(projectId, datasetId) !== undefined)
    throw new BigQueryApiError('duplicate', `Already Exists: Dataset ${projectId}:${datasetId}`);
  const now = Date.now();
  const meta: DatasetMeta = {
    projectId,
    datasetId,
    location: typeof body.location === 'string' && body.location !== '' ? body.location : 'US',
    labels: labelsOf(body.labels),
    creationTime: now,
    lastModifiedTime: now,
  };
  const description = optionalText(body.description);
  if (description !== undefined) meta.description = description;
  const friendlyName = optionalText(body.friendlyName);
  if (friendlyName !== undefined) meta.friendlyName = friendlyName;
  const expiration = optionalText(body.defaultTableExpirationMs);
  if (expiration !== undefined) meta.defaultTableExpirationMs = expiration;
  if (Array.isArray(body.access)) meta.access = body.access as unknown[];
  await createDatasetSchema(service, projectId, datasetId);
  service.catalog.putDataset(meta);
  return datasetResource(meta);
}

/** Creates the DuckDB schema of a dataset (kept if it is there already). */
export async function createDatasetSchema(
  service: BigQueryService,
  projectId: string,
  datasetId: string,
): Promise<void> {
  await service.warehouse.writeLock.run(() =>
    service.warehouse.withConnection(async (connection) => {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schemaName(projectId, datasetId)}`);
    }),
  );
}

/** datasets.get. */
export function getDataset(
  service: BigQueryService,
  projectId: string,
  datasetId: string,
): Record<string, unknown> {
  return datasetResource(requireDataset(service, projectId, datasetId));
}

/** datasets.list: hidden datasets (`_…`) only with `all=true`; `filter` on `labels.key[:value]`. */
export function listDatasets(
  service: BigQueryService,
  projectId: string,
  query: Record<string, unknown>,
): Record<string, unknown> {
  const all = query.all === 'true' || query.all === true;
  const filters =
    typeof query.filter === 'string' ? query.filter.split(/\s+(?:AND\s+)?/i).filter(Boolean) : [];
  const datasets = service.catalog.datasets(projectId).filter((dataset) => {
    if (!all && dataset.datasetId.startsWith('_')) return false;
    return filters.every((filter) => {
      const match = /^labels\.([^:]+)(?::(.*))?$/.exec(filter);
      if (match === null)
        throw invalid(`Invalid filter: ${filter} (the emulator filters on labels.key[:value])`);
      const label = dataset.labels?.[match[1]!];
      return match[2] === undefined ? label !== undefined : label === match[2];
    });
  });
  const { page, nextPageToken } = pageOf(datasets, query, 50);
  const list: Record<string, unknown> = {
    kind: 'bigquery#datasetList',
    datasets: page.map((dataset) => ({
      kind: 'bigquery#dataset',
      id: `${dataset.projectId}:${dataset.datasetId}`,
      datasetReference: { projectId: dataset.projectId, datasetId: dataset.datasetId },
      labels: dataset.labels ?? {},
      location: dataset.location,
    })),
  };
  if (nextPageToken !== undefined) list.nextPageToken = nextPageToken;
  list.etag = etagOf(list);
  return list;
}

/** datasets.patch (`replace` false: only the fields given change) and datasets.update (`replace` true). */
export function updateDataset(
  service: BigQueryService,
  projectId: string,
  datasetId: string,
  body: Record<string, unknown>,
  replace: boolean,
): Record<string, unknown> {
  const meta = { ...requireDataset(service, projectId, datasetId) };
  const has = (key: string) => replace || key in body;
  if (has('description')) meta.description = optionalText(body.description) ?? null;
  if (has('friendlyName')) meta.friendlyName = optionalText(body.friendlyName) ?? null;
  if (has('defaultTableExpirationMs'))
    meta.defaultTableExpirationMs = optionalText(body.defaultTableExpirationMs) ?? null;
  if (has('labels')) meta.labels = labelsOf(body.labels, replace ? {} : meta.labels);
  if (has('access') && Array.isArray(body.access)) meta.access = body.access as unknown[];
  meta.lastModifiedTime = Date.now();
  service.catalog.putDataset(meta);
  return datasetResource(meta);
}

/** datasets.delete: a dataset with tables only with `deleteContents` (else 400 `resourceInUse`). */
export async function deleteDataset(
  service: BigQueryService,
  projectId: string,
  datasetId: string,
  deleteContents: boolean,
): Promise<void> {
  requireDataset(service, projectId, datasetId);
  if (!deleteContents && service.catalog.tables(projectId, datasetId).length > 0)
    throw new BigQueryApiError('resourceInUse', `Dataset ${projectId}:${datasetId} is still in use`);
  await service.warehouse.writeLock.run(() =>
    service.warehouse.withConnection(async (connection) => {
      await connection.run(`DROP SCHEMA IF EXISTS ${schemaName(projectId, datasetId)} CASCADE`);
    }),
  );
  service.catalog.deleteDataset(projectId, datasetId);
}
