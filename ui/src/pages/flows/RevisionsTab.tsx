/** The revisions of a flow, and a diff between any two of them. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { flowRevisions } from '../../api/flows';
import { DiffEditor } from '../../components/editor/DiffEditor';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDate } from '../../components/format';
import { Loading } from '../../components/Loading';

/** The revisions tab: pick two revisions (default: the last two) and see their diff. */
export function RevisionsTab({ namespace, flowId }: { namespace: string; flowId: string }) {
  const revisions = useQuery({
    queryKey: ['flows', 'revisions', namespace, flowId],
    queryFn: ({ signal }) => flowRevisions(namespace, flowId, signal),
  });
  const [left, setLeft] = useState<number | undefined>();
  const [right, setRight] = useState<number | undefined>();
  if (revisions.isPending) return <Loading />;
  if (revisions.isError)
    return <ErrorBox error={revisions.error} title="The revisions could not be loaded" />;
  const list = revisions.data;
  const latest = list[list.length - 1]?.revision ?? 1;
  const from = left ?? list[list.length - 2]?.revision ?? latest;
  const to = right ?? latest;
  const sourceOf = (revision: number) => list.find((r) => r.revision === revision)?.source ?? '';
  const picker = (label: string, value: number, onChange: (n: number) => void) => (
    <label className="inline-label">
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={label}>
        {[...list].reverse().map((r) => (
          <option key={r.revision} value={r.revision}>
            Revision {r.revision} — {formatDate(r.updated)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="revisions-tab">
      <div className="revisions-list card">
        <table className="table">
          <thead>
            <tr>
              <th>Revision</th>
              <th>Saved</th>
              <th aria-label="Compare" />
            </tr>
          </thead>
          <tbody>
            {[...list].reverse().map((r) => (
              <tr key={r.revision} className={r.revision === from || r.revision === to ? 'selected' : ''}>
                <td>
                  {r.revision}
                  {r.revision === latest && <span className="chip latest">latest</span>}
                </td>
                <td className="muted">{formatDate(r.updated)}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => setLeft(r.revision)} disabled={r.revision === from}>
                    Left
                  </button>
                  <button type="button" onClick={() => setRight(r.revision)} disabled={r.revision === to}>
                    Right
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="revisions-diff card">
        <div className="diff-pickers">
          {picker('Left', from, setLeft)}
          {picker('Right', to, setRight)}
        </div>
        {list.length < 2 && <p className="muted">Only one revision so far: save a change to compare.</p>}
        {/* A new diff per pair: Monaco's diff keeps its first result when both models change in place. */}
        <DiffEditor
          key={`${from}-${to}`}
          original={sourceOf(from)}
          modified={sourceOf(to)}
          language="yaml"
          height="calc(100vh - 300px)"
        />
      </div>
    </div>
  );
}
