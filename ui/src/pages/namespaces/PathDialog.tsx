/** A dialog asking for a file or folder path (new file, new folder, rename), checked before use. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorBox } from '../../components/ErrorBox';
import { cleanPath } from './filePaths';
import { Modal } from './Modal';

/** Asks for a path; `onSubmit` gets it cleaned and the dialog closes once it resolves. */
export function PathDialog({
  title,
  label,
  hint,
  placeholder,
  initial = '',
  submitLabel,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  hint?: string;
  placeholder?: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (path: string) => Promise<void>;
  onClose: () => void;
}) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cleaned = cleanPath(text);
    if ('error' in cleaned) return setProblem(cleaned.error);
    setProblem(undefined);
    setBusy(true);
    try {
      await onSubmit(cleaned.path);
      onClose();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} testId="path-dialog">
      <form className="dlg-body" onSubmit={(e) => void submit(e)} noValidate>
        <label>
          {label}
          <input
            value={text}
            placeholder={placeholder}
            autoFocus
            aria-label="Path"
            onChange={(e) => {
              setText(e.target.value);
              setProblem(undefined);
            }}
          />
        </label>
        {hint && <p className="dlg-hint">{hint}</p>}
        {problem && (
          <p className="error-text" role="alert">
            {problem}
          </p>
        )}
        {failure !== undefined && <ErrorBox error={failure} title="It did not work" />}
        <div className="dlg-foot">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
