/**
 * How gcs.Trigger polls: list `from`, keep the objects not yet seen (or changed, by `on`), download
 * them into the internal storage of the execution to start, and MOVE/DELETE them only once that
 * execution is committed. The memory (object name → generation of what fired or was already
 * there) keeps an object from firing twice with `action: NONE`, and across a crash between the
 * commit and the MOVE/DELETE.
 */
import type { TaskContext, TriggerPollOutcome } from '../../../api.js';
import { gcpConnection, storageClient } from '../../clients.js';
import { actionOf, archiveBlobs, downloadBlobs, gsUri, listBlobs, parseGsUri } from './objects.js';
import type { BlobInfo } from './objects.js';
import { listOptionsOf } from './tasks.js';

/** What tells two versions of an object apart: its generation (a new upload has a new one). */
function versionOf(blob: BlobInfo): string {
  const value = blob.generation ?? blob.updateTime ?? blob.etag ?? blob.md5 ?? '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function seenIn(memory: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const seen = memory?.seen;
  if (!seen || typeof seen !== 'object' || Array.isArray(seen)) return {};
  return Object.fromEntries(
    Object.entries(seen as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** One poll of gcs.Trigger. */
export async function pollGcsTrigger(
  ctx: TaskContext,
  props: Record<string, unknown>,
  memory: Readonly<Record<string, unknown>> | undefined,
): Promise<TriggerPollOutcome> {
  const from = parseGsUri(props.from, 'from');
  const { action, moveDirectory } = actionOf(props);
  const on = typeof props.on === 'string' ? props.on : 'CREATE_OR_UPDATE';
  const maxFiles = typeof props.maxFiles === 'number' ? props.maxFiles : Infinity;
  const storage = await storageClient(ctx, gcpConnection(props));
  const { limit: _limit, ...listing } = listOptionsOf(props);
  const listed = await listBlobs(storage, from, { ...listing, filter: 'FILES' });
  const seen = seenIn(memory);
  const isNew = (blob: BlobInfo) => {
    const before = seen[blob.name];
    if (before === undefined) return on !== 'UPDATE';
    return before !== versionOf(blob) && on !== 'CREATE';
  };
  const candidates = listed.filter(isNew).slice(0, maxFiles);
  // An object deleted between the listing and its download is not reported (nor remembered).
  const blobs =
    candidates.length > 0 ? await downloadBlobs(ctx, storage, candidates, { skipMissing: true }) : [];
  const firing = new Set(blobs.map((blob) => blob.name));
  const fresh = candidates.filter((blob) => firing.has(blob.name));
  // Remembered: what fires now, and what was seen before (at the version seen then, so that a
  // change not fired yet still fires). What is no longer listed is forgotten.
  const kept: Record<string, string> = {};
  for (const blob of listed) {
    if (firing.has(blob.name)) kept[blob.name] = versionOf(blob);
    else if (seen[blob.name] !== undefined) kept[blob.name] = seen[blob.name]!;
    else if (on === 'UPDATE' && !candidates.includes(blob)) kept[blob.name] = versionOf(blob);
  }
  if (fresh.length === 0) {
    ctx.logger.debug(`no new object under ${gsUri(from.bucket, from.path)}`);
    return { memory: { seen: kept } };
  }
  ctx.logger.info(`${blobs.length} new object(s) under ${gsUri(from.bucket, from.path)}`);
  return {
    fire: { variables: { blobs } },
    memory: { seen: kept },
    ...(action === 'NONE'
      ? {}
      : { afterCommit: () => archiveBlobs(ctx, storage, fresh, action, moveDirectory) }),
  };
}
