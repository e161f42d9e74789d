/** The home page's chart: executions of the last 7 days (or 24 hours) per day (or hour) by state, counted by the server. */
import { useQuery } from '@tanstack/react-query';
import { getTimeline } from '../../api/home';
import type { StateName } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { countOf } from '../../components/format';
import { StackedBars, StateLegend, statesOf } from '../../components/StackedBars';
import type { BarColumn } from '../../components/StackedBars';
import { timelineWindow } from './homeWindow';
import { LIVE_MS } from './live';

const pad = (n: number) => String(n).padStart(2, '0');

export function HomeTimeline({
  interval,
  onInterval,
  now,
}: {
  interval: 'day' | 'hour';
  onInterval: (interval: 'day' | 'hour') => void;
  now: number;
}) {
  const { starts, ...days } = timelineWindow(interval, now);
  // Counted per hour even for days: the browser adds hours up into local days, which stay right
  // across a daylight-saving change (a server's 24-hour intervals would drift by an hour).
  const window = { ...days, interval: 'hour' as const };
  const query = useQuery({
    queryKey: ['home', 'timeline', window],
    queryFn: ({ signal }) => getTimeline(window, signal),
    refetchInterval: LIVE_MS,
  });
  if (query.isError) return <ErrorBox error={query.error} title="The chart cannot be drawn" />;
  const byStart = new Map(starts.map((start) => [start, new Map<StateName, number>()]));
  let total = 0;
  for (const count of query.data?.results ?? []) {
    // Days are cut at local midnights: a count lands in the column whose start it is at or after.
    const time = Date.parse(count.date);
    const start = [...starts].reverse().find((s) => s <= time);
    const perState = start !== undefined ? byStart.get(start) : undefined;
    if (!perState) continue;
    perState.set(count.state, (perState.get(count.state) ?? 0) + count.count);
    total += count.count;
  }
  const columns: BarColumn[] = starts.map((start) => {
    const date = new Date(start);
    const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    const hour = `${pad(date.getHours())}:00`;
    return {
      key: String(start),
      label: interval === 'day' ? day.slice(5) : hour,
      title: interval === 'day' ? day : `${day} ${hour}`,
      counts: byStart.get(start)!,
    };
  });
  return (
    <section className="card chart home-timeline" data-testid="home-timeline" data-total={total}>
      <div className="chart-head">
        <strong>Executions per {interval}</strong>
        <span className="home-switch" role="group" aria-label="Interval">
          {(['day', 'hour'] as const).map((choice) => (
            <button
              key={choice}
              type="button"
              className={choice === interval ? 'active' : 'ghost'}
              aria-pressed={choice === interval}
              onClick={() => onInterval(choice)}
            >
              {choice === 'day' ? 'Last 7 days' : 'Last 24 hours'}
            </button>
          ))}
        </span>
        <StateLegend states={statesOf(columns)} />
        <span className="muted">{query.isPending ? 'Loading…' : countOf(total, 'execution')}</span>
      </div>
      <StackedBars columns={columns} label={`Executions per ${interval} by state`} />
    </section>
  );
}
