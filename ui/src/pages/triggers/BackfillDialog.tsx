/**
 * The backfill dialog of a Schedule trigger: a form (start, end, optional inputs and labels)
 * until a backfill runs, then its live progress (the trigger polled every second while the
 * dialog is open) with pause, resume and delete.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { backfillAction, getTrigger, startBackfill } from '../../api/triggers';
import type { Backfill, BackfillRequest, TriggerKey } from '../../api/triggers';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDate } from '../../components/format';
import { Loading } from '../../components/Loading';
import { Modal } from '../namespaces/Modal';
import { parseBackfillForm } from './backfillForm';
import type { BackfillForm } from './backfillForm';

/** The dialog; the trigger is polled every second while it is open. */
export function BackfillDialog({ trigger, onClose }: { trigger: TriggerKey; onClose: () => void }) {
  const client = useQueryClient();
  const state = useQuery({
    queryKey: ['trigger', trigger.namespace, trigger.flowId, trigger.triggerId],
    queryFn: ({ signal }) => getTrigger(trigger, signal),
    refetchInterval: 1000,
    staleTime: 0,
  });
  const refresh = (next: unknown) => {
    client.setQueryData(['trigger', trigger.namespace, trigger.flowId, trigger.triggerId], next);
    void client.invalidateQueries({ queryKey: ['triggers'] });
  };
  const action = useMutation({
    mutationFn: (what: 'pause' | 'unpause' | 'delete') => backfillAction(trigger, what),
    onSuccess: refresh,
  });
  const backfill = state.data?.backfill;
  const title = `Backfill ${trigger.flowId} · ${trigger.triggerId}`;

  return (
    <Modal title={title} onClose={onClose} testId="backfill-dialog">
      {state.isError ? (
        <ErrorBox error={state.error} title="Could not read the trigger" />
      ) : state.isPending ? (
        <Loading />
      ) : backfill ? (
        <>
          <BackfillProgress backfill={backfill} />
          {action.isError && <ErrorBox error={action.error} title="The action failed" />}
          <div className="dlg-foot">
            {!backfill.done &&
              (backfill.paused ? (
                <button type="button" disabled={action.isPending} onClick={() => action.mutate('unpause')}>
                  Resume
                </button>
              ) : (
                <button type="button" disabled={action.isPending} onClick={() => action.mutate('pause')}>
                  Pause
                </button>
              ))}
            <button
              type="button"
              className="danger"
              disabled={action.isPending}
              onClick={() => action.mutate('delete')}
              title={backfill.done ? 'Clear this backfill to start another' : 'Stop and forget this backfill'}
            >
              {backfill.done ? 'Clear' : 'Delete'}
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <BackfillFormView
          trigger={trigger}
          timezone={state.data.timezone}
          onStarted={refresh}
          onCancel={onClose}
        />
      )}
    </Modal>
  );
}

/** Created / total as a bar, with the slot in progress and the paused state. */
function BackfillProgress({ backfill }: { backfill: Backfill }) {
  const fired = backfill.created + backfill.skipped;
  const percent = backfill.total === 0 ? 100 : Math.round((fired / backfill.total) * 100);
  const status = backfill.done ? 'Done' : backfill.paused ? 'Paused' : 'Running';
  return (
    <div className="bf-panel" data-testid="backfill-progress">
      <div className="bf-status">
        <span className={`bf-pill bf-pill-${status.toLowerCase()}`} data-testid="backfill-status">
          {status}
        </span>
        <span className="bf-count" data-testid="backfill-count">
          {backfill.created} / {backfill.total}
        </span>
        <span className="muted">executions created</span>
      </div>
      <div
        className="bf-progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={backfill.total}
        aria-valuenow={fired}
      >
        <div
          className={`bf-progress-fill${backfill.paused ? ' paused' : ''}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <dl className="bf-facts">
        <dt>From</dt>
        <dd>{formatDate(backfill.start)}</dd>
        <dt>To</dt>
        <dd>{formatDate(backfill.end)}</dd>
        {backfill.currentDate && (
          <>
            <dt>Next slot</dt>
            <dd>{formatDate(backfill.currentDate)}</dd>
          </>
        )}
        {backfill.skipped > 0 && (
          <>
            <dt>Skipped</dt>
            <dd>{backfill.skipped} (their conditions did not hold)</dd>
          </>
        )}
      </dl>
    </div>
  );
}

function BackfillFormView({
  trigger,
  timezone,
  onStarted,
  onCancel,
}: {
  trigger: TriggerKey;
  timezone: string | undefined;
  onStarted: (next: unknown) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<BackfillForm>({ start: '', end: '', inputs: '', labels: '' });
  const [problem, setProblem] = useState<string | undefined>();
  const start = useMutation({
    mutationFn: (request: BackfillRequest) => startBackfill(trigger, request),
    onSuccess: onStarted,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseBackfillForm(form);
    if (typeof parsed === 'string') {
      setProblem(parsed);
      return;
    }
    setProblem(undefined);
    start.mutate(parsed);
  };
  const set = (name: keyof BackfillForm) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  return (
    <form className="dlg-body" onSubmit={submit} noValidate>
      <p className="muted tg-small">
        One execution per slot of the schedule between the two dates (both included), in your browser&apos;s
        time zone{timezone ? `; the trigger runs in ${timezone}` : ''}.
      </p>
      <div className="dlg-row">
        <label>
          Start
          <input
            type="datetime-local"
            step={1}
            value={form.start}
            onChange={(e) => set('start')(e.target.value)}
            aria-label="Backfill start"
            required
          />
        </label>
        <label>
          <span className="dlg-label">
            End <span className="dlg-hint">(now when empty)</span>
          </span>
          <input
            type="datetime-local"
            step={1}
            value={form.end}
            onChange={(e) => set('end')(e.target.value)}
            aria-label="Backfill end"
          />
        </label>
      </div>
      <label>
        <span className="dlg-label">
          Inputs <span className="dlg-hint">(optional JSON object, e.g. {'{"region": "eu"}'})</span>
        </span>
        <textarea
          rows={3}
          value={form.inputs}
          onChange={(e) => set('inputs')(e.target.value)}
          aria-label="Backfill inputs"
        />
      </label>
      <label>
        <span className="dlg-label">
          Labels <span className="dlg-hint">(optional, key=value separated by commas)</span>
        </span>
        <input
          value={form.labels}
          onChange={(e) => set('labels')(e.target.value)}
          placeholder="backfill=true, team=data"
          aria-label="Backfill labels"
        />
      </label>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      {start.isError && <ErrorBox error={start.error} title="The backfill did not start" />}
      <div className="dlg-foot">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={start.isPending}>
          Start backfill
        </button>
      </div>
    </form>
  );
}
