/** The listing and action properties shared by List, Downloads, DeleteList and the trigger (Kestra's ListInterface, ActionInterface). */
import { p } from '../../api.js';
import type { Prop } from '../../api.js';

/** `from`, `listingType`, `regExp`, `allVersions`. */
export function listingProps(): Record<string, Prop> {
  return {
    from: p
      .string()
      .required()
      .describe('The prefix to list, `gs://bucket/dir/` (a bucket alone lists it all).'),
    listingType: p
      .enum(['DIRECTORY', 'RECURSIVE'])
      .default('DIRECTORY')
      .describe(
        '`DIRECTORY` lists the direct children only, `RECURSIVE` everything below (then move objects out of `from`).',
      ),
    regExp: p
      .string()
      .describe('Keep only objects whose whole `gs://` URI matches this regex, e.g. `.*\\.csv`.'),
    allVersions: p.boolean().describe('Include old versions of objects.'),
  };
}

/** `action`, `moveDirectory`, `maxFiles`. */
export function actionProps(): Record<string, Prop> {
  return {
    action: p
      .enum(['MOVE', 'DELETE', 'NONE'])
      .default('NONE')
      .describe(
        'What to do with the objects once downloaded: `MOVE` them to `moveDirectory`, `DELETE` them, or `NONE`.',
      ),
    moveDirectory: p.string().describe('With `action: MOVE`: where to move them, `gs://bucket/archive/`.'),
    maxFiles: p.integer({ min: 1 }).default(25).describe('At most this many objects at a time.'),
  };
}

/** The Blob fields every listed object has, for the docs. */
export const BLOBS_DOC =
  'The objects, each with `uri`, `name`, `bucket`, `size`, `contentType`, `md5`, `crc32c`, `generation`, `createTime`, `updateTime`, `isDirectory`…';
