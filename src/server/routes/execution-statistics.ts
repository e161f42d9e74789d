/**
 * Aggregates of executions for the home page, counted in the store's SQL so that the answer
 * stays small with any number of executions: how many started per hour or day by current
 * state, and the flows whose ended executions took longest.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { ServerDeps } from '../deps.js';
import { queryDate, queryInteger, queryText } from './paging.js';
import type { Query } from './paging.js';

const TAGS = ['Executions'];
const HOUR = 3_600_000;
const INTERVALS: Readonly<Record<string, number>> = { hour: HOUR, day: 24 * HOUR };
/** The most intervals one timeline answers (a year of days, six weeks of hours). */
const MAX_INTERVALS = 1_000;
/** The most flows one slowest-flows answer lists. */
const MAX_FLOWS = 100;
/** The window when none is given: the last seven days. */
const DEFAULT_WINDOW_MS = 7 * 24 * HOUR;

function invalid(parameter: string, message: string): WindhoverError {
  return new WindhoverError(ErrorCodes.REQUEST_INVALID, `The query parameter \`${parameter}\` ${message}`, {
    parameter,
  });
}

/** `startDate` and `endDate` (default: the last seven days up to now), start before end. */
function queryWindow(query: Query, now: Date): { from: string; to: string } {
  const to = queryDate(query, 'endDate') ?? now.toISOString();
  const from = queryDate(query, 'startDate') ?? new Date(Date.parse(to) - DEFAULT_WINDOW_MS).toISOString();
  if (Date.parse(from) >= Date.parse(to)) throw invalid('startDate', `must be before endDate (${to})`);
  return { from, to };
}

/** Registers GET /executions/statistics/timeline and /executions/statistics/slowest-flows. */
export function registerExecutionStatisticsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;

  app.get<{ Querystring: Query }>(
    '/executions/statistics/timeline',
    {
      schema: {
        summary:
          'Executions started between startDate and endDate (default the last 7 days), counted per interval (hour or day, from startDate) and current state',
        tags: TAGS,
      },
    },
    async (request) => {
      const { from, to } = queryWindow(request.query, new Date());
      const name = (queryText(request.query, 'interval') ?? 'day').toLowerCase();
      const intervalMs = INTERVALS[name];
      if (intervalMs === undefined)
        throw invalid('interval', `must be hour or day, not ${JSON.stringify(name)}`);
      if ((Date.parse(to) - Date.parse(from)) / intervalMs > MAX_INTERVALS)
        throw invalid(
          'startDate',
          `gives more than ${MAX_INTERVALS} intervals of one ${name}: shorten the window`,
        );
      const counts = await store.countExecutionsOverTime({ from, to, intervalMs });
      const start = Date.parse(from);
      return {
        startDate: from,
        endDate: to,
        interval: name,
        results: counts
          .sort((a, b) => a.interval - b.interval || a.state.localeCompare(b.state))
          .map((count) => ({
            date: new Date(start + count.interval * intervalMs).toISOString(),
            state: count.state,
            count: count.count,
          })),
      };
    },
  );

  app.get<{ Querystring: Query }>(
    '/executions/statistics/slowest-flows',
    {
      schema: {
        summary:
          'The flows whose ended executions started between startDate and endDate (default the last 7 days) took longest: max and average duration in ms, at most limit (10) flows',
        tags: TAGS,
      },
    },
    async (request) => {
      const { from, to } = queryWindow(request.query, new Date());
      const limit = queryInteger(request.query, 'limit', { max: MAX_FLOWS }) ?? 10;
      return { startDate: from, endDate: to, results: await store.slowestFlows({ from, to, limit }) };
    },
  );
}
