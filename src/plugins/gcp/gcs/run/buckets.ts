/**
 * How CreateBucket and DeleteBucket run: Kestra's bucket properties mapped onto the JSON API's
 * bucket resource, and Kestra's `Bucket` output shape back from it.
 */
import type { Storage } from '@google-cloud/storage';
import { isRecord, TaskFailure } from '../../../api.js';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { gcpConnection, gcpTaskFailure, storageClient } from '../../clients.js';

/** Bucket names as Cloud Storage accepts them (the dotted, domain-like form included). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

function bucketName(value: unknown): string {
  const name =
    typeof value === 'string'
      ? value
          .trim()
          .replace(/^gs:\/\//, '')
          .replace(/\/+$/, '')
      : '';
  if (!BUCKET_NAME.test(name)) {
    throw new TaskFailure(
      `\`name\` must be a bucket name (3 to 222 lowercase letters, digits, '-', '_' or '.'), got ${name ? `\`${name}\`` : 'nothing'}`,
    );
  }
  return name;
}

/** A scalar as text; anything else as empty text. */
function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

/** Kestra's `{entity: {type, value}, role}` access entry as the JSON API's `{entity, role}`. */
function aclEntry(entry: unknown): Record<string, unknown> {
  if (!isRecord(entry)) return {};
  const entity = entry.entity;
  if (isRecord(entity)) {
    const type = textOf(entity.type).toLowerCase();
    const value = textOf(entity.value);
    const name =
      type === 'user' || type === 'group' || type === 'domain' || type === 'project'
        ? `${type}-${value}`
        : value || type;
    return { entity: name, role: entry.role };
  }
  return { entity, role: entry.role };
}

/** A lifecycle rule in Kestra's form (`{condition: {age}, action: {type, value}}`) as the API's. */
function lifecycleRule(rule: unknown): Record<string, unknown> {
  if (!isRecord(rule)) return {};
  const action = isRecord(rule.action) ? rule.action : {};
  const type = textOf(action.type).toUpperCase();
  return {
    condition: isRecord(rule.condition) ? rule.condition : {},
    action:
      type === 'SET_STORAGE_CLASS'
        ? { type: 'SetStorageClass', storageClass: action.value ?? action.storageClass }
        : { type: type === 'DELETE' ? 'Delete' : action.type },
  };
}

/** The JSON API bucket resource for the task's properties (only what is given). */
export function bucketResource(props: Record<string, unknown>): Record<string, unknown> {
  const resource: Record<string, unknown> = {};
  const given = (key: string) => props[key] !== undefined && props[key] !== null;
  if (given('location')) resource.location = props.location;
  if (given('storageClass')) resource.storageClass = props.storageClass;
  if (given('labels')) resource.labels = props.labels;
  if (given('versioningEnabled')) resource.versioning = { enabled: props.versioningEnabled === true };
  if (given('requesterPays')) resource.billing = { requesterPays: props.requesterPays === true };
  if (given('indexPage') || given('notFoundPage')) {
    resource.website = {
      ...(given('indexPage') ? { mainPageSuffix: props.indexPage } : {}),
      ...(given('notFoundPage') ? { notFoundPage: props.notFoundPage } : {}),
    };
  }
  if (Array.isArray(props.lifecycleRules))
    resource.lifecycle = { rule: props.lifecycleRules.map(lifecycleRule) };
  if (Array.isArray(props.cors)) {
    resource.cors = props.cors.filter(isRecord).map((rule) => ({
      ...(rule.origins !== undefined ? { origin: rule.origins } : {}),
      ...(rule.methods !== undefined ? { method: rule.methods } : {}),
      ...(rule.responseHeaders !== undefined ? { responseHeader: rule.responseHeaders } : {}),
      ...(rule.maxAgeSeconds !== undefined ? { maxAgeSeconds: rule.maxAgeSeconds } : {}),
    }));
  }
  if (Array.isArray(props.acl)) resource.acl = props.acl.map(aclEntry);
  if (Array.isArray(props.defaultAcl)) resource.defaultObjectAcl = props.defaultAcl.map(aclEntry);
  if (given('defaultKmsKeyName')) resource.encryption = { defaultKmsKeyName: props.defaultKmsKeyName };
  if (given('defaultEventBasedHold')) resource.defaultEventBasedHold = props.defaultEventBasedHold === true;
  if (given('retentionPeriod')) resource.retentionPolicy = { retentionPeriod: String(props.retentionPeriod) };
  if (isRecord(props.iamConfiguration)) {
    const iam = props.iamConfiguration;
    resource.iamConfiguration = {
      ...(iam.uniformBucketLevelAccessEnabled !== undefined
        ? { uniformBucketLevelAccess: { enabled: iam.uniformBucketLevelAccessEnabled === true } }
        : {}),
      ...(iam.publicAccessPrevention !== undefined
        ? { publicAccessPrevention: textOf(iam.publicAccessPrevention).toLowerCase() }
        : {}),
    };
  }
  if (isRecord(props.logging)) resource.logging = props.logging;
  return resource;
}

/** Kestra's `Bucket` output from the API's bucket resource. */
export function bucketOutput(metadata: Record<string, unknown>): Record<string, unknown> {
  const nested = (key: string, field: string) => (isRecord(metadata[key]) ? metadata[key][field] : undefined);
  const out: Record<string, unknown> = {
    name: metadata.name,
    location: metadata.location,
    locationType: metadata.locationType,
    storageClass: metadata.storageClass,
    labels: metadata.labels,
    versioningEnabled: nested('versioning', 'enabled'),
    requesterPays: nested('billing', 'requesterPays'),
    indexPage: nested('website', 'mainPageSuffix'),
    notFoundPage: nested('website', 'notFoundPage'),
    defaultKmsKeyName: nested('encryption', 'defaultKmsKeyName'),
    defaultEventBasedHold: metadata.defaultEventBasedHold,
    retentionPeriod: nested('retentionPolicy', 'retentionPeriod'),
    createTime: metadata.timeCreated,
    updateTime: metadata.updated,
    metageneration: metadata.metageneration,
    etag: metadata.etag,
    selfLink: metadata.selfLink,
    generatedId: metadata.id,
  };
  return Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined && value !== null));
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;
}

async function existing(storage: Storage, name: string): Promise<Record<string, unknown> | undefined> {
  try {
    const [metadata] = await storage.bucket(name).getMetadata();
    return metadata;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw gcpTaskFailure(error, storage);
  }
}

/** CreateBucket: creates, or by `ifExists` fails, updates or keeps an existing bucket. */
export async function runCreateBucket(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<TaskOutcome> {
  const name = bucketName(props.name);
  const storage = await storageClient(ctx, gcpConnection(props));
  const resource = bucketResource(props);
  const ifExists = typeof props.ifExists === 'string' ? props.ifExists : 'ERROR';
  const done = (metadata: Record<string, unknown>, created: boolean, updated: boolean): TaskOutcome => ({
    outputs: { bucket: bucketOutput(metadata), bucketUri: `gs://${name}`, created, updated },
  });
  const found = await existing(storage, name);
  if (!found) {
    try {
      const [bucket] = await storage.createBucket(name, resource);
      ctx.logger.info(`created bucket ${name}`);
      return done(bucket.metadata, true, false);
    } catch (error) {
      // Created meanwhile by someone else: handled as if it had been there.
      const code = (error as { code?: unknown }).code;
      if (code !== 409 || ifExists === 'ERROR') throw gcpTaskFailure(error, storage);
    }
  }
  if (ifExists === 'ERROR') {
    throw new TaskFailure(
      `bucket ${name} already exists (ifExists: ERROR); use \`ifExists: SKIP\` to keep it or \`UPDATE\` to apply these settings`,
    );
  }
  if (ifExists === 'SKIP') {
    ctx.logger.info(`bucket ${name} already exists: skipped`);
    return done(found ?? (await existing(storage, name)) ?? { name }, false, false);
  }
  try {
    // Location cannot change: it is left out of the update.
    const { location: _location, ...changes } = resource;
    const [metadata] = await storage.bucket(name).setMetadata(changes);
    ctx.logger.info(`updated bucket ${name}`);
    return done(metadata, false, true);
  } catch (error) {
    throw gcpTaskFailure(error, storage);
  }
}

/** DeleteBucket: deletes an empty bucket; a missing one is an error, as in Kestra. */
export async function runDeleteBucket(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<TaskOutcome> {
  const name = bucketName(props.name);
  const storage = await storageClient(ctx, gcpConnection(props));
  try {
    await storage.bucket(name).delete();
  } catch (error) {
    throw gcpTaskFailure(error, storage);
  }
  ctx.logger.info(`deleted bucket ${name}`);
  return { outputs: { bucket: name, bucketUri: `gs://${name}` } };
}
