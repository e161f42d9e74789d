/** Counts by state as stacked bars in plain SVG: one column per day or hour (the executions and home charts). */
import type { StateName } from '../api/types';

/** States bottom to top; others stack above them. */
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

/** The theme colour of a state's bar. */
export const stateColour = (state: StateName) =>
  `var(--state-${ORDER.includes(state) ? state.toLowerCase() : state === 'KILLING' || state === 'RESTARTED' ? 'running' : 'killed'})`;

/** One column: its label under the axis, its tooltip title and its counts by state. */
export interface BarColumn {
  key: string;
  label: string;
  title: string;
  counts: ReadonlyMap<StateName, number>;
}

/** The states present in any column, for a legend. */
export function statesOf(columns: readonly BarColumn[]): StateName[] {
  const states = new Set<StateName>();
  for (const column of columns) for (const state of column.counts.keys()) states.add(state);
  return ORDER.filter((state) => states.has(state)).concat([...states].filter((s) => !ORDER.includes(s)));
}

/** The legend of the states drawn. */
export function StateLegend({ states }: { states: readonly StateName[] }) {
  return (
    <span className="chart-legend">
      {states.map((state) => (
        <span key={state}>
          <i style={{ background: stateColour(state) }} /> {state}
        </span>
      ))}
    </span>
  );
}

/** The bars, scaled to the tallest column; about 12 labels are shown whatever the number of columns. */
export function StackedBars({ columns, label }: { columns: readonly BarColumn[]; label: string }) {
  const totals = columns.map((column) => [...column.counts.values()].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const width = 1000;
  const height = 140;
  const slot = width / Math.max(columns.length, 1);
  return (
    <svg viewBox={`0 0 ${width} ${height + 18}`} className="chart-svg" role="img" aria-label={label}>
      <line x1="0" x2={width} y1={height} y2={height} className="chart-axis" />
      {columns.map((column, index) => {
        let y = height;
        return (
          <g key={column.key} data-testid="chart-column" data-total={totals[index]}>
            <title>{`${column.title}: ${totals[index]} executions${[...column.counts].map(([s, n]) => `\n${s}: ${n}`).join('')}`}</title>
            <rect x={index * slot} y={0} width={slot} height={height} fill="transparent" />
            {ORDER.concat([...column.counts.keys()].filter((s) => !ORDER.includes(s))).map((state) => {
              const count = column.counts.get(state);
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
                  fill={stateColour(state)}
                  rx={1.5}
                  data-state={state}
                />
              );
            })}
            {(columns.length <= 16 || index % Math.ceil(columns.length / 12) === 0) && (
              <text x={index * slot + slot / 2} y={height + 14} textAnchor="middle" className="chart-label">
                {column.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
