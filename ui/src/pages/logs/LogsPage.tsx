/**
 * Every execution's log lines on one page, newest first: filters in the URL (namespace, flow,
 * minimum level, time range, text), a virtualised list read from the server a page at a time as
 * it is scrolled (a million lines are never loaded at once), each line linking to its execution.
 * At the top, it follows: lines written since appear as they come, unless paused; scrolled
 * down, the list stays where it is.
 */
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { LOG_COUNT_LIMIT } from '../../api/logSearch';
import type { LogEntry } from '../../api/types';
import { listAllFlows } from '../../api/namespaces';
import { useUrlParams } from '../../app/urlParams';
import { ErrorBox } from '../../components/ErrorBox';
import { PageHeader } from '../../components/PageHeader';
import { countOf, formatDate } from '../../components/format';
import { useDebounced } from '../flows/useDebounced';
import { useDocumentVisible } from './useDocumentVisible';
import { DEFAULT_LEVEL, filtersFromQuery, LEVELS, RECENT_RANGES } from './logFilters';
import { useLogSearch } from './useLogSearch';
import '../executions/logs.css';
import './logs-page.css';

/** Characters of a line shown (the execution's own log shows the rest). */
const LONG_LINE = 2_000;
/** Rows before the end of what is read at which the next page is asked for. */
const READ_AHEAD = 100;
/** Quiet time after the last key before the text is searched (a stale search is aborted). */
const TEXT_DEBOUNCE_MS = 100;
/** Pixels from the top within which the list counts as at its newest end. */
const AT_TOP_PX = 4;

/** The execution page's log tab of a line. */
function executionPath(line: LogEntry): string {
  const parts = [line.namespace ?? '_', line.flowId ?? '_', line.executionId, 'logs'];
  return `/executions/${parts.map(encodeURIComponent).join('/')}`;
}

function LogRow({ line }: { line: LogEntry }) {
  const message = line.message.length > LONG_LINE ? `${line.message.slice(0, LONG_LINE)}…` : line.message;
  return (
    <div className={`all-logs-line level-${line.level.toLowerCase()}`} data-testid="log-line">
      <span className="log-time muted" title={line.timestamp}>
        {formatDate(line.timestamp)}.{line.timestamp.slice(20, 23)}
      </span>
      <span className="log-level">{line.level}</span>
      <Link
        className="all-logs-execution"
        to={executionPath(line)}
        title={`Execution ${line.executionId} of ${line.namespace ?? ''}.${line.flowId ?? ''}`}
        data-testid="log-execution"
      >
        {line.flowId} <span className="muted">{line.executionId.slice(0, 8)}</span>
      </Link>
      <span className="log-task muted">{line.taskId ?? ''}</span>
      <span className="log-message">{message}</span>
    </div>
  );
}

export default function LogsPage() {
  const [params, editParams] = useUrlParams();
  const [refresh, setRefresh] = useState(0);
  // A recent range is anchored when the filters change or on Refresh, not at every render.
  const filters = useMemo(() => filtersFromQuery(params, Date.now()), [params, refresh]); // eslint-disable-line react-hooks/exhaustive-deps
  const [follow, setFollow] = useState(true);
  const [atTop, setAtTop] = useState(true);
  const visible = useDocumentVisible();
  const { lines, total, loading, error, more, loadMore } = useLogSearch(
    filters,
    refresh,
    follow && atTop && visible,
  );
  const [text, setText] = useState(params.get('q') ?? '');
  const [choosingDates, setChoosingDates] = useState(false);
  const between = choosingDates || Boolean(params.get('from') || params.get('to'));
  const typed = useDebounced(text, TEXT_DEBOUNCE_MS);
  const searched = params.get('q') ?? '';
  const lastTyped = useRef(typed);
  useEffect(() => {
    if (lastTyped.current === typed) return;
    lastTyped.current = typed;
    editParams((next) => (typed.trim() ? next.set('q', typed.trim()) : next.delete('q')));
  }, [typed, editParams]);
  // The address changed without typing (a link, the sidebar's Logs): the box shows its text.
  // Its own edits are left alone, or a key typed since would be undone.
  useEffect(() => {
    if (searched === lastTyped.current.trim()) return;
    lastTyped.current = searched;
    setText(searched);
  }, [searched]);
  const flows = useQuery({ queryKey: ['flows', 'all'], queryFn: ({ signal }) => listAllFlows(signal) });
  const namespaces = useMemo(
    () => [...new Set((flows.data?.results ?? []).map((flow) => flow.namespace))].sort(),
    [flows.data],
  );
  const flowChoices = useMemo(
    () =>
      (flows.data?.results ?? [])
        .filter(
          (flow) =>
            !filters.namespace ||
            flow.namespace === filters.namespace ||
            flow.namespace.startsWith(`${filters.namespace}.`),
        )
        .sort((a, b) => `${a.namespace}.${a.id}`.localeCompare(`${b.namespace}.${b.id}`)),
    [flows.data, filters.namespace],
  );

  const setParam = (name: string, value: string | undefined) =>
    editParams((next) => (value ? next.set(name, value) : next.delete(name)));

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 24,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const following = follow && atTop;
  const lastShown = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (more && lastShown >= lines.length - READ_AHEAD) loadMore();
  }, [more, lastShown, lines.length, loadMore]);
  // A new search starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [filters]);

  const counted =
    total === undefined
      ? `${lines.length.toLocaleString()}${more ? '+' : ''} lines, counting…`
      : total >= LOG_COUNT_LIMIT
        ? `more than ${countOf(LOG_COUNT_LIMIT, 'line')}`
        : countOf(total, 'line');
  const filtered = [...params.keys()].some((key) => key !== 'level') || filters.minLevel !== DEFAULT_LEVEL;

  return (
    <div className="page all-logs" data-testid="logs-page">
      <PageHeader
        title="Logs"
        actions={
          <>
            <button
              type="button"
              aria-pressed={follow}
              data-testid="log-follow"
              title={
                follow ? 'Stop adding new lines at the top' : 'Add new lines at the top as they are written'
              }
              onClick={() => setFollow((on) => !on)}
            >
              {follow ? 'Pause' : 'Follow'}
            </button>
            <button type="button" onClick={() => setRefresh((n) => n + 1)}>
              Refresh
            </button>
          </>
        }
      />
      <div className="card all-logs-filters" role="search">
        <label className="all-logs-text">
          Text
          <input
            type="search"
            placeholder="Search the messages"
            aria-label="Search the messages"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          Namespace
          <input
            key={`ns:${params.get('namespace') ?? ''}`}
            list="log-namespaces"
            defaultValue={params.get('namespace') ?? ''}
            placeholder="company.team"
            aria-label="Namespace"
            onBlur={(e) => setParam('namespace', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && setParam('namespace', e.currentTarget.value.trim())}
          />
          <datalist id="log-namespaces">
            {namespaces.map((namespace) => (
              <option key={namespace} value={namespace} />
            ))}
          </datalist>
        </label>
        <label>
          Flow
          <select
            aria-label="Flow"
            value={filters.flowId ?? ''}
            onChange={(e) => {
              const flow = flowChoices.find((f) => `${f.namespace}\n${f.id}` === e.target.value);
              editParams((next) => {
                if (!flow) return next.delete('flowId');
                next.set('flowId', flow.id);
                next.set('namespace', flow.namespace);
              });
            }}
          >
            <option value="">Every flow</option>
            {filters.flowId && !flowChoices.some((f) => f.id === filters.flowId) && (
              <option value={filters.flowId}>{filters.flowId}</option>
            )}
            {flowChoices.map((flow) => (
              <option
                key={`${flow.namespace}.${flow.id}`}
                value={
                  flow.id === filters.flowId && flow.namespace === filters.namespace
                    ? filters.flowId
                    : `${flow.namespace}\n${flow.id}`
                }
              >
                {flow.namespace}.{flow.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Level
          <select
            aria-label="Minimum level"
            value={filters.minLevel}
            onChange={(e) => setParam('level', e.target.value === DEFAULT_LEVEL ? undefined : e.target.value)}
          >
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time
          <select
            aria-label="Time range"
            value={params.get('range') ?? (between ? 'custom' : '')}
            onChange={(e) => {
              setChoosingDates(e.target.value === 'custom');
              editParams((next) => {
                next.delete('from');
                next.delete('to');
                if (e.target.value && e.target.value !== 'custom') next.set('range', e.target.value);
                else next.delete('range');
              });
            }}
          >
            <option value="">Any time</option>
            {RECENT_RANGES.map((range) => (
              <option key={range.value} value={range.value}>
                {range.label}
              </option>
            ))}
            <option value="custom">Between…</option>
          </select>
        </label>
        {between && (
          <>
            <label>
              From
              <input
                type="datetime-local"
                aria-label="From"
                value={params.get('from') ?? ''}
                onChange={(e) =>
                  editParams((next) => {
                    next.delete('range');
                    if (e.target.value) next.set('from', e.target.value);
                    else next.delete('from');
                  })
                }
              />
            </label>
            <label>
              To
              <input
                type="datetime-local"
                aria-label="To"
                value={params.get('to') ?? ''}
                onChange={(e) =>
                  editParams((next) => {
                    next.delete('range');
                    if (e.target.value) next.set('to', e.target.value);
                    else next.delete('to');
                  })
                }
              />
            </label>
          </>
        )}
        {filtered && (
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setText('');
              editParams((next) => [...new Set(next.keys())].forEach((key) => next.delete(key)));
            }}
          >
            Clear filters
          </button>
        )}
        <span className="muted all-logs-count" data-testid="log-count" role="status">
          {loading && lines.length === 0 ? 'Searching…' : counted}
          {loading && lines.length > 0 && ' (reading…)'}
        </span>
        <span className="muted all-logs-follow" data-testid="log-follow-state">
          {following ? '● Following new lines' : follow ? 'New lines wait while scrolled down' : 'Paused'}
        </span>
      </div>
      {error !== undefined && <ErrorBox error={error} title="The logs could not be read" />}
      <div
        className="log-list all-logs-list card"
        ref={scroller}
        data-testid="log-list"
        onScroll={(e) => setAtTop(e.currentTarget.scrollTop <= AT_TOP_PX)}
      >
        {lines.length === 0 && !loading && error === undefined && (
          <p className="muted empty">No log line matches these filters.</p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((virtual) => (
            <div
              key={virtual.key}
              data-index={virtual.index}
              ref={virtualizer.measureElement}
              className="log-row"
              style={{ transform: `translateY(${virtual.start}px)` }}
            >
              <LogRow line={lines[virtual.index]!} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
