/**
 * The execution's log: level filter, text search, grouping per task run, a virtualised list of
 * wrapped lines (200,000 lines, or one line of 1 MB, stay fluid), new lines appended live.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { apiUrl } from '../../api/client';
import { logDownloadPath } from '../../api/logs';
import type { LogEntry } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { countOf, formatDate } from '../../components/format';
import { LEVELS, logItems } from './logItems';
import type { LogItem } from './logItems';
import { useExecutionLogs } from './useExecutionLogs';
import './logs.css';
import { downloadResponse } from './download';
import { apiFetch } from '../../api/client';

/** Characters of a line shown before "show all" (layout of a megabyte of text takes long). */
const LONG_LINE = 4_000;

function formatSize(chars: number): string {
  return chars > 1_000_000 ? `${(chars / 1_000_000).toFixed(1)} MB` : `${Math.round(chars / 1000)} kB`;
}

function LineRow({ line, expanded, onExpand }: { line: LogEntry; expanded: boolean; onExpand: () => void }) {
  const long = line.message.length > LONG_LINE;
  const time = line.timestamp.slice(11, 23);
  return (
    <div className={`log-line level-${line.level.toLowerCase()}`} data-testid="log-line">
      <span className="log-time muted" title={formatDate(line.timestamp)}>
        {time}
      </span>
      <span className="log-level">{line.level}</span>
      <span className="log-task muted">{line.taskId ?? ''}</span>
      <span className="log-message">
        {long && !expanded ? `${line.message.slice(0, LONG_LINE)}…` : line.message}
        {long && (
          <button type="button" className="ghost log-expand" onClick={onExpand}>
            {expanded ? 'Show less' : `Show the whole line (${formatSize(line.message.length)})`}
          </button>
        )}
      </span>
    </div>
  );
}

/** The logs tab of an execution; `ended` switches from following to reading by pages. */
export function LogsView({
  executionId,
  ended,
  taskRunLabel,
}: {
  executionId: string;
  ended: boolean;
  /** The label of a task run id (for the "only this task run" filter). */
  taskRunLabel: (taskRunId: string) => string;
}) {
  const { lines, version, loading, error } = useExecutionLogs(executionId, ended);
  const [params, setParams] = useSearchParams();
  const taskRunId = params.get('taskRunId') ?? undefined;
  // INFO first, as Kestra's log view: DEBUG and TRACE lines are one choice away.
  const [minLevel, setMinLevel] = useState<LogEntry['level']>('INFO');
  const [search, setSearch] = useState('');
  const [grouped, setGrouped] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [downloadError, setDownloadError] = useState<unknown>();
  const deferredSearch = useDeferredValue(search);
  const items = useMemo<LogItem[]>(
    () => logItems(lines, { minLevel, search: deferredSearch, grouped, taskRunId }),
    // `version` changes when `lines` (the same array) grows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lines, version, minLevel, deferredSearch, grouped, taskRunId],
  );
  const shownLines = useMemo(() => items.reduce((n, item) => n + (item.kind === 'line' ? 1 : 0), 0), [items]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (items[index]?.kind === 'group' ? 34 : 24),
    getItemKey: (index) => {
      const item = items[index]!;
      return item.kind === 'group' ? `g:${item.key}` : item.key;
    },
    overscan: 10,
  });

  const download = async () => {
    setDownloadError(undefined);
    try {
      await downloadResponse(await apiFetch(logDownloadPath(executionId)), `${executionId}.log`);
    } catch (reason) {
      setDownloadError(reason);
    }
  };

  return (
    <div className="logs" data-testid="logs">
      <div className="logs-toolbar">
        <label className="inline">
          Level
          <select
            value={minLevel}
            onChange={(e) => setMinLevel(e.target.value as LogEntry['level'])}
            aria-label="Minimum level"
          >
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Search the log"
          aria-label="Search the log"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="choice">
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
          Group by task
        </label>
        {taskRunId && (
          <span className="chip" data-testid="task-run-filter">
            only {taskRunLabel(taskRunId)}
            <button
              type="button"
              className="ghost chip-remove"
              aria-label="Show every task run"
              onClick={() => setParams(new URLSearchParams())}
            >
              ×
            </button>
          </span>
        )}
        <span className="muted logs-count" data-testid="log-count">
          {shownLines === lines.length
            ? countOf(lines.length, 'line')
            : `${shownLines.toLocaleString()} of ${countOf(lines.length, 'line')}`}
          {loading && (ended ? ' (loading…)' : ' (live)')}
        </span>
        <a
          className="button"
          href={apiUrl(logDownloadPath(executionId))}
          onClick={(e) => {
            e.preventDefault();
            void download();
          }}
        >
          Download
        </a>
      </div>
      {error !== undefined && <ErrorBox error={error} title="The log could not be read" />}
      {downloadError !== undefined && (
        <ErrorBox error={downloadError} title="The log could not be downloaded" />
      )}
      <div className="log-list card" ref={scroller}>
        {items.length === 0 && !loading && (
          <p className="muted empty">No log line{lines.length > 0 ? ' matches' : ''}.</p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtual) => {
            const item = items[virtual.index]!;
            return (
              <div
                key={virtual.key}
                data-index={virtual.index}
                ref={virtualizer.measureElement}
                className="log-row"
                style={{ transform: `translateY(${virtual.start}px)` }}
              >
                {item.kind === 'group' ? (
                  <div className="log-group">
                    <strong>{item.taskId}</strong>{' '}
                    <span className="muted">{countOf(item.count, 'line')}</span>
                  </div>
                ) : (
                  <LineRow
                    line={item.line}
                    expanded={expanded.has(item.key)}
                    onExpand={() =>
                      setExpanded((previous) => {
                        const next = new Set(previous);
                        if (next.has(item.key)) next.delete(item.key);
                        else next.add(item.key);
                        return next;
                      })
                    }
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
