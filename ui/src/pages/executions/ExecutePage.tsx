/** Starts an execution of a flow from a form generated from its inputs; lands on the execution page. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { getFlow, startExecution } from '../../api/executions';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { InputsForm } from './InputsForm';
import { initialValue, inputErrors, inputId, inputsForm } from './inputValues';
import type { InputValues } from './inputValues';
import { LabelsEditor } from './LabelsEditor';
import type { LabelRow } from './LabelsEditor';
import './execute.css';

export default function ExecutePage() {
  const { namespace = '', flowId = '' } = useParams();
  const navigate = useNavigate();
  const flow = useQuery({ queryKey: ['flow', namespace, flowId], queryFn: () => getFlow(namespace, flowId) });
  const [values, setValues] = useState<InputValues>({});
  const [labels, setLabels] = useState<LabelRow[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [submitting, setSubmitting] = useState(false);
  const inputs = flow.data?.inputs ?? [];
  const fieldErrors = Object.keys(errors).length;

  useEffect(() => {
    if (!flow.data) return;
    setValues(
      Object.fromEntries((flow.data.inputs ?? []).map((input) => [inputId(input), initialValue(input)])),
    );
  }, [flow.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setErrors({});
    setFailure(undefined);
    try {
      const labelQuery = labels
        .filter((row) => row.key.trim())
        .map((row) => `${row.key.trim()}:${row.value}`);
      const execution = await startExecution(namespace, flowId, inputsForm(inputs, values), labelQuery);
      void navigate(
        `/executions/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}/${execution.id}`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setErrors(inputErrors(error.details));
      setFailure(error);
      setSubmitting(false);
    }
  };

  const title = (
    <>
      Execute <span className="muted">{flowId}</span>
    </>
  );
  const crumbs = (
    <>
      <Link to="/flows">Flows</Link> / {namespace} /{' '}
      <Link to={`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}`}>{flowId}</Link>
    </>
  );
  if (flow.isPending) return <Loading />;
  if (flow.isError)
    return (
      <div className="page">
        <PageHeader title={title} crumbs={crumbs} />
        <ErrorBox error={flow.error} title="This flow cannot be loaded" />
      </div>
    );
  return (
    <div className="page">
      <PageHeader title={title} crumbs={crumbs} />
      <form
        className="card execute-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        data-testid="execute-form"
      >
        {flow.data.disabled && (
          <p className="error-text">This flow is disabled: the server will refuse to start it.</p>
        )}
        <h2>Inputs</h2>
        {inputs.length === 0 ? (
          <p className="muted">This flow has no inputs.</p>
        ) : (
          <InputsForm
            inputs={inputs}
            values={values}
            errors={errors}
            onChange={(id, value) => {
              setValues((previous) => ({ ...previous, [id]: value }));
              // The server's messages were about the old value.
              setFailure(undefined);
              setErrors((previous) => {
                const { [id]: _changed, ...rest } = previous;
                return rest;
              });
            }}
          />
        )}
        <h2>Labels</h2>
        <LabelsEditor rows={labels} onChange={setLabels} />
        {failure !== undefined &&
          (fieldErrors > 0 ? (
            <p className="error-text" role="alert">
              {fieldErrors === 1 ? 'One input is' : `${fieldErrors} inputs are`} not valid: see the message
              next to {fieldErrors === 1 ? 'it' : 'each'}.
            </p>
          ) : (
            <ErrorBox error={failure} title="The execution was not started" />
          ))}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={submitting}>
            {submitting ? 'Starting…' : 'Execute'}
          </button>
        </div>
      </form>
    </div>
  );
}
