/** The executions list's filters as URL query parameters, so a filtered list can be shared and reloaded. */
import type { ExecutionSearch } from '../../api/executions';
import type { StateName } from '../../api/types';

export const PAGE_SIZE = 25;
const CHART_DAYS = 30;

/** The filters from the URL's query (`state` and `label` repeatable). */
export function filtersFromQuery(params: URLSearchParams): ExecutionSearch {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const page = Number(params.get('page') ?? '1');
  const search: ExecutionSearch = { page: Number.isInteger(page) && page > 0 ? page : 1, size: PAGE_SIZE };
  const namespace = text('namespace');
  const flowId = text('flowId');
  const startDate = text('from');
  const endDate = text('to');
  const states = params.getAll('state').filter(Boolean) as StateName[];
  const labels = params.getAll('label').filter(Boolean);
  if (namespace) search.namespace = namespace;
  if (flowId) search.flowId = flowId;
  if (states.length > 0) search.state = states;
  if (labels.length > 0) search.labels = labels;
  // Day inputs: from the start of `from` to the end of `to`, in the browser's zone.
  if (startDate) search.startDate = new Date(`${startDate}T00:00:00`).toISOString();
  if (endDate) search.endDate = new Date(`${endDate}T23:59:59.999`).toISOString();
  return search;
}

/** `yyyy-mm-dd` of today minus `days`, in the browser's zone. */
export function dayBefore(days: number): string {
  const date = new Date(Date.now() - days * 86_400_000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The chart's days: the filter's range, or the last 30 days. */
export function chartRange(params: URLSearchParams): { from: string; to: string } {
  return { from: params.get('from') || dayBefore(CHART_DAYS - 1), to: params.get('to') || dayBefore(0) };
}
