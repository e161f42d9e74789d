/**
 * A flow: `/flows/new` (a new flow), or `/flows/:namespace/:flowId/:tab` with the YAML editor
 * (`edit`, default), its revisions with a diff (`revisions`) and its executions (`executions`).
 */
import { useQuery } from '@tanstack/react-query';
import { Link, NavLink, useParams, useSearchParams } from 'react-router-dom';
import { getFlow } from '../../api/flows';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { NewFlowFromBlueprint } from '../blueprints/NewFlowFromBlueprint';
import { DeleteFlowButton } from './DeleteFlowButton';
import { FlowExecutionsTab } from './FlowExecutionsTab';
import { FlowSourceEditor } from './FlowSourceEditor';
import { flowSchemaQuery } from './useFlowChecks';
import { RevisionsTab } from './RevisionsTab';
import './flows.css';
import './editor.css';

const newFlow = (namespace: string) => `id: my_flow
namespace: ${namespace}

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello World!
`;

const TABS = [
  ['edit', 'Editor'],
  ['revisions', 'Revisions'],
  ['executions', 'Executions'],
] as const;

/** The flow editor page (new or existing flow). */
export default function FlowEditorPage() {
  const { namespace, flowId, tab = 'edit' } = useParams();
  // `/flows/new?namespace=a.b` (from a namespace's page or a filtered list) starts in that namespace.
  const [query] = useSearchParams();
  const newNamespace = query.get('namespace') || 'company.team';
  const blueprint = query.get('blueprint');
  const existing = namespace !== undefined && flowId !== undefined;
  const flow = useQuery({
    queryKey: ['flow', namespace, flowId],
    queryFn: ({ signal }) => getFlow(namespace!, flowId!, signal),
    enabled: existing,
    // The editor keeps its own text: do not replace it under the user's cursor.
    refetchOnWindowFocus: false,
  });
  // The flow schema (1 MB: completion, no-code forms) is fetched alongside the flow, not after it.
  useQuery(flowSchemaQuery);

  if (!existing)
    return (
      <div className="page flow-editor-page">
        <PageHeader
          title="New flow"
          crumbs={blueprint ? <Link to="/blueprints">Blueprints</Link> : <Link to="/flows">Flows</Link>}
        />
        {blueprint ? (
          <NewFlowFromBlueprint key={blueprint} id={blueprint} />
        ) : (
          <FlowSourceEditor initialSource={newFlow(newNamespace)} />
        )}
      </div>
    );

  const base = `/flows/${namespace}/${flowId}`;
  return (
    <div className="page flow-editor-page">
      <PageHeader
        title={flowId}
        crumbs={
          <>
            <Link to="/flows">Flows</Link> /{' '}
            <Link to={`/flows?namespace=${encodeURIComponent(namespace)}`}>{namespace}</Link>
          </>
        }
        actions={
          <>
            <DeleteFlowButton namespace={namespace} flowId={flowId} />
            <Link to={`${base}/execute`} className="button primary" data-testid="execute-flow">
              ▶ Execute
            </Link>
          </>
        }
      />
      <nav className="tabs">
        {TABS.map(([path, label]) => (
          <NavLink key={path} to={`${base}/${path}`} className={() => (tab === path ? 'active' : '')}>
            {label}
          </NavLink>
        ))}
      </nav>
      {flow.isPending ? (
        <Loading />
      ) : flow.isError ? (
        <ErrorBox error={flow.error} title={`Flow ${namespace}.${flowId} could not be loaded`} />
      ) : (
        <>
          {/* The editor stays mounted on the other tabs: unsaved changes survive a look at the revisions. */}
          <div hidden={tab !== 'edit'}>
            <FlowSourceEditor
              key={`${namespace}.${flowId}`}
              initialSource={flow.data.source ?? ''}
              initialRevision={flow.data.revision}
              flow={{ namespace, id: flowId }}
            />
          </div>
          {tab === 'revisions' && <RevisionsTab namespace={namespace} flowId={flowId} />}
          {tab === 'executions' && <FlowExecutionsTab namespace={namespace} flowId={flowId} />}
        </>
      )}
    </div>
  );
}
