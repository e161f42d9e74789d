/**
 * The KV tab of a namespace: every entry with its type, typed value, expiry and update date;
 * create and edit through the KV dialog, delete one or a selection after a confirmation.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteKv, getKv, listKv } from '../../api/namespaces';
import type { KvEntry } from '../../api/namespaces';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDate } from '../../components/format';
import { Loading } from '../../components/Loading';
import { KvDialog } from './KvDialog';
import { kvValuePreview } from './kvValues';
import { ConfirmDeleteModal } from './Modal';

/** The KV admin of one namespace. */
export function KvTab({ namespace }: { namespace: string }) {
  const client = useQueryClient();
  const entries = useQuery({
    queryKey: ['kv', namespace],
    queryFn: ({ signal }) => listKv(namespace, signal),
  });
  const [editing, setEditing] = useState<KvEntry | 'new' | undefined>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<readonly string[] | undefined>();
  const remove = useMutation({
    mutationFn: (keys: readonly string[]) => deleteKv(namespace, keys),
    onSuccess: async () => {
      setConfirming(undefined);
      setSelected(new Set());
      await client.invalidateQueries({ queryKey: ['kv', namespace] });
    },
  });

  if (entries.isError) return <ErrorBox error={entries.error} title="Could not load the KV store" />;
  if (entries.isPending) return <Loading />;
  const list = entries.data;
  const allSelected = list.length > 0 && list.every((e) => selected.has(e.key));
  const toggle = (key: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div className="ns-tab">
      <div className="ns-toolbar">
        <span className="muted">
          {list.length} entr{list.length === 1 ? 'y' : 'ies'}
        </span>
        {selected.size > 0 && (
          <button type="button" className="danger" onClick={() => setConfirming([...selected])}>
            Delete selected ({selected.size})
          </button>
        )}
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New entry
        </button>
      </div>
      {list.length === 0 ? (
        <div className="card empty">
          <strong>No KV entries in {namespace}</strong>
          <span className="muted">
            Flows read them with <code>{"{{ kv('key') }}"}</code> and write them with the KV tasks.
          </span>
        </div>
      ) : (
        <table className="table kv-table">
          <thead>
            <tr>
              <th className="ns-check">
                <input
                  type="checkbox"
                  aria-label="Select all"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(list.map((e) => e.key)))}
                />
              </th>
              <th>Key</th>
              <th>Type</th>
              <th>Value</th>
              <th>Expires</th>
              <th>Updated</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {list.map((entry) => (
              <tr key={entry.key} data-testid={`kv-${entry.key}`}>
                <td className="ns-check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${entry.key}`}
                    checked={selected.has(entry.key)}
                    onChange={() => toggle(entry.key)}
                  />
                </td>
                <td>
                  <div className="kv-key">{entry.key}</div>
                  {entry.description && <div className="muted ns-small">{entry.description}</div>}
                </td>
                <td>
                  <span className={`kv-type kv-type-${entry.type.toLowerCase()}`}>{entry.type}</span>
                </td>
                <td className="kv-value-cell">
                  <KvValueCell namespace={namespace} entry={entry} />
                </td>
                <td>
                  {entry.expirationDate ? (
                    formatDate(entry.expirationDate)
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td>{formatDate(entry.updateDate)}</td>
                <td className="ns-row-actions">
                  <button type="button" onClick={() => setEditing(entry)}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => setConfirming([entry.key])}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <KvDialog
          namespace={namespace}
          entry={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      {confirming && (
        <ConfirmDeleteModal
          title={
            confirming.length === 1 ? `Delete ${confirming[0]}?` : `Delete ${confirming.length} entries?`
          }
          onClose={() => setConfirming(undefined)}
          onConfirm={() => remove.mutate(confirming)}
          busy={remove.isPending}
          testId="kv-confirm"
        >
          <p>
            {confirming.length === 1
              ? `The key ${confirming[0]} and its value will be removed from ${namespace}.`
              : `These keys will be removed from ${namespace}: ${confirming.join(', ')}.`}{' '}
            Flows that read them will fail.
          </p>
          {remove.isError && <ErrorBox error={remove.error} title="Nothing was deleted" />}
        </ConfirmDeleteModal>
      )}
    </div>
  );
}

/** The typed value of one entry, fetched on its own (the list does not carry values). */
function KvValueCell({ namespace, entry }: { namespace: string; entry: KvEntry }) {
  const value = useQuery({
    queryKey: ['kv-value', namespace, entry.key, entry.updateDate],
    queryFn: () => getKv(namespace, entry.key),
    staleTime: 60_000,
  });
  if (value.isPending) return <span className="muted">…</span>;
  if (value.isError) return <span className="error-text ns-small">{value.error.message}</span>;
  const text = kvValuePreview(value.data.type, value.data.value);
  return (
    <code className={`kv-value kv-value-${value.data.type.toLowerCase()}`} title={text}>
      {value.data.type === 'STRING' ? `"${text}"` : text}
    </code>
  );
}
