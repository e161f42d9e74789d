/**
 * CreateDataset (`ifExists: ERROR|UPDATE|SKIP`) and DeleteDataset (`deleteContents`) on the
 * client's dataset calls, with Kestra's outputs.
 */
import type { BigQuery, DatasetResource } from '@google-cloud/bigquery';
import { TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { gcpTaskFailure } from '../../clients.js';
import { openBigQuery, projectOf, textProp } from './connection.js';
import { parseDatasetName } from './table-ref.js';

/** The HTTP status of a client error (404 notFound, 409 duplicate…). */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The dataset resource a CreateDataset task describes (without its reference). */
function datasetResource(props: Record<string, unknown>): DatasetResource {
  const resource: Record<string, unknown> = {};
  for (const key of ['description', 'friendlyName', 'labels', 'defaultEncryptionConfiguration']) {
    if (props[key] !== undefined && props[key] !== null) resource[key] = props[key];
  }
  if (typeof props.defaultTableLifetime === 'number') {
    resource.defaultTableExpirationMs = String(props.defaultTableLifetime);
  }
  if (typeof props.defaultPartitionExpirationMs === 'number') {
    resource.defaultPartitionExpirationMs = String(props.defaultPartitionExpirationMs);
  }
  if (Array.isArray(props.acl)) resource.access = props.acl.map(accessEntry);
  const location = textProp(props.location);
  if (location) resource.location = location;
  return resource;
}

/** Kestra's acl entry `{entity: {type, value}, role}` as the REST API's access entry. */
function accessEntry(entry: unknown): Record<string, unknown> {
  const { entity, role } = (entry ?? {}) as { entity?: { type?: string; value?: string }; role?: string };
  const key: Record<string, string> = {
    USER: 'userByEmail',
    GROUP: 'groupByEmail',
    DOMAIN: 'domain',
    IAM_MEMBER: 'iamMember',
  };
  const field = key[String(entity?.type ?? '').toUpperCase()];
  if (!field || !entity?.value) {
    throw new TaskFailure(
      '`acl`: each entry needs `entity: {type: USER|GROUP|DOMAIN|IAM_MEMBER, value}` and a `role`',
    );
  }
  return { role: role ?? 'READER', [field]: entity.value };
}

/** Kestra's CreateDataset outputs from a dataset's metadata. */
function datasetOutputs(
  metadata: DatasetResource,
  projectId: string,
  datasetId: string,
): Record<string, unknown> {
  return {
    dataset: metadata.datasetReference?.datasetId ?? datasetId,
    project: metadata.datasetReference?.projectId ?? projectId,
    friendlyName: metadata.friendlyName ?? null,
    description: metadata.description ?? null,
    location: metadata.location ?? null,
  };
}

/** The dataset the task names, and the client to reach it. */
async function datasetOf(
  ctx: TaskContext,
  props: Record<string, unknown>,
  property: string,
): Promise<{ bigquery: BigQuery; projectId: string; datasetId: string }> {
  const bigquery = await openBigQuery(ctx, props);
  const name = textProp(props[property]);
  if (!name) throw new TaskFailure(`\`${property}\` is missing: give the dataset ID`);
  const { projectId, datasetId } = parseDatasetName(name, await projectOf(bigquery), property);
  return { bigquery, projectId, datasetId };
}

/** Runs CreateDataset. */
export async function createDataset(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { bigquery, projectId, datasetId } = await datasetOf(ctx, props, 'name');
  const ifExists = textProp(props.ifExists) ?? 'ERROR';
  const resource = datasetResource(props);
  const dataset = bigquery.dataset(datasetId, { projectId });
  try {
    const options = projectId === bigquery.projectId ? resource : { ...resource, projectId };
    const [, created] = (await bigquery.createDataset(datasetId, options)) as unknown as [
      unknown,
      DatasetResource,
    ];
    ctx.logger.info(`Created dataset ${projectId}.${datasetId}`);
    return datasetOutputs(created, projectId, datasetId);
  } catch (error) {
    if (statusOf(error) !== 409) throw gcpTaskFailure(error, bigquery);
  }
  // It exists.
  if (ifExists === 'ERROR') {
    throw new TaskFailure(
      `The dataset ${projectId}.${datasetId} already exists; set \`ifExists: SKIP\` to keep it or \`ifExists: UPDATE\` to update it`,
    );
  }
  try {
    if (ifExists === 'SKIP') {
      ctx.logger.info(`The dataset ${projectId}.${datasetId} exists: skipped`);
      const [metadata] = (await dataset.getMetadata()) as unknown as [DatasetResource];
      return datasetOutputs(metadata, projectId, datasetId);
    }
    // UPDATE: the location of a dataset cannot change; the rest is patched.
    const { location: _location, ...patch } = resource as Record<string, unknown>;
    const [metadata] = (await dataset.setMetadata(patch)) as [DatasetResource];
    ctx.logger.info(`Updated dataset ${projectId}.${datasetId}`);
    return datasetOutputs(metadata, projectId, datasetId);
  } catch (error) {
    throw gcpTaskFailure(error, bigquery);
  }
}

/** Runs DeleteDataset: with `deleteContents`, its tables go too; otherwise it must be empty. */
export async function deleteDataset(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { bigquery, projectId, datasetId } = await datasetOf(ctx, props, 'name');
  try {
    await bigquery.dataset(datasetId, { projectId }).delete({ force: props.deleteContents === true });
  } catch (error) {
    throw gcpTaskFailure(error, bigquery);
  }
  ctx.logger.info(`Deleted dataset ${projectId}.${datasetId}`);
  return { dataset: datasetId, project: projectId };
}
