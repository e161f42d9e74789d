/** Executions per day by state over a range, as stacked bars in plain SVG. */
import { useQuery } from '@tanstack/react-query';
import { searchExecutions } from '../../api/executions';
import type { ExecutionSearch } from '../../api/executions';
import type { StateName } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { countOf } from '../../components/format';
import { StackedBars, StateLegend, statesOf } from '../../components/StackedBars';

const DAY = 86_400_000;

/** `yyyy-mm-dd` of a time in the browser's zone. */
function dayOf(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The chart of the executions matching `search` between `from` and `to` (days, inclusive). */
export function ExecutionsChart({ search, from, to }: { search: ExecutionSearch; from: string; to: string }) {
  const query = useQuery({
    queryKey: ['executions-chart', search, from, to],
    queryFn: ({ signal }) =>
      searchExecutions(
        {
          ...search,
          page: 1,
          size: 10_000,
          startDate: new Date(`${from}T00:00:00`).toISOString(),
          endDate: new Date(`${to}T23:59:59.999`).toISOString(),
        },
        signal,
      ),
  });
  if (query.isError) return <ErrorBox error={query.error} title="The chart cannot be drawn" />;
  const start = new Date(`${from}T00:00:00`).getTime();
  const end = new Date(`${to}T00:00:00`).getTime();
  const days: string[] = [];
  for (let time = start; time <= end && days.length < 400; time += DAY) days.push(dayOf(time));
  const counts = new Map(days.map((day) => [day, new Map<StateName, number>()]));
  for (const execution of query.data?.results ?? []) {
    const perState = counts.get(dayOf(Date.parse(execution.state.startDate)));
    if (perState) perState.set(execution.state.current, (perState.get(execution.state.current) ?? 0) + 1);
  }
  const columns = days.map((day) => ({
    key: day,
    label: day.slice(5),
    title: day,
    counts: counts.get(day)!,
  }));
  return (
    <div className="card chart" data-testid="executions-chart">
      <div className="chart-head">
        <strong>Executions per day</strong>
        <StateLegend states={statesOf(columns)} />
        <span className="muted">
          {query.isPending ? 'Loading…' : `${countOf(query.data?.total ?? 0, 'execution')}, ${from} → ${to}`}
          {(query.data?.total ?? 0) > 10_000 && ' (the first 10,000 drawn)'}
        </span>
      </div>
      <StackedBars columns={columns} label="Executions per day by state" />
    </div>
  );
}
