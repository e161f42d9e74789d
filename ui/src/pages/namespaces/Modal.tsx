/**
 * A modal dialog of the Triggers and Namespaces pages: a title, a body and a row of actions;
 * Escape and a click outside close it.
 */
import { useEffect, useId } from 'react';
import type { ReactNode } from 'react';
import './modal.css';

/** A dialog over the page; `onClose` runs on Escape, on the close button and outside clicks. */
export function Modal({
  title,
  children,
  footer,
  onClose,
  wide = false,
  testId,
}: {
  title: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  onClose: () => void;
  wide?: boolean;
  testId?: string;
}) {
  const titleId = useId();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div
      className="dlg-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        className={`dlg card${wide ? ' dlg-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
      >
        <header className="dlg-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="ghost dlg-close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dlg-body">{children}</div>
        {footer && <footer className="dlg-foot">{footer}</footer>}
      </div>
    </div>
  );
}

/**
 * A dialog that asks before deleting: Cancel, and a red Delete disabled while the delete runs.
 * The body says what goes (and any error of a failed delete).
 */
export function ConfirmDeleteModal({
  title,
  children,
  onClose,
  onConfirm,
  busy,
  testId,
}: {
  title: ReactNode;
  children: ReactNode;
  onClose: () => void;
  onConfirm: () => void;
  busy: boolean;
  testId?: string;
}) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      {...(testId !== undefined ? { testId } : {})}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary danger-fill" disabled={busy} onClick={onConfirm}>
            Delete
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
