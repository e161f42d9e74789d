/**
 * One namespace (`/namespaces/:namespace/:tab?`): its KV store (the default tab), its files and
 * its flows.
 */
import { Link, NavLink, useParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { FilesTab } from './FilesTab';
import { FlowsTab } from './FlowsTab';
import { KvTab } from './KvTab';
import { namespaceProblem } from './namespaceList';
import './namespaces.css';

const TABS = [
  { id: 'kv', label: 'KV store' },
  { id: 'files', label: 'Files' },
  { id: 'flows', label: 'Flows' },
] as const;

/** The page of one namespace with its tabs. */
export default function NamespacePage() {
  const { namespace = '', tab = 'kv' } = useParams();
  const problem = namespaceProblem(namespace);
  const known = TABS.some((t) => t.id === tab);
  return (
    <div className="page">
      <PageHeader title={namespace} crumbs={<Link to="/namespaces">Namespaces</Link>} />
      {problem ? (
        <div className="error-box" role="alert">
          <strong>Not a namespace</strong>
          <p>{problem}</p>
        </div>
      ) : (
        <>
          <nav className="tabs" aria-label="Namespace">
            {TABS.map((t) => (
              <NavLink
                key={t.id}
                to={`/namespaces/${namespace}/${t.id}`}
                className={() => (t.id === tab ? 'active' : '')}
              >
                {t.label}
              </NavLink>
            ))}
          </nav>
          {!known ? (
            <div className="error-box" role="alert">
              <strong>No tab {tab}</strong>
              <p>
                A namespace has the tabs <Link to={`/namespaces/${namespace}/kv`}>KV store</Link>,{' '}
                <Link to={`/namespaces/${namespace}/files`}>Files</Link> and{' '}
                <Link to={`/namespaces/${namespace}/flows`}>Flows</Link>.
              </p>
            </div>
          ) : tab === 'files' ? (
            <FilesTab namespace={namespace} />
          ) : tab === 'flows' ? (
            <FlowsTab namespace={namespace} />
          ) : (
            <KvTab namespace={namespace} />
          )}
        </>
      )}
    </div>
  );
}
