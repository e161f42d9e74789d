/**
 * The commands of an execution, each shown when its state allows it, with the server's error
 * shown when refused: kill, restart, replay (from the selected task run), resume (with the
 * Pause task's onResume inputs) and changing the selected task run's state.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  getFlow,
  killExecution,
  replayExecution,
  restartExecution,
  resumeExecution,
  setTaskRunState,
} from '../../api/executions';
import type { Execution, StateName, TaskRun } from '../../api/types';
import { TERMINAL_STATES } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { InputsForm } from './InputsForm';
import { initialValue, inputId, inputsForm } from './inputValues';
import type { InputValues } from './inputValues';
import { findTask } from './pausedTask';
import { taskRunLabel } from './taskRuns';

const SETTABLE: readonly StateName[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'SKIPPED', 'CANCELLED'];

/** The resume form: the paused task's onResume inputs, if it declares any. */
function ResumeForm({
  execution,
  onDone,
  onError,
}: {
  execution: Execution;
  onDone: () => void;
  onError: (e: unknown) => void;
}) {
  const paused = execution.taskRunList.find((run) => run.state.current === 'PAUSED');
  const flow = useQuery({
    queryKey: ['flow', execution.namespace, execution.flowId, execution.flowRevision],
    queryFn: () => getFlow(execution.namespace, execution.flowId, execution.flowRevision),
  });
  const inputs = (paused && flow.data ? findTask(flow.data, paused.taskId)?.onResume : undefined) ?? [];
  const [values, setValues] = useState<InputValues | undefined>();
  const current = values ?? Object.fromEntries(inputs.map((input) => [inputId(input), initialValue(input)]));
  const [busy, setBusy] = useState(false);
  const resume = async () => {
    setBusy(true);
    try {
      await resumeExecution(execution.id, inputsForm(inputs, current));
      onDone();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card resume-form" data-testid="resume-form">
      <h3>Resume {paused ? taskRunLabel(paused) : ''}</h3>
      {flow.isPending && <Loading label="Reading the Pause task's inputs…" />}
      {flow.isError && <ErrorBox error={flow.error} title="The flow of this execution cannot be read" />}
      {inputs.length > 0 && (
        <InputsForm
          inputs={inputs}
          values={current}
          errors={{}}
          onChange={(id, value) => setValues({ ...current, [id]: value })}
        />
      )}
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={busy || flow.isPending}
          onClick={() => void resume()}
        >
          Resume
        </button>
      </div>
    </div>
  );
}

/**
 * Restart. When the flow changed since the execution ran (read at the click, so a fix deployed a
 * moment ago counts), the user picks the revision to run on: the latest first (a restart usually
 * follows a fix), or the execution's own.
 */
function RestartButton({
  execution,
  busy,
  onRestart,
  onError,
}: {
  execution: Execution;
  busy: boolean;
  onRestart: (revision: number | undefined) => void;
  onError: (error: unknown) => void;
}) {
  const [latest, setLatest] = useState<number | undefined>();
  const [choice, setChoice] = useState<number | undefined>();
  const [reading, setReading] = useState(false);
  const start = async () => {
    setReading(true);
    try {
      const flow = await getFlow(execution.namespace, execution.flowId);
      if (flow.revision > execution.flowRevision) {
        setLatest(flow.revision);
        setChoice(flow.revision);
      } else onRestart(undefined);
    } catch (error) {
      onError(error);
    } finally {
      setReading(false);
    }
  };
  if (latest === undefined)
    return (
      <button type="button" className="primary" disabled={busy || reading} onClick={() => void start()}>
        Restart
      </button>
    );
  return (
    <span className="restart-choice" data-testid="restart-choice">
      <select
        aria-label="Flow revision to restart on"
        value={choice}
        onChange={(event) => setChoice(Number(event.target.value))}
      >
        <option value={latest}>revision {latest} (latest)</option>
        <option value={execution.flowRevision}>revision {execution.flowRevision} (this execution's)</option>
      </select>
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => {
          setLatest(undefined);
          onRestart(choice === execution.flowRevision ? undefined : choice);
        }}
      >
        Restart on revision {choice}
      </button>
      <button type="button" className="ghost" onClick={() => setLatest(undefined)}>
        Cancel
      </button>
    </span>
  );
}

/** The action bar; `selected` is the task run chosen in the Gantt (replay from it, change its state). */
export function ExecutionActions({
  execution,
  selected,
  onChanged,
  onRefused,
  logsPath,
}: {
  execution: Execution;
  selected: TaskRun | undefined;
  onChanged: () => void;
  /** A command was refused: the page may show an old state, read it again. */
  onRefused: () => void;
  /** The logs tab's path (the selected task run's lines are a link away). */
  logsPath: string;
}) {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [resuming, setResuming] = useState(false);
  const [newState, setNewState] = useState<StateName>('SUCCESS');
  const state = execution.state.current;
  const ended = TERMINAL_STATES.includes(state);
  const run = async (action: () => Promise<unknown>, then: () => void = onChanged) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      then();
    } catch (reason) {
      setError(reason);
      onRefused();
    } finally {
      setBusy(false);
    }
  };
  const replay = () =>
    run(
      async () => {
        const replayed = await replayExecution(execution.id, selected?.id);
        void navigate(
          `/executions/${encodeURIComponent(replayed.namespace)}/${encodeURIComponent(replayed.flowId)}/${replayed.id}`,
        );
      },
      () => undefined,
    );

  return (
    <div className="execution-actions">
      <div className="actions">
        {!ended && state !== 'KILLING' && (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void run(() => killExecution(execution.id))}
          >
            Kill
          </button>
        )}
        {state === 'PAUSED' && (
          <button type="button" disabled={busy} onClick={() => setResuming(!resuming)}>
            Resume…
          </button>
        )}
        {(state === 'FAILED' || state === 'KILLED') && (
          <RestartButton
            execution={execution}
            busy={busy}
            onRestart={(revision) => void run(() => restartExecution(execution.id, revision))}
            onError={setError}
          />
        )}
        {selected && (
          <Link className="button" to={`${logsPath}?taskRunId=${encodeURIComponent(selected.id)}`}>
            Logs of {taskRunLabel(selected)}
          </Link>
        )}
        {ended && (
          <button type="button" disabled={busy} onClick={() => void replay()}>
            {selected ? `Replay from ${selected.taskId}` : 'Replay'}
          </button>
        )}
        {ended && selected && (
          <span className="set-state">
            <select
              value={newState}
              onChange={(e) => setNewState(e.target.value as StateName)}
              aria-label="New state of the task run"
            >
              {SETTABLE.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
            <button
              type="button"
              disabled={busy}
              onClick={() => void run(() => setTaskRunState(execution.id, selected.id, newState))}
            >
              Set {selected.taskId}'s state
            </button>
          </span>
        )}
      </div>
      {error !== undefined && <ErrorBox error={error} title="The command was refused" />}
      {resuming && state === 'PAUSED' && (
        <ResumeForm
          execution={execution}
          onDone={() => {
            setResuming(false);
            onChanged();
          }}
          onError={setError}
        />
      )}
    </div>
  );
}
