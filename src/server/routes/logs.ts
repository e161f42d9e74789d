/**
 * Logs with Kestra's paths: the lines of an execution (filtered by minimum level, task, task
 * run), followed as server-sent events until the execution ends, downloaded as text, and
 * searched across executions with paging.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { LogEntry } from '../../engine/model.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { LogCursor, LogFilter, Store } from '../../store/contract.js';
import type { ServerDeps } from '../deps.js';
import { logJson } from '../../engine/kestra-json.js';
import { followLogs } from './execution-follow.js';
import { loadExecution } from './execution-lookup.js';
import { maskedLine, secretsOf, shownLogLines } from './execution-secrets.js';
import { queryDate, queryInteger, queryPage, queryText } from './paging.js';
import type { Query } from './paging.js';
import { openEventStream } from './sse.js';

const TAGS = ['Logs'];
/** The largest page of GET /logs/{executionId}. */
const MAX_LOG_PAGE = 100_000;
const LEVELS: readonly LogEntry['level'][] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

interface Params {
  executionId: string;
}

/** `minLevel`, one of Kestra's levels (case-insensitive). */
function queryLevel(query: Query): LogEntry['level'] | undefined {
  const text = queryText(query, 'minLevel')?.toUpperCase();
  if (text === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(text))
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `The query parameter \`minLevel\` must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(text)}`,
      { parameter: 'minLevel' },
    );
  return text as LogEntry['level'];
}

/**
 * `before`, the X-Log-Cursor of a search page (`<timestamp>,<seq>` of its last line): the next
 * page is read by keyset from there (ours; Kestra pages by number only).
 */
function queryLogCursor(query: Query): LogCursor | undefined {
  const text = queryText(query, 'before');
  if (text === undefined) return undefined;
  const match = /^([^,]{1,40}),(\d{1,16})$/.exec(text);
  const ms = match ? Date.parse(match[1]!) : Number.NaN;
  if (!match || Number.isNaN(ms))
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `The query parameter \`before\` must be the X-Log-Cursor of a search page (timestamp,seq), not ${JSON.stringify(text)}`,
      { parameter: 'before' },
    );
  return { timestamp: new Date(ms).toISOString(), seq: Number(match[2]) };
}

/** The filters of an execution's log request. */
function logFilter(query: Query): LogFilter {
  const minLevel = queryLevel(query);
  const taskId = queryText(query, 'taskId');
  const taskRunId = queryText(query, 'taskRunId');
  return {
    ...(minLevel !== undefined ? { minLevel } : {}),
    ...(taskId !== undefined ? { taskId } : {}),
    ...(taskRunId !== undefined ? { taskRunId } : {}),
  };
}

/**
 * The lines of an execution a request asks for: its filters, and with `limit` one page read by
 * position in the store, from after `after` (the X-Log-Cursor header of the page before); a
 * log of 200,000 lines is then neither one answer of tens of megabytes nor read whole for each
 * page. Without `limit`, every line (what Kestra clients expect).
 */
async function readLogPage(
  store: Store,
  executionId: string,
  query: Query,
  reply: FastifyReply,
): Promise<LogEntry[]> {
  const limit = queryInteger(query, 'limit', { max: MAX_LOG_PAGE });
  const after = queryInteger(query, 'after', { min: 0 });
  const lines = await store.getLogs(executionId, {
    ...logFilter(query),
    ...(limit !== undefined ? { limit } : {}),
    ...(after !== undefined ? { afterSeq: after } : {}),
  });
  if (limit !== undefined) void reply.header('x-log-cursor', String(lines.at(-1)?.seq ?? after ?? 0));
  return lines;
}

/** One line of a downloaded log: `timestamp LEVEL [task] message`. */
export function logLine(line: LogEntry): string {
  return `${line.timestamp} ${line.level.padEnd(5)} ${line.taskId !== undefined ? `[${line.taskId}] ` : ''}${line.message}`;
}

/** Registers the logs routes. */
export function registerLogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { runtime, store } = deps;

  app.get<{ Querystring: Query }>(
    '/logs/search',
    {
      schema: {
        summary:
          'Search the lines of every execution: namespace, flowId, minLevel, q (text), startDate, endDate; newest first. ' +
          'Ours besides page/size: `before` (the X-Log-Cursor header of a page) reads the next page by keyset, ' +
          '`totalUpTo` stops counting at that many matches, `afterSeq` (the X-Log-Seq header of an earlier search) ' +
          'finds only the lines written since (a page following the log)',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { page, size } = queryPage(query);
      const namespace = queryText(query, 'namespace');
      const flowId = queryText(query, 'flowId');
      const minLevel = queryLevel(query);
      const q = queryText(query, 'q');
      const startDate = queryDate(query, 'startDate');
      const endDate = queryDate(query, 'endDate');
      const before = queryLogCursor(query);
      const totalUpTo = queryInteger(query, 'totalUpTo', { min: 0 });
      const afterSeq = queryInteger(query, 'afterSeq', { min: 0 });
      const found = await store.searchLogs({
        page,
        size,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(flowId !== undefined ? { flowId } : {}),
        ...(minLevel !== undefined ? { minLevel } : {}),
        ...(q !== undefined ? { query: q } : {}),
        ...(startDate !== undefined ? { startDate } : {}),
        ...(endDate !== undefined ? { endDate } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(totalUpTo !== undefined ? { totalUpTo } : {}),
        ...(afterSeq !== undefined ? { afterSeq } : {}),
      });
      const last = found.results.at(-1);
      if (last !== undefined) void reply.header('x-log-cursor', `${last.timestamp},${last.seq}`);
      void reply.header('x-log-seq', String(found.lastSeq));
      return { results: (await shownLogLines(runtime, found.results)).map(logJson), total: found.total };
    },
  );

  app.get<{ Params: Params; Querystring: Query }>(
    '/logs/:executionId',
    {
      schema: {
        summary:
          'The lines of an execution, in order (minLevel, taskId, taskRunId); `limit` and `after` read them by pages: the X-Log-Cursor header of a page is the `after` of the next one',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const lines = await readLogPage(store, execution.id, request.query, reply);
      const secrets = await secretsOf(runtime, execution);
      return lines.map((line) => logJson(maskedLine(line, secrets)));
    },
  );

  app.get<{ Params: Params; Querystring: Query }>(
    '/logs/:executionId/follow',
    {
      schema: {
        summary:
          'Follow the log of an execution (server-sent events): the lines so far, then each new one, until it ends',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const filter = logFilter(request.query);
      const secrets = await secretsOf(runtime, execution);
      await followLogs(runtime, store, execution.id, filter, openEventStream(reply), secrets);
    },
  );

  app.get<{ Params: Params; Querystring: Query }>(
    '/logs/:executionId/download',
    {
      schema: {
        summary:
          'The log of an execution as a text file, one line per entry (minLevel, taskId, taskRunId; `limit` and `after` as for GET /logs/{executionId})',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      const execution = await loadExecution(runtime, request.params.executionId);
      const lines = await readLogPage(store, execution.id, request.query, reply);
      const secrets = await secretsOf(runtime, execution);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${execution.id}.log"`)
        .send(lines.map((line) => `${logLine(maskedLine(line, secrets))}\n`).join(''));
    },
  );
}
