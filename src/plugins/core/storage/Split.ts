import { defineTask, p, TaskFailure, toText } from '../../api.js';
import { taskName } from '../task-props.js';
import { extensionOf, fileLines, withWriters } from '../../shared/items-io.js';
import type { StoredFileWriter } from '../../shared/items-io.js';

/** The ways to split, in the order Kestra looks at them: the first one set wins. */
const MODES = ['regexPattern', 'bytes', 'partitions', 'rows'] as const;

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

export default defineTask({
  type: 'io.kestra.plugin.core.storage.Split',
  legacyNames: ['io.kestra.core.tasks.storages.Split'],
  title: 'Split a file of internal storage into several',
  description:
    'Splits a line-oriented file into several files: by size (`bytes`), into a number of files (`partitions`), by line count (`rows`), or by the value a regex captures on each line (`regexPattern`). Give exactly one of them.',
  properties: {
    from: p.string().required().describe('The `kestra://` URI of the file to split.'),
    bytes: p.string().describe('Largest size of each file, e.g. `10MB`.'),
    partitions: p.integer({ min: 1 }).describe('Number of files to make; lines are dealt out in turn.'),
    rows: p.integer({ min: 1 }).describe('Lines per file.'),
    regexPattern: p
      .string()
      .describe(
        'A regex with a capture group: lines are grouped into files by the captured value; other lines are dropped.',
      ),
    separator: p.string().default('\n').describe('Separator written after each line.'),
  },
  outputs: {
    uris: { type: 'array', description: 'URIs of the files made.' },
  },
  check(props, report) {
    const given = MODES.filter((key) => props[key] !== undefined && props[key] !== null);
    if (given.length === 0) {
      report(
        [],
        `${taskName(props)} needs one of \`bytes\`, \`partitions\`, \`rows\` or \`regexPattern\` to know how to split`,
      );
    } else if (given.length > 1) {
      const [used, ...ignored] = given;
      for (const key of ignored) {
        report([key], `\`${key}\` is ignored because \`${used}\` is set: give only one way to split`, {
          severity: 'warning',
          atKey: true,
        });
      }
    }
  },
  async run(ctx, props) {
    const mode = MODES.find((key) => props[key] !== undefined && props[key] !== null);
    if (!mode)
      throw new TaskFailure(
        'Split needs one of `bytes`, `partitions`, `rows` or `regexPattern` to know how to split; none is set',
      );
    const separator =
      props.separator === undefined || props.separator === null ? '\n' : toText(props.separator);
    const from = toText(props.from);
    const extension = extensionOf(from);
    const lines = fileLines(ctx, props.from, 'from');
    const uris = await withWriters(async (open) => {
      let count = 0;
      const next = () => open(ctx, `${ctx.run.taskId}_${count++}${extension}`);
      const closeAll = (writers: Iterable<StoredFileWriter>) =>
        Promise.all([...writers].map((w) => w.close()));
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
    ctx.logger.debug(`Split ${from} by ${mode} into ${uris.length} file(s)`);
    return { outputs: { uris } };
  },
  examples: [
    {
      title: 'One file per thousand lines',
      code: `- id: split
  type: io.kestra.plugin.core.storage.Split
  from: "kestra://company/team/orders.csv"
  rows: 1000`,
    },
    {
      title: 'Files of at most 10 MB',
      code: `- id: split_by_size
  type: io.kestra.plugin.core.storage.Split
  from: "kestra://company/team/orders.csv"
  bytes: 10MB`,
    },
  ],
});
