/**
 * Query and Queries on DuckDB (@duckdb/node-api): an in-memory database or a file (relative
 * paths and `inputFiles` in the task's working directory, which is also where DuckDB looks for
 * relative file names), `outputFiles` the SQL writes to `{{ outputFiles.<name> }}`, statements
 * through the shared runner, and `interrupt()` on kill or timeout.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance, ResultReturnType } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { TaskContext, TaskOutcome } from '../../../api.js';
import { TaskFailure } from '../../../api.js';
import { parseInputFiles, pathInside, writeInputFiles } from '../../../shared/working-files.js';
import { fileDatabaseLocation, keepDatabaseFile } from '../../run/database-file.js';
import { rowsToOutputs } from '../../run/fetch-output.js';
import { runQueryTask } from '../../run/run-queries.js';
import type { SqlSession } from '../../run/run-queries.js';
import { outputConverter } from './values.js';

/** A bound value as DuckDB takes it: maps and lists as JSON text. */
function duckdbValue(value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return value as DuckDBValue;
}

/** The rows of a result, one by one (DuckDB hands them over in chunks). */
async function* rowsOf(
  batches: AsyncIterable<Record<string, unknown>[]>,
): AsyncGenerator<Record<string, unknown>> {
  for await (const batch of batches) yield* batch;
}

/** Runs a DuckDB Query (`many` false) or Queries (`many` true). */
export async function runDuckdbQueries(
  ctx: TaskContext,
  props: Record<string, unknown>,
  many: boolean,
): Promise<TaskOutcome> {
  const workingDir = await ctx.workingDirectory();
  if (Array.isArray(props.communityExtensions) && props.communityExtensions.length > 0)
    ctx.logger.warn(
      '`communityExtensions` are not installed by Windhover: use INSTALL and LOAD in the SQL for the extensions you need',
    );
  await writeInputFiles(ctx, workingDir, parseInputFiles(props.inputFiles));
  const outputNames = Array.isArray(props.outputFiles) ? props.outputFiles.map(String) : [];
  const outputPaths = Object.fromEntries(
    outputNames.map((name) => [name, pathInside(workingDir, name, 'outputFiles')]),
  );
  // `sql` is rendered here, where the paths of `outputFiles` are known.
  const sql = await ctx.render(typeof props.sql === 'string' ? props.sql : '', {
    outputFiles: outputPaths,
    workingDir,
  });
  const rendered = { ...props, sql };

  const outcome = await runQueryTask(ctx, rendered, many, { style: 'question' }, async (work) => {
    const location = await fileDatabaseLocation(ctx, props.url ?? 'jdbc:duckdb:', {
      stored: props.databaseUri,
      storedName: 'database.duckdb',
    });
    const target = `DuckDB ${location.path ?? 'in memory'}`;
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;
    try {
      instance = await DuckDBInstance.create(location.memory ? ':memory:' : location.path);
      connection = await instance.connect();
      await connection.run(`SET file_search_path = '${workingDir.replace(/'/g, "''")}'`);
    } catch (error) {
      throw new TaskFailure(`${target} could not be opened: ${(error as Error).message}`);
    }
    const interrupt = () => connection.interrupt();
    ctx.signal.addEventListener('abort', interrupt, { once: true });
    const session: SqlSession = {
      target,
      run: async (statement, fetchType, fileName) => {
        const result = await connection.stream(statement.sql, statement.values.map(duckdbValue));
        if (result.returnType !== ResultReturnType.QUERY_RESULT) {
          // Reading what DuckDB reports for changes (a `Count` row) completes the statement.
          await result.getRows();
          return { hasRows: false, outputs: {} };
        }
        if (fetchType === 'NONE') return { hasRows: true, outputs: {} };
        const rows = rowsOf(result.yieldConvertedRowObjects(outputConverter));
        return { hasRows: true, outputs: await rowsToOutputs(ctx, fetchType, rows, { fileName }) };
      },
      begin: async () => void (await connection.run('BEGIN TRANSACTION')),
      commit: async () => void (await connection.run('COMMIT')),
      rollback: async () => void (await connection.run('ROLLBACK')),
    };
    try {
      const result = await work(session);
      connection.closeSync();
      instance.closeSync();
      const kept = await keepDatabaseFile(ctx, location, props.outputDbFile);
      return { ...result, outputs: { ...result.outputs, ...kept } };
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      if (ctx.signal.aborted) throw error;
      if (error instanceof TaskFailure) throw error;
      throw new TaskFailure(`DuckDB: ${(error as Error).message}`);
    } finally {
      ctx.signal.removeEventListener('abort', interrupt);
    }
  });

  if (outputNames.length === 0) return outcome;
  const stored: Record<string, string> = {};
  for (const [name, path] of Object.entries(outputPaths)) {
    if (!existsSync(path))
      throw new TaskFailure(
        `The SQL did not write the output file \`${name}\`: write it to '{{ outputFiles.${name} }}'`,
      );
    stored[name] = await ctx.storage.putLocalFile(path, name);
  }
  return { ...outcome, outputs: { ...outcome.outputs, outputFiles: stored } };
}
