/** Executions per day by state over a range, as stacked bars in plain SVG. */
import { useQuery } from '@tanstack/react-query';
import { searchExecutions } from '../../api/executions';
import type { ExecutionSearch } from '../../api/executions';
import type { StateName } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { countOf } from '../../components/format';

const DAY = 86_400_000;
const ORDER: readonly StateName[] = [
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'RUNNING',
  'PAUSED',
  'QUEUED',
  'CREATED',
];
const colour = (state: StateName) =>
  `var(--state-${ORDER.includes(state) ? state.toLowerCase() : state === 'KILLING' || state === 'RESTARTED' ? 'running' : 'killed'})`;

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
  const max = Math.max(
    1,
    ...[...counts.values()].map((perState) => [...perState.values()].reduce((a, b) => a + b, 0)),
  );
  const width = 1000;
  const height = 140;
  const slot = width / Math.max(days.length, 1);
  const states = new Set<StateName>();
  for (const perState of counts.values()) for (const state of perState.keys()) states.add(state);
  return (
    <div className="card chart" data-testid="executions-chart">
      <div className="chart-head">
        <strong>Executions per day</strong>
        <span className="chart-legend">
          {[...states].map((state) => (
            <span key={state}>
              <i style={{ background: colour(state) }} /> {state}
            </span>
          ))}
        </span>
        <span className="muted">
          {query.isPending ? 'Loading…' : `${countOf(query.data?.total ?? 0, 'execution')}, ${from} → ${to}`}
          {(query.data?.total ?? 0) > 10_000 && ' (the first 10,000 drawn)'}
        </span>
      </div>
      <svg
        viewBox={`0 0 ${width} ${height + 18}`}
        className="chart-svg"
        role="img"
        aria-label="Executions per day by state"
      >
        <line x1="0" x2={width} y1={height} y2={height} className="chart-axis" />
        {days.map((day, index) => {
          let y = height;
          const perState = counts.get(day)!;
          const total = [...perState.values()].reduce((a, b) => a + b, 0);
          return (
            <g key={day}>
              <title>{`${day}: ${total} executions${[...perState].map(([s, n]) => `\n${s}: ${n}`).join('')}`}</title>
              <rect x={index * slot} y={0} width={slot} height={height} fill="transparent" />
              {ORDER.concat([...perState.keys()].filter((s) => !ORDER.includes(s))).map((state) => {
                const count = perState.get(state);
                if (!count) return null;
                const h = (count / max) * (height - 6);
                y -= h;
                return (
                  <rect
                    key={state}
                    x={index * slot + slot * 0.15}
                    y={y}
                    width={slot * 0.7}
                    height={h}
                    fill={colour(state)}
                    rx={1.5}
                  />
                );
              })}
              {(days.length <= 16 || index % Math.ceil(days.length / 12) === 0) && (
                <text x={index * slot + slot / 2} y={height + 14} textAnchor="middle" className="chart-label">
                  {day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
