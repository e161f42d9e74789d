/**
 * Splitting a line-oriented file of internal storage into several (storage.Split, and the batches
 * of ForEachItem): by size, into a number of files, by line count, or by a regex's captured value.
 */
import { TaskFailure, toText } from '../api.js';
import type { TaskContext } from '../api.js';
import { extensionOf, fileLines, withWriters } from './items-io.js';
import type { StoredFileWriter } from './items-io.js';

/** The ways to split, in the order Kestra looks at them: the first one set wins. */
export const SPLIT_MODES = ['regexPattern', 'bytes', 'partitions', 'rows'] as const;
const MODES = SPLIT_MODES;

const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** `10MB` in bytes (units of 1024, as Kestra's converter); a message naming the value otherwise. */
export function parseByteSize(value: unknown): number {
  const text = toText(value).trim();
  const match = /^(\d+)\s*([KMGT]?B)?$/i.exec(text);
  const bytes = match ? Number(match[1]) * UNITS[(match[2] ?? '').toUpperCase()]! : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new TaskFailure(
      `Property \`bytes\`: ${JSON.stringify(text)} is not a size: give a positive number of bytes, optionally with a unit KB, MB or GB (e.g. \`10MB\`)`,
    );
  return bytes;
}

/** A whole number of at least 1 for `rows` or `partitions`. */
function positive(value: unknown, property: string): number {
  const n = typeof value === 'number' ? value : Number(toText(value));
  if (!Number.isInteger(n) || n < 1)
    throw new TaskFailure(
      `Property \`${property}\`: ${JSON.stringify(value)} must be a whole number of at least 1`,
    );
  return n;
}

/** The regex of `regexPattern`, which needs a capture group. */
function routingRegex(value: unknown): RegExp {
  const text = toText(value);
  let regex: RegExp;
  try {
    regex = new RegExp(text);
  } catch (error) {
    throw new TaskFailure(
      `Property \`regexPattern\`: ${JSON.stringify(text)} is not a valid regex (${(error as Error).message})`,
    );
  }
  // A regex matching the empty alternative tells how many groups it has.
  const groups = new RegExp(`${text}|`).exec('')!.length - 1;
  if (groups < 1)
    throw new TaskFailure(
      `Property \`regexPattern\`: ${JSON.stringify(text)} has no capture group: put the part that names the file in parentheses, e.g. \`\\[(\\w+)\\]\``,
    );
  return regex;
}

/** How to split: one of `regexPattern`, `bytes`, `partitions`, `rows` (the first set wins), and `separator`. */
export type SplitOptions = Partial<Record<(typeof SPLIT_MODES)[number] | 'separator', unknown>>;

/**
 * Splits the stored file `from` (checked as property `property`) into files of this task run
 * named `<prefix><n><extension>`; returns their URIs in order.
 */
export async function splitFile(
  ctx: TaskContext,
  from: unknown,
  property: string,
  props: SplitOptions,
  prefix: string,
): Promise<string[]> {
  const mode = MODES.find((key) => props[key] !== undefined && props[key] !== null);
  if (!mode)
    throw new TaskFailure(
      'Split needs one of `bytes`, `partitions`, `rows` or `regexPattern` to know how to split; none is set',
    );
  const separator =
    props.separator === undefined || props.separator === null ? '\n' : toText(props.separator);
  const uri = toText(from);
  const extension = extensionOf(uri);
  const lines = fileLines(ctx, from, property);
  const uris = await withWriters(async (open) => {
    let count = 0;
    const next = () => open(ctx, `${prefix}${count++}${extension}`);
    const closeAll = (writers: Iterable<StoredFileWriter>) => Promise.all([...writers].map((w) => w.close()));
    if (mode === 'regexPattern') {
      const regex = routingRegex(props.regexPattern);
      const byKey = new Map<string | undefined, StoredFileWriter>();
      for await (const line of lines) {
        const match = regex.exec(line);
        if (!match) continue;
        let writer = byKey.get(match[1]);
        if (!writer) byKey.set(match[1], (writer = next()));
        await writer.write(line + separator);
      }
      return closeAll(byKey.values());
    }
    if (mode === 'partitions') {
      const partitions = positive(props.partitions, 'partitions');
      const writers: StoredFileWriter[] = [];
      let index = 0;
      for await (const line of lines) {
        // Lines are dealt in turn, so partition i is made by line i: none is left empty.
        if (writers.length <= index) writers.push(next());
        await writers[index]!.write(line + separator);
        index = (index + 1) % partitions;
      }
      return closeAll(writers);
    }
    const limit = mode === 'bytes' ? parseByteSize(props.bytes) : positive(props.rows, 'rows');
    const done: string[] = [];
    let writer: StoredFileWriter | undefined;
    let rows = 0;
    let bytes = 0;
    for await (const line of lines) {
      // As Kestra: a new file starts once the current one has reached the limit.
      if (!writer || (mode === 'bytes' ? bytes : rows) >= limit) {
        if (writer) done.push(await writer.close());
        writer = next();
        rows = 0;
        bytes = 0;
      }
      const text = line + separator;
      await writer.write(text);
      rows += 1;
      bytes += Buffer.byteLength(text);
    }
    if (writer) done.push(await writer.close());
    return done;
  });
  ctx.logger.debug(`Split ${uri} by ${mode} into ${uris.length} file(s)`);
  return uris;
}
