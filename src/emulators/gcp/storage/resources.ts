/**
 * The JSON API's resource shapes (`storage#bucket`, `storage#object`) built from catalog
 * records, with the fields the official clients read (numbers as strings, as Google sends them).
 */
import { createHash } from 'node:crypto';
import type { BucketRecord, ObjectRecord } from './catalog.js';

/** A stable 12-digit project number for a project id (Google's are numeric too). */
export function projectNumber(projectId: string): string {
  const digest = createHash('sha256').update(projectId).digest();
  return String(100000000000 + (digest.readUInt32BE(0) % 900000000000));
}

function etag(...parts: (string | number)[]): string {
  return createHash('md5').update(parts.join(':')).digest('base64').slice(0, 12);
}

/** `storage#bucket`. */
export function bucketResource(b: BucketRecord, baseUrl: string): Record<string, unknown> {
  const multiRegion = ['US', 'EU', 'ASIA'].includes(b.location);
  const resource: Record<string, unknown> = {
    kind: 'storage#bucket',
    selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(b.name)}`,
    id: b.name,
    name: b.name,
    projectNumber: projectNumber(b.projectId),
    metageneration: String(b.metageneration),
    location: b.location,
    locationType: multiRegion ? 'multi-region' : 'region',
    storageClass: b.storageClass,
    timeCreated: b.created,
    updated: b.updated,
    etag: etag(b.name, b.metageneration),
    labels: b.labels,
    iamConfiguration: {
      bucketPolicyOnly: { enabled: false },
      uniformBucketLevelAccess: { enabled: false },
      publicAccessPrevention: 'inherited',
    },
  };
  // Settings the client gave (versioning, lifecycle, iamConfiguration…) as it gave them.
  return { ...resource, ...b.settings };
}

/** `storage#object`. */
export function objectResource(o: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const bucket = encodeURIComponent(o.bucket);
  const name = encodeURIComponent(o.name);
  const resource: Record<string, unknown> = {
    kind: 'storage#object',
    id: `${o.bucket}/${o.name}/${o.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${bucket}/o/${name}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${bucket}/o/${name}?generation=${o.generation}&alt=media`,
    name: o.name,
    bucket: o.bucket,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType ?? 'application/octet-stream',
    storageClass: o.storageClass,
    size: String(o.size),
    md5Hash: o.md5Hash,
    crc32c: o.crc32c,
    etag: etag(o.generation, o.metageneration),
    timeCreated: o.created,
    updated: o.updated,
    timeStorageClassUpdated: o.created,
    timeFinalized: o.created,
  };
  if (o.contentEncoding !== undefined) resource.contentEncoding = o.contentEncoding;
  if (o.contentDisposition !== undefined) resource.contentDisposition = o.contentDisposition;
  if (o.contentLanguage !== undefined) resource.contentLanguage = o.contentLanguage;
  if (o.cacheControl !== undefined) resource.cacheControl = o.cacheControl;
  if (o.metadata !== undefined) resource.metadata = o.metadata;
  return resource;
}
