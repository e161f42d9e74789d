/**
 * Create or edit a KV entry: key (fixed when editing), type, a value editor fitting the type,
 * TTL (an ISO-8601 duration sent in the `ttl` header) and description. Bad values are refused
 * here with a message saying what is wrong; the server's own refusals are shown as well.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { getKv, KV_TYPES, putKv } from '../../api/namespaces';
import type { KvEntry, KvType } from '../../api/namespaces';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { showToast } from '../../components/Toasts';
import { encodeKvValue, isIsoDuration, kvValueToText } from './kvValues';
import { Modal } from './Modal';

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** The dialog; `entry` is the entry to edit, or undefined to create one. */
export function KvDialog({
  namespace,
  entry,
  onClose,
}: {
  namespace: string;
  entry: KvEntry | undefined;
  onClose: () => void;
}) {
  const current = useQuery({
    queryKey: ['kv-value', namespace, entry?.key],
    queryFn: () => getKv(namespace, entry?.key ?? ''),
    enabled: entry !== undefined,
    staleTime: 0,
  });
  const title = entry ? `Edit ${entry.key}` : 'New KV entry';
  return (
    <Modal title={title} onClose={onClose} wide testId="kv-dialog">
      {entry && current.isPending ? (
        <Loading />
      ) : entry && current.isError ? (
        <ErrorBox error={current.error} title="Could not read the value" />
      ) : (
        <KvForm
          namespace={namespace}
          entry={entry}
          initialType={current.data?.type ?? 'STRING'}
          initialValue={current.data ? kvValueToText(current.data.type, current.data.value) : ''}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function KvForm({
  namespace,
  entry,
  initialType,
  initialValue,
  onClose,
}: {
  namespace: string;
  entry: KvEntry | undefined;
  initialType: KvType;
  initialValue: string;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [key, setKey] = useState(entry?.key ?? '');
  const [type, setType] = useState<KvType>(initialType);
  const [value, setValue] = useState(initialValue);
  const [ttl, setTtl] = useState('');
  const [description, setDescription] = useState(entry?.description ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (text: string) =>
      putKv(namespace, key, text, {
        ...(ttl.trim() ? { ttl: ttl.trim().toUpperCase() } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['kv', namespace] });
      await client.invalidateQueries({ queryKey: ['kv-value', namespace] });
      showToast(`Saved ${key}`);
      onClose();
    },
  });

  const changeType = (next: KvType) => {
    setType(next);
    setProblem(undefined);
    // A value that cannot be the new type would only be refused: start that editor fresh.
    if (next === 'BOOLEAN') setValue(value === 'false' ? 'false' : 'true');
    else if (next !== 'STRING' && next !== 'JSON' && 'error' in encodeKvValue(next, value)) setValue('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!KEY.test(key))
      return setProblem('The key starts with a letter or digit, then letters, digits, ".", "_" or "-".');
    if (ttl.trim() && !isIsoDuration(ttl))
      return setProblem(`The TTL "${ttl}" is not an ISO-8601 duration (e.g. PT1H or P7D).`);
    const encoded = encodeKvValue(type, value);
    if ('error' in encoded) return setProblem(encoded.error);
    setProblem(undefined);
    save.mutate(encoded.text);
  };

  return (
    <form className="dlg-body" onSubmit={submit} noValidate>
      <div className="dlg-row">
        <label>
          Key
          <input
            value={key}
            onChange={(e) => setKey(e.target.value)}
            disabled={entry !== undefined}
            placeholder="my_key"
            aria-label="Key"
            autoFocus={entry === undefined}
          />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => changeType(e.target.value as KvType)} aria-label="Type">
            {KV_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ValueEditor type={type} value={value} onChange={setValue} />
      <div className="dlg-row">
        <label>
          <span className="dlg-label">
            TTL <span className="dlg-hint">(ISO-8601, e.g. PT1H or P7D)</span>
          </span>
          <input
            value={ttl}
            onChange={(e) => setTtl(e.target.value)}
            placeholder="never expires"
            aria-label="TTL"
          />
        </label>
        <label>
          <span className="dlg-label">
            Description <span className="dlg-hint">(optional)</span>
          </span>
          <input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-label="Description"
          />
        </label>
      </div>
      {entry?.expirationDate && !ttl && (
        <p className="dlg-hint">Saving without a TTL removes the current expiry.</p>
      )}
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      {save.isError && <ErrorBox error={save.error} title="The value was not saved" />}
      <div className="dlg-foot">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          {entry ? 'Save' : 'Create'}
        </button>
      </div>
    </form>
  );
}

/** The value input that fits the type. */
function ValueEditor({
  type,
  value,
  onChange,
}: {
  type: KvType;
  value: string;
  onChange: (v: string) => void;
}) {
  const common = { 'aria-label': 'Value', value } as const;
  switch (type) {
    case 'BOOLEAN':
      return (
        <label>
          Value
          <select {...common} onChange={(e) => onChange(e.target.value)}>
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        </label>
      );
    case 'NUMBER':
      return (
        <label>
          Value
          <input
            {...common}
            inputMode="decimal"
            placeholder="42"
            onChange={(e) => onChange(e.target.value)}
          />
        </label>
      );
    case 'DATE':
      return (
        <label>
          Value
          <input {...common} type="date" onChange={(e) => onChange(e.target.value)} />
        </label>
      );
    case 'DATETIME':
      return (
        <label>
          <span className="dlg-label">
            Value <span className="dlg-hint">(ISO-8601 with an offset)</span>
          </span>
          <input {...common} placeholder="2024-05-01T10:15:00Z" onChange={(e) => onChange(e.target.value)} />
        </label>
      );
    case 'DURATION':
      return (
        <label>
          <span className="dlg-label">
            Value <span className="dlg-hint">(ISO-8601 duration)</span>
          </span>
          <input {...common} placeholder="PT1H30M" onChange={(e) => onChange(e.target.value)} />
        </label>
      );
    case 'JSON':
      return (
        <label>
          <span className="dlg-label">
            Value <span className="dlg-hint">(a JSON object or list)</span>
          </span>
          <textarea
            {...common}
            className="kv-json"
            rows={8}
            spellCheck={false}
            placeholder={'{\n  "region": "eu"\n}'}
            onChange={(e) => onChange(e.target.value)}
          />
        </label>
      );
    case 'STRING':
      return (
        <label>
          Value
          <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
        </label>
      );
  }
}
