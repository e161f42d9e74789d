/**
 * CopyIn and CopyOut: files streamed into and out of PostgreSQL with `COPY … FROM STDIN` and
 * `COPY … TO STDOUT` (pg-copy-streams), never held in memory.
 */
import { createReadStream } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { TaskFailure } from '../../../api.js';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { existingFile } from '../../../shared/items-io.js';
import { splitStatements } from '../../run/statements.js';
import { withPgConnection } from './connection.js';
import { copyInSql, copyOutSql } from './copy-sql.js';

/** Read size for the file being loaded: large reads mean fewer, larger CopyData messages. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** The file to load: a `kestra://` URI, or a path (relative to the working directory). */
async function openSource(ctx: TaskContext, from: unknown): Promise<Readable> {
  const text = typeof from === 'string' ? from.trim() : '';
  if (text.startsWith('kestra://')) {
    const uri = await existingFile(ctx, text, 'from');
    // The storage file read in large chunks: COPY is bound by how fast data is handed over.
    const path = await ctx.storage.localPath(uri).catch(() => undefined);
    return path ? createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }) : ctx.storage.readStream(uri);
  }
  if (text === '')
    throw new TaskFailure('Property `from` is empty: give the `kestra://` URI of the file to load');
  const path = isAbsolute(text) ? text : resolve(await ctx.workingDirectory(), text);
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  await new Promise<void>((ok, fail) => {
    stream.once('open', () => ok());
    stream.once('error', (error) =>
      fail(
        new TaskFailure(
          `Property \`from\`: cannot read \`${text}\` (${error.message}); give a \`kestra://\` URI or an existing file`,
        ),
      ),
    );
  });
  return stream;
}

/** Runs CopyIn: the `from` file into `table`; outputs `rowCount`. */
export async function runCopyIn(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const sql = copyInSql(props);
  const source = await openSource(ctx, props.from);
  try {
    return await withPgConnection(ctx, props, async ({ client, target }) => {
      ctx.logger.debug(`${sql} on PostgreSQL ${target}`);
      const copy = client.query(copyFrom(sql));
      await pipeline(source, copy);
      ctx.logger.info(`Copied ${copy.rowCount} rows into ${String(props.table)}`);
      return { outputs: { rowCount: copy.rowCount } };
    });
  } finally {
    source.destroy();
  }
}

const EXTENSIONS: Record<string, string> = { CSV: '.csv', TEXT: '.tsv', BINARY: '.bin' };

/** Runs CopyOut: `table` or the result of `sql` into a stored file; outputs `uri` and `rowCount`. */
export async function runCopyOut(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  let query: string | undefined;
  if (typeof props.sql === 'string' && props.sql.trim() !== '') {
    const statements = splitStatements(props.sql);
    if (statements.length !== 1)
      throw new TaskFailure(
        `Property \`sql\` of CopyOut must be one query (a SELECT, VALUES, or … RETURNING), got ${statements.length} statements`,
      );
    query = statements[0];
  }
  const sql = copyOutSql(props, query);
  const format = typeof props.format === 'string' ? props.format.toUpperCase() : 'TEXT';
  return withPgConnection(ctx, props, async ({ client, target }) => {
    ctx.logger.debug(`${sql} on PostgreSQL ${target}`);
    const copy = client.query(copyTo(sql));
    const uri = await ctx.storage.putFile(`result${EXTENSIONS[format] ?? '.txt'}`, copy);
    ctx.logger.info(`Copied ${copy.rowCount} rows to ${uri}`);
    return { outputs: { uri, rowCount: copy.rowCount } };
  });
}
