/** The filter bar of the executions list; every change rewrites the URL's query (page back to 1). */
import { useState } from 'react';
import type { StateName } from '../../api/types';

const STATES: readonly StateName[] = [
  'CREATED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'KILLING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
];

/** Namespace, flow, states, labels and a date range; each change goes through `onEdit`. */
export function ExecutionsFilters({
  params,
  onEdit,
}: {
  params: URLSearchParams;
  /** Applies an edit to the URL's query as it is when the edit happens. */
  onEdit: (edit: (next: URLSearchParams) => void) => void;
}) {
  const [label, setLabel] = useState('');
  const states = params.getAll('state');
  const labels = params.getAll('label');
  const update = (edit: (next: URLSearchParams) => void) =>
    onEdit((next) => {
      edit(next);
      next.delete('page');
    });
  const setText = (name: string, value: string) =>
    update((next) => (value ? next.set(name, value) : next.delete(name)));
  const toggleState = (state: string) =>
    update((next) => {
      const current = next.getAll('state');
      next.delete('state');
      for (const item of current.includes(state) ? current.filter((s) => s !== state) : [...current, state])
        next.append('state', item);
    });
  const addLabel = () => {
    const text = label.trim();
    if (!text.includes(':')) return;
    update((next) => next.append('label', text));
    setLabel('');
  };
  return (
    <div className="card filters" data-testid="executions-filters">
      <div className="filter-row">
        <label>
          Namespace
          <input
            key={params.get('namespace') ?? ''}
            defaultValue={params.get('namespace') ?? ''}
            placeholder="company.team"
            onBlur={(e) => setText('namespace', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && setText('namespace', e.currentTarget.value.trim())}
          />
        </label>
        <label>
          Flow
          <input
            key={params.get('flowId') ?? ''}
            defaultValue={params.get('flowId') ?? ''}
            placeholder="flow id"
            onBlur={(e) => setText('flowId', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && setText('flowId', e.currentTarget.value.trim())}
          />
        </label>
        <label>
          From
          <input
            type="date"
            value={params.get('from') ?? ''}
            onChange={(e) => setText('from', e.target.value)}
          />
        </label>
        <label>
          To
          <input type="date" value={params.get('to') ?? ''} onChange={(e) => setText('to', e.target.value)} />
        </label>
        <label>
          Label
          <span className="label-add">
            <input
              value={label}
              placeholder="key:value"
              onChange={(e) => setLabel(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') addLabel();
              }}
            />
            <button type="button" onClick={addLabel} disabled={!label.includes(':')}>
              Add
            </button>
          </span>
        </label>
      </div>
      <div className="filter-row state-filter" role="group" aria-label="States">
        {STATES.map((state) => (
          <button
            type="button"
            key={state}
            className={`state-toggle${states.includes(state) ? ' on' : ''}`}
            aria-pressed={states.includes(state)}
            data-state={state}
            onClick={() => toggleState(state)}
          >
            <i className={`state-dot state-${state.toLowerCase()}`} />
            {state}
          </button>
        ))}
        {labels.map((item) => (
          <span className="chip" key={item}>
            {item}
            <button
              type="button"
              className="ghost chip-remove"
              aria-label={`Remove label ${item}`}
              onClick={() =>
                update((next) => {
                  const current = next.getAll('label');
                  next.delete('label');
                  for (const other of current.filter((l) => l !== item)) next.append('label', other);
                })
              }
            >
              ×
            </button>
          </span>
        ))}
        {[...params.keys()].some((key) => key !== 'page') && (
          <button
            type="button"
            className="ghost"
            onClick={() => onEdit((next) => [...new Set(next.keys())].forEach((key) => next.delete(key)))}
          >
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
